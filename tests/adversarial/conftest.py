"""Fixtures of the adversarial suite: a store on a settable clock, a session, and a clean-refusal check."""

from __future__ import annotations

import re

import pytest
from session_helpers import snapshot

from imagegen.errors import UploadError
from imagegen.store.assets import add_images
from imagegen.store.session import Session, SessionStore


@pytest.fixture
def session(store: SessionStore) -> Session:
    return store.create()


def assert_refused_cleanly(session: Session, filename: str, data: bytes, pattern: str) -> UploadError:
    """Upload ``data``: it is refused with a message matching ``pattern`` (a full match), and the session's
    manifest and files on disk are byte for byte what they were."""
    before = snapshot(session.dir)
    result = add_images(session, [(filename, data)])
    assert result.added == ()
    assert len(result.errors) == 1
    error = result.errors[0]
    assert re.fullmatch(pattern, str(error)), str(error)
    assert snapshot(session.dir) == before
    return error
