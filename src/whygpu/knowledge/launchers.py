"""How each container launcher or workload spec is asked for the GPU (``launchers.toml``): the flag or field a writer names when they tell how a container was started."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["EnvContextRow", "GpuRequestRow", "LaunchEnvReading", "LoaderVarRow", "env_context_cues", "env_context_named", "env_context_row", "gpu_request_named", "launch_env_cause", "loader_var_pattern", "loader_var_row", "plain_runtime_id", "plain_runtime_named", "plain_runtime_pattern", "request_row"]


@record(frozen=True)
class GpuRequestRow:
    """A launcher's GPU request: its id, the launcher, the pattern of its name, what a launch without it lacks, the fix, what it does, and the source."""

    id: str
    launcher: str
    named: str
    lacks: str
    fix: str
    means: str
    source: str


def _row(row: dict[str, object], named: str, launcher: str, means: str) -> GpuRequestRow:
    return GpuRequestRow(id=str(row["id"]), launcher=launcher, named=named, lacks=str(row["lacks"]), fix=str(row["fix"]), means=means,
                         source=str(row["source"]))


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[GpuRequestRow, re.Pattern[str]], ...]:
    out = []
    for row in table_rows("launchers", "request"):
        item = _row(row, str(row["named"]), str(row["launcher"]), str(row["means"]))
        out.append((item, re.compile(item.named, re.I)))
    return tuple(out)


@lru_cache(maxsize=1)
def _plain_rows() -> tuple[GpuRequestRow, ...]:
    return tuple(_row(row, str(row["name"]), "containerd", "a CRI runtime without the NVIDIA hook") for row in table_rows("launchers", "plain_runtime"))


@lru_cache(maxsize=1)
def _plain() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{row.named})" for row in _plain_rows()), re.I)


def gpu_request_named(words: str) -> tuple[GpuRequestRow, re.Match[str]] | None:
    """The first GPU request (a launcher's flag or a spec's field) ``words`` name, with where, or None."""
    found = [(row, m) for row, rx in _rows() if (m := rx.search(words)) is not None]
    return min(found, key=lambda pair: pair[1].start()) if found else None


def plain_runtime_named(words: str) -> re.Match[str] | None:
    """Where ``words`` name a container runtime that starts containers without the NVIDIA hook (runc), or None."""
    return _plain().search(words)


def plain_runtime_pattern() -> str:
    """The runtimes that start containers without the NVIDIA hook, as one alternation (for a reader's own frame around it)."""
    return _plain().pattern


def plain_runtime_id() -> str:
    """The id of the plain runtime's row."""
    return _plain_rows()[0].id


def request_row(row_id: str) -> GpuRequestRow | None:
    """The row of a GPU request (or of the plain runtime) by its id."""
    return next((row for row, _ in _rows() if row.id == row_id), None) or next((row for row in _plain_rows() if row.id == row_id), None)


@record(frozen=True)
class EnvContextRow:
    """A place a program is started from without the login shell's environment (``[[env_context]]``): its id, label, pattern, cue words, where its environment comes from, the fix and the source."""

    id: str
    label: str
    name: str
    cue: tuple[str, ...]
    gets: str
    fix: str
    source: str


@lru_cache(maxsize=1)
def _env_rows() -> tuple[tuple[EnvContextRow, re.Pattern[str]], ...]:
    out = []
    for row in table_rows("launchers", "env_context"):
        item = EnvContextRow(id=str(row["id"]), label=str(row["label"]), name=str(row["name"]), cue=tuple(str(c) for c in row["cue"]),
                             gets=str(row["gets"]), fix=str(row["fix"]), source=str(row["source"]))
        out.append((item, re.compile(item.name, re.I)))
    return tuple(out)


@lru_cache(maxsize=1)
def env_context_cues() -> tuple[str, ...]:
    """The lower-case words one of which a line must hold to name a place started without the login shell's environment."""
    return tuple(dict.fromkeys(c for row, _ in _env_rows() for c in row.cue))


