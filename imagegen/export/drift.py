"""How far a region's pixels have drifted from what the GIF last drew, per redraw tile.

The GIF encoder remembers, for every pixel, the source colour it showed when it was last drawn. A
tile is redrawn when its source has moved far enough from that: the mean squared change per channel
exceeds the drift budget, or one channel of one pixel moved more than :data:`FAR_LEVELS`. This needs
no palette mapping and no per-pixel float arithmetic: absolute differences of bytes, their squares in
16 bits, and sums over whole tiles, band by band (~4 ms for a 1080x1080 frame), so a fade maps only what it redraws.

A fade's refresh is drawn ahead of the fade (:func:`lead`), as far as its pace says the next
refresh is away: the error swings from ahead to behind instead of only lagging, so refreshes come half
as often for the same largest error.

Tiles are :data:`TILE` (rows x columns): wide and short because GIF compresses row by row, so long runs
of the transparent index between redrawn tiles cost almost nothing.
"""

from __future__ import annotations

import numpy as np

TILE = (4, 32)  # rows, columns of a redraw decision
#: A channel of a pixel that moved this many levels since it was drawn forces its tile (a sharp edge
#: crossing a fade, text appearing), whatever the tile's mean drift.
FAR_LEVELS = 32
#: All changed tiles are redrawn once their mean drift reaches this share of the budget (see tiles_to_draw).
#: Measured on the photo fade: 1.0 leaves visible blocks mid-fade; 0.75: none, +8 % bytes, worst frame
#: 35.6 dB instead of 35.1; 0.5: +54 % bytes.
REFRESH_SHARE = 0.75
#: A fade's refresh draws its pixels where they will be at most this many frames on (see :func:`lead`).
LEAD_FRAMES = 4
#: A pixel one of whose channels moved more than this in one frame is not on a fade's slow path: not led.
LEAD_LEVELS = 12
_BANDS = 8  # a changed frame under the budget redraws one of this many bands of rows
_BYTES = 4  # RGBA


