"""Tag rules: what a tag may be, auto-tags from file names, clashes ignoring case."""

from __future__ import annotations

import pytest

from imagegen.errors import TagError
from imagegen.store.tags import (
    MAX_TAG_LENGTH,
    MENTION_RE,
    TAG_RE,
    auto_tag,
    suggest_tag,
    tag_key,
    unique_tag,
    validate_tag,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("logo", "logo"),
        ("  BG  ", "BG"),
        ("@product", "product"),
        ("a", "a"),
        ("Logo_Final-2", "Logo_Final-2"),
        ("x" * MAX_TAG_LENGTH, "x" * MAX_TAG_LENGTH),
    ],
)
def test_valid_tags_are_kept_as_typed(typed: str, stored: str) -> None:
    assert validate_tag(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "A tag cannot be empty — use letters, digits, _ or -, starting with a letter (e.g. logo)."),
        ("@", "A tag cannot be empty"),
        ("2logo", "Tag '2logo' is not valid — use letters, digits, _ or -, starting with a letter. Try 'logo'."),
        ("my logo", "Tag 'my logo' is not valid — use letters, digits, _ or -, starting with a letter. Try 'my_logo'."),
        ("Café", "Try 'Cafe'."),
        ("_x", "Try 'x'."),
        ("123", "Tag '123' is not valid — use letters, digits, _ or -, starting with a letter."),
        ("x" * 33, "is 33 characters long — at most 32 are allowed; try '" + "x" * 32 + "'."),
        ("9" * 40, "is 40 characters long — at most 32 are allowed."),
    ],
)
def test_invalid_tags_say_why_and_offer_an_alternative(typed: str, message: str) -> None:
    with pytest.raises(TagError) as caught:
        validate_tag(typed)
    assert message in str(caught.value)


def test_a_tag_with_no_alternative_does_not_suggest_an_empty_one() -> None:
    with pytest.raises(TagError) as caught:
        validate_tag("123")
    assert "Try" not in str(caught.value)


def test_clash_is_case_insensitive_and_names_the_existing_tag() -> None:
    with pytest.raises(TagError) as caught:
        validate_tag("LOGO", ["BG", "logo"])
    assert str(caught.value) == (
        "Tag 'LOGO' is already used by another image (as 'logo'); tags are compared ignoring case. Try 'LOGO_2'."
    )


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Logo Final (2)", "Logo_Final_2"),
        ("2024 banner", "banner"),
        ("Ünïcödé", "Unicode"),
        ("---", ""),
        ("日本", ""),
        ("a" * 40, "a" * 32),
        ("a" * 31 + " b", "a" * 31),
    ],
)
def test_suggest_tag(text: str, tag: str) -> None:
    assert suggest_tag(text) == tag


def test_unique_tag_counts_up_and_stays_within_the_length_limit() -> None:
    assert unique_tag("logo", []) == "logo"
    assert unique_tag("logo", ["LOGO"]) == "logo_2"
    assert unique_tag("logo", ["logo", "logo_2", "Logo_3"]) == "logo_4"
    long = "y" * MAX_TAG_LENGTH
    assert unique_tag(long, [long]) == "y" * (MAX_TAG_LENGTH - 2) + "_2"


@pytest.mark.parametrize(
    ("filename", "existing", "number", "expected"),
    [
        ("Logo Final (2).png", [], 1, ("Logo_Final_2", 1)),
        ("logo.png", ["Logo"], 1, ("logo_2", 1)),
        ("archive.tar.gz", [], 1, ("archive_tar", 1)),
        ("noext", [], 1, ("noext", 1)),
        ("1.png", [], 1, ("Image1", 2)),
        ("???.png", [], 5, ("Image5", 6)),
        ("2.png", ["image3"], 3, ("Image4", 5)),
    ],
)
def test_auto_tag(filename: str, existing: list[str], number: int, expected: tuple[str, int]) -> None:
    assert auto_tag(filename, existing, number) == expected


def test_mentions_and_keys() -> None:
    assert MENTION_RE.findall("Place @product in center and @BG-1 behind") == ["product", "BG-1"]
    assert tag_key("Logo") == tag_key("LOGO")
    assert TAG_RE.fullmatch("a-b_c9")
