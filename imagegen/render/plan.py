"""prepare() -> RenderPlan: all per-scene work done once, then frames streamed from one buffer."""

from __future__ import annotations

import contextlib
import logging
import math
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from imagegen.errors import LimitError, RenderCancelled, RenderError
from imagegen.limits import LIMITS, Limits
from imagegen.render.checks import check_drawable, check_limits
from imagegen.render.compose import Box, Draw, FrameBuffer, intersect, is_opaque, union
from imagegen.render.effects import split_fades
from imagegen.render.layout import Fitting, decoded_size, fitting, prescale, source_scale
from imagegen.render.motion import IDENTITY, MOTIONS, transform_at
from imagegen.render.placement import Placement, inset_region, place, place_beside, place_in_region
from imagegen.render.slides import SlideshowBackdrop, SlideState, shown_size, thumbnail, thumbnail_size
from imagegen.render.sources import ImageSource, Size, load_source, match_sources
from imagegen.render.sprites import SpriteRenderer, quantised_angle, rotated_size
from imagegen.render.text import rasterise
from imagegen.render.treatments import decorate, source_for, with_effects
from imagegen.scene import Canvas, Layer, Role, Scene
from imagegen.store.tags import tag_key

log = logging.getLogger(__name__)
_LOADERS = max(1, min(4, os.cpu_count() or 1))  # images decoded at once while a plan is prepared

MAX_TEXT_ZOOM = 4.0
"""Zoomed text is rasterised at most this much larger than at rest (sharp edges without huge sprites)."""

NO_CHANGE: Box = (0, 0, 0, 0)
"""Frame.dirty of a frame identical to the previous one (an empty box)."""


@dataclass(frozen=True)
class Frame:
    """One rendered frame.

    ``image`` is (H, W, 4) uint8 RGBA at canvas size; it is the plan's working buffer, overwritten
    by the next frame — copy it to keep it. ``dirty`` is the (left, top, right, bottom) box that
    differs from the previous frame (None for the first frame = everything; :data:`NO_CHANGE`, an
    empty box, when nothing changed).
    """

    index: int
    image: np.ndarray
    duration_ms: int
    dirty: tuple[int, int, int, int] | None


@dataclass
class _Moving:
    """A layer with motions: its static placement and its sprite renderer."""

    layer: Layer
    placement: Placement
    sprite: SpriteRenderer


def frame_times(frame_count: int, cyclic: bool) -> list[float]:
    """Normalised time of each frame.

    A cyclic animation (every motion looks the same at t=1 as at t=0) samples ``i / n`` so a loop
    never shows the seam frame twice; anything else samples ``i / (n - 1)`` so the last frame shows
    where the motions end (a slide "to the right" ends at the right). One frame is t=0.
    """
    if frame_count <= 1:
        return [0.0]
    step = frame_count if cyclic else frame_count - 1
    return [i / step for i in range(frame_count)]


