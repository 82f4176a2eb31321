"""Several users at once in one browser (a context each): every download arrives on the first click, and
every user gets only their own pictures.

The users' network is slow (each ``/media/`` request is held 1.5 s) while another session keeps rerunning:
the conditions under which a download the session does not hold is deleted before the browser fetches it
(issue 16: Streamlit cleans up media files whenever any session's rerun ends).
"""

from __future__ import annotations

import asyncio
import sys
import threading

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from load import Patience, UserResult, run_users

USERS = 4
ONE_CLICK = Patience(tries=1, download_timeout_s=30)  # the first click must deliver the file


def _run_in_thread(server: str, chromium: str) -> list[UserResult]:
    """Drive the users with Playwright's async API in a thread of its own (the sync fixtures own this one)."""
    results: list[list[UserResult]] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            results.append(
                asyncio.run(
                    run_users(
                        server, USERS, chromium=chromium, media_delay_s=1.5, with_chatter=True, patience=ONE_CLICK
                    )
                )
            )
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(280)
    assert not thread.is_alive(), "the users did not finish"
    if failures:
        raise failures[0]
    return results[0]


def test_every_users_downloads_arrive_on_the_first_click_without_cross_talk(server: str, chromium_path: str) -> None:
    results = _run_in_thread(server, chromium_path)
    for index, result in enumerate(results):
        assert result.errors == [], f"user {index}: {result.errors}"
        assert (result.downloads, result.first_try, result.failed) == (2, 2, 0), f"user {index}"
        assert result.cross_talk == 0, f"user {index} got another user's picture"
