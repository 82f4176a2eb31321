"""AppTest: the Prompt guide — generated from the vocabulary, filterable, in sections, examples to Compose."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from apptest_helpers import new_app, png_bytes, session_of
from streamlit.testing.v1 import AppTest

from imagegen.prompt import parse
from imagegen.prompt.lexer import lex
from imagegen.prompt.phrases import Match, match_phrases
from imagegen.prompt.vocabulary import CATEGORIES, EDIT_VOCABULARY, VOCABULARY, entries
from imagegen.store.assets import add_images
from imagegen.ui.guide import CANNOT_DO, EDITS_TITLE, TITLES

PAGE = "pages/help.py"


def _sections(at: AppTest) -> list[str]:
    return [e.label for e in at.expander]


def _text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_guide_lists_every_vocabulary_entry_in_a_section_of_its_category(data_dir: Path) -> None:
    at = new_app(PAGE)
    assert not at.exception
    assert _sections(at) == [
        *(f"{TITLES[c]} · {len(entries(c))}" for c in CATEGORIES if entries(c)),
        f"{EDITS_TITLE} · {len(EDIT_VOCABULARY)}",
        "What it cannot do yet",
    ]
    assert not any(e.proto.expanded for e in at.expander), "sections start collapsed"
    text = _text(at)
    for entry in (*VOCABULARY, *EDIT_VOCABULARY):
        assert f"**{entry.key}** — {entry.meaning}" in text, entry.key
        assert f"*{entry.example}*" in text, entry.example
        assert f"`{entry.said[0]}`" in text, entry.said[0]
    for what, instead in CANNOT_DO:
        assert f"**{what}** {instead}" in text


def test_the_filter_keeps_matching_entries_and_opens_their_sections(data_dir: Path) -> None:
    at = new_app(PAGE)
    at.text_input(key="guide_filter").input("fade").run()
    fades = [e for e in VOCABULARY if "fade" in " ".join((e.key, e.meaning, e.example, *e.said)).casefold()]
    assert {e.key for e in fades} >= {"fade-in", "fade-out", "fade-in-out"}
    shown = sum(int(label.rsplit(" · ", 1)[1]) for label in _sections(at) if " · " in label)
    assert shown == len(fades)
    assert all(e.proto.expanded for e in at.expander if " · " in e.label)
    text = _text(at)
    assert "**fade-in**" in text and "**center**" not in text


def test_a_filter_matching_nothing_points_to_what_it_cannot_do(data_dir: Path) -> None:
    at = new_app(PAGE)
    at.text_input(key="guide_filter").input("mirror").run()
    assert at.info[0].value.startswith("Nothing the prompt understands matches “mirror”.")
    assert _sections(at) == ["What it cannot do yet"]
    assert at.expander[0].proto.expanded
    assert "mirror" in _text(at)


def test_an_example_goes_to_compose_in_one_click_with_the_sessions_tags(data_dir: Path) -> None:
    at = new_app(PAGE)
    add_images(
        session_of(at, data_dir),
        [("backdrop.png", png_bytes((160, 120), "skyblue")), ("brandmark.png", png_bytes((40, 40), "red", alpha=True))],
    )
    at.run()
    assert "*Place @backdrop in the center*" not in _text(at)
    assert "*@brandmark at the top*" in _text(at), "examples are written with the session's own tags"
    at.button(key="guide_try_position_top").click().run()
    assert not at.exception
    assert at.text_area(key="compose_prompt").value == "@brandmark at the top"
    assert "How this prompt is understood" in _text(at)
    assert session_of(at, data_dir).manifest().draft_prompt == "@brandmark at the top"


@pytest.mark.parametrize(
    ("prompt", "word"),
    [
        ("flip @logo", "flip"),
        ("mirror @logo", "mirror"),
        ("@logo follows a curved path", "curve"),
    ],
)
def test_what_the_guide_says_it_cannot_do_is_named_as_not_understood(prompt: str, word: str) -> None:
    """The guide's "cannot do yet" is true: the parser says it ignored the word rather than misreading it."""
    assert any(word in what.casefold() for what, _ in CANNOT_DO), word
    warnings = [w.message for w in parse(prompt, ["BG", "logo"]).warnings]
    assert any(word in message for message in warnings), warnings