def frame_durations(total_ms: int, frame_count: int) -> list[int]:
    """Whole-millisecond durations that sum exactly to ``total_ms`` (rounding spread evenly)."""
    return [(i + 1) * total_ms // frame_count - i * total_ms // frame_count for i in range(frame_count)]


class RenderPlan:
    """A scene with its images loaded, scaled and the static part composited; renders frames.

    Build with :func:`prepare`. Attributes: ``scene``, ``frame_count``, ``base`` (RGBA canvas of
    every static layer below the lowest moving one), ``sprites`` (the moving layers' pre-scaled
    images at rest, for palette building).
    """

    def __init__(
        self,
        scene: Scene,
        base: np.ndarray,
        items: list[_Moving | Draw],
        backdrop: SlideshowBackdrop | None = None,
        layers: list[_Moving | Draw | None] | None = None,
        placements: list[Placement] | None = None,
    ):
        """:param base: (h, w, 4) RGBA of the static layers below the moving ones (the image shares it).
        :param layers: per scene layer, in order, its static draw or its moving item (None: nothing drawn),
            so the design checks can look at each layer on its own (:meth:`layer_draws`).
        :param placements: per scene layer, its static box (may reach outside the canvas; ``placements``)."""
        self.scene = scene
        self._layers = layers if layers is not None else []
        self.placements: list[Placement] = placements if placements is not None else []
        self.frame_count = scene.frame_count
        self._backdrop = backdrop
        static = Image.fromarray(base)
        self.base = static if backdrop is None else backdrop.image(backdrop.state(0.0))
        self._base_pixels = base if backdrop is None else None  # ``base`` as an array: no copy for palettes
        self._base_opaque = is_opaque(static)  # a static base; a slideshow says per frame
        self._items = items
        self._moving = [item for item in items if isinstance(item, _Moving)]
        self.sprites: list[Image.Image] = [m.sprite.at_rest() for m in self._moving]
        if backdrop is not None:
            self.sprites += backdrop.thumbnails()
        self._times = frame_times(self.frame_count, self._cyclic())

    def palette_sources(self) -> list[Image.Image | np.ndarray]:
        """What a GIF's global palette must cover besides the first frame: the base (its pixels, not a
        copy, which would delay the start of every GIF) and the sprites."""
        return [self.base if self._base_pixels is None else self._base_pixels, *self.sprites]

    def sprites_on_base(self) -> Iterator[np.ndarray]:
        """Each moving sprite that keeps its opacity drawn at rest over the base at its place, as RGBA
        arrays of its box: the blends of its anti-aliased edges with what lies under it, colours that
        neither the base nor the sprite holds and the first frame may not show (a logo sliding in from
        off the canvas). A GIF's palette fitted to smooth content takes them in (issue 30: a logo's
        rim over a sky had no colours of its own). A fading sprite is left out: it is seen mostly
        partly transparent, not as drawn at rest. Drawn as they are asked for: a photo's palette does
        not ask."""
        canvas: Box = (0, 0, *self.base.size)
        for moving in self._moving:
            draw = moving.sprite.draw(IDENTITY, moving.placement.centre)
            box = None if draw is None else intersect(draw.box, canvas)
            if draw is None or box is None or not self._keeps_opacity(moving):
                continue
            part = self.base.crop(box).convert("RGBA")
            left, top = box[0] - draw.left, box[1] - draw.top
            part.alpha_composite(draw.faded(), (0, 0), (left, top, left + part.width, top + part.height))
            yield np.asarray(part)

    def _keeps_opacity(self, moving: _Moving) -> bool:
        """The sprite shows at one alpha level in every frame (it may move, turn or scale)."""
        canvas = self.scene.canvas
        looks = (moving.sprite.look(transform_at(moving.layer, moving.placement, canvas, t)) for t in self._times)
        return len({level for _size, _angle, level in looks}) == 1

    def _cyclic(self) -> bool:
        backdrop = self._backdrop
        if not self._moving and backdrop is None:
            return False
        if backdrop is not None and backdrop.state(0.0) != backdrop.state(1.0):
            return False
        return all(self._same_at_both_ends(m) for m in self._moving)

    def _same_at_both_ends(self, m: _Moving) -> bool:
        """Same look at t=0 and t=1, or off the canvas at both ("flies across": it leaves and comes round)."""
        canvas = self.scene.canvas
        first, last = (transform_at(m.layer, m.placement, canvas, t) for t in (0.0, 1.0))
        if first.same_look(last):
            return True
        return m.sprite.draw(first, m.placement.centre) is None and m.sprite.draw(last, m.placement.centre) is None

    def _base_at(self, t: float) -> tuple[SlideState | None, Image.Image, bool]:
        """(slide state, the base under the frame's sprites, whether that base is opaque) at ``t``."""
        if self._backdrop is None:
            return None, self.base, self._base_opaque
        state = self._backdrop.state(t)
        image = self._backdrop.image(state)
        return state, image, self._backdrop.opaque(state, image)

    @property
    def cyclic(self) -> bool:
        """True when frames are sampled at i / n (see :func:`frame_times`)."""
        return len(self._times) > 1 and self._times[-1] < 1.0

    def times(self) -> list[float]:
        """Normalised time of each frame."""
        return list(self._times)

    def durations(self) -> list[int]:
        """Per-frame milliseconds, summing exactly to the animation's length (rounded to 1 ms)."""
        total = round(self.scene.timing.duration_s * 1000)
        return frame_durations(max(total, self.frame_count), self.frame_count)

    def _draws(self, t: float) -> list[Draw | None]:
        canvas = self.scene.canvas
        draws: list[Draw | None] = []
        for item in self._items:
            if isinstance(item, Draw):
                draws.append(item)
            else:
                transform = transform_at(item.layer, item.placement, canvas, t)
                draws.append(item.sprite.draw(transform, item.placement.centre))
        return draws

    def layer_draws(self, t: float) -> list[tuple[Layer, Draw | None]]:
        """Each scene layer and how it is drawn at normalised time ``t`` (None: not drawn), bottom first."""
        canvas = self.scene.canvas
        drawn: list[tuple[Layer, Draw | None]] = []
        for layer, item in zip(self.scene.layers, self._layers, strict=False):
            if isinstance(item, _Moving):
                item = item.sprite.draw(transform_at(item.layer, item.placement, canvas, t), item.placement.centre)
            drawn.append((layer, item))
        return drawn

    def backdrop_at(self, t: float) -> Image.Image | None:
        """A slideshow's backdrop at ``t`` (what lies under every layer); None without a slideshow."""
        return None if self._backdrop is None else self._backdrop.image(self._backdrop.state(t))

    def image_at(self, t: float) -> Image.Image:
        """The whole canvas at normalised time ``t`` as a new RGBA image."""
        _, base, opaque = self._base_at(t)
        frame = FrameBuffer(base)
        full: Box = (0, 0, *base.size)
        for draw in self._draws(t):
            if draw is not None:
                frame.draw(draw, full, opaque)
        return frame.copy()

    def still(self) -> Image.Image:
        """The first frame (t=0) as an RGBA image; for a static scene, the composition."""
        return self.image_at(self._times[0])

    def frames(
        self,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> Iterator[Frame]:
        """Stream the frames; memory does not grow with their number (one reused buffer).

        Each frame redraws only its dirty box (nothing at all for a frame that repeats the last one).

        :param progress: called with (frames done, total) after each frame.
        :param cancel: checked before each frame; when it returns True, :class:`RenderCancelled`.
        """
        total = self.frame_count
        durations = self.durations()
        full: Box = (0, 0, *self.base.size)
        frame = FrameBuffer(self.base)
        previous: list[Draw | None] = []
        shown: SlideState | None = None
        for index, t in enumerate(self._times):
            if cancel is not None and cancel():
                raise RenderCancelled(f"Rendering was cancelled after {index} of {total} frames.")
            draws = self._draws(t)
            state, base, opaque = self._base_at(t)
            dirty = None if index == 0 else _changed_box(previous, draws, full)
            if index and state != shown:  # a new slide or a transition step: the whole backdrop changed
                dirty = full
            shown = state
            box = full if dirty is None else dirty
            if box[0] < box[2] and box[1] < box[3]:
                frame.redraw(base, box, [d for d in draws if d is not None], opaque)
            previous = draws
            yield Frame(index, frame.array, durations[index], dirty)
            if progress is not None:
                progress(index + 1, total)


def _changed_box(before: list[Draw | None], after: list[Draw | None], full: Box) -> Box:
    """Union of the old and new boxes of every draw whose look or position changed, clipped."""
    box: Box | None = None
    for old, new in zip(before, after, strict=True):
        if _same(old, new):
            continue
        for draw in (old, new):
            if draw is not None:
                box = union(box, draw.box)
    if box is None:
        return NO_CHANGE
    clipped = (max(box[0], 0), max(box[1], 0), min(box[2], full[2]), min(box[3], full[3]))
    return clipped if clipped[0] < clipped[2] and clipped[1] < clipped[3] else NO_CHANGE


def _same(a: Draw | None, b: Draw | None) -> bool:
    if a is None or b is None:
        return a is b
    return a is b or (a.key is not None and a.key == b.key and a.left == b.left and a.top == b.top)


def prepare(
    scene: Scene,
    images: Mapping[str, ImageSource],
    *,
    limits: Limits = LIMITS,
    thumbnails: Mapping[str, ImageSource] | None = None,
) -> RenderPlan:
    """Check, load and pre-scale everything once; composite the static layers below the moving ones.

    :param images: image per tag (tags matched ignoring case): a file path or a PIL image.
    :param thumbnails: small copies of some images (per tag; e.g. the session's upload thumbnails):
        a slide with one is not decoded while the scene is prepared, only when it is shown (its file
        is then read once, not twice: a stored 12-megapixel PNG takes ~0.5 s to decode).
    :raise LimitError: before any work, when the scene is beyond ``limits``.
    :raise RenderError: for a tag without an image, an unreadable image, undrawable numbers or a
        layer placed beside a layer that is not in the scene (or beside itself, in a circle).
    """
    check_limits(scene, limits)
    check_drawable(scene)
    scene = split_fades(scene)
    sources = match_sources(scene, images)
    with ThreadPoolExecutor(max_workers=_LOADERS, thread_name_prefix="imagegen-load") as pool:
        loading = _load_all(scene, sources, limits, pool)
        small = {tag_key(tag): source for tag, source in (thumbnails or {}).items()}
        slides = _Slides(scene, sources, loading, limits, pool, small)
        return _prepare_loaded(scene, loading, slides, limits, pool)


class _Slides:
    """A slideshow's images: each checked and thumbnailed (for GIF palettes) in the pool while the scene is
    prepared, then decoded again only when the slide is shown, so a long show of large photos never
    holds them all decoded. An image that is also a layer's is decoded once, with the layers; one with a
    small copy given (``thumbnails``) is thumbnailed from that and first read when shown."""

    def __init__(
        self,
        scene: Scene,
        sources: Mapping[str, ImageSource],
        loading: Mapping[str, Future[Image.Image]],
        limits: Limits,
        pool: ThreadPoolExecutor,
        thumbnails: Mapping[str, ImageSource],
    ) -> None:
        show = scene.slideshow
        shown: dict[str, str] = {}  # key -> the tag as first written (named in errors)
        for tag in () if show is None else show.tags:
            shown.setdefault(tag_key(tag), tag)
        self._scene, self._sources, self._limits, self._small = scene, sources, limits, thumbnails
        self._at_least = None if show is None else shown_size(show, scene.canvas)
        # only the layers' images that are slides too are kept (for as long as the plan lives)
        self._loading = {key: future for key, future in loading.items() if key in shown}
        self._thumbnails = {key: pool.submit(self._thumbnail, tag) for key, tag in shown.items() if key not in loading}

    def _thumbnail(self, tag: str) -> Image.Image:
        small = self._small.get(tag_key(tag))
        if small is not None:
            with contextlib.suppress(RenderError, LimitError):  # a copy that cannot be read: the image itself
                return thumbnail(load_source(tag, small, self._limits))
        return thumbnail(load_source(tag, self._sources[tag_key(tag)], self._limits, at_least=thumbnail_size))

    def load(self, tag: str) -> Image.Image:
        """A slide's image, decoded now (large enough for the canvas), unless it is a layer's too."""
        key = tag_key(tag)
        if key in self._loading:
            return self._loading[key].result()
        return load_source(tag, self._sources[key], self._limits, at_least=self._at_least)

    def backdrop(self) -> SlideshowBackdrop | None:
        """The slideshow's backdrop (None without one). A slide that cannot be read raises here, in slide
        order, unless a small copy of it was given (then it raises when it is shown)."""
        show = self._scene.slideshow
        if show is None or not show.slides:
            return None
        thumbnails = [
            self._thumbnails[key].result() if key in self._thumbnails else thumbnail(self._loading[key].result())
            for key in (tag_key(tag) for tag in show.tags)
        ]
        return SlideshowBackdrop(show, self.load, self._scene.canvas, self._scene.timing.loops == 0, thumbnails)


def _prepare_loaded(
    scene: Scene,
    loading: Mapping[str, Future[Image.Image]],
    slides: _Slides,
    limits: Limits,
    pool: ThreadPoolExecutor,
) -> RenderPlan:
    """The plan, from the scene's images (being decoded in ``pool``); the image layers' sprites are
    scaled in ``pool`` too (Pillow resizes with the GIL released), then drawn in layer order."""
    canvas = scene.canvas
    treated: dict[tuple, Image.Image] = {}

    def load(tag: str) -> Image.Image:
        return loading[tag_key(tag)].result()  # a file that cannot be read raises here, in scene order

    def source(layer: Layer) -> Image.Image:
        """The layer's image knocked out and trimmed as it says (each look made once)."""
        look = (tag_key(layer.tag), layer.knockout, layer.trim and layer.role is not Role.BACKGROUND)
        if look not in treated:
            treated[look] = source_for(replace(layer, trim=look[2]), load(layer.tag))
        return treated[look]

    prepared = [_prepare_layer(layer, source, canvas) for layer in scene.layers]
    placements = _placements(scene, [(layer, fit) for layer, _, fit in prepared])
    items: list[_Moving | Draw] = []
    # Both samplings, so the pre-scale covers whichever frame_times() the plan ends up using.
    times = sorted({*frame_times(scene.frame_count, cyclic=False), *frame_times(scene.frame_count, cyclic=True)})
    backdrop = slides.backdrop()
    sprites = [  # submitted first: the canvas below is made while they scale
        None
        if layer.text is not None  # text is rasterised below, in this thread: its cached fonts are shared objects
        else pool.submit(_moving, layer, image, fit, placement, scene, times=times, limits=limits)
        if layer.animated
        else pool.submit(_static, layer, image, fit, placement, canvas)
        for (layer, image, fit), placement in zip(prepared, placements, strict=True)
    ]
    base = FrameBuffer.filled(canvas.size, canvas.background or (0, 0, 0, 0))
    base_opaque, whole = not canvas.transparent, (0, 0, *canvas.size)
    per_layer: list[_Moving | Draw | None] = []  # for the design checks: each layer on its own
    for (layer, image, _), placement, sprite in zip(prepared, placements, sprites, strict=True):
        if sprite is None:
            item = _text_item(layer, image, placement, scene, times, limits)
            per_layer.append(item)
            if isinstance(item, Draw) and not items and backdrop is None:
                base.draw(item, whole, base_opaque)
            else:
                items.append(item)
            continue
        if layer.animated:
            items.append(sprite.result())
            per_layer.append(items[-1])
            continue
        draw = sprite.result()
        per_layer.append(draw)
        if draw is None:
            continue
        if items or backdrop is not None:  # layers above a slideshow are drawn over each frame's slide
            items.append(draw)
        else:
            base.draw(draw, whole, base_opaque)
    log.debug("prepared %d layers, %d drawn per frame", len(scene.layers), len(items))
    return RenderPlan(scene, base.array, items, backdrop, per_layer, placements)


def _load_all(
    scene: Scene, sources: Mapping[str, ImageSource], limits: Limits, pool: ThreadPoolExecutor
) -> dict[str, Future[Image.Image]]:
    """Every layer's image, decoded in ``pool``: Pillow decodes with the GIL released, so large photos
    load on every core (a slideshow's own images are decoded when shown, see :class:`_Slides`)."""
    loading: dict[str, Future[Image.Image]] = {}
    for layer in scene.layers:
        key = tag_key(layer.tag)
        if key in sources and key not in loading:
            uses = [other for other in scene.layers if tag_key(other.tag) == key]
            at_least = _shown_size(uses, scene.canvas)
            loading[key] = pool.submit(load_source, layer.tag, sources[key], limits, at_least=at_least)
    return loading


def _shown_size(layers: list[Layer], canvas: Canvas) -> Callable[[Size], Size] | None:
    """For an image drawn by ``layers``: the size to decode it at (see ``layout.decoded_size``), so a
    phone photo behind a 1080 px canvas is decoded at half scale. None (decode it whole) when a layer
    moves (a zoom wants more), knocks out or trims (the part used depends on the pixels)."""
    if any(
        layer.animated or layer.knockout is not None or (layer.trim and layer.role is not Role.BACKGROUND)
        for layer in layers
    ):
        return None
    return decoded_size(layers, canvas)


def _prepare_layer(
    layer: Layer, source: Callable[[Layer], Image.Image], canvas: Canvas
) -> tuple[Layer, Image.Image, Fitting]:
    """The layer's source (a text: its rasterised block) and how it fits; sizes only, nothing placed yet."""
    if layer.text is None:
        image = source(layer)
        return layer, image, fitting(layer, image.size, canvas)
    image = rasterise(layer, canvas).image
    whole = (0.0, 0.0, float(image.width), float(image.height))
    return layer, image, Fitting(image.size, whole, 0, inset_region(layer, canvas))


def _placements(scene: Scene, fits: list[tuple[Layer, Fitting]]) -> list[Placement]:
    """Each layer's static box: at its anchor, in its region, or beside another layer (resolved in order)."""
    canvas = scene.canvas
    done: dict[int, Placement] = {}
    keys = [tag_key(layer.tag) for layer, _ in fits]
    for index, (layer, fit) in enumerate(fits):
        size = rotated_size(fit.size, quantised_angle(layer.rotation))
        if layer.beside is not None:
            continue
        if fit.region is not None:
            done[index] = place_in_region(layer, size, fit.region)
        else:
            done[index] = place(layer, size, canvas)
    waiting = [i for i in range(len(fits)) if i not in done]
    while waiting:
        progressed = False
        for index in list(waiting):
            layer, fit = fits[index]
            relation = layer.beside
            assert relation is not None
            other_key = tag_key(relation.tag)
            if other_key == keys[index] or other_key not in keys:
                raise RenderError(_beside_message(layer, scene))
            other = next((i for i, key in enumerate(keys) if key == other_key and i != index), None)
            if other is None or other not in done:
                continue
            size = rotated_size(fit.size, quantised_angle(layer.rotation))
            done[index] = place_beside(layer, size, done[other], canvas)
            waiting.remove(index)
            progressed = True
        if not progressed:
            names = " and ".join(fits[i][0].name for i in waiting)
            raise RenderError(f"{names} are each placed next to the other, in a circle — anchor one of them.")
    return [done[i] for i in range(len(fits))]


def _beside_message(layer: Layer, scene: Scene) -> str:
    assert layer.beside is not None
    if tag_key(layer.beside.tag) == tag_key(layer.tag):
        return f"{layer.name} is placed next to itself — name another layer, e.g. {layer.name} next to @logo."
    others = [other.name for other in scene.layers if tag_key(other.tag) != tag_key(layer.tag)]
    listed = ", ".join(others) or "no other layer"
    return f"{layer.name} is placed next to @{layer.beside.tag}, which is not a layer of the picture (it has {listed})."


def _sprite(layer: Layer, image: Image.Image, fit: Fitting, canvas: Canvas, scale: float = 1.0) -> SpriteRenderer:
    decorated, (pad_x, pad_y) = decorate(prescale(layer, image, canvas, scale), layer, scale)
    fitted = (fit.size[0] + 2 * pad_x, fit.size[1] + 2 * pad_y)
    return SpriteRenderer(decorated, fitted, layer.rotation, layer.opacity, canvas.size, exact=_exact(layer))


def _static(layer: Layer, image: Image.Image, fit: Fitting, placement: Placement, canvas: Canvas) -> Draw | None:
    return _sprite(layer, image, fit, canvas).draw(IDENTITY, placement.centre)


def _moving(
    layer: Layer,
    image: Image.Image,
    fit: Fitting,
    placement: Placement,
    scene: Scene,
    *,
    times: list[float],
    limits: Limits,
) -> _Moving:
    canvas = scene.canvas
    # Pre-scale once at the largest scale any frame needs, so zoomed frames only ever shrink it.
    wanted = max(transform_at(layer, placement, canvas, t).scale for t in times)
    crop = (round(fit.crop[2] - fit.crop[0]), round(fit.crop[3] - fit.crop[1]))
    scale = source_scale(fit.image, crop, wanted, limits.max_image_pixels // 4)
    return _Moving(layer, placement, _sprite(layer, image, fit, canvas, scale))


def _text_item(
    layer: Layer, image: Image.Image, placement: Placement, scene: Scene, times: list[float], limits: Limits
) -> _Moving | Draw:
    """A text layer rasterised once at its final size (and again larger if a zoom needs the detail),
    then drawn like any image sprite."""
    canvas = scene.canvas
    image = with_effects(image, layer)
    sprite = SpriteRenderer(image, image.size, layer.rotation, layer.opacity, canvas.size)
    if not layer.animated:
        return sprite.draw(IDENTITY, placement.centre) or Draw(Image.new("RGBA", (1, 1)), 0, 0, "empty")
    wanted = max(transform_at(layer, placement, canvas, t).scale for t in times)
    budget = math.sqrt(limits.max_image_pixels // 4 / (image.width * image.height))
    scale = max(1.0, min(wanted, budget, MAX_TEXT_ZOOM))
    if scale > 1.0:
        source = with_effects(rasterise(layer, canvas, scale).image, layer, scale)
        sprite = SpriteRenderer(source, image.size, layer.rotation, layer.opacity, canvas.size)
    return _Moving(layer, placement, sprite)


def _exact(layer: Layer) -> bool:
    """Ken Burns motions of a canvas-covering picture are drawn to the sub-pixel (no half-pixel wobble)."""
    return layer.role is Role.BACKGROUND and any(MOTIONS[m.kind].exact for m in layer.motions)


def render_still(scene: Scene, images: Mapping[str, ImageSource], *, limits: Limits = LIMITS) -> Image.Image:
    """The scene's first frame (the composition, for a static scene) as an RGBA image."""
    return prepare(scene, images, limits=limits).still()
