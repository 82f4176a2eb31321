"""Motions: normalised animation time -> a :class:`Transform` of a layer's static placement.

``motion_time`` turns the global ``t`` into a motion's eased local time (its start/end window,
repeats and pingpong); one small function per :class:`~imagegen.scene.MotionKind` turns that local
time into a transform; :func:`transform_at` combines all motions of a layer (offsets and angles add,
scales and opacities multiply). Each kind has one :class:`MotionRecord` in :data:`MOTIONS` (its function,
default amount and how far it can reach); the prompt side has one vocabulary row per kind (words, easing,
the sentence ``explain`` uses). A test checks both tables cover every :class:`MotionKind`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from imagegen.errors import RenderError
from imagegen.render.easing import ease
from imagegen.render.placement import Placement, axis_position
from imagegen.scene import Anchor, Canvas, Layer, Motion, MotionKind

__all__ = [
    "IDENTITY",
    "MOTIONS",
    "MotionContext",
    "MotionRecord",
    "Placement",
    "Transform",
    "motion_time",
    "motion_transform",
    "transform_at",
]

SHAKES_PER_REPEAT = 3
"""Full left-right wiggles a SHAKE makes per repeat."""


@dataclass(frozen=True)
class Transform:
    """A change relative to the layer's static placement (about the sprite's centre)."""

    dx: float = 0.0  # pixels, right positive
    dy: float = 0.0  # pixels, down positive
    angle: float = 0.0  # degrees, clockwise positive
    scale: float = 1.0
    opacity: float = 1.0  # multiplier of the layer's own opacity

    def then(self, other: Transform) -> Transform:
        """Both transforms applied: offsets and angles add, scales and opacities multiply."""
        return Transform(
            dx=self.dx + other.dx,
            dy=self.dy + other.dy,
            angle=self.angle + other.angle,
            scale=self.scale * other.scale,
            opacity=self.opacity * other.opacity,
        )

    def same_look(self, other: Transform, tol: float = 1e-6) -> bool:
        """True when both draw the same picture (angles compared modulo a full turn)."""
        turn = (self.angle - other.angle) % 360.0
        return (
            abs(self.dx - other.dx) <= tol
            and abs(self.dy - other.dy) <= tol
            and min(turn, 360.0 - turn) <= tol
            and abs(self.scale - other.scale) <= tol
            and abs(self.opacity - other.opacity) <= tol
        )


IDENTITY = Transform()


@dataclass(frozen=True)
class MotionContext:
    """What a motion function may look at besides its own fields."""

    layer: Layer
    placement: Placement
    canvas: Canvas


MotionFn = Callable[[Motion, float, MotionContext], Transform]
ReachFn = Callable[[float, float, float], tuple[float, float]]
"""(amount, half width, half height) -> the half extents the sprite can grow to under this motion."""


def _same_reach(amount: float, half_w: float, half_h: float) -> tuple[float, float]:
    return half_w, half_h


@dataclass(frozen=True)
class MotionRecord:
    """Everything the renderer knows about one motion kind."""

    transform: MotionFn  # (motion, eased local time, context) -> Transform
    default_amount: float = 1.0  # used when Motion.amount is None (see Motion for each kind's unit)
    reach: ReachFn = _same_reach  # how far the sprite may extend (sizes the off-canvas start of a slide)
    exact: bool = False  # a Ken Burns motion: a canvas-covering picture is drawn to the sub-pixel (no wobble)


def _clamp01(value: float) -> float:
    return min(1.0, max(0.0, value))


def _amount(motion: Motion) -> float:
    value = _record(motion).default_amount if motion.amount is None else float(motion.amount)
    if not math.isfinite(value):
        raise RenderError(f"The {motion.kind} motion has amount {value} — it must be a finite number.")
    return value


def motion_time(motion: Motion, t: float) -> float:
    """The eased local time of ``motion`` at global time ``t`` (clamped to [0, 1]).

    Before ``start`` the motion holds local time 0, after ``end`` the end of its last repeat. Each
    repeat runs 0 -> 1 (or 0 -> 1 -> 0 with ``pingpong``); a repeat boundary counts as the end of
    the earlier repeat, so the last frame of a non-cyclic motion shows its end state.
    """
    if not math.isfinite(motion.repeats) or motion.repeats <= 0:
        raise RenderError(f"The {motion.kind} motion repeats {motion.repeats} times — it must be a positive number.")
    progress = _window_progress(motion, t) * motion.repeats
    phase = 0.0 if progress <= 0.0 else progress - math.ceil(progress) + 1.0
    if motion.pingpong:
        phase = 1.0 - abs(2.0 * phase - 1.0)
    return ease(motion.easing, phase)


def _window_progress(motion: Motion, t: float) -> float:
    """Linear progress through the motion's start..end window (a step when the window is empty)."""
    t = 0.0 if math.isnan(t) else _clamp01(t)
    start, end = _clamp01(motion.start), _clamp01(motion.end)
    if end <= start:
        return 0.0 if t < start else 1.0
    return _clamp01((t - start) / (end - start))


