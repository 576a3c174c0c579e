"""Where a program's loader searches for a library where that differs from what the user sets (knowledge/loader_search.toml).

acclibpath (session 35): Python's importer on Windows from 3.8 resolves an extension module's DLL dependencies without PATH,
and some packages bring and register their own DLL folder. ``knowledge.libraries.library_failure_cause`` decides with these.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import parse_version, table_rows
from whygpu.records import record

__all__ = [
    "ByNameReading",
    "DllSearch",
    "OwnDlls",
    "PythonDistribution",
    "UnshippedDllReading",
    "WindowsLoadReading",
    "by_name_search_cause",
    "cuda_dll_name",
    "own_dlls_package",
    "python_distributions",
    "python_dll_search",
    "searched_by_loader",
    "unshipped_dll_cause",
    "wheel_lacks_cause",
    "windows_error",
    "windows_load_cause",
]


@record(frozen=True)
class DllSearch:
    """A Python release line on Windows that does not use PATH for an extension module's DLLs."""

    python_from: str
    searched: str
    fix: str
    source: str


@record(frozen=True)
class OwnDlls:
    """A package that brings and registers its own DLL folder."""

    package: str
    why: str
    source: str


@lru_cache(maxsize=1)
def _dll_rows() -> tuple[DllSearch, ...]:
    return tuple(DllSearch(r["python_from"], r["searched"], r["fix"], r["source"]) for r in table_rows("loader_search", "python_dll_search"))


@lru_cache(maxsize=1)
def _own_rows() -> tuple[tuple[OwnDlls, re.Pattern[str]], ...]:
    return tuple((OwnDlls(r["package"], r["why"], r["source"]), re.compile(r["module"])) for r in table_rows("loader_search", "own_dlls"))


def python_dll_search(python: str) -> DllSearch | None:
    """The row of a Python version (``"3.8"``, ``"3.10.4"``) whose importer on Windows does not search PATH for an extension
    module's DLLs, or None (an older or unreadable version)."""
    shown = parse_version(python)
    if shown is None:
        return None
    for row in _dll_rows():
        first = parse_version(row.python_from)
        if first is not None and shown.release[:2] >= first.release[:2]:
            return row
    return None


def own_dlls_package(module: str, packages_named: frozenset[str] = frozenset()) -> OwnDlls | None:
    """The package that registers its own DLL folder whose extension ``module`` is ("_C" of torch, TensorFlow's pywrap), or
    None. A bare "_C" is torch's only where the log names torch (``packages_named``)."""
    for row, pattern in _own_rows():
        if pattern.match(module) and (module.startswith(row.package) or "." in module or row.package in packages_named
                                      or not module.startswith("_C")):
            return row
    return None


@lru_cache(maxsize=1)
def _default_dirs() -> frozenset[str]:
    return frozenset(r["dir"] for r in table_rows("loader_search", "default_dir"))


# An `ldconfig -p` row: the loader's cache lists the file ("libcudnn.so.8 (libc6,x86-64) => /usr/lib/.../libcudnn.so.8").
_CACHE_ROW = re.compile(r"\(libc6[^)]*\)\s*=>")


def searched_by_loader(path: str, line: str = "") -> bool:
    """Whether a library file shown at ``path`` lies where the Linux loader searches without being told: a default directory
    (knowledge/loader_search.toml [[default_dir]]), or a file the loader's cache lists (``line`` an ``ldconfig -p`` row).
    A file there that fails to load is not off the loader's path."""
    if _CACHE_ROW.search(line):
        return True
    folder = path.replace("\\", "/").rsplit("/", 1)[0].rstrip("/")
    return folder in _default_dirs()


@record(frozen=True)
class WindowsError:
    """A system error code of Windows' loader (knowledge/loader_search.toml [[windows_error]])."""

    code: int
    name: str
    meaning: str
    own_cause: str
    cuda_cause: str
    any_cause: str
    fix: str
    decide: str
    source: str


