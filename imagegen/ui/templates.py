"""The Brand & templates page and "Save as template": the kit's words and pictures, the team's templates
(thumbnail, slots, open with the slots filled, rename, delete). Storage and rendering are the service's."""

from __future__ import annotations

import streamlit as st

from imagegen.errors import ImagegenError
from imagegen.library import Template, TemplateInfo, delete_template, list_templates, load_template, rename_template
from imagegen.library.store import blob
from imagegen.library.templates import SlotKind
from imagegen.service.library import open_in_session, save_output
from imagegen.service.outputs import understand, write_outputs
from imagegen.store.session import Output, Session
from imagegen.ui import brand, compose, state

OPEN_KEY = "library_open"
RENDERED_KEY = "library_rendered"  # the output the open template last rendered here
COMPOSE_PAGE = "pages/compose.py"


def kit_section() -> None:
    """What the repository's brand kit adds: colours (with their codes), images (tags), fonts."""
    problem = brand.kit_problem()
    if problem:
        st.error(f"The brand kit cannot be used: {problem}", icon=":material/error:")
    kit = brand.kit()
    if kit is None:
        if not problem:
            st.caption(
                "No brand kit yet: add `brand/brand.toml` (colours, images, fonts) to the app's repository — "
                "see the README."
            )
        return
    st.subheader(f"Brand kit: {kit.name}")
    if kit.colours:
        swatches = " ".join(
            f'<span style="display:inline-block;margin:0 12px 6px 0"><span style="display:inline-block;width:1em;'
            f'height:1em;border-radius:3px;vertical-align:-2px;background:{c.code}"></span> '
            f"<b>{c.name}</b> {c.code}</span>"
            for c in kit.colours
        )
        st.markdown(
            f"Colours — say them anywhere a colour goes (*in brand blue*):<br>{swatches}", unsafe_allow_html=True
        )
    if kit.images:
        st.markdown("Images — every session has them as tags, nothing to upload:")
        columns = st.columns(min(6, len(kit.images)))
        for column, (tag, path) in zip(columns, kit.images, strict=False):
            column.image(str(path), caption=f"@{tag}", width=120)
    if kit.fonts:
        default = next((f.name for f in kit.fonts if f.key == kit.default_font), None)
        names = ", ".join(f"**{f.name}** ({f.family})" for f in kit.fonts)
        st.markdown(f"Fonts: {names}" + (f" — texts use {default} unless the prompt names another." if default else ""))


def library_section(session: Session) -> None:
    """The team's templates, newest first; the one being opened asks for its slots above the list."""
    st.subheader("Templates")
    st.caption("Shared by everyone with this app's address. Save one from Compose (under the result).")
    try:
        found = list_templates(brand.database_url())
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/database:")
        return
    opened = st.session_state.get(OPEN_KEY)
    if opened:
        _open_form(session, opened)
    if not found:
        st.info("No templates yet — render something in Compose, then *Save as template*.", icon=":material/bookmarks:")
    for info in found:
        _row(info)


def _row(info: TemplateInfo) -> None:
    with st.container(border=True):
        picture, words, actions = st.columns([2, 5, 3], vertical_alignment="center")
        data = blob(info.thumbnail, brand.database_url()) if info.thumbnail else None
        if data:
            picture.image(data, width=140)
        words.markdown(f"**{info.name}**  \n" + ", ".join(_slot_words(s) for s in info.slots))
        words.caption(f"saved {info.saved_text} UTC")
        if actions.button("Open", key=f"library_open_{info.name}", icon=":material/open_in_new:", type="primary"):
            st.session_state[OPEN_KEY] = info.name
            st.session_state.pop(RENDERED_KEY, None)
            state.flash("library-open")  # no report from another template's render
            st.rerun()
        with actions.popover("Rename or delete", icon=":material/edit:"):
            _edit(info)


def _slot_words(slot: object) -> str:
    label = getattr(slot, "label", "")
    return f"{label} “{slot.saved}”" if getattr(slot, "kind", None) is SlotKind.TEXT else label  # type: ignore[attr-defined]


