"""The global GIF palette's mapping: exact nearest colours for smooth content (remembered across
frames), Pillow's fast mapping for photo noise, the same answers whichever way a colour was met."""

from __future__ import annotations

import numpy as np
import pytest

from imagegen.export.palette import ColourCounts, GifPalette


def palette(seed: int = 5) -> GifPalette:
    rng = np.random.default_rng(seed)
    return GifPalette.from_colors(rng.integers(0, 256, (255, 3), dtype=np.uint8))


def brute_force(colors: np.ndarray, pixels: np.ndarray) -> np.ndarray:
    distances = ((pixels.reshape(-1, 1, 3).astype(np.int64) - colors.astype(np.int64)) ** 2).sum(axis=2)
    return distances.min(axis=1).reshape(pixels.shape[:-1])


def gradient(height: int = 64, width: int = 256) -> np.ndarray:
    """A smooth two-axis gradient as RGBA, one level a step: each colour repeats along its row and
    down its column, as in a clean sky (a 1920x1080 sky has ~1,500 colours)."""
    y, x = np.mgrid[0:height, 0:width]
    rgb = np.stack([x // 16, 40 + y // 8, 200 - x // 32], axis=-1).astype(np.uint8)
    return np.concatenate([rgb, np.full((height, width, 1), 255, np.uint8)], axis=-1)


def squared_error(table: GifPalette, indices: np.ndarray, pixels: np.ndarray) -> np.ndarray:
    return ((table.colors[indices].astype(np.int64) - pixels[..., :3].astype(np.int64)) ** 2).sum(axis=-1)


def test_smooth_content_maps_to_the_exact_nearest_colour_and_remembers_it() -> None:
    table = palette()
    cached = table.cached()
    image = gradient()
    first = cached.map(image, alpha=False)
    assert np.array_equal(squared_error(table, first, image), brute_force(table.colors, image[..., :3]))
    # the same colours again (a sprite moved away, a later frame): the remembered answers, nothing searched
    again = cached.map(np.ascontiguousarray(image[::-1]), alpha=False)
    assert np.array_equal(again, first[::-1])
    # and the palette without a cache agrees
    assert np.array_equal(table.map(image, alpha=False), first)


def test_a_small_block_of_new_colours_beside_known_ones_is_searched_exactly() -> None:
    table = palette(7)
    cached = table.cached()
    image = gradient()
    cached.map(image, alpha=False)
    shifted = image.copy()
    shifted[:8, :40, :3] = (shifted[:8, :40, :3].astype(np.int16) + 3).clip(0, 255).astype(np.uint8)  # new colours
    got = cached.map(shifted, alpha=False)
    assert np.array_equal(squared_error(table, got, shifted), brute_force(table.colors, shifted[..., :3]))


def test_photo_noise_is_told_apart_from_smooth_content() -> None:
    rng = np.random.default_rng(1)
    photo = (gradient()[..., :3].astype(np.int16) + rng.normal(0, 5, (64, 256, 3))).clip(0, 255).astype(np.uint8)
    assert not ColourCounts.of(photo.reshape(1, -1, 3)).smooth
    assert ColourCounts.of(gradient()[..., :3].reshape(1, -1, 3)).smooth
    # a photo through the cached palette still maps every pixel to a palette colour near it
    table = palette()
    rgba = np.concatenate([photo, np.full((64, 256, 1), 255, np.uint8)], axis=-1)
    got = table.cached().map(rgba, alpha=False)
    assert got.max() < len(table.colors)
    assert squared_error(table, got, rgba).mean() <= 1.5 * brute_force(table.colors, photo).mean()


@pytest.mark.parametrize("alpha", [True, False])
def test_clear_pixels_get_the_transparent_index_only_when_alpha_counts(alpha: bool) -> None:
    table = palette()
    image = gradient()
    image[:, :10, 3] = 0
    got = table.cached().map(image, alpha=alpha)
    assert (got[:, :10] == table.transparent_index).all() == alpha
    assert (got[:, 10:] < table.transparent_index).all()


@pytest.mark.parametrize("size", [4, 16, 255])
def test_a_histogram_judges_and_builds_palettes_as_the_pixels_would(size: int) -> None:
    """The encoder chooses few-colour palettes from the sample's histogram: the error it computes there
    is the error of mapping every pixel exactly, and its palette is what build_palette gives."""
    from imagegen.export.palette import build_palette

    pixels = gradient().reshape(1, -1, 4)
    counts = ColourCounts.of(pixels)
    assert counts.smooth and int(counts.counts.sum()) == pixels.shape[1]
    for table in (palette(), counts.palette(size), build_palette([pixels], size)):
        indices = table.map(pixels, alpha=False)
        expected = squared_error(table, indices, pixels).mean() / 3
        assert counts.mean_error(table) == pytest.approx(expected, rel=1e-9)
    assert counts.mean_error(counts.palette(size)) == pytest.approx(
        counts.mean_error(build_palette([pixels], size)), rel=0.02
    )


@pytest.mark.parametrize("stride", [1, 7, 61])
def test_a_sample_s_colours_map_the_whole_region_exactly(stride: int) -> None:
    """A local table maps the pixels it draws through the colours of the sample it was built from
    (``likely``): colours the sample missed are found and searched, and the answer is the exact nearest
    colour of every pixel, as counting the region's colours would give."""
    from imagegen.export.photo_map import colour_keys

    table = palette(11)
    pixels = gradient().reshape(1, -1, 4).copy()
    specks = pixels[0, 3::97, :3]  # a logo's anti-aliased edge: colours of a pixel or two each
    specks[:] = np.random.default_rng(2).integers(0, 256, specks.shape, dtype=np.uint8)
    sampled = ColourCounts.of(pixels[:, ::stride])
    got = table.map(pixels, alpha=False, likely=sampled.keys)
    assert len(sampled.keys) < len(np.unique(colour_keys(pixels))) or stride == 1  # the sample missed colours
    assert np.array_equal(squared_error(table, got, pixels), brute_force(table.colors, pixels[..., :3]))
    assert np.array_equal(got, table.map(pixels, alpha=False))


def test_a_region_with_too_many_colours_besides_the_likely_ones_is_mapped_as_a_photo() -> None:
    """When the sample's colours were a poor guess (a photo region behind a smooth sample), the region
    is mapped as a photo (Pillow's mapping): every index near its pixel, none searched one by one."""
    rng = np.random.default_rng(3)
    photo = rng.integers(0, 256, (64, 256, 3), dtype=np.uint8)
    rgba = np.concatenate([photo, np.full((64, 256, 1), 255, np.uint8)], axis=-1).reshape(1, -1, 4)
    table = palette(13)
    likely = ColourCounts.of(gradient().reshape(1, -1, 4)).keys
    got = table.map(rgba, alpha=False, likely=likely)
    assert np.array_equal(got, table.map(rgba, alpha=False, noisy=True))
    assert squared_error(table, got, rgba).mean() <= 1.5 * brute_force(table.colors, rgba[..., :3]).mean()


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(np.full((40, 60, 4), (30, 120, 200, 255), np.uint8), id="one colour"),
        pytest.param(gradient(), id="gradient"),
        pytest.param(np.repeat(np.repeat(gradient(16, 32), 4, axis=0), 5, axis=1), id="blocks"),
    ],
)
def test_runs_of_one_colour_map_as_their_pixels_would(image: np.ndarray) -> None:
    """Smooth content is mapped run by run (a run's first pixel maps the run): the answer is the exact
    nearest colour of every pixel, whether the cache knew the colours or met them now."""
    from imagegen.export.palette import _Runs
    from imagegen.export.photo_map import colour_keys

    runs = _Runs.of(colour_keys(image))
    assert runs.lengths is not None and int(runs.lengths.sum()) == image.shape[0] * image.shape[1]
    table = palette(17)
    cached = table.cached()
    for _ in range(2):  # met now, then remembered
        got = cached.map(image, alpha=False)
        assert np.array_equal(squared_error(table, got, image), brute_force(table.colors, image[..., :3]))
    assert _Runs.of(colour_keys(np.random.default_rng(0).integers(0, 256, (32, 32, 4), dtype=np.uint8))).lengths is None


def test_colours_met_for_the_first_time_get_their_nearest_colour_at_once() -> None:
    """The cache's pages are allocated as colours arrive: colours of a page met only now must still get
    their nearest colour from the first lookup (a fade's new blends, judged against the global palette)."""
    table = palette(19)
    cached = table.cached()
    cached.map(gradient(), alpha=False)  # some pages allocated
    keys = np.array([0x000001, 0x10FFEE, 0xFF8040, 0x7F7F7F, 0x123456], np.uint32)  # pages not met yet
    assert np.array_equal(cached.nearest_keys(keys), table.nearest_keys(keys))
    counts = ColourCounts(keys, np.array([5, 1, 1, 1, 1]))
    assert counts.mean_error(table.cached()) == pytest.approx(counts.mean_error(table), rel=1e-12)