@record(frozen=True)
class WindowsLoadReading:
    """What a DLL that Windows' loader refused means: the cause, where the DLL lies (``owner``: the framework whose own folder
    or own name it is, "" for none), whether it is a CUDA DLL (``cuda``), and the error row with its fix and check."""

    cause: str
    owner: str
    cuda: bool
    error: WindowsError


@lru_cache(maxsize=1)
def _windows_errors() -> dict[int, WindowsError]:
    return {int(r["code"]): WindowsError(int(r["code"]), r["name"], r["meaning"], r["own_cause"], r["cuda_cause"], r["any_cause"],
                                         r["fix"], r["decide"], r["source"]) for r in table_rows("loader_search", "windows_error")}


@lru_cache(maxsize=1)
def _framework_folders() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str], re.Pattern[str]], ...]:
    return tuple((r["package"], re.compile(r["folder"], re.I), re.compile(r["own_names"], re.I), re.compile(r["cuda_names"]))
                 for r in table_rows("loader_search", "framework_dll_folder"))


def windows_error(code: int) -> WindowsError | None:
    """The row of a Windows system error code the loader raised, or None for a code the table does not hold."""
    return _windows_errors().get(code)


def windows_load_cause(code: int, dll_path: str) -> WindowsLoadReading | None:
    """accwinload (session 38): the one decision of what Windows' loader refusing ``dll_path`` with system error ``code`` means.

    A code that names its cause whatever the DLL (1455, the commit limit: memory to map the DLLs) decides alone. Otherwise the
    DLL must be a framework's own (in the folder its wheel keeps and registers, torch\\lib, or a name only it ships): its own
    non-CUDA DLL refused is its install (a DLL it imports missing, another release of one found first, a damaged or foreign
    file, a runtime too old to initialise it); a CUDA DLL of its folder refused with 126 is not decided (the file or one of its
    dependencies missing, which the library readings rank), with 127/193/1114 it is there and broken. A DLL outside any
    framework's folder is not decided: None, the line stays ranked by the readings it already has.
    """
    error = windows_error(code)
    if error is None:
        return None
    file = re.split(r"[\\/]", dll_path.strip())[-1]
    owner, cuda = "", False
    for package, folder, own, cuda_names in _framework_folders():
        if folder.search(dll_path) or own.match(file):
            owner, cuda = package, bool(cuda_names.match(file))
            break
    if error.any_cause and file.lower().endswith(".dll"):
        return WindowsLoadReading(error.any_cause, owner, cuda, error)
    if not owner:
        return None
    cause = error.cuda_cause if cuda else error.own_cause
    return WindowsLoadReading(cause, owner, cuda, error) if cause else None


@record(frozen=True)
class UnshippedDllReading:
    """accwin39 (session 39): a framework whose Windows wheel carries no CUDA DLL failed to load one by name: the cause, the
    framework, where those DLLs must come from, and the row's source."""

    cause: str
    package: str
    dll: str
    cuda_from: str
    source: str


@lru_cache(maxsize=1)
def _unshipped_rows() -> tuple[tuple[str, str, frozenset[str], str], ...]:
    return tuple((r["package"], r["cuda_from"], frozenset(r.get("load_signatures", ())), r["source"])
                 for r in table_rows("loader_search", "framework_dll_folder") if not r.get("ships_cuda", True))


_CUDNN_DLL = re.compile(r"(?i)^cudnn")
_CUDA_DLL = re.compile(r"(?i)^(?:cudart|cublas|cufft|curand|cusolver|cusparse|nvrtc|nvjitlink|cupti|nccl)")


def cuda_dll_name(name: str) -> bool:
    """Whether a DLL's file name is a CUDA or cuDNN library's (cudart64_110.dll, cublasLt64_12.dll, cudnn64_8.dll)."""
    return bool(_CUDNN_DLL.match(name) or _CUDA_DLL.match(name))


