"""Whatever the prompt and tags, parse() returns a valid Scene or raises one of our own errors."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from invariant_helpers import silent_phrases

import imagegen.prompt as prompt_module
from imagegen.errors import ImagegenError, PromptError
from imagegen.prompt import parse
from imagegen.prompt.explain import describe_scene
from imagegen.prompt.vocabulary import VOCABULARY
from imagegen.scene import Scene

pytestmark = pytest.mark.adversarial

_PIECES = [
    *sorted({w for e in VOCABULARY for w in e.words} | {"N", "A", "@tag", "NxN"}),
    "@BG", "@logo", "@product", "@Logo", "@lgo", "@", "@@logo", "and", "then", "with", "while", "it", ",", ".",
    ";", "3", "-20", "0", "1e9", "99999999999999999999", "%", "°", "x", "by", "#fff", "#ff006680", "rgb(1,2,3)",
    "rgb(999,0,0)", "rgba(", "->", "—", "'s", "\n", "🙂", "ǅ", "\u200b", "\x00",
]  # fmt: skip
_TAGS = st.lists(
    st.one_of(
        st.sampled_from(["BG", "logo", "product", "LOGO", "x", "a-b", "", " ", "@logo", "ünï"]), st.text(max_size=12)
    ),
    max_size=6,
)
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def _check(prompt: str, tags: list[str]) -> None:
    try:
        result = parse(prompt, tags)
    except ImagegenError as exc:
        assert "internal parser problem" not in str(exc), exc.__cause__
        return
    scene = result.scene
    assert Scene.from_json(scene.to_json()) == scene
    assert scene.layers and len(set(scene.tags)) == len(scene.tags)
    assert all(layer.tag in tags for layer in scene.layers if layer.text is None), "every image is a session's"
    assert all(layer.text.text for layer in scene.layers if layer.text is not None), "a text layer has words"
    lines = [line for line in describe_scene(scene) if " timeline: " not in line]  # a loop may time its steps
    assert len(lines) == len(scene.layers) + 1
    for layer in scene.layers:
        assert 0 < layer.size <= 1 and 0 <= layer.opacity <= 1 and 0 <= layer.margin <= 1


@_SETTINGS
@given(st.text(max_size=400), _TAGS)
def test_random_text_never_raises_anything_else(prompt: str, tags: list[str]) -> None:
    _check(prompt, tags)


@_SETTINGS
@given(st.lists(st.sampled_from(_PIECES), max_size=40), _TAGS, st.sampled_from([" ", "", ", ", "-"]))
def test_random_vocabulary_soup_never_raises_anything_else(pieces: list[str], tags: list[str], glue: str) -> None:
    _check(glue.join(pieces), tags)


@_SETTINGS
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_vocabulary_soup_with_the_usual_tags(pieces: list[str]) -> None:
    _check(" ".join(pieces), ["BG", "logo", "product"])


@_SETTINGS
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_vocabulary_soup_never_drops_a_place_role_or_size_in_silence(pieces: list[str]) -> None:
    # Every place, role or size phrase shows in the Scene or is quoted in a warning (invariant_helpers).
    assert silent_phrases(" ".join(pieces), ["BG", "logo", "product"]) == []


def test_a_parser_bug_reaches_the_user_as_a_prompt_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(prompt_module, "match_phrases", broken)
    with pytest.raises(PromptError, match="internal parser problem") as caught:
        parse("@logo top right", ["logo"])
    assert isinstance(caught.value.__cause__, ValueError)


def test_a_prompt_of_only_a_quoted_text_is_a_text_layer() -> None:
    # Hypothesis found '"0"' with no images: the scene is that one text (its tag is internal, not a session's).
    _check('"0"', [])
    [layer] = parse('"0"', []).scene.layers
    assert layer.text is not None and layer.text.text == "0"


def test_non_text_prompt_is_a_prompt_error() -> None:
    with pytest.raises(PromptError, match="must be text"):
        parse(None, ["logo"])  # type: ignore[arg-type]
