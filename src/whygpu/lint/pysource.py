"""Reading Python source the way the interpreter and IPython do: one parse per file, the user's own
SyntaxWarnings kept off the terminal, syntax newer than this interpreter named as such, and notebook
cells turned into line-preserving Python (IPython's own transformer decides when ours cannot)."""

from __future__ import annotations

import ast
import re
import sys
import textwrap
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

_FLAGS = ast.PyCF_ONLY_AST
NOTEBOOK_FLAGS = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT


@dataclass(frozen=True)
class Unparsed:
    """Source that did not parse: the 1-based line and column, and the reason as the reader words it."""

    line: int
    column: int
    reason: str


def parse_source(text: str, filename: str, *, flags: int = _FLAGS) -> ast.Module | Unparsed:
    """The syntax tree of ``text`` (parsed once, never compiled to bytecode), or where and why it failed.

    Warnings the user's own code raises in the parser (``SyntaxWarning: invalid escape sequence``) are
    the user's business, not lint's: they never reach the terminal.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = compile(text, filename, "exec", flags, dont_inherit=True)
    except SyntaxError as exc:
        line, column = max(exc.lineno or 1, 1), max(exc.offset or 1, 1)
        lines = text.splitlines()
        source_line = lines[line - 1] if 1 <= line <= len(lines) else (exc.text or "")
        needs = newer_syntax(source_line, exc.msg or "")
        if needs is not None:
            return Unparsed(line, column, f"needs Python {needs} (whygpu runs on {_running()}): {exc.msg}")
        return Unparsed(line, column, f"{type(exc).__name__}: {exc.msg}")
    except (ValueError, RecursionError, MemoryError, OverflowError) as exc:
        return Unparsed(1, 1, f"cannot parse: {type(exc).__name__}: {exc}")
    assert isinstance(tree, ast.Module)
    return tree


def _running() -> str:
    return f"Python {sys.version_info[0]}.{sys.version_info[1]}"


# Syntax that a newer Python accepts and an older one rejects, by the release that added it.
# https://docs.python.org/3/whatsnew/3.12.html (PEP 695 type parameters and ``type``, PEP 701 f-strings)
# https://docs.python.org/3/whatsnew/3.14.html (PEP 758 except without brackets, PEP 750 t-strings)
_NEWER_SYNTAX: tuple[tuple[tuple[int, int], re.Pattern[str]], ...] = (
    ((3, 12), re.compile(r"^\s*type\s+[A-Za-z_]\w*\s*(\[.*\])?\s*=")),
    ((3, 12), re.compile(r"^\s*(async\s+)?def\s+[A-Za-z_]\w*\s*\[")),
    ((3, 12), re.compile(r"^\s*class\s+[A-Za-z_]\w*\s*\[")),
    ((3, 14), re.compile(r"^\s*except\*?\s+[^:(\[]+,[^:]*:")),
    ((3, 14), re.compile(r"(^|[^\w])[tT][rR]?['\"]|(^|[^\w])[rR][tT]['\"]")),
)


def newer_syntax(line: str, message: str) -> str | None:
    """``"3.12"`` when the line that failed uses syntax of a Python newer than the running one, else None."""
    candidates: list[tuple[int, int]] = [version for version, pattern in _NEWER_SYNTAX if pattern.search(line)]
    # PEP 701: quotes reused inside an f-string, backslashes and comments in its expressions.
    if message.startswith("f-string") or (re.search(r"[fF][rR]?['\"]", line) and "f-string" in message):
        candidates.append((3, 12))
    newer = [version for version in candidates if sys.version_info[:2] < version]
    if not newer:
        return None
    major, minor = min(newer)
    return f"{major}.{minor}"


# ------------------------------------------------------------------------------------------
# Notebook cells
# ------------------------------------------------------------------------------------------

# Cell magics whose body is Python run by IPython (the rest hold shell, HTML, a file to write...).
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "python", "python3", "pypy", "memit", "ipython"})
SHELL_CELL_MAGICS = frozenset({"bash", "sh", "script", "system"})
_CELL_MAGIC = re.compile(r"^\s*%%\s*([A-Za-z_][\w.]*)\s*(.*)$")
_ASSIGN_ESCAPE = re.compile(r"^(\s*)([A-Za-z_][\w.]*(\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*[!%]")
# Words that IPython runs as line magics without a ``%`` (automagic) or that notebooks use as shell commands.
AUTOMAGICS = frozenset(
    {"pip", "conda", "mamba", "cd", "ls", "pwd", "env", "set_env", "load_ext", "reload_ext", "matplotlib", "timeit",
     "time", "run", "cat", "mkdir", "rm", "cp", "mv", "less", "more", "man", "clear", "history", "who", "whos",
     "autoreload", "config", "store", "alias", "unalias", "rehashx", "pushd", "popd", "dirs", "bookmark", "load",
     "writefile", "pinfo", "pinfo2", "psearch", "reset", "xmode", "precision", "tensorflow_version", "sx", "sc"}
)


@dataclass
class Cell:
    """A notebook code cell read as IPython reads it: Python lines (one per source line), and its escapes."""

    python: list[str]
    # Shell and magic command lines (logical lines, continuations joined) with the 1-based line each starts on.
    commands: list[tuple[int, str]] = field(default_factory=list)
    # The cell magic (``bash`` for ``%%bash``) when the whole cell is one, else None.
    cell_magic: str | None = None
    dedent: int = 0


def _comment_start(line: str) -> int | None:
    """Where a ``#`` comment starts on a line, outside string quotes (approximate: no multi-line strings)."""
    quote: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        if quote is not None:
            if char == "\\":
                index += 2
                continue
            if line.startswith(quote, index):
                index += len(quote)
                quote = None
                continue
        elif char == "#":
            return index
        elif char in "'\"":
            quote = line[index : index + 3] if line[index : index + 3] in ("'''", '"""') else char
            index += len(quote)
            continue
        index += 1
    return None