# --- one function per kind ---------------------------------------------------------------------------


def _spin(motion: Motion, u: float, ctx: MotionContext) -> Transform:
    direction = 1.0 if motion.clockwise else -1.0
    return Transform(angle=direction * 360.0 * _amount(motion) * u)


def _bounce(motion: Motion, u: float, ctx: MotionContext) -> Transform:
    # A parabolic hop (gravity): up at the start, highest at half-time, landed at the end.
    height = _amount(motion) * ctx.placement.height
    return Transform(dy=-height * 4.0 * u * (1.0 - u))


def _fade_in(motion: Motion, u: float, ctx: MotionContext) -> Transform:
    return Transform(opacity=_clamp01(u))


def _fade_out(motion: Motion, u: float, ctx: MotionContext) -> Transform:
    return Transform(opacity=_clamp01(1.0 - u))


def _zoom_factor(motion: Motion) -> float:
    amount = _amount(motion)
    if amount <= 0:
        raise RenderError(f"The {motion.kind} motion has amount {amount} — a zoom factor must be above 0.")
    return amount


def _zoom_in(motion: Motion, u: float, ctx: MotionContext) -> Transform:
    return Transform(scale=max(0.0, 1.0 + (_zoom_factor(motion) - 1.0) * u))


def _zoom_out(motion: Motion, u: float, ctx: MotionContext) -> Transform:
    return Transform(scale=max(0.0, 1.0 + (1.0 / _zoom_factor(motion) - 1.0) * u))


def _pulse(motion: Motion, u: float, ctx: MotionContext) -> Transform:
    # Raised cosine: 1 -> 1 + amount -> 1 with zero speed at both ends, so repeats "breathe" smoothly.
    return Transform(scale=max(0.0, 1.0 + _amount(motion) * (1.0 - math.cos(2.0 * math.pi * u)) / 2.0))


def _shake(motion: Motion, u: float, ctx: MotionContext) -> Transform:
    reach = _amount(motion) * ctx.placement.width
    return Transform(dx=reach * math.sin(2.0 * math.pi * SHAKES_PER_REPEAT * u))


def _pop_in(motion: Motion, u: float, ctx: MotionContext) -> Transform:
    # "Back" ease-out: grows from nothing, overshoots by about 10 % and settles at its size.
    c1 = _amount(motion)
    v = _clamp01(u) - 1.0
    return Transform(scale=max(0.0, 1.0 + (c1 + 1.0) * v**3 + c1 * v**2))


def _pan(motion: Motion, u: float, ctx: MotionContext) -> Transform:
    # Enlarged by ``amount``; the view travels from the from-side of the picture to the to-side.
    grow = max(1.0, _amount(motion))
    p = ctx.placement
    over = ((grow - 1.0) * p.width / 2, (grow - 1.0) * p.height / 2)
    ends = []
    for anchor in (motion.from_anchor, motion.to_anchor):
        fx, fy = (None, None) if anchor is None else anchor.axes
        ends.append((over[0] * (1 - 2 * (0.5 if fx is None else fx)), over[1] * (1 - 2 * (0.5 if fy is None else fy))))
    (x0, y0), (x1, y1) = ends
    return Transform(dx=x0 + (x1 - x0) * u, dy=y0 + (y1 - y0) * u, scale=grow)


def _slide(motion: Motion, u: float, ctx: MotionContext) -> Transform:
    x0, y0 = _slide_end(motion.from_anchor, motion.to_anchor, motion.enters, ctx, entering=True)
    x1, y1 = _slide_end(motion.to_anchor, motion.from_anchor, motion.exits, ctx, entering=False)
    cx, cy = ctx.placement.centre
    if motion.wrap:
        reach, extents = _reach(ctx), (ctx.canvas.width, ctx.canvas.height)
        x = _lap(x0, x1, u, extents[0], reach[0])
        y = _lap(y0, y1, u, extents[1], reach[1])
        return Transform(dx=x - cx, dy=y - cy)
    return Transform(dx=x0 + (x1 - x0) * u - cx, dy=y0 + (y1 - y0) * u - cy)


def _lap(start: float, end: float, u: float, extent: float, reach: float) -> float:
    """One axis of a wrapping slide at local time ``u``: back at ``start`` when ``u`` is 1.

    An axis whose end is off the canvas goes round: on past the edge and in again from the opposite one
    (just off one edge is just off the other, so the lap is the canvas plus the sprite, and the step from
    the last frame to the first is an ordinary step). An axis that ends on the canvas goes there and back.
    """
    if abs(end - start) < 1e-9:
        return start
    if -reach + 1e-6 < end < extent + reach - 1e-6:
        return start + (end - start) * (1.0 - abs(2.0 * u - 1.0))
    lap = extent + 2.0 * reach
    travelled = start + math.copysign(lap, end - start) * u
    return (travelled + reach) % lap - reach


