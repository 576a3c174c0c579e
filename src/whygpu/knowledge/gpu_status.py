"""Status codes of the GPU stack (CUDA runtime and driver, cuDNN, cuBLAS, cuFFT, cuSOLVER, cuSPARSE, NCCL, NVML) and what each means for using the GPU."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

# The libraries whose codes a CUDA-worded line ("CUDA error: ...", "cuda runtime error (N)") names.
CUDA_LIBRARIES = ("runtime", "driver")


@record(frozen=True)
class GpuStatus:
    """One status code of one library: its number, name, printed text and what it means for using the GPU."""

    library: str
    number: int
    name: str
    # The library's own text for the code ("" where it prints none).
    description: str
    # A causes.md code, or None for a code that says nothing about whether the GPU can be used.
    cause: str | None
    also: tuple[str, ...]
    # The description alone, after a CUDA prefix, names the code (distinctive of GPU availability).
    by_text: bool
    # The description is read anywhere on a line, with no library named.
    bare: bool
    why: str
    # An allocation of GPU memory failed: its cause holds at start-up, not in a job already running its own work.
    memory: bool
    source: str

    @property
    def label(self) -> str:
        """``NAME (text)``, or the name alone where the text is the name or there is none."""
        if not self.description or self.description == self.name:
            return self.name
        return f"{self.name} ({self.description})"


@record(frozen=True)
class StatusLibrary:
    """One library's table: its enum, the function that prints the texts, and where they come from."""

    library: str
    title: str
    enum: str
    printer: str
    source: str
    # Numbers below this named other codes in older releases (the CUDA runtime before 10.1) ...
    renumbered_below: int
    # ... except these, which kept their meaning.
    kept_numbers: tuple[int, ...]


@lru_cache(maxsize=1)
def libraries() -> dict[str, StatusLibrary]:
    """Every library's table by its key (``runtime``, ``driver``, ``cudnn``, ``nvml`` ...)."""
    return {
        str(row["library"]): StatusLibrary(
            library=str(row["library"]),
            title=str(row["title"]),
            enum=str(row["enum"]),
            printer=str(row.get("printer", "")),
            source=str(row["source"]),
            renumbered_below=int(row.get("renumbered_below", 0)),
            kept_numbers=tuple(int(n) for n in row.get("kept_numbers", ())),
        )
        for row in table_rows("gpu_status", "library")
    }


@lru_cache(maxsize=1)
def statuses() -> tuple[GpuStatus, ...]:
    """Every status code of every library, in the data file's order."""
    tables = libraries()
    out = []
    for row in table_rows("gpu_status", "status"):
        cause = str(row["cause"])
        out.append(GpuStatus(
            library=str(row["library"]),
            number=int(row["number"]),
            name=str(row["name"]),
            description=str(row.get("description", "")),
            cause=None if cause == "none" else cause,
            also=tuple(str(a) for a in row.get("also", ())),
            by_text=bool(row.get("by_text", False)),
            bare=bool(row.get("bare", False)),
            why=str(row["why"]),
            memory=bool(row.get("memory", False)),
            source=str(row.get("source") or tables[str(row["library"])].source),
        ))
    return tuple(out)


@lru_cache(maxsize=1)
def _by_name() -> dict[str, GpuStatus]:
    out: dict[str, GpuStatus] = {}
    for status in statuses():
        out.setdefault(status.name.lower(), status)
    return out


def status_by_name(name: str) -> GpuStatus | None:
    """The status code spelled ``name`` (``cudaErrorNoDevice``, ``CUDA_ERROR_NO_DEVICE``, ``CUDNN_STATUS_ARCH_MISMATCH``...), any case; None when no library has it."""
    return _by_name().get(name.strip().lower())


def status_by_number(library: str, number: int, *, alone: bool = False) -> GpuStatus | None:
    """The code ``number`` of ``library``; None when it has none.

    ``alone``: the number is all a line gives (no name, no text). A number that an older release of
    the library used for another code (the CUDA runtime before 10.1, below 98) is then not read: it
    cannot tell which code it was.
    """
    table = libraries().get(library)
    if table is None:
        return None
    if alone and number < table.renumbered_below and number not in table.kept_numbers:
        return None
    return next((s for s in statuses() if s.library == library and s.number == number), None)


