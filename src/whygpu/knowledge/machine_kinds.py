"""The kind of machine a run happened on, from its context (accci, session 33; data: knowledge/machine_kinds.toml).

A hosted CI runner, a container image build step and a build sandbox each say something about the GPU that no GPU
message says: a hosted runner has no GPU unless a GPU runner is shown, a `docker build` step gets none, a build sandbox
hides the GPU's device files. One table holds the kinds (cause, fix, the one check that decides, a source each), the signs
a log line carries of each, the environment variables a CI system sets in its jobs and the signs that a machine of the
family does have a GPU. The doctor reads the kind from the environment (``kind_from_environment``, the collector's
snapshot fact ``platform.machine_kind``); explain from the log's lines (``kind_markers``, the fact ``machine_kind``), and
both ask ``machine_without_gpu`` what the kind means for a GPU-unavailable message. Loaded on first use only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from whygpu import lazyre as re
from whygpu.knowledge import load
from whygpu.records import record


def table_rows(table: str) -> list[dict[str, Any]]:
    """The rows of one table of knowledge/machine_kinds.toml (not knowledge._util's: the doctor's collector reads the
    [[env]] rows on every run, and a plain diagnosis imports nothing it does not use)."""
    rows = load("machine_kinds").get(table, [])
    return rows if isinstance(rows, list) else []


@record(frozen=True)
class MachineKind:
    """One kind of machine: its id, words, family (ci, image_build, sandbox), whether it has a GPU by default ("none",
    "hidden", "unknown"), the cause a GPU-unavailable message there means, the fix, the check that decides, the source."""

    id: str
    name: str
    family: str
    gpu: str
    cause: str
    fix: str
    check: str
    source: str


@record(frozen=True)
class Marker:
    """A sign in a log line: the kind it shows, the substring that must be in the lower-cased line, the pattern, and
    whether it is the writer's words (asserted, not asked: the reader checks)."""

    kind: str
    needle: str
    pattern: re.Pattern[str]
    words: bool
    raw: bool
    fails: bool
    output: bool


@lru_cache(maxsize=1)
def _kinds() -> dict[str, MachineKind]:
    return {str(r["id"]): MachineKind(id=str(r["id"]), name=str(r["name"]), family=str(r["family"]), gpu=str(r["gpu"]),
                                      cause=str(r["cause"]), fix=str(r["fix"]), check=str(r["check"]), source=str(r["source"]))
            for r in table_rows("kind")}


def machine_kind(kind: str) -> MachineKind | None:
    """The row of a kind id ("github_hosted", "docker_build", "bazel_sandbox"), or None."""
    return _kinds().get(kind)


@lru_cache(maxsize=1)
def markers() -> tuple[Marker, ...]:
    """Every log-line sign of a kind, in the table's order."""
    return tuple(Marker(kind=str(r["kind"]), needle=str(r["needle"]), pattern=re.compile(str(r["pattern"]), re.I),
                        words=bool(r.get("words", False)), raw=bool(r.get("raw", False)),
                        fails=bool(r.get("fails", False)), output=bool(r.get("output", False)))
                 for r in table_rows("marker"))


@lru_cache(maxsize=1)
def needles() -> tuple[str, ...]:
    """The substrings (lower case) of which a line must hold one for any marker to be tried: the reader's cheap gate."""
    return tuple(dict.fromkeys([*(m.needle for m in markers() if not m.raw), *(needle for _family, needle, _p in _gpu_shown())]))


def kind_markers(text: str, low: str | None = None) -> list[tuple[Marker, re.Match[str]]]:
    """The signs of a machine kind in one line, each with its match (a line may show two: a GitHub job's BuildKit step)."""
    low = text.lower() if low is None else low
    out = []
    for marker in markers():
        if not marker.raw and marker.needle in low and (m := marker.pattern.search(text)) is not None:
            out.append((marker, m))
    return out


def raw_kind_markers(head: str) -> list[tuple[Marker, re.Match[str]]]:
    """The signs read over a log's head as pasted (a CI runner's time stamps, which explain's normaliser takes off each
    line), each found once (multi-line patterns), with its match."""
    out = []
    for marker in markers():
        if marker.raw and (m := re.compile(marker.pattern.pattern, re.I | re.M).search(head)) is not None:
            out.append((marker, m))
    return out


@lru_cache(maxsize=1)
def _gpu_shown() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    return tuple((str(r["family"]), str(r["needle"]), re.compile(str(r["pattern"]), re.I))
                 for r in table_rows("gpu_shown"))


def gpu_shown_sign(text: str, low: str | None = None) -> tuple[str, str] | None:
    """(family, the words) where a line shows a machine of a family with a GPU after all (a GPU runner label, a
    self-hosted runner, the daemon's default runtime nvidia, the GPU mounted into a sandbox), or None."""
    low = text.lower() if low is None else low
    for family, needle, pattern in _gpu_shown():
        if needle in low and (m := pattern.search(text)) is not None:
            return family, m.group(0)
    return None


def machine_without_gpu(kinds: Iterable[str], gpu_families: Iterable[str]) -> tuple[MachineKind, bool] | None:
    """The one decision: of the kinds a run is shown on, the one whose context explains a GPU-unavailable message, and
    whether it decides (True: the kind has no GPU, or hides it, by default; False: the kind only makes it possible, a CI
    system whose runner is not shown), or None where no kind is shown or a GPU is shown on a machine of its family.

    An image build step outranks the CI system it runs on (the step gets no GPU whatever the runner has), a sandbox
    likewise; a decided kind outranks an undecided one.
    """
    shown = [k for k in (machine_kind(kind) for kind in dict.fromkeys(kinds)) if k is not None]
    with_gpu = set(gpu_families)
    order = {"image_build": 0, "sandbox": 1, "ci": 2}
    candidates = sorted((k for k in shown if k.family not in with_gpu),
                        key=lambda k: (order.get(k.family, 3), k.gpu == "unknown"))
    if not candidates:
        return None
    best = candidates[0]
    if best.family == "ci" and any(k.family == "ci" and k.gpu == "none" for k in candidates):
        best = next(k for k in candidates if k.family == "ci" and k.gpu == "none")
    return best, best.gpu in ("none", "hidden")


def kind_from_environment(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """(kind id, evidence) of the CI system whose job this process runs in, from the variables it sets in every job
    (knowledge/machine_kinds.toml [[env]], first match in the table's order: a hosted runner's row before its system's),
    or None outside CI."""
    for row in table_rows("env"):
        name = str(row["name"])
        value = environ.get(name)
        if not value:
            continue
        needs = row.get("needs")
        if needs and not environ.get(str(needs)):
            continue
        if "value" in row and value.strip().lower() != str(row["value"]).lower():
            continue
        if "value_contains" in row and str(row["value_contains"]).lower() not in value.lower():
            continue
        return str(row["kind"]), f"{name}={value}"
    return None


def hosted_runner_advice(kind: str) -> tuple[str, str] | None:
    """(title, fix) for the doctor where the machine is a kind without a GPU by default (a hosted runner), or None."""
    row = machine_kind(kind)
    if row is None or row.gpu != "none":
        return None
    return f"This is {row.name}: it has no GPU", row.fix


def describe(kind: str) -> dict[str, Any]:
    """The row as a plain mapping (for a report's details)."""
    row = machine_kind(kind)
    return {} if row is None else {"id": row.id, "name": row.name, "gpu": row.gpu, "cause": row.cause, "source": row.source}
