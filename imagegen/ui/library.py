"""Images & tags widgets: the uploader, the grid of image cards, and the batch-tag table."""

from __future__ import annotations

import base64
from functools import partial

import streamlit as st
from PIL import Image
from streamlit_tags import st_tags

from imagegen.errors import ImagegenError
from imagegen.files import format_bytes
from imagegen.store.assets import add_images, remove_background, remove_image, restore_original, set_tag, set_tags
from imagegen.store.cleanup import FlatBorder, enclosed_background, flat_border
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


#: The picture of an image with transparency lies on a checkerboard, so what is transparent (a knocked-out
#: background, the inside of a letter) shows as such, not as the page's white. CSS only: the pixels stay
#: the engine's. Opaque images are not on it: their thumbnails' letterbox is not part of the picture.
_CHECKERBOARD = """<style>
[class*="st-key-images_cutout_"] [data-testid="stImage"] img {
  background: repeating-conic-gradient(#d4d4d4 0% 25%, #ffffff 0% 50%) 50% / 16px 16px;
}
</style>"""


def cards(session: Session) -> None:
    """A grid of image cards: thumbnail (on a checkerboard), name, size, tag editor, knock-out, remove."""
    st.html(_CHECKERBOARD)
    assets = session.manifest().assets
    for start in range(0, len(assets), CARDS_PER_ROW):
        columns = st.columns(CARDS_PER_ROW)
        for column, asset in zip(columns, assets[start : start + CARDS_PER_ROW], strict=False):
            kind = "cutout" if asset.has_alpha else "card"
            with column, st.container(border=True, key=f"images_{kind}_{asset.id}"):
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
    """Offer to knock out a plain background (opaque image, one-colour border) — with the colour the mark
    encloses too, when it encloses some (the triangle inside an "A") — or to undo it."""
    if asset.plain_background is not None:
        name = FlatBorder(asset.plain_background).name
        st.caption(f"This logo has a {name} background — remove it?")
        enclosed, _ = _enclosed(str(session.uploads / asset.file), None)
        inside = enclosed > 0 and st.checkbox(
            f"Also remove {name} inside the shapes",
            key=f"images_inside_{asset.id}",
            help=f"{enclosed:,} px of {name} are enclosed by the mark (like the triangle inside an A). "
            f"Ticked, they become transparent too; otherwise they stay {name}.",
        )
        if st.button("Remove background", key=f"images_knockout_{asset.id}", icon=":material/auto_fix_high:"):
            change = partial(remove_background, inside=inside)
            also = f", {name} inside the shapes too" if inside else ""
            _apply(session, asset, change, f"@{asset.tag}: {name} background removed{also} — now transparent.")
    elif asset.original_file is not None:
        st.caption("Background removed — the checkerboard shows what is transparent now.")
        _, colour = _enclosed(str(session.uploads / asset.original_file), None)
        left, _ = _enclosed(str(session.uploads / asset.file), colour) if colour else (0, None)
        if left and st.button(
            f"Also remove {FlatBorder(colour).name} inside the shapes",
            key=f"images_knockout_inside_{asset.id}",
            icon=":material/auto_fix_high:",
            type="tertiary",
        ):
            done = f"@{asset.tag}: {FlatBorder(colour).name} inside the shapes removed too."
            _apply(session, asset, _inside_too, done)
        if st.button("Restore original", key=f"images_restore_{asset.id}", icon=":material/undo:", type="tertiary"):
            _apply(session, asset, restore_original, f"@{asset.tag}: the original image is back.")


@st.cache_data(max_entries=64, show_spinner=False)
def _enclosed(path: str, colour: tuple[int, int, int] | None) -> tuple[int, tuple[int, int, int] | None]:
    """(pixels of the background colour the mark encloses, that colour) of a stored file (names are never
    reused for other pixels, so the path is the cache key)."""
    with Image.open(path) as image:
        image.load()
    if colour is None:
        border = flat_border(image)
        colour = border.colour if border is not None else None
    return (enclosed_background(image, colour) if colour is not None else 0), colour


def _inside_too(session: Session, asset_id: str) -> None:
    """Knock out again from the original, with the enclosed colour too."""
    restore_original(session, asset_id)
    remove_background(session, asset_id, inside=True)


def _apply(session: Session, asset: Asset, change, done: str) -> None:  # type: ignore[no-untyped-def]
    try:
        with st.spinner("Restoring…" if change is restore_original else "Removing the background…"):
            change(session, asset.id)
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    state.flash("images", ("success", done))
    st.rerun()


_EDITING_KEY = "images_tag_editing"  # ids of the cards whose tag editor is open


def tag_editor(session: Session, asset: Asset) -> None:
    """The card's tag as a button (``@tag``, a pencil); clicked, streamlit-tags edits it, validated by
    the engine's rules, errors shown inline.

    streamlit-tags is mounted only while the user edits: its iframe sends its value whenever it loads,
    seconds after the page is drawn on a busy machine, and that unasked rerun of this page replaced a
    click made meanwhile (with fast reruns Streamlit stops the running script and runs the newest
    request, on the page that request names): after an upload, "Compose" or "Remove background" did
    nothing. Opened on demand, it loads when the user has asked for it.

    streamlit-tags ignores ``value`` changes after it mounts, so the key includes the current tag: a new
    tag mounts a fresh widget. A tag typed while the old chip is still there is the new tag (the chips
    are not limited: with ``maxtags=1`` the widget dropped it silently); of several, the latest counts.
    """
    editing: set[str] = st.session_state.setdefault(_EDITING_KEY, set())
    if asset.id not in editing:
        st.button(
            f"@{asset.tag}",
            key=f"images_tag_open_{asset.id}",
            icon=":material/edit:",
            type="tertiary",
            help="Rename: the name you use in the prompt as @tag.",
            on_click=editing.add,
            args=(asset.id,),
        )
        return
    values = st_tags(
        value=[asset.tag],
        label="",
        text="Type a tag, press Enter",
        maxtags=-1,  # with 1, a tag typed beside the old chip was dropped without a word
        key=f"images_tag_{asset.id}_{asset.tag}",
    )
    st.caption(f"Type the new tag and press Enter: it replaces @{asset.tag}.")
    st.button(
        "Done",
        key=f"images_tag_close_{asset.id}",
        icon=":material/check:",
        type="tertiary",
        on_click=editing.discard,
        args=(asset.id,),
    )
    typed = [v.strip() for v in (values or []) if v and v.strip()]
    if not typed:
        st.caption(f"Every image needs a tag — still @{asset.tag}.")
        return
    wanted = typed_tag(typed, asset.tag)
    if wanted is None:
        return
    try:
        renamed = set_tag(session, asset.id, wanted)
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    editing.discard(asset.id)
    state.flash("images", ("success", f"@{asset.tag} is now @{renamed.tag}."))
    st.rerun()


def typed_tag(chips: list[str], current: str) -> str | None:
    """The tag the editor's chips ask for: the latest one that is not ``current`` (earlier ones were
    refused, or the old chip was left in place); None when they only hold ``current``."""
    wanted = [chip for chip in chips if chip != current]
    return wanted[-1] if wanted else None


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
