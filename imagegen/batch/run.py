"""Running a planned batch: each row is one task (read its images, render, return the file's bytes).

Where tasks run:

* ``workers=1``: in this process, one row after another;
* ``workers=N``: a local process pool (``forkserver``: safe from a threaded server such as Streamlit). Its
  processes never run the parent's ``__main__``: multiprocessing re-runs the main script in every new
  process (so functions defined there can be unpickled), and under ``streamlit run`` the main script is
  ``app.py`` — each worker opened a session folder and logged "missing ScriptRunContext". The tasks live
  in this module, so a worker needs nothing from the main script;
* ``dask="tcp://scheduler:8786"`` (or a ``distributed.Client``): a Dask cluster. Workers need the same
  ``imagegen`` installed and must see the images at the same paths (a shared volume); results come back
  as bytes, so the output needs no shared storage.

At most a few tasks per worker are in flight, so memory stays flat for 10,000 rows. Results are written
into the ZIP as they arrive; ``manifest.csv`` in the ZIP maps every row to its file or its error.
"""

from __future__ import annotations

import csv
import io
import logging
import multiprocessing
import os
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.machinery import ModuleSpec
from itertools import islice
from multiprocessing import popen_forkserver
from multiprocessing.context import ForkServerContext, ForkServerProcess
from pathlib import Path
from typing import Any

from imagegen.batch.recipe import MANIFEST_NAME, BatchPlan, RowError, RowJob
from imagegen.errors import BatchError, ImagegenError, RenderCancelled
from imagegen.export import OutputFormat
from imagegen.files import atomic_path, write_error
from imagegen.scene import Scene
from imagegen.service.pipeline import open_images, render_file
from imagegen.service.request import Target

log = logging.getLogger(__name__)

MANIFEST = MANIFEST_NAME
DASK_ENV = "IMAGEGEN_DASK_SCHEDULER"
#: Tasks in flight per worker: enough to keep each busy, few enough that results never pile up.
IN_FLIGHT_PER_WORKER = 2

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowResult:
    """One row's outcome: the file's bytes, or the error that stopped it."""

    row: int
    file: str
    data: bytes | None = None
    error: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchReport:
    zip: Path
    rows: int
    written: tuple[tuple[int, str], ...]  # (row, file), by row
    errors: tuple[RowError, ...]  # by row
    seconds: float


def render_row(job: RowJob) -> RowResult:
    """The task: render one row to bytes. Never raises: a failure is the row's error."""
    try:
        target = Target(Scene.from_json(job.scene_json), OutputFormat(job.format))
        images = open_images({tag: Path(path) for tag, path in job.images.items()}, limits=job.limits)
        design: list[str] = []
        with tempfile.TemporaryDirectory(prefix="imagegen-row-") as folder:
            dest = render_file(
                target,
                images,
                Path(folder) / f"out{target.fmt.suffix}",
                quality=job.quality,
                limits=job.limits,
                checked=lambda _target, notices: design.extend(notice.message for notice in notices),
            )
            return RowResult(job.row, job.file, dest.read_bytes(), warnings=(*job.warnings, *design))
    except ImagegenError as exc:
        return RowResult(job.row, job.file, error=str(exc))
    except Exception as exc:  # one broken row must not stop the other rows
        log.exception("row %d failed", job.row)
        return RowResult(job.row, job.file, error=f"could not be rendered ({type(exc).__name__}: {exc}).")


def run_batch(
    plan: BatchPlan,
    dest: Path,
    *,
    workers: int = 1,
    dask: str | Any | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> BatchReport:
    """Render every job of ``plan`` and write the files and ``manifest.csv`` into the ZIP ``dest``.

    :param dask: a scheduler address or a ``distributed.Client``; None runs locally with ``workers``.
    :raise BatchError: the Dask scheduler cannot be reached or dask is not installed.
    :raise RenderCancelled: ``cancel`` returned True (no ZIP is left).
    """
    started = time.perf_counter()
    jobs = plan.jobs
    results = _dask_results(jobs, dask) if dask is not None else _local_results(jobs, workers)
    written: list[tuple[int, str]] = []
    failed: list[RowError] = []
    notes: dict[int, str] = {}
    try:
        with atomic_path(Path(dest)) as tmp, zipfile.ZipFile(tmp, "w", allowZip64=True) as archive:
            for done, result in enumerate(results, start=1):
                if result.data is not None:
                    archive.writestr(result.file, result.data, zipfile.ZIP_STORED)
                    written.append((result.row, result.file))
                    if result.warnings:
                        notes[result.row] = " ".join(result.warnings)
                else:
                    failed.append(RowError(result.row, None, result.error or "could not be rendered."))
                if progress is not None:
                    progress(done, len(jobs))
                if cancel is not None and cancel():
                    raise RenderCancelled(f"The batch was cancelled after {done} of {len(jobs)} rows.")
            errors = tuple(sorted((*plan.errors, *failed), key=lambda e: e.row))
            written.sort()
            archive.writestr(MANIFEST, manifest_csv(written, errors, notes), zipfile.ZIP_DEFLATED)
    except OSError as exc:
        raise write_error(Path(dest), exc) from exc
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # stops the pool / releases the cluster's futures when we leave early
    seconds = time.perf_counter() - started
    log.info("batch: %d files, %d errors in %.1f s", len(written), len(errors), seconds)
    return BatchReport(Path(dest), plan.rows, tuple(written), errors, seconds)


def manifest_csv(written: Iterable[tuple[int, str]], errors: Iterable[RowError], notes: dict[int, str]) -> str:
    """``row,status,file,message``: one line per CSV row (ok / error / skipped), by row."""
    lines: list[tuple[int, str, str, str]] = [(row, "ok", file, notes.get(row, "")) for row, file in written]
    for error in errors:
        status = "skipped" if error.message.startswith(("is empty", "has ")) and error.column is None else "error"
        message = f"column '{error.column}': {error.message}" if error.column else error.message
        lines.append((error.row, status, "", message))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["row", "status", "file", "message"])
    writer.writerows(sorted(lines))
    return buffer.getvalue()


