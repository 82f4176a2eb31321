"""Never silent about a word the prompt knows: a vocabulary word (a place, size, effect or motion word, a number
with its unit) left over outside every phrase the parser took is named in the understanding notes, with what
would work; glue words, quoted text, tags, file names and words a phrase took are never named.

The prompts are written the way people write them; each row gives every line a user sees (quiet lines aside).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from imagegen.prompt import ImageAbout, parse
from imagegen.prompt.lexer import Kind, lex
from imagegen.prompt.phrases import known_words, phrases_using
from imagegen.prompt.vocabulary import LEFTOVERS
from imagegen.prompt.words import CANVAS_NOUNS, CONNECTIVES, FILLER

TAGS = ["BG", "logo", "product", "size_chart"]
NUDGE = (
    'was not applied: moving an image a little from a place cannot be said yet — use a place ("at the top", '
    '"at the bottom"), a region ("in the bottom half") or a corner.'
)
ALONE = "was not applied: on its own it says nothing here — it works in a phrase such as"

NAMED = [
    ("@BG as background, @logo top right, less big", [f'"less" {ALONE} "less contrast" or "less saturated".']),
    (
        "@BG as background, @logo and @product the same size",
        [f'"same size" {ALONE} "same size as @product", "15% size" or "mid size".'],
    ),
    (
        "@BG as background, @logo double size",
        [f'"double size" {ALONE} "double the size of @logo", "15% size" or "mid size".'],
    ),
    (
        "@product centered, @logo underneath",
        [f'"underneath" {ALONE} "underneath it", "shadow underneath" or "underneath @product".'],
    ),
    ("@BG as background, @logo at the top, @product just above", [f'"above" {ALONE} "above it".']),
    ("@logo top right with some padding", [f'"padding" {ALONE} "no padding" or "8% padding".']),
    ("@BG duotone, @logo top right", [f'"duotone" {ALONE} "duotone navy and pink".']),
    ("@BG tinted, @logo in the center", [f'"tinted" {ALONE} "tinted blue".']),
    ("@BG as background, @logo top left, make it colorful", [f'"colorful" {ALONE} "more colorful".']),
    ("@logo on the side", [f'"side" {ALONE} "top side", "left side" or "right side".']),
    ("@BG as background, @logo centered vertically", [f'"vertically" {ALONE} "stacked vertically".']),
    ("@logo in the corner, half", [f'"half" {ALONE} "top half", "half size" or "half transparent".']),
    ("@BG as background, @logo to the back", [f'"back" {ALONE} "and back" or "at the back".']),
    (
        '@BG as background, "Sale" at the top in a nice font',
        [f'"font" {ALONE} "sans font", "code font" or "serif font".'],
    ),
    (
        "@BG with a gold frame, @logo in the center",
        [f'"frame" {ALONE} "frame rate 30", "fill the frame" or "across the frame".'],
    ),
    (
        "@BG as background, @product with rounded corners in the center, slight shadow",
        [f'"slight" {ALONE} "slight blur".'],
    ),
    (
        "@BG as background, @logo at the top with margin",
        [f'"margin" {ALONE} "8% margin", "no margin" or "big margin".'],
    ),
    # a known word right after an unknown one is named with it, never dropped ("tint" of "a warm tint")
    ("@BG with a warm tint, @logo in the corner", ['Not understood, so ignored: "warm tint".']),
    # a number goes with the vocabulary word right after it: one line for both
    ("@BG 1080 wide, @logo in the center", [f'"1080 wide" {ALONE} "15% wide", "wide border" or "wide margin".']),
    ("@logo top right 40", ['The number 40 was not understood — say what it is, e.g. "40 seconds" or "40%".']),
    # the rows of LEFTOVERS: a nudge from a place, and a height said without a place
    ("@logo in the bottom right, slightly lower", [f'"lower" {NUDGE}']),
    ("@BG as background, @logo centered, a bit lower than the middle", [f'"lower" {NUDGE}']),
    ("@logo further down", [f'"further" {NUDGE}']),
    (
        "@logo in the top right, a bit more to the left",
        [f'"more" {NUDGE}', '@logo is placed twice ("top right", then "to the left") — using left, the last one.'],
    ),
    (
        "@BG as background, @logo high up",
        ['"high" was not applied: say the place: "at the top", "at the bottom", "in the top half" or a corner.'],
    ),
]

SILENT = [
    "@logo top right and make it pop",
    "@logo on the left side a bit",
    "@logo moving slowly",
    "make @BG darker and the logo bigger",
    "place @product center, nice and big",
    "can you please put @logo in the top right corner",
    "@BG as background, @logo at the very top of the screen",  # "very", and the screen is the canvas
    "@logo and @product each in a corner on @BG",  # "each" is read by the corner rule
    "@size_chart on the left, @logo in the top right, both small",  # a tag made of vocabulary words
    "@logo fades in, starts after 1 second",  # "starts" only repeats the kind of "after 1 second"
    "@logo medium size in the corner",  # … and "size" the kind of "medium"
    "@logo fade in over 2 seconds, then spin",
    'Story format, @BG fills the screen, @product slides in from the left, "New arrivals" fades in at the top',
    '@BG as background, "Limited time" at the bottom in red caps',
    "@BG zooms in slowly (ken burns), @logo stays put at the bottom",
    "@BG as background, @logo at the top with a small margin",  # a 2 % margin, not a small logo
    "@logo flies off the screen",
    "@logo bounce effect",  # "effect" only repeats the kind of "bounce"
    "make an animation with @logo spinning",  # the output's kind, as "gif" is
    # quoted text, in any script, is drawn, never read
    '@BG as background, "नमस्ते दुनिया" at the top in white',
    '@BG as background, "مرحبا بالعالم" at the bottom, big and bold',
    '@BG as background, "Move it lower and make it bigger" at the top',
    "@BG as background, headline: Lower prices, higher quality",
]


@pytest.mark.parametrize(("prompt", "lines"), NAMED, ids=[p for p, _ in NAMED])
def test_a_vocabulary_word_left_over_is_named_with_what_works(prompt: str, lines: list[str]) -> None:
    assert [w.message for w in parse(prompt, TAGS).warnings if not w.quiet] == lines


@pytest.mark.parametrize("prompt", SILENT)
def test_glue_words_quotes_tags_and_words_a_phrase_took_are_never_named(prompt: str) -> None:
    assert [w.message for w in parse(prompt, TAGS).warnings if not w.quiet] == []


def test_a_file_name_made_of_vocabulary_words_is_never_named() -> None:
    about = {"BG": ImageAbout("lower-third-banner.jpg", photo=True)}
    parsed = parse("lower-third-banner.jpg as background, @logo top right", ["BG", "logo"], about=about)
    assert [w.message for w in parsed.warnings if not w.quiet] == []
    assert [layer.tag for layer in parsed.scene.layers] == ["BG", "logo"]


def test_a_left_over_word_is_named_where_explain_shows_it() -> None:
    # the same channel as words not understood: the warnings the app, the API and `explain` show
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "imagegen",
            "explain",
            "--tags",
            "BG,logo",
            "--prompt",
            "@BG as background, @logo top right, less big",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f'warning: "less" {ALONE} "less contrast" or "less saturated".' in done.stderr.splitlines()


def test_a_word_a_line_already_quotes_is_not_named_again() -> None:
    parsed = parse('@BG as background, "Sale" in the brand font', ["BG"])
    assert [w.message for w in parsed.warnings if not w.quiet] == [
        '"brand font": the brand kit has no font, so the text uses Noto Sans — add one under [fonts].'
    ]


def test_the_silent_words_are_vocabulary_words() -> None:
    # A word never in a phrase would be filler (listed in words.FILLER), not a connective: nothing twice.
    assert known_words() >= (CONNECTIVES | CANVAS_NOUNS)
    assert not (CONNECTIVES | CANVAS_NOUNS) & FILLER


def test_every_row_of_leftovers_is_a_known_word_and_each_word_has_one_row_per_context() -> None:
    words = [(word, row.before) for row in LEFTOVERS for word in row.words]
    assert len(words) == len(set(words))
    assert {word for word, _ in words} <= known_words()


def test_every_word_that_can_be_named_has_a_phrase_to_suggest_or_a_row() -> None:
    # what would work is never empty: a phrase using the word, or a row of LEFTOVERS saying why
    rows = {word for row in LEFTOVERS for word in row.words}
    named = {t.text for t in lex(" ".join(known_words())) if t.kind is Kind.WORD} - CONNECTIVES - CANVAS_NOUNS - FILLER
    assert [word for word in sorted(named) if word not in rows and not phrases_using((word,))] == []


def test_a_small_margin_is_the_margin_not_the_image_size() -> None:
    logo = parse("@BG as background, @logo at the top with a small margin", TAGS).scene.layer("logo")
    assert (logo.margin, logo.size) == (0.02, 0.3)  # the top's usual size: "small" is the margin's
