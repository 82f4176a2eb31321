"""Turn one segment's matched phrases into facts about its subject (and the canvas / timing)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from imagegen.errors import PromptError, did_you_mean, suggest, typo_of
from imagegen.limits import Limits, check_canvas
from imagegen.prompt.canvas_colours import canvas_colours, frame_colours, text_colours
from imagegen.prompt.clauses import Segment
from imagegen.prompt.colours import parse_colour
from imagegen.prompt.facts import PILL_EM, ROUNDED_EM, GlobalFacts, LayerFacts, MotionDraft, MotionWords
from imagegen.prompt.lexer import Kind, Token
from imagegen.prompt.meanings import (
    AdjustMeaning,
    AlignMeaning,
    AngleMeaning,
    BesideMeaning,
    BorderMeaning,
    CanvasMeaning,
    CaseMeaning,
    ColourMeaning,
    DurationMeaning,
    EffectKind,
    FitMeaning,
    FocusMeaning,
    FontFamily,
    FontPixels,
    FontWeight,
    FrameRateMeaning,
    GapMeaning,
    GridMeaning,
    ItalicMeaning,
    KnockoutMeaning,
    LoopMeaning,
    MarginMeaning,
    MotionMeaning,
    MoveVerb,
    OpacityMeaning,
    PaddingMeaning,
    PathMeaning,
    PingPongMeaning,
    RegionMeaning,
    RelationKind,
    RelationMeaning,
    RepeatMeaning,
    RoleMeaning,
    RotationMeaning,
    RoundedMeaning,
    ShadowMeaning,
    ShapeMeaning,
    SizeMeaning,
    SizeOfMeaning,
    SlideshowMeaning,
    SlideTimeMeaning,
    SpeedMeaning,
    SpinSense,
    StartMeaning,
    StillMeaning,
    TextEffect,
    TogetherMeaning,
    TransitionMeaning,
)
from imagegen.prompt.motions import assemble
from imagegen.prompt.phrases import (
    ARTICLES,
    COLOUR_NAMES,
    Item,
    Match,
    known_words,
    neighbour,
    phrases_using,
    word_categories,
)
from imagegen.prompt.result import Notes
from imagegen.prompt.vocabulary import COUNT_WORDS, LEFTOVERS, TEXT_NAMES, entries
from imagegen.prompt.words import (
    CANVAS_NOUNS,
    CLAUSE_WORDS,
    COLOUR_CONTEXT,
    COLOUR_LINKS,
    CONNECTIVES,
    FILLER,
    NEGATIONS,
    PLACE_PREPOSITIONS,
    PLURALS,
    PRONOUNS,
    SEQUENCE_WORDS,
)
from imagegen.scene import RGBA, Adjust, Anchor, Border, Easing, Effect, Knockout, Motion, Region, Shape, Side

_FONT_WORDS = ("font", "fonts", "typeface", "typefaces")
# "Rotate @logo 15 degrees" tilts it (an editing command); "@logo rotates 90 degrees" is a motion.
_COMMAND_TURNS = frozenset({"rotate", "turn"})
# Words that may stand between a negation and its verb: "does not want to spin", "should not be moving".
_NEGATION_GAP = frozenset(
    {"to", "be", "is", "are", "should", "will", "must", "can", "do", "does", "want", "it", "too", "so", "very"}
)


class _Reader:
    """Reads one segment; each ``_<category>`` method handles one vocabulary category."""

    def __init__(
        self, seg: Segment, g: GlobalFacts, notes: Notes, text: str, limits: Limits, is_text: bool = False
    ) -> None:
        self.seg, self.g, self.notes, self.text, self.limits = seg, g, notes, text, limits
        self.is_text = is_text  # the subject is a quoted text: colours next to it are the text's
        self.facts = LayerFacts()
        self.words = MotionWords()
        self.negated = False
        self.unknown: list[Token] = []
        self.leftover: list[Token] = []  # vocabulary words (and a number) no phrase took, named together
        self.transition_said = False  # "push from the left": the next "from A" names the transition's side
        self.before_durations: tuple | None = None  # the global duration before this segment said one
        self.article = False  # the last word was "a" / "the": an unknown word after it names a thing
        self.thing: tuple[int, int] | None = None  # "put a QR code": the unknown thing said (its span)
        self.unknown_is_thing = False  # the unknown words being gathered came after an article
        self.thing_unknown_end = 0  # where the not-understood part of the thing ends ("QR" of "QR code")
        self.thing_by_article = False  # the unknown thing was introduced by an article ("a QR code")
        self.thing_by_verb = False  # … or by a placing verb ("put QR code")
        self.placing = False  # the words so far end with a placing verb ("add", "put our")
        self.fresh = True  # nothing but filler read yet: an unknown word here names a thing ("put QR code …")

    def said(self, item: Item) -> str:
        return self.text[item.start : item.end]

    def read(self) -> LayerFacts:
        items = self.seg.items
        if self._about_an_unresolved_image():
            return self.facts
        self.frame_colours: dict[int, RGBA] = {}  # id of a frame phrase -> the colour said beside it
        if self.is_text:
            used = text_colours(items, self.facts.style)
        else:
            self.frame_colours, used = frame_colours(items)
        rest = [i for i in range(len(items)) if i not in used]
        others = Segment(self.seg.tag, [items[i] for i in rest], self.seg.clause, self.seg.pronoun, self.seg.lead)
        used |= {rest[i] for i in canvas_colours(others, self.g, self.notes, self.said)}
        for index, item in enumerate(items):
            if index in used:
                self.fresh = False
                continue
            if isinstance(item, Token):
                self._token(item)
                continue
            if self._adjective_of_unknown(items, index) or self._object_of_unknown(item):
                continue
            if self._nothing_to_place(item):
                continue
            if index != self.seg.lead - 1 and _degree(items, index):  # "a little @logo": before its tag
                self.notes.add(
                    f'"a {self.said(item)}" is read as "slightly", not as a size.', self.said(item), quiet=True
                )
                continue
            self._flush_unknown()
            self._flush_leftover()
            self.article = self.fresh = False
            if isinstance(item.value, RoleMeaning) and item.key == "background" and _after_preposition(items, index):
                continue  # "on the background": a place, not a role
            self.negated = _negated(items, index)
            self._meaning(item)
        self._flush_unknown()
        self._flush_leftover()
        assemble(self.facts, self.words, self.notes, self.said)
        self._local_length()
        return self.facts

    def _local_length(self) -> None:
        """ "at 2 s for 3 seconds": the duration is the motion's length, not the animation's."""
        if self.facts.start_s is None or self.before_durations is None:
            return
        g = self.g
        self.facts.length_s = g.duration
        g.duration, words, durations = self.before_durations
        g.timing_words[:], g.durations[:] = words, durations

    # --- words not understood never lend a role, a place or a size to anything ----------------------
    def _about_an_unresolved_image(self) -> bool:
        """ "…, make the picture bigger" where "the picture" could be several images: what the clause says is
        named with it and applied to none (never to the image named before)."""
        if self.seg.tag is not None or self.seg.pronoun:
            return False
        where = next((i.start for i in self.seg.items if i.start in self.notes.unresolved), None)
        if where is None:
            return False
        said = [self._with_lead(i) for i in self.seg.items if isinstance(i, Match)]
        if said:
            line = self.notes.unresolved[where][1]
            self.notes.items = [w for w in self.notes.items if w.message != line]
            listed = ", ".join(f'"{words}"' for words in said)
            self.notes.add(f"{line.removesuffix('.')}; {listed} {'was' if len(said) == 1 else 'were'} not applied.")
        return True

    def _object_of_unknown(self, m: Match) -> bool:
        """ "blur the background": a role or size right after an unknown verb and an article is that verb's
        object, so it is reported with it and never applied."""
        if not (self.unknown and self.article and m.category in ("role", "size")):
            return False
        self.unknown.append(Token(Kind.WORD, self.said(m), m.start, m.end))
        self.unknown_is_thing = False  # an unknown verb with its object ("blur the background") is no thing
        self._flush_unknown()
        return True

    def _with_lead(self, m: Match) -> str:
        """A place quoted with its "at the" / "on the" ("on the left"), any other phrase as said."""
        lead = _PLACE_LEAD.search(self.text[: m.start]) if m.category == "position" else None
        return self.text[lead.start() if lead else m.start : m.end]

    def _adjective_of_unknown(self, items: list[Item], index: int) -> bool:
        """ "add a big QR code", in a clause naming no image: "big" describes the unknown thing after it, so it
        is reported with it and never sizes the previous image."""
        m = items[index]
        if self.seg.tag is not None or self.seg.pronoun or not self.article or not isinstance(m, Match):
            return False
        after = items[index + 1] if index + 1 < len(items) else None
        unknown = isinstance(after, Token) and after.kind is Kind.WORD and after.text not in FILLER
        if m.category != "size" or not unknown or after.text in known_words():
            return False
        self._flush_unknown()
        self.unknown_is_thing, self.article = True, False
        self.unknown.append(Token(Kind.WORD, self.said(m), m.start, m.end))
        return True

    def _nothing_to_place(self, m: Match) -> bool:
        """ "put a QR code at the bottom right", in a clause naming no image: the place is the unknown
        thing's, not the previous image's; both are reported in one line."""
        if self.seg.tag is not None or self.seg.pronoun or m.category not in ("position", "size", "role"):
            return False
        if self.unknown and self.unknown_is_thing:
            modifier = not self.thing_by_article and m.category == "size"
            if modifier and not self.text[self.unknown[-1].end : m.start].strip():
                self.unknown_is_thing = False  # "super big": a word that says how big, not a thing
            self._flush_unknown()
        if self.thing is None:
            return False
        thing = self.text[self.thing[0] : self.thing[1]]
        if not (self.thing_by_article or self.thing_by_verb or _looks_like_a_name(thing)):
            self.thing = None  # "@logo, shimmer in the corner": a lone word is a verb here; the place is @logo's
            return False
        self.notes.unknown.pop(self.text[self.thing[0] : self.thing_unknown_end], None)
        said = self._with_lead(m)
        web = next((word for word in thing.split() if "." in word.strip(".")), None)
        hint = f' To write "{web}" there, put it in quotes.' if web else ""  # "our website acme.com"
        self.notes.add(
            f'Nothing to place "{said}": "{thing}" is not something this app draws '
            f"(it draws your uploaded images and quoted text).{hint}",
            said,
        )
        return True

    # --- tokens left over after phrase matching -------------------------------------------------
    def _token(self, token: Token) -> None:
        if self.unknown and self.article and token.kind is Kind.WORD and not token.is_word(*ARTICLES):
            self.unknown.append(token)  # "sharpen the photo": an unknown verb and its object, reported whole
            self.article = self.unknown_is_thing = False
            return
        if token.is_word(*_FONT_WORDS) and self.unknown:
            self._flush_unknown(font=True)  # "in Helvetica font": a family we do not have
            return
        if token.kind is Kind.WORD and token.text not in FILLER and token.text not in known_words():
            if self.unknown and _gap(self.text, self.unknown[-1], token):
                self._flush_unknown()
            if not self.unknown:  # "a barcode", or a clause that starts with it ("put QR code at …")
                self.unknown_is_thing, self.thing_by_article = self.article or self.fresh, self.article
                self.thing_by_verb = self.placing
            self.article = self.fresh = False  # the article was the unknown thing's, not its object's
            self.unknown.append(token)
            return
        if token.kind is Kind.WORD:
            self.placing = token.text in _PLACING or (self.placing and token.text in FILLER)
        if token.is_word(*ARTICLES):
            self.article = True
            if self.unknown:
                return  # "blur the …": what follows may be the unknown verb's object
        elif token.kind is not Kind.WORD or token.text not in FILLER:
            self.article = False
            self.fresh = self.fresh and token.kind is Kind.WORD  # a lone known word ("put") asks for nothing
        self._flush_unknown()
        if token.kind is Kind.WORD and self._extend_thing(token):
            return  # "a QR code": part of the unknown thing's name, said with it
        self._leftover(token)

    # --- vocabulary words left over outside every phrase: named, never dropped in silence -----------
    def _leftover(self, token: Token) -> None:
        """A number or a vocabulary word no phrase took ("@logo double size", "40 px"): gathered with the ones
        right next to it and named in one line (:meth:`_flush_leftover`); glue words pass in silence."""
        if self.leftover and _gap(self.text, self.leftover[-1], token):
            self._flush_leftover()
        if token.kind is Kind.NUM and not token.spelled:
            self._flush_leftover()  # a number starts a phrase ("40 px"), it never ends one
            self.leftover.append(token)
        elif token.kind is Kind.WORD and self._unapplied(token):
            self.leftover.append(token)
        else:
            self._flush_leftover()

    def _unapplied(self, token: Token) -> bool:
        """A vocabulary word that asks for something, where no phrase took it and nothing reads it here."""
        if token.text not in known_words() or token.text in _QUIET_WORDS or self._named(token):
            return False
        before = self._near(token, -1, ARTICLES)
        if token.text in CANVAS_NOUNS and isinstance(before, Token):
            return not before.is_word(*_ONTO)  # "the top of the screen", "flies off the screen": the canvas
        kinds = word_categories().get(token.text, frozenset())
        # "small size", "starts after 1 second": the word only repeats the kind of the phrase beside it
        beside = (before, self._near(token, 1, ARTICLES))
        return not any(isinstance(near, Match) and near.category in kinds for near in beside)

    def _named(self, token: Token) -> bool:
        """Whether a line already quotes the words around ``token`` ("brand font" with no kit font): said once."""
        for note in self.notes.items:
            if not note.word:
                continue
            for found in re.finditer(re.escape(note.word), self.text, re.IGNORECASE):
                if found.start() <= token.start and token.end <= found.end():
                    return True
        return False

    def _near(self, token: Token, step: int, skip: frozenset[str]) -> Item | None:
        """The nearest item before (``step`` -1) or after (1) ``token`` in its segment that is not in ``skip``."""
        index = next((i for i, item in enumerate(self.seg.items) if item is token), None)
        near = neighbour(self.seg.items, index, step, skip) if index is not None else None
        return near[1] if near is not None else None

    def _flush_leftover(self) -> None:
        if not self.leftover:
            return
        first, last = self.leftover[0], self.leftover[-1]
        said = self.text[first.start : last.end]
        words = tuple(t.text for t in self.leftover if t.kind is Kind.WORD)
        self.leftover = []
        if not words:  # a number alone
            self.notes.add(
                f'The number {said} was not understood — say what it is, e.g. "{said} seconds" or "{said}%".', said
            )
            return
        self.notes.add(f'"{said}" was not applied: {self._leftover_hint(words, last)}.', said)

    def _leftover_hint(self, words: tuple[str, ...], last: Token) -> str:
        """Why the words were not applied and what works: a row of LEFTOVERS, else the phrases that use them."""
        after = self._near(last, 1, ARTICLES | FILLER)
        follows = after.category if isinstance(after, Match) else None
        for row in LEFTOVERS:
            if words[0] in row.words and (not row.before or follows in row.before):
                return row.hint
        examples = [f'"{phrase}"' for phrase in phrases_using(words, text=self.is_text)]
        listed = " or ".join([", ".join(examples[:-1]), examples[-1]] if len(examples) > 1 else examples)
        return f"on its own it says nothing here — it works in a phrase such as {listed}"

    def _extend_thing(self, token: Token) -> bool:
        """ "a QR code": a known word right after the unknown thing is still its name; a link word is not.

        :return: whether ``token`` became part of the thing's name."""
        if self.thing is None or token.text in PLACE_PREPOSITIONS or token.text in ("at", "in", "to"):
            return False
        if self.text[self.thing[1] : token.start].strip():
            return False
        unknown = self.text[self.thing[0] : self.thing_unknown_end]
        self.thing = (self.thing[0], token.end)
        if unknown in self.notes.unknown:  # "a warm tint": named whole, never "warm" with "tint" dropped
            whole = self.text[self.thing[0] : token.end]
            self.notes.unknown = {whole if said == unknown else said: typo for said, typo in self.notes.unknown.items()}
            self.thing_unknown_end = token.end
        return True

    def _flush_unknown(self, font: bool = False) -> None:
        if not self.unknown:
            return
        first, last = self.unknown[0], self.unknown[-1]
        phrase = self.text[first.start : last.end]
        reference = next((t.start for t in self.unknown if t.start in self.notes.unresolved), None)
        self.unknown = []
        if reference is not None:
            return  # "the photo" that could be several images: already said, with the candidates
        if self.unknown_is_thing and self.seg.tag is None and not self.seg.pronoun:
            self.thing = (first.start, last.end)
            self.thing_unknown_end = last.end
        if font:
            families = [e for e in entries("text") if isinstance(e.value, FontFamily)]
            names = {w: e.key for e in families for w in e.words}
            close = suggest(phrase, names, cutoff=0.5)  # a closed list of a few families: a loose match is safe
            hint = did_you_mean(close and names[close])
            listed = ", ".join(e.key for e in families)
            self.notes.add(f'There is no font "{phrase}".{hint} The fonts are {listed}; it was ignored.', phrase)
            return
        if first.is_word(*_SAYING) and first is not last:  # "a banner that says Shop Now": words to draw
            words = self.text[first.end : last.end].strip()
            self.notes.add(f'"{words}" was not drawn — to draw words, put them in quotes: "{words}".', phrase)
            return
        typo = typo_of(first.text, known_words()) if first is last else None
        self.notes.not_understood(phrase, typo if typo is None or self._fits_here(typo, first) else None)

    def _fits_here(self, typo: str, word: Token) -> bool:
        """A colour is suggested only where a colour is said ("in bule", "bleu background"): "@logo blur" is no
        typo of "blue" (a tip never names an unrelated word)."""
        if typo not in COLOUR_NAMES:
            return True
        before = re.findall(r"[^\W\d_]+", self.text[: word.start].casefold())[-1:]
        after = re.findall(r"[^\W\d_]+", self.text[word.end :].casefold())[:1]
        return bool(set(before + after) & COLOUR_CONTEXT)

    # --- one handler per kind of meaning (see imagegen.prompt.meanings) ---------------------------
    def _meaning(self, m: Match) -> None:
        handler = _HANDLERS.get(type(m.entry.value))
        if handler is None:
            raise TypeError(f"no handler for {type(m.entry.value).__name__} ({m.category}/{m.key})")
        handler(self, m, m.entry.value)

    def _role(self, m: Match, value: RoleMeaning) -> None:
        if self.facts.role is not None and self.facts.role is not value.role:
            name = f"@{self.seg.tag}" if self.seg.tag else "The image"
            self.notes.two_roles(name, self.facts.role_text, self.said(m))
        self.facts.role, self.facts.role_text = value.role, self.said(m)
        self.facts.stretch = self.facts.stretch or value.stretch

    def _position(self, m: Match, value: Anchor) -> None:
        self.facts.anchors.append((value, self.said(m)))

    def _size(self, m: Match, value: SizeMeaning) -> None:
        if self.negated:  # "not too big" asks for no size: the usual one stays, and that is said
            said = self.text[self._negation_start(m) : m.end]
            self.notes.add(
                f'"{said}" sets no size, so the usual one is kept — say one ("small", "20 %") to choose.', said
            )
            return
        fraction = value.fraction if value.fraction is not None else m.numbers[0] / 100
        if not 0 < fraction <= 1:  # never clamped into a size nobody asked for ("-50%" is no "1 %")
            self.notes.add(f'Size "{self.said(m)}" is not 1-100 % of the canvas, so it was ignored.', self.said(m))
            return
        self.facts.size, self.facts.size_text = fraction, self.said(m)
        self.facts.size_step = value.step if value.fraction is not None else 0
        self.facts.style.size = value.text if value.text is not None and value.fraction is not None else fraction

    def _negation_start(self, m: Match) -> int:
        found = list(re.finditer(r"(?i)\b(?:not|no|never)\b|n't\b", self.text[: m.start]))
        return found[-1].start() if found else m.start

    def _size_of(self, m: Match, value: SizeOfMeaning) -> None:
        factor = value.factor if value.factor is not None else m.numbers[0]
        if factor <= 0:
            self.notes.add(f'"{self.said(m)}" is no size, so it was ignored.', self.said(m))
            return
        self.facts.size_of = (factor, m.tags[0], self.said(m))

    def _canvas(self, m: Match, value: CanvasMeaning) -> None:
        explicit = value.size is None  # "1200x628" as written beats a preset's size ("LinkedIn banner")
        size = value.size or (round(m.numbers[0]), round(m.numbers[1]))
        check_canvas(*size, self.limits)
        g, said = self.g, self.said(m)
        if g.canvas is not None and g.canvas != size:
            if g.canvas_explicit != explicit:
                preset = g.canvas_text if explicit else said
                kept = size if explicit else g.canvas
                self.notes.add(
                    f'"{preset}" is {_wxh(value.size or g.canvas)}; using {_wxh(kept)} as written.', said, quiet=True
                )
                if not explicit:
                    return
            else:
                self.notes.add(
                    f'The canvas size is given twice ("{g.canvas_text}", then "{said}") — '
                    f"using {_wxh(size)}, the last one.",
                    said,
                )
        g.canvas, g.canvas_text, g.canvas_explicit = size, said, explicit

    def _colour(self, m: Match, value: ColourMeaning) -> None:
        pass  # every colour phrase is handled (or reported) by canvas_colours

    def _opacity(self, m: Match, value: OpacityMeaning) -> None:
        if value.fixed is not None:
            self.facts.opacity = value.fixed
            return
        number = m.numbers[0]
        fraction = 1 - number / 100 if value.inverted else (number / 100 if "%" in m.words or number > 1 else number)
        if _in_unit(fraction, self, m):
            self.facts.opacity = fraction

    def _rotation(self, m: Match, value: RotationMeaning) -> None:
        self.facts.rotation = value.fixed if value.fixed is not None else m.numbers[0]

    def _angle(self, m: Match, value: AngleMeaning) -> None:
        self.words.angle = m.numbers[0]

    def _margin(self, m: Match, value: MarginMeaning) -> None:
        if value.pixels:
            self.facts.layout.margin_px = _pixels(m.numbers[0], self, m)
            return
        fraction = value.fixed if value.fixed is not None else m.numbers[0] / 100
        if _in_unit(fraction, self, m):
            self.facts.margin = fraction

    # --- layout and clean-up ----------------------------------------------------------------------
    def _knockout(self, m: Match, value: KnockoutMeaning) -> None:
        colour = _colour(m, self)
        self.facts.layout.knockout = Knockout(
            colour=None if colour is None else colour[:3], everywhere=value.everywhere
        )

    def _shape(self, m: Match, value: ShapeMeaning) -> None:
        self.facts.layout.shape = value.shape

    def _focus(self, m: Match, value: FocusMeaning) -> None:
        if m.positions:
            self.facts.layout.focus = _centering(m.positions[-1])
        else:
            self.facts.layout.crop_said = True

    def _border(self, m: Match, value: BorderMeaning) -> None:
        width = _pixels(m.numbers[0], self, m) if m.numbers else None
        colour = _colour(m, self)
        colour = colour or self.frame_colours.get(id(m))
        if self.is_text:  # around letters, a border is their outline
            self._text_effect(m, EffectKind.OUTLINE, colour)
            self.facts.style.outline_px = width
            self.facts.style.outline_scale = value.text_scale if width is None else None
            return
        self.facts.layout.border = Border(value.width if width is None else width, colour or value.colour)

    def _adjust(self, m: Match, value: AdjustMeaning) -> None:
        self.facts.effects.append(effect_of(m, self.said(m)))
        self.facts.effects_text = self.said(m)

    def _shadow(self, m: Match, value: ShadowMeaning) -> None:
        if self.is_text:
            self._text_effect(m, EffectKind.SHADOW, None)
            return
        colour = self.frame_colours.get(id(m))
        shadow = value.shadow if colour is None else replace(value.shadow, colour=(*colour[:3], value.shadow.colour[3]))
        self.facts.layout.shadow = shadow

    def _region(self, m: Match, value: RegionMeaning) -> None:
        side = _SIDES[m.words[0]]
        fraction = value.fraction if value.fraction is not None else m.numbers[0] / 100
        if not _in_unit(fraction, self, m):
            return
        if fraction <= 0:
            self.notes.add(f'"{self.said(m)}" is an empty part of the canvas and was ignored.', self.said(m))
            return
        middle = Region(0.5 - fraction / 2, 0.0, fraction, 1.0)
        region = middle if side == "middle" else Region.band(side, fraction)
        self.facts.layout.region, self.facts.layout.region_text = region, self.said(m)

    def _fit(self, m: Match, value: FitMeaning) -> None:
        self.facts.layout.fit = value.fit

    def _beside(self, m: Match, value: BesideMeaning) -> None:
        target = m.tags[0] if m.tags else ("it" if "it" in m.words else None)
        self.facts.layout.beside = (value.side, target)

    def _grid(self, m: Match, value: GridMeaning) -> None:
        if value.counted:
            columns, rows = (max(1, round(n)) for n in m.numbers[:2])
            self.facts.layout.grid = (columns, rows)
        else:
            self.facts.layout.grid = (value.columns, value.rows)

    def _gap(self, m: Match, value: GapMeaning) -> None:
        self.facts.layout.gap = _pixels(m.numbers[0], self, m)

    def _still(self, m: Match, value: StillMeaning) -> None:
        # "stays still" says still; "isn't static" says nothing.
        self.facts.still = self.facts.still or not self.negated

    def _move(self, m: Match, value: MoveVerb) -> None:
        if self.negated:
            self.facts.still = True
            return
        self.words.move_verb = True  # a placement or a slide: decided by motions.assemble

    def _motion(self, m: Match, value: MotionMeaning) -> None:
        if self.negated:
            self.facts.still = True  # "doesn't spin" says still
            return
        draft = MotionDraft(Motion(value.kind, value.easing, pingpong=value.pingpong, repeats=value.repeats))
        draft.offstage = value.offstage
        if value.enters_from is not None:
            draft.set_path("from_anchor", value.enters_from)
            draft.set_path("enters", True)
        self.facts.motions.append(draft)
        if m.words[0] in _COMMAND_TURNS:
            self.words.commanded.append(draft)

    def _path(self, m: Match, value: PathMeaning) -> None:
        if self.facts.layout.crop_said and m.positions and value.start is None:
            # "crop @BG to the top": the crop's focus, not a slide.
            self.facts.layout.focus, self.facts.layout.crop_said = _centering(m.positions[-1]), False
            return
        if self.transition_said and m.key in ("from", "in-from") and m.positions:
            self.g.transition_side = m.positions[0].value  # "push from the left"
            self.transition_said = False
            return
        if self.is_text and m.key == "across" and not self._moves():
            # "'Summer' in large letters across the top": spanning the top, a place — not a slide
            place = next((i for i in self.seg.items if isinstance(i, Match) and i.start > m.start), None)
            said = self.text[m.start : place.end if place is not None and place.category == "position" else m.end]
            self.notes.add(f'"{said}" is read as a place (say "slides across" to move it).', said, quiet=True)
            return
        self.words.paths.append(m)

    def _moves(self) -> bool:
        """Whether the segment says a motion ("slides", "moves", "scrolls"), not just a direction."""
        return any(isinstance(i, Match) and isinstance(i.value, (MotionMeaning, MoveVerb)) for i in self.seg.items)

    def _spin_sense(self, m: Match, value: SpinSense) -> None:
        self.words.clockwise = value.clockwise

    def _duration(self, m: Match, value: DurationMeaning) -> None:
        if self.before_durations is None:
            self.before_durations = (self.g.duration, list(self.g.timing_words), list(self.g.durations))
        self.g.duration = m.numbers[0] * value.seconds_per_unit
        self.g.timing_words.append(self.said(m))
        self.g.durations.append((self.seg.tag, self.g.duration, self.said(m)))

    def _frame_rate(self, m: Match, value: FrameRateMeaning) -> None:
        self.g.fps = m.numbers[0]
        self.g.timing_words.append(self.said(m))

    def _speed(self, m: Match, value: SpeedMeaning) -> None:
        g, said = self.g, self.said(m)
        if g.speed is not None and g.speed != value.factor:
            self.notes.add(f'Both "{g.speed_text}" and "{said}" — using "{said}", the last one.', said)
        g.speed, g.speed_text = value.factor, said
        g.timing_words.append(said)

    def _repeat(self, m: Match, value: RepeatMeaning) -> None:
        self.facts.repeats = m.numbers[0] if m.numbers else COUNT_WORDS[m.words[0]]
        self.g.once = self.g.once or m.words[0] == "once"
        self.facts.modifier_text = self.said(m)
        self.g.timing_words.append(self.said(m))

    def _loop(self, m: Match, value: LoopMeaning) -> None:
        if value.count is not None:
            self.g.loops = value.count
        else:
            self.g.loops = max(1, round(m.numbers[0])) if m.numbers else 2
        self.g.timing_words.append(self.said(m))

    def _pingpong(self, m: Match, value: PingPongMeaning) -> None:
        self.facts.pingpong = True
        self.facts.modifier_text = self.said(m)

    def _easing(self, m: Match, value: Easing) -> None:
        self.facts.easing = value
        self.facts.modifier_text = self.said(m)

    # --- text styling (a quoted text's look; said of an image, the builder reports it) ---------------
    def _styled(self, m: Match) -> None:
        self.facts.style.said.append(self.said(m))

    def _font_pixels(self, m: Match, value: FontPixels) -> None:
        self._styled(m)
        number = m.numbers[0]
        if not 1 <= number <= self.limits.max_canvas_side:
            self.notes.add(
                f'"{self.said(m)}" is not a usable font size — use 1 to {self.limits.max_canvas_side} px.',
                self.said(m),
            )
            return
        self.facts.style.font_px = number

    def _weight(self, m: Match, value: FontWeight) -> None:
        self._styled(m)
        self.facts.style.weight = value.weight

    def _italic(self, m: Match, value: ItalicMeaning) -> None:
        self._styled(m)
        self.facts.style.italic = not self.negated

    def _family(self, m: Match, value: FontFamily) -> None:
        self._styled(m)
        self.facts.style.family = value.family

    def _align(self, m: Match, value: AlignMeaning) -> None:
        self._styled(m)
        self.facts.style.align = value.align

    def _case(self, m: Match, value: CaseMeaning) -> None:
        self._styled(m)
        self.facts.style.case = value.case

    def _effect(self, m: Match, value: TextEffect) -> None:
        self._text_effect(m, value.effect, None)
        if value.rounded and not self.negated:
            self.facts.style.radius_em = PILL_EM

    def _text_effect(self, m: Match, effect: EffectKind, colour: RGBA | None) -> None:
        self._styled(m)
        if self.negated:
            self.facts.style.effects.pop(effect, None)
            return
        if colour is not None or effect not in self.facts.style.effects:
            self.facts.style.effects[effect] = colour

    def _rounded(self, m: Match, value: RoundedMeaning) -> None:
        if not self.is_text:
            self.facts.layout.shape = Shape.ROUNDED
            return
        self._styled(m)
        self.facts.style.radius_em = self.facts.style.radius_em or ROUNDED_EM

    def _padding(self, m: Match, value: PaddingMeaning) -> None:
        if value.em is None and not self.is_text:  # "@logo with 40 px padding": its margin
            self.facts.layout.margin_px = _pixels(m.numbers[0], self, m)
            return
        self._styled(m)
        if value.em is not None:
            self.facts.style.padding_em, self.facts.style.padding_px = value.em, None
        else:
            self.facts.style.padding_em, self.facts.style.padding_px = None, max(0.0, m.numbers[0])

    def _start(self, m: Match, value: StartMeaning) -> None:
        self.facts.start_s, self.facts.start_text = m.numbers[0], self.said(m)

    def _together(self, m: Match, value: TogetherMeaning) -> None:
        self.facts.together = True

    def _slideshow(self, m: Match, value: SlideshowMeaning) -> None:
        if value.needs_sequence:
            self.g.show_word = self.g.show_word or self.said(m)
        else:
            self.g.slideshow = self.g.slideshow or self.said(m)

    def _slide_time(self, m: Match, value: SlideTimeMeaning) -> None:
        self.g.slide_seconds, self.g.slide_seconds_text = m.numbers[0], self.said(m)

    def _transition(self, m: Match, value: TransitionMeaning) -> None:
        self.g.transition, self.g.transition_text = value.transition, self.said(m)
        self.transition_said = True

    def _relation(self, m: Match, value: RelationMeaning) -> None:
        target = m.tags[0] if m.tags else ("it" if {"it", "them"} & set(m.words) else None)
        if self.is_text and value.kind is RelationKind.BEHIND and m.words[0] in ("underneath", "beneath"):
            # "'Big Sale' underneath the logo": words are put below an image, never hidden behind it
            self.facts.layout.beside = (Side.BELOW, target)
            return
        self.facts.relations.append((value.kind, target))
        if value.kind is RelationKind.ACROSS:
            self.words.paths.append(m)


