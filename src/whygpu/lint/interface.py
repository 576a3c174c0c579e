"""The seam between the lint engine and each file linter: a source file in, a parsed file model out."""

from __future__ import annotations

import abc
import codecs
import enum
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import ClassVar

from whygpu.model import Location as FindingLocation


class FileKind(str, enum.Enum):
    """The kinds of file ``whygpu lint`` reads."""

    DOCKERFILE = "dockerfile"
    CONDA = "conda"
    REQUIREMENTS = "requirements"
    PYPROJECT = "pyproject"
    SETUP = "setup"
    AZUREML = "azureml"
    AZURE_CLI = "azure_cli"  # scripts and READMEs with ``az ml compute create`` lines
    PYTHON = "python"
    NOTEBOOK = "notebook"
    GPU_REQUEST = "gpu_request"  # compose, Kubernetes, CI and scripts that ask for a GPU (facts of GPU intent)


@dataclass(frozen=True)
class Location:
    """Where something was read: a file shown relative to where lint ran, a 1-based line and column, and the line's text."""

    file: str
    line: int = 1
    column: int = 1
    text: str = ""
    # Notebooks: the code cell (1-based) and the line inside it, for a reader who opens the notebook.
    cell: int | None = None
    cell_line: int | None = None

    def evidence(self) -> str:
        """``path:line: text``, the evidence line every lint finding carries."""
        if self.cell is not None:
            where = f"{self.file}:cell {self.cell}:{self.cell_line}"
        else:
            where = f"{self.file}:{self.line}"
        text = " ".join(self.text.split())
        if len(text) > 160:
            text = text[:157] + "..."
        return f"{where}: {text}" if text else where

    def finding_location(self) -> FindingLocation:
        """The place a finding at this location points at (SARIF, editors, suppressions)."""
        return FindingLocation(self.file, self.line, self.column, self.cell, self.cell_line)


@dataclass(frozen=True)
class ParseProblem:
    """A file that could not be read or parsed, with the place the parser stopped."""

    location: Location
    message: str


# Byte-order marks, longest first (UTF-32 LE starts with UTF-16 LE's mark), as pip's auto_decode reads them.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes) -> str:
    """A file's text as the real tools read it: a byte-order mark picks the encoding (UTF-8, UTF-16 from
    PowerShell's ``pip freeze >``, UTF-32) and is dropped; otherwise UTF-8, undecodable bytes replaced."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    return data.decode("utf-8", errors="replace")


class Source:
    """One file found by the walk: its path on disk, the path shown to the user, and its text read once."""

    def __init__(self, path: Path, display: str, *, text: str | None = None) -> None:
        self.path = path
        self.display = display
        self._text = text
        # Parsed forms shared between file linters (a YAML file is parsed once, then told apart).
        self.cache: dict[str, object] = {}

    @property
    def name(self) -> str:
        """The file's name."""
        return self.path.name

    @cached_property
    def text(self) -> str:
        """The file's text; undecodable bytes are replaced so that parsing can report them by line."""
        if self._text is not None:
            return self._text.removeprefix("\ufeff")
        return decode_text(self.path.read_bytes())

    @cached_property
    def lines(self) -> list[str]:
        """The file's lines."""
        return self.text.splitlines()

    def location(self, line: int, column: int = 1) -> Location:
        """A location in this file, with the text of that line for evidence."""
        lines = self.lines
        text = lines[line - 1] if 1 <= line <= len(lines) else ""
        return Location(self.display, max(line, 1), max(column, 1), text.strip())


@dataclass
class ParsedFile:
    """What a file linter made of one file; subclasses add the kind-specific model."""

    source: Source = field(repr=False)
    problems: list[ParseProblem] = field(default_factory=list)

    @property
    def display(self) -> str:
        """The path shown to the user."""
        return self.source.display

    @property
    def directory(self) -> Path:
        """The directory the file is in (relative paths in it start here)."""
        return self.source.path.parent


class FileLinter(abc.ABC):
    """Reads one kind of file into its model; never judges it (the rules do)."""

    kind: ClassVar[FileKind]

    @abc.abstractmethod
    def wants(self, path: PurePosixPath) -> bool:
        """True when a file with this name may be of this kind (checked before the file is read)."""

    def accepts(self, source: Source) -> bool:
        """True when the content confirms the kind (YAML files are told apart by their keys)."""
        return True

    @abc.abstractmethod
    def parse(self, source: Source) -> ParsedFile:
        """The file's model; a syntax error becomes a ``ParseProblem``, never an exception."""
