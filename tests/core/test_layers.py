"""Every module of the package has its place in the layers contract of pyproject.toml (docs/design.md, checked by lint-imports)."""

from __future__ import annotations

import pkgutil
import re
import sys
from pathlib import Path

import whygpu

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _contracts() -> list[dict[str, object]]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def test_every_top_level_module_is_in_a_layer() -> None:
    layers = next(c for c in _contracts() if c["id"] == "layers")["layers"]
    assert isinstance(layers, list)
    placed = {name for layer in layers for name in re.split(r"\s*[:|]\s*", str(layer))}
    modules = {m.name for m in pkgutil.iter_modules(whygpu.__path__) if not m.name.startswith("_")}
    assert modules - placed == set(), "give these modules a layer in pyproject.toml and docs/design.md"
    assert placed - modules == set(), "layers name modules that do not exist"


def test_no_contract_ignores_an_import_but_the_process_gateways() -> None:
    """The only listed exception is the one gateway importing subprocess (docs/design.md says so)."""
    ignored = {str(i) for c in _contracts() for i in c.get("ignore_imports", [])}  # type: ignore[attr-defined]
    assert ignored == {"whygpu.gateways.process -> subprocess"}


# What starts, signals, waits for or kills a process: only gateways/process.py may do it
# (import-linter sees imports, not calls such as os.kill, so the calls are checked here).
_PROCESS_MODULES = {"subprocess", "multiprocessing", "pty", "concurrent.futures.process"}
_PROCESS_CALLS = {
    "kill", "killpg", "fork", "forkpty", "posix_spawn", "posix_spawnp", "spawnl", "spawnle", "spawnlp", "spawnlpe",
    "spawnv", "spawnve", "spawnvp", "spawnvpe", "execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp",
    "execvpe", "system", "popen", "pidfd_open", "waitpid", "wait", "wait3", "wait4", "waitid", "setsid", "setpgid",
    "tcsetpgrp",
}
_PROCESS_GATEWAY = Path(whygpu.__file__).resolve().parent / "gateways" / "process.py"


def _process_uses(path: Path) -> list[str]:
    """Each import of a process module and each ``os`` process call in one source file, as ``line: what``."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if a.name.split(".")[0] in _PROCESS_MODULES or a.name in _PROCESS_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in _PROCESS_MODULES or node.module in _PROCESS_MODULES:
                found.append(f"{node.lineno}: from {node.module} import ...")
            elif node.module == "os":
                found += [f"{node.lineno}: from os import {a.name}" for a in node.names if a.name in _PROCESS_CALLS]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os" and node.attr in _PROCESS_CALLS:
            found.append(f"{node.lineno}: os.{node.attr}")
    return found


def test_only_the_process_gateway_starts_signals_or_kills_processes() -> None:
    """os.kill, os.killpg, pidfd waits and subprocess live in gateways/process.py alone (docs/design.md)."""
    package = _PROCESS_GATEWAY.parents[1]
    outside = {
        str(path.relative_to(package)): uses
        for path in sorted(package.rglob("*.py"))
        if path != _PROCESS_GATEWAY and (uses := _process_uses(path))
    }
    assert outside == {}, "move these behind whygpu.gateways.process"
    assert _process_uses(_PROCESS_GATEWAY), "the scan must see the gateway's own uses"


def test_the_process_scan_catches_a_new_kill(tmp_path: Path) -> None:
    source = tmp_path / "forwarder.py"
    source.write_text("import os\nfrom os import killpg\nimport subprocess as sp\n\ndef stop(pid: int) -> None:\n    os.kill(pid, 15)\n")
    assert _process_uses(source) == ["2: from os import killpg", "3: import subprocess", "6: os.kill"]
