"""The understanding lines never mislead: suggestions only for real typos, nothing clamped, nothing silent."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_images import encode
from PIL import Image
from session_helpers import make_store

from imagegen.errors import typo_of
from imagegen.export import OutputFormat
from imagegen.prompt import parse
from imagegen.prompt.phrases import known_words
from imagegen.service import NoticeKind, Overrides, RenderRequest
from imagegen.service.outputs import understand
from imagegen.store.assets import add_images

TAGS = ["BG", "logo", "product"]


@pytest.mark.parametrize(
    ("word", "never"),
    [("letters", "enters"), ("slideshow", "slides"), ("remove", "move"), ("SALE", "scale"), ("sale", "scale")],
)
def test_a_real_word_is_never_corrected_into_another(word: str, never: str) -> None:
    assert typo_of(word, known_words()) != never
    assert typo_of(word, [never]) is None


@pytest.mark.parametrize(
    ("typo", "meant"), [("bounse", "bounce"), ("rigth", "right"), ("fdae", "fade"), ("backgorund", "background")]
)
def test_a_typo_gets_its_word(typo: str, meant: str) -> None:
    assert typo_of(typo, known_words()) == meant


def test_unknown_words_are_gathered_in_one_line_and_quoted_text_is_not_suggested_for() -> None:
    result = parse("@logo top right, glitter, sparkles and bounse", TAGS)
    loud = [w.message for w in result.warnings if not w.quiet]
    assert loud == ['Not understood, so ignored: "glitter", "sparkles", "bounse". Did you mean "bounce" for "bounse"?']
    assert result.not_understood == ("glitter", "sparkles", "bounse")


@pytest.mark.parametrize(
    ("prompt", "mostly"),
    [
        ("@logo top right, small", False),
        ("@logo with glitter sparkles and rainbow unicorns", True),
        ("Place @product in center, @logo on top right, and @BG as background, glittering", False),
    ],
)
def test_a_mostly_misunderstood_prompt_is_flagged(prompt: str, mostly: bool) -> None:
    assert parse(prompt, TAGS).mostly_not_understood is mostly


@pytest.mark.parametrize("said", ["-50%", "250%", "0%"])
def test_an_out_of_range_size_leaves_the_layer_as_it_was(said: str) -> None:
    result = parse(f"@logo small {said} at the top right", TAGS)
    assert result.scene.layer("logo").size == 0.2
    assert any(said in w.message and "ignored" in w.message for w in result.warnings)


@pytest.mark.parametrize("prompt", ["1200x628 LinkedIn banner: @BG as background", "LinkedIn, 1200x628, @BG"])
def test_an_explicit_size_beats_a_preset_in_either_order(prompt: str) -> None:
    result = parse(prompt, TAGS)
    assert result.scene.canvas.size == (1200, 628)
    assert any(w.quiet and "1200x627" in w.message and "1200x628 as written" in w.message for w in result.warnings)


def test_unused_images_are_one_quiet_line() -> None:
    result = parse("@logo spins", TAGS)
    assert [(w.message, w.quiet) for w in result.warnings] == [("Not used: @BG, @product.", True)]


@pytest.fixture
def session(tmp_path: Path):
    session = make_store(tmp_path / "data").create()
    add_images(
        session,
        [
            ("logo.png", encode(Image.new("RGB", (40, 40), "red"))),
            ("BG.png", encode(Image.new("RGB", (60, 40), "blue"))),
        ],
    )
    return session


def test_advanced_options_appear_in_the_lines_and_apply(session) -> None:
    chosen = Overrides(size=(1200, 628), duration_s=4, fps=12)
    result = understand(
        session, RenderRequest("@BG as background, @logo spins", overrides=chosen, fmt=OutputFormat.MP4)
    )
    notes = result.messages(NoticeKind.NOTE)
    assert notes == [
        "Canvas 1200x628 (your setting; the prompt gives 1080x1080).",
        "Duration 4 s (your setting; the prompt gives 2 s).",
        "Frame rate 12 fps (your setting; the prompt gives 24 fps).",
        "Format MP4 (your setting).",
    ]
    assert (result.scene.canvas.size, result.scene.timing.duration_s, result.scene.timing.fps) == ((1200, 628), 4, 12)


def test_timing_options_on_a_still_are_said_to_be_unused(session) -> None:
    result = understand(session, RenderRequest("@BG as background, @logo top right", overrides=Overrides(duration_s=4)))
    assert result.messages(NoticeKind.WARNING) == [
        "Duration 4 s (your setting) is not used: nothing moves, so this is a still image."
    ]
