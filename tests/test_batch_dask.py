"""The same batch on a Dask cluster (a LocalCluster, 2 workers in this process) gives byte-identical files."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster
from test_batch import PROMPT, folder, members  # noqa: F401  (folder is a fixture)

from imagegen.batch import library_from_folder, plan_batch, read_manifest, read_recipe, run_batch
from imagegen.errors import BatchError

FORMATS = ["png", "gif", "jpg"]
MOVES = ["", "slides from left to right", ""]
ROWS = "product,corner,format,move\n" + "".join(
    f"shoe{i % 5}.png,{['top left', 'bottom right'][i % 2]},{FORMATS[i % 3]},{MOVES[i % 3]}\n" for i in range(12)
)
MOVING = "@BG as background, @{product} in the center {move}, @logo on the {corner}, 160x120, 1 second at 6 fps"


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


def test_the_same_batch_on_dask_is_byte_identical(client: Client, folder: Path, tmp_path: Path) -> None:  # noqa: F811
    recipe = read_recipe(ROWS + "shoe9.png,top left,png,\n")
    plan = plan_batch(recipe, MOVING, library_from_folder(folder))
    assert len(plan.jobs) == 12 and len(plan.errors) == 1

    local = run_batch(plan, tmp_path / "local.zip", workers=1)
    seen: list[tuple[int, int]] = []
    remote = run_batch(plan, tmp_path / "dask.zip", dask=client, progress=lambda d, t: seen.append((d, t)))

    assert seen == [(n, 12) for n in range(1, 13)]
    assert members(remote.zip) == members(local.zip)
    assert remote.written == local.written and remote.errors == local.errors
    manifest = read_manifest(members(remote.zip)["manifest.csv"])
    assert [m["status"] for m in manifest] == ["ok"] * 12 + ["error"]
    assert {Path(m["file"]).suffix for m in manifest if m["file"]} == {".png", ".gif", ".jpg"}


def test_the_scheduler_address_works_too(client: Client, folder: Path, tmp_path: Path) -> None:  # noqa: F811
    plan = plan_batch(read_recipe("product,corner\nshoe1.png,top left\n"), PROMPT, library_from_folder(folder))
    report = run_batch(plan, tmp_path / "a.zip", dask=client.scheduler.address)
    assert report.written == ((2, "row00002-shoe1.png"),)
    with zipfile.ZipFile(report.zip) as archive:
        assert sorted(archive.namelist()) == ["manifest.csv", "row00002-shoe1.png"]


def test_an_unreachable_scheduler_is_a_clear_error(folder: Path, tmp_path: Path) -> None:  # noqa: F811
    plan = plan_batch(read_recipe("product,corner\nshoe1.png,top left\n"), PROMPT, library_from_folder(folder))
    with pytest.raises(BatchError, match=r"Cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_batch(plan, tmp_path / "a.zip", dask="tcp://127.0.0.1:9")
    assert not (tmp_path / "a.zip").exists()
