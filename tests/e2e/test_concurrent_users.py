"""Several users at once in one browser (a context each): every download arrives on the first click,
every user gets only their own pictures, and what they held is released once they close their tabs.

The users' network is slow (each ``/media/`` request is held 1.5 s) while another session keeps rerunning:
the conditions under which a download the session does not hold is deleted before the browser fetches it
(issue 16: Streamlit cleans up media files whenever any session's rerun ends).
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from load import Patience, UserResult, rss_mb, run_users, settle_after_last_close

USERS = 4
ONE_CLICK = Patience(tries=1, download_timeout_s=30)  # the first click must deliver the file
#: When the server's memory is read after the last tab closed (a closed tab is released at disconnect).
SETTLE_S = 15.0
#: How much more the server may hold after the users left than after one user's visit before them: the
#: sessions Streamlit keeps for reconnection and what the allocator keeps for the next render, not the
#: users' renders (each of which allocates tens of MB in its own script thread).
RELEASE_MB = 40.0


def _run_in_thread(users: Callable[[], Coroutine[Any, Any, list[UserResult]]]) -> list[UserResult]:
    """Drive the users with Playwright's async API in a thread of its own (the sync fixtures own this one)."""
    results: list[list[UserResult]] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            results.append(asyncio.run(users()))
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(280)
    assert not thread.is_alive(), "the users did not finish"
    if failures:
        raise failures[0]
    return results[0]


def test_every_users_downloads_arrive_on_the_first_click_without_cross_talk_and_are_released(
    server: str, server_pid: int, chromium_path: str
) -> None:
    # one visit first, so the baseline has the app's imports, caches and a render's allocator state
    warm_up = _run_in_thread(lambda: run_users(server, 1, first_index=USERS, chromium=chromium_path))
    assert warm_up[0].errors == []
    settle_after_last_close(warm_up, SETTLE_S)
    baseline_mb = rss_mb(server_pid)

    results = _run_in_thread(
        lambda: run_users(
            server, USERS, chromium=chromium_path, media_delay_s=1.5, with_chatter=True, patience=ONE_CLICK
        )
    )
    settle_after_last_close(results, SETTLE_S)
    after_mb = rss_mb(server_pid)

    for index, result in enumerate(results):
        assert result.errors == [], f"user {index}: {result.errors}"
        assert (result.downloads, result.first_try, result.failed) == (2, 2, 0), f"user {index}"
        assert result.cross_talk == 0, f"user {index} got another user's picture"
    print(f"server RSS: {baseline_mb:.0f} MB after one user, {after_mb:.0f} MB after {USERS} more")  # for -s
    assert after_mb - baseline_mb <= RELEASE_MB, (
        f"{USERS} users left {after_mb - baseline_mb:.0f} MB behind ({baseline_mb:.0f} -> {after_mb:.0f} MB)"
    )
