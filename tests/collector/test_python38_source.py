"""Every module carried by collect.py stays Python 3.8 code: 3.8 syntax, and none of the later APIs the collector once used."""

from __future__ import annotations

import ast
from collections.abc import Iterator

import pytest

from whygpu.collector.bundle import bundled_modules

# Methods and functions added after Python 3.8 (https://docs.python.org/3/whatsnew/3.9.html and later).
LATER_ATTRIBUTES = {"removeprefix", "removesuffix", "is_relative_to", "bit_count", "waitstatus_to_exitcode",
                    "pairwise", "batched", "unparse"}
LATER_KEYWORDS = {("zip", "strict"), ("dataclass", "slots"), ("dataclass", "kw_only"), ("dataclass", "match_args")}
BUILTIN_GENERICS = {"list", "dict", "tuple", "set", "frozenset", "type"}
WHYGPU_MODULES = [m for m in bundled_modules() if m.name.split(".")[0] == "whygpu"]


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node that runs (annotations are lazy under ``from __future__ import annotations``, so they are skipped)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for name, value in ast.iter_fields(node):
            if name in ("annotation", "returns"):
                continue
            children = value if isinstance(value, list) else [value]
            stack.extend(child for child in children if isinstance(child, ast.AST))


def _callee(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def later_python_uses(source: str) -> list[str]:
    """What in ``source`` needs a Python newer than 3.8, each as "line: what"."""
    tree = ast.parse(source, feature_version=(3, 8))
    found = []
    future = any(isinstance(n, ast.ImportFrom) and n.module == "__future__" and any(a.name == "annotations" for a in n.names)
                 for n in tree.body)
    nodes = list(_runtime_nodes(tree)) if future else list(ast.walk(tree))
    for node in nodes:
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute) and node.attr in LATER_ATTRIBUTES:
            found.append(f"{line}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "functools" and any(a.name == "cache" for a in node.names):
            found.append(f"{line}: functools.cache")
        elif isinstance(node, ast.Call):
            found += [f"{line}: {_callee(node)}({k.arg}=)" for k in node.keywords if (_callee(node), k.arg) in LATER_KEYWORDS]
            if _callee(node) in ("isinstance", "issubclass") and any(
                    isinstance(a, ast.BinOp) and isinstance(a.op, ast.BitOr) for a in node.args[1:]):
                found.append(f"{line}: {_callee(node)} with X | Y")
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in BUILTIN_GENERICS:
            found.append(f"{line}: {node.value.id}[...] at run time")
        elif type(node).__name__ == "Match":
            found.append(f"{line}: match statement")
    return found


@pytest.mark.parametrize("module", WHYGPU_MODULES, ids=[m.name for m in WHYGPU_MODULES])
def test_carried_module_is_python_3_8_code(module: object) -> None:
    assert later_python_uses(module.source) == []  # type: ignore[attr-defined]


def test_the_checker_finds_what_it_looks_for() -> None:
    bad = (
        "from __future__ import annotations\nfrom functools import cache\n"
        "def f(x: list[int] | None) -> dict[str, int]:\n"
        "    y: list[int] = []\n"
        "    isinstance(x, int | str)\n    'a'.removeprefix('b')\n    zip(x, x, strict=True)\n"
        "    return list[int]\n"
    )
    found = sorted(entry.split(": ", 1)[1] for entry in later_python_uses(bad))
    # The annotations (lazy) are not flagged; the same generic at run time is.
    assert found == sorted(["functools.cache", "isinstance with X | Y", ".removeprefix", "zip(strict=)",
                            "list[...] at run time"])
