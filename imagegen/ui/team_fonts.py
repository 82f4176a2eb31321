"""The Brand & templates page's fonts: the team's uploaded TTF/OTF files, said in a prompt by name."""

from __future__ import annotations

import streamlit as st

from imagegen.errors import ImagegenError
from imagegen.library.fonts import delete_font, save_font
from imagegen.store.fonts import MAX_FONT_BYTES
from imagegen.ui import brand, state

UPLOAD_KEY = "library_font_file"
NAME_KEY = "library_font_name"


def fonts_section() -> None:
    """The team's fonts (each with how to say it), and an upload that adds one for everyone."""
    st.subheader("Fonts")
    try:
        fonts = brand.team_fonts_cached()
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/database:")
        return
    st.caption("Uploaded here, a font is the whole team's: say its name in any prompt.")
    editable = brand.may_edit("library_fonts")  # asks for the passphrase here when one is set
    for font in fonts:
        words, action = st.columns([8, 2], vertical_alignment="center")
        words.markdown(f"**{font.name}** ({font.family}) — say *“Sale” in {font.name}* or *in the {font.name} font*")
        if editable and action.button("Delete", key=f"library_font_delete_{font.name}", icon=":material/delete:"):
            _change(lambda name=font.name: delete_font(name, brand.database_url()), f"Deleted the font “{font.name}”.")
    if not editable:
        return
    with st.expander("Add a font (TTF or OTF) for everyone", expanded=not fonts):
        upload = st.file_uploader(
            "Font file", type=["ttf", "otf"], key=UPLOAD_KEY, max_upload_size=MAX_FONT_BYTES // (1024 * 1024)
        )
        name = st.text_input("Say it as", key=NAME_KEY, placeholder="the family name inside the file, e.g. Acme Serif")
        if st.button("Save the font", key="library_font_save", disabled=upload is None, icon=":material/upload:"):
            data, file = upload.getvalue(), upload.name  # type: ignore[union-attr]
            _change(lambda: save_font(data, file, name, brand.database_url()), None)


def _change(action: object, done: str | None) -> None:
    try:
        result = action()  # type: ignore[operator]
    except ImagegenError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    brand.fonts_changed()
    saved = getattr(result, "name", None)
    message = done or f"Saved the font “{saved}”: say *in {saved}* in any prompt."
    state.flash("library", ("success", message))
    st.rerun()
