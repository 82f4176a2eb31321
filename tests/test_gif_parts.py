"""A change made of far-apart parts (a logo sliding along the top, a product along the bottom) is
redrawn part by part: the pixels between them are never touched, and the GIF is the one the encoder
writes when it redraws the whole box around both.

Built through the real renderer and exporter; images made in code; GIFs decoded by Pillow.
"""

from __future__ import annotations

import numpy as np
import pytest
from test_gif_quality import logo, photo, references, scene, shown

from imagegen.export import OutputFormat, export
from imagegen.export.gif import GifEncoder
from imagegen.render import RenderPlan, prepare
from imagegen.scene import Anchor, Layer, Motion, MotionKind, Role

SIZE = (480, 480)


def two_sprites() -> RenderPlan:
    along_top = Motion(MotionKind.SLIDE, from_anchor=Anchor.TOP_LEFT, to_anchor=Anchor.TOP_RIGHT)
    along_bottom = Motion(MotionKind.SLIDE, from_anchor=Anchor.BOTTOM_RIGHT, to_anchor=Anchor.BOTTOM_LEFT)
    layers = (
        Layer("photo", role=Role.BACKGROUND),
        Layer("logo", size=0.2, motions=(along_top,)),
        Layer("product", size=0.25, motions=(along_bottom,)),
    )
    return prepare(scene(layers, SIZE), {"photo": photo(640, 5), "logo": logo(), "product": logo(260)})


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory) -> tuple[bytes, bytes, int, RenderPlan]:
    """The GIF written part by part, the one written as one box, and how many frames went by parts."""
    folder = tmp_path_factory.mktemp("parts")
    by_parts = GifEncoder._redraw_parts
    used = []

    def counting(self, *args):
        parts = by_parts(self, *args)
        used.append(parts is not None and len(parts))
        return parts

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(GifEncoder, "_redraw_parts", counting)
        parts = export(two_sprites(), folder / "parts.gif", OutputFormat.GIF).read_bytes()
        patch.setattr(GifEncoder, "_redraw_parts", lambda self, *args: None)
        whole = export(two_sprites(), folder / "whole.gif", OutputFormat.GIF).read_bytes()
    return parts, whole, sum(1 for count in used if count == 2), two_sprites()


def test_far_apart_parts_are_redrawn_each_on_its_own(both_ways) -> None:
    _parts, _whole, by_parts, plan = both_ways
    assert by_parts >= len(plan.durations()) - 4  # every frame but the first, where both are moving


def test_the_gif_is_the_one_written_box_by_box(both_ways) -> None:
    parts, whole, _by_parts, plan = both_ways
    assert parts == whole
    # and it shows the animation: the photo between the sprites is static, the sprites move
    frames = list(shown(parts, plan.durations()))
    want = references(plan)
    middle = slice(SIZE[1] // 2 - 40, SIZE[1] // 2 + 40)
    assert all(np.array_equal(frame[middle], frames[0][middle]) for frame in frames)
    assert np.array_equal(want[0][middle], want[-1][middle])
    assert not np.array_equal(frames[0][:100], frames[-1][:100])
    assert not np.array_equal(frames[0][-120:], frames[-1][-120:])
