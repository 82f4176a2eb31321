"""Follow-up edits: ``Scene x instruction -> Scene``, a pure function, with the difference in words.

An instruction uses the prompt's vocabulary (:data:`~imagegen.prompt.vocabulary.VOCABULARY`) plus the
edit verbs (:data:`~imagegen.prompt.vocabulary.EDIT_VOCABULARY`), relative where the words are relative:

* "make @logo bigger / smaller" (one named size up or down), "20 % larger", "make @logo huge";
* "move @logo to the bottom left", "move @logo up" (to the top row), "move @logo up a bit" (4 % nudge);
* "slower", "faster", "twice as fast", "half as fast" (the duration changes, the motion stays);
* "remove @product", "swap @logo and @product";
* "make the background black" (the canvas colour), "now as an Instagram story" (the canvas size);
* "as MP4" (the output format: not part of the Scene, returned beside it).

Anything that cannot apply is a :class:`~imagegen.errors.PromptError` saying what would work; a change
beyond a limit is a :class:`~imagegen.errors.LimitError` (never clamped).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from imagegen.errors import LimitError, PromptError, UnknownTagError, did_you_mean, suggest
from imagegen.export.formats import FORMATS, OutputFormat
from imagegen.limits import LIMITS, Limits, check_canvas, check_prompt_length, check_text, check_timing
from imagegen.prompt.brand import BrandWords
from imagegen.prompt.colours import parse_colour
from imagegen.prompt.explain import effect_words
from imagegen.prompt.interpret import effect_of
from imagegen.prompt.lexer import Kind, Token, lex, resolve_tags
from imagegen.prompt.meanings import (
    AdjustMeaning,
    CanvasMeaning,
    ColourMeaning,
    ColourSource,
    EditKind,
    EditMeaning,
    PathMeaning,
    RepeatMeaning,
    SizeMeaning,
    SpeedMeaning,
)
from imagegen.prompt.phrases import Match, match_phrases
from imagegen.prompt.texts import clean_words
from imagegen.prompt.vocabulary import (
    COUNT_WORDS,
    EDIT_VOCABULARY,
    TEXT_NAMES,
    VOCABULARY,
    Entry,
    named_sizes,
    size_name,
)
from imagegen.prompt.words import FILLER
from imagegen.scene import Adjust, Anchor, Effect, Layer, Role, Scene
from imagegen.store.tags import tag_key

NUDGE = 0.04  # "a bit": this fraction of the canvas's shorter side
_HINT = (
    "try 'make @logo bigger', 'move @logo to the bottom left', 'remove @logo', 'swap @a and @b', "
    "'slower', 'twice as fast', 'make the background black', 'now as an Instagram story' or 'as MP4'"
)
_QUIET = FILLER | {"the", "a", "an", "it", "them", "now", "as", "in", "to", "and", "of", "with", "make", "move"}
_QUIET |= {"times", "half", "%", ",", "."}


@dataclass(frozen=True)
class EditResult:
    """The edited Scene, one line per difference, and the output format when the edit named one."""

    scene: Scene
    changes: tuple[str, ...]
    fmt: OutputFormat | None = None


def apply_edits(
    scene: Scene, edits: Sequence[str], *, limits: Limits = LIMITS, brand: BrandWords | None = None
) -> EditResult:
    """Apply ``edits`` in order; the changes are listed per edit, the last format named wins."""
    changes: list[str] = []
    fmt: OutputFormat | None = None
    for text in edits:
        result = apply_edit(scene, text, limits=limits, brand=brand)
        scene, fmt = result.scene, result.fmt or fmt
        changes += result.changes
    return EditResult(scene, tuple(changes), fmt)


def apply_edit(scene: Scene, text: str, *, limits: Limits = LIMITS, brand: BrandWords | None = None) -> EditResult:
    """``scene`` changed as ``text`` says (a pure function: ``scene`` itself is never modified); ``brand``: a
    brand kit's words ("make the background brand blue").

    :raise PromptError: nothing in ``text`` is a change, or it cannot apply (unknown tag, no text layer,
        nothing moves...), with what would work. :raise LimitError: the change goes past a limit.
    """
    if not isinstance(text, str) or not text.strip():
        raise PromptError(f"The change is empty — {_HINT}.")
    check_prompt_length(text, limits)
    text, fmt = _format_words(text)
    tokens = resolve_tags(lex(text), [layer.tag for layer in scene.layers], _unknown_tag(scene))
    verbs, tokens = _edit_verbs(tokens)
    items = match_phrases(tokens, brand.vocabulary if brand is not None and brand.entries else VOCABULARY)
    tags = tuple(dict.fromkeys(t.text for t in tokens if t.kind is Kind.TAG))
    edit = _Edit(scene, limits, tags, verbs, items, text)
    edit.fmt = fmt
    after = edit.run()
    said = [f"format: {fmt.name}"] if fmt is not None else []
    return EditResult(after, tuple(describe_changes(scene, after) + said + edit.notes), edit.fmt)


def _format_words(text: str) -> tuple[str, OutputFormat | None]:
    """Take output format names ("as MP4", "gif") out of the text: the format is not part of the Scene."""
    names = {s.lstrip("."): fmt for fmt, record in FORMATS.items() for s in record.suffixes}
    pattern = re.compile(r"(?<![\w.])\.?(" + "|".join(sorted(names, key=len, reverse=True)) + r")\b", re.IGNORECASE)
    found = [names[m.group(1).lower()] for m in pattern.finditer(text)]
    return pattern.sub(" ", text), (found[-1] if found else None)


def _unknown_tag(scene: Scene) -> Callable[[str], PromptError]:
    """The error for a tag the composition does not hold: a slide says so, any other names the closest."""

    def error(name: str) -> PromptError:
        if tag_key(name) in _slide_keys(scene):
            return PromptError(
                f"@{name} is a slide of the slideshow: a change can move, resize or remove the layers "
                f"over it, not a slide. This composition holds {_holds(scene)}."
            )
        slides = list(scene.slideshow.tags) if scene.slideshow is not None else []
        close = suggest(name, [layer.tag for layer in scene.layers] + slides)
        return UnknownTagError(
            f"@{name} is not in this composition.{did_you_mean(close and f'@{close}')} It holds {_holds(scene)}."
        )

    return error


def _slide_keys(scene: Scene) -> set[str]:
    return {tag_key(tag) for tag in scene.slideshow.tags} if scene.slideshow is not None else set()


def _holds(scene: Scene) -> str:
    """What a composition holds, in words: its layers, then its slideshow ("nothing" when empty)."""
    parts = [layer.name for layer in scene.layers]
    if scene.slideshow is not None and scene.slideshow.tags:
        parts.append("a slideshow of " + ", ".join(f"@{tag}" for tag in scene.slideshow.tags))
    return ", ".join(parts) or "nothing"


def _edit_verbs(tokens: list[Token]) -> tuple[list[EditKind], list[Token]]:
    """Take the edit verbs out of the tokens, matched as the prompt's phrases are (longest first)."""
    found: list[EditKind] = []
    rest: list[Token] = []
    for item in match_phrases(tokens, EDIT_VOCABULARY):
        if isinstance(item, Match):
            found.append(_kind(item.entry))
        else:
            rest.append(item)
    return found, rest


