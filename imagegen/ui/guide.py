"""The prompt guide, generated from the engine's vocabulary table (nothing here lists a word)."""

from __future__ import annotations

import streamlit as st

from imagegen.prompt.vocabulary import CATEGORIES, entries

TITLES = {
    "role": "Roles — what an image is for",
    "position": "Positions",
    "size": "Sizes",
    "canvas": "Canvas size",
    "colour": "Background colour",
    "style": "Opacity and rotation",
    "motion": "Motions — any of these makes an animation",
    "timing": "Timing",
    "easing": "Easing — how a motion speeds up and slows down",
    "relation": "Relations between images",
    "layout": "Layouts — halves, thirds, grids, images next to each other",
    "clean-up": "Clean-up and frames — remove a white background, circles, borders, shadows, crops",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def show() -> None:
    st.markdown(
        "Mention each image by its tag with **@** (`@logo`). Words near a tag apply to that tag only: "
        "*“Place @product in center, @logo on top right, and @BG as background”*."
    )
    for category in CATEGORIES:
        rows = entries(category)
        if not rows:
            continue
        st.subheader(TITLES.get(category, category.capitalize()))
        lines = ["| meaning | say | example |", "|---|---|---|"]
        for entry in rows:
            words = ", ".join(f"`{word}`" for word in entry.words[:8])
            more = f" (+{len(entry.words) - 8} more)" if len(entry.words) > 8 else ""
            lines.append(
                f"| **{_cell(entry.key)}** — {_cell(entry.meaning)} | {words}{more} | {_cell(entry.example)} |"
            )
        st.markdown("\n".join(lines))
