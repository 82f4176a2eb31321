"""A spreadsheet recipe: a CSV whose rows are variants, and a prompt with ``{column}`` placeholders.

``@{product}`` makes ``product`` an image column (each cell names an image file) drawn as the layer
``@product``; any other ``{column}`` is replaced by the cell's text ("'{price}' at the bottom right",
"@logo {corner}"). Optional columns ``size`` (a canvas phrase or WxH), ``format`` (a format name or suffix)
and ``name`` (the output file's name) change one row. ``{{`` and ``}}`` are literal braces.

:func:`plan_batch` validates every row before any rendering: each problem is a :class:`RowError`
naming the spreadsheet row (the header is row 1) and the column; good rows become :class:`RowJob` s.
:func:`sample_recipe` writes a small CSV that fits a prompt (or proposes a prompt and its CSV).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from PIL import Image

from imagegen.batch.inputs import ImageLibrary
from imagegen.errors import BatchError, ImagegenError, LimitError, TemplateError, did_you_mean, suggest
from imagegen.export import OutputFormat
from imagegen.files import format_bytes, unique_name
from imagegen.library import Template as SavedTemplate
from imagegen.library.templates import SlotKind, fill_texts, find_slot
from imagegen.limits import LIMITS, Limits
from imagegen.prompt.brand import BrandWords
from imagegen.scene import Scene
from imagegen.store.images import ALLOWED_FORMATS, ALLOWED_LABEL
from imagegen.store.tags import TAG_RE, suggest_tag, tag_key

SIZE, FORMAT, NAME = "size", "format", "name"
MANIFEST_NAME = "manifest.csv"  # the batch ZIP's own entry: no row's file may take its name
_PIECE = re.compile(r"\{\{|\}\}|(@?)\{([^{}]*)\}|[{}]")
_NAME_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class RowError:
    """A problem with one row (``column`` None when it is not one cell's fault)."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column '{self.column}'" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Recipe:
    """The CSV's columns (as written) and its rows as (spreadsheet row number, column -> text)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]
    skipped: tuple[RowError, ...] = ()

    def column(self, name: str) -> str | None:
        """The column called ``name`` ignoring case and surrounding spaces."""
        return next((c for c in self.columns if c.strip().casefold() == name.strip().casefold()), None)


@dataclass(frozen=True)
class Template:
    """A prompt with placeholders: literal text and (image?, column) pieces, in order."""

    pieces: tuple[str | tuple[bool, str], ...]
    image_columns: dict[str, str]  # column -> the tag it is drawn as
    text_columns: tuple[str, ...]
    fixed_tags: tuple[str, ...]  # @tags written literally in the prompt

    def fill(self, values: dict[str, str]) -> str:
        out: list[str] = []
        for piece in self.pieces:
            if isinstance(piece, str):
                out.append(piece)
            else:
                is_image, column = piece
                out.append(f"@{self.image_columns[column]}" if is_image else values.get(column, ""))
        return "".join(out)


@dataclass(frozen=True)
class RowJob:
    """Everything one row's render needs, as plain picklable values (it may run on another machine)."""

    row: int
    file: str
    scene_json: str
    images: dict[str, str]  # tag -> file path
    format: str
    quality: int
    limits: Limits
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchPlan:
    jobs: tuple[RowJob, ...]
    errors: tuple[RowError, ...]
    rows: int  # data rows in the CSV, empty ones included


def read_recipe(data: bytes | str, *, name: str = "the CSV", limits: Limits = LIMITS) -> Recipe:
    """Read a CSV (UTF-8 with or without BOM, or Windows-1252; comma, semicolon or tab separated).

    :raise BatchError: not text, no header, unnamed or repeated columns, malformed quoting.
    :raise LimitError: more than ``limits.max_batch_rows`` data rows.
    """
    text = _decode(data, name)
    if "\x00" in text:
        raise BatchError(f"{name} is not a CSV text file (it holds binary data) — export the sheet as CSV.")
    if not text.strip():
        raise BatchError(f"{name} is empty — it needs a header row naming the columns, then one row per variant.")
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text), strict=True)
    try:
        header = next(reader)
        columns = _columns(header, name)
        rows: list[tuple[int, dict[str, str]]] = []
        skipped: list[RowError] = []
        for number, cells in enumerate(reader, start=2):  # spreadsheet row numbers: the header is row 1
            if len(rows) + len(skipped) >= limits.max_batch_rows:
                raise LimitError(
                    f"{name} has more than {limits.max_batch_rows} rows — at most {limits.max_batch_rows} per batch "
                    "(IMAGEGEN_MAX_BATCH_ROWS); split it into several files."
                )
            if not any(cell.strip() for cell in cells):
                skipped.append(RowError(number, None, "is empty — skipped."))
                continue
            if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
                skipped.append(
                    RowError(number, None, f"has {len(cells)} cells but the header names {len(columns)} columns.")
                )
                continue
            rows.append((number, {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns)}))
    except csv.Error as exc:
        raise BatchError(f"{name} cannot be read as CSV near line {reader.line_num}: {exc}.") from exc
    if not rows and not skipped:
        raise BatchError(f"{name} has a header but no rows — add one row per variant.")
    return Recipe(tuple(columns), tuple(rows), tuple(skipped))