def _kind(entry: Entry) -> EditKind:
    assert isinstance(entry.value, EditMeaning)
    return entry.value.kind


def size_words(fraction: float) -> str:
    """``small (20 %)`` for a named size, else ``27 %``."""
    name = size_name(round(fraction, 4))
    percent = f"{fraction * 100:g} %"
    return f"{name} ({percent})" if name else percent


class _Edit:
    """One instruction applied to one Scene; each ``_apply_*`` returns whether it recognised something."""

    def __init__(
        self, scene: Scene, limits: Limits, tags: tuple[str, ...], verbs: list[EditKind], items: list, text: str
    ) -> None:
        self.scene = scene
        self.limits = limits
        self.tags = tags
        self.verbs = verbs
        self.items = items
        self.text = text
        self.fmt: OutputFormat | None = None
        self.notes: list[str] = []
        self.matches = [i for i in items if isinstance(i, Match)]
        self.quoted = [clean_words(i.text)[0] for i in items if isinstance(i, Token) and i.kind is Kind.TEXT]
        self.words = [i.text for i in items if isinstance(i, Token) and i.kind is Kind.WORD]

    def run(self) -> Scene:
        texts = self._texts()
        about_text = EditKind.RETEXT in self.verbs or bool(TEXT_NAMES & set(self.words) and not self.tags)
        if about_text and not texts:
            raise PromptError(
                'This composition has no text to change — add it in the prompt (e.g. \'"Summer Sale" at the '
                f"top'), or name an image, e.g. 'make @{self._example_tag()} bigger'."
            )
        if EditKind.RETEXT in self.verbs or (len(self.quoted) >= 2 and texts):  # change "Sale" to "Last day!"
            self._retext(texts)
            self._unused_words()
            return self.scene
        if about_text:
            self.tags = texts  # "make the text bigger", "move the headline to the top"
        done = False
        steps = (
            self._remove,
            self._swap,
            self._format,
            self._canvas,
            self._colour,
            self._speed,
            self._effects,
            self._layer,
        )
        for step in steps:
            done = step() or done
        if not done:
            raise PromptError(f"'{self.text.strip()[:60]}' is not a change this app understands — {_HINT}.")
        self._unused_words()
        return self.scene

    # --- each kind of change ------------------------------------------------------------------------------
    def _retext(self, texts: tuple[str, ...]) -> None:
        """'change the headline to "Last day!"' (one text), or 'change "Sale" to "Last day!"' (several)."""
        words = {tag: self.scene.layer(tag).text.text for tag in texts}  # type: ignore[union-attr]
        listed = ", ".join(f'"{w}"' for w in words.values())
        if not self.quoted:
            raise PromptError('Put the new words in quotes, e.g. change the headline to "Last day!".')
        if len(self.quoted) >= 2:
            old, new = self.quoted[0], self.quoted[-1]
            target = next((tag for tag, said in words.items() if said == old), None)
            if target is None:
                raise PromptError(f'No text reads "{old}" — the texts are {listed}.')
        elif len(texts) == 1:
            target, new = texts[0], self.quoted[0]
        else:
            raise PromptError(
                f'This composition has {len(texts)} texts ({listed}) — say which, e.g. change "{words[texts[0]]}" '
                f'to "{self.quoted[0]}".'
            )
        check_text([*(w for tag, w in words.items() if tag != target), new], self.limits)
        self.words = [w for w in self.words if w not in ("change", "replace", "with")]  # the verb, said
        layer = self.scene.layer(target)
        changed = replace(layer, text=replace(layer.text, text=new))  # type: ignore[arg-type]
        self.scene = replace(self.scene, layers=tuple(changed if x.tag == target else x for x in self.scene.layers))

    def _remove(self) -> bool:
        if EditKind.REMOVE not in self.verbs:
            return False
        if self._effect_matches():  # "remove the overlay": the effect goes, the image stays
            self._remove_effects({m.value.kind for m in self._effect_matches()})
            return True
        targets = self._targets("remove")
        kept = tuple(layer for layer in self.scene.layers if layer.tag not in targets)
        if not kept:
            raise PromptError("That would remove every image — keep at least one, or start a new prompt.")
        self.scene = replace(self.scene, layers=kept)
        self.tags = ()
        return True

    def _swap(self) -> bool:
        if EditKind.SWAP not in self.verbs:
            return False
        if len(self.tags) != 2:
            raise PromptError(f"Swap needs two images, e.g. 'swap @{self.scene.tags[0]} and @{self.scene.tags[-1]}'.")
        a, b = self.tags
        renamed = {a: b, b: a}
        layers = tuple(replace(layer, tag=renamed.get(layer.tag, layer.tag)) for layer in self.scene.layers)
        self.scene = replace(self.scene, layers=layers)
        self.tags = ()
        return True

    def _format(self) -> bool:
        return self.fmt is not None

    def _canvas(self) -> bool:
        found = [m for m in self.matches if isinstance(m.value, CanvasMeaning)]
        if not found:
            return False
        m = found[-1]
        size = m.value.size or (round(m.numbers[0]), round(m.numbers[1]))
        check_canvas(size[0], size[1], self.limits)
        self.scene = replace(self.scene, canvas=replace(self.scene.canvas, width=size[0], height=size[1]))
        return True

    def _colour(self) -> bool:
        found = [
            m for m in self.matches if isinstance(m.value, ColourMeaning) and m.value.source is not ColourSource.LINK
        ]
        if not found:
            return False
        chosen = found[-1].value
        assert isinstance(chosen, ColourMeaning)
        colour = chosen.rgba if chosen.source is ColourSource.BRAND else parse_colour(" ".join(found[-1].words))
        said = " ".join(found[-1].words)
        texts = tuple(tag for tag in self.tags if self.scene.layer(tag).text is not None)
        images = [tag for tag in self.tags if tag not in texts]
        if images:  # "make @logo blue": not the canvas behind it (it used to change, in silence)
            example = (
                f"'make the headline {said}'" if self._texts() else f"'\"Sale\" in {said} at the top' in the prompt"
            )
            raise PromptError(
                f"The colours of an image cannot be changed — @{images[0]} keeps its own. Say "
                f"'make the background {said}' for the canvas behind the images, or {example} for a text."
            )
        if texts:  # "make the headline red": the words' colour
            self._recolour_texts(texts, colour)
            return True
        self.scene = replace(self.scene, canvas=replace(self.scene.canvas, background=colour))
        cover = next(
            (layer for layer in self.scene.layers if layer.role is Role.BACKGROUND and layer.opacity >= 1), None
        )
        if cover is not None:
            self.notes.append(
                f"note: @{cover.tag} covers the canvas, so its colour shows only where @{cover.tag} does not."
            )
        return True

    def _speed(self) -> bool:
        found = [m for m in self.matches if isinstance(m.value, SpeedMeaning)]
        if not found:
            return False
        if not self.scene.animated:
            raise PromptError("Nothing moves in this composition, so it has no speed — add a motion first.")
        factor = found[-1].value.factor
        count = self._count_before(found[-1])
        if count is not None:
            factor = 1 / count if factor < 1 else count
        duration = self.scene.timing.duration_s * factor
        check_timing(duration, self.scene.timing.fps, self.limits)
        self.scene = replace(self.scene, timing=replace(self.scene.timing, duration_s=round(duration, 6)))
        return True

    def _count_before(self, m: Match) -> float | None:
        """The N of "N times as fast" / "twice as fast" / "half as fast" just before ``m``."""
        index = self.items.index(m)
        before = [
            i for i in self.items[max(0, index - 4) : index] if not (isinstance(i, Token) and i.text in ("as", "times"))
        ]
        for item in reversed(before):
            if isinstance(item, Match) and isinstance(item.value, RepeatMeaning) and item.numbers:
                return float(item.numbers[0])  # "3 times" as fast
            if isinstance(item, Token) and item.kind is Kind.NUM:
                return float(item.value)
            if isinstance(item, Token) and item.text in COUNT_WORDS:
                return float(COUNT_WORDS[item.text])
            if isinstance(item, Token) and item.text == "half":
                return 0.5
        return None

    def _layer(self) -> bool:
        sizes = [m for m in self.matches if isinstance(m.value, SizeMeaning)]
        anchors = [m for m in self.matches if isinstance(m.value, Anchor)]
        paths = [m for m in self.matches if isinstance(m.value, PathMeaning) and m.value.start is None]
        places = [m.positions[m.value.end].value for m in paths if isinstance(m.value.end, int) and m.positions]
        anchors_said = [m.value for m in anchors] + places
        paths = [m for m in paths if isinstance(m.value.end, Anchor)]
        if not (sizes or anchors_said or paths):
            return False
        for tag in self._targets("change"):
            layer = self.scene.layer(tag)
            if sizes:
                layer = self._resized(layer, sizes)
            if anchors_said:
                layer = self._placed(layer, anchors_said[-1])
            elif paths:
                layer = self._moved(layer, paths[-1].value.end)
            self.scene = replace(self.scene, layers=tuple(layer if x.tag == tag else x for x in self.scene.layers))
        return True

    def _effects(self) -> bool:
        """ "make @BG darker", "less blur", "@BG in black and white": relative to the effect there is."""
        matches = self._effect_matches()
        if not matches:
            return False
        for tag in self._effect_targets({m.value.kind for m in matches}):
            layer = self.scene.layer(tag)
            for m in matches:
                new = effect_of(m, self.text[m.start : m.end])
                layer = replace(layer, effects=_with_effect(layer.effects, new, m, self.words))
            self._put(layer)
        self.words = [w for w in self.words if w not in _LESS | _MORE]  # read above, by _with_effect
        return True

    def _remove_effects(self, kinds: set[Adjust]) -> None:
        targets = [self.scene.layer(tag) for tag in self._effect_targets(kinds)]
        if not any(e.kind in kinds for layer in targets for e in layer.effects):
            names = " or ".join(sorted(kind.value for kind in kinds))
            raise PromptError(f"There is no {names} to remove here — {_holds_effects(self.scene)}.")
        for layer in targets:
            self._put(replace(layer, effects=tuple(e for e in layer.effects if e.kind not in kinds)))
        self.matches = [m for m in self.matches if not isinstance(m.value, AdjustMeaning)]  # done: not added back

    def _effect_matches(self) -> list[Match]:
        return [m for m in self.matches if isinstance(m.value, AdjustMeaning)]

    def _effect_targets(self, kinds: set[Adjust]) -> tuple[str, ...]:
        """The layers named; else those that have such an effect already; else the background."""
        if self.tags:
            return self.tags
        having = tuple(layer.tag for layer in self.scene.layers if any(e.kind in kinds for e in layer.effects))
        backgrounds = tuple(layer.tag for layer in self.scene.layers if layer.role is Role.BACKGROUND)
        return having or backgrounds or self._targets("change")

    def _put(self, layer: Layer) -> None:
        self.scene = replace(self.scene, layers=tuple(layer if x.tag == layer.tag else x for x in self.scene.layers))

    def _placed(self, layer: Layer, anchor: Anchor) -> Layer:
        if layer.role is Role.BACKGROUND:
            raise PromptError(f"@{layer.tag} is the background and covers the canvas; it cannot move.")
        return replace(layer, anchor=anchor)

    def _resized(self, layer: Layer, sizes: list[Match]) -> Layer:
        if layer.role is Role.BACKGROUND:
            raise PromptError(f"@{layer.tag} is the background and always covers the canvas; its size cannot change.")
        comparative = [m for m in sizes if m.value.step]
        percent = [m for m in sizes if m.value.fraction is None]
        if comparative and percent:  # "20 % larger"
            change = percent[-1].numbers[0] / 100 * comparative[-1].value.step
            fraction = layer.size * (1 + change)
        elif comparative:
            fraction = self._next_size(layer, comparative[-1].value.step)
        else:
            last = sizes[-1]
            fraction = last.value.fraction if last.value.fraction is not None else last.numbers[0] / 100
        if not 0.01 <= fraction <= 1.0:
            raise LimitError(
                f"@{layer.tag} would be {fraction * 100:g} % of the canvas — sizes go from 1 to 100 %; "
                f"it is {size_words(layer.size)} now."
            )
        fraction = round(fraction, 4)
        if layer.text is not None and layer.text.font_px is not None:  # a text's letters grow with it
            font_px = max(1, round(layer.text.font_px * fraction / layer.size))
            return replace(layer, size=fraction, text=replace(layer.text, font_px=font_px))
        return replace(layer, size=fraction)

    def _next_size(self, layer: Layer, step: int) -> float:
        named = [f for f, _ in named_sizes()]
        candidates = (
            [f for f in named if f > layer.size + 1e-9] if step > 0 else [f for f in named if f < layer.size - 1e-9]
        )
        if not candidates:
            edge = "largest" if step > 0 else "smallest"
            raise LimitError(
                f"@{layer.tag} is already {size_words(layer.size)}, the {edge} named size — "
                f"say a percentage instead, e.g. 'make @{layer.tag} 20 % {'larger' if step > 0 else 'smaller'}'."
            )
        return min(candidates) if step > 0 else max(candidates)

    def _moved(self, layer: Layer, towards: Anchor | None) -> Layer:
        if towards is None:
            return layer
        if layer.role is Role.BACKGROUND:
            raise PromptError(f"@{layer.tag} is the background and covers the canvas; it cannot move.")
        x, y = layer.anchor.axes
        tx, ty = towards.axes
        if EditKind.SLIGHTLY in self.verbs:
            return self._nudged(layer, (x, y), (tx, ty))
        new = (tx if tx is not None else x, ty if ty is not None else y)
        return replace(layer, anchor=_anchor_of(new))

    def _nudged(
        self, layer: Layer, axes: tuple[float | None, float | None], towards: tuple[float | None, float | None]
    ) -> Layer:
        moving = 0 if towards[0] is not None else 1
        other = 1 - moving
        at = axes[moving]
        if at is None or at == 0.5 or axes[other] not in (None, 0.5):
            place = _anchor_of(_step(axes, towards)).value
            raise PromptError(
                f"@{layer.tag} ({layer.anchor.value}) cannot move just a bit that way: a small step only works for an "
                f"image against one edge, moving away from or towards it. Move it to a place instead, e.g. "
                f"'move @{layer.tag} to the {place}'."
            )
        away = towards[moving] != at  # moving away from the edge it sits against
        canvas = self.scene.canvas
        current = layer.margin if layer.margin_px is None else layer.margin_px / min(canvas.width, canvas.height)
        margin = current + (NUDGE if away else -NUDGE)
        if margin < 0:
            raise LimitError(f"@{layer.tag} already touches the {layer.anchor.value} edge; it cannot move further.")
        if margin > 0.45:
            raise LimitError(f"@{layer.tag} cannot move further from its edge; move it to another place instead.")
        return replace(layer, margin=round(margin, 4), margin_px=None)

    # --- helpers ------------------------------------------------------------------------------------------
    def _texts(self) -> tuple[str, ...]:
        return tuple(layer.tag for layer in self.scene.layers if layer.text is not None)

    def _recolour_texts(self, texts: tuple[str, ...], colour: tuple[int, int, int, int]) -> None:
        layers = []
        for layer in self.scene.layers:
            if layer.tag in texts and layer.text is not None:
                layer = replace(layer, text=replace(layer.text, colour=colour))
            layers.append(layer)
        self.scene = replace(self.scene, layers=tuple(layers))

    def _example_tag(self) -> str:
        layers = [layer for layer in self.scene.layers if layer.role is not Role.BACKGROUND] or list(self.scene.layers)
        return layers[-1].tag

    def _targets(self, verb: str) -> tuple[str, ...]:
        if self.tags:
            return self.tags
        listed = ", ".join(f"@{t}" for t in self.scene.tags)
        raise PromptError(f"Say which image to {verb}: {listed} (e.g. '{verb} @{self.scene.tags[-1]}').")

    def _unused_words(self) -> None:
        ignored = [w for w in self.words if w not in _QUIET and w not in TEXT_NAMES and w not in COUNT_WORDS]
        if ignored:
            self.notes.append("not understood (ignored): " + ", ".join(f"'{w}'" for w in dict.fromkeys(ignored)))


