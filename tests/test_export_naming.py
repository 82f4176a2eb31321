"""Output names: time first, tags, safe characters, bounded length, unique in the folder."""

from __future__ import annotations

from datetime import datetime

import pytest

from imagegen.export import OutputFormat, output_name
from imagegen.export.naming import MAX_SLUG_CHARS, MAX_TAGS_CHARS, prompt_slug, slugged_name

NOW = datetime(2024, 5, 1, 9, 30, 7)


@pytest.mark.parametrize(
    ("tags", "fmt", "expected"),
    [
        (["BG", "logo"], OutputFormat.GIF, "20240501-093007-BG-logo.gif"),
        (["product"], OutputFormat.JPEG, "20240501-093007-product.jpg"),
        (["a-b", "c_d"], OutputFormat.APNG, "20240501-093007-a_b-c_d.apng"),
        (["../../etc/passwd"], OutputFormat.PNG, "20240501-093007-etc_passwd.png"),
        (["Café", "Ünïcode"], OutputFormat.WEBP, "20240501-093007-Cafe-Unicode.webp"),
        (["日本", "x.y"], OutputFormat.MP4, "20240501-093007-x_y.mp4"),
        ([], OutputFormat.PNG, "20240501-093007.png"),
        (["", "  "], OutputFormat.PNG, "20240501-093007.png"),
    ],
)
def test_names_are_time_then_sanitised_tags(tags: list[str], fmt: OutputFormat, expected: str) -> None:
    assert output_name(tags, fmt, NOW, []) == expected


def test_clashes_get_a_number_ignoring_case() -> None:
    taken = {"20240501-093007-BG-logo.gif", "20240501-093007-bg-logo-2.GIF"}
    assert output_name(["BG", "logo"], OutputFormat.GIF, NOW, taken) == "20240501-093007-BG-logo-3.gif"
    # another format does not clash
    assert output_name(["BG", "logo"], OutputFormat.PNG, NOW, taken) == "20240501-093007-BG-logo.png"


def test_many_names_in_the_same_second_are_all_different() -> None:
    taken: set[str] = set()
    for _ in range(50):
        taken.add(output_name(["BG"], OutputFormat.PNG, NOW, taken))
    assert len(taken) == 50


def test_length_is_bounded_at_a_tag_boundary() -> None:
    tags = [f"tag{i:02d}_" + "x" * 20 for i in range(10)]
    name = output_name(tags, OutputFormat.GIF, NOW, [])
    tag_part = name.removeprefix("20240501-093007-").removesuffix(".gif")
    assert len(tag_part) <= MAX_TAGS_CHARS
    assert tag_part == "-".join(tags[:2])


def test_one_huge_tag_is_cut() -> None:
    name = output_name(["a" * 500], OutputFormat.PNG, NOW, [])
    assert name == f"20240501-093007-{'a' * MAX_TAGS_CHARS}.png"


@pytest.mark.parametrize(
    ("prompt", "slug"),
    [
        (
            "Place @product in the center, @logo on top right & @beach_photo as background",
            "place-product-in-the-center-logo-on-top",
        ),
        ("@logo spins", "logo-spins"),
        ("Crème brûlée — 30 % off!", "creme-brulee-30-off"),
        ('"Summer Sale" in white over @BG', "summer-sale-in-white-over-bg"),
        ("../../etc/passwd", "etc-passwd"),
        ("बिक्री @logo", "logo"),  # other scripts are dropped, the tag stays
        ("日本", ""),
        ("", ""),
        ("x" * 80, "x" * 40),  # one word longer than the slug: cut
    ],
)
def test_a_prompt_slug_is_its_first_words(prompt: str, slug: str) -> None:
    assert prompt_slug(prompt) == slug
    assert len(slug) <= MAX_SLUG_CHARS


@pytest.mark.parametrize(
    ("file", "prompt", "name"),
    [
        ("20240501-093007-BG-logo.gif", "@logo spins over @BG", "20240501-093007-BG-logo--logo-spins-over-bg.gif"),
        ("20240501-093007-story-BG.png", "日本", "20240501-093007-story-BG.png"),
        ("20240501-093007.mp4", "@a fades in", "20240501-093007--a-fades-in.mp4"),
    ],
)
def test_a_slugged_name_keeps_the_file_name_and_adds_the_prompt(file: str, prompt: str, name: str) -> None:
    assert slugged_name(file, prompt) == name