def _decode(data: bytes | str, name: str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BatchError(f"{name} is not UTF-8 text — in your spreadsheet, save it as 'CSV UTF-8'.")


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    first = text.splitlines()[0] if text.splitlines() else ""
    try:
        return csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _columns(header: list[str], name: str) -> list[str]:
    columns = [cell.strip() for cell in header]
    while columns and not columns[-1]:
        columns.pop()  # trailing empty header cells, as spreadsheets export them
    seen: dict[str, str] = {}
    for index, column in enumerate(columns, start=1):
        if not column:
            raise BatchError(f"{name}: column {index} of the header has no name — name every column in row 1.")
        if column.casefold() in seen:
            raise BatchError(f"{name}: two columns are called '{column}' — give each column its own name.")
        seen[column.casefold()] = column
    if not columns:
        raise BatchError(f"{name}: the first row must name the columns (e.g. product,price).")
    return columns


def read_template(prompt: str, recipe: Recipe) -> Template:
    """Split ``prompt`` into text and placeholders; every placeholder must name a column.

    :raise BatchError: a ``{name}`` with no column (with the closest), a stray brace, a column used both
        as an image and as text, or an image column whose name cannot be a tag.
    """
    pieces: list[str | tuple[bool, str]] = []
    images: dict[str, str] = {}
    texts: list[str] = []
    for match in _PIECE.finditer(prompt):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if token in ("{", "}"):
            raise BatchError(
                f"The prompt has a '{token}' without its partner at character {match.start() + 1} — "
                "placeholders look like {column}; write {{ or }} for a brace."
            )
    position = 0
    for match in _PIECE.finditer(prompt):
        pieces.append(prompt[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            pieces.append(token[0])
            continue
        is_image, wanted = bool(match.group(1)), match.group(2)
        column = _template_column(wanted, recipe)
        if is_image:
            images.setdefault(column, _image_tag(column))
        elif column not in texts:
            texts.append(column)
        pieces.append((is_image, column))
    pieces.append(prompt[position:])
    both = [c for c in texts if c in images]
    if both:
        raise BatchError(f"Column '{both[0]}' is used both as an image (@{{{both[0]}}}) and as text — use it once.")
    literal = "".join(p for p in pieces if isinstance(p, str))
    fixed = tuple(dict.fromkeys(m.group(1) for m in re.finditer(r"@([A-Za-z][A-Za-z0-9_-]*)", literal)))
    _check_tags(images, fixed)
    return Template(tuple(p for p in pieces if p != ""), images, tuple(texts), fixed)


def _template_column(wanted: str, recipe: Recipe) -> str:
    column = recipe.column(wanted)
    if column is not None:
        return column
    close = suggest(wanted.strip(), recipe.columns)
    hint = did_you_mean(close and f"{{{close}}}")
    listed = ", ".join(recipe.columns)
    shown = wanted.strip()[:40] or " "
    raise BatchError(f"The prompt's {{{shown}}} has no column in the CSV (its columns: {listed}).{hint}")


def _image_tag(column: str) -> str:
    tag = column.strip() if TAG_RE.fullmatch(column.strip()) else suggest_tag(column)
    if not tag:
        raise BatchError(
            f"Column '{column}' is an image column (@{{{column}}}) — name it with letters first (e.g. product)."
        )
    return tag


def _check_tags(images: dict[str, str], fixed: tuple[str, ...]) -> None:
    seen: dict[str, str] = {}
    for column, tag in images.items():
        if tag_key(tag) in seen:
            raise BatchError(f"Columns '{seen[tag_key(tag)]}' and '{column}' would both be @{tag} — rename one.")
        seen[tag_key(tag)] = column
    for tag in fixed:
        if tag_key(tag) in seen:
            raise BatchError(f"@{tag} in the prompt is also the image column '{seen[tag_key(tag)]}' — write @{{…}}.")


@dataclass
class _Checked:
    """Per-image header checks (with the upright size), done once per file however many rows use it."""

    limits: Limits
    results: dict[Path, tuple[str | None, tuple[int, int]]] = field(default_factory=dict)

    def problem(self, path: Path) -> str | None:
        if path not in self.results:
            self.results[path] = _image_header(path, self.limits)
        return self.results[path][0]

    def size(self, path: Path) -> tuple[int, int]:
        return self.results[path][1]


_TURNED = frozenset({5, 6, 7, 8})  # EXIF orientations that swap width and height


def _image_header(path: Path, limits: Limits) -> tuple[str | None, tuple[int, int]]:
    """What is wrong with the file, if anything its header shows, and its size once turned upright (the
    worker decodes it with the upload rules, which check the rest)."""
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            return f"it is larger than {format_bytes(limits.max_file_bytes)}.", (0, 0)
        with Image.open(path, formats=list(ALLOWED_FORMATS)) as image:
            width, height = image.size
            turned = image.getexif().get(0x0112) in _TURNED
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        return f"it is not a {ALLOWED_LABEL} image ({type(exc).__name__}).", (0, 0)
    if width * height > limits.max_image_pixels or max(width, height) > limits.max_image_side:
        most = f"at most {limits.max_image_pixels} pixels and {limits.max_image_side} px a side"
        return f"it is {width}x{height} — {most}.", (width, height)
    return None, (height, width) if turned else (width, height)


@dataclass
class _Batch:
    """What every row of one batch shares."""

    recipe: Recipe
    template: Template
    images: ImageLibrary
    fixed: dict[str, Path]
    size: tuple[int, int] | None
    fmt: OutputFormat | None
    quality: int
    limits: Limits
    checked: _Checked
    taken: set[str] = field(default_factory=set)
    brand: BrandWords | None = None
    saved: SavedTemplate | None = None  # a library template the rows fill (its slots are the columns)
    slot_columns: dict[str, str] = field(default_factory=dict)  # text slot -> its column


def plan_batch(
    recipe: Recipe,
    prompt: str,
    images: ImageLibrary,
    *,
    size: tuple[int, int] | None = None,
    fmt: OutputFormat | None = None,
    quality: int = 90,
    limits: Limits = LIMITS,
    brand: BrandWords | None = None,
    kit_images: dict[str, Path] | None = None,
) -> BatchPlan:
    """Validate every row and turn the good ones into jobs (nothing is rendered here).

    Each row is one request to the render service, resolved here (so a bad row is reported before any
    work) and rendered by a worker exactly as the app and the command line would render it.

    :param size: the canvas for rows without a ``size`` cell (None: what the prompt says).
    :param fmt: the format for rows without a ``format`` cell (None: PNG for stills, GIF for animations).
    :param brand: a brand kit's words; ``kit_images`` its images by tag (``@acme`` needs no file in ``images``).
    :raise BatchError: a problem with the whole batch (the prompt's placeholders, a missing fixed image).
    """
    template = read_template(prompt, recipe)
    fixed = {}
    kit = {tag_key(tag): path for tag, path in (kit_images or {}).items()}
    for tag in template.fixed_tags:
        if tag_key(tag) in kit:
            fixed[tag] = kit[tag_key(tag)]
            continue
        try:
            fixed[tag] = images.find(tag)
        except BatchError as exc:
            raise BatchError(f"The prompt's @{tag}: {exc}") from None
    batch = _Batch(recipe, template, images, fixed, size, fmt, quality, limits, _Checked(limits), brand=brand)
    return _plan(recipe, batch)


def _plan(recipe: Recipe, batch: _Batch) -> BatchPlan:
    """A job for each row that checks out, an error for each that does not (and each row skipped), by row."""
    jobs: list[RowJob] = []
    errors: list[RowError] = list(recipe.skipped)
    for row, values in recipe.rows:
        try:
            jobs.append(_job(row, values, batch))
        except _RowProblem as problem:
            errors.append(problem.error)
    errors.sort(key=lambda e: e.row)
    return BatchPlan(tuple(jobs), tuple(errors), len(recipe.rows) + len(recipe.skipped))


class _RowProblem(Exception):
    def __init__(self, error: RowError) -> None:
        self.error = error


def _job(row: int, values: dict[str, str], batch: _Batch) -> RowJob:
    from imagegen.prompt import ImageAbout
    from imagegen.service import Overrides, RenderRequest, understand

    paths = _row_images(row, values, batch)
    row_size, row_fmt, format_column = _row_settings(row, values, batch)
    try:
        if batch.saved is None:
            filled = batch.template.fill(values)
            scene = None
        else:
            filled = batch.saved.prompt
            scene = _filled_scene(row, values, batch)
        request = RenderRequest(
            filled,
            overrides=Overrides(size=row_size),
            fmt=row_fmt,
            quality=batch.quality,
            brand=batch.brand,
            scene=scene,
        )
        understood = understand(
            request,
            {tag: batch.checked.size(path) for tag, path in paths.items()},
            limits=batch.limits,
            about={tag: ImageAbout(Path(path).name) for tag, path in paths.items()},  # not decoded yet: names only
        )
    except ImagegenError as exc:
        column = format_column if row_fmt is not None and "holds a single image" in str(exc) else None
        shown = str(exc) if column else f"{exc} (the row's prompt: {filled[:200]})"
        raise _RowProblem(RowError(row, column, shown)) from None
    target = understood.targets[0]
    name_column = batch.recipe.column(NAME)
    stem = _stem(values[name_column] if name_column else "", row, batch.template, values)
    return RowJob(
        row=row,
        file=_unique(f"{stem}{target.fmt.suffix}", batch.taken),
        scene_json=target.scene.to_json(),
        images={tag: str(path) for tag, path in paths.items()},
        format=target.fmt.value,
        quality=batch.quality,
        limits=batch.limits,
        warnings=tuple(understood.messages()),
    )


def _filled_scene(row: int, values: dict[str, str], batch: _Batch) -> Scene:
    assert batch.saved is not None
    texts = {slot: values[column] for slot, column in batch.slot_columns.items()}
    try:
        return fill_texts(batch.saved.scene, batch.saved.slots, texts, batch.saved.name)
    except TemplateError as exc:
        column = next((c for s, c in batch.slot_columns.items() if f"{{{s}}}" in str(exc)), None)
        raise _RowProblem(RowError(row, column, str(exc))) from None


def plan_template_batch(
    recipe: Recipe,
    saved: SavedTemplate,
    images: ImageLibrary,
    folder: Path,
    *,
    size: tuple[int, int] | None = None,
    fmt: OutputFormat | None = None,
    quality: int = 90,
    limits: Limits = LIMITS,
) -> BatchPlan:
    """Rows fill a library template: each column is one of its slots (``product`` an image file from
    ``images``, ``headline`` the words), plus the optional ``size``, ``format`` and ``name``; a slot with
    no column keeps what was saved. The saved images are written to ``folder`` for the workers.

    :raise BatchError: a column that is no slot of the template (with the close one).
    """
    image_columns: dict[str, str] = {}
    slot_columns: dict[str, str] = {}
    for column in recipe.columns:
        if column.strip().casefold() in (SIZE, FORMAT, NAME):
            continue
        try:
            slot = find_slot(saved.slots, column, saved.name)
        except TemplateError as exc:
            raise BatchError(f"Column '{column}': {exc}") from None
        if slot.kind is SlotKind.IMAGE:
            image_columns[column] = slot.layer
        else:
            slot_columns[slot.name] = column
    fixed: dict[str, Path] = {}
    for tag, data in saved.images.items():
        fixed[tag] = folder / f"saved-{len(fixed)}-{tag}.img"
        fixed[tag].write_bytes(data)
    shape = Template((), image_columns, tuple(slot_columns.values()), ())
    batch = _Batch(recipe, shape, images, fixed, size, fmt, quality, limits, _Checked(limits))
    batch.saved, batch.slot_columns = saved, slot_columns
    return _plan(recipe, batch)


def _row_images(row: int, values: dict[str, str], batch: _Batch) -> dict[str, Path]:
    """Each tag's image file for this row: the prompt's fixed ones and the row's image cells, checked."""
    paths: dict[str, Path] = {}
    for tag, path in batch.fixed.items():
        _check_image(row, None, f"@{tag}", path, batch.checked)
        paths[tag] = path
    for column, tag in batch.template.image_columns.items():
        cell = values[column].strip()
        if not cell:
            raise _RowProblem(RowError(row, column, "is empty — write the image's file name (e.g. shoe.png)."))
        try:
            path = batch.images.find(cell)
        except BatchError as exc:
            raise _RowProblem(RowError(row, column, str(exc))) from None
        _check_image(row, column, f"'{cell}'", path, batch.checked)
        paths[tag] = path
    return paths


def _row_settings(
    row: int, values: dict[str, str], batch: _Batch
) -> tuple[tuple[int, int] | None, OutputFormat | None, str | None]:
    """The row's canvas size and format (its cells, else the batch's), and the format column's name."""
    from imagegen.prompt import parse_canvas_size

    row_size, row_fmt = batch.size, batch.fmt
    size_column, format_column = batch.recipe.column(SIZE), batch.recipe.column(FORMAT)
    if size_column and values[size_column].strip():
        try:
            row_size = parse_canvas_size(values[size_column], limits=batch.limits)
        except ImagegenError as exc:
            raise _RowProblem(RowError(row, size_column, str(exc))) from None
    if format_column and values[format_column].strip():
        try:
            row_fmt = OutputFormat.from_suffix(values[format_column])
        except ImagegenError as exc:
            raise _RowProblem(RowError(row, format_column, str(exc))) from None
    return row_size, row_fmt, format_column


def _check_image(row: int, column: str | None, shown: str, path: Path, checked: _Checked) -> None:
    problem = checked.problem(path)
    if problem:
        raise _RowProblem(RowError(row, column, f"the image {shown} cannot be used: {problem}"))


def _stem(name: str, row: int, template: Template, values: dict[str, str]) -> str:
    """The file name without suffix: the ``name`` cell made safe, else ``row00002-<first image's name>``."""
    cleaned = _NAME_CHARS.sub("_", PurePosixPath(name.strip().replace("\\", "/")).stem).strip("._-")[:80]
    if cleaned:
        return cleaned
    stem = f"row{row:05d}"
    first = next(iter(template.image_columns), None)
    if first is not None:
        image = _NAME_CHARS.sub("_", PurePosixPath(values[first].strip().replace("\\", "/")).stem).strip("._-")[:40]
        stem = f"{stem}-{image}" if image else stem
    return stem


def _unique(file: str, taken: set[str]) -> str:
    candidate = unique_name(file, {*taken, MANIFEST_NAME})
    taken.add(candidate.casefold())
    return candidate


# --- a sample to start from ----------------------------------------------------------------------------
SAMPLE_ROWS = 3
#: Cell texts for columns named like these (the first word of the name that matches), else "<column> 1".
_SAMPLE_TEXTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("corner",), ("top right", "top left", "bottom right", "bottom left")),
    (("position", "place", "where"), ("at the top", "at the bottom", "on the left")),
    (("price", "cost"), ("$19.99", "$24.99", "$29.99")),
    (("discount", "off", "percent"), ("20% off", "30% off", "50% off")),
    (("headline", "text", "title", "caption", "tagline", "slogan", "cta", "label"),
     ("Summer Sale", "New arrivals", "Last chance")),
    (("colour", "color"), ("red", "navy", "gold")),
    ((SIZE,), ("instagram", "story", "facebook")),
    ((FORMAT,), ("png", "jpg", "gif")),
)  # fmt: skip


@dataclass(frozen=True)
class Sample:
    """A prompt with placeholders and a CSV whose columns it names (every cell filled)."""

    prompt: str
    csv: str


def sample_recipe(
    prompt: str, images: Sequence[str], *, background: str | None = None, logo: str | None = None
) -> Sample:
    """A CSV of :data:`SAMPLE_ROWS` rows for ``prompt``'s placeholders, or, when it has none, a prompt too.

    Image columns (``@{column}``) take the names in ``images`` in turn (the session's tags, but for those the
    prompt names on every row: ``@BG`` in the proposed prompt or the user's); text columns
    take sample texts chosen by the column's name; a ``name`` column gives each file its name.

    :param images: tags (or file names) the image cells may name; none: example file names.
    :param background: a tag the proposed prompt uses as the background (not cycled through the rows).
    :param logo: a tag the proposed prompt puts in a corner on every row.
    """
    columns = _placeholders(prompt)
    if not columns:
        prompt, columns = _proposed_prompt(images, background, logo)
    fixed = set(re.findall(r"@([A-Za-z][A-Za-z0-9_-]*)", _PIECE.sub(" ", prompt)))  # the same on every row
    cycled = [name for name in images if name not in fixed] or list(images) or ["shoe.png", "bag.png", "hat.png"]
    header = [column for column, _ in columns]
    if not any(column.casefold() == NAME for column in header):
        header.append(NAME)
    is_image = dict(columns)
    rows = []
    for index in range(SAMPLE_ROWS):
        cells = []
        for column in header:
            if column.casefold() == NAME and column not in is_image:
                cells.append(f"variant-{index + 1}")
            elif is_image[column]:
                cells.append(cycled[index % len(cycled)])
            else:
                cells.append(_sample_text(column, index))
        rows.append(cells)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return Sample(prompt, buffer.getvalue())


def _placeholders(prompt: str) -> list[tuple[str, bool]]:
    """(column, is an image) of each placeholder, in order, once each; [] when none or a brace is stray."""
    found: dict[str, bool] = {}
    for match in _PIECE.finditer(prompt):
        if match.group(0) in ("{", "}"):
            return []
        if match.group(2) is not None and match.group(2).strip():
            found.setdefault(match.group(2).strip(), bool(match.group(1)))
    return list(found.items())


def _proposed_prompt(
    images: Sequence[str], background: str | None, logo: str | None
) -> tuple[str, list[tuple[str, bool]]]:
    parts = [f"@{background} as background"] if background else []
    parts.append("@{product} in the center")
    if logo and logo != background:
        parts.append(f"@{logo} on the {{corner}}")
        columns = [("product", True), ("corner", False), ("headline", False)]
    else:
        columns = [("product", True), ("headline", False)]
    parts += ['"{headline}" at the bottom', "1080x1080"]
    return ", ".join(parts), columns


def _sample_text(column: str, index: int) -> str:
    words = re.findall(r"[a-z]+", column.casefold())
    for names, texts in _SAMPLE_TEXTS:
        if any(word in names for word in words):
            return texts[index % len(texts)]
    return f"{column} {index + 1}"
