"""Python scripts and Jupyter notebooks, read through their syntax trees into the facts the PY rules judge."""

from __future__ import annotations

import ast
import bisect
import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from whygpu.lint.azureml_sdk import SdkCompute, reads_sdk, sdk_computes
from whygpu.lint.data import load
from whygpu.lint.interface import FileKind, FileLinter, Location, ParsedFile, ParseProblem, Source
from whygpu.lint.packages import Dependencies, PackageSpec, parse_conda_spec, parse_pip_arguments
from whygpu.lint.pysource import (
    NOTEBOOK_FLAGS,
    Unparsed,
    ipython_parse,
    parse_source,
    read_cell,
    relax_automagic,
)
from whygpu.lint.shell import split_commands

# Files that mention none of these cannot trip a PY rule; they are only checked for syntax.
# This is a speed filter before parsing, not a detection: every rule reads the syntax tree.
_RELEVANT = ("tensorflow", "torch", "jax", "keras", "CUDA_VISIBLE_DEVICES", "JAX_PLATFORM", "DataLoader")
FRAMEWORKS = ("tensorflow", "torch", "jax", "keras")
_CUDA_DEVICE = re.compile(r"^\s*cuda(:\d+)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class EnvWrite:
    """The script sets an environment variable (``os.environ[...] = ...``, ``%env``)."""

    name: str
    value: str | None  # None when the value is not a literal
    location: Location
    line: int
    # Read from the syntax tree (None for a notebook's %env): the write is a choice made at run time
    # (inside an if/else, a try handler or a function whose name says CPU), and the call that
    # initialised CUDA before it in the same function, if any.
    conditional: bool = False
    initialised_by: tuple[int, Location, str] | None = None
    scoped: bool = False


@dataclass(frozen=True)
class DeviceScope:
    """``with tf.device('...'):``: the device string and whether the block builds or trains a model."""

    device: str
    location: Location
    trains: bool
    line: int


@dataclass(frozen=True)
class TrainingLoop:
    """A loop that runs optimisation steps, and the host synchronisations inside it."""

    location: Location
    syncs: tuple[tuple[str, Location], ...]


@dataclass(frozen=True)
class DataLoaderCall:
    """A ``DataLoader(...)`` and its ``num_workers`` (0 when left out; None when computed)."""

    location: Location
    num_workers: int | None
    explicit: bool


@dataclass
class CodeFacts:
    """What one script or notebook does that matters for the GPU, in source order."""

    imports: dict[str, Location] = field(default_factory=dict)  # framework -> first import
    modules: set[str] = field(default_factory=set)  # every imported top-level module
    # Every import as (level, dotted name): ``import a.b`` -> (0, "a.b"); ``from .m import f`` -> (1, "m"), (1, "m.f").
    imported: set[tuple[int, str]] = field(default_factory=set)
    main_block: tuple[int, int] | None = None  # first and last line of the top-level ``if __name__ == "__main__":``
    env_writes: list[EnvWrite] = field(default_factory=list)
    cuda_inits: list[tuple[int, Location, str]] = field(default_factory=list)
    hide_gpu_calls: list[Location] = field(default_factory=list)
    jax_cpu_configs: list[Location] = field(default_factory=list)
    device_scopes: list[DeviceScope] = field(default_factory=list)
    model_creations: list[tuple[str, Location]] = field(default_factory=list)  # (target name, where)
    device_moves: list[Location] = field(default_factory=list)  # .to(...), .cuda(), device=..., set_default_device
    cpu_devices: list[tuple[str, Location]] = field(default_factory=list)  # hard-coded cpu device
    training_loops: list[TrainingLoop] = field(default_factory=list)
    dataloaders: list[DataLoaderCall] = field(default_factory=list)
    heavy_transforms: list[Location] = field(default_factory=list)
    decode_calls: list[tuple[int, int, Location]] = field(default_factory=list)  # image decoding anywhere (line, column)
    tf_datasets: list[Location] = field(default_factory=list)
    prefetches: list[Location] = field(default_factory=list)
    fits: list[Location] = field(default_factory=list)
    mentions_cuda: bool = False  # a "cuda" string, a torch.cuda or torch.accelerator call or a .cuda() anywhere
    mentions_cpu: bool = False  # a "cpu" string anywhere (a CPU fallback or branch)
    first_cuda_line: int | None = None  # the first line (as its Location shows it) that mentions CUDA
    runtime_devices: set[str] = field(default_factory=set)  # names also assigned a device that is not the CPU
    cpu_workload: list[Location] = field(default_factory=list)  # APIs that run on the CPU by design (CPU optimizers)
    dataset_work: list[Location] = field(default_factory=list)  # tf.data per-element work: .map, .interleave, file sources
    device_arguments: set[str] = field(default_factory=set)  # names passed to .to(NAME) or device=NAME
    optimizers: bool = False  # a torch.optim optimizer is created
    runs_as_script: bool = False  # an ``if __name__ == "__main__":`` block, or a model built at module level

    @property
    def trains(self) -> bool:
        """The file takes training steps (a loop with backward/step, an optimizer, or Keras fit)."""
        return bool(self.training_loops or self.optimizers or self.fits)

    @property
    def trains_or_runs(self) -> bool:
        """The file looks like a training or inference script, not a library module that only defines things."""
        return bool(self.training_loops or self.optimizers or self.fits or self.runs_as_script)

    def first_import_line(self) -> int | None:
        """The line of the first framework import, or None."""
        return min((loc.line for loc in self.imports.values()), default=None)


@dataclass
class PythonModel(ParsedFile):
    """A script or notebook: whether it touches a framework, and the facts read from its syntax tree."""

    notebook: bool = False
    relevant: bool = False
    facts: CodeFacts = field(default_factory=CodeFacts)
    # ``!pip install ...`` / ``%pip install`` / ``%conda install`` lines of a notebook.
    installs: Dependencies = field(default_factory=Dependencies)
    # Azure ML compute sizes the code asks for through the SDK (``AmlCompute(size=...)``, ``vm_size=``).
    computes: list[SdkCompute] = field(default_factory=list)


class PythonLinter(FileLinter):
    """Reads ``*.py`` files."""

    kind = FileKind.PYTHON

    def wants(self, path: PurePosixPath) -> bool:
        """True when a file with this name may be of this kind."""
        return path.suffix == ".py"

    def parse(self, source: Source) -> PythonModel:
        """This file's model; syntax errors become parse problems."""
        return parse_python(source)


class NotebookLinter(FileLinter):
    """Reads Jupyter notebooks (``*.ipynb``, nbformat 3 and 4) with the json module."""

    kind = FileKind.NOTEBOOK

    def wants(self, path: PurePosixPath) -> bool:
        """True when a file with this name may be of this kind."""
        return path.suffix == ".ipynb"

    def parse(self, source: Source) -> PythonModel:
        """This file's model; syntax errors become parse problems."""
        return parse_notebook(source)


def parse_python(source: Source) -> PythonModel:
    """Parse every file once (syntax tree only); read the facts of those that mention a framework."""
    model = PythonModel(source)
    text = source.text
    model.relevant = any(word in text for word in _RELEVANT)
    tree = parse_source(text, source.display)
    if isinstance(tree, Unparsed):
        model.problems.append(ParseProblem(source.location(tree.line, tree.column), tree.reason))
        _forget_text(source)
        return model
    if reads_sdk(text):
        model.computes = sdk_computes(tree, source.location)
    if model.relevant:
        try:
            model.facts = analyse(tree, lambda line, col: source.location(line, col))
        except RecursionError:  # nesting the parser took but a walk of names cannot: read nothing, say so
            model.problems.append(ParseProblem(source.location(1), "nested too deeply to read"))
    elif not source.display.endswith(".ipynb"):
        # A file with no framework may still import the project's modules (a package's __init__.py): its top-level
        # imports tell which scripts are modules rather than entry points (a look at the top level only).
        model.facts.imported = _top_level_imports(tree)
    del tree
    _forget_text(source)
    return model


def _top_level_imports(tree: ast.Module) -> set[tuple[int, str]]:
    """The (level, dotted name) of the imports at the top level of a module, as ``CodeFacts.imported`` records them."""
    found: set[tuple[int, str]] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update((0, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if base:
                found.add((node.level, base))
            found.update((node.level, f"{base}.{alias.name}" if base else alias.name) for alias in node.names if alias.name != "*")
    return found


def _forget_text(source: Source) -> None:
    """Drop the text of a parsed script: a large tree would hold every file in memory; it is re-read
    only if a finding needs its suppression comments."""
    source.__dict__.pop("text", None)
    source.__dict__.pop("lines", None)


# ------------------------------------------------------------------------------------------
# Notebooks
# ------------------------------------------------------------------------------------------

_MAGIC_ENV = re.compile(r"^\s*%env\s+([A-Za-z_][A-Za-z0-9_]*)\s*[= ]\s*(.*)$")
_NO_IPYTHON = "IPython is not installed, so IPython syntax is read approximately (pip install 'whygpu[notebooks]')"


@dataclass
class _Cell:
    number: int  # 1-based among all cells
    lines: list[str]
    json_lines: list[int]  # the line in the .ipynb file of each source line (0 = unknown)


def parse_notebook(source: Source) -> PythonModel:
    """Each code cell is read as IPython reads it and parsed once; the good cells are then judged in order as one script."""
    model = PythonModel(source, notebook=True)
    try:
        data = json.loads(source.text)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", 1)
        column = getattr(exc, "colno", 1)
        model.problems.append(ParseProblem(source.location(line, column), f"not a notebook: invalid JSON ({exc})"))
        return model
    cells = _code_cells(data, source)
    if cells is None:
        model.problems.append(ParseProblem(source.location(1), "not a notebook: no 'cells' (nbformat 4) or 'worksheets' (nbformat 3)"))
        return model
    body: list[ast.stmt] = []
    where: list[tuple[_Cell, int]] = []  # combined line -> (cell, line in cell)
    env_writes: list[tuple[int, str, str]] = []
    dedents: dict[int, int] = {}
    relevant = False
    for cell in cells:
        offset = len(where)
        text = "\n".join(cell.lines)
        tree: ast.Module | Unparsed | None = parse_source(text, source.display, flags=NOTEBOOK_FLAGS)
        commands: list[tuple[int, str]] = []
        if isinstance(tree, Unparsed):
            read = read_cell(text)
            if read.dedent:
                dedents[cell.number] = read.dedent  # columns found in the dedented cell shift back by this
            tree = parse_source("\n".join(read.python), source.display, flags=NOTEBOOK_FLAGS)
            for _ in range(len(read.python)):
                if not isinstance(tree, Unparsed) or not relax_automagic(read, tree.line):
                    break
                tree = parse_source("\n".join(read.python), source.display, flags=NOTEBOOK_FLAGS)
            commands = read.commands
            if isinstance(tree, Unparsed):
                accepted, ipython_tree = ipython_parse(text)
                if accepted is not True:
                    reason = tree.reason
                    if accepted is None and not reason.startswith("needs Python"):
                        reason += f"; {_NO_IPYTHON}"
                    model.problems.append(ParseProblem(_cell_location(source, cell, tree.line, tree.column), reason))
                # IPython accepting a cell that whygpu's line-for-line reading could not: its Python is judged
                # when IPython kept the cell's lines, else the cell is fine but not judged.
                tree = ipython_tree if accepted is True else None
        for line, command in commands:
            location = _cell_location(source, cell, line, 1)
            magic = _MAGIC_ENV.match(command)
            if magic:
                env_writes.append((offset + line, magic.group(1), magic.group(2).strip().strip("'\"")))
                relevant = True
                continue
            _read_install(model.installs, command.lstrip("!%"), location)
        for _ in cell.lines:
            where.append((cell, len(where) - offset + 1))
        if isinstance(tree, ast.Module) and tree.body:
            if not relevant and any(word in text for word in _RELEVANT):
                relevant = True
            if offset:
                ast.increment_lineno(tree, offset)
            body.extend(tree.body)
    model.relevant = relevant

    def locate(line: int, column: int) -> Location:
        """The location of a line (and column) of the combined code."""
        if 1 <= line <= len(where):
            cell, in_cell = where[line - 1]
            return _cell_location(source, cell, in_cell, column + dedents.get(cell.number, 0))
        return source.location(1)

    if reads_sdk(source.text):
        model.computes = sdk_computes(ast.Module(body=body, type_ignores=[]), locate)
    if not relevant:
        return model

    try:
        model.facts = analyse(ast.Module(body=body, type_ignores=[]), locate)
    except RecursionError:  # nesting the parser took but a walk of names cannot: read nothing, say so
        model.problems.append(ParseProblem(source.location(1), "nested too deeply to read"))
        return model
    for line, name, value in env_writes:
        model.facts.env_writes.append(EnvWrite(name, value, locate(line, 1), line))
    model.facts.env_writes.sort(key=lambda w: w.line)
    return model


def _read_install(deps: Dependencies, command_line: str, location: Location) -> None:
    """A notebook's ``!pip install ...`` or ``%conda install ...``: the packages it installs."""
    for words in split_commands(command_line):
        while words and (words[0] in ("sudo", "env") or "=" in words[0]):
            words = words[1:]
        if len(words) >= 3 and words[0].startswith("python") and words[1:3] == ["-m", "pip"]:
            words = ["pip", *words[3:]]
        if len(words) < 2 or words[1] != "install":
            continue
        program = words[0].rsplit("/", 1)[-1]
        if program.startswith("pip"):
            deps.extend(parse_pip_arguments(words[2:], location))
        elif program in ("conda", "mamba"):
            for word in words[2:]:
                if word.startswith("-") or "$" in word:
                    continue
                parsed = parse_conda_spec(word, location)
                if isinstance(parsed, PackageSpec):
                    deps.packages.append(parsed)


def _code_cells(data: Any, source: Source) -> list[_Cell] | None:
    if not isinstance(data, dict):
        return None
    raw_cells: list[tuple[int, dict[str, Any]]] = []
    if isinstance(data.get("cells"), list):
        raw_cells = [(i + 1, c) for i, c in enumerate(data["cells"]) if isinstance(c, dict)]
        key = "source"
    elif isinstance(data.get("worksheets"), list):
        number = 0
        for sheet in data["worksheets"]:
            for cell in sheet.get("cells", []) if isinstance(sheet, dict) else []:
                number += 1
                if isinstance(cell, dict):
                    raw_cells.append((number, cell))
        key = "input"
    else:
        return None
    finder = _JsonLineFinder(source.lines)
    cells: list[_Cell] = []
    for number, cell in raw_cells:
        content = cell.get(key, "")
        pieces = content if isinstance(content, list) else [content] if isinstance(content, str) else []
        pieces = [p if isinstance(p, str) else "" for p in pieces]
        json_lines = finder.locate(pieces)
        if cell.get("cell_type") != "code":
            continue
        lines = "".join(pieces).split("\n")
        # Map each logical line to the JSON line of the piece it starts in.
        line_rows: list[int] = []
        for piece, row in zip(pieces, json_lines, strict=False):
            for _ in range(max(piece.count("\n"), 0) + (0 if piece.endswith("\n") else 1)):
                line_rows.append(row)
        line_rows += [json_lines[-1] if json_lines else 0] * (len(lines) - len(line_rows))
        cells.append(_Cell(number, lines, line_rows[: len(lines)]))
    return cells


class _JsonLineFinder:
    """Finds the line of the ``.ipynb`` file that holds each source piece (nbformat writes one per line), in order:
    the first line at or after the last one found, however many output lines lie between two cells."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor = 0  # the 0-based line after the last piece found
        self._text = "\n".join(lines)
        self._starts: list[int] = []
        offset = 0
        for line in lines:
            self._starts.append(offset)
            offset += len(line) + 1

    def _find(self, encoded: str) -> int:
        """The 1-based line, at or after the cursor, holding ``encoded``; 0 when none does."""
        if not encoded or self.cursor >= len(self.lines):
            return 0
        at = self._text.find(encoded, self._starts[self.cursor])
        return bisect.bisect_right(self._starts, at) if at >= 0 else 0

    def locate(self, pieces: list[str]) -> list[int]:
        """The 1-based line of each piece (0 when not found)."""
        rows: list[int] = []
        for piece in pieces:
            found = self._find(json.dumps(piece)[1:-1] or '""') or self._find(json.dumps(piece, ensure_ascii=False)[1:-1])
            if found:
                self.cursor = found
            rows.append(found)
        return rows


def notebook_cell_lines(source: Source, number: int) -> list[str]:
    """The source lines of a notebook's code cell ``number`` (1-based among all cells, as locations count them);
    empty when the notebook or the cell cannot be read."""
    try:
        cells = _code_cells(json.loads(source.text), source)
    except (ValueError, RecursionError, OSError):
        return []
    return next((cell.lines for cell in cells or [] if cell.number == number), [])


def _cell_location(source: Source, cell: _Cell, line_in_cell: int, column: int) -> Location:
    text = cell.lines[line_in_cell - 1] if 1 <= line_in_cell <= len(cell.lines) else ""
    row = cell.json_lines[line_in_cell - 1] if 1 <= line_in_cell <= len(cell.json_lines) else 0
    return Location(source.display, row or 1, max(column, 1), text.strip(), cell=cell.number, cell_line=line_in_cell)


# ------------------------------------------------------------------------------------------
# The analysis
# ------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _apis() -> dict[str, Any]:
    data = load("python_apis")
    heavy: list[tuple[str, frozenset[str], bool]] = [(row["prefix"], frozenset(row["names"]), bool(row.get("per_sample"))) for row in data["heavy_transform"]]
    return {
        "cuda_init": tuple(row["prefix"] for row in data["cuda_init"]),
        "heavy": heavy,
        "tf_dataset": tuple(row["prefix"] for row in data["tf_dataset_source"]),
        "tf_file_source": tuple(row["prefix"] for row in data["tf_dataset_source"] if row.get("reads_files")),
        "tf_work": frozenset(row["method"] for row in data["tf_dataset_work"]),
        "not_dataset_attributes": frozenset(a for row in data["not_dataset_attribute"] for a in row["attributes"]),
        "tf_prefetch_methods": tuple(row["method"] for row in data["tf_prefetch"] if "method" in row),
        "tf_prefetch_keywords": frozenset(row["keyword"] for row in data["tf_prefetch"] if "keyword" in row),
        "tf_prefetch_calls": tuple(row["call"] for row in data["tf_prefetch"] if "call" in row),
        "tf_prefetching": tuple(row["prefix"] for row in data["tf_prefetching_source"]),
        "cpu_workload": tuple(row["prefix"] for row in data["cpu_workload"]),
        "device_managers": frozenset(row["module"] for row in data["device_manager"]),
        "in_memory_datasets": frozenset(row["prefix"] + name for row in data["in_memory_dataset"] for name in row["names"]),
    }


def device_managers() -> frozenset[str]:
    """Top-level modules that put a torch model on the GPU themselves (Lightning, Accelerate, ...)."""
    managers: frozenset[str] = _apis()["device_managers"]
    return managers


_TRAIN_METHODS = frozenset({"fit", "fit_generator", "train_on_batch", "compile", "evaluate", "predict"})
_MODEL_BUILDERS = ("tensorflow.keras.", "keras.", "tensorflow.estimator.")
# torch.hub.load is not listed: hub entry points (YOLOv5's, for one) choose and move to the device themselves.
_TORCH_MODEL_FACTORIES = ("torchvision.models.", "timm.create_model", "transformers.Auto")
_TORCH_LAYER_SKIP = frozenset({"torch.nn.functional", "torch.nn.init", "torch.nn.utils", "torch.nn.parameter", "torch.nn.Parameter"})


def analyse(tree: ast.Module, locate: Any) -> CodeFacts:
    """Walk the tree once, in source order, and collect the facts, resolving import aliases to full names."""
    analyser = _Analyser(locate)
    analyser.run(tree)
    _Intent(analyser).refine(tree)
    facts = analyser.facts
    facts.env_writes.sort(key=lambda w: w.line)
    facts.cuda_inits.sort(key=lambda item: item[0])
    return facts


# Calls that take a training step: ``loss.backward()``, ``optimizer.step()``, Keras ``train_on_batch``.
_STEP_METHODS = frozenset({"backward", "train_on_batch", "apply_gradients", "step"})


class _Loop:
    """An outermost loop being walked: the host syncs inside it, and whether it takes training steps."""

    __slots__ = ("node", "owner", "syncs", "training")

    def __init__(self, node: ast.AST, owner: _Loop | None = None) -> None:
        self.node = node
        self.owner = owner  # the outermost loop, for a muted view of it; None for that loop itself
        self.syncs: list[tuple[str, Location]] = []
        self.training = False

    def muted(self) -> _Loop:
        """The same loop for code whose syncs do not count (``if step % 100 == 0: print(loss.item())``)."""
        return _Loop(self.node, self.owner or self)

    def takes_steps(self) -> None:
        """Mark the outermost loop as a training loop."""
        (self.owner or self).training = True


# Nodes with nothing below them that a rule reads: never pushed on the walk's stack.
_LEAVES = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop, ast.Name, ast.alias, ast.Pass, ast.Break, ast.Continue)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
# The same as sets of concrete classes: a membership test is much cheaper than isinstance on a tuple.
_SCOPE_TYPES = frozenset(_SCOPES)
_LOOP_TYPES = frozenset(_LOOPS)


def _concrete(classes: tuple[type, ...]) -> frozenset[type]:
    found: set[type] = set()
    pending = list(classes)
    while pending:
        cls = pending.pop()
        found.add(cls)
        pending.extend(cls.__subclasses__())
    return frozenset(found)


_LEAF_TYPES = _concrete(_LEAVES)
# Fields that never hold a syntax-tree node below them (names, flags, operators, contexts).
_NOT_CHILDREN = frozenset({"ctx", "op", "ops", "id", "attr", "name", "names", "arg", "module", "level", "kind",
                           "type_comment", "is_async", "conversion", "kwd_attrs", "rest", "tag",
                           # Type annotations name types; no rule reads them (a tenth of the nodes of typed code).
                           "annotation", "returns", "type_params"})
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(kind: type) -> tuple[str, ...]:
    """The fields of a node class that may hold child nodes."""
    return tuple(name for name in getattr(kind, "_fields", ()) if name not in _NOT_CHILDREN)


class _Analyser:
    def __init__(self, locate: Any) -> None:
        self.locate = locate
        self.aliases: dict[str, str] = {}
        self.facts = CodeFacts()
        self.module_classes: set[str] = set()  # classes defined here that subclass a torch Module
        self.model_names: set[str] = set()
        self.apis = _apis()
        self._loops: list[_Loop] = []  # outermost loops, in source order; those that train are kept
        self._model_assignments: set[int] = set()

    def at(self, node: ast.AST) -> Location:
        """The location of a syntax-tree node."""
        return self.locate(getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1)  # type: ignore[no-any-return]

    def _cuda_at(self, node: ast.AST) -> None:
        """Keep the earliest line that mentions CUDA."""
        line = self.at(node).line
        first = self.facts.first_cuda_line
        if first is None or line < first:
            self.facts.first_cuda_line = line

    # Names ------------------------------------------------------------------------------
    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            self.facts.imported.update((0, alias.name) for alias in node.names)
        else:
            base = node.module or ""
            if base:
                self.facts.imported.add((node.level, base))
            self.facts.imported.update((node.level, f"{base}.{alias.name}" if base else alias.name) for alias in node.names if alias.name != "*")
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                self.facts.modules.add(top)
                self._framework_import(top, node)
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    self.aliases.setdefault(top, top)
        elif node.module and node.level == 0:
            top = node.module.split(".")[0]
            self.facts.modules.add(top)
            self._framework_import(top, node)
            for alias in node.names:
                if alias.name != "*":
                    self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def _class(self, node: ast.ClassDef) -> None:
        for base in node.bases:
            name = self.qualname(base)
            if name and (name.endswith("nn.Module") or name.endswith("LightningModule") or name in self.module_classes):
                self.module_classes.add(node.name)

    def _framework_import(self, top: str, node: ast.AST) -> None:
        if top in FRAMEWORKS:
            current = self.facts.imports.get(top)
            if current is None or getattr(node, "lineno", 1) < current.line:
                self.facts.imports[top] = self.at(node)

    def qualname(self, node: ast.AST) -> str | None:
        """``tf.config.set_visible_devices`` -> ``tensorflow.config.set_visible_devices``."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Call):
            inner = self.qualname(node.func)
            if inner is None:
                return None
            parts.append(inner + "()")
        elif isinstance(node, ast.Name):
            parts.append(self.aliases.get(node.id, node.id))
        else:
            return None
        name = ".".join(reversed(parts))
        # ``tf.keras`` and ``keras`` reach the same API for these rules.
        return name

    # Walk -------------------------------------------------------------------------------
    def run(self, tree: ast.Module) -> None:
        """One pre-order walk with an explicit stack; each entry carries the training loop it is in."""
        stack: list[tuple[ast.AST, _Loop | None]] = [(tree, None)]
        pop, push, extend = stack.pop, stack.append, stack.extend
        scope_types, loop_types, leaf_types, child_fields = _SCOPE_TYPES, _LOOP_TYPES, _LEAF_TYPES, _CHILD_FIELDS
        while stack:
            node, in_loop = pop()
            kind = type(node)
            if kind is ast.Call:
                self._call(node, in_loop)  # type: ignore[arg-type]
            elif kind is ast.Assign:
                self._assign(node)  # type: ignore[arg-type]
            elif kind is ast.Constant:
                value = node.value  # type: ignore[attr-defined]
                if value.__class__ is str:
                    if value == "cpu":
                        self.facts.mentions_cpu = True
                    elif _CUDA_DEVICE.match(value):
                        self.facts.mentions_cuda = True
                        self._cuda_at(node)
                continue
            elif kind is ast.Import or kind is ast.ImportFrom:
                self._import(node)  # type: ignore[arg-type]
                continue
            elif kind is ast.AugAssign:
                self._env_target(node.target, None, node)  # type: ignore[attr-defined]
            elif kind is ast.With or kind is ast.AsyncWith:
                self._with(node)  # type: ignore[arg-type]
            elif kind is ast.ClassDef:
                self._class(node)  # type: ignore[arg-type]
                in_loop = None
            elif kind in scope_types:
                in_loop = None
            elif kind in loop_types:
                # An outermost loop is a training loop when a step is taken anywhere inside it (outside
                # nested functions); that is learnt in this same walk, so each loop is walked once.
                if in_loop is None:
                    in_loop = _Loop(node)
                    self._loops.append(in_loop)
            elif kind is ast.Attribute:
                # ``a.b.c.d``: only what the chain starts from can hold a call (``f().b``); skip the links.
                value = node.value  # type: ignore[attr-defined]
                while value.__class__ is ast.Attribute:
                    value = value.value
                if value.__class__ not in leaf_types:
                    push((value, in_loop))
                continue
            elif kind is ast.If and in_loop is not None and _is_periodic(node.test):  # type: ignore[attr-defined]
                # ``if step % 100 == 0: print(loss.item())``: an occasional sync is the normal way to log.
                for child in reversed(node.orelse):  # type: ignore[attr-defined]
                    push((child, in_loop))
                muted = in_loop.muted()
                for child in reversed(node.body):  # type: ignore[attr-defined]
                    push((child, muted))
                push((node.test, muted))  # type: ignore[attr-defined]
                continue
            fields = child_fields.get(kind)
            if fields is None:
                fields = child_fields[kind] = _child_fields(kind)
            children: list[ast.AST] = []
            for field_name in fields:
                value = getattr(node, field_name, None)
                if value.__class__ is list:
                    children.extend([item for item in value if item is not None and item.__class__ not in leaf_types])
                elif value is not None and value.__class__ not in leaf_types and isinstance(value, ast.AST):
                    children.append(value)
            if children:
                children.reverse()
                extend([(child, in_loop) for child in children])
        for statement in tree.body:
            if (isinstance(statement, ast.If) and _is_main_guard(statement.test)) or id(statement) in self._model_assignments:
                self.facts.runs_as_script = True
            if isinstance(statement, ast.If) and _is_main_guard(statement.test):
                self.facts.main_block = (statement.lineno, statement.end_lineno or statement.lineno)
        for loop in self._loops:
            if loop.training:
                unique = tuple(dict((loc.line, (m, loc)) for m, loc in loop.syncs).values())
                self.facts.training_loops.append(TrainingLoop(self.at(loop.node), unique))

    # Statements -------------------------------------------------------------------------
    def _assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._env_target(target, node.value, node)
        value = node.value
        for target in node.targets:
            # ``device = torch.accelerator.current_accelerator()`` beside ``device = torch.device("cpu")``:
            # the device is chosen at run time, whichever branch holds the CPU.
            if target.__class__ is ast.Name and "dev" in target.id.lower():
                cpu_value = (isinstance(value, ast.Constant) and value.value == "cpu") or (isinstance(value, ast.Call) and self._is_cpu_device(value))
                if not cpu_value:
                    self.facts.runtime_devices.add(target.id)
        if isinstance(value, ast.Call):
            name = self.qualname(value.func) or ""
            if self._creates_torch_model(name):
                self._model_assignments.add(id(node))
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.model_names.add(target.id)
                        self.facts.model_creations.append((target.id, self.at(node)))
            if name in ("torch.device",) and _first_string(value) == "cpu":
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.facts.cpu_devices.append((target.id, self.at(node)))
        elif isinstance(value, ast.Constant) and value.value == "cpu":
            for target in node.targets:
                if isinstance(target, ast.Name) and "dev" in target.id.lower():
                    self.facts.cpu_devices.append((target.id, self.at(node)))

    def _creates_torch_model(self, name: str) -> bool:
        if name in self.module_classes:
            return True
        if "torch" not in self.facts.imports:
            return False
        if name.startswith("torch.nn.") and not any(name.startswith(skip) for skip in _TORCH_LAYER_SKIP):
            layer = name[len("torch.nn.") :]
            # Loss modules hold no weights to move, and a bare nn.Module() is an empty container.
            return layer[:1].isupper() and "." not in layer and not layer.endswith("Loss") and layer != "Module"
        return name.startswith(_TORCH_MODEL_FACTORIES) or (name.startswith("transformers.") and ".from_pretrained" in name)

    def _env_target(self, target: ast.expr, value: ast.expr | None, node: ast.AST) -> None:
        if isinstance(target, ast.Subscript) and self.qualname(target.value) == "os.environ":
            key = target.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                literal = value.value if isinstance(value, ast.Constant) and isinstance(value.value, (str, int)) else None
                self.facts.env_writes.append(EnvWrite(key.value, None if literal is None else str(literal), self.at(node), node.lineno))  # type: ignore[attr-defined]

    def _with(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            call = item.context_expr
            if not isinstance(call, ast.Call):
                continue
            name = self.qualname(call.func) or ""
            if name not in ("tensorflow.device", "tensorflow.compat.v1.device", "tensorflow.compat.v2.device"):
                continue
            device = _first_string(call)
            if device is None:
                continue
            trains = any(self._is_training_call(n) for s in node.body for n in ast.walk(s))
            self.facts.device_scopes.append(DeviceScope(device, self.at(node), trains, node.lineno))

    def _is_training_call(self, node: ast.AST) -> bool:
        if not isinstance(node, ast.Call):
            return False
        name = self.qualname(node.func) or ""
        if isinstance(node.func, ast.Attribute) and node.func.attr in _TRAIN_METHODS:
            return True
        return name.startswith(_MODEL_BUILDERS) or name in ("tensorflow.GradientTape",)

    def _call(self, node: ast.Call, in_loop: _Loop | None) -> None:
        func = node.func
        name = self.qualname(func) or ""
        method = func.attr if isinstance(func, ast.Attribute) else ""
        # The node's location is built only for the calls that become facts (most calls do not).
        if in_loop is not None:
            if method in ("cpu", "numpy") and not node.args:
                in_loop.syncs.append((method, self.at(node)))
            elif method in _STEP_METHODS and (method != "step" or "optim" in (self.qualname(func.value) or "").lower()):  # type: ignore[attr-defined]
                in_loop.takes_steps()
        # Environment writes through calls.
        if name in ("os.environ.setdefault", "os.putenv") and len(node.args) >= 2:
            key, value = node.args[0], node.args[1]
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                literal = value.value if isinstance(value, ast.Constant) else None
                self.facts.env_writes.append(EnvWrite(key.value, None if literal is None else str(literal), self.at(node), node.lineno))
        elif name == "os.environ.update":
            pairs: list[tuple[str, ast.expr]] = []
            if node.args and isinstance(node.args[0], ast.Dict):
                pairs += [(k.value, v) for k, v in zip(node.args[0].keys, node.args[0].values, strict=False) if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            pairs += [(kw.arg, kw.value) for kw in node.keywords if kw.arg]
            for key_name, value in pairs:
                literal = value.value if isinstance(value, ast.Constant) else None
                self.facts.env_writes.append(EnvWrite(key_name, None if literal is None else str(literal), self.at(node), node.lineno))
        # Calls that initialise CUDA.
        if name.startswith(self.apis["cuda_init"]) or method == "cuda":
            self.facts.cuda_inits.append((node.lineno, self.at(node), name or method))
        if method == "cuda" or ".cuda." in name or name.startswith(("torch.cuda", "torch.accelerator")):
            self.facts.mentions_cuda = True
            self._cuda_at(node)
        if name.startswith(self.apis["cpu_workload"]):
            self.facts.cpu_workload.append(self.at(node))
        # TensorFlow hiding GPUs.
        if name in ("tensorflow.config.set_visible_devices", "tensorflow.config.experimental.set_visible_devices"):
            devices = node.args[0] if node.args else _keyword(node, "devices")
            kind = node.args[1] if len(node.args) > 1 else _keyword(node, "device_type")
            if isinstance(devices, (ast.List, ast.Tuple)) and not devices.elts and isinstance(kind, ast.Constant) and str(kind.value).upper() == "GPU":
                self.facts.hide_gpu_calls.append(self.at(node))
        # JAX platform configuration.
        if name in ("jax.config.update", "jax.config.config.update", "jax._src.config.update") and len(node.args) >= 2:
            key, value = node.args[0], node.args[1]
            if isinstance(key, ast.Constant) and key.value in ("jax_platforms", "jax_platform_name") and isinstance(value, ast.Constant) and str(value.value).strip().lower() == "cpu":
                self.facts.jax_cpu_configs.append(self.at(node))
        # Torch devices.
        if method == "to" and node.args and isinstance(node.args[0], ast.Name):
            self.facts.device_arguments.add(node.args[0].id)
        if name.startswith("torch.optim.") and name[len("torch.optim.") :][:1].isupper():
            self.facts.optimizers = True
        if method in ("to", "cuda") or name in ("torch.set_default_device", "torch.cuda.set_device"):
            target = _first_string(node)
            receiver = func.value if isinstance(func, ast.Attribute) else None
            if (method == "to" and target == "cpu") or (method == "to" and node.args and self._is_cpu_device(node.args[0])):
                if isinstance(receiver, ast.Name) and receiver.id in self.model_names:
                    self.facts.cpu_devices.append((receiver.id, self.at(node)))
            else:
                self.facts.device_moves.append(self.at(node))
        for keyword in node.keywords:
            if keyword.arg in ("device", "device_map", "accelerator", "gpus", "devices"):
                if isinstance(keyword.value, ast.Name):
                    self.facts.device_arguments.add(keyword.value.id)
                if isinstance(keyword.value, ast.Constant) and str(keyword.value.value).lower() == "cpu":
                    continue
                self.facts.device_moves.append(self.at(node))
        # Input pipelines.
        if name.endswith("DataLoader") and ("torch" in name or name == "DataLoader"):
            workers = _keyword(node, "num_workers")
            if workers is None and any(keyword.arg is None for keyword in node.keywords):
                # ``DataLoader(ds, **kwargs)``: num_workers may well be in kwargs.
                self.facts.dataloaders.append(DataLoaderCall(self.at(node), None, False))
            elif workers is None:
                self.facts.dataloaders.append(DataLoaderCall(self.at(node), 0, False))
            elif isinstance(workers, ast.Constant) and isinstance(workers.value, int):
                self.facts.dataloaders.append(DataLoaderCall(self.at(node), workers.value, True))
            else:
                self.facts.dataloaders.append(DataLoaderCall(self.at(node), None, True))
        for prefix, names, per_sample in self.apis["heavy"]:
            if "()" not in name and name.startswith(prefix) and ("*" in names or name[len(prefix) :] in names):
                if per_sample:
                    self.facts.decode_calls.append((node.lineno, node.col_offset, self.at(node)))  # kept if in __getitem__
                else:
                    self.facts.heavy_transforms.append(self.at(node))
                break
        if name.startswith(self.apis["tf_dataset"]) and "()" not in name:
            self.facts.tf_datasets.append(self.at(node))
            if name.startswith(self.apis["tf_file_source"]):
                self.facts.dataset_work.append(self.at(node))
        if method in self.apis["tf_work"] and not (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute) and func.value.attr in self.apis["not_dataset_attributes"]
        ):
            self.facts.dataset_work.append(self.at(node))
        if (
            name.endswith(self.apis["tf_prefetch_methods"])
            or (name.endswith(self.apis["tf_prefetch_calls"]) and not self.apis["tf_prefetch_keywords"].isdisjoint(keyword.arg for keyword in node.keywords))
            or (name.startswith(self.apis["tf_prefetching"]) and "()" not in name)
        ):
            self.facts.prefetches.append(self.at(node))
        if method in ("fit", "fit_generator"):
            self.facts.fits.append(self.at(node))

    def _is_cpu_device(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Call) and self.qualname(node.func) == "torch.device":
            return _first_string(node) == "cpu"
        return False


def _loop_feeds_nothing(loop: ast.For | ast.AsyncFor) -> bool:
    """A loop over a loader that breaks at once (a one-batch peek), or whose body never hands a batch on: no call takes a
    loop variable (or a part of one) as an argument, nothing is moved to a device (.to, .cuda) and nothing calls backward."""
    if any(isinstance(statement, ast.Break) for statement in loop.body):
        return True
    batch = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}

    def rooted_in_batch(expression: ast.expr) -> bool:
        while isinstance(expression, (ast.Subscript, ast.Attribute, ast.Starred)):
            expression = expression.value
        return isinstance(expression, ast.Name) and expression.id in batch

    for statement in loop.body:
        for node in ast.walk(statement):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("to", "cuda", "backward", "step"):
                return False
            if any(rooted_in_batch(argument) for argument in (*node.args, *(k.value for k in node.keywords))):
                return False
    return True


def _one_batch_reads(tree: ast.Module) -> set[int]:
    """The names read for one batch, once: ``next(iter(loader))`` or ``next(enumerate(loader))`` outside any loop,
    comprehension or function (which could run it once per step). The loader's per-sample work then happens once,
    not between GPU steps. Ids of the ``loader`` name nodes."""
    found: set[int] = set()
    pending: list[ast.AST] = [tree]
    repeated = (*_LOOPS, *_SCOPES, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
    while pending:
        node = pending.pop()
        if isinstance(node, repeated):
            continue
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "next"
            and len(node.args) == 1
            and isinstance(inner := node.args[0], ast.Call)
            and isinstance(inner.func, ast.Name)
            and inner.func.id in ("iter", "enumerate")
            and len(inner.args) == 1
            and isinstance(inner.args[0], ast.Name)
        ):
            found.add(id(inner.args[0]))
        pending.extend(ast.iter_child_nodes(node))
    return found


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    for keyword in node.keywords:
        if keyword.arg == name:
            return keyword.value
    return None


def _first_string(node: ast.Call) -> str | None:
    if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    for keyword in node.keywords:
        if keyword.arg in ("device", "device_name", "type") and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str):
            return keyword.value.value
    return None


def _is_main_guard(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


def _bound(target: ast.AST) -> set[str]:
    """The names an assignment target binds or changes: ``x``, ``self.total``, ``stats`` for ``stats["loss"]``."""
    if isinstance(target, (ast.Tuple, ast.List)):
        return set().union(*(_bound(element) for element in target.elts)) if target.elts else set()
    if isinstance(target, ast.Starred):
        return _bound(target.value)
    if isinstance(target, ast.Subscript):
        return _bound(target.value)
    dotted = _dotted(target)
    return {dotted} if dotted else set()


def _dotted(node: ast.AST) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _mentions(expr: ast.AST) -> set[str]:
    """The names (and attribute chains on names) an expression reads."""
    found: set[str] = set()
    for node in ast.walk(expr):
        if isinstance(node, (ast.Name, ast.Attribute)):
            dotted = _dotted(node)
            if dotted:
                found.add(dotted)
    return found


def _tensor_of(node: ast.AST) -> ast.AST:
    """The tensor an expression reads, the same for ``loss``, ``loss.detach()`` and ``loss.data`` (views of one value)."""
    while True:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "detach" and not node.args:
            node = node.func.value
        elif isinstance(node, ast.Attribute) and node.attr == "data":
            node = node.value
        else:
            return node


def _tensor_key(node: ast.AST) -> str:
    """A key for the tensor an expression reads (``_tensor_of``): equal for views of one value."""
    return ast.dump(_tensor_of(node))


def _innermost_loops(loop: ast.AST) -> dict[int, ast.AST]:
    """For every call inside ``loop`` (not in a nested function), the innermost loop around it (``loop`` itself or one
    nested in it): the iteration whose waits count for the call."""
    found: dict[int, ast.AST] = {}
    stack: list[tuple[ast.AST, ast.AST]] = [(child, loop) for child in ast.iter_child_nodes(loop)]
    while stack:
        node, around = stack.pop()
        if isinstance(node, _SCOPES):
            continue
        if isinstance(node, ast.Call):
            found[id(node)] = around
        inner = node if isinstance(node, _LOOPS) else around
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))
    return found


def _straight_waits(loop: ast.AST) -> tuple[list[tuple[tuple[int, int], ast.Call, str]], dict[str, list[tuple[int, int]]]]:
    """The host reads a step loop makes on every iteration (``.item()``, ``.cpu()``, ``.tolist()`` in statements not
    under a condition, a nested loop or a try): where each ends, the call, the method; and where each name is bound in
    the loop's own statements (their ends), the loop's target at the loop's start."""
    waits: list[tuple[tuple[int, int], ast.Call, str]] = []
    computed: dict[str, list[tuple[int, int]]] = {}
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        for name in _bound(loop.target):
            computed.setdefault(name, []).append((loop.lineno, loop.col_offset))
    statements = list(getattr(loop, "body", []))
    while statements:
        statement = statements.pop()
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            statements.extend(statement.body)
            continue
        if isinstance(statement, (ast.If, *_LOOPS, ast.Try, ast.Match, *_SCOPES)):
            continue
        targets: set[str] = set()
        if isinstance(statement, ast.Assign):
            targets = set().union(*(_bound(target) for target in statement.targets))
        elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)):
            targets = _bound(statement.target)
        end = (statement.end_lineno or statement.lineno, statement.end_col_offset or 0)
        for name in targets:
            computed.setdefault(name, []).append(end)
        for node in ast.walk(statement):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _HOST_READS and not node.args:
                waits.append(((node.end_lineno or node.lineno, node.end_col_offset or 0), node, node.func.attr))
    return waits, computed