_HANDLERS: dict[type, Callable[[_Reader, Match, Any], None]] = {
    RoleMeaning: _Reader._role,
    Anchor: _Reader._position,
    SizeMeaning: _Reader._size,
    SizeOfMeaning: _Reader._size_of,
    CanvasMeaning: _Reader._canvas,
    ColourMeaning: _Reader._colour,
    OpacityMeaning: _Reader._opacity,
    RotationMeaning: _Reader._rotation,
    AngleMeaning: _Reader._angle,
    MarginMeaning: _Reader._margin,
    StillMeaning: _Reader._still,
    MoveVerb: _Reader._move,
    MotionMeaning: _Reader._motion,
    PathMeaning: _Reader._path,
    SpinSense: _Reader._spin_sense,
    DurationMeaning: _Reader._duration,
    FrameRateMeaning: _Reader._frame_rate,
    SpeedMeaning: _Reader._speed,
    RepeatMeaning: _Reader._repeat,
    LoopMeaning: _Reader._loop,
    PingPongMeaning: _Reader._pingpong,
    Easing: _Reader._easing,
    RelationMeaning: _Reader._relation,
    KnockoutMeaning: _Reader._knockout,
    AdjustMeaning: _Reader._adjust,
    ShapeMeaning: _Reader._shape,
    FocusMeaning: _Reader._focus,
    BorderMeaning: _Reader._border,
    ShadowMeaning: _Reader._shadow,
    RegionMeaning: _Reader._region,
    FitMeaning: _Reader._fit,
    BesideMeaning: _Reader._beside,
    GridMeaning: _Reader._grid,
    GapMeaning: _Reader._gap,
    FontPixels: _Reader._font_pixels,
    FontWeight: _Reader._weight,
    ItalicMeaning: _Reader._italic,
    FontFamily: _Reader._family,
    AlignMeaning: _Reader._align,
    CaseMeaning: _Reader._case,
    TextEffect: _Reader._effect,
    RoundedMeaning: _Reader._rounded,
    PaddingMeaning: _Reader._padding,
    StartMeaning: _Reader._start,
    TogetherMeaning: _Reader._together,
    SlideshowMeaning: _Reader._slideshow,
    SlideTimeMeaning: _Reader._slide_time,
    TransitionMeaning: _Reader._transition,
}
"""Every kind of meaning in :mod:`imagegen.prompt.meanings` and the handler that reads it (a test checks both)."""