def read_manifest(data: bytes | str) -> list[dict[str, str]]:
    """The rows of a ``manifest.csv`` (for tests and tools)."""
    text = data.decode() if isinstance(data, bytes) else data
    return list(csv.DictReader(io.StringIO(text)))


# --- where tasks run -------------------------------------------------------------------------------------
def _local_results(jobs: tuple[RowJob, ...], workers: int) -> Iterator[RowResult]:
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield render_row(job)
        return
    multiprocessing.get_context("forkserver").set_forkserver_preload(["imagegen.batch.run"])
    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=_WorkerContext())
    try:
        pending = iter(jobs)
        window = islice(pending, workers * IN_FLIGHT_PER_WORKER)
        running: set[Future[RowResult]] = {pool.submit(render_row, j) for j in window}
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                result = _outcome(future)
                following = next(pending, None)
                if following is not None:
                    running.add(pool.submit(render_row, following))
                yield result
    except BrokenProcessPool as exc:
        raise BatchError(f"The batch's worker processes stopped unexpectedly ({exc}).") from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class _WorkerPopen(popen_forkserver.Popen):
    """A forkserver process started without the parent's ``__main__``."""

    def _launch(self, process_obj: Any) -> None:
        with _main_not_inherited():
            super()._launch(process_obj)


class _WorkerProcess(ForkServerProcess):
    @staticmethod
    def _Popen(process_obj: Any) -> _WorkerPopen:  # multiprocessing names it so
        return _WorkerPopen(process_obj)


class _WorkerContext(ForkServerContext):
    """The forkserver context whose processes do not re-run the main script (see the module doc)."""

    Process = _WorkerProcess  # type: ignore[assignment]


_MAIN_LOCK = threading.Lock()
#: A main module "named __main__" is one multiprocessing leaves alone in the child (as for ``python -c``).
_NOT_INHERITED = ModuleSpec("__main__", None)


@contextmanager
def _main_not_inherited() -> Iterator[None]:
    """While a worker is launched, the main module reads as not importable, so the child skips it.

    multiprocessing asks for the main script by ``__main__.__spec__`` (a module name) or, without one, by
    ``__main__.__file__``; a spec named ``__main__`` means "nothing to import". Only that attribute changes,
    for the launch and under a lock: the module and ``sys.modules`` stay the caller's (Streamlit's).
    """
    with _MAIN_LOCK:
        main = sys.modules.get("__main__")
        if main is None:
            yield
            return
        spec = getattr(main, "__spec__", None)
        main.__spec__ = _NOT_INHERITED
        try:
            yield
        finally:
            main.__spec__ = spec


def _outcome(future: Any) -> RowResult:
    try:
        return future.result()
    except Exception as exc:  # the worker process died (out of memory, killed)
        raise BatchError(f"A batch worker stopped unexpectedly ({type(exc).__name__}: {exc}).") from exc


def dask_address(explicit: str | None = None) -> str | None:
    """The scheduler to use: ``explicit``, else ``IMAGEGEN_DASK_SCHEDULER``, else None (local)."""
    return explicit or os.environ.get(DASK_ENV) or None


def _dask_results(jobs: tuple[RowJob, ...], dask: str | Any) -> Iterator[RowResult]:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise BatchError(
            "Running on a Dask cluster needs dask.distributed — pip install -r requirements-scale.txt."
        ) from exc
    own = not isinstance(dask, Client)
    try:
        client = Client(dask, timeout="10s") if own else dask
    except (OSError, TimeoutError) as exc:
        raise BatchError(f"Cannot reach the Dask scheduler at {dask} ({exc}).") from exc
    try:
        workers = max(1, sum(client.nthreads().values()))
        pending = iter(jobs)
        first = [client.submit(render_row, j, pure=False) for j in islice(pending, workers * IN_FLIGHT_PER_WORKER)]
        running = as_completed(first)
        for future in running:
            following = next(pending, None)
            if following is not None:
                running.add(client.submit(render_row, following, pure=False))
            result = _outcome(future)
            future.release()
            yield result
    finally:
        if own:
            client.close()