def _is_help(line: str) -> bool:
    """``obj?``, ``obj??``, ``?obj``: IPython's help, not a ``?`` inside a comment or a string."""
    stripped = line.strip()
    if stripped.startswith("?"):
        return True
    if not stripped.endswith("?"):
        return False
    comment = _comment_start(line)
    code = line[:comment] if comment is not None else line
    return code.rstrip().endswith("?")


def _placeholder(line: str) -> str:
    indent = line[: len(line) - len(line.lstrip())]
    return f"{indent}pass"


def read_cell(text: str) -> Cell:
    """The cell as line-for-line Python: magics, shell escapes and help become ``pass`` at their indentation
    (so a magic that is the only body of an ``if`` stays valid), continuation lines become blank."""
    lines = text.split("\n")
    cell = Cell(python=[""] * len(lines))
    start = 0
    while True:  # cell magics, ``%%capture`` over ``%%time`` over Python (never recursion: cells are untrusted)
        # Colab puts form comments (``#@title``) and blank lines above a cell magic.
        first = next((i for i in range(start, len(lines)) if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
        magic = _CELL_MAGIC.match(lines[first]) if first is not None else None
        if magic is None or first is None:
            break
        name = magic.group(1)
        cell.cell_magic = cell.cell_magic or name
        if name in SHELL_CELL_MAGICS:
            cell.commands.extend(_logical_lines(lines[first + 1 :], first + 2))
        if name not in PYTHON_CELL_MAGICS:
            return cell
        start = first + 1
    body = _read_python(lines[start:])
    cell.python[start:] = body.python
    cell.commands.extend((number + start, command) for number, command in body.commands)
    cell.dedent = body.dedent
    return cell


def _read_python(lines: list[str]) -> Cell:
    """Python lines of a cell (no cell magic) with IPython's line escapes turned into placeholders."""
    cell = Cell(python=[""] * len(lines))
    text = "\n".join(lines)
    # IPython's leading_indent: a cell whose first line is indented is dedented as a whole.
    if lines and lines[0][:1] in (" ", "\t"):
        dedented = textwrap.dedent(text).split("\n")
        if len(dedented) == len(lines):
            cell.dedent = len(lines[0]) - len(lines[0].lstrip())
            lines = dedented
    continued = False
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if continued:
            continued = line.rstrip().endswith("\\")
            cell.commands[-1] = (cell.commands[-1][0], cell.commands[-1][1].rstrip()[:-1] + " " + stripped) if cell.commands else (index + 1, stripped)
            continue
        if stripped.startswith(("!", "%")) and not stripped.startswith("%%"):
            cell.python[index] = _placeholder(line)
            cell.commands.append((index + 1, stripped))
            continued = line.rstrip().endswith("\\")
            continue
        assign = _ASSIGN_ESCAPE.match(line)
        if assign:
            cell.python[index] = f"{assign.group(1)}{assign.group(2)} = None"
            command = line[assign.end() - 1 :]
            cell.commands.append((index + 1, command.strip()))
            continued = line.rstrip().endswith("\\")
            continue
        if _is_help(line):
            cell.python[index] = _placeholder(line)
            continue
        cell.python[index] = line
    return cell


def _logical_lines(lines: list[str], start: int) -> list[tuple[int, str]]:
    """Shell lines with backslash continuations joined, each with the 1-based line it starts on."""
    out: list[tuple[int, str]] = []
    buffer: list[str] = []
    begin = start
    for offset, line in enumerate(lines):
        if not buffer:
            begin = start + offset
        if line.rstrip().endswith("\\"):
            buffer.append(line.rstrip()[:-1])
            continue
        buffer.append(line)
        joined = " ".join(part.strip() for part in buffer).strip()
        if joined:
            out.append((begin, joined))
        buffer = []
    if buffer:
        out.append((begin, " ".join(part.strip() for part in buffer).strip()))
    return out


def relax_automagic(cell: Cell, line: int) -> bool:
    """Turn the failing line into a magic when it reads like an automagic (``pip install x``, ``ls``, ``cd dir``).

    IPython runs these in one-line cells; whygpu accepts them anywhere rather than call a cell broken.
    """
    if not 1 <= line <= len(cell.python):
        return False
    text = cell.python[line - 1]
    words = text.split()
    if not words or words[0] not in AUTOMAGICS:
        return False
    cell.python[line - 1] = _placeholder(text)
    command = " ".join(words)
    cell.commands.append((line, command if words[0] in ("pip", "conda", "mamba") else "%" + command))
    return True


@lru_cache(maxsize=1)
def _ipython_transformer() -> Any:
    """IPython's own input transformer (``TransformerManager``) when IPython is installed, else None."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except Exception:  # not installed, or broken: the fallback reader decides alone
        return None
    return TransformerManager()  # type: ignore[no-untyped-call]


def ipython_available() -> bool:
    """True when IPython's input transformer can be used."""
    return _ipython_transformer() is not None


def ipython_accepts(text: str) -> bool | None:
    """True when IPython turns the cell into valid Python, False when it does not, None without IPython."""
    accepted, _tree = ipython_parse(text)
    return accepted


def ipython_parse(text: str) -> tuple[bool | None, ast.Module | None]:
    """Whether IPython turns the cell into valid Python (None without IPython), and the tree of that Python
    when it kept the cell's lines (so that places found in it are the cell's own)."""
    manager = _ipython_transformer()
    if manager is None:
        return None, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            transformed = manager.transform_cell(text)
            tree = compile(transformed, "<cell>", "exec", NOTEBOOK_FLAGS, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False, None
    except Exception:  # a transformer bug must not be taken for a broken cell
        return None, None
    same_lines = transformed.rstrip("\n").count("\n") == text.rstrip("\n").count("\n")
    return True, tree if same_lines and isinstance(tree, ast.Module) else None
