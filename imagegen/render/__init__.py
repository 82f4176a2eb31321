"""The renderer: a :class:`~imagegen.scene.Scene` plus one image per tag -> RGBA pixels.

Pipeline
--------
1. :func:`check_limits` refuses an oversized scene before any work (canvas side, duration, fps,
   frame count); numbers that cannot be drawn (NaN sizes...) are a :class:`RenderError`.
2. :func:`prepare` finds each layer's image by tag (ignoring case), loads it once (RGBA, upright),
   and pre-scales each layer once: backgrounds cover-fit the canvas (centred crop, never distorted
   unless ``Layer.stretch``), other layers contain-fit their ``size`` box at their anchor inside the
   margin (see :mod:`imagegen.render.placement`). Lanczos when shrinking, bicubic when enlarging/rotating.
3. Static layers below the lowest moving layer are composited once into ``RenderPlan.base``; static
   layers above a moving one stay separate sprites drawn in scene order (overlays).
4. :meth:`RenderPlan.frames` samples time (``i/n`` when every motion loops seamlessly, else
   ``i/(n-1)`` so the last frame shows the end; see :func:`frame_times`), asks
   :func:`imagegen.render.motion.transform_at` where each moving layer is, redraws only the box that
   changed (old and new boxes of every moving sprite: base copy, moving sprites, overlays,
   alpha-composited in order) into one reused numpy buffer, and reports that box as ``Frame.dirty``;
   a frame that repeats the last one costs nothing. Pillow composites straight into that buffer
   (:class:`~imagegen.render.compose.FrameBuffer`), with cheaper operations of identical result over an
   opaque canvas: a fade is one constant-weight blend of a sprite cached once, not a copy per opacity.
   Turned/scaled sprites are made only when the look changes (bounded cache); a sprite much
   larger than the canvas is resampled only where it is visible. Memory is flat in frame count.
"""

from imagegen.render.checks import check_drawable, check_limits
from imagegen.render.memory import keep_freed_memory
from imagegen.render.placement import Placement
from imagegen.render.plan import NO_CHANGE, Frame, RenderPlan, frame_durations, frame_times, prepare, render_still
from imagegen.render.sources import ImageSource

keep_freed_memory()  # a process that renders reuses freed per-frame temporaries (see imagegen.render.memory)

__all__ = [
    "NO_CHANGE",
    "Frame",
    "ImageSource",
    "Placement",
    "RenderPlan",
    "check_drawable",
    "check_limits",
    "frame_durations",
    "frame_times",
    "prepare",
    "render_still",
]