def unshipped_dll_cause(signature: str, dlls: tuple[str, ...], *, installed_shown: bool) -> UnshippedDllReading | None:
    """accwin39 (session 39): the one decision of what a framework's own loader failing to load a CUDA/cuDNN DLL by name means,
    where the framework's Windows wheel carries none ([[framework_dll_folder]] ``ships_cuda = false``; the line is one of its
    ``load_signatures``). The DLL of the release the build wants must come from NVIDIA's installers; with no CUDA toolkit or
    cuDNN release shown installed and no copy of the file shown anywhere, the likeliest reading is that it was never installed:
    CUDNN_MISSING for a cuDNN DLL, CUDA_LIBS_MISSING for another CUDA one. An installed release or a copy shown (``installed_shown``)
    decides nothing here (a release of another major is a mismatch, a copy off the search path is the path): None."""
    if installed_shown or not dlls:
        return None
    for package, cuda_from, signatures, source in _unshipped_rows():
        if signature not in signatures:
            continue
        if any(_CUDNN_DLL.match(d) for d in dlls):
            return UnshippedDllReading("CUDNN_MISSING", package, next(d for d in dlls if _CUDNN_DLL.match(d)), cuda_from, source)
        if any(_CUDA_DLL.match(d) for d in dlls):
            return UnshippedDllReading("CUDA_LIBS_MISSING", package, next(d for d in dlls if _CUDA_DLL.match(d)), cuda_from, source)
    return None


@record(frozen=True)
class PythonDistribution:
    """accwin39 (session 39): a Python distribution on Windows and how its process searches for a DLL loaded by name."""

    id: str
    path: re.Pattern[str]
    words: re.Pattern[str]
    searches_path: bool
    meaning: str
    fix: str
    source: str
    source_python: str


@lru_cache(maxsize=1)
def python_distributions() -> tuple[PythonDistribution, ...]:
    """The rows of knowledge/loader_search.toml [[python_distribution]]."""
    return tuple(PythonDistribution(r["id"], re.compile(r["path"]), re.compile(r["words"]), bool(r["searches_path"]), r["meaning"],
                                    r["fix"], r["source"], r["source_python"]) for r in table_rows("loader_search", "python_distribution"))


@record(frozen=True)
class ByNameReading:
    """What a CUDA DLL loaded by name and not found means under a Python distribution: the cause, the distribution's row, the
    installed release that ships the DLL."""

    cause: str
    distribution: PythonDistribution
    release: str


def by_name_search_cause(distribution: str, dll: str, installed: tuple[str, ...]) -> ByNameReading | None:
    """accwin39 (session 39): the one decision of a CUDA DLL a framework loaded by name and Windows did not find, in a process of
    ``distribution`` (a [[python_distribution]] id). Where that process does not search PATH's folders (the Microsoft Store's
    Python, a packaged app) and a CUDA release shown installed ships the DLL (knowledge.cuda.cuda_ships_library), the file is
    there and off the search: CUDA_LIBS_NOT_ON_PATH. None for a distribution that searches PATH, or where no release shown
    ships the DLL (never installed, or another release: the library readings rank those)."""
    from whygpu.knowledge.cuda import cuda_ships_library

    row = next((d for d in python_distributions() if d.id == distribution), None)
    if row is None or row.searches_path:
        return None
    serving = next((r for r in installed if cuda_ships_library(r, dll) is True), None)
    return ByNameReading("CUDA_LIBS_NOT_ON_PATH", row, serving) if serving is not None else None


def wheel_lacks_cause(dlls: tuple[str, ...]) -> tuple[str, str] | None:
    """accwin39 (session 39): the one decision of DLLs a wheel is said (by its writer or a maintainer) to lack: the library the
    wheel was to bring is not on the machine, whatever folder is searched: CUDNN_MISSING for a cuDNN DLL, CUDA_LIBS_MISSING for
    another CUDA DLL, with the first such DLL; None for DLLs that are none of CUDA's (a runtime's, the framework's own)."""
    cudnn = next((d for d in dlls if _CUDNN_DLL.match(d)), None)
    if cudnn is not None:
        return "CUDNN_MISSING", cudnn
    cuda = next((d for d in dlls if _CUDA_DLL.match(d)), None)
    return ("CUDA_LIBS_MISSING", cuda) if cuda is not None else None