def _slide_fractions(anchor: Anchor, other: Anchor | None, layer: Layer) -> tuple[float | None, float | None]:
    """The axes ``anchor`` fixes; CENTER fixes only the axes the other end fixes (see Motion)."""
    if anchor is not Anchor.CENTER:
        return anchor.axes
    ref = other if other is not None else layer.anchor
    if ref is Anchor.CENTER:
        return (0.5, 0.5)
    rx, ry = ref.axes
    return (None if rx is None else 0.5, None if ry is None else 0.5)


def _slide_end(
    anchor: Anchor | None, other: Anchor | None, off_canvas: bool, ctx: MotionContext, *, entering: bool
) -> tuple[float, float]:
    """Centre of the sprite at one end of a slide (None = the layer's own placement)."""
    p, canvas = ctx.placement, ctx.canvas
    pos = list(p.centre)
    sizes, extents = (p.width, p.height), (canvas.width, canvas.height)
    fractions = (None, None) if anchor is None else _slide_fractions(anchor, other, ctx.layer)
    for axis, fraction in enumerate(fractions):
        if fraction is not None:
            pos[axis] = axis_position(extents[axis], sizes[axis], p.margin, fraction) + sizes[axis] / 2
    if off_canvas:
        _push_off_canvas(pos, (anchor or ctx.layer.anchor).axes, extents, _reach(ctx), entering=entering)
    return pos[0], pos[1]


def _push_off_canvas(
    pos: list[float],
    edge_axes: tuple[float | None, float | None],
    extents: tuple[int, int],
    reach: tuple[float, float],
    *,
    entering: bool,
) -> None:
    """Move ``pos`` so the sprite is just outside the edge(s) the anchor names (left/right if none)."""
    moved = False
    for axis, fraction in enumerate(edge_axes):
        if fraction == 0.0:
            pos[axis], moved = -reach[axis], True
        elif fraction == 1.0:
            pos[axis], moved = extents[axis] + reach[axis], True
    if not moved:  # CENTER names no edge: come in from the left, leave to the right (reading order)
        pos[0] = -reach[0] if entering else extents[0] + reach[0]


def _reach(ctx: MotionContext) -> tuple[float, float]:
    """Half the largest box the sprite can occupy (spins turn corners outwards, zooms grow it)."""
    half = (ctx.placement.width / 2, ctx.placement.height / 2)
    for motion in ctx.layer.motions:
        half = _record(motion).reach(_amount(motion), *half)
    return half


def _turning_reach(amount: float, half_w: float, half_h: float) -> tuple[float, float]:
    diagonal = math.hypot(half_w, half_h)  # a turning sprite sweeps its corners round
    return diagonal, diagonal


def _growing_reach(amount: float, half_w: float, half_h: float) -> tuple[float, float]:
    grow = max(1.0, amount)
    return half_w * grow, half_h * grow


def _swelling_reach(amount: float, half_w: float, half_h: float) -> tuple[float, float]:
    return _growing_reach(1.0 + max(0.0, amount), half_w, half_h)


MOTIONS: dict[MotionKind, MotionRecord] = {
    MotionKind.SLIDE: MotionRecord(_slide),
    MotionKind.SPIN: MotionRecord(_spin, 1.0, _turning_reach),
    MotionKind.BOUNCE: MotionRecord(_bounce, 0.25),
    MotionKind.FADE_IN: MotionRecord(_fade_in),
    MotionKind.FADE_OUT: MotionRecord(_fade_out),
    MotionKind.ZOOM_IN: MotionRecord(_zoom_in, 1.5, _growing_reach, exact=True),
    MotionKind.ZOOM_OUT: MotionRecord(_zoom_out, 1.5, exact=True),
    MotionKind.PULSE: MotionRecord(_pulse, 0.1, _swelling_reach),
    MotionKind.SHAKE: MotionRecord(_shake, 0.05),
    MotionKind.POP_IN: MotionRecord(_pop_in, 1.70158, lambda amount, w, h: (w * 1.1, h * 1.1)),
    MotionKind.PAN: MotionRecord(_pan, 1.2, _growing_reach, exact=True),
}


def _record(motion: Motion) -> MotionRecord:
    """The renderer's record for ``motion``'s kind.

    :raise RenderError: for a kind without a record in :data:`MOTIONS`.
    """
    record = MOTIONS.get(motion.kind)
    if record is None:
        known = ", ".join(kind.value for kind in MOTIONS)
        raise RenderError(f"Unknown motion '{motion.kind}' — the renderer knows: {known}.")
    return record


def motion_transform(motion: Motion, ctx: MotionContext, t: float) -> Transform:
    """The transform one motion contributes at global time ``t``.

    :raise RenderError: for a motion kind without a record in :data:`MOTIONS`.
    """
    return _record(motion).transform(motion, motion_time(motion, t), ctx)


def transform_at(layer: Layer, placement: Placement, canvas: Canvas, t: float) -> Transform:
    """All of ``layer``'s motions combined at global time ``t`` (IDENTITY for a static layer)."""
    ctx = MotionContext(layer, placement, canvas)
    result = IDENTITY
    for motion in layer.motions:
        result = result.then(motion_transform(motion, ctx, t))
    return result
