"""Batch benchmark: rows per second for 100 rows, on 1 worker, the local pool and a Dask LocalCluster.

    python benchmarks/bench_batch.py [--rows 100] [--workers 2] [--skip-dask]

Two batches of ``--rows`` rows each, built from the Scene A inputs (scene_a.py: a 1600x1200 photo-like
JPEG background, a 400x400 RGBA logo, an 800x800 RGBA product with soft edges):

* still: 1080x1080 PNG, product centred, logo in the corner the row names (4 corners in turn);
* GIF: 540x540, 1 s at 24 fps (24 frames), the product slides from left to right, the logo in its corner.

Each batch runs on: 1 worker (rows one after another in this process), the local process pool with
``--workers`` processes, and a Dask ``LocalCluster`` with ``--workers`` worker processes of one thread.
Times include planning (CSV + validation), the local pool's start-up and writing the ZIP, i.e. what a user
waits for; the cluster is started once before (a deployed cluster is long-lived) and its start-up is printed.
Not a test: numbers depend on the machine and its load. Outputs go to bench-out/batch/.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from scene_a import write_inputs  # noqa: E402

from imagegen.batch import library_from_folder, plan_batch, read_recipe, run_batch  # noqa: E402

OUT = ROOT / "bench-out" / "batch"
CORNERS = ["top left", "top right", "bottom left", "bottom right"]
PROMPTS = {
    "still": "@BG as background, @product in the center, @logo on the {corner}, 1080x1080",
    "GIF": "@BG as background, @product slides from left to right, @logo on the {corner}, 540x540, 1 second at 24 fps",
}


def recipe(rows: int) -> str:
    return "corner\n" + "".join(f"{CORNERS[i % 4]}\n" for i in range(rows))


def timed(kind: str, rows: int, mode: str, workers: int, client: object = None) -> float:
    """Seconds for one whole batch (plan + render + ZIP) in ``mode``; the pool starts inside, the cluster not."""
    folder = (OUT / "inputs").resolve()
    started = time.perf_counter()
    plan = plan_batch(read_recipe(recipe(rows)), PROMPTS[kind], library_from_folder(folder))
    dest = OUT / f"{kind}-{mode}.zip"
    if mode == "1 worker":
        report = run_batch(plan, dest, workers=1)
    elif mode == "local pool":
        report = run_batch(plan, dest, workers=workers)
    else:
        report = run_batch(plan, dest, dask=client)
    seconds = time.perf_counter() - started
    assert len(report.written) == rows and not report.errors, report.errors
    return seconds


def _burn(loops: int = 20_000_000) -> int:
    total = 0
    for i in range(loops):
        total += i
    return total


def machine_parallelism(workers: int) -> float:
    """How much faster ``workers`` processes run a pure CPU loop than one: the ceiling for any pool here.

    Measured in the same run, because a shared or throttled machine's vCPUs may not add up to cores.
    """
    import multiprocessing

    started = time.perf_counter()
    _burn()
    one = time.perf_counter() - started
    with multiprocessing.get_context("forkserver").Pool(workers) as pool:
        pool.map(_burn, [10] * workers)  # start the processes before timing
        started = time.perf_counter()
        pool.map(_burn, [20_000_000] * workers)
        many = time.perf_counter() - started
    return workers * one / many


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    write_inputs(OUT / "inputs")
    client = None
    if not args.skip_dask:
        import logging

        from distributed import Client, LocalCluster

        logging.getLogger("distributed").setLevel(logging.WARNING)
        started = time.perf_counter()
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        print(f"LocalCluster start-up ({args.workers} worker processes): {time.perf_counter() - started:.1f} s")
    ceiling = machine_parallelism(args.workers)
    print(f"This machine: {args.workers} processes of a pure CPU loop run {ceiling:.2f}x as fast as one (the ceiling)")
    modes = ["1 worker", "local pool"] + ([] if args.skip_dask else ["LocalCluster"])
    print(f"{args.rows} rows per batch; local pool and LocalCluster with {args.workers} workers\n")
    print(f"{'batch':8} {'runs on':24} {'seconds':>8} {'rows/s':>8} {'vs 1 worker':>12}")
    for kind in PROMPTS:
        base = None
        for mode in modes:
            seconds = timed(kind, args.rows, mode, args.workers, client)
            rate = args.rows / seconds
            base = base or rate
            label = mode if mode == "1 worker" else f"{mode} ({args.workers})"
            print(f"{kind:8} {label:24} {seconds:8.1f} {rate:8.2f} {rate / base:11.2f}x", flush=True)
    if client is not None:
        client.close()
        cluster.close(timeout=30)


if __name__ == "__main__":
    main()
