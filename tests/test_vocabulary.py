"""The vocabulary table is the single source of words: consistent, complete, and honest about its examples."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from test_prompt_support import TAGS

from imagegen.prompt import parse
from imagegen.prompt.colours import parse_colour
from imagegen.prompt.explain import describe_scene
from imagegen.prompt.lexer import Token, lex
from imagegen.prompt.meanings import (
    AdjustMeaning,
    AlignMeaning,
    CanvasMeaning,
    CaseMeaning,
    FontFamily,
    FontWeight,
    ItalicMeaning,
    LoopMeaning,
    MarginMeaning,
    MotionMeaning,
    MoveVerb,
    OpacityMeaning,
    PathMeaning,
    PingPongMeaning,
    RoleMeaning,
    RotationMeaning,
    SizeMeaning,
    SlideshowMeaning,
    SlideTimeMeaning,
    SpeedMeaning,
    SpinSense,
    StartMeaning,
    TogetherMeaning,
    TransitionMeaning,
)
from imagegen.prompt.phrases import ARTICLES, Match, _compile_phrase, known_words, match_phrases
from imagegen.prompt.vocabulary import CATEGORIES, DEFAULT_SIZES, VOCABULARY, Entry, entries, named_sizes
from imagegen.prompt.words import CLAUSE_WORDS, FILLER
from imagegen.scene import Adjust, Anchor, Border, Easing, Fit, Knockout, Layer, MotionKind, Region, Role, Scene, Shape

IDS = [f"{e.category}/{e.key}" for e in VOCABULARY]


def test_every_entry_is_in_a_known_category_and_every_category_has_entries() -> None:
    assert {e.category for e in VOCABULARY} == set(CATEGORIES)
    assert list(CATEGORIES[:3]) == ["role", "position", "size"]
    for category in CATEGORIES:
        assert entries(category) == tuple(e for e in VOCABULARY if e.category == category)
    assert entries("nonsense") == ()


def test_keys_are_unique_within_a_category() -> None:
    for category in CATEGORIES:
        keys = [e.key for e in entries(category)]
        assert len(keys) == len(set(keys)), category


def test_no_phrase_is_listed_under_two_keys() -> None:
    owners: dict[tuple, set[str]] = defaultdict(set)
    for entry in VOCABULARY:
        for word in entry.words:
            owners[_compile_phrase(word, entry)].add(f"{entry.category}/{entry.key}")
    shared = {pattern: keys for pattern, keys in owners.items() if len(keys) > 1}
    assert shared == {}


def test_filler_and_clause_words_are_not_vocabulary() -> None:
    # Filler is ignored silently; a vocabulary word there would be listed twice (and never act).
    assert FILLER & known_words() == frozenset()
    assert "and" in CLAUSE_WORDS


def test_known_words_cover_the_table_but_not_placeholders() -> None:
    words = known_words()
    assert {"bounce", "top", "right", "navy", "backdrop", "counterclockwise", "fps", "three"} <= words
    assert not {"n", "c", "@tag", "nxn"} & words


@pytest.mark.parametrize("entry", VOCABULARY, ids=IDS)
def test_entry_text_is_usable_on_the_help_page(entry: Entry) -> None:
    assert entry.words and all(w == w.strip() and w for w in entry.words)
    assert entry.meaning[0].isupper() or entry.meaning[0] in "'0123456789"
    assert entry.meaning.endswith((".", ")"))
    assert "@" in entry.example


def _concrete(phrase: str) -> str:
    """A vocabulary phrase with its placeholders filled in, as a user would type it."""
    phrase = phrase.replace("NxN", "1080x1920").replace("@tag", "@logo")
    phrase = re.sub(r"\bN\b", "3", phrase)
    phrase = re.sub(r"\bA\b", "the left", phrase)
    phrase = re.sub(r"\bB\b", "the right", phrase)
    phrase = re.sub(r"\bC\b", "white", phrase)
    return phrase.replace("#rrggbbaa", "#ff006680").replace("#rrggbb", "#ff0066").replace("#rgb", "#f06")


def _phrases() -> list[tuple[Entry, str]]:
    return [(e, w) for e in VOCABULARY for w in e.words if not (e.key == "code" and "(" in w)]


@pytest.mark.parametrize(("entry", "phrase"), _phrases(), ids=[f"{e.key}:{w}" for e, w in _phrases()])
def test_the_parser_recognises_every_phrase_of_the_table(entry: Entry, phrase: str) -> None:
    items = [i for i in match_phrases(lex(_concrete(phrase))) if not (isinstance(i, Token) and i.text in ARTICLES)]
    assert len(items) == 1 and isinstance(items[0], Match), (phrase, items)
    assert (items[0].category, items[0].key) == (entry.category, entry.key)


def _subject(example: str, scene: Scene) -> Layer:
    texts = [layer for layer in scene.layers if layer.text is not None]
    if texts:  # the text rows' examples are about their quoted text
        return texts[0]
    first = re.search(r"@(\w+)", example)
    assert first is not None
    try:
        return scene.layer(first.group(1))
    except KeyError:  # a slide of a slideshow, not a layer
        return Layer(first.group(1))


# What each example must produce when the entry's value alone does not say it (numbers, paths).
_SPECIAL = {
    ("size", "percent"): lambda s, lay: lay.size == 0.15,
    ("canvas", "custom"): lambda s, lay: s.canvas.size == (1080, 1920),
    ("colour", "css-name"): lambda s, lay: s.canvas.background == parse_colour("navy"),
    ("colour", "code"): lambda s, lay: s.canvas.background == (255, 0, 102, 255),
    ("colour", "transparent"): lambda s, lay: s.canvas.background is None,
    ("colour", "background-colour"): lambda s, lay: s.canvas.background == (0, 0, 0, 255),
    ("style", "opacity"): lambda s, lay: lay.opacity == 0.5,
    ("style", "transparency"): lambda s, lay: abs(lay.opacity - 0.8) < 1e-9,
    ("style", "rotation"): lambda s, lay: lay.rotation == 15,
    ("style", "angle"): lambda s, lay: lay.rotation == -20,
    ("style", "margin"): lambda s, lay: lay.margin == 0.08,
    ("motion", "still"): lambda s, lay: lay.motions == () and s.animated,
    ("direction", "from-to"): lambda s, lay: _path(lay, Anchor.TOP_LEFT, Anchor.BOTTOM_RIGHT, False, False),
    ("direction", "in-from"): lambda s, lay: _path(lay, Anchor.LEFT, None, True, False),
    ("direction", "from"): lambda s, lay: _path(lay, Anchor.BOTTOM, None, False, False),
    ("direction", "to"): lambda s, lay: _path(lay, None, Anchor.RIGHT, False, False),
    ("direction", "out-to"): lambda s, lay: _path(lay, None, Anchor.RIGHT, False, True),
    ("timing", "seconds"): lambda s, lay: s.timing.duration_s == 3,
    ("timing", "milliseconds"): lambda s, lay: s.timing.duration_s == 1.5,
    ("timing", "minutes"): lambda s, lay: s.timing.duration_s == 60,
    ("timing", "fps"): lambda s, lay: s.timing.fps == 30,
    ("timing", "repeat"): lambda s, lay: lay.motions[0].repeats == 3,
    ("timing", "loop-count"): lambda s, lay: s.timing.loops == 3,
    ("relation", "over"): lambda s, lay: s.tags == ("BG", "logo") and s.layer("BG").role is Role.BACKGROUND,
    ("relation", "across"): lambda s, lay: s.layer("BG").role is Role.BACKGROUND and lay.motions[0].exits,
    ("relation", "in-front-of"): lambda s, lay: s.tags == ("product", "logo"),
    ("relation", "behind"): lambda s, lay: s.tags == ("product", "logo"),
    ("relation", "backdrop"): lambda s, lay: s.tags == ("BG", "logo") and s.layer("BG").role is Role.BACKGROUND,
    ("style", "margin-px"): lambda s, lay: lay.margin_px == 40,  # in the units said: 40 px at every size
    ("layout", "half"): lambda s, lay: lay.region == Region(0, 0, 0.5, 1) and s.canvas.size == (1200, 628),
    ("layout", "third"): lambda s, lay: abs(lay.region.left - 2 / 3) < 1e-9 and lay.region.width == 1 / 3,
    ("layout", "band"): lambda s, lay: lay.region == Region(0, 0, 0.4, 1),
    ("layout", "fit"): lambda s, lay: lay.region == Region(0.5, 0, 0.5, 1) and lay.fit is Fit.CONTAIN,
    ("layout", "fill"): lambda s, lay: lay.region == Region(0.5, 0, 0.5, 1) and lay.fit is Fit.COVER,
    ("layout", "next-to"): lambda s, lay: _row(s, "product", "logo", across=True),
    ("layout", "left-of"): lambda s, lay: _row(s, "logo", "product", across=True),
    ("layout", "above"): lambda s, lay: _row(s, "logo", "product", across=False),
    ("layout", "below"): lambda s, lay: _row(s, "product", "logo", across=False),
    ("layout", "side-by-side"): lambda s, lay: _row(s, "BG", "product", across=True, fit=None),
    ("layout", "grid"): lambda s, lay: [x.region.box(s.canvas.size)[0] for x in s.layers] == [0, 367, 733],
    ("layout", "grid-size"): lambda s, lay: {x.region.height for x in s.layers} == {1.0} and len(s.layers) == 3,
    ("layout", "row"): lambda s, lay: {x.region.top for x in s.layers} == {0.0} and len(s.layers) == 3,
    ("layout", "column"): lambda s, lay: _row(s, "BG", "product", across=False, fit=None),
    ("layout", "gap"): lambda s, lay: (
        s.layer("logo").region.gap == 40 and s.layer("logo").region.box((1080, 1080))[0] == 560
    ),
    ("clean-up", "knockout"): lambda s, lay: lay.knockout == Knockout((255, 255, 255)),
    ("effect", "blur-px"): lambda s, lay: _effect(lay, Adjust.BLUR, 12.0),
    ("effect", "darker-by"): lambda s, lay: _effect(lay, Adjust.BRIGHTNESS, 0.6),
    ("effect", "lighter-by"): lambda s, lay: _effect(lay, Adjust.BRIGHTNESS, 1.2),
    ("effect", "glow-px"): lambda s, lay: _effect(lay, Adjust.GLOW, 24.0),
    ("effect", "overlay"): lambda s, lay: _effect(lay, Adjust.OVERLAY, None, (0, 0, 128, 128)),
    ("effect", "tint"): lambda s, lay: _effect(lay, Adjust.TINT, None, (0, 0, 255, 255)),
    ("effect", "duotone"): lambda s, lay: _effect(
        lay, Adjust.DUOTONE, None, (0, 0, 128, 255), colour2=(255, 192, 203, 255)
    ),
    ("effect", "scrim"): lambda s, lay: _effect(lay, Adjust.SCRIM, 0.45, (0, 0, 0, 191), side="bottom"),
    ("clean-up", "knockout-all"): lambda s, lay: lay.knockout == Knockout((255, 255, 255), everywhere=True),
    ("clean-up", "circle"): lambda s, lay: lay.shape is Shape.CIRCLE and lay.anchor is Anchor.CENTER,
    ("clean-up", "rounded"): lambda s, lay: lay.shape is Shape.ROUNDED,
    ("clean-up", "crop"): lambda s, lay: lay.focus == (0.5, 0.0) and lay.role is Role.BACKGROUND,
    ("clean-up", "border"): lambda s, lay: lay.border == Border(10, (255, 255, 255, 255)),
    ("clean-up", "outline"): lambda s, lay: lay.border == Border(4, (255, 0, 0, 255)),
    ("clean-up", "thick-outline"): lambda s, lay: lay.border == Border(8, (0, 0, 0, 255)),
    ("clean-up", "thin-outline"): lambda s, lay: lay.border == Border(2, (255, 0, 0, 255)),
    ("clean-up", "thick-border"): lambda s, lay: lay.border == Border(24, (255, 255, 255, 255)),
    ("clean-up", "thin-border"): lambda s, lay: lay.border == Border(4, (255, 255, 255, 255)),
    ("size", "twice-as-big"): lambda s, lay: (lay.size, s.layer("logo").size) == (0.4, 0.2),
    ("size", "half-as-big"): lambda s, lay: (lay.size, s.layer("product").size) == (0.15, 0.3),
    ("size", "same-size"): lambda s, lay: (lay.size, s.layer("product").size) == (0.2, 0.2),
    ("size", "bigger-than"): lambda s, lay: (lay.size, s.layer("logo").size) == (0.3, 0.2),
    ("size", "smaller-than"): lambda s, lay: (lay.size, s.layer("product").size) == (0.4, 0.6),
    ("size", "times-as-big"): lambda s, lay: (lay.size, s.layer("logo").size) == (0.3, 0.1),
    ("colour", "on-colour"): lambda s, lay: s.canvas.background == parse_colour("navy") and lay.anchor is Anchor.CENTER,
    ("clean-up", "drop-shadow"): lambda s, lay: lay.shadow is not None and lay.shadow.dx > 0 and lay.shadow.blur > 0,
    ("clean-up", "soft-shadow"): lambda s, lay: lay.shadow is not None and lay.shadow.dx == 0 and lay.shadow.blur >= 12,
    ("text", "px"): lambda s, lay: lay.text.font_px == 48 and lay.anchor is Anchor.TOP,
    ("text", "banner"): lambda s, lay: lay.text.banner == RED and lay.text.radius_em == 0,
    ("text", "pill"): lambda s, lay: lay.text.banner == WHITE and lay.text.radius_em >= 0.9,
    ("text", "padding"): lambda s, lay: lay.text.banner == RED and lay.text.padding_em == 0.6,
    ("text", "padding-px"): lambda s, lay: lay.text.banner == RED and lay.text.padding_em == 24 / 96,
    ("motion", "fly"): lambda s, lay: _path(lay, Anchor.BOTTOM, Anchor.TOP, True, True),
    ("motion", "drop-in"): lambda s, lay: _path(lay, Anchor.TOP, None, True, False) and lay.anchor is Anchor.TOP_RIGHT,
    ("motion", "pan"): lambda s, lay: lay.role is Role.BACKGROUND and lay.motions[0].kind is MotionKind.PAN,
}
BLACK, WHITE, RED = (0, 0, 0, 255), (255, 255, 255, 255), (255, 0, 0, 255)


def _row(scene: Scene, first: str, second: str, *, across: bool, fit: Fit | None = Fit.CONTAIN) -> bool:
    """``first`` then ``second`` share the canvas side by side (``across``) or stacked, 20 px apart."""
    a, b = scene.layer(first).region, scene.layer(second).region
    if a is None or b is None or scene.layer(first).fit is not fit:
        return False
    (al, at, ar, ab), (bl, bt, _, _) = a.box(scene.canvas.size), b.box(scene.canvas.size)
    return (al, bl - ar) == (0, 20) if across else (at, bt - ab) == (0, 20)


def _path(lay: Layer, start: Anchor | None, end: Anchor | None, enters: bool, exits: bool) -> bool:
    (slide,) = lay.motions
    return (slide.kind, slide.from_anchor, slide.to_anchor, slide.enters, slide.exits) == (
        MotionKind.SLIDE,
        start,
        end,
        enters,
        exits,
    )


def _by_value(entry: Entry, scene: Scene, lay: Layer) -> bool:
    """The example shows the entry's own (typed) value."""
    value = entry.value
    match value:
        case RoleMeaning():
            return lay.role is value.role and lay.stretch is value.stretch
        case Anchor():
            return lay.anchor is value
        case SizeMeaning() if value.step:  # "bigger": one named size from the default for its place
            return lay.size == _one_step(lay, value.step)
        case SizeMeaning():
            return lay.size == value.fraction
        case CanvasMeaning():
            return scene.canvas.size == value.size
        case OpacityMeaning():
            return lay.opacity == value.fixed
        case RotationMeaning():
            return lay.rotation == value.fixed
        case MarginMeaning():
            return lay.margin == value.fixed
        case MotionMeaning():
            (first,) = lay.motions
            return (first.kind, first.easing, first.pingpong) == (value.kind, value.easing, value.pingpong)
        case MoveVerb():
            (first,) = lay.motions
            return (first.kind, first.easing) == (MotionKind.SLIDE, Easing.EASE_IN_OUT)
        case SpinSense():
            (first,) = lay.motions
            return first.kind is MotionKind.SPIN and first.clockwise is value.clockwise
        case PathMeaning():
            return _direction(value, lay)
        case SpeedMeaning():
            return scene.timing.duration_s == 2.0 * value.factor
        case LoopMeaning():
            return scene.timing.loops == value.count
        case PingPongMeaning():
            return lay.motions[0].pingpong is True
        case Easing():
            return lay.motions[0].easing is value
        case FontWeight():
            return lay.text is not None and lay.text.weight == value.weight
        case ItalicMeaning():
            return lay.text is not None and lay.text.italic
        case FontFamily():
            return lay.text is not None and lay.text.family == value.family
        case AlignMeaning():
            return lay.text is not None and lay.text.align is value.align
        case CaseMeaning():
            return lay.text is not None and lay.text.case is value.case
        case SlideshowMeaning():
            shown = scene.slideshow.tags if scene.slideshow is not None else ()
            return len(shown) >= 2 and shown == ("BG", "product", "logo")[: len(shown)]
        case SlideTimeMeaning():
            return scene.slideshow is not None and {s.seconds for s in scene.slideshow.slides} == {3.0}
        case StartMeaning():
            return [(m.start, m.end) for m in scene.layer("product").motions] == [(0.5, 0.75)]
        case TogetherMeaning():
            spin, zoom = scene.layer("product").motions[0], scene.layer("BG").motions[0]
            return (spin.start, spin.end) == (zoom.start, zoom.end) == (0.5, 1.0)
        case TransitionMeaning():
            return scene.slideshow is not None and scene.slideshow.transition is value.transition
        case AdjustMeaning():
            return _effect_shown(value, lay)
    raise AssertionError(f"no check for {entry.category}/{entry.key}")