def _tile_rows(values: np.ndarray, op: np.ufunc, dtype: type) -> np.ndarray:
    """(h, n) -> (ceil(h / TILE rows), n): ``op`` reduced over each band of TILE[0] rows."""
    th = TILE[0]
    height = values.shape[0]
    full = height // th
    out = np.empty((-(-height // th), values.shape[1]), dtype)
    bands = values[: full * th].reshape(full, th, values.shape[1])
    np.copyto(out[:full], bands[:, 0])
    for row in range(1, th):
        op(out[:full], bands[:, row], out=out[:full])
    if height % th:
        out[full] = op.reduce(values[full * th :], axis=0, dtype=dtype)
    return out


def _tile_cols(values: np.ndarray, op: np.ufunc, per_pixel: int, dtype: type | None = None) -> np.ndarray:
    """(r, w * per_pixel) -> (r, ceil(w / TILE columns)): ``op`` reduced over each tile's columns (in ``dtype``)."""
    return op.reduceat(values, np.arange(0, values.shape[1], TILE[1] * per_pixel), axis=1, dtype=dtype)


def tile_any(mask: np.ndarray) -> np.ndarray:
    """(h, w) bool -> per tile: any pixel set."""
    return _tile_cols(_tile_rows(mask.view(np.uint8), np.maximum, np.uint8), np.maximum, 1) > 0


_BAND_ROWS = 64 * TILE[0]  # rows measured at a time: the temporaries stay small (~1 MB for 1080 wide)


def tile_drift(source: np.ndarray, drawn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per tile of two (h, w, 4) uint8 blocks: mean squared difference per colour channel (float32;
    alpha differences count too, opaque canvases have none) and the largest difference of any byte.

    Measured in bands of rows: a whole 1080x1080 frame's temporaries would be ~19 MB; a band's are
    ~4 MB, which the heap keeps for the next band (:mod:`imagegen.render.memory`). Bands of 256 rows rather
    than 64: fewer numpy calls, 2.6 -> 2.1 ms for a 1080x1080 frame.
    """
    height, width = source.shape[:2]
    rows, cols = -(-height // TILE[0]), -(-width // TILE[1])
    sums, peaks = np.empty((rows, cols), np.float32), np.empty((rows, cols), np.uint8)
    for top in range(0, height, _BAND_ROWS):
        band = slice(top, min(height, top + _BAND_ROWS))
        tiles = slice(top // TILE[0], -(-band.stop // TILE[0]))
        sums[tiles], peaks[tiles] = _band_drift(source[band], drawn[band])
    return sums * (4 / (3 * TILE[0] * TILE[1])), peaks


def _band_drift(source: np.ndarray, drawn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per tile of a band: sums of quarter-scale squared byte differences, and the largest difference."""
    height, width = source.shape[:2]
    difference = np.maximum(source, drawn)
    difference -= np.minimum(source, drawn)
    flat = difference.reshape(height, width * _BYTES)
    peaks = _tile_cols(_tile_rows(flat, np.maximum, np.uint8), np.maximum, _BYTES)
    # squares in 16 bits at a quarter scale, so a band of 4 rows sums without widening (4 * 255**2 / 4 fits);
    # a square is 0 or 1 modulo 4, so each loses at most 1 (a mean squared error, not a budget, moves by < 1)
    squares = flat.astype(np.uint16)
    squares *= squares
    squares >>= 2
    return _tile_cols(_tile_rows(squares, np.add, np.uint16), np.add, _BYTES, np.uint32), peaks


def expand(tiles: np.ndarray, shape: tuple[int, int], per_pixel: int = 1) -> np.ndarray:
    """Per-tile values -> (h, w) per pixel, or (h, w * ``per_pixel``): each pixel's value repeated for its
    channels, side by side (multiplying a flattened image by it needs no per-channel broadcast)."""
    height, width = shape
    return np.repeat(np.repeat(tiles, TILE[0], axis=0)[:height], TILE[1] * per_pixel, axis=1)[:, : width * per_pixel]


def tiles_to_draw(
    drift: np.ndarray, peaks: np.ndarray, forced: np.ndarray, changed: np.ndarray, budget: float, *, phase: int
) -> np.ndarray:
    """Per tile: redraw it?

    * When the ``changed`` tiles drifted :data:`REFRESH_SHARE` of the ``budget`` on average, all of them:
      in a fade every tile drifts at about the same pace, and tiles redrawn one by one as each crosses
      the budget make a patchwork of older and newer pictures (each with its own palette) that shows on
      smooth photos as blocks. Redrawn together, the picture only lags a little behind as a whole.
    * Otherwise those past the ``budget``, with a far-off pixel, or ``forced``.
    * When none qualifies but some changed, the frame changed, so it must show a change (a slow fade
      never collapses into a cut): the ``phase``-th of eight bands of the changed rows (the next frame
      draws the next band; a band, not scattered rows, keeps the frame's box and its LZW work small),
      or, when no changed tile is in that band, the most drifted eighth.
    """
    if not changed.any():
        return changed
    if drift[changed].mean() > budget * REFRESH_SHARE:
        return changed
    chosen = (drift > budget) | (peaks > FAR_LEVELS) | forced
    if not chosen.any():  # one band of the changed rows, the next band next time: a small box to write
        rows = np.flatnonzero(changed.any(axis=1))
        band = -(-(rows[-1] + 1 - rows[0]) // _BANDS)
        turn = (np.arange(changed.shape[0]) - rows[0]) // band == phase % _BANDS
        chosen = changed & turn[:, None]
    if not chosen.any():
        chosen = changed & (drift >= np.quantile(drift[changed], 1 - 1 / _BANDS))
    return chosen


def lead(current: np.ndarray, previous: np.ndarray, budget: float) -> np.ndarray | None:
    """Where a fade's pixels will be when it is halfway to its next refresh: (h, w, 4) uint8, or None.

    A refresh that draws the current frame is exact at first, then lags ever further behind until the
    drift passes :data:`REFRESH_SHARE` of the ``budget``, ``s`` frames on (``s`` steps of the fade
    squared make that drift). Drawn ``s`` frames ahead instead (each pixel's step since the
    ``previous`` frame, ``s`` times), the picture is ahead by as much at first, exact halfway and as far
    behind at the end: the same largest error, half as many refreshes. ``s`` is counted per tile from
    the tile's own pace (a photo's bright blob fades faster than its shadows), at most the frame's
    (its moving tiles' mean pace: a tile that barely moved is not sent far ahead on a guess) and
    :data:`LEAD_FRAMES`, in whole frames rounded down. Pixels that stood still keep their colour (no
    shimmer), as do those that jumped more than :data:`LEAD_LEVELS` in a channel (an edge passing, not
    a fade's step). None when no tile is led (steps too large: every frame is a refresh anyway).
    Opaque pixels only: alpha is left as it is.
    """
    if budget <= 0:
        return None
    height, width = current.shape[:2]
    step = np.subtract(current, previous, dtype=np.int16)
    step[..., 3] = 0
    size = np.abs(step)
    largest = np.maximum(np.maximum(size[..., 0], size[..., 1]), size[..., 2])
    # a pixel's four steps are one 64-bit word: zeroing a jump is a multiply by 0 or 1 of whole words
    # (a per-channel broadcast costs 5x more)
    step.view(np.int64)[..., 0] *= largest <= LEAD_LEVELS
    np.square(step, out=size)  # at most LEAD_LEVELS ** 2 per channel: a tile's rows sum in 16 bits
    flat = size.view(np.uint16).reshape(height, width * _BYTES)
    sums = _tile_cols(_tile_rows(flat, np.add, np.uint16), np.add, _BYTES, np.uint32)
    moving = np.count_nonzero(sums)
    if not moving:
        return None
    pixels = 3 * TILE[0] * TILE[1]  # channels of a tile (the last row and column of tiles count as whole)
    pace = float(sums.sum()) / (moving * pixels)  # the moving tiles' mean squared step per channel
    most = min(LEAD_FRAMES, int(np.sqrt(REFRESH_SHARE * budget / pace)))
    if most < 1:
        return None
    with np.errstate(divide="ignore"):
        frames = np.minimum(np.sqrt(REFRESH_SHARE * budget * pixels / sums), most).astype(np.int16)  # inf: still
    flat_step = step.reshape(height, width * _BYTES)
    flat_step *= expand(frames, (height, width), _BYTES)
    step += current
    np.clip(step, 0, 255, out=step)
    return step.astype(np.uint8)
