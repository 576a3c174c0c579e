"""``setup.py`` and ``setup.cfg``: the dependencies a setuptools project declares, read without running anything.

setup.py is read with the syntax tree: the literal ``install_requires``, ``extras_require`` and
``python_requires`` of its ``setup(...)`` call, following simple module-level list variables.
Anything computed (a file read, a function's result) is "not checked: computed", never guessed.
"""

from __future__ import annotations

import ast
import configparser
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from whygpu.lint.interface import FileKind, FileLinter, Location, ParseProblem, Source
from whygpu.lint.packages import PackageSpec, parse_pip_requirement
from whygpu.lint.pysource import Unparsed, parse_source
from whygpu.lint.requirements import PyprojectModel


@dataclass
class SetupModel(PyprojectModel):
    """A setup.py or setup.cfg: its declared dependencies, read like a pyproject.toml's (the same rules judge them)."""


class _Computed(Exception):
    """A value whygpu does not evaluate: what it is, for the "not checked" reason."""

    def __init__(self, node: ast.AST, what: str) -> None:
        super().__init__(what)
        self.node = node
        self.what = what


class SetupPyLinter(FileLinter):
    """Reads ``setup.py`` with the syntax tree (never runs it)."""

    kind = FileKind.SETUP

    def wants(self, path: PurePosixPath) -> bool:
        """True for ``setup.py``."""
        return path.name == "setup.py"

    def parse(self, source: Source) -> SetupModel:
        """This file's dependencies; what is computed becomes a parse problem ("not checked")."""
        return parse_setup_py(source)


class SetupCfgLinter(FileLinter):
    """Reads ``setup.cfg`` with configparser, as setuptools does."""

    kind = FileKind.SETUP

    def wants(self, path: PurePosixPath) -> bool:
        """True for ``setup.cfg``."""
        return path.name == "setup.cfg"

    def parse(self, source: Source) -> SetupModel:
        """This file's ``[options]`` and ``[options.extras_require]`` dependencies."""
        return parse_setup_cfg(source)


_SETUP_NAMES = frozenset({"setup", "setuptools.setup", "distutils.core.setup", "skbuild.setup"})


def _call_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _call_name(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    return ""


def parse_setup_py(source: Source) -> SetupModel:
    """The literal requirements of the ``setup(...)`` call, each at its own line."""
    model = SetupModel(source)
    tree = parse_source(source.text, source.display)
    if isinstance(tree, Unparsed):
        model.problems.append(ParseProblem(source.location(tree.line, tree.column), tree.reason))
        return model
    variables: dict[str, ast.expr] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
            variables[statement.targets[0].id] = statement.value
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value is not None:
            variables[statement.target.id] = statement.value
    calls = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and (_call_name(node.func) in _SETUP_NAMES or _call_name(node.func).endswith(".setup"))
    ]
    for call in calls:
        keywords = {kw.arg: kw.value for kw in call.keywords if kw.arg}
        if any(kw.arg is None for kw in call.keywords):
            star = next(kw for kw in call.keywords if kw.arg is None)
            model.problems.append(ParseProblem(_at(source, star.value), "setup(**...): arguments are computed; not read"))
        if "install_requires" in keywords:
            _requirements(model, source, keywords["install_requires"], variables, "install_requires")
        extras = keywords.get("extras_require")
        if extras is not None:
            extras = _resolve(extras, variables, 0)
            if isinstance(extras, ast.Dict):
                for value in extras.values:
                    _requirements(model, source, value, variables, "extras_require")
            else:
                model.problems.append(ParseProblem(_at(source, extras), "extras_require is computed; not read"))
        python = keywords.get("python_requires")
        if isinstance(python, ast.Constant) and isinstance(python.value, str):
            model.requires_python = (python.value, _at(source, python))
    return model


def _at(source: Source, node: ast.AST) -> Location:
    return source.location(getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1)


def _resolve(node: ast.expr, variables: dict[str, ast.expr], depth: int) -> ast.expr:
    """A module-level variable's literal value (followed a few levels), else the node itself."""
    while isinstance(node, ast.Name) and node.id in variables and depth < 5:
        node = variables[node.id]
        depth += 1
    return node


