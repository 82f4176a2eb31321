"""Slideshows: which slide (or which two, mid-transition) is on screen at time t, and its pixels.

Each slide is decoded when it is first shown, cover-fitted to the canvas and kept in a small cache;
the decoded file is dropped at once (frames stream in time order, so a slide is scaled once and dropped
when it is no longer needed: memory stays flat in the number of frames and slides; 30 phone photos
would be a gigabyte decoded). JPEGs are decoded at the smallest DCT scale that still covers the
canvas. A transition frame composites two full slides.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PIL import Image

from imagegen.render.compose import is_opaque
from imagegen.render.easing import ease
from imagegen.render.effects import apply_effects
from imagegen.render.layout import contain_size, decoded_size, prescale, resample_for
from imagegen.scene import Anchor, Canvas, Easing, Fit, Layer, Role, Slideshow, Transition

#: Slides kept scaled at once: the one showing, the next, and the first (a looping show returns to it).
CACHED_SLIDES = 3
#: How much the outgoing slide grows during a ZOOM transition.
ZOOM_GROWTH = 0.5
#: Thumbnail side of each slide, for building GIF palettes.
PALETTE_SIDE = 256

#: Transitions whose frames are copies of the two slides or a blend of them (opaque when both slides are).
_COPIES_OR_BLENDS = frozenset({Transition.CUT, Transition.CROSSFADE, Transition.WIPE})

_EASINGS = {Transition.CROSSFADE: Easing.LINEAR, Transition.CUT: Easing.LINEAR}


Size = tuple[int, int]


def shown_size(show: Slideshow, canvas: Canvas) -> Callable[[Size], Size]:
    """Given a slide file's stored size, the size it is shown at or more: cover- or contain-fitted to the
    canvas, whichever way up its EXIF turns it (for decoding a JPEG at a reduced scale)."""
    slide = Layer("slide", role=Role.BACKGROUND, fit=Fit.COVER if show.cover else Fit.CONTAIN)
    return decoded_size([slide], canvas)


def thumbnail_size(size: Size) -> Size:
    """Given a slide file's stored size, its palette thumbnail's size or more (see :func:`thumbnail`)."""
    scale = min(1.0, PALETTE_SIDE / max(size))
    return max(1, math.ceil(size[0] * scale)), max(1, math.ceil(size[1] * scale))


def thumbnail(image: Image.Image) -> Image.Image:
    """A small RGBA copy of a slide, for building GIF palettes."""
    thumb = image.convert("RGBA")
    thumb.thumbnail((PALETTE_SIDE, PALETTE_SIDE))
    return thumb


@dataclass(frozen=True)
class SlideState:
    """What the backdrop shows: slide ``current``, or ``progress`` of the way to slide ``following``."""

    current: int
    following: int | None = None
    progress: float = 0.0


def slide_windows(show: Slideshow) -> list[tuple[float, float]]:
    """Each slide's (start, end) as fractions of the animation."""
    total = show.seconds
    windows, start = [], 0.0
    for slide in show.slides:
        end = start + slide.seconds / total
        windows.append((start, end))
        start = end
    return windows


def transition_fraction(show: Slideshow) -> float:
    """The length of one transition as a fraction of the animation (at most half the shortest slide)."""
    if show.transition is Transition.CUT or len(show.slides) < 2:
        return 0.0
    shortest = min(slide.seconds for slide in show.slides)
    return min(max(0.0, show.transition_s), shortest / 2) / show.seconds


def slide_state(show: Slideshow, t: float, looping: bool) -> SlideState:
    """The backdrop at normalised time ``t``; a looping show blends its last slide into the first."""
    t = 0.0 if math.isnan(t) else min(1.0, max(0.0, t))
    if looping and t >= 1.0:
        return SlideState(0)
    windows = slide_windows(show)
    count = len(windows)
    index = next((k for k, (_, end) in enumerate(windows) if t < end), count - 1)
    following = index + 1 if index + 1 < count else (0 if looping else None)
    blend = transition_fraction(show)
    end = windows[index][1]
    if following is None or blend <= 0.0 or t < end - blend:
        return SlideState(index)
    progress = (t - (end - blend)) / blend
    if progress >= 1.0:
        return SlideState(following)
    return SlideState(index, following, progress)


