"""Bulk runs from a spreadsheet: a CSV of variants + a prompt with ``{column}`` placeholders -> a ZIP.

* :mod:`.inputs` — the images a batch may use (folder, safely unpacked ZIP, the session's images);
* :mod:`.recipe` — read the CSV and the prompt template, validate every row up front into jobs; a sample CSV;
* :mod:`.run` — render the jobs on a local process pool or a Dask cluster into a ZIP with a manifest.
"""

from imagegen.batch.inputs import ImageLibrary, library_from_folder, library_from_tags, unpack_zip
from imagegen.batch.recipe import (
    BatchPlan,
    Recipe,
    RowError,
    RowJob,
    Sample,
    plan_batch,
    plan_template_batch,
    read_recipe,
    read_template,
    sample_recipe,
)
from imagegen.batch.run import BatchReport, RowResult, dask_address, read_manifest, render_row, run_batch

__all__ = [
    "BatchPlan",
    "BatchReport",
    "ImageLibrary",
    "Recipe",
    "RowError",
    "RowJob",
    "RowResult",
    "Sample",
    "dask_address",
    "library_from_folder",
    "library_from_tags",
    "plan_batch",
    "plan_template_batch",
    "read_manifest",
    "read_recipe",
    "read_template",
    "render_row",
    "run_batch",
    "sample_recipe",
    "unpack_zip",
]