def _strings(node: ast.expr, variables: dict[str, ast.expr], depth: int = 0) -> list[tuple[str, ast.AST]]:
    """The requirement strings of a literal list/tuple (or a sum of them, or one string), else ``_Computed``."""
    node = _resolve(node, variables, depth)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        out: list[tuple[str, ast.AST]] = []
        for item in node.elts:
            item = _resolve(item, variables, depth + 1)
            if isinstance(item, ast.Constant) and isinstance(item.value, str):
                out.append((item.value, item))
            elif isinstance(item, ast.Starred):
                out += _strings(item.value, variables, depth + 1)
            else:
                raise _Computed(item, "an entry is computed")
        return out
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        # setuptools accepts one string with one requirement per line.
        return [(line, node) for line in node.value.splitlines()]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and depth < 10:
        return _strings(node.left, variables, depth + 1) + _strings(node.right, variables, depth + 1)
    raise _Computed(node, "computed")


def _requirements(model: SetupModel, source: Source, node: ast.expr, variables: dict[str, ast.expr], what: str) -> None:
    try:
        strings = _strings(node, variables)
    except _Computed as exc:
        model.problems.append(ParseProblem(_at(source, exc.node), f"{what} is {exc.what} (whygpu never runs setup.py); not read"))
        return
    for text, where in strings:
        text = re.split(r"(^|\s)#", text, maxsplit=1)[0].strip()
        if not text:
            continue
        parsed = parse_pip_requirement(text, _at(source, where))
        if isinstance(parsed, ParseProblem):
            model.problems.append(parsed)
        elif isinstance(parsed, PackageSpec) and parsed.on_linux:
            model.deps.packages.append(parsed)


def parse_setup_cfg(source: Source) -> SetupModel:
    """``[options] install_requires``/``python_requires`` and ``[options.extras_require]``, one requirement per line."""
    model = SetupModel(source)
    parser = configparser.ConfigParser(interpolation=None, strict=False, comment_prefixes=("#", ";"), inline_comment_prefixes=None)
    try:
        parser.read_string(source.text, source=source.display)
    except configparser.Error as exc:
        line = getattr(exc, "lineno", 1) or 1
        model.problems.append(ParseProblem(source.location(int(line)), f"not a valid setup.cfg: {str(exc).splitlines()[0]}"))
        return model
    lines = source.lines
    sections: list[tuple[str, str]] = []
    if parser.has_option("options", "install_requires"):
        sections.append(("options", "install_requires"))
    if parser.has_section("options.extras_require"):
        sections += [("options.extras_require", key) for key in parser.options("options.extras_require")]
    for section, key in sections:
        value = parser.get(section, key, fallback="")
        start = _line_of_key(lines, section, key)
        if value.strip().startswith("file:"):
            for name in value.strip()[len("file:") :].split(","):
                if name.strip():
                    model.deps.includes.append((name.strip(), source.location(start)))
            continue
        cursor = start
        for entry in re.split(r"[\n]", value):
            text = re.split(r"(^|\s)#", entry, maxsplit=1)[0].strip().rstrip(",")
            if not text:
                continue
            cursor = _line_of_entry(lines, text, cursor)
            for part in [text] if ";" in text else [p.strip() for p in text.split(",") if p.strip()]:
                parsed = parse_pip_requirement(part, source.location(cursor))
                if isinstance(parsed, ParseProblem):
                    model.problems.append(parsed)
                elif isinstance(parsed, PackageSpec) and parsed.on_linux:
                    model.deps.packages.append(parsed)
    python = parser.get("options", "python_requires", fallback=None)
    if python:
        model.requires_python = (python.strip(), source.location(_line_of_key(lines, "options", "python_requires")))
    return model


def _line_of_key(lines: list[str], section: str, key: str) -> int:
    """The line of ``key =`` inside ``[section]`` (configparser keeps no positions)."""
    inside = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            inside = stripped[1:-1].strip().lower() == section.lower()
            continue
        if inside and re.match(rf"^{re.escape(key)}\s*[=:]", stripped, re.IGNORECASE):
            return number
    return 1


def _line_of_entry(lines: list[str], text: str, start: int) -> int:
    for number in range(start, len(lines) + 1):
        if text in lines[number - 1]:
            return number
    return start
