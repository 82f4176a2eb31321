"""After an upload the Images page stays still until the user acts, so one click on Compose opens Compose.

A rerun the user did not ask for replaces the run of the click before it (Streamlit, fast reruns on,
stops the running script and runs the newest request, with the page that request names). The cards' tag
editors (streamlit-tags) were mounted at once, and each iframe sent its value when it loaded, seconds after
the page was drawn on a busy machine: a click on Compose in between was undone and the page stayed on
Images & tags. They are mounted now only when the user opens one.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, WebSocket, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from test_cleanup_flow import _settle
from test_compose_flow import TAGS, _files


def _watch_reruns(page: Page) -> list[str]:
    """The page hash of every rerun request the page sends from now on."""
    reruns: list[str] = []

    def on_socket(socket: WebSocket) -> None:
        def sent(payload: str | bytes) -> None:
            message = BackMsg()
            message.ParseFromString(payload if isinstance(payload, bytes) else payload.encode())
            if message.WhichOneof("type") == "rerun_script":
                reruns.append(message.rerun_script.page_script_hash)

        socket.on("framesent", sent)

    page.on("websocket", on_socket)
    return reruns


def test_after_an_upload_nothing_reruns_the_page_until_the_user_clicks(page: Page) -> None:
    reruns = _watch_reruns(page)
    page.reload()  # the fixture's socket opened before the watch
    expect(page.get_by_role("heading", name="Images & tags")).to_be_visible()
    page.locator("input[type=file]").set_input_files(_files(TAGS[:4]))
    expect(page.get_by_text("Added 4 images")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("button", name=re.compile(r"@\w+$"))).to_have_count(4)  # the cards' tags
    expect(page.locator("iframe[title*='streamlit_tags']")).to_have_count(0)  # no editor until one is opened
    _settle(page)
    asked = len(reruns)
    # streamlit-tags' iframes loaded and re-sent their values well within this, even on an idle machine.
    page.wait_for_timeout(4000)
    assert reruns[asked:] == [], "the page reran without the user doing anything"

    page.get_by_role("link", name="Compose").click()
    expect(page.get_by_role("heading", name="Compose")).to_be_visible()
    expect(page.get_by_label("Prompt")).to_be_visible()
    assert len(reruns) == asked + 1 and reruns[-1] != reruns[asked - 1], "one request, for another page"