@pytest.mark.parametrize(
    ("prompt", "word"),
    [
        ('"SALE 50%" at the top over @BG', "text"),
        ("@logo with a drop shadow over @BG", "shadow"),
        ("@logo with rounded corners over @BG", "rounded"),
        ("@logo as a circle over @BG", "shape"),
    ],
)
def test_the_guide_never_says_it_cannot_do_what_the_prompt_does(prompt: str, word: str) -> None:
    result = parse(prompt, ["BG", "logo"])
    assert [w.message for w in result.warnings if not w.quiet] == [], "the prompt does it"
    assert not any(word in what.casefold() for what, _ in CANNOT_DO), f"the guide says '{word}' cannot be done"


PLACEHOLDER = re.compile(r"(?<![\w@#])(?:N|A|B|C|NxN)(?![\w])|@tag\b|#r+g+b+")


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("knockout", "remove the white background"),
        ("crop", "focus on the top"),
        ("from-to", "from the top left to the bottom right"),
        ("custom", "1080x1920"),
        ("over", "over @BG"),
        ("each", "1 second each"),
        ("duotone", "duotone navy and pink"),
        ("code", "#ff0066"),
    ],
)
def test_phrases_with_placeholders_read_as_examples(key: str, said: str) -> None:
    [entry] = [e for e in (*VOCABULARY, *EDIT_VOCABULARY) if e.key == key]
    assert said in entry.said, entry.said


def test_every_phrase_said_as_an_example_is_understood_as_its_entry() -> None:
    """No placeholder is left, and the parser's phrase matcher reads each example phrase as its own entry."""
    for vocabulary in (VOCABULARY, EDIT_VOCABULARY):
        for entry in vocabulary:
            for phrase in entry.said:
                assert not PLACEHOLDER.search(phrase), (entry.key, phrase)
                keys = [item.entry.key for item in match_phrases(lex(phrase), vocabulary) if isinstance(item, Match)]
                assert entry.key in keys, (entry.key, phrase, keys)


def test_the_guide_shows_phrases_as_examples_with_the_sessions_tags(data_dir: Path) -> None:
    at = new_app(PAGE)
    add_images(
        session_of(at, data_dir),
        [("backdrop.png", png_bytes((160, 120), "skyblue")), ("brandmark.png", png_bytes((40, 40), "red", alpha=True))],
    )
    at.text_input(key="guide_filter").input("white background").run()
    text = _text(at)
    assert "`remove the white background`" in text and "remove the C background" not in text
    at.text_input(key="guide_filter").input("over").run()
    assert "`over @backdrop`" in _text(at) and "@tag" not in _text(at)


@pytest.mark.parametrize("query", ["shadow", "outline", "rounded"])
def test_a_search_shows_only_the_matching_entries_not_their_whole_section(data_dir: Path, query: str) -> None:
    at = new_app(PAGE)
    at.text_input(key="guide_filter").input(query).run()
    matching = [e for e in VOCABULARY if query in " ".join((e.key, e.meaning, e.example, *e.said)).casefold()]
    shown = sum(int(label.rsplit(" · ", 1)[1]) for label in _sections(at) if " · " in label)
    assert 0 < shown == len(matching) < len(entries("clean-up")), [e.key for e in matching]
    assert "**knockout**" not in _text(at), "the clean-up section's other entries stay hidden"


def test_a_search_naming_a_section_shows_all_of_it(data_dir: Path) -> None:
    at = new_app(PAGE)
    at.text_input(key="guide_filter").input("easing").run()
    assert f"{TITLES['easing']} · {len(entries('easing'))}" in _sections(at)
