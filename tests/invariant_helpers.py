"""The "never a silent misread" invariant (no tests here): every place, role or size phrase of a prompt is
either applied to a layer of its Scene or named in a warning.

"Applied" is checked loosely — some layer shows it (an anchor, a motion's start or end, a crop's focus, a
region, a grid; a role; a size), not necessarily the layer meant — so the check can fail only when a phrase
left no trace at all and no warning quotes it.
"""

from __future__ import annotations

from imagegen.errors import ImagegenError
from imagegen.prompt import parse
from imagegen.prompt.lexer import Kind, lex, resolve_tags
from imagegen.prompt.meanings import RoleMeaning, SizeMeaning
from imagegen.prompt.phrases import Match, match_phrases
from imagegen.prompt.references import resolve_references
from imagegen.prompt.result import Notes
from imagegen.prompt.vocabulary import named_sizes
from imagegen.scene import Anchor, Scene

_EDGES = (Anchor.TOP, Anchor.BOTTOM, Anchor.LEFT, Anchor.RIGHT)


def silent_phrases(prompt: str, tags: list[str]) -> list[str]:
    """The place, role and size phrases of ``prompt`` that neither show in its Scene nor in a warning."""
    try:
        result = parse(prompt, tags)
    except ImagegenError:
        return []  # refused outright: nothing was misread
    said = " ".join(w.message for w in result.warnings).casefold()
    silent = []
    for match in _phrases(prompt, tags):
        words = prompt[match.start : match.end]
        if words.casefold() in said or _shows(match, result.scene):
            continue
        silent.append(words)
    return silent


def _phrases(prompt: str, tags: list[str]) -> list[Match]:
    """The phrases as the parser matches them: after "the photo" became @BG ("on top of the photo" is a
    relation to @BG, not the place "top")."""
    tokens = resolve_tags(lex(prompt), tags, ImagegenError)
    tokens = resolve_references(tokens, tags, prompt, Notes())
    tokens = [t for t in tokens if t.kind is not Kind.TEXT]  # quoted words are drawn, never read
    items = match_phrases(tokens)
    return [
        item
        for index, item in enumerate(items)
        if isinstance(item, Match) and item.category in ("position", "role", "size") and not _colour_link(items, index)
    ]


def _colour_link(items: list, index: int) -> bool:
    """ "background linen", "a navy background": the word links a colour to the canvas, it is no role."""
    near = [items[k] for k in (index - 1, index + 1) if 0 <= k < len(items)]
    return items[index].category == "role" and any(
        (isinstance(i, Match) and i.category == "colour") or (not isinstance(i, Match) and i.kind is Kind.COLOUR)
        for i in near
    )


def _shows(match: Match, scene: Scene) -> bool:
    value = match.value
    if isinstance(value, Anchor):
        if match.words[-1:] in (("centered",), ("centred",)):  # "at the top, centered": the top's middle
            return any(_placed(layer, value) or layer.anchor in _EDGES for layer in scene.layers)
        return any(_placed(layer, value) for layer in scene.layers) or _split(scene)
    if isinstance(value, RoleMeaning):
        return any(layer.role is value.role for layer in scene.layers) or scene.slideshow is not None
    if isinstance(value, SizeMeaning):
        return any(_sized(layer, value) for layer in scene.layers)
    return True  # a size compared with another image's: its own tests check it


def _placed(layer, anchor: Anchor) -> bool:
    ends = {m.from_anchor for m in layer.motions} | {m.to_anchor for m in layer.motions}
    return layer.anchor is anchor or anchor in ends or layer.focus is not None or layer.region is not None


def _split(scene: Scene) -> bool:
    return any(layer.region is not None or layer.beside is not None for layer in scene.layers)


def _sized(layer, value: SizeMeaning) -> bool:
    if value.fraction is None:
        return True  # "N %": the number's own warnings cover it (checked in test_prompt_values)
    if value.step:  # "a bit bigger": a named size up or down from what it would have had
        return any(abs(layer.size - fraction) < 1e-6 for fraction, _ in named_sizes())
    text = layer.text is not None and value.text is not None
    return abs(layer.size - (value.text if text else value.fraction)) < 1e-6 or layer.region is not None