_RELATIVE = frozenset({Adjust.BRIGHTNESS, Adjust.CONTRAST, Adjust.SATURATION})  # factors: a change multiplies
_LESS, _MORE = frozenset({"less", "fewer", "lighter"}), frozenset({"more", "stronger", "heavier"})


def _with_effect(effects: tuple[Effect, ...], new: Effect, m: Match, words: list[str]) -> tuple[Effect, ...]:
    """``effects`` with ``new`` in place of the same kind: a factor said without a number multiplies the
    one there is ("darker" again is darker still); "less blur" halves a blur, "more blur" doubles it."""
    old = next((e for e in effects if e.kind is new.kind), None)
    amount = new.amount
    if old is not None and old.amount is not None and not m.numbers:
        if new.kind in _RELATIVE and new.amount is not None and new.amount != 0:
            amount = round(old.amount * new.amount, 4)
        elif new.kind is Adjust.BLUR and set(words) & _LESS:
            amount = old.amount / 2
        elif new.kind is Adjust.BLUR and set(words) & _MORE:
            amount = old.amount * 2
    if new.kind is Adjust.BLUR and amount is not None and amount > 100:
        raise LimitError(
            f"A blur of {amount:g} px is over the most there is (100 px) — it stays at {old and old.amount:g} px."
        )
    changed = replace(new, amount=amount)
    return tuple(changed if e.kind is new.kind else e for e in effects) if old else (*effects, changed)


