"""``python -m imagegen``: render or explain a prompt from the command line.

    python -m imagegen render --image BG=photo.jpg --image logo=logo.png \\
        --prompt "@BG is the background and @logo slides from left to right" -o out.gif
    python -m imagegen explain --tags BG,logo --prompt "..." [--json]
    python -m imagegen render ... --sizes instagram,story,1200x627 -o out/     # one file per size
    python -m imagegen batch recipe.csv --prompt "@{product} in the center" --images DIR|ZIP -o out.zip \\
        [--workers N] [--dask tcp://scheduler:8786]
    python -m imagegen serve [--host 127.0.0.1] [--port 8000] [--db URL]  # the HTTP API (see imagegen.api)
    python -m imagegen render|explain|batch ... --brand DIR        # a brand kit: DIR/brand.toml
    python -m imagegen template save NAME --prompt P [--image TAG=PATH ...] [--db URL]
    python -m imagegen template list|delete NAME|rename OLD NEW [--db URL]
    python -m imagegen kit save DIR | kit list [--db URL]        # then --brand NAME uses the saved kit
    python -m imagegen render --template NAME [--image TAG=PATH ...] [--set SLOT=TEXT ...] -o out.png

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
    from imagegen.library import BrandKit, Slot, TemplateInfo
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
    commands = parser.add_subparsers(dest="command", required=True, metavar="{render,explain,batch,template,kit,serve}")

    render = commands.add_parser("render", help="render a prompt (or a saved template) into an image or video")
    render.add_argument("--image", action="append", default=[], metavar="TAG=PATH", help="an input image and its tag")
    render.add_argument("--prompt", help="the plain-English prompt, mentioning images as @TAG")
    render.add_argument("--template", metavar="NAME", help="render a saved template instead of a prompt")
    render.add_argument(
        "--set", action="append", default=[], metavar="SLOT=TEXT", help="a template's text slot (e.g. headline=Sale)"
    )
    _brand_argument(render)
    _db_argument(render)
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
    explain.add_argument("--tags", default="", help="the image tags, comma-separated (e.g. BG,logo)")
    explain.add_argument("--prompt", required=True, help="the prompt to explain")
    explain.add_argument("--json", action="store_true", help="print the scene as JSON")
    _then_argument(explain)
    _brand_argument(explain)
    _db_argument(explain)
    batch = commands.add_parser("batch", help="render one variant per CSV row into a ZIP with a manifest")
    batch.add_argument("recipe", type=Path, help="the CSV: a header row naming the columns, then one row per variant")
    batch.add_argument("--prompt", help="the prompt, with {column} placeholders; @{column} for images")
    batch.add_argument("--template", metavar="NAME", help="a saved template instead of --prompt: columns are its slots")
    _brand_argument(batch)
    _db_argument(batch)
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
    _template_commands(commands)
    _kit_commands(commands)
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
    _db_argument(serve)
    return parser


def _brand_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--brand",
        type=Path,
        metavar="DIR",
        help='a brand kit: DIR/brand.toml with [colours] (name = "#RRGGBB"), [images] (tag = file), [fonts]',
    )


def _db_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--db",
        metavar="URL",
        help="the library's database (default: $IMAGEGEN_DATABASE_URL, else SQLite in the data folder)",
    )


def _kit_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    kit = commands.add_parser("kit", help="save a brand kit folder in the library, or list the saved kits")
    actions = kit.add_subparsers(dest="action", required=True, metavar="{save,list}")
    save = actions.add_parser("save", help="save DIR (brand.toml and its files) under the kit's name")
    save.add_argument("folder", type=Path, metavar="DIR", help="the kit folder holding brand.toml")
    _db_argument(save)
    listing = actions.add_parser("list", help="list the saved kits (use one with --brand NAME)")
    _db_argument(listing)


def run_kit(args: argparse.Namespace, stdout: TextIO, _stderr: TextIO) -> int:
    from imagegen.library import load_kit
    from imagegen.library.store import kit_names, save_kit

    if args.action == "save":
        kit = load_kit(args.folder)
        save_kit(kit, args.db)
        stdout.write(f"saved brand kit '{kit.name}' (use it with --brand '{kit.name}')\n")
    else:
        for name in kit_names(args.db):
            stdout.write(f"{name}\n")
    return EXIT_OK


def _template_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    template = commands.add_parser("template", help="save, list, rename and delete the library's templates")
    actions = template.add_subparsers(dest="action", required=True, metavar="{save,list,rename,delete}")
    save = actions.add_parser("save", help="save a prompt and its images as a template (texts become slots)")
    save.add_argument("name", help="the template's name")
    save.add_argument("--prompt", required=True, help="the prompt, mentioning images as @TAG")
    save.add_argument("--image", action="append", default=[], metavar="TAG=PATH", help="an input image and its tag")
    _brand_argument(save)
    _db_argument(save)
    listing = actions.add_parser("list", help="list the saved templates and their slots")
    _db_argument(listing)
    rename = actions.add_parser("rename", help="rename a template")
    rename.add_argument("name", help="its name now")
    rename.add_argument("new_name", help="its new name")
    _db_argument(rename)
    remove = actions.add_parser("delete", help="delete a template")
    remove.add_argument("name", help="the template's name")
    _db_argument(remove)


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
    serve(args.host, args.port, max_waiting=args.max_waiting, stream=stderr, wrap=wrap, library_url=args.db)
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


def parse_set_args(values: Sequence[str]) -> dict[str, str]:
    """``SLOT=TEXT`` arguments -> {slot: text} (an empty text is the template's to refuse, by name)."""
    texts: dict[str, str] = {}
    for value in values:
        slot, sep, words = value.partition("=")
        if not sep or not slot.strip():
            raise CliError(f"--set expects SLOT=TEXT (e.g. --set headline='Summer Sale'), got '{value}'.")
        texts[slot.strip()] = words
    return texts


def _kit(folder: Path | None, url: str | None = None) -> BrandKit | None:
    """``--brand``: a kit folder, else the name of a kit saved in the library (``kit save``)."""
    from imagegen.service.library import find_kit

    return find_kit(folder, url)


def _source(args: argparse.Namespace) -> None:
    """Exactly one of --prompt and --template; --set only with a template."""
    if args.prompt is not None and args.template is not None:
        raise CliError("Give either --prompt or --template NAME, not both.")
    if args.prompt is None and args.template is None:
        raise CliError(f"{args.command} needs --prompt '…' (mentioning images as @TAG) or --template NAME.")
    if getattr(args, "set", None) and args.template is None:
        raise CliError("--set fills a template's slot — use it with --template NAME.")


def run_render(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from imagegen.prompt.brand import speaking
    from imagegen.service import Overrides, about_images, open_images, render, sizes_of, understand
    from imagegen.service.library import brand_words, fill_template, with_kit_images
    from imagegen.service.request import RenderRequest
    from imagegen.service.sizes import parse_sizes

    _source(args)
    out: Path = args.output
    if args.sizes and args.size:
        raise CliError("Give either --size (one file) or --sizes (one file per size), not both.")
    fmt = OutputFormat.from_suffix(out.suffix) if out.suffix else None
    if fmt is None and not args.sizes:
        raise RenderError(f"Output '{out}' has no suffix — end it with one of {all_suffixes()}.")
    if args.sizes and out.exists() and not out.is_dir() and not out.suffix:
        raise CliError(f"With --sizes, -o is a folder (or a file name like banner.png); '{out}' is a file.")
    settings = {
        "edits": tuple(args.then),
        "overrides": Overrides(
            size=canvas_size(args.size) if args.size else None, duration_s=args.duration, fps=args.fps
        ),
        "fmt": fmt,
        "sizes": tuple(parse_sizes(args.sizes, limits=LIMITS)) if args.sizes else (),
        "quality": args.quality,
    }
    kit = _kit(args.brand, getattr(args, "db", None))
    words = brand_words(kit, args.db)  # the kit's words and the team's fonts, as the app reads every prompt
    if args.template is not None:
        texts = parse_set_args(args.set)
        filled = fill_template(
            args.template,
            images=parse_image_args(args.image),
            texts=texts,
            url=args.db,
            limits=LIMITS,
            brand=words,
            **settings,
        )
        request, images, about = filled.request, filled.images, None
    else:
        paths = with_kit_images(kit, parse_image_args(args.image))
        if not paths:
            raise CliError("render needs an image: --image TAG=PATH (e.g. --image logo=logo.png), or a --brand kit.")
        request = RenderRequest(args.prompt, brand=words, **settings)  # type: ignore[arg-type]
        images = open_images(paths, limits=LIMITS)
        about = about_images(paths, images)
    with speaking(words):
        understood = understand(request, sizes_of(images), limits=LIMITS, about=about)
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

    from imagegen.batch import (
        ImageLibrary,
        dask_address,
        library_from_folder,
        plan_batch,
        plan_template_batch,
        read_recipe,
        unpack_zip,
    )
    from imagegen.batch import run_batch as run
    from imagegen.files import format_bytes
    from imagegen.library import load_template
    from imagegen.service.library import brand_words

    _source(args)
    kit = _kit(args.brand, getattr(args, "db", None))
    saved = load_template(args.template, args.db) if args.template is not None else None
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
        if saved is not None:
            plan = plan_template_batch(
                recipe, saved, images, Path(folder), size=size, fmt=fmt, quality=args.quality, limits=LIMITS
            )
        else:
            plan = plan_batch(
                recipe,
                args.prompt,
                images,
                size=size,
                fmt=fmt,
                quality=args.quality,
                limits=LIMITS,
                brand=brand_words(kit, args.db),
                kit_images=kit.image_paths() if kit else None,
            )
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
    from imagegen.prompt.brand import speaking
    from imagegen.prompt.explain import describe_scene
    from imagegen.render.text import fit_text
    from imagegen.service import RenderRequest, understand
    from imagegen.service.library import brand_words

    kit = _kit(args.brand, getattr(args, "db", None))
    words = brand_words(kit, args.db)
    tags = parse_tag_list(args.tags) if args.tags.strip() or kit is None or not kit.images else []
    tags += [tag for tag, _path in (kit.images if kit else ()) if tag.casefold() not in {t.casefold() for t in tags}]
    request = RenderRequest(args.prompt, edits=tuple(args.then), brand=words)
    understood = understand(request, dict.fromkeys(tags), limits=LIMITS)
    for notice in understood.notices:
        stderr.write(f"{notice}\n")
    if args.json:
        stdout.write(understood.scene.to_json() + "\n")
        return EXIT_OK
    changes: list[str] = []
    for text, lines in understood.changes:
        changes.append(f"then '{text}':")
        changes += [f"  {line}" for line in lines or ("(no change)",)]
    with speaking(words):
        lines = describe_scene(understood.scene, fit_text)
    for line in [*lines, *changes]:
        stdout.write(f"{line}\n")
    return EXIT_OK


def run_template(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from imagegen import library

    if args.action == "list":
        found = library.list_templates(args.db)
        if not found:
            stdout.write(
                "No templates yet — save one: python -m imagegen template save NAME --prompt '…' --image TAG=PATH\n"
            )
        for info in found:
            stdout.write(
                f"{info.name}: {', '.join(_slot_words(s) for s in info.slots)} (saved {info.saved_text} UTC)\n"
            )
    elif args.action == "delete":
        library.delete_template(args.name, args.db)
        stdout.write(f"deleted template '{' '.join(args.name.split())}'\n")
    elif args.action == "rename":
        new = library.rename_template(args.name, args.new_name, args.db)
        stdout.write(f"renamed template '{' '.join(args.name.split())}' to '{new}'\n")
    else:
        info = _save_template(args, stderr)
        stdout.write(f"saved template '{info.name}' with slots {', '.join(s.label for s in info.slots)}\n")
    return EXIT_OK


def _slot_words(slot: Slot) -> str:
    return f"{slot.label} “{slot.saved}”" if slot.kind.value == "text" else slot.label


def _save_template(args: argparse.Namespace, stderr: TextIO) -> TemplateInfo:
    from imagegen.library.templates import image_tags
    from imagegen.service import RenderRequest, open_images, sizes_of, understand
    from imagegen.service.library import brand_words, save_as_template, with_kit_images

    kit = _kit(args.brand, getattr(args, "db", None))
    paths = with_kit_images(kit, parse_image_args(args.image))
    if not paths:
        raise CliError("template save needs an image: --image TAG=PATH (e.g. --image logo=logo.png), or a --brand kit.")
    images = open_images(paths, limits=LIMITS)
    request = RenderRequest(args.prompt, brand=brand_words(kit, args.db))
    understood = understand(request, sizes_of(images), limits=LIMITS)
    for notice in understood.notices:
        stderr.write(f"{notice}\n")
    by_key = {tag.casefold(): path for tag, path in paths.items()}
    files: dict[str, bytes] = {}
    for tag in image_tags(understood.scene):
        try:
            files[tag] = by_key[tag.casefold()].read_bytes()
        except OSError as exc:
            raise CliError(f"Cannot read {by_key[tag.casefold()]}: {exc.strerror or exc}.") from exc
    return save_as_template(args.name, args.prompt, understood.scene, files, url=args.db, limits=LIMITS)


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 refused, 130 interrupted)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING, stream=stderr)
    commands = {"render": run_render, "explain": run_explain, "batch": run_batch, "serve": run_serve}
    command = {**commands, "template": run_template, "kit": run_kit}[args.command]
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