def _finished(call: ast.Call, waits: list[tuple[int, int]], computed: dict[str, list[tuple[int, int]]]) -> bool:
    """Whether a ``.cpu()`` copies a value the iteration already waited for: an every-step host read lies between the
    last binding of the tensor's name in the loop (or the loop's start, when the loop does not bind it) and the copy."""
    if not isinstance(call.func, ast.Attribute):
        return False
    name = _dotted(_tensor_of(call.func.value))
    if name is None:
        return False  # an expression computed in the copy itself (model(x).cpu()): new work, a new wait
    at = (call.lineno, call.col_offset)
    bound = [end for end in computed.get(name, []) if end <= at]
    since = max(bound) if bound else (0, 0)
    return any(since < wait < at for wait in waits)


def _formats(node: ast.AST) -> bool:
    """A string built to be read: an f-string, ``"...".format(...)``, ``"..." % (...)``."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)


def _is_periodic(test: ast.expr) -> bool:
    """``step % 100 == 0`` (a ``%`` among the comparisons, arithmetic and boolean operators of the test)."""
    pending: list[ast.expr] = [test]
    while pending:
        node = pending.pop()
        kind = node.__class__
        if kind is ast.BinOp:
            if node.op.__class__ is ast.Mod:  # type: ignore[attr-defined]
                return True
            pending += (node.left, node.right)  # type: ignore[attr-defined]
        elif kind is ast.Compare:
            pending.append(node.left)  # type: ignore[attr-defined]
            pending += node.comparators  # type: ignore[attr-defined]
        elif kind is ast.BoolOp:
            pending += node.values  # type: ignore[attr-defined]
        elif kind is ast.UnaryOp:
            pending.append(node.operand)  # type: ignore[attr-defined]
    return False


# ------------------------------------------------------------------------------------------
# Intent: what the code chooses on purpose, read after the walk from the same syntax tree
# ------------------------------------------------------------------------------------------

# Calls that show or record a value as a loop runs (PY008: a value shown every step has to be on the host every step).
_SHOW_FUNCTIONS = frozenset({"print", "pprint", "display"})
_SHOW_METHODS = frozenset({
    "debug", "info", "warning", "warn", "error", "critical", "exception", "log",  # logging.Logger and kin
    "set_postfix", "set_postfix_str", "set_description", "set_description_str", "write",  # tqdm progress bars
    "add_scalar", "add_scalars", "log_metric", "log_metrics", "log_dict",  # TensorBoard, MLflow, Lightning
})
_SHOW_WORDS = re.compile(r"print|progress|pbar|plot|display|logger|tqdm", re.IGNORECASE)
_NUMERIC_MODULES = ("numpy.", "torch.", "math.", "jax.", "tensorflow.", "scipy.", "cupy.")
# Tensor methods that read a value to the host (each waits for the work queued before it).
_HOST_READS = frozenset({"cpu", "item", "tolist"})
# Methods that put their argument into the container they are called on (``history.append(loss.cpu())``).
_COLLECTING_METHODS = frozenset({"append", "extend", "add", "insert", "update", "put"})
_NO_GRAD = ("torch.no_grad", "torch.inference_mode", "torch.autograd.no_grad", "torch.autograd.grad_mode.no_grad")
_RPC = ("torch.distributed.rpc.", "rpc.")
_RPC_METHODS = frozenset({"rpc_sync", "rpc_async", "remote"})
_HIDING_NAMES = ("CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES")


class _Intent:
    """Second look at the few places a rule may fire, to tell a deliberate choice from a mistake.

    Runs only where the walk found something to judge (a training loop with host syncs, a write of
    CUDA_VISIBLE_DEVICES), so most files cost nothing more.
    """

    def __init__(self, analyser: _Analyser) -> None:
        self.analyser = analyser
        self.facts = analyser.facts

    def refine(self, tree: ast.Module) -> None:
        """Narrow the syncs to the step loop and place each CUDA_VISIBLE_DEVICES write in its context."""
        if any(loop.syncs for loop in self.facts.training_loops):
            self._step_loops(tree)
        if any(write.name in _HIDING_NAMES for write in self.facts.env_writes):
            self._env_contexts(tree)
        # PY009 judges only loaders left at the default num_workers: nothing to refine without one.
        if any(loader.num_workers == 0 and not loader.explicit for loader in self.facts.dataloaders):
            if self.facts.heavy_transforms:
                self._transforms_given_to_datasets(tree)
            if self.facts.decode_calls:
                self._per_sample_decoding(tree)
            if self.facts.heavy_transforms:
                self._light_loaders(tree)
            if self.facts.dataloaders:
                self._idle_loaders(tree)

    # Transforms: per sample only when a dataset gets them ------------------------------------------------
    def _transforms_given_to_datasets(self, tree: ast.Module) -> None:
        """Keep the heavy transforms that reach a dataset (an argument, a Dataset class, an attribute);
        a transform only called on whole batches in the loop (``transform(batch)``) is not per-sample work."""
        parents: dict[int, ast.AST] = {}
        used_as_argument: set[str] = set()
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                parents[id(child)] = node
            if isinstance(node, ast.Call):
                for argument in (*node.args, *(k.value for k in node.keywords)):
                    if isinstance(argument, ast.Name):
                        used_as_argument.add(argument.id)
        kept: list[Location] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and self._heavy_call(node) and self._reaches_dataset(node, parents, used_as_argument):
                kept.append(self.analyser.at(node))
        self.facts.heavy_transforms = kept

    def _reaches_dataset(self, node: ast.AST, parents: dict[int, ast.AST], used_as_argument: set[str]) -> bool:
        top = node
        parent = parents.get(id(top))
        # Climb through the transform expression itself: Compose([...]), lists, keyword wrappers.
        while isinstance(parent, (ast.List, ast.Tuple, ast.Starred)) or (
            isinstance(parent, ast.Call) and top is not parent.func and self._transform_call(parent)
        ):
            top, parent = parent, parents.get(id(parent))
        ancestor: ast.AST | None = parent
        while ancestor is not None:
            if isinstance(ancestor, ast.ClassDef):
                return True
            ancestor = parents.get(id(ancestor))
        if isinstance(parent, ast.Assign):
            names = [t.id for t in parent.targets if isinstance(t, ast.Name)]
            return not names or any(name in used_as_argument for name in names)
        return not (isinstance(parent, ast.Call) and parent.func is top)

    def _transform_call(self, node: ast.Call) -> bool:
        name = self.analyser.qualname(node.func) or ""
        return name.startswith(("torchvision.transforms.", "albumentations.", "torchvision.transforms.v2."))

    # DataLoaders over datasets that do no per-sample work (prompts, file names, tensors) ---------------
    def _light_loaders(self, tree: ast.Module) -> None:
        """Drop the loaders whose dataset visibly does no decoding or augmentation; keep those it cannot tell."""
        classes: dict[str, bool] = {}
        assignments: dict[str, list[tuple[int, ast.expr]]] = {}
        loaders: dict[tuple[int, int], ast.Call] = {}
        wanted = {(loader.location.line, loader.location.column) for loader in self.facts.dataloaders}
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                classes[node.name] = self._does_sample_work(node)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assignments.setdefault(target.id, []).append((node.lineno, node.value))
            elif isinstance(node, ast.Call):
                location = self.analyser.at(node)
                if (location.line, location.column) in wanted:
                    loaders[(location.line, location.column)] = node
        kept = []
        for loader in self.facts.dataloaders:
            call = loaders.get((loader.location.line, loader.location.column))
            dataset = None if call is None else (call.args[0] if call.args else _keyword(call, "dataset"))
            if dataset is None or self._weight(dataset, classes, assignments, call.lineno if call else 0, 2) != "light":
                kept.append(loader)
        self.facts.dataloaders = kept

    # DataLoaders that feed no model: read for one batch, or for statistics -----------------------------------
    def _idle_loaders(self, tree: ast.Module) -> None:
        """Drop a loader bound to a name whose every loop (until the name is bound again) either breaks at once or never
        hands a batch on (no call gets the batch, nothing is moved to a device, no backward): a one-batch peek or a
        statistics pass feeds no GPU. A loader passed anywhere, returned, or never looped over is kept (it cannot tell)."""
        binds: dict[str, list[int]] = {}
        loader_names: dict[int, tuple[str, int]] = {}  # the loader's reported line -> (its name, its line in the tree)
        wanted = {loader.location.line for loader in self.facts.dataloaders}
        uses: dict[str, list[tuple[int, str, ast.AST]]] = {}  # name -> (line, "loop" | "other", node)
        loop_iters: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                binds.setdefault(node.targets[0].id, []).append(node.lineno)
                value = node.value
                if isinstance(value, ast.Call) and self.analyser.at(value).line in wanted:
                    loader_names[self.analyser.at(value).line] = (node.targets[0].id, node.lineno)
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                source = node.iter
                if isinstance(source, ast.Call) and isinstance(source.func, ast.Name) and source.func.id == "enumerate" and source.args:
                    source = source.args[0]
                if isinstance(source, ast.Name):
                    uses.setdefault(source.id, []).append((node.lineno, "loop", node))
                    loop_iters.add(id(source))
        peeks = _one_batch_reads(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and id(node) not in loop_iters:
                uses.setdefault(node.id, []).append((node.lineno, "peek" if id(node) in peeks else "other", node))
        kept = []
        for loader in self.facts.dataloaders:
            bound = loader_names.get(loader.location.line)
            if bound is None or not self._feeds_nothing(bound[0], bound[1], binds, uses):
                kept.append(loader)
        self.facts.dataloaders = kept

    def _feeds_nothing(self, name: str, line: int, binds: dict[str, list[int]], uses: dict[str, list[tuple[int, str, ast.AST]]]) -> bool:
        """Every use of ``name`` bound at ``line`` (until its next binding) is a loop that feeds no model."""
        later = [b for b in binds.get(name, []) if b > line]
        end = min(later) if later else None
        mine = [(kind, node) for at, kind, node in uses.get(name, []) if at >= line and (end is None or at < end)]
        if not mine or any(kind not in ("loop", "peek") for kind, _node in mine):
            return False
        return all(kind == "peek" or (isinstance(node, (ast.For, ast.AsyncFor)) and _loop_feeds_nothing(node)) for kind, node in mine)

    def _heavy_call(self, node: ast.Call) -> bool:
        name = self.analyser.qualname(node.func) or ""
        return "()" not in name and any(
            not per_sample and name.startswith(prefix) and ("*" in names or name[len(prefix) :] in names)
            for prefix, names, per_sample in self.analyser.apis["heavy"]
        )

    def _does_sample_work(self, cls: ast.ClassDef) -> bool:
        """A Dataset class that augments, or decodes in __getitem__."""
        for node in ast.walk(cls):
            if isinstance(node, ast.Call) and self._heavy_call(node):
                return True
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in ("__getitem__", "__getitems__", "__iter__"):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and self._decodes(inner):
                        return True
        return False

    def _decodes(self, node: ast.Call) -> bool:
        name = self.analyser.qualname(node.func) or ""
        return any(per_sample and name.startswith(prefix) and ("*" in names or name[len(prefix) :] in names) for prefix, names, per_sample in self.analyser.apis["heavy"])

    def _weight(self, expr: ast.expr, classes: dict[str, bool], assignments: dict[str, list[tuple[int, ast.expr]]], before: int, depth: int) -> str:
        """"heavy", "light" (visibly no per-sample work) or "unknown" for a DataLoader's dataset expression."""
        verdict = "unknown"
        for node in ast.walk(expr):
            if isinstance(node, ast.Call):
                if self._heavy_call(node):
                    return "heavy"
                callee = node.func.id if isinstance(node.func, ast.Name) else None
                if callee in classes:
                    if classes[callee]:
                        return "heavy"
                    verdict = "light"
                elif (self.analyser.qualname(node.func) or "").startswith("torchvision.transforms."):
                    verdict = "light"  # conversions only, so far
                elif (self.analyser.qualname(node.func) or "") in self.analyser.apis["in_memory_datasets"]:
                    verdict = "light"  # TensorDataset: samples are indexes into tensors in memory
            elif isinstance(node, (ast.List, ast.ListComp, ast.Tuple)) and node is expr:
                verdict = "light"  # a literal list of items (prompts, file names): nothing done per sample
            elif isinstance(node, ast.Name) and node.id in classes:
                # The Dataset class named, not called here: bound first with functools.partial(Cls, ...) or handed to a
                # factory, its instances still do what its __getitem__ does.
                if classes[node.id]:
                    return "heavy"
                verdict = "light"
            elif isinstance(node, ast.Name) and depth > 0 and node.id in assignments:
                earlier = [value for line, value in assignments[node.id] if line <= before] or [assignments[node.id][-1][1]]
                inner = self._weight(earlier[-1], classes, assignments, before, depth - 1)
                if inner == "heavy":
                    return "heavy"
                if inner == "light":
                    verdict = "light"
        return verdict

    # Image decoding: heavy for the DataLoader only where a Dataset does it for each sample ------------
    def _per_sample_decoding(self, tree: ast.Module) -> None:
        wanted = {(line, column): location for line, column, location in self.facts.decode_calls}
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in ("__getitem__", "__getitems__", "__iter__"):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and (location := wanted.get((inner.lineno, inner.col_offset))) is not None:
                        self.facts.heavy_transforms.append(location)
        self.facts.heavy_transforms.sort(key=lambda location: location.line)

    # Host syncs: only those the step loop runs on every step ---------------------------------
    def _step_loops(self, tree: ast.Module) -> None:
        wanted = {(loop.location.line, loop.location.column): index for index, loop in enumerate(self.facts.training_loops) if loop.syncs}
        for node in ast.walk(tree):
            if isinstance(node, _LOOPS):
                location = self.analyser.at(node)
                index = wanted.pop((location.line, location.column), None)
                if index is not None:
                    found: list[tuple[str, ast.Call]] = []
                    self._collect(node, self._takes_step(node), False, found)
                    needless = self._shown_or_repeated(node, found)
                    syncs = [(method, self.analyser.at(call)) for method, call in found if id(call) not in needless]
                    unique = tuple(dict((loc.line, (m, loc)) for m, loc in syncs).values())
                    self.facts.training_loops[index] = TrainingLoop(location, unique)
                    if not wanted:
                        return

    def _is_step(self, node: ast.AST) -> bool:
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            return False
        attr = node.func.attr
        if attr in ("backward", "train_on_batch", "apply_gradients"):
            return True
        return attr == "step" and "optim" in (self.analyser.qualname(node.func.value) or "").lower()

    def _takes_step(self, loop: ast.AST) -> bool:
        """A step is taken in this loop's own body, not only in loops nested in it (an epoch loop)."""
        stack = [c for c in ast.iter_child_nodes(loop)]
        while stack:
            node = stack.pop()
            if isinstance(node, (*_SCOPES, *_LOOPS)):
                continue
            if self._is_step(node):
                return True
            stack.extend(ast.iter_child_nodes(node))
        return False

    def _collect(self, node: ast.AST, per_step: bool, muted: bool, syncs: list[tuple[str, ast.Call]]) -> None:
        stack: list[tuple[ast.AST, bool, bool]] = [(child, per_step, muted) for child in ast.iter_child_nodes(node)]
        while stack:
            current, step, quiet = stack.pop()
            if isinstance(current, _SCOPES):
                continue
            if isinstance(current, _LOOPS):
                # A loop inside the step loop runs every step; a loop beside it (evaluation after
                # the epoch) does only when it takes steps itself.
                step = step or self._takes_step(current)
            elif isinstance(current, (ast.With, ast.AsyncWith)) and any(self._no_grad(item.context_expr) for item in current.items):
                quiet = True  # evaluation under no_grad: reading results to the host is its purpose
            elif isinstance(current, ast.If) and _is_periodic(current.test):
                stack.extend((branch, step, quiet) for branch in current.orelse)
                stack.extend((part, step, True) for part in (current.test, *current.body))
                continue
            elif isinstance(current, ast.Call):
                func = current.func
                name = self.analyser.qualname(func) or ""
                method = func.attr if isinstance(func, ast.Attribute) else ""
                if name.startswith(_RPC) or method in _RPC_METHODS:
                    quiet = True  # what RPC sends to another process must be on the host
                elif step and not quiet and not current.args and (method == "cpu" or (method == "numpy" and self._numpy_waits(current))):
                    syncs.append((method, current))
            stack.extend((inner, step, quiet) for inner in ast.iter_child_nodes(current) if not isinstance(inner, _LEAVES))

    def _numpy_waits(self, call: ast.Call) -> bool:
        """Whether ``x.numpy()`` can wait for the GPU. PyTorch's ``Tensor.numpy()`` converts only a tensor already on the
        CPU (a CUDA tensor raises; ``force=True`` copies it first), so in PyTorch code the wait is the ``.cpu()`` before it,
        reported on its own; a TensorFlow tensor's ``.numpy()`` copies from the GPU and waits."""
        if any(keyword.arg == "force" for keyword in call.keywords):
            return True
        return "tensorflow" in self.facts.imports or "keras" in self.facts.imports

    def _shown_or_repeated(self, loop: ast.AST, syncs: list[tuple[str, ast.Call]]) -> set[int]:
        """The transfers of a step loop that add no wait the loop can avoid (ids of their calls):
        - shown: the value feeds, directly or through names assigned in the loop, something the loop shows or records
          every iteration (print, a logging call, a progress bar, a live plot, a metric logger, a formatted string).
          Showing a GPU value each step needs it on the host each step: one synchronisation per step, the cost every
          loop that reports its loss per step pays, which keeping the value on the GPU cannot remove;
        - repeated: the same tensor was already read to the host earlier in the iteration (``.cpu()``, ``.item()``,
          ``.tolist()``; the first read waited, this copy is of a finished value);
        - finished: the iteration already waits for the GPU unconditionally (``loss.item()`` on every step) after the
          tensor was last computed: that read waited for all the work queued before it, so this copy waits for
          nothing, and keeping the tensor on the GPU would not remove the step's one wait."""
        if not syncs:
            return set()
        shown: list[ast.AST] = []
        flows: list[tuple[set[str], ast.AST]] = []
        reads: list[tuple[int, int, str]] = []  # every host read of the iteration (.cpu(), .item(), .tolist()): where, of what
        stack: list[tuple[ast.AST, bool]] = [(child, False) for child in ast.iter_child_nodes(loop)]
        while stack:
            node, periodic = stack.pop()
            if isinstance(node, _SCOPES):
                continue
            if isinstance(node, ast.If) and _is_periodic(node.test):
                stack.extend((child, True) for child in node.body)  # shown every N steps: not what each step needs
                stack.extend((child, periodic) for child in node.orelse)
                continue
            if isinstance(node, ast.Assign):
                flows.append((set().union(*(_bound(target) for target in node.targets)), node.value))
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and node.value is not None:
                flows.append((_bound(node.target), node.value))
            elif isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr in _COLLECTING_METHODS:
                    flows.append((_bound(func.value), node))
                if isinstance(func, ast.Attribute) and func.attr in _HOST_READS and not node.args and not periodic:
                    reads.append((node.lineno, node.col_offset, _tensor_key(func.value)))
                if not periodic and self._shows(node):
                    shown.extend((*node.args, *(keyword.value for keyword in node.keywords)))
            if not periodic and _formats(node):
                shown.append(node)
            stack.extend((child, periodic) for child in ast.iter_child_nodes(node) if not isinstance(child, _LEAVES))
        inside_shown = {id(inner) for expr in shown for inner in ast.walk(expr)}
        shown_names = set().union(*(_mentions(expr) for expr in shown)) if shown else set()
        flow_nodes = [({id(inner) for inner in ast.walk(value)}, _mentions(value), targets) for targets, value in flows]
        innermost = _innermost_loops(loop)
        # The waits this rule accepts: reads it never reports (.item(), .tolist()) and copies the step shows. A copy
        # after one of those waits for nothing; a copy after another reported copy is part of the same wait (keeping
        # both on the GPU removes it), so it is still reported.
        waits_of: dict[int, tuple[list[tuple[int, int]], dict[str, list[tuple[int, int]]]]] = {}

        def finished(call: ast.Call) -> bool:
            inner = innermost.get(id(call))
            if inner is None:
                return False
            if id(inner) not in waits_of:  # each loop read once, and only the loops a copy is in
                waits, computed = _straight_waits(inner)
                waits_of[id(inner)] = ([end for end, read, kind in waits if kind != "cpu" or id(read) in inside_shown], computed)
            return _finished(call, *waits_of[id(inner)])

        needless: set[int] = set()
        for method, call in syncs:
            receiver = _tensor_key(call.func.value) if isinstance(call.func, ast.Attribute) else ""
            copied_before = any((line, column) < (call.lineno, call.col_offset) and key == receiver for line, column, key in reads)
            if id(call) in inside_shown or (method == "cpu" and (copied_before or finished(call))):
                needless.add(id(call))
            else:
                reached = set().union(*(targets for ids, _names, targets in flow_nodes if id(call) in ids))
                grown = True
                while grown:
                    more = set().union(*(targets for _ids, names, targets in flow_nodes if names & reached)) - reached
                    reached |= more
                    grown = bool(more)
                if reached & shown_names:
                    needless.add(id(call))
        return needless

    def _shows(self, call: ast.Call) -> bool:
        """A call that shows or records its arguments: print, logging, a progress bar, a live plot, a metric logger."""
        func = call.func
        if isinstance(func, ast.Name):
            return func.id in _SHOW_FUNCTIONS or bool(_SHOW_WORDS.search(func.id))
        if not isinstance(func, ast.Attribute):
            return False
        name = self.analyser.qualname(func) or ""
        if name.startswith(_NUMERIC_MODULES):
            return False  # numpy.log, torch.log: arithmetic, not logging
        receiver = func.value.attr if isinstance(func.value, ast.Attribute) else func.value.id if isinstance(func.value, ast.Name) else ""
        return func.attr in _SHOW_METHODS or bool(_SHOW_WORDS.search(func.attr) or _SHOW_WORDS.search(receiver))

    def _no_grad(self, expr: ast.expr) -> bool:
        target = expr.func if isinstance(expr, ast.Call) else expr
        return (self.analyser.qualname(target) or "") in _NO_GRAD

    # CUDA_VISIBLE_DEVICES writes: run-time choices and the CUDA initialisation before them ---------
    def _env_contexts(self, tree: ast.Module) -> None:
        write_lines = {w.line for w in self.facts.env_writes if w.name in _HIDING_NAMES}
        init_lines = {line for line, _loc, _name in self.facts.cuda_inits}
        decided: dict[int, tuple[bool, int]] = {}  # line -> (conditional, scope)
        init_scopes: dict[int, int] = {}
        stack: list[tuple[ast.AST, bool, int]] = [(tree, False, 0)]
        while stack:
            node, conditional, scope = stack.pop()
            line = getattr(node, "lineno", None)
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr)) and line in write_lines:
                decided.setdefault(line, (conditional or self._reads_environ(node), scope))
            if isinstance(node, ast.Call) and line in init_lines:
                init_scopes.setdefault(line, scope)
            for field_name, value in ast.iter_fields(node):
                children = value if isinstance(value, list) else [value]
                for child in children:
                    if not isinstance(child, ast.AST) or isinstance(child, _LEAVES):
                        continue
                    inner_conditional, inner_scope = conditional, scope
                    if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        inner_scope = id(child)
                        # ``def init_cpu(...)``, ``def force_cpu()``: the CPU path, called when asked for.
                        inner_conditional = conditional or "cpu" in child.name.lower()
                    if isinstance(node, (ast.If, ast.IfExp)) and field_name in ("body", "orelse"):
                        inner_conditional = True  # a branch: the script chooses at run time
                    elif (isinstance(node, ast.Try) and field_name == "handlers") or isinstance(child, ast.match_case):
                        inner_conditional = True  # an except handler or a match case: taken only when it applies
                    stack.append((child, inner_conditional, inner_scope))
        writes = []
        for write in self.facts.env_writes:
            if write.name in _HIDING_NAMES and write.line in decided:
                conditional, scope = decided[write.line]
                before = next((init for init in self.facts.cuda_inits if init[0] < write.line and init_scopes.get(init[0], -1) == scope), None)
                write = replace(write, conditional=conditional, initialised_by=before, scoped=True)
            writes.append(write)
        self.facts.env_writes = writes

    def _reads_environ(self, node: ast.AST) -> bool:
        """``os.environ["CUDA_VISIBLE_DEVICES"] = os.environ.get("CUDA_VISIBLE_DEVICES", ...)``: the caller's value is kept."""
        value = getattr(node, "value", None)
        return isinstance(value, ast.Call) and (self.analyser.qualname(value.func) or "") in ("os.environ.get", "os.getenv")