class SlideshowBackdrop:
    """The slides of one scene, scaled on demand (cached, see :data:`CACHED_SLIDES`), drawn for any t.

    :param load: decodes a slide's image (called when the slide is scaled; the result is not kept).
    :param thumbnails: one small copy per slide, for GIF palettes (made while the scene is prepared).
    """

    def __init__(
        self,
        show: Slideshow,
        load: Callable[[str], Image.Image],
        canvas: Canvas,
        looping: bool,
        thumbnails: Sequence[Image.Image],
    ):
        self.show, self.canvas, self.looping = show, canvas, looping
        self._load = load
        self._thumbnails = list(thumbnails)
        self._cache: OrderedDict[int, Image.Image] = OrderedDict()
        self._opaque: dict[int, bool] = {}  # per slide, learnt when it is first scaled

    def state(self, t: float) -> SlideState:
        return slide_state(self.show, t, self.looping)

    def slide(self, index: int) -> Image.Image:
        """Slide ``index`` cover-fitted to the canvas over the canvas colour (RGBA)."""
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        tag = self.show.slides[index].tag
        source = self._load(tag)
        image = Image.new("RGBA", self.canvas.size, self.canvas.background or (0, 0, 0, 0))
        if self.show.cover:
            fitted = prescale(Layer(tag, role=Role.BACKGROUND), source, self.canvas)
            if is_opaque(fitted):  # what alpha_composite makes of an opaque picture: the picture
                image.paste(fitted)
            else:
                image.alpha_composite(fitted.convert("RGBA"))
        else:  # whole, centred, letterboxed on the canvas colour
            size = contain_size(source.size, self.canvas.size)
            fitted = source.convert("RGBA").resize(size, resample_for(source.size, size))
            image.alpha_composite(fitted, ((self.canvas.width - size[0]) // 2, (self.canvas.height - size[1]) // 2))
        image = apply_effects(image, self.show.slides[index].effects)
        self._cache[index] = image
        self._opaque[index] = is_opaque(image)
        while len(self._cache) > CACHED_SLIDES:  # the first slide stays: a looping show ends on it
            oldest = next(key for key in self._cache if key != 0)
            del self._cache[oldest]
        return image

    def opaque(self, state: SlideState, image: Image.Image) -> bool:
        """Every pixel of ``image``, the backdrop for ``state``, is opaque.

        Known for a slide, and for a transition that only copies or blends two opaque slides; otherwise the
        pixels are looked at (a diagonal push leaves two corners clear, a zoom resamples).
        """
        shown = [self._opaque.get(state.current)]
        if state.following is None and shown[0] is not None:
            return shown[0]
        shown.append(None if state.following is None else self._opaque.get(state.following))
        transition = self.show.transition
        straight_push = transition is Transition.PUSH and None in self.show.direction.axes
        if all(known is True for known in shown) and (transition in _COPIES_OR_BLENDS or straight_push):
            return True
        return is_opaque(image)

    @property
    def cached(self) -> int:
        """How many scaled slides are held right now (at most :data:`CACHED_SLIDES`)."""
        return len(self._cache)

    def image(self, state: SlideState) -> Image.Image:
        """The backdrop for ``state`` (a cached slide, or a new image mid-transition)."""
        old = self.slide(state.current)
        if state.following is None:
            return old
        new = self.slide(state.following)
        p = ease(_EASINGS.get(self.show.transition, Easing.EASE_IN_OUT), state.progress)
        return _TRANSITIONS[self.show.transition](old, new, p, self.show.direction)

    def thumbnails(self) -> list[Image.Image]:
        """Small copies of every slide (for GIF palettes)."""
        return list(self._thumbnails)


def _crossfade(old: Image.Image, new: Image.Image, p: float, direction: Anchor) -> Image.Image:
    return Image.blend(old, new, p)


def _offset(size: tuple[int, int], p: float, direction: Anchor) -> tuple[int, int]:
    """How far (x, y) the new slide still is from its place, on the side ``direction`` names."""
    fx, fy = direction.axes
    dx = 0 if fx is None else round((1 - p) * size[0]) * (1 if fx == 1.0 else -1)
    dy = 0 if fy is None else round((1 - p) * size[1]) * (1 if fy == 1.0 else -1)
    if dx == 0 and dy == 0 and p < 1:  # CENTER names no edge: from the right, like a page turn
        dx = round((1 - p) * size[0])
    return dx, dy


def _push(old: Image.Image, new: Image.Image, p: float, direction: Anchor) -> Image.Image:
    dx, dy = _offset(old.size, p, direction)
    out = Image.new("RGBA", old.size)
    shift_x = dx - (old.width if dx > 0 else -old.width if dx < 0 else 0)
    shift_y = dy - (old.height if dy > 0 else -old.height if dy < 0 else 0)
    out.paste(old, (shift_x, shift_y))
    out.paste(new, (dx, dy))
    return out


def _wipe(old: Image.Image, new: Image.Image, p: float, direction: Anchor) -> Image.Image:
    dx, dy = _offset(old.size, p, direction)
    w, h = old.size
    box = (max(0, dx), max(0, dy), min(w, w + dx), min(h, h + dy))
    out = old.copy()
    if box[0] < box[2] and box[1] < box[3]:
        out.paste(new.crop(box), box[:2])
    return out


def _zoom(old: Image.Image, new: Image.Image, p: float, direction: Anchor) -> Image.Image:
    w, h = old.size
    scale = 1.0 + ZOOM_GROWTH * p
    cw, ch = w / scale, h / scale
    box = ((w - cw) / 2, (h - ch) / 2, (w + cw) / 2, (h + ch) / 2)
    grown = old.resize(old.size, Image.Resampling.BILINEAR, box=box)
    return Image.blend(grown, new, p)


def _cut(old: Image.Image, new: Image.Image, p: float, direction: Anchor) -> Image.Image:
    return new if p >= 0.5 else old


_TRANSITIONS: dict[Transition, Callable[[Image.Image, Image.Image, float, Anchor], Image.Image]] = {
    Transition.CUT: _cut,
    Transition.CROSSFADE: _crossfade,
    Transition.PUSH: _push,
    Transition.WIPE: _wipe,
    Transition.ZOOM: _zoom,
}
