"""GIF image data (Pillow's LZW encoder) compressed in a thread, written in order.

Pillow's encoder releases the GIL only when it writes to a file descriptor, so each frame's indices
are compressed into an in-memory file (``memfd``; a temporary file where there is none) and read back.
The encoder meanwhile decides the next frame, so on two cores a photo's LZW (about a quarter of its
encoding time) overlaps that work instead of adding to it. A frame may also be made there: mapped
onto its local table, and the table built (see ``gif._LocalTable``).
"""

from __future__ import annotations

import io
import os
import tempfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageFile

_AHEAD = 2  # frames compressing at once at most: the encoder waits for the oldest beyond this


def image_data(indices: np.ndarray, table_bits: int, scratch: BinaryIO | None = None) -> bytes:
    """A frame's image data: LZW minimum code size, the data sub-blocks, their terminator.

    Pillow's LZW encoder (the one ``Image.save`` uses), but with the code size the colour table needs:
    Pillow always writes 8, so codes start at 9 bits even for a 12-colour local table (5 bits).

    :param scratch: an unbuffered file to compress into (then Pillow releases the GIL); None = memory.
    """
    bits = max(2, table_bits)  # GIF's smallest code size is 2
    image = Image.fromarray(indices)
    tile = [ImageFile._Tile("gif", (0, 0, *image.size), 0, ("L", bits, 0))]
    if scratch is None:
        data = io.BytesIO()
        ImageFile._save(image, data, tile)
        return bytes([bits]) + data.getvalue() + b"\0"
    scratch.seek(0)
    scratch.truncate()
    ImageFile._save(image, scratch, tile)
    size = scratch.tell()
    return bytes([bits]) + os.pread(scratch.fileno(), size, 0) + b"\0"


def _scratch_file() -> BinaryIO:
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("imagegen-gif-lzw"), "w+b", buffering=0)
    return tempfile.TemporaryFile(buffering=0)


class OrderedWriter:
    """Writes byte chunks to ``fp`` in the order given, where some are a frame's image data still
    being compressed in a worker thread."""

    def __init__(self, fp: BinaryIO) -> None:
        self._fp = fp
        self._queue: deque[bytes | Future[bytes]] = deque()
        self._scratch = _scratch_file()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="imagegen-gif-lzw")
        self._compressing = 0

    def write(self, chunk: bytes) -> None:
        self._queue.append(chunk)
        self._drain(block=False)

    def write_frame(self, frame: Callable[[], tuple[bytes, np.ndarray, int]]) -> None:
        """Queue a frame made in the worker thread: ``frame`` gives the bytes that go before its image
        data, its indices and their code size (a local table may only be built there)."""
        if self._compressing >= _AHEAD:
            self._drain(block=True, keep=_AHEAD - 1)
        self._queue.append(self._worker.submit(self._compress, frame))
        self._compressing += 1

    def _compress(self, frame: Callable[[], tuple[bytes, np.ndarray, int]]) -> bytes:
        head, indices, table_bits = frame()
        return head + image_data(indices, table_bits, self._scratch)

    def close(self) -> None:
        """Write everything queued, then free the worker (also after a failure: then nothing more is written)."""
        try:
            self._drain(block=True)
        finally:
            self._worker.shutdown(wait=True, cancel_futures=True)
            self._scratch.close()

    def abandon(self) -> None:
        """Stop without writing what is queued (the file is being discarded)."""
        self._worker.shutdown(wait=True, cancel_futures=True)
        self._scratch.close()

    def _drain(self, *, block: bool, keep: int = 0) -> None:
        """Write the queue's head up to the first chunk still compressing (``block``: wait for chunks
        until at most ``keep`` are compressing)."""
        while self._queue:
            head = self._queue[0]
            if isinstance(head, Future):
                if not head.done() and not (block and self._compressing > keep):
                    return
                self._fp.write(head.result())
                self._compressing -= 1
            else:
                self._fp.write(head)
            self._queue.popleft()
