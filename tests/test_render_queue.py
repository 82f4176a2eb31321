"""The render queue: at most ``slots`` renders at once, the rest in arrival order, each told its position."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from apptest_helpers import png_bytes
from PIL import Image

from imagegen.errors import BusyError
from imagegen.service import Overrides, RenderRequest
from imagegen.service.outputs import generate, output_path, understand
from imagegen.service.queue import RenderQueue, default_slots, shared_queue
from imagegen.store.assets import add_images
from imagegen.store.session import SessionStore

MOVING = "@BG is stable background and @logo is moving from left to right"


def _wait_until(condition, timeout_s: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the queue"
        time.sleep(0.005)


class Renders:
    """Threads that each take a turn in one queue, arriving one after another, and record what they saw."""

    def __init__(self, queue: RenderQueue) -> None:
        self.queue = queue
        self.started: list[int] = []
        self.finished: list[int] = []
        self.seen: dict[int, list[int]] = {}
        self.release: dict[int, threading.Event] = {}
        self.threads: list[threading.Thread] = []
        self.most_at_once = 0
        self._lock = threading.Lock()

    def arrive(self, name: int, work=None) -> None:  # type: ignore[no-untyped-def]
        """Start render ``name`` and return once it is running or in line (so arrival order is fixed)."""
        self.seen[name] = []
        self.release[name] = threading.Event()
        before = self.queue.running + self.queue.waiting

        def run() -> None:
            with self.queue.turn(on_wait=self.seen[name].append):
                with self._lock:
                    self.started.append(name)
                    self.most_at_once = max(self.most_at_once, self.queue.running)
                if work is None:
                    self.release[name].wait(30)
                else:
                    work()
            with self._lock:
                self.finished.append(name)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        self.threads.append(thread)
        _wait_until(lambda: self.queue.running + self.queue.waiting > before)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(60)
            assert not thread.is_alive()


@pytest.mark.parametrize("slots", [1, 2, 3])
def test_more_renders_than_slots_start_in_arrival_order_and_see_their_position(slots: int) -> None:
    queue = RenderQueue(slots, poll_s=0.01)
    renders = Renders(queue)
    count = slots + 3
    for name in range(count):
        renders.arrive(name)
    assert renders.started == list(range(slots))
    assert (queue.running, queue.waiting) == (slots, 3)
    for name in range(slots, count):  # each waiting render is told all renders that arrived before it
        _wait_until(lambda name=name: renders.seen[name])
        assert renders.seen[name][0] == name

    for name in range(count):  # finish them in arrival order: the line moves up one by one
        renders.release[name].set()
        _wait_until(lambda name=name: name in renders.finished)
    renders.join()

    assert renders.started == renders.finished == list(range(count))
    assert renders.most_at_once == slots
    for name in range(slots, count):
        positions = renders.seen[name]
        assert positions == sorted(positions, reverse=True), "a render never moves back in line"
        assert positions[-1] >= slots, "while a render waits, every slot is taken"
    for name in range(slots):
        assert renders.seen[name] == [], "a render that finds a free slot never waits"
    assert (queue.running, queue.waiting) == (0, 0)


def test_a_render_that_finishes_out_of_order_frees_its_slot_for_the_next_in_line() -> None:
    queue = RenderQueue(2, poll_s=0.01)
    renders = Renders(queue)
    for name in range(4):
        renders.arrive(name)
    renders.release[1].set()  # the second one finishes first: 2 (not 3) takes its slot
    _wait_until(lambda: renders.started == [0, 1, 2])
    assert 3 not in renders.started
    for name in (0, 2, 3):
        renders.release[name].set()
    renders.join()
    assert renders.started == [0, 1, 2, 3]


def test_a_waiting_render_whose_user_left_gives_up_its_place() -> None:
    queue = RenderQueue(1, poll_s=0.01)
    renders = Renders(queue)
    renders.arrive(0)
    left = threading.Event()

    class UserLeft(Exception):
        pass

    def on_wait(ahead: int) -> None:
        if left.is_set():
            raise UserLeft

    raised: list[BaseException] = []

    def leaver() -> None:
        try:
            with queue.turn(on_wait=on_wait):
                raise AssertionError("a render whose user left must not run")
        except UserLeft as exc:
            raised.append(exc)

    thread = threading.Thread(target=leaver, daemon=True)
    thread.start()
    _wait_until(lambda: queue.waiting == 1)
    renders.arrive(2)
    assert queue.waiting == 2
    left.set()
    thread.join(10)
    assert raised and queue.waiting == 1
    _wait_until(lambda: renders.seen[2][-1:] == [1])  # told it moved up before render 0 ends (polled, not raced)
    renders.release[0].set()
    renders.release[2].set()
    renders.join()
    assert renders.started == [0, 2]
    assert renders.seen[2][-1] == 1


def test_slots_default_to_the_cores_this_process_may_use_and_must_be_positive() -> None:
    assert RenderQueue().slots == default_slots() >= 1
    with pytest.raises(ValueError, match="slots must be at least 1, not 0"):
        RenderQueue(0)


def test_real_renders_beyond_the_cores_all_finish_in_arrival_order(tmp_path: Path) -> None:
    """More GIF renders than cores through one queue: they start in arrival order and every file is whole."""
    session = SessionStore(tmp_path / "sessions").create()
    add_images(
        session, [("BG.png", png_bytes((240, 240), "blue")), ("logo.png", png_bytes((60, 60), "red", alpha=True))]
    )
    scene = Overrides(size=(160, 160), duration_s=1.0, fps=8).apply(understand(session, RenderRequest(MOVING)).scene)
    queue = RenderQueue(poll_s=0.01)
    renders = Renders(queue)
    outputs: dict[int, str] = {}
    count = queue.slots + 3
    gate = threading.Event()  # the first renders hold their slots until everyone is in line

    def work_for(name: int):  # type: ignore[no-untyped-def]
        def work() -> None:
            if name < queue.slots:
                gate.wait(30)
            outputs[name] = generate(session, MOVING, scene).id

        return work

    for name in range(count):
        renders.arrive(name, work_for(name))
    assert queue.waiting == 3
    gate.set()
    renders.join()

    assert renders.started == list(range(count))
    assert renders.most_at_once <= queue.slots
    recorded = [o.id for o in session.manifest().outputs]
    assert sorted(recorded) == sorted(outputs.values())
    for name in range(queue.slots, count):
        assert renders.seen[name][0] == name
    for output in session.manifest().outputs:
        with Image.open(output_path(session, output)) as image:
            assert (image.format, image.n_frames) == ("GIF", 8)


def test_a_caller_that_can_ask_again_is_refused_when_the_line_is_full_and_the_queue_is_unchanged() -> None:
    queue = RenderQueue(1, poll_s=0.01)
    with queue.turn(max_waiting=0):  # a free slot: never refused
        renders = Renders(queue)
        renders.arrive(0)  # waits behind the running turn
        with pytest.raises(BusyError) as refused, queue.turn(max_waiting=1):
            pass
        assert str(refused.value) == (
            "The renderer is busy (1 rendering, 1 waiting); nothing was started — try again in a few seconds."
        )
        assert (queue.running, queue.waiting) == (1, 1)
        with pytest.raises(BusyError), queue.turn(max_waiting=0):
            pass
    renders.release[0].set()
    renders.join()
    assert renders.started == [0] and (queue.running, queue.waiting) == (0, 0)


def test_the_process_has_one_shared_queue_for_the_app_and_the_api() -> None:
    assert shared_queue() is shared_queue()
    assert shared_queue().slots == default_slots()
