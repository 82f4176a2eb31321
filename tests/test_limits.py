"""Limits: defaults, environment overrides, and refusal of values that would switch a limit off."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from imagegen.limits import LIMITS, Limits


def test_defaults_are_used_without_overrides() -> None:
    assert Limits.from_env({}) == Limits()
    assert Limits().max_file_bytes == 20 * 1024 * 1024


@pytest.mark.parametrize(
    ("variable", "raw", "field", "value"),
    [
        ("IMAGEGEN_MAX_FILE_BYTES", "1048576", "max_file_bytes", 1_048_576),
        ("IMAGEGEN_MAX_FILE_BYTES", " 2000 ", "max_file_bytes", 2000),
        ("IMAGEGEN_MAX_IMAGES_PER_SESSION", "3", "max_images_per_session", 3),
        ("IMAGEGEN_SESSION_TTL_S", "90.5", "session_ttl_s", 90.5),
        ("IMAGEGEN_MAX_DURATION_S", "10", "max_duration_s", 10.0),
        ("IMAGEGEN_MAX_IMAGE_PIXELS", "1_000_000", "max_image_pixels", 1_000_000),
    ],
)
def test_environment_overrides(variable: str, raw: str, field: str, value: float) -> None:
    limits = Limits.from_env({variable: raw})
    assert getattr(limits, field) == value
    assert type(getattr(limits, field)) is type(getattr(Limits(), field))


@pytest.mark.parametrize(
    ("variable", "raw", "expected_word"),
    [
        ("IMAGEGEN_MAX_FILE_BYTES", "20MB", "positive whole number"),
        ("IMAGEGEN_MAX_FILE_BYTES", "1.5", "positive whole number"),
        ("IMAGEGEN_MAX_FILE_BYTES", "-1", "positive whole number"),
        ("IMAGEGEN_MAX_FILE_BYTES", "0", "positive whole number"),
        ("IMAGEGEN_MAX_FILE_BYTES", "", "positive whole number"),
        ("IMAGEGEN_SESSION_TTL_S", "nan", "positive number"),
        ("IMAGEGEN_SESSION_TTL_S", "inf", "positive number"),
        ("IMAGEGEN_MAX_FPS", "fast", "positive number"),
    ],
)
def test_invalid_values_are_ignored_with_a_warning(
    variable: str, raw: str, expected_word: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="imagegen.limits"):
        limits = Limits.from_env({variable: raw})
    assert limits == Limits()
    assert f"ignoring {variable}={raw!r}: expected a {expected_word}" in caplog.text


def test_a_minimum_above_its_maximum_is_ignored(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="imagegen.limits"):
        limits = Limits.from_env({"IMAGEGEN_MIN_FPS": "30", "IMAGEGEN_MAX_FPS": "10", "IMAGEGEN_MAX_FRAMES": "5"})
    assert (limits.min_fps, limits.max_fps, limits.max_frames) == (1.0, 60.0, 5)
    assert "IMAGEGEN_MIN_FPS / IMAGEGEN_MAX_FPS: the minimum 30.0 is above the maximum 10.0" in caplog.text


def test_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IMAGEGEN_MAX_CANVAS_SIDE", "2048")
    assert Limits.from_env().max_canvas_side == 2048


def test_unrelated_variables_are_ignored() -> None:
    assert Limits.from_env({"IMAGEGEN_NOT_A_LIMIT": "5", "MAX_FILE_BYTES": "5"}) == Limits()


def test_every_limit_is_positive_and_the_module_default_is_a_limits() -> None:
    assert isinstance(LIMITS, Limits)
    assert all(getattr(Limits(), f.name) > 0 for f in dataclasses.fields(Limits))