def _edit(info: TemplateInfo) -> None:
    if not brand.may_edit(f"library_edit_{info.name}"):
        return
    new = st.text_input("New name", value=info.name, key=f"library_rename_{info.name}")
    if st.button("Rename", key=f"library_rename_go_{info.name}"):
        _change(lambda: rename_template(info.name, new, brand.database_url()), f"Renamed to “{new.strip()}”.")
    if st.button("Delete", key=f"library_delete_{info.name}", icon=":material/delete:"):
        _change(lambda: delete_template(info.name, brand.database_url()), f"Deleted “{info.name}”.")


def _change(action: object, done: str) -> None:
    try:
        action()  # type: ignore[operator]
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    state.flash("library", ("success", done))
    st.rerun()


def _open_form(session: Session, name: str) -> None:
    """Ask for the template's slots (pre-filled with the saved ones), then render it into this session."""
    try:
        template = load_template(name, brand.database_url())
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        st.session_state.pop(OPEN_KEY, None)
        return
    with st.container(border=True):
        st.markdown(f"**Open “{template.name}”** — change any slot, then render.")
        texts, images = _slot_inputs(template)
        go, close = st.columns([1, 1])
        clicked = go.button("Render", type="primary", icon=":material/auto_awesome:", key="library_render")
        if close.button("Close", key="library_close"):
            st.session_state.pop(OPEN_KEY, None)
            st.rerun()
        if clicked:
            _render(session, template, texts, images)
        state.show_flashes("library-open")
        made = {o.id: o for o in session.manifest().outputs}.get(st.session_state.get(RENDERED_KEY, ""))
        if made is not None:
            compose.preview(session, made)
            st.page_link(
                COMPOSE_PAGE, label="Continue in Compose (Change it, sizes, history)", icon=":material/arrow_forward:"
            )


def _slot_inputs(template: Template) -> tuple[dict[str, str], dict[str, bytes]]:
    texts: dict[str, str] = {}
    images: dict[str, bytes] = {}
    for slot in template.slots:
        key = f"library_slot_{template.name}_{slot.name}"
        if slot.kind is SlotKind.TEXT:
            texts[slot.name] = st.text_input(slot.label, value=slot.saved, key=key)
        else:
            upload = st.file_uploader(
                f"{slot.label} — optional, keeps the saved picture",
                type=["png", "jpg", "jpeg", "webp", "gif", "bmp"],
                key=key,
            )
            if upload is not None:
                images[slot.name] = upload.getvalue()
    return texts, images


def _render(session: Session, template: Template, texts: dict[str, str], images: dict[str, bytes]) -> None:
    try:
        request, replaced = open_in_session(session, template, texts=texts, images=images)
        understood = understand(session, request)
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    done = compose.run_render("Rendering…", lambda progress: write_outputs(session, understood, progress=progress))
    if done is None:
        return
    outputs, seconds = done
    st.session_state[compose.LAST_OUTPUT_KEY] = st.session_state[RENDERED_KEY] = outputs[0].id
    report = [("success", f"Done in {seconds:.1f} s — {outputs[0].file}")]
    if replaced:
        tags = ", ".join(f"@{tag}" for tag in replaced)
        report.append(
            ("info", f"{tags} in this session now holds the template's picture (the earlier one was replaced).")
        )
    state.flash("library-open", *report)
    st.rerun()  # so the sidebar counts the new output too


def save_button(session: Session, output: Output) -> None:
    """Under a Compose result: save it as a template of the team library."""
    with st.popover("Save as template", icon=":material/bookmark_add:"):
        if not brand.may_edit(f"compose_save_{output.id}"):
            return
        name = st.text_input("Template name", key=f"compose_template_name_{output.id}", placeholder="e.g. Summer promo")
        if st.button("Save", key=f"compose_template_save_{output.id}", type="primary"):
            try:
                info = save_output(session, output, name, url=brand.database_url())
            except ImagegenError as exc:
                st.error(str(exc), icon=":material/error:")
                return
            slots = ", ".join(s.label for s in info.slots)
            # Said above the result, not in the popover: the rerun that follows a click closes it.
            state.flash("compose", ("success", f"Saved “{info.name}” with slots {slots}."))
            st.rerun()