def _step(
    axes: tuple[float | None, float | None], towards: tuple[float | None, float | None]
) -> tuple[float | None, float | None]:
    return (towards[0] if towards[0] is not None else axes[0], towards[1] if towards[1] is not None else axes[1])


def _anchor_of(axes: tuple[float | None, float | None]) -> Anchor:
    """The anchor fixing exactly these axes (0.5 on both = centre)."""
    x, y = axes
    x = None if x == 0.5 else x
    y = None if y == 0.5 else y
    for anchor in Anchor:
        if anchor.axes == (x, y):
            return anchor
    return Anchor.CENTER


def _name(layer: Layer) -> str:
    """How a change line names a layer: @tag, or the text's own words (its id is internal)."""
    return f"@{layer.tag}" if layer.text is None else f'the text "{layer.text.text[:30]}"'


def describe_changes(before: Scene, after: Scene) -> list[str]:
    """One line per difference: ``@logo: small (20 %) -> medium (35 %)``, ``canvas: 1080x1080 -> 1080x1920``."""
    lines: list[str] = []
    if before.canvas.size != after.canvas.size:
        lines.append(f"canvas: {_size(before)} -> {_size(after)}")
    if before.canvas.background != after.canvas.background:
        lines.append(f"background colour: {_colour(before.canvas.background)} -> {_colour(after.canvas.background)}")
    if before.timing.duration_s != after.timing.duration_s:
        lines.append(f"duration: {before.timing.duration_s:g} s -> {after.timing.duration_s:g} s")
    old = {layer.tag: layer for layer in before.layers}
    new = {layer.tag: layer for layer in after.layers}
    for tag in old.keys() - new.keys():
        lines.append(f"{_name(old[tag])}: removed")
    for tag, layer in new.items():
        if tag not in old:
            continue
        was, name = old[tag], _name(old[tag])
        if was.text is not None and layer.text is not None and was.text.text != layer.text.text:
            lines.append(f'{name}: "{was.text.text}" -> "{layer.text.text}"')
        if was.text is not None and layer.text is not None and was.text.colour != layer.text.colour:
            lines.append(f"{name}: colour {_colour(was.text.colour)} -> {_colour(layer.text.colour)}")
        if was.size != layer.size:
            lines.append(f"{name}: {size_words(was.size)} -> {size_words(layer.size)}")
        if was.anchor != layer.anchor:
            lines.append(f"{name}: {was.anchor.value} -> {layer.anchor.value}")
        if was.margin != layer.margin:
            lines.append(f"{name}: margin {was.margin * 100:g} % -> {layer.margin * 100:g} %")
        if was.role != layer.role or was.motions != layer.motions:
            lines.append(f"{name}: {_look(was)} -> {_look(layer)}")
        if was.effects != layer.effects:
            lines.append(f"{name}: {_effect_list(was)} -> {_effect_list(layer)}")
    return lines


def _size(scene: Scene) -> str:
    return f"{scene.canvas.width}x{scene.canvas.height}"


def _colour(rgba: tuple[int, int, int, int] | None) -> str:
    return "transparent" if rgba is None else "#{:02x}{:02x}{:02x}".format(*rgba[:3])


def _holds_effects(scene: Scene) -> str:
    said = [f"{layer.name}: {_effect_list(layer)}" for layer in scene.layers if layer.effects]
    return "; ".join(said) if said else "no image has an effect"


def _effect_list(layer: Layer) -> str:
    return ", ".join(effect_words(e) for e in layer.effects) or "no effects"


def _look(layer: Layer) -> str:
    motions = ", ".join(m.kind.value for m in layer.motions) or "still"
    return f"{layer.role.value}, {motions}"