def _effect_shown(value: AdjustMeaning, lay: Layer) -> bool:
    """The example's layer has the row's effect with the row's own amount and colour."""
    (effect,) = lay.effects
    return (effect.kind, effect.amount) == (value.kind, value.amount) and (
        value.colour is None or effect.colour == value.colour
    )


def _effect(lay: Layer, kind: Adjust, amount: float | None, colour: tuple | None = None, **more: object) -> bool:
    (effect,) = lay.effects
    same = all(getattr(effect, name) == wanted for name, wanted in more.items())
    return (effect.kind, effect.amount) == (kind, amount) and (colour is None or effect.colour == colour) and same


def _direction(value: PathMeaning, lay: Layer) -> bool:
    (first,) = lay.motions
    return (first.from_anchor, first.to_anchor, first.enters, first.exits, first.pingpong) == (
        value.start,
        value.end,
        value.enters,
        value.exits,
        value.pingpong,
    )


def _one_step(lay: Layer, step: int) -> float:
    place = "center" if lay.anchor is Anchor.CENTER else "corner" if lay.anchor.is_corner else "edge"
    default = DEFAULT_SIZES[place]
    named = [fraction for fraction, _ in named_sizes()]
    return min(f for f in named if f > default) if step > 0 else max(f for f in named if f < default)


@pytest.mark.parametrize("entry", VOCABULARY, ids=IDS)
def test_every_example_parses_and_does_what_the_entry_says(entry: Entry) -> None:
    result = parse(entry.example, TAGS)
    assert [w for w in result.warnings if not w.quiet] == []
    scene = result.scene
    if scene.animated and not isinstance(entry.value, LoopMeaning):
        # The motion as its words say it: by default a loop makes it come back (checked below, per example).
        scene = parse(f"{entry.example}, play once", TAGS).scene
    lay = _subject(entry.example, scene)
    check = _SPECIAL.get((entry.category, entry.key))
    assert check(scene, lay) if check else _by_value(entry, scene, lay), describe_scene(scene)


@pytest.mark.parametrize("entry", [e for e in VOCABULARY if parse(e.example, TAGS).scene.animated], ids=str)
def test_every_animated_example_loops_without_a_jump_or_plays_as_said(entry: Entry) -> None:
    scene = parse(entry.example, TAGS).scene
    lines = describe_scene(scene)
    assert ("loops seamlessly" in lines[0]) is (scene.timing.loops == 0), lines[0]
    assert scene.timing.loops == 0 or isinstance(entry.value, LoopMeaning), lines[0]
