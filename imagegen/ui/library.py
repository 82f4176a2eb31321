"""Images & tags widgets: the uploader, the grid of image cards, and the batch-tag table."""

from __future__ import annotations

import base64

import streamlit as st

from imagegen.errors import ImagegenError
from imagegen.files import format_bytes
from imagegen.store.assets import add_images, remove_background, remove_image, restore_original, set_tag, set_tags
from imagegen.store.cleanup import FlatBorder
from imagegen.store.images import ALLOWED_LABEL, UPLOAD_EXTENSIONS
from imagegen.store.session import Asset, Session
from imagegen.ui import memory, state

CARDS_PER_ROW = 4
_ROUND_KEY = "images_uploader_round"
_TABLE_ROUND_KEY = "images_table_round"


def uploader(session: Session) -> None:
    """Multi-file uploader; files go straight into the session, then the uploader is cleared."""
    limit_mb = session.store.limits.max_file_bytes // (1024 * 1024)
    round_ = st.session_state.get(_ROUND_KEY, 0)
    files = st.file_uploader(
        "Add images",
        type=list(UPLOAD_EXTENSIONS),
        accept_multiple_files=True,
        key=f"images_uploader_{round_}",
        help=f"{ALLOWED_LABEL}, up to {limit_mb} MB each. Each image gets a tag from its file name.",
    )
    if not files:
        return
    result = add_images(session, [(f.name, f.getvalue()) for f in files], refuse_duplicates=True)
    memory.release_uploads(files)  # the session keeps its own copy on disk
    report = [("error", str(error)) for error in result.errors]
    report += [("info", str(duplicate)) for duplicate in result.duplicates]
    report += [
        ("info", f"{a.original_name} (@{a.tag}) is an animated {a.source_format}: only its first frame is used.")
        for a in result.added
        if a.animated
    ]
    if result.added:
        added = ", ".join(f"@{a.tag}" for a in result.added)
        report.insert(0, ("success", f"Added {len(result.added)} image{'s' * (len(result.added) != 1)}: {added}"))
    state.flash("images", *report)
    st.session_state[_ROUND_KEY] = round_ + 1
    st.rerun()


