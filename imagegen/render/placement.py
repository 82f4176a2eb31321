"""Where a layer's static sprite sits on the canvas (the math of the :mod:`imagegen.scene` docstring).

Shared by the renderer (static placement) and :mod:`imagegen.render.motion` (slide targets), so both round
the same way and a slide "to" the layer's own anchor ends exactly where the still would put it.
"""

from __future__ import annotations

from dataclasses import dataclass

from imagegen.scene import Canvas, Layer, Role, Side


@dataclass(frozen=True)
class Placement:
    """A sprite's static box on the canvas, in pixels (may reach outside the canvas).

    ``margin`` is the inset (px) the layer's anchor was applied in; slides to other anchors reuse it.
    """

    left: int
    top: int
    width: int
    height: int
    margin: int = 0

    @property
    def centre(self) -> tuple[float, float]:
        return (self.left + self.width / 2, self.top + self.height / 2)

    @property
    def box(self) -> tuple[int, int, int, int]:
        return (self.left, self.top, self.left + self.width, self.top + self.height)


def margin_px(layer: Layer, canvas: Canvas) -> int:
    """The layer's margin in pixels (a fraction of the canvas's shorter side); backgrounds have none."""
    if layer.role is Role.BACKGROUND:
        return 0
    if layer.margin_px is not None:
        return max(0, round(layer.margin_px))
    return max(0, round(layer.margin * min(canvas.width, canvas.height)))


def inset_region(layer: Layer, canvas: Canvas) -> tuple[int, int, int, int] | None:
    """A text layer's region box (canvas pixels) less its margin on every side (None: no region).

    Text keeps the margin from its region's edges; a picture fills its region edge to edge.
    """
    if layer.region is None:
        return None
    left, top, right, bottom = layer.region.box(canvas.size)
    inset = min(margin_px(layer, canvas), (right - left) // 2, (bottom - top) // 2)
    return left + inset, top + inset, right - inset, bottom - inset


def axis_position(extent: int, size: int, margin: int, fraction: float) -> int:
    """Leading edge of a ``size``-long sprite at ``fraction`` of an ``extent``-long axis inset by ``margin``.

    0 puts it against the leading inset edge, 1 against the trailing one, 0.5 centres it (like
    ``ImageOps.pad``); a sprite longer than the inset overhangs evenly (for 0.5) or past the far edge.
    """
    return margin + round((extent - 2 * margin - size) * fraction)


def place(layer: Layer, size: tuple[int, int], canvas: Canvas) -> Placement:
    """The static placement of a ``size`` sprite for ``layer`` (backgrounds are centred, no margin)."""
    margin = margin_px(layer, canvas)
    fx, fy = (0.5, 0.5) if layer.role is Role.BACKGROUND else layer.anchor.centering
    width, height = size
    return Placement(
        left=axis_position(canvas.width, width, margin, fx),
        top=axis_position(canvas.height, height, margin, fy),
        width=width,
        height=height,
        margin=margin,
    )


def place_in_region(layer: Layer, size: tuple[int, int], region: tuple[int, int, int, int]) -> Placement:
    """A ``size`` sprite inside a region box (canvas pixels) at the layer's anchor, without margin.

    A covering sprite is exactly the region's size, so the anchor only matters for a contained one.
    """
    fx, fy = layer.anchor.centering
    width, height = size
    left = axis_position(region[2] - region[0], width, 0, fx) + region[0]
    top = axis_position(region[3] - region[1], height, 0, fy) + region[1]
    return Placement(left=left, top=top, width=width, height=height, margin=0)


def place_beside(layer: Layer, size: tuple[int, int], other: Placement, canvas: Canvas) -> Placement:
    """A ``size`` sprite on ``layer.beside.side`` of ``other``, ``gap`` pixels apart, centred on its axis."""
    relation = layer.beside
    if relation is None:
        return place(layer, size, canvas)
    width, height = size
    gap = round(relation.gap)
    cx, cy = other.centre
    left, top = round(cx - width / 2), round(cy - height / 2)
    if relation.side is Side.RIGHT_OF:
        left = other.left + other.width + gap
    elif relation.side is Side.LEFT_OF:
        left = other.left - gap - width
    elif relation.side is Side.BELOW:
        top = other.top + other.height + gap
    else:
        top = other.top - gap - height
    return Placement(left=left, top=top, width=width, height=height, margin=margin_px(layer, canvas))
