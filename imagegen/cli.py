"""``python -m imagegen``: render or explain a prompt from the command line.

    python -m imagegen render --image BG=photo.jpg --image logo=logo.png \\
        --prompt "@BG is the background and @logo slides from left to right" -o out.gif
    python -m imagegen explain --tags BG,logo --prompt "..." [--json]
    python -m imagegen render ... --sizes instagram,story,1200x627 -o out/     # one file per size
    python -m imagegen batch recipe.csv --prompt "@{product} in the center" --images DIR|ZIP -o out.zip \\
        [--workers N] [--dask tcp://scheduler:8786]
    python -m imagegen serve [--host 127.0.0.1] [--port 8000]      # the HTTP API (see imagegen.api)

The same steps as the app (parse, override, check limits, prepare, export atomically), without a
session. Input files are validated with the upload rules. Any refusal prints one ``error: ...`` line
on stderr and exits with status 2; success prints the written path(s) and exits 0. A batch prints one
``warning: row N, column 'c': ...`` line per row it could not render, renders the others and exits 0
(every row's outcome is also in the ZIP's manifest.csv).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from imagegen.errors import ImagegenError, RenderError
from imagegen.export.formats import OutputFormat, all_suffixes, tunable_names
from imagegen.limits import LIMITS

if TYPE_CHECKING:
    from imagegen.service import Notice, Target

EXIT_OK, EXIT_ERROR, EXIT_INTERRUPTED = 0, 2, 130
log = logging.getLogger(__name__)


class CliError(ImagegenError):
    """A command-line argument that cannot be used (message says which and what would work)."""


def _quality(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 1 <= value <= 100:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from 1 to 100 (90 is a good default)")
    return value


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m imagegen", description="Compose tagged images into a still or an animation from a prompt."
    )
    parser.add_argument("--debug", action="store_true", help="log details and show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{render,explain,batch,serve}")

    render = commands.add_parser("render", help="render a prompt into an image, animation or video")
    render.add_argument(
        "--image", action="append", default=[], metavar="TAG=PATH", required=True, help="an input image and its tag"
    )
    render.add_argument("--prompt", required=True, help="the plain-English prompt, mentioning images as @TAG")
    render.add_argument(
        "-o", "--output", required=True, type=Path, help=f"output file; its suffix picks the format ({all_suffixes()})"
    )
    render.add_argument("--size", help="canvas size, e.g. 1080x1080 or a preset name (overrides the prompt)")
    render.add_argument(
        "--sizes",
        help="several canvas sizes, comma-separated (e.g. instagram,story,1200x627): one file per size; -o is then"
        " a folder, or a file name whose stem each size's label is appended to",
    )
    render.add_argument("--fps", type=_positive, help="frames per second (overrides the prompt)")
    render.add_argument("--duration", type=_positive, metavar="SECONDS", help="animation length (overrides the prompt)")
    render.add_argument("--quality", type=_quality, default=90, help=f"1-100 for {tunable_names()} (default 90)")
    _then_argument(render)

    explain = commands.add_parser("explain", help="show how a prompt is understood, without rendering")
    explain.add_argument("--tags", required=True, help="the image tags, comma-separated (e.g. BG,logo)")
    explain.add_argument("--prompt", required=True, help="the prompt to explain")
    explain.add_argument("--json", action="store_true", help="print the scene as JSON")
    _then_argument(explain)
    batch = commands.add_parser("batch", help="render one variant per CSV row into a ZIP with a manifest")
    batch.add_argument("recipe", type=Path, help="the CSV: a header row naming the columns, then one row per variant")
    batch.add_argument("--prompt", required=True, help="the prompt, with {column} placeholders; @{column} for images")
    batch.add_argument("--images", type=Path, help="a folder or a .zip holding the images the rows name")
    batch.add_argument("-o", "--output", required=True, type=Path, help="the ZIP to write (files + manifest.csv)")
    batch.add_argument("--size", help="canvas size for rows without a 'size' cell (e.g. 1080x1080, story)")
    batch.add_argument("--format", help=f"format for rows without a 'format' cell ({all_suffixes()})")
    batch.add_argument("--quality", type=_quality, default=90, help=f"1-100 for {tunable_names()} (default 90)")
    batch.add_argument("--workers", type=_workers, default=os.cpu_count() or 1, help="local processes (default: CPUs)")
    batch.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on a Dask cluster, e.g. tcp://scheduler:8786 (default: $IMAGEGEN_DASK_SCHEDULER, else local)",
    )
    serve = commands.add_parser("serve", help="run the HTTP API over the app's sessions (docs at /docs)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--max-waiting", type=_waiting, default=4, help="renders that may wait in line before a client gets 429"
    )
    serve.add_argument(
        "--with-app",
        action="store_true",
        help="serve the Streamlit app at / in the same process (one render queue for the app and the API)",
    )
    return parser


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port — use a number from 1 to 65535")
    return int(text)


def _waiting(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a count — use 0 or a whole number above it")
    return int(text)


def run_serve(args: argparse.Namespace, _stdout: TextIO, stderr: TextIO) -> int:
    from imagegen.api.serve import serve

    wrap = None
    if args.with_app:
        from imagegen.ui.asgi import with_app as wrap
    serve(args.host, args.port, max_waiting=args.max_waiting, stream=stderr, wrap=wrap)
    return EXIT_OK


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 256:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of workers from 1 to 256")
    return int(text)


def _then_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--then",
        action="append",
        default=[],
        metavar="TEXT",
        help="a follow-up edit applied after the prompt, in order (repeatable): 'make @logo bigger', 'slower'",
    )


def parse_image_args(values: Sequence[str]) -> dict[str, Path]:
    """``TAG=PATH`` arguments -> {tag: path}; tags validated and unique (ignoring case)."""
    from imagegen.store.tags import validate_tag

    images: dict[str, Path] = {}
    for value in values:
        tag, sep, path = value.partition("=")
        if not sep or not tag.strip() or not path.strip():
            raise CliError(f"--image expects TAG=PATH (e.g. --image logo=logo.png), got '{value}'.")
        images[validate_tag(tag, images)] = Path(path.strip())
    return images


def parse_tag_list(text: str) -> list[str]:
    from imagegen.store.tags import validate_tag

    tags: list[str] = []
    for part in text.split(","):
        if part.strip():
            tags.append(validate_tag(part, tags))
    if not tags:
        raise CliError("--tags needs at least one tag, comma-separated (e.g. --tags BG,logo).")
    return tags


def canvas_size(text: str) -> tuple[int, int]:
    """``--size`` as (width, height): ``WxH`` or any format name the prompt parser knows ("story")."""
    from imagegen.prompt import parse_canvas_size

    return parse_canvas_size(text, limits=LIMITS)


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"Cannot create the folder '{folder}': {exc.strerror or exc}.") from exc


class ProgressBar:
    """A one-line text bar redrawn with ``\\r`` (only drawn on a terminal)."""

    def __init__(self, stream: TextIO, unit: str = "frames", width: int = 30) -> None:
        self._stream = stream
        self._unit = unit
        self._width = width

    def __call__(self, done: int, total: int) -> None:
        filled = self._width * done // max(total, 1)
        bar = "#" * filled + "." * (self._width - filled)
        self._stream.write(f"\rrendering [{bar}] {done}/{total} {self._unit}")
        if done >= total:
            self._stream.write("\n")
        self._stream.flush()


def run_render(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from imagegen.service import Overrides, RenderRequest, about_images, open_images, render, sizes_of, understand
    from imagegen.service.sizes import parse_sizes

    out: Path = args.output
    if args.sizes and args.size:
        raise CliError("Give either --size (one file) or --sizes (one file per size), not both.")
    fmt = OutputFormat.from_suffix(out.suffix) if out.suffix else None
    if fmt is None and not args.sizes:
        raise RenderError(f"Output '{out}' has no suffix — end it with one of {all_suffixes()}.")
    if args.sizes and out.exists() and not out.is_dir() and not out.suffix:
        raise CliError(f"With --sizes, -o is a folder (or a file name like banner.png); '{out}' is a file.")
    request = RenderRequest(
        args.prompt,
        edits=tuple(args.then),
        overrides=Overrides(size=canvas_size(args.size) if args.size else None, duration_s=args.duration, fps=args.fps),
        fmt=fmt,
        sizes=tuple(parse_sizes(args.sizes, limits=LIMITS)) if args.sizes else (),
        quality=args.quality,
    )
    paths = parse_image_args(args.image)
    images = open_images(paths, limits=LIMITS)
    understood = understand(request, sizes_of(images), limits=LIMITS, about=about_images(paths, images))
    for notice in understood.notices:
        stderr.write(f"{notice}\n")
    if args.sizes:
        _make_folder(out.parent if out.suffix else out)
    animated = any(t.scene.frame_count > 1 or t.fmt.record.video for t in understood.targets)
    progress = ProgressBar(stderr) if animated and stderr.isatty() else None

    def checked(_target: Target, notices: tuple[Notice, ...]) -> None:
        for notice in notices:  # seen in the laid-out frames, before the file is encoded
            stderr.write(f"{notice}\n")
            for fix in notice.fixes:
                how = f'--then "{fix.edit}"' if fix.edit else f"--prompt '{fix.prompt}'"
                stderr.write(f"  fix: {how}\n")

    for _target, written in render(
        understood, images, lambda t: _destination(out, t), limits=LIMITS, progress=progress, checked=checked
    ):
        stdout.write(f"{written}\n")
    return EXIT_OK


def _destination(out: Path, target: Target) -> Path:
    """``out`` (with the suffix of the format an edit chose), or one file per size: ``out/<label>.<ext>``
    or ``<stem>-<label><suffix>``."""
    suffix = out.suffix if out.suffix and OutputFormat.from_suffix(out.suffix) is target.fmt else target.fmt.suffix
    if target.size is None:
        return out.with_suffix(suffix)
    if out.suffix:
        return out.with_name(f"{out.stem}-{target.label}{suffix}")
    return out / f"{target.label}{target.fmt.suffix}"


def run_batch(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    import tempfile

    from imagegen.batch import ImageLibrary, dask_address, library_from_folder, plan_batch, read_recipe, unpack_zip
    from imagegen.batch import run_batch as run
    from imagegen.files import format_bytes

    recipe_path: Path = args.recipe
    try:
        if recipe_path.stat().st_size > LIMITS.max_file_bytes:
            raise CliError(f"{recipe_path} is larger than {format_bytes(LIMITS.max_file_bytes)}.")
        recipe = read_recipe(recipe_path.read_bytes(), name=recipe_path.name, limits=LIMITS)
    except OSError as exc:
        raise CliError(f"Cannot read {recipe_path}: {exc.strerror or exc}.") from exc
    size = canvas_size(args.size) if args.size else None
    fmt = OutputFormat.from_suffix(args.format) if args.format else None
    with tempfile.TemporaryDirectory(prefix="imagegen-batch-") as folder:
        images = ImageLibrary("no images (give --images)")
        if args.images is not None and args.images.suffix.lower() == ".zip" and args.images.is_file():
            images = unpack_zip(args.images, Path(folder), name=args.images.name, limits=LIMITS)
        elif args.images is not None:
            images = library_from_folder(args.images, limits=LIMITS)
        plan = plan_batch(recipe, args.prompt, images, size=size, fmt=fmt, quality=args.quality, limits=LIMITS)
        for error in plan.errors:
            stderr.write(f"warning: {error}\n")
        if not plan.jobs:
            raise CliError(f"No row of {recipe_path.name} can be rendered (see the warnings); nothing was written.")
        progress = ProgressBar(stderr, unit="rows") if stderr.isatty() else None
        report = run(plan, args.output, workers=args.workers, dask=dask_address(args.dask), progress=progress)
    rendered_errors = [e for e in report.errors if e not in plan.errors]
    for error in rendered_errors:
        stderr.write(f"warning: {error}\n")
    stderr.write(
        f"{len(report.written)} of {report.rows} rows rendered, {len(report.errors)} reported in manifest.csv "
        f"({report.seconds:.1f} s)\n"
    )
    stdout.write(f"{report.zip}\n")
    return EXIT_OK


def run_explain(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from imagegen.prompt.explain import describe_scene
    from imagegen.render.text import fit_text
    from imagegen.service import RenderRequest, understand

    request = RenderRequest(args.prompt, edits=tuple(args.then))
    understood = understand(request, dict.fromkeys(parse_tag_list(args.tags)), limits=LIMITS)
    for notice in understood.notices:
        stderr.write(f"{notice}\n")
    if args.json:
        stdout.write(understood.scene.to_json() + "\n")
        return EXIT_OK
    changes: list[str] = []
    for text, lines in understood.changes:
        changes.append(f"then '{text}':")
        changes += [f"  {line}" for line in lines or ("(no change)",)]
    for line in [*describe_scene(understood.scene, fit_text), *changes]:
        stdout.write(f"{line}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 refused, 130 interrupted)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, stream=stderr)
    command = {"render": run_render, "explain": run_explain, "batch": run_batch, "serve": run_serve}[args.command]
    try:
        return command(args, stdout, stderr)
    except ImagegenError as exc:
        if args.debug:
            log.exception("refused")
        stderr.write(f"error: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        stderr.write("\nerror: interrupted — nothing was written.\n")
        return EXIT_INTERRUPTED
