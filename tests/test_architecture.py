"""The engine's shape: folders are the pipeline, imports only go down, and each kind has one record a side."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from imagegen.prompt import interpret as interpret_module
from imagegen.prompt import meanings
from imagegen.prompt.explain import motion_sentence
from imagegen.prompt.vocabulary import VOCABULARY, entries, motion_meaning
from imagegen.render.motion import MOTIONS
from imagegen.scene import Motion, MotionKind

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "imagegen"

# The layer of each top-level part of the engine, and the layers it may import from (besides itself).
LAYERS: dict[str, str] = {
    "errors": "base",
    "limits": "base",
    "files": "base",
    "scene": "scene",
    "store": "store",
    "prompt": "prompt",
    "render": "render",
    "export": "export",
    "library": "library",
    "service": "service",
    "batch": "service",
    "cli": "top",
    "__main__": "top",
    "ui": "top",
    "api": "top",
}
MAY_IMPORT: dict[str, set[str]] = {
    "base": {"base"},
    "scene": set(),  # the contract imports nothing from the engine
    "store": {"base"},
    "prompt": {"base", "scene", "store"},
    "render": {"base", "scene", "store"},  # the renderer never reads prompts
    "export": {"base", "scene", "render"},
    "library": {"base", "scene", "store", "prompt"},  # the team library's database: never draws, never serves
    "service": {"base", "scene", "store", "prompt", "render", "export", "library"},
    "top": {"base", "scene", "store", "prompt", "render", "export", "library", "service"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(name: str) -> str:
    """The module an import names: ``imagegen.prompt.vocabulary`` or, for ``from pkg import x``, ``pkg.x``."""
    path = ROOT.joinpath(*name.split("."))
    return name if path.with_suffix(".py").exists() or (path / "__init__.py").exists() else name.rsplit(".", 1)[0]


def _imports(path: Path) -> set[str]:
    """Every imagegen module ``path`` imports, at the top or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_resolve(a.name) for a in node.names if a.name.startswith("imagegen")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("imagegen"):
            found |= {_resolve(f"{node.module}.{a.name}") for a in node.names}
    return found - {"imagegen"}


GRAPH = {_module_name(p): _imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> str:
    part = module.split(".")[1] if "." in module else "errors"
    assert part in LAYERS, f"{module}: add imagegen/{part} to LAYERS in this test (and the map in imagegen/__init__.py)"
    return LAYERS[part]


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_only_go_down(module: str) -> None:
    layer = _layer(module)
    upward = sorted(m for m in GRAPH[module] if _layer(m) != layer and _layer(m) not in MAY_IMPORT[layer])
    assert upward == [], f"{module} ({layer}) imports from a higher or unrelated layer: {upward}"


def test_scene_imports_nothing_from_the_engine() -> None:
    assert GRAPH["imagegen.scene"] == set()


def test_there_are_no_import_cycles() -> None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH.get(module, ())):
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target] if target in path else [module, target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])


def test_streamlit_is_imported_only_by_the_ui() -> None:
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        names = {a.name for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Import) for a in n.names}
        froms = {n.module for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.ImportFrom)}
        assert not {n for n in names | froms if n and n.split(".")[0] == "streamlit"}, path


def _readme_map() -> str:
    text = (ROOT / "README.md").read_text()
    return text.split("\n## Layout\n", 1)[1].split("```", 2)[1]


def _map_entries() -> tuple[set[str], set[str]]:
    """(module paths, folder paths) the README's map names: ``store/`` opens a folder, ``x.py`` a module."""
    modules: set[str] = set()
    folders: set[str] = set()
    stack: list[tuple[int, str]] = []
    for line in _readme_map().splitlines():
        words = line.split()
        if not words:
            continue
        indent = len(line) - len(line.lstrip())
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1] if stack else ""
        first = words[0]
        if first.endswith("/"):
            parent += first
            folders.add(parent)
            stack.append((indent, parent))
        modules |= {parent + name for name in re.findall(r"(?<![/\w])\w+\.py\b", line)}
    return modules, folders