def env_context_named(words: str) -> list[tuple[EnvContextRow, re.Match[str]]]:
    """Each place started without the login shell's environment (an IDE, a server's session, a service, sudo, a batch job) ``words`` name, in order."""
    low = words.lower()
    found = [(row, m) for row, rx in _env_rows() if any(c in low for c in row.cue) for m in rx.finditer(words)]
    return sorted(found, key=lambda pair: pair[1].start())


def env_context_row(row_id: str) -> EnvContextRow | None:
    """The row of a place started without the login shell's environment, by its id."""
    return next((row for row, _ in _env_rows() if row.id == row_id), None)


@record(frozen=True)
class LoaderVarRow:
    """A variable that tells the loader or a framework where CUDA's libraries are (``[[loader_var]]``): its name, platform, meaning and source."""

    name: str
    platform: str
    means: str
    source: str


@lru_cache(maxsize=1)
def _loader_vars() -> tuple[LoaderVarRow, ...]:
    return tuple(LoaderVarRow(name=str(r["name"]), platform=str(r["platform"]), means=str(r["means"]), source=str(r["source"]))
                 for r in table_rows("launchers", "loader_var"))


@lru_cache(maxsize=1)
def loader_var_pattern() -> re.Pattern[str]:
    """The loader variables of ``[[loader_var]]`` as a writer names them (case kept: PATH is a variable only in capitals)."""
    names = sorted((row.name for row in _loader_vars()), key=len, reverse=True)
    return re.compile(r"(?<![\w$%])\$?\{?%?(" + "|".join(map(re.escape, names)) + r")\b")


def loader_var_row(name: str) -> LoaderVarRow | None:
    """The ``[[loader_var]]`` row of a variable, by its name."""
    return next((row for row in _loader_vars() if row.name == name), None)


@record(frozen=True)
class LaunchEnvReading:
    """What two launchers of one machine, one loading CUDA's libraries and one not, decide: the cause, its basis
    (``contrast``: the writer's works-here-fails-there; ``var_dropped``: a launcher said not to pass a loader variable),
    the place's row (None where the log names no place of ``[[env_context]]``), the variable's row, and what decides."""

    cause: str
    basis: str
    place: EnvContextRow | None
    var: LoaderVarRow | None
    decides: str


def launch_env_cause(place: str | None, var: str | None, *, cuda_named: bool, other_interpreter: bool,
                     platform: str | None = None) -> LaunchEnvReading | None:
    """accshellenv (session 36): the one decision for "it loads CUDA in one launcher and not in another on the same machine".

    ``place`` is the ``[[env_context]]`` id of the launcher where it fails (the writer's contrast with a shell where it
    works: explain.works.launch_env_differs), ``var`` a loader variable the writer says a launcher does not pass on
    (explain.launchdiff), ``cuda_named`` whether the log names CUDA or one of its libraries, ``other_interpreter`` whether
    the failing side shows a module not found at all (another Python environment: the launcher runs another interpreter,
    not the same one with another search path), ``platform`` the platform the log shows.

    The same install loads (or imports) in one launcher, so the library is there in the version wanted; what differs is the
    environment the launcher passes: CUDA_LIBS_NOT_ON_PATH. Quiet without CUDA in the log (a launcher that drops a variable
    for another library is no GPU matter) and where the failing side is another interpreter (FRAMEWORK_CPU_BUILD or the
    wrong environment, for the readings of those to say)."""
    if other_interpreter or not cuda_named or (place is None and var is None):
        return None
    row = env_context_row(place) if place is not None else None
    var_row = loader_var_row(var) if var is not None else None
    shown = var_row.name if var_row is not None else {"macos": "DYLD_LIBRARY_PATH", "windows": "PATH"}.get(platform or "", "LD_LIBRARY_PATH")
    where = row.label if row is not None else "the launcher where it fails"
    decides = (f"run `import os, sys; print(sys.executable, os.environ.get('{shown}'))` in the shell where it works and in {where}: "
               "the same interpreter with a different value is this cause; a different interpreter is another environment")
    return LaunchEnvReading("CUDA_LIBS_NOT_ON_PATH", "contrast" if row is not None else "var_dropped", row, var_row, decides)
