"""Canvas colours in a segment: "on a black background", "background colour #f06", "transparent background".

A colour counts as the canvas colour when a background word is next to it, or when it stands alone in
a clause about no image ("…, red"). Elsewhere ("a white @logo") it is reported and ignored. In a segment
about a quoted text, :func:`text_colours` first takes the colours that are the text's: next to an
effect ("black outline", "outline in black", "on a red banner") or on their own ("in white").
"""

from __future__ import annotations

from collections.abc import Callable

from imagegen.prompt.clauses import Segment
from imagegen.prompt.colours import parse_colour
from imagegen.prompt.facts import GlobalFacts, TextStyle
from imagegen.prompt.lexer import Kind, Token
from imagegen.prompt.meanings import (
    BorderMeaning,
    ColourMeaning,
    ColourSource,
    EffectKind,
    RoundedMeaning,
    ShadowMeaning,
    TextEffect,
)
from imagegen.prompt.phrases import ARTICLES, Item, Match, neighbour
from imagegen.prompt.result import Notes
from imagegen.prompt.words import COLOUR_LINKS
from imagegen.scene import RGBA


def canvas_colours(seg: Segment, g: GlobalFacts, notes: Notes, said: Callable[[Item], str]) -> set[int]:
    """Record canvas colours found in ``seg`` into ``g``; return the indices of the items used."""
    items = seg.items
    used: set[int] = set()
    for index, item in enumerate(items):
        is_colour, value = _colour_value(item)
        if not is_colour:
            continue
        used.add(index)
        words = said(item)
        # "transparent background", "on white": the phrase itself names the canvas colour
        is_whole = isinstance(item, Match) and ("background" in item.words or item.key == "on-colour")
        trigger = None if is_whole else _colour_trigger(items, index)
        if trigger is not None:
            used.add(trigger)
        elif not is_whole and (seg.tag is not None or seg.pronoun):
            notes.add(_ignored_colour(words), words)
            continue
        _set_background(g, notes, value, words)
    return used


def text_colours(items: list[Item], style: TextStyle) -> set[int]:
    """Record the text's colours from ``items`` into ``style``; return the indices used (canvas ones are left)."""
    used: set[int] = set()
    for index, item in enumerate(items):
        is_colour, value = _colour_value(item)
        if not is_colour or value is None:
            continue  # "transparent" is about the canvas
        trigger = _colour_trigger(items, index)
        if trigger is not None and not _is_colour_word(items[trigger]):
            continue  # "red background": the canvas
        effect = _effect_next_to(items, index, after_only=_is_on(item))
        if _is_on(item) and effect is None:
            continue  # "'Sale' in white on black": black is the canvas
        used.add(index)
        if trigger is not None:
            used.add(trigger)  # "colour red" said of a text: the text's colour
        if effect is None:
            style.colour = value  # type: ignore[assignment]
        else:
            style.effects[effect[1]] = value  # type: ignore[assignment]
    return used


def frame_colours(items: list[Item]) -> tuple[dict[int, RGBA], set[int]]:
    """An image's frame colours: a colour next to its border, outline or shadow ("outline in red", "border in
    navy", "a grey shadow").

    :return: the colour per border/outline/shadow phrase (keyed by the phrase's ``id``), and the indices
        of the colours used.
    """
    colours: dict[int, RGBA] = {}
    used: set[int] = set()
    for index, item in enumerate(items):
        is_colour, value = _colour_value(item)
        if not is_colour or value is None or _colour_trigger(items, index) is not None or _is_on(item):
            continue  # "outline on black": black is the canvas, not the outline
        effect = _effect_next_to(items, index)
        if effect is not None and isinstance(items[effect[0]].value, (BorderMeaning, ShadowMeaning)):
            colours[id(items[effect[0]])] = value  # type: ignore[assignment]
            used.add(index)
    return colours, used


def _is_colour_word(item: Item) -> bool:
    return isinstance(item, Match) and item.key == "background-colour" and item.words in (("colour",), ("color",))


def _is_on(item: Item) -> bool:
    """ "on white": a colour the phrase itself gives to the canvas (unless an effect follows: "on a red banner")."""
    return isinstance(item, Match) and item.key == "on-colour"


def _effect_next_to(items: list[Item], index: int, after_only: bool = False) -> tuple[int, EffectKind] | None:
    """The effect a colour belongs to, and where it is: right after it ("red banner", "white rounded box")
    or right before it ("outline in black", "banner red"; not for ``after_only``: "outline on black")."""
    sides = ((1, ARTICLES),) if after_only else ((1, ARTICLES), (-1, ARTICLES | COLOUR_LINKS))
    for step, skip in sides:
        at = index + step
        while 0 <= at < len(items):
            item = items[at]
            if isinstance(item, Match) and isinstance(item.value, TextEffect):
                return at, item.value.effect
            if isinstance(item, Match) and isinstance(item.value, (BorderMeaning, ShadowMeaning)):
                return at, EffectKind.OUTLINE if isinstance(item.value, BorderMeaning) else EffectKind.SHADOW
            if isinstance(item, Match) and isinstance(item.value, RoundedMeaning):
                at += step
                continue
            if isinstance(item, Token) and item.kind is Kind.WORD and item.text in skip:
                at += step
                continue
            break
    return None


def _is_background_word(item: Item) -> bool:
    # Only the word itself links a colour: "fullscreen magenta" is no "magenta background".
    return isinstance(item, Match) and (
        (item.category == "role" and item.key == "background" and bool(_BACKGROUND_WORDS & set(item.words)))
        or (item.category == "colour" and item.key == "background-colour")
    )


_BACKGROUND_WORDS = frozenset({"background", "backdrop", "bg"})


def _colour_value(item: Item) -> tuple[bool, object]:
    """(is a colour, RGBA or None) for a colour phrase or code."""
    if isinstance(item, Token):
        return (True, parse_colour(item.text)) if item.kind is Kind.COLOUR else (False, None)
    if item.category != "colour" or item.key == "background-colour":
        return False, None
    if isinstance(item.value, ColourMeaning) and item.value.source is ColourSource.BRAND:
        return True, item.value.rgba
    if item.key == "code":
        return True, parse_colour(item.captures[0].text)
    if item.key == "on-colour":
        return True, parse_colour(item.colours[0])
    if item.key == "transparent":
        return True, None
    return True, parse_colour(" ".join(item.words))


def _colour_trigger(items: list[Item], index: int) -> int | None:
    after = neighbour(items, index, 1, ARTICLES)
    if after is not None and _is_background_word(after[1]):
        return after[0]
    before = neighbour(items, index, -1, ARTICLES | COLOUR_LINKS)
    if before is not None and _is_background_word(before[1]):
        return before[0]
    return None


def _ignored_colour(said: str) -> str:
    if said.casefold() == "transparent":
        return (
            '"transparent" was ignored — say "transparent background" for a see-through canvas, '
            'or "semi-transparent" for a see-through image.'
        )
    return (
        f'The colour "{said}" was ignored — an image keeps its own colours: say "{said} background" to colour the '
        f'canvas, or "tinted {said}" to tint the image.'
    )


def _set_background(g: GlobalFacts, notes: Notes, value: object, said: str) -> None:
    if g.background_said and g.background != value:
        notes.add(
            f'The background colour is given twice ("{g.background_text}", then "{said}") — using "{said}".',
            said,
        )
    g.background, g.background_text = value, said
