"""Design checks (issue 28): overlaps, legibility, story safe zones, small and clipped text, measured on
images built in code, each check with a case that must warn and one that must not."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from imagegen.prompt import parse
from imagegen.render import prepare
from imagegen.render.design import (
    OVERLAP_SHARE,
    RATIO_LARGE,
    RATIO_TEXT,
    SAFE_BOTTOM,
    SAFE_TOP,
    DesignIssue,
    IssueKind,
    check_design,
    contrast_ratio,
    dilate,
    luminance,
    text_contrast,
)
from imagegen.scene import Anchor, Canvas, Layer, Relation, Scene, Side
from imagegen.service import RenderRequest, design_notices, render, sizes_of, understand
from imagegen.service.edits import apply_edit
from tests.design_images import flat, gradient, light_photo_with_cup, logo, photo, product

ImageMap = dict[str, Image.Image]


def issues(prompt: str, images: ImageMap, kind: IssueKind | None = None) -> list[DesignIssue]:
    scene = parse(prompt, list(images)).scene
    found = check_design(prepare(scene, images))
    return [issue for issue in found if kind is None or issue.kind is kind]


def scene_issues(scene: Scene, images: ImageMap, kind: IssueKind | None = None) -> list[DesignIssue]:
    return [i for i in check_design(prepare(scene, images)) if kind is None or i.kind is kind]


# ---------------------------------------------------------------- contrast arithmetic


def test_the_contrast_ratio_is_wcags() -> None:
    black, white = luminance(np.array([0, 0, 0], np.uint8)), luminance(np.array([255, 255, 255], np.uint8))
    assert float(black) == 0.0 and float(white) == pytest.approx(1.0)
    assert float(contrast_ratio(white, black)) == pytest.approx(21.0)
    # #777777 on white is the classic 4.48:1 (just under AA for body text)
    assert float(contrast_ratio(white, luminance(np.array([0x77] * 3, np.uint8)))) == pytest.approx(4.48, abs=0.01)
    red = luminance(np.array([255, 0, 0], np.uint8))
    assert float(red) == pytest.approx(0.2126)


def test_dilate_grows_a_mask_by_its_radius_and_never_farther_in_a_straight_line() -> None:
    mask = np.zeros((21, 21), bool)
    mask[10, 10] = True
    for radius in (1, 2, 3, 7):
        grown = dilate(mask, radius)
        rows, cols = np.nonzero(grown)
        assert (rows.min(), rows.max(), cols.min(), cols.max()) == (10 - radius, 10 + radius, 10 - radius, 10 + radius)
        assert grown.sum() == 2 * radius * radius + 2 * radius + 1  # a diamond
        assert max(math.hypot(r - 10, c - 10) for r, c in zip(rows, cols, strict=True)) <= radius


# ---------------------------------------------------------------- overlap


@pytest.fixture(scope="module")
def brand() -> ImageMap:
    wide = Image.new("RGBA", (400, 200), (0, 90, 160, 255))  # an opaque wordmark, like a logo on a plate
    return {"BG": photo(), "acme": wide, "logo": logo(), "product": product()}


def test_a_logo_moved_under_the_headline_is_an_overlap_with_a_fix_that_works(brand: ImageMap) -> None:
    prompt = '@BG as background, "Summer Sale -50%" at the bottom, @acme at the bottom left'
    (found,) = issues(prompt, brand, IssueKind.OVERLAP)
    assert "“Summer Sale -50%”" in found.message and "@acme" in found.message
    assert found.edit == "move @acme to the top left" and f'"{found.edit}"' in found.message
    fixed = apply_edit(parse(prompt, list(brand)).scene, found.edit).scene
    assert scene_issues(fixed, brand, IssueKind.OVERLAP) == []


def test_pictures_apart_or_over_the_background_are_no_overlap(brand: ImageMap) -> None:
    assert issues("Place @product in center, @logo on top right, and @BG as background", brand) == []
    assert issues("@BG as background, @product large in the center", brand) == []  # over the background
    assert issues("1200x628 LinkedIn banner: @BG on the left half, @product on the right half", brand) == []


def test_two_large_layers_in_the_center_hide_each_other(brand: ImageMap) -> None:
    (found,) = issues("@BG as background, @logo large in the center, @product large in the center", brand)
    assert found.kind is IssueKind.OVERLAP
    assert found.message.startswith("@product covers") and "@logo" in found.message
    assert 'say "@product in front of @logo" if it is meant' in found.message


def test_saying_in_front_makes_the_overlap_meant(brand: ImageMap) -> None:
    both = "@BG as background, @logo large in the center, @product large in the center"
    assert issues(f"{both}, @product in front of @logo", brand) == []
    assert issues("@BG as background, @logo large in the center, @product in the center behind @logo", brand) == []
    assert issues("@BG as background, @logo large in the center, @product in front", brand) == []


def _side_by_side(overlap_px: int) -> tuple[Scene, ImageMap]:
    """A 400 px square and a 100 px square, the small one right of the big one overlapping it by
    ``overlap_px`` columns: the shared area is exactly ``overlap_px`` / 100 of the small one."""
    images = {"big": Image.new("RGB", (400, 400), (200, 40, 40)), "small": Image.new("RGB", (100, 100), (40, 40, 200))}
    canvas = Canvas(1000, 1000, (255, 255, 255, 255))
    big = Layer("big", size=0.4, anchor=Anchor.LEFT, margin_px=100, trim=False)
    small = Layer("small", size=0.1, beside=Relation(Side.RIGHT_OF, "big", -overlap_px), trim=False)
    return Scene((big, small), canvas), images


@pytest.mark.parametrize("overlap_px", [0, 8, 12])
def test_an_overlap_below_the_share_is_not_reported(overlap_px: int) -> None:
    assert overlap_px / 100 < OVERLAP_SHARE
    scene, images = _side_by_side(overlap_px)
    assert scene_issues(scene, images) == []


@pytest.mark.parametrize("overlap_px", [20, 40, 100])
def test_an_overlap_from_the_share_on_is_reported_with_its_size(overlap_px: int) -> None:
    scene, images = _side_by_side(overlap_px)
    (found,) = scene_issues(scene, images, IssueKind.OVERLAP)
    share = round(100 * overlap_px / 100)
    assert found.message.startswith("@small sits on @big") or found.message.startswith("@small covers")
    assert f"({share}% of it)" in found.message


def test_an_animation_overlaps_at_the_moments_it_does_and_says_when(brand: ImageMap) -> None:
    prompt = "@BG as background, @product in the center, @logo small slides from left to right"
    (found,) = issues(prompt, brand, IssueKind.OVERLAP)
    assert " from " in found.message and " s to " in found.message
    start, end = (float(x) for x in found.message.split(" from ")[1].split(" — ")[0].replace(" s", "").split(" to "))
    assert 0 < start < end < 2.0  # it crosses the product in the middle of its slide, not at its ends


# ---------------------------------------------------------------- legibility


def _grey_for(ratio: float) -> int:
    """The grey level whose contrast with white is closest to ``ratio`` from the side asked (ratio >= 1)."""
    white = 1.0
    levels = np.arange(256, dtype=np.uint8)
    ratios = contrast_ratio(white, luminance(np.stack([levels] * 3, axis=-1)))
    return int(np.argmin(np.abs(ratios - ratio)))


@pytest.mark.parametrize(("size", "needed"), [("96 px", RATIO_LARGE), ("15 px", RATIO_TEXT)])
def test_white_text_on_flat_grey_is_judged_by_wcags_ratio_for_its_size(size: str, needed: float) -> None:
    prompt = f'@BG as background, "Fresh coffee" {size} in the center'
    darker, lighter = _grey_for(needed + 0.3), _grey_for(needed - 0.3)
    assert issues(prompt, {"BG": flat((darker,) * 3)}, IssueKind.LEGIBILITY) == []
    (found,) = issues(prompt, {"BG": flat((lighter,) * 3)}, IssueKind.LEGIBILITY)
    assert f"below the {needed:g}:1" in found.message
    measured = float(found.message.split(" is hard to read: ")[1].split(":1")[0])
    assert measured == pytest.approx(needed - 0.3, abs=0.1)  # what is behind the letters, measured exactly


def test_large_means_24_px_or_19_px_bold() -> None:
    grey = {"BG": flat((_grey_for(3.5),) * 3)}  # passes for large text only
    assert issues('@BG as background, "Fresh coffee" 26 px thin in the center', grey, IssueKind.LEGIBILITY) == []
    assert issues('@BG as background, "Fresh coffee" 20 px bold in the center', grey, IssueKind.LEGIBILITY) == []
    assert issues('@BG as background, "Fresh coffee" 20 px thin in the center', grey, IssueKind.LEGIBILITY) != []


def test_white_text_over_the_white_cup_warns_with_fixes_and_they_work() -> None:
    images = {"BG": light_photo_with_cup()}
    prompt = '@BG as background, "Summer Sale" at the top'
    (found,) = issues(prompt, images, IssueKind.LEGIBILITY)
    assert found.phrases == ("with a black outline", "on a black banner")
    assert '"with a black outline" or "on a black banner"' in found.message
    for phrase in found.phrases:
        assert issues(f'@BG as background, "Summer Sale" {phrase} at the top', images, IssueKind.LEGIBILITY) == []


def test_yellow_text_on_the_light_photo_warns_too_and_dark_text_does_not() -> None:
    images = {"BG": light_photo_with_cup()}
    assert issues('@BG as background, "Summer Sale" in yellow at the top', images, IssueKind.LEGIBILITY) != []
    assert issues('@BG as background, "Summer Sale" in black at the top', images, IssueKind.LEGIBILITY) == []
    (dark,) = issues('@BG as background, "Summer Sale" in black at the top', {"BG": photo()}, IssueKind.LEGIBILITY)
    assert dark.phrases == ("with a white outline", "on a white banner")


def test_white_text_on_the_dark_photo_reads_well() -> None:
    for where in ("at the top", "in the center", "at the bottom"):
        assert issues(f'@BG as background, "Summer Sale" {where}', {"BG": photo()}, IssueKind.LEGIBILITY) == []


def test_the_worst_part_of_a_line_counts_not_its_average() -> None:
    """Black to white across the canvas: most of the line is on dark grey, its end on near white."""
    images = {"BG": gradient((0, 0, 0), (255, 255, 255))}
    prompt = '@BG as background, "Summer Sale today" 90 px in the center'
    scene = parse(prompt, ["BG"]).scene
    plan = prepare(scene, images)
    drawn = plan.layer_draws(0.0)
    measured = text_contrast(plan, drawn, 1, 0.0)
    assert measured is not None and measured.ratio < RATIO_LARGE
    # the mean of what is around the letters would pass: it is the worst part that fails
    box = drawn[1][1].box
    mean = np.asarray(images["BG"].resize((1080, 1080)))[box[1] : box[3], box[0] : box[2]].reshape(-1, 3).mean(0)
    assert float(contrast_ratio(1.0, luminance(mean.round().astype(np.uint8)))) > RATIO_LARGE
    calm = {"BG": gradient((0, 0, 0), (90, 90, 90))}
    assert issues(prompt, calm, IssueKind.LEGIBILITY) == []


def test_each_line_is_judged_on_its_own() -> None:
    """Dark above, white below: the second line of a two-line text is the unreadable one."""
    top_dark = Image.fromarray(np.vstack([np.zeros((540, 1080, 3)), np.full((540, 1080, 3), 250)]).astype(np.uint8))
    (found,) = issues('@BG as background, "Big news / today only" 100 px in the center', {"BG": top_dark},
                      IssueKind.LEGIBILITY)  # fmt: skip
    assert "(line 2)" in found.message


def test_an_outline_a_banner_and_a_shadow_change_what_is_behind_the_letters() -> None:
    images = {"BG": flat((245, 245, 245))}
    ratios = {}
    for look in ("", "with a black outline", "on a black banner", "with a drop shadow"):
        scene = parse(f'@BG as background, "Summer Sale" {look} in the center', ["BG"]).scene
        plan = prepare(scene, images)
        measured = text_contrast(plan, plan.layer_draws(0.0), 1, 0.0)
        assert measured is not None
        ratios[look] = measured.ratio
    assert ratios[""] < 1.2
    assert ratios["with a black outline"] > 10 and ratios["on a black banner"] > 15
    # a drop shadow lies below right of the letters only: the worst part of the line is still the white page
    assert ratios["with a drop shadow"] < RATIO_LARGE


def test_a_banner_close_to_the_texts_colour_is_no_help_on_any_photo() -> None:
    images = {"BG": photo()}  # dark: white letters alone would read well
    (found,) = issues('@BG as background, "Summer Sale" in white on a silver banner in the center', images,
                      IssueKind.LEGIBILITY)  # fmt: skip
    silver = float(contrast_ratio(1.0, luminance(np.array([192, 192, 192], np.uint8))))  # white on #c0c0c0
    assert found.message.split(" is hard to read: ")[1].startswith(f"{silver:.1f}:1")
    assert found.phrases == ("with a black outline",)  # it has a banner; an outline is what is left to add
    said_colour = '@BG as background, "Summer Sale" on a silver banner in the center'  # the parser picks black
    assert issues(said_colour, images, IssueKind.LEGIBILITY) == []


# ---------------------------------------------------------------- safe zones


STORY_CTA = 'Instagram story: @BG as background, "Swipe up to shop" at the bottom'


def test_a_call_to_action_at_the_bottom_of_a_story_is_under_the_reply_bar() -> None:
    (found,) = issues(STORY_CTA, {"BG": photo()}, IssueKind.SAFE_ZONE)
    assert f"bottom {SAFE_BOTTOM:.0%}" in found.message and "1080x1920" in found.message
    top, bottom = round(SAFE_TOP * 1920), 1920 - round(SAFE_BOTTOM * 1920)
    assert f"between {top} and {bottom} px" in found.message


def test_safe_zones_are_for_9_16_canvases_only() -> None:
    images = {"BG": photo()}
    assert issues('@BG as background, "Swipe up to shop" at the bottom', images, IssueKind.SAFE_ZONE) == []
    assert issues('1200x628, @BG as background, "Swipe up" at the bottom', images, IssueKind.SAFE_ZONE) == []
    assert issues('720x1280, @BG as background, "Swipe up" at the bottom', images, IssueKind.SAFE_ZONE) != []
    assert issues('Instagram story: @BG as background, "Swipe up" in the center', images, IssueKind.SAFE_ZONE) == []


def test_a_logo_in_the_top_corner_of_a_story_is_under_the_account_name(brand: ImageMap) -> None:
    (found,) = issues("Instagram story: @BG as background, @acme at the top left", brand, IssueKind.SAFE_ZONE)
    assert f"top {SAFE_TOP:.0%}" in found.message and found.edit == "move @acme to the left"
    fixed = apply_edit(
        parse("Instagram story: @BG as background, @acme at the top left", list(brand)).scene, found.edit
    )
    assert scene_issues(fixed.scene, brand) == []


def test_the_zone_boundary_is_pixel_exact() -> None:
    """A 200 px high plain block placed by pixel margin: it is flagged once a fifth of it enters the top zone."""
    canvas = Canvas(1080, 1920, (20, 20, 20, 255))
    top = round(SAFE_TOP * 1920)
    images = {"logo": Image.new("RGB", (200, 200), (200, 0, 0))}
    for inside, flagged in ((0, False), (39, False), (41, True)):
        layer = Layer("logo", anchor=Anchor.TOP, size=200 / 1080, margin_px=top - inside, trim=False)
        found = scene_issues(Scene((layer,), canvas), images, IssueKind.SAFE_ZONE)
        assert bool(found) is flagged, inside


# ---------------------------------------------------------------- small and clipped text


def test_small_text_is_under_two_and_a_half_percent_of_the_height() -> None:
    images = {"BG": photo()}
    (found,) = issues('@BG as background, "Terms apply" 24 px at the bottom', images, IssueKind.SMALL_TEXT)
    assert "drawn at 24 px" in found.message and f"({math.ceil(0.025 * 1080)} px)" in found.message
    assert found.phrases == ("27 px",)
    assert issues('@BG as background, "Terms apply" 28 px at the bottom', images, IssueKind.SMALL_TEXT) == []
    story = 'Instagram story: @BG as background, "Terms apply" 40 px in the center'
    assert issues(story, images, IssueKind.SMALL_TEXT) != []  # 40 px is small on a 1920 px tall story


def test_text_cut_by_the_canvas_edge(brand: ImageMap) -> None:
    prompt = '@BG as background, "Sale today only" 120 px next to @logo, @logo at the right'
    (found,) = issues(prompt, brand, IssueKind.CLIPPED)
    assert "cut by the canvas edge" in found.message
    assert issues('@BG as background, "Sale today only" 120 px at the right', brand, IssueKind.CLIPPED) == []


# ---------------------------------------------------------------- the service: every caller gets them


def _rendered_notices(prompt: str, images: ImageMap, tmp_path: Path) -> list:
    understood = understand(RenderRequest(prompt), sizes_of(images))
    said: list = []
    render(understood, images, lambda t: tmp_path / f"out{t.fmt.suffix}", checked=lambda _t, n: said.extend(n))
    return said


def test_the_service_offers_only_fixes_the_parser_understands(tmp_path: Path) -> None:
    images = {"BG": light_photo_with_cup()}
    prompt = '@BG as background, "Summer Sale" at the top, bold'
    (notice,) = _rendered_notices(prompt, images, tmp_path)
    assert notice.kind.value == "design" and str(notice).startswith("design: ")
    assert [fix.label for fix in notice.fixes] == ["with a black outline", "on a black banner"]
    assert notice.fixes[0].prompt == '@BG as background, "Summer Sale" with a black outline at the top, bold'
    for fix in notice.fixes:
        assert _rendered_notices(fix.prompt, images, tmp_path) == []


def test_no_fix_is_offered_where_the_prompt_would_not_take_it(tmp_path: Path) -> None:
    images = {"BG": light_photo_with_cup()}
    (notice,) = _rendered_notices("@BG as background, headline: Summer Sale", images, tmp_path)
    assert notice.fixes == ()  # "headline:" takes the rest of the line: there is nowhere to add words


def test_design_lines_do_not_change_the_file(tmp_path: Path) -> None:
    images = {"BG": light_photo_with_cup()}
    understood = understand(RenderRequest('@BG as background, "Summer Sale" at the top'), sizes_of(images))
    (_, quiet), = render(understood, images, lambda t: tmp_path / "a.png")  # fmt: skip
    (_, checked), = render(understood, images, lambda t: tmp_path / "b.png", checked=lambda *_: None)  # fmt: skip
    assert quiet.read_bytes() == checked.read_bytes()


def test_design_notices_of_a_plan_without_a_request_have_no_prompt_fixes() -> None:
    images = {"BG": light_photo_with_cup()}
    plan = prepare(parse('@BG as background, "Summer Sale" at the top', ["BG"]).scene, images)
    (notice,) = design_notices(plan)
    assert notice.fixes == ()


def test_a_transparent_canvas_has_nothing_behind_text_to_judge() -> None:
    scene = parse('"Summer Sale" in the center on a transparent background', []).scene
    scene = replace(scene, canvas=replace(scene.canvas, background=None))
    assert scene_issues(scene, {}, IssueKind.LEGIBILITY) == []


# ---------------------------------------------------------------- the command line and the batch


def _cup_file(tmp_path: Path) -> Path:
    path = tmp_path / "cup.jpg"
    light_photo_with_cup().save(path, quality=92)
    return path


def test_the_command_line_prints_the_design_lines_and_how_to_apply_each_fix(tmp_path: Path) -> None:
    import io

    from imagegen.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    prompt = '@BG as background, "Summer Sale" at the top'
    argv = ["render", "--image", f"BG={_cup_file(tmp_path)}", "--prompt", prompt, "-o", str(tmp_path / "o.png")]
    assert main(argv, stdout, stderr) == 0
    lines = stderr.getvalue().splitlines()
    (design,) = [line for line in lines if line.startswith("design: ")]
    assert "“Summer Sale” is hard to read" in design
    assert "  fix: --prompt '@BG as background, \"Summer Sale\" with a black outline at the top'" in lines
    fixed = ["render", "--image", f"BG={_cup_file(tmp_path)}", "--prompt", prompt.replace('"Summer Sale"',
             '"Summer Sale" with a black outline'), "-o", str(tmp_path / "p.png")]  # fmt: skip
    stderr = io.StringIO()
    assert main(fixed, io.StringIO(), stderr) == 0
    assert "design: " not in stderr.getvalue()


def test_the_batch_manifest_says_the_design_lines_of_each_row(tmp_path: Path) -> None:
    import csv
    import io
    import zipfile

    from imagegen.cli import main

    folder = tmp_path / "images"
    folder.mkdir()
    light_photo_with_cup().save(folder / "cup.jpg")
    photo().save(folder / "dusk.jpg")
    recipe = tmp_path / "recipe.csv"
    recipe.write_text("name,bg\nlight,cup.jpg\ndark,dusk.jpg\n")
    argv = ["batch", str(recipe), "--prompt", '@{bg} as background, "Summer Sale" at the top', "--images", str(folder)]
    assert main([*argv, "-o", str(tmp_path / "b.zip"), "--workers", "1"], io.StringIO(), io.StringIO()) == 0
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        rows = {
            row["file"]: row["message"] for row in csv.DictReader(io.StringIO(archive.read("manifest.csv").decode()))
        }
    assert "“Summer Sale” is hard to read" in rows["light.png"]
    assert "hard to read" not in rows["dark.png"]
