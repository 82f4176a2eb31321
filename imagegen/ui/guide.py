"""The prompt guide, generated from the engine's vocabulary table (nothing here lists a word it understands).

A filter box narrows every section at once to the entries that match; each category is a collapsible
section; phrases with placeholders are shown as said ("remove the white background", not "remove the C
background"); every example can be sent to Compose in one click, written with the session's own tags; a
last section says what the prompt language cannot do yet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import streamlit as st

from imagegen.prompt.examples import cast
from imagegen.prompt.vocabulary import CATEGORIES, EDIT_VOCABULARY, Entry, entries
from imagegen.store.session import Asset, Session
from imagegen.ui import brand
from imagegen.ui.compose import send_to_compose

FILTER_KEY = "guide_filter"
COMPOSE_PAGE = "pages/compose.py"

TITLES = {
    "role": "Roles — what an image is for",
    "position": "Positions",
    "size": "Sizes",
    "canvas": "Canvas size",
    "colour": "Background colour",
    "style": "Opacity, rotation and margins",
    "text": 'Text — put words in quotes ("Summer Sale") or after headline:',
    "motion": "Motions — any of these makes an animation",
    "direction": "Directions of a motion",
    "timing": "Timing",
    "easing": "Easing — how a motion speeds up and slows down",
    "relation": "Relations between images",
    "layout": "Layouts — halves, thirds, grids, images next to each other",
    "clean-up": "Clean-up and frames — remove a white background, circles, crops; borders, outlines, shadows and "
    "rounded corners (for text too)",
    "effect": "Adjustments and effects — blur, darker or lighter, black and white, tints, overlays, gradients, glow",
    "sequence": "Slideshows and timelines",
}
EDITS_TITLE = "Changes — after a render, in “Change it” (or the CLI's --then)"

#: Things people ask for that the prompt language does not do (yet), each with what to do instead.
CANNOT_DO: tuple[tuple[str, str], ...] = (
    (
        "Flip or mirror an image, retouch parts of it, or animate an adjustment (a blur that comes into focus).",
        "Edit the image first and upload the result; here it is placed, scaled, turned, faded, cut out, framed,"
        " shadowed and adjusted as a whole (blur, darker, black and white, tints, overlays, glow).",
    ),
    (
        "Move along a curve or a path of several points, or repeat (tile) an image across the canvas.",
        "Use straight moves between two places (“from the left to the top right”), or upload a tiled background.",
    ),
    (
        "Use more than the first frame of an uploaded GIF or video, or add sound.",
        "Upload each frame you need as its own image.",
    ),
    ("Draw or invent new pictures.", "It arranges and animates the images you upload; nothing else appears."),
)

_VOCABULARY_TAGS = re.compile(r"@(BG|logo|product)\b")


def show(session: Session) -> None:
    assets = session.manifest().assets
    st.markdown(
        "Mention each image by its tag with **@** (`@logo`). Words near a tag apply to that tag only: "
        "*“Place @product in center, @logo on top right, and @BG as background”*. Anything the prompt does "
        "not understand is named under the prompt box before you generate."
    )
    query = st.text_input(
        "Filter",
        key=FILTER_KEY,
        placeholder="Type a word: fade, corner, story, seconds…",
        help="Shows only the entries whose words, meaning or example contain every word you type.",
    )
    terms = query.casefold().split()
    shown = 0
    kit = brand.words()
    kit_rows = [entry for entry in (kit.entries if kit else ()) if _matches(entry, terms)]
    if kit_rows:
        shown += len(kit_rows)
        with st.expander(f"Brand kit — your team's colours and fonts · {len(kit_rows)}", expanded=True):
            for entry in kit_rows:
                _entry(entry, assets, session)
    for category in CATEGORIES:
        title = TITLES.get(category, category.capitalize())
        rows = [entry for entry in entries(category) if _matches(entry, terms)]
        if not rows and terms and _found(title, terms):
            rows = list(entries(category))  # the words name the section ("layouts"): all of it
        if not rows:
            continue
        shown += len(rows)
        with st.expander(f"{title} · {len(rows)}", expanded=bool(terms)):
            for entry in rows:
                _entry(entry, assets, session)
    edits = [entry for entry in EDIT_VOCABULARY if _matches(entry, terms)]
    if edits:
        shown += len(edits)
        with st.expander(f"{EDITS_TITLE} · {len(edits)}", expanded=bool(terms)):
            st.markdown(
                "After a render, a change edits the composition instead of starting over. It uses the words above,"
                " relative where they are relative (*bigger* is one size up, *slower* lengthens the animation), plus:"
            )
            for entry in edits:
                words = ", ".join(f"`{word}`" for word in _said(entry, assets)[:8])
                example = with_session_tags(entry.example, assets)
                st.markdown(f"**{entry.key}** — {entry.meaning}  \nSay {words}  \n*{example}*")
    if terms and not shown:
        st.info(
            f"Nothing the prompt understands matches “{query.strip()}”. It may be something it cannot do yet"
            " (below), or try a shorter word.",
            icon=":material/search_off:",
        )
    with st.expander("What it cannot do yet", expanded=bool(terms) and not shown, icon=":material/block:"):
        st.markdown("\n".join(f"- **{what}** {instead}" for what, instead in CANNOT_DO))


def _matches(entry: Entry, terms: Sequence[str]) -> bool:
    """The entry's own words match: its name, meaning, example and phrases (said as examples), not its
    section's title — "shadow" finds the shadow entries, not every entry of "… borders, outlines, shadows"."""
    return _found(" ".join((entry.key, entry.meaning, entry.example, *entry.said)), terms)


def _found(text: str, terms: Sequence[str]) -> bool:
    text = text.casefold()
    return all(term in text for term in terms)


def _said(entry: Entry, assets: Sequence[Asset]) -> list[str]:
    """The entry's phrases as examples ("remove the white background", "over @BG"), with the session's tags."""
    return list(dict.fromkeys(with_session_tags(phrase, assets) for phrase in entry.said))


def with_session_tags(example: str, assets: Sequence[Asset]) -> str:
    """The vocabulary's example, written with the session's own tags (@BG, @logo, @product -> yours)."""
    roles = cast(assets)
    if roles is None:
        return example
    own = {"BG": roles.background, "logo": roles.logo, "product": roles.subject}
    return _VOCABULARY_TAGS.sub(lambda match: f"@{own[match.group(1)]}", example)


def _entry(entry: Entry, assets: Sequence[Asset], session: Session) -> None:
    said = _said(entry, assets)
    words = ", ".join(f"`{word}`" for word in said[:8])
    more = f" (+{len(said) - 8} more)" if len(said) > 8 else ""
    example = with_session_tags(entry.example, assets)
    text, action = st.columns([5, 2], vertical_alignment="center")
    text.markdown(f"**{entry.key}** — {entry.meaning}  \nSay {words}{more}  \n*{example}*")
    if action.button(
        "Try in Compose",
        key=f"guide_try_{entry.category}_{entry.key}",
        icon=":material/send:",
        type="tertiary",
        help=f"Opens Compose with: {example}",
    ):
        send_to_compose(session, example)
        st.switch_page(COMPOSE_PAGE)