@lru_cache(maxsize=1)
def _texts() -> tuple[tuple[str, GpuStatus, str], ...]:
    """(text in lower case, status, how it is read) for every text that names a code: longest first."""
    out = [(s.description.lower(), s, "library") for s in statuses() if s.description]
    for row in table_rows("gpu_status", "printed"):
        status = status_by_name(str(row["name"]))
        if status is None:
            raise ValueError(f"gpu_status.toml: printed text for unknown code {row['name']}")
        out.append((str(row["text"]).lower(), status, "printed"))
    return tuple(sorted(out, key=lambda item: -len(item[0])))


def status_by_text(text: str, libraries_named: tuple[str, ...] = CUDA_LIBRARIES, *, distinctive: bool = True) -> GpuStatus | None:
    """The code of ``libraries_named`` whose printed text ``text`` holds (the longest such text), or None.

    ``distinctive``: only texts that name the code alone (``by_text`` rows, and the other programs'
    texts of [[printed]]); a library's shared generic words ("unknown error") are not read then.
    """
    lowered = text.lower()
    for words, status, how in _texts():
        if status.library not in libraries_named or words not in lowered:
            continue
        if distinctive and how == "library" and not status.by_text:
            continue
        return status
    return None


@lru_cache(maxsize=1)
def _qualifiers() -> tuple[tuple[str, str, str | None, tuple[str, ...]], ...]:
    return tuple(
        (str(row["name"]).lower(), str(row["words"]).lower(), None if row["cause"] == "none" else str(row["cause"]),
         tuple(str(a) for a in row.get("also", ())))
        for row in table_rows("gpu_status", "qualifier")
    )


def cause_in_line(status: GpuStatus, line: str) -> tuple[str | None, tuple[str, ...]]:
    """The cause and alternatives ``status`` means on ``line``: its own, unless words on the line change its reading ([[qualifier]] rows)."""
    lowered = line.lower()
    for name, words, cause, also in _qualifiers():
        if name == status.name.lower() and words in lowered:
            return cause, also
    return status.cause, status.also


def qualified_names() -> tuple[str, ...]:
    """The names of codes that mean nothing alone but whose [[qualifier]] rows give them a cause on some lines."""
    return tuple(sorted({name for name, _words, cause, _also in _qualifiers() if cause is not None}))


def bare_texts() -> tuple[str, ...]:
    """The texts read anywhere on a line (``bare`` rows and printed texts), in the data file's order."""
    printed = tuple(str(row["text"]) for row in table_rows("gpu_status", "printed") if row.get("bare", False))
    return tuple(s.description for s in statuses() if s.bare) + printed


def name_pattern() -> str:
    """A regular expression matching the spelling of any library's status name (success codes included)."""
    return (r"\b(?:CUDA_(?:SUCCESS|ERROR_[A-Z0-9_]+)|cuda(?:Success|Error[A-Z][A-Za-z0-9]+)|CUDNN_STATUS_[A-Z0-9_]+"
            r"|CUBLAS_STATUS_[A-Z_]+|CUSPARSE_STATUS_[A-Z_]+|CUSOLVER_STATUS_[A-Z_]+|CUFFT_[A-Z_]+"
            r"|NVML_(?:SUCCESS|ERROR_[A-Z_]+)|nccl(?:Success|UnhandledCudaError|SystemError|InternalError|InvalidArgument"
            r"|InvalidUsage|RemoteError|InProgress|Timeout))\b")


@lru_cache(maxsize=1)
def _name_regex() -> re.Pattern[str]:
    return re.compile(name_pattern())


def names_in(text: str) -> tuple[tuple[GpuStatus, int, int], ...]:
    """Every known status name in ``text`` with where it stands (start, end), in order."""
    found = []
    for m in _name_regex().finditer(text):
        status = status_by_name(m.group(0))
        if status is not None:
            found.append((status, m.start(), m.end()))
    return tuple(found)
