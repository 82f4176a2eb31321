"""Shared helpers (no tests here) for table-driven prompt tests: compare a Scene with a partial expectation.

An expectation is a dict: ``order`` (tags in drawing order), ``canvas`` ((w, h)), ``background``
(RGBA or None), ``timing`` ((duration_s, fps, loops)), ``animated`` (bool), and per tag a dict of
Layer fields to check (``motions`` as a list of dicts of Motion fields, compared field by field).
"""

from __future__ import annotations

from typing import Any

from imagegen.scene import Anchor, Easing, Motion, MotionKind, Role, Scene

TAGS = ["BG", "logo", "product"]
_LAYER_KEYS = {"order", "canvas", "background", "timing", "animated", "warnings"}


def layer(**fields: Any) -> dict[str, Any]:
    """Expected Layer fields; strings are converted to the enum the field holds."""
    if "anchor" in fields:
        fields["anchor"] = Anchor(fields["anchor"])
    if "role" in fields:
        fields["role"] = Role(fields["role"])
    return fields


def motion(kind: str, **fields: Any) -> dict[str, Any]:
    fields["kind"] = MotionKind(kind)
    for key in ("from_anchor", "to_anchor"):
        if isinstance(fields.get(key), str):
            fields[key] = Anchor(fields[key])
    if "easing" in fields:
        fields["easing"] = Easing(fields["easing"])
    return fields


def check_scene(scene: Scene, expected: dict[str, Any]) -> None:
    if "order" in expected:
        assert scene.tags == tuple(expected["order"])
    if "canvas" in expected:
        assert scene.canvas.size == tuple(expected["canvas"])
    if "background" in expected:
        assert scene.canvas.background == expected["background"]
    if "timing" in expected:
        duration, fps, loops = expected["timing"]
        assert (scene.timing.duration_s, scene.timing.fps, scene.timing.loops) == (duration, fps, loops)
    if "animated" in expected:
        assert scene.animated is expected["animated"]
    for tag, fields in expected.items():
        if tag in _LAYER_KEYS:
            continue
        got = scene.layer(tag)
        for name, want in fields.items():
            if name == "motions":
                _check_motions(got.motions, want, tag)
            elif isinstance(want, float):
                assert abs(getattr(got, name) - want) < 1e-9, (tag, name, getattr(got, name), want)
            else:
                assert getattr(got, name) == want, (tag, name, getattr(got, name), want)


def _check_motions(got: tuple[Motion, ...], want: list[dict[str, Any]], tag: str) -> None:
    assert len(got) == len(want), (tag, got)
    for motion_got, fields in zip(got, want, strict=True):
        for name, value in fields.items():
            actual = getattr(motion_got, name)
            if isinstance(value, float):
                assert abs(actual - value) < 1e-9, (tag, name, actual, value)
            else:
                assert actual == value, (tag, name, actual, value)
