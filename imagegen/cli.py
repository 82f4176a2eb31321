"""``python -m imagegen``: render or explain a prompt from the command line.

    python -m imagegen render --image BG=photo.jpg --image logo=logo.png \\
        --prompt "@BG is the background and @logo slides from left to right" -o out.gif
    python -m imagegen explain --tags BG,logo --prompt "..." [--json]

The same steps as the app (parse, override, check limits, prepare, export atomically), without a
session. Input files are validated with the upload rules. Any refusal prints one ``error: ...`` line
on stderr and exits with status 2; success prints the written path and exits 0.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from imagegen.errors import ImagegenError, RenderError
from imagegen.export.formats import all_suffixes
from imagegen.limits import LIMITS

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
    commands = parser.add_subparsers(dest="command", required=True, metavar="{render,explain}")

    render = commands.add_parser("render", help="render a prompt into an image, animation or video")
    render.add_argument(
        "--image", action="append", default=[], metavar="TAG=PATH", required=True, help="an input image and its tag"
    )
    render.add_argument("--prompt", required=True, help="the plain-English prompt, mentioning images as @TAG")
    render.add_argument(
        "-o", "--output", required=True, type=Path, help=f"output file; its suffix picks the format ({all_suffixes()})"
    )
    render.add_argument("--size", help="canvas size, e.g. 1080x1080 or a preset name (overrides the prompt)")
    render.add_argument("--fps", type=_positive, help="frames per second (overrides the prompt)")
    render.add_argument("--duration", type=_positive, metavar="SECONDS", help="animation length (overrides the prompt)")
    render.add_argument("--quality", type=_quality, default=90, help="1-100 for JPEG, WebP and MP4 (default 90)")

    explain = commands.add_parser("explain", help="show how a prompt is understood, without rendering")
    explain.add_argument("--tags", required=True, help="the image tags, comma-separated (e.g. BG,logo)")
    explain.add_argument("--prompt", required=True, help="the prompt to explain")
    explain.add_argument("--json", action="store_true", help="print the scene as JSON")
    return parser


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


class ProgressBar:
    """A one-line text bar redrawn with ``\\r`` (only drawn on a terminal)."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self._stream = stream
        self._width = width

    def __call__(self, done: int, total: int) -> None:
        filled = self._width * done // max(total, 1)
        bar = "#" * filled + "." * (self._width - filled)
        self._stream.write(f"\rrendering [{bar}] {done}/{total} frames")
        if done >= total:
            self._stream.write("\n")
        self._stream.flush()


def run_render(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from imagegen.export import OutputFormat, check_format, export
    from imagegen.outputs import Overrides
    from imagegen.prompt import parse
    from imagegen.render import prepare
    from imagegen.store.images import load_image

    out: Path = args.output
    fmt = OutputFormat.from_suffix(out.suffix) if out.suffix else None
    if fmt is None:
        raise RenderError(f"Output '{out}' has no suffix — end it with one of {all_suffixes()}.")
    paths = parse_image_args(args.image)
    result = parse(args.prompt, list(paths), limits=LIMITS)
    overrides = Overrides(size=canvas_size(args.size) if args.size else None, duration_s=args.duration, fps=args.fps)
    scene = overrides.apply(result.scene)
    check_format(scene, fmt)
    for warning in result.warnings:
        stderr.write(f"{'note' if warning.quiet else 'warning'}: {warning.message}\n")
    for line in overrides.unused(result.scene):
        stderr.write(f"warning: {line}\n")
    images = {tag: load_image(path, LIMITS).image for tag, path in paths.items()}
    plan = prepare(scene, images, limits=LIMITS)
    progress = ProgressBar(stderr) if scene.animated and stderr.isatty() else None
    written = export(plan, out, fmt, quality=args.quality, progress=progress)
    stdout.write(f"{written}\n")
    return EXIT_OK


def run_explain(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from imagegen.prompt import parse
    from imagegen.prompt.explain import describe_scene

    result = parse(args.prompt, parse_tag_list(args.tags), limits=LIMITS)
    for warning in result.warnings:
        stderr.write(f"{'note' if warning.quiet else 'warning'}: {warning.message}\n")
    if args.json:
        stdout.write(result.scene.to_json() + "\n")
    else:
        for line in describe_scene(result.scene):
            stdout.write(f"{line}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 refused, 130 interrupted)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, stream=stderr)
    command = run_render if args.command == "render" else run_explain
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