def interpret(
    seg: Segment, g: GlobalFacts, notes: Notes, text: str, limits: Limits, is_text: bool = False
) -> LayerFacts:
    """Facts about ``seg``'s subject (``is_text``: a quoted text); canvas and timing facts go into ``g``."""
    return _Reader(seg, g, notes, text, limits, is_text).read()


def _gap(text: str, left: Token, right: Token) -> bool:
    """True when something other than spaces/hyphens separates two tokens (a new unknown phrase)."""
    return bool(text[left.end : right.start].strip(" -_'\t"))


def _wxh(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def _in_unit(value: float, reader: _Reader, m: Match) -> bool:
    """True for 0-100 %; anything else is reported and ignored, never clamped."""
    if 0 <= value <= 1:
        return True
    reader.notes.add(f'"{reader.said(m)}" is not 0-100 %, so it was ignored.', reader.said(m))
    return False


# Verbs before words meant to be drawn ("a button that says Shop Now"): those words belong in quotes.
_SAYING = frozenset({"says", "saying", "reads", "reading", "stating"})

# Verbs that put a thing somewhere: an unknown word after them names that thing ("add QR code at the top").
_PLACING = frozenset({"put", "add", "place", "insert", "include", "stick", "slap", "plonk", "show", "need", "want"})


# Words before a canvas noun that make it the canvas itself ("off the screen").
_ONTO = ("of", "on", "off", "onto", "across", "over", "into", "to", "from", "around", "through")

# Left over on their own, these say nothing to name: glue words, and words other steps read outside phrases
# (pronouns, "both"/"each", negations, clause and sequence words, a text's name, a placing verb).
_QUIET_WORDS = (
    CONNECTIVES
    | PRONOUNS
    | PLURALS
    | NEGATIONS
    | SEQUENCE_WORDS
    | CLAUSE_WORDS
    | PLACE_PREPOSITIONS
    | COLOUR_LINKS
    | TEXT_NAMES
    | _PLACING
    | ARTICLES
)


def _looks_like_a_name(thing: str) -> bool:
    """ "QR code", "price tag", "acme.com": more than one word, capitals or a dot name a thing; one plain
    word at the start of a clause ("shimmer") is more likely a verb said of the image before."""
    return len(thing.split()) > 1 or any(ch.isupper() for ch in thing) or "." in thing


# "at the", "in the" before a place: quoted with it ('Nothing to place "at the bottom right"').
_PLACE_LEAD = re.compile(r"\b(?:at|in|on|to)\s+(?:the\s+)?$|\bthe\s+$", re.IGNORECASE)

_SIDES = {
    "left": "left",
    "right": "right",
    "top": "top",
    "upper": "top",
    "bottom": "bottom",
    "lower": "bottom",
    "middle": "middle",
    "center": "middle",
    "centre": "middle",
}
MAX_PIXELS = 2000.0
"""Largest border, gap or padding in pixels a prompt may ask for (more would cover any canvas)."""


def _pixels(value: float, reader: _Reader, m: Match) -> float:
    if 0 <= value <= MAX_PIXELS:
        return value
    raise PromptError(f'"{reader.said(m)}" is outside 0-{MAX_PIXELS:g} px — use a smaller number of pixels.')


OVERLAY_SHARE = 0.4
"""How strong an overlay of a colour is when no share is said: 40 % (text on it reads, the picture shows)."""

#: How a number in an effect phrase is read, and the range it may take.
_EFFECT_UNITS: dict[str, tuple[Callable[[float], float], float, float, str]] = {
    "px": (lambda n: n, 0, 100, "px"),
    "less": (lambda n: 1 - n / 100, 0, 100, "%"),
    "more": (lambda n: 1 + n / 100, 0, 200, "%"),
    "share": (lambda n: n / 100, 0, 100, "%"),
}


def effect_of(m: Match, said: str) -> Effect:
    """The effect an effect phrase says (``said``: its words, for a message when an amount is out of range).

    :raise PromptError: a number outside the range the phrase's unit allows.
    """
    value = m.value
    assert isinstance(value, AdjustMeaning)
    amount = value.amount if not m.numbers else _effect_amount(m.numbers[0], value.unit, said)
    colours = [parse_colour(c) for c in m.colours]
    colour = colours[0] if colours else value.colour
    if value.kind is Adjust.OVERLAY:
        share = amount if amount is not None else OVERLAY_SHARE
        colour = (*(colour or (0, 0, 0, 255))[:3], round(255 * share)) if colours or m.numbers else colour
        amount = None
    side = next((word for word in m.words if word in _EDGES), None)
    second = colours[1] if len(colours) > 1 else None
    return Effect(value.kind, amount, colour, second, side, value.fade)


def _effect_amount(number: float, unit: str, said: str) -> float:
    """The effect's amount for the number said; out of its range is an error naming the range."""
    read, low, high, shown = _EFFECT_UNITS[unit]
    if not low <= number <= high:
        raise PromptError(f'"{said}" is out of range — use {low:g} to {high:g} {shown}.')
    return read(number)


_EDGES = ("top", "bottom", "left", "right")  # a gradient's edge, as its phrase names it


def _colour(m: Match, reader: _Reader) -> tuple[int, int, int, int] | None:
    """The colour a ``C`` placeholder captured (None when the phrase names none)."""
    return parse_colour(m.colours[0]) if m.colours else None


def _centering(position: Match) -> tuple[float, float]:
    """What a crop keeps for a position phrase: the top (0.5, 0), the left (0, 0.5), a corner (0, 0)."""
    anchor = position.value
    return anchor.centering if isinstance(anchor, Anchor) else (0.5, 0.5)


def _degree(items: list[Item], index: int) -> bool:
    """ "a little transparent", "a little to the left": "a little" says how much, it is no size ("a little
    @logo" and "@logo, a little" still are)."""
    m = items[index]
    if not (isinstance(m, Match) and m.category == "size" and m.words == ("little",)) or index == 0:
        return False
    before, after = items[index - 1], items[index + 1] if index + 1 < len(items) else None
    article = isinstance(before, Token) and before.is_word("a")
    said_of = after is not None and not (isinstance(after, Token) and after.kind in (Kind.TAG, Kind.SEP))
    verb = index > 1 and isinstance(items[index - 2], Match) and items[index - 2].category == "motion"
    return article and (said_of or verb)  # "bounces a little": how much it bounces


def _negated(items: list[Item], index: int) -> bool:
    before = neighbour(items, index, -1, ARTICLES | _NEGATION_GAP)
    return before is not None and isinstance(before[1], Token) and before[1].is_word(*NEGATIONS)


def _after_preposition(items: list[Item], index: int) -> bool:
    """ "on the background", "slides across the background": a place, not a role."""
    before = neighbour(items, index, -1, ARTICLES)
    if before is not None and isinstance(before[1], Match):
        return before[1].words[-1:] != () and before[1].words[-1] in PLACE_PREPOSITIONS
    return before is not None and isinstance(before[1], Token) and before[1].is_word(*PLACE_PREPOSITIONS)