def test_the_readme_map_names_every_module_and_no_module_that_does_not_exist() -> None:
    modules, folders = _map_entries()
    listed = {m.removeprefix("imagegen/") for m in modules if m.startswith("imagegen/")}
    actual = {str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}
    ui = {m for m in actual if m.startswith("ui/")}  # the ui folder's line lists its pages by name
    assert sorted(actual - listed - ui) == [], "modules missing from the README's map"
    assert sorted(listed - actual) == [], "the README's map names modules that do not exist"
    dirs = {f"imagegen/{p.name}/" for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert sorted(dirs - folders) == []
    assert sorted(f for f in folders if f.startswith("imagegen/") and not (ROOT / f).is_dir()) == []


def test_the_engine_has_at_most_eight_top_level_modules() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 8, top


# --- one record per kind on each side -------------------------------------------------------------


@pytest.mark.parametrize("kind", list(MotionKind))
def test_every_motion_kind_has_a_render_record_and_one_describing_row(kind: MotionKind) -> None:
    assert kind in MOTIONS
    describing = [
        e.key
        for e in entries("motion")
        if isinstance(e.value, meanings.MotionMeaning) and e.value.kind is kind and e.value.sentence
    ]
    assert len(describing) == 1, f"{kind}: rows with a sentence: {describing}"
    assert motion_meaning(kind).sentence


def test_explain_names_an_unknown_motion_kind_instead_of_guessing() -> None:
    text = motion_sentence(Motion("wobble"))  # type: ignore[arg-type]
    assert "wobble" in text and "slides" not in text


def test_every_meaning_type_has_exactly_one_handler() -> None:
    used = {type(e.value) for e in VOCABULARY}
    handled = set(interpret_module._HANDLERS)
    assert used <= handled, f"rows without a handler: {used - handled}"
    assert handled <= used, f"handlers no row uses: {handled - used}"


def _readme_format_rows() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("### Output formats", 1)[1].split("\n\n")[1]  # the table: the first block after it
    return [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| format")]


def test_every_format_has_a_writer_and_its_readme_row() -> None:
    from imagegen.export.formats import FORMATS, OutputFormat
    from imagegen.export.writers import _WRITERS

    assert set(FORMATS) == set(OutputFormat) == set(_WRITERS)
    expected = [
        f"| {fmt.name} | {' '.join(r.suffixes)} | {r.mime} | {'yes' if r.animated else 'no'} | {r.quality or '—'} |"
        for fmt, r in FORMATS.items()
    ]
    assert _readme_format_rows() == expected


def test_no_format_list_is_written_outside_the_records() -> None:
    # A hand-written list of suffixes or format names elsewhere goes stale when a format is added.
    for path in PACKAGE.rglob("*.py"):
        if path.name == "formats.py":
            continue
        text = "\n".join(line for line in path.read_text().splitlines() if ":param" not in line)
        for listing in (".png .jpg", "GIF, WebP, APNG", "JPEG, WebP, MP4", "WebP and MP4", ".webp .gif", "png, jpg"):
            assert listing not in text, f"{path.relative_to(ROOT)} lists formats by hand: {listing!r}"


def test_no_download_button_defers_its_data() -> None:
    # Streamlit 1.67 stores a deferred (callable) download tied to no session; two other sessions'
    # reruns delete it before the browser fetches it (issue 16). Every download hands over bytes.
    deferred = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "download_button":
                for keyword in node.keywords:
                    value = keyword.value
                    if keyword.arg == "data" and (
                        isinstance(value, ast.Lambda)
                        or (isinstance(value, ast.Attribute) and value.attr == "read_bytes")
                    ):
                        deferred.append(f"{path.name}:{node.lineno}")
    assert deferred == []