def cards(session: Session) -> None:
    """A grid of image cards: thumbnail, name, size, tag editor, remove."""
    assets = session.manifest().assets
    for start in range(0, len(assets), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, asset in zip(columns, assets[start : start + CARDS_PER_ROW], strict=False):
            with column, st.container(border=True):
                _card(session, asset)


def _card(session: Session, asset: Asset) -> None:
    st.image(str(session.uploads / asset.thumb), width="stretch")
    first_frame = " · first frame of an animation" if asset.animated else ""
    st.caption(f"{asset.original_name}  \n{asset.width}×{asset.height} px · {format_bytes(asset.bytes)}{first_frame}")
    tag_editor(session, asset)
    background_offer(session, asset)
    if st.button("Remove", key=f"images_remove_{asset.id}", icon=":material/delete:", type="tertiary"):
        remove_image(session, asset.id)
        state.flash("images", ("info", f"Removed {asset.original_name} (@{asset.tag})."))
        st.rerun()


def background_offer(session: Session, asset: Asset) -> None:
    """Offer to knock out a plain background (opaque image, one-colour border), or to undo it."""
    if asset.plain_background is not None:
        name = FlatBorder(asset.plain_background).name
        st.caption(f"This logo has a {name} background — remove it?")
        if st.button("Remove background", key=f"images_knockout_{asset.id}", icon=":material/auto_fix_high:"):
            _apply(session, asset, remove_background, f"@{asset.tag}: {name} background removed — now transparent.")
    elif asset.original_file is not None:
        st.caption("Background removed.")
        if st.button("Restore original", key=f"images_restore_{asset.id}", icon=":material/undo:", type="tertiary"):
            _apply(session, asset, restore_original, f"@{asset.tag}: the original image is back.")


def _apply(session: Session, asset: Asset, change, done: str) -> None:  # type: ignore[no-untyped-def]
    try:
        with st.spinner("Removing the background…" if change is remove_background else "Restoring…"):
            change(session, asset.id)
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    state.flash("images", ("success", done))
    st.rerun()


_TAG_ERROR_KEY = "images_tag_error"


def _tag_key(asset: Asset) -> str:
    # The current tag is part of the key: after a rename (here, in the table or elsewhere) a fresh field
    # shows the new tag instead of keeping what was typed into the old one.
    return f"images_tag_{asset.id}_{asset.tag}"


def _rename(session: Session, asset: Asset) -> None:
    """Callback of a card's tag field (Enter or leaving it): rename, or keep the reason for the card."""
    typed = str(st.session_state.get(_tag_key(asset)) or "").strip()
    errors: dict[str, str] = st.session_state.setdefault(_TAG_ERROR_KEY, {})
    errors.pop(asset.id, None)
    if not typed:
        errors[asset.id] = f"Every image needs a tag — still @{asset.tag}."
        return
    if typed == asset.tag:
        return
    try:
        renamed = set_tag(session, asset.id, typed)
    except ImagegenError as exc:
        errors[asset.id] = str(exc)
        return
    state.flash("images", ("success", f"@{asset.tag} is now @{renamed.tag}."))


def tag_editor(session: Session, asset: Asset) -> None:
    """The card's tag in a text field; Enter renames it by the engine's rules, errors shown on the card.

    A native field, not a custom component: streamlit-tags sent its value whenever its iframe loaded,
    seconds after the page was drawn on a busy machine, and that rerun of this page replaced a click made
    meanwhile (with fast reruns Streamlit stops the running script and runs the newest request, on the
    page that request names): "Compose" or "Remove background" did nothing. A field sends only what the
    user types; the rename runs in its callback, before the page is drawn, so it needs no second run.
    """
    st.text_input(
        "Tag",
        value=asset.tag,
        key=_tag_key(asset),
        placeholder="Type a tag, press Enter",
        on_change=_rename,
        args=(session, asset),
        label_visibility="collapsed",
        help="The name you use in the prompt as @tag.",
    )
    error = st.session_state.get(_TAG_ERROR_KEY, {}).get(asset.id)
    if error:
        st.error(error, icon=":material/error:")


def batch_table(session: Session) -> None:
    """Edit every tag in one table; applied all-or-nothing."""
    assets = session.manifest().assets
    round_ = st.session_state.get(_TABLE_ROUND_KEY, 0)
    rows = [{"id": a.id, "image": _data_uri(session, a), "file": a.original_name, "tag": a.tag} for a in assets]
    edited = st.data_editor(
        rows,
        column_config={
            "id": None,
            "image": st.column_config.ImageColumn("Image", width="small"),
            "file": st.column_config.TextColumn("File"),
            "tag": st.column_config.TextColumn("Tag", required=True, max_chars=40),
        },
        disabled=["image", "file"],
        hide_index=True,
        key=f"images_table_{round_}",
        width="stretch",
    )
    changes = {row["id"]: str(row["tag"] or "") for row in edited if row["tag"] != _tag_of(assets, row["id"])}
    if st.button("Apply tags", key="images_table_apply", disabled=not changes, type="primary"):
        try:
            set_tags(session, changes)
        except ImagegenError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        state.flash("images", ("success", f"Updated {len(changes)} tag{'s' * (len(changes) != 1)}."))
        st.session_state[_TABLE_ROUND_KEY] = round_ + 1
        st.rerun()


def _tag_of(assets: tuple[Asset, ...], asset_id: str) -> str | None:
    return next((a.tag for a in assets if a.id == asset_id), None)


def _data_uri(session: Session, asset: Asset) -> str:
    data = (session.uploads / asset.thumb).read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode()
