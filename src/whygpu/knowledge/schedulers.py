"""Batch schedulers and shared clusters (``schedulers.toml``, session 36 accsched): each scheduler's GPU directives and what
they give a job, the nodes without a GPU (login, head, submit nodes), a node's own GPU state told for one node of a
cluster, a framework's mapping of a job's processes to GPUs (JAX under Slurm), and the signs of a run that found no GPU;
and the one decision of what a reading of them means beside the rest of the log (``decide``)."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["SchedJudgement", "SchedRow", "decide", "directive_named", "mapping_cues", "mapping_said", "no_gpu_signs", "node_state_said",
           "place_said", "sched_row"]


@record(frozen=True)
class SchedRow:
    """One row of schedulers.toml: its table and id, what a report names it by, its cause (where it has one), what it
    means, its fix or check, whether a directive binds per task, and its source."""

    table: str
    id: str
    name: str
    cause: str
    means: str
    fix: str
    binds: str
    needs_sign: str
    otherwise: str
    source: str


def _row(table: str, row: dict[str, object]) -> SchedRow:
    return SchedRow(table=table, id=str(row["id"]), name=str(row.get("directive") or row.get("id")), cause=str(row.get("cause", "")),
                    means=str(row.get("means", "")), fix=str(row.get("fix") or row.get("check") or ""), binds=str(row.get("binds", "")),
                    needs_sign=str(row.get("needs_sign", "")), otherwise=str(row.get("otherwise", "")), source=str(row["source"]))


def _compile(text: object) -> re.Pattern[str] | None:
    return re.compile(str(text), re.I) if text else None


@lru_cache(maxsize=1)
def _directives() -> tuple[tuple[SchedRow, str, re.Pattern[str]], ...]:
    return tuple((_row("directive", r), str(r["cue"]).lower(), re.compile(str(r["pattern"]), re.I)) for r in table_rows("schedulers", "directive"))


@lru_cache(maxsize=1)
def _places() -> tuple[tuple[SchedRow, re.Pattern[str], re.Pattern[str] | None, re.Pattern[str]], ...]:
    return tuple((_row("place", r), re.compile(str(r["node"]), re.I), _compile(r.get("lacks")), re.compile(str(r["ran"]), re.I))
                 for r in table_rows("schedulers", "place"))


@lru_cache(maxsize=1)
def _node_states() -> tuple[tuple[SchedRow, re.Pattern[str]], ...]:
    return tuple((_row("node_state", r), re.compile(str(r["pattern"]), re.I)) for r in table_rows("schedulers", "node_state"))


@lru_cache(maxsize=1)
def _mappings() -> tuple[tuple[SchedRow, str, re.Pattern[str], re.Pattern[str], re.Pattern[str]], ...]:
    return tuple((_row("device_map", r), "|".join(r["cue"] if isinstance(r["cue"], list) else [str(r["cue"])]).lower(), re.compile(str(r["framework"]), re.I), re.compile(str(r["scheduler"]), re.I),
                  re.compile(str(r["pattern"]), re.I)) for r in table_rows("schedulers", "device_map"))


@lru_cache(maxsize=1)
def _signs() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((str(r["id"]), re.compile(str(r["pattern"]), re.I))
                 for table in ("no_gpu_sign", "job_sign") for r in table_rows("schedulers", table))


def sched_row(table: str, row_id: str) -> SchedRow | None:
    """The row ``row_id`` of ``table``, or None."""
    rows: tuple[SchedRow, ...] = {
        "directive": tuple(r for r, _, _ in _directives()),
        "place": tuple(r for r, _, _, _ in _places()),
        "node_state": tuple(r for r, _ in _node_states()),
        "device_map": tuple(r for r, *_ in _mappings()),
    }.get(table, ())
    return next((r for r in rows if r.id == row_id), None)


def directive_named(line: str) -> list[SchedRow]:
    """The scheduler directives ``line`` names."""
    low = line.lower()
    return [row for row, cue, pattern in _directives() if cue in low and pattern.search(line)]


# A supposition, a question or a denial just before the node's words: "if run on the login node", "not on the head node".
_NOT_THERE = re.compile(r"\b(?:not|n't|never|if|unless|instead\s+of|rather\s+than|except)\b[^.;:\n]{0,24}$", re.I)


def place_said(line: str) -> tuple[SchedRow, str] | None:
    """A node without a GPU in ``line``: the row and how it is told, "lacks" (the node and its lack of a GPU in one
    sentence, or a node named for lacking one) or "ran" (something ran on the node), or None."""
    for row, node, lacks, ran in _places():
        for m in node.finditer(line):
            before = line[max(0, m.start() - 60):m.start()]
            if _NOT_THERE.search(before):
                continue
            window = line[m.end():m.end() + 80]
            if lacks is not None and (lacks.search(window) or lacks.search(line[max(0, m.start() - 50):m.start()])):
                return row, "lacks"
            if ran.search(before):
                return row, "ran"
    return None


def node_state_said(line: str) -> SchedRow | None:
    """A node's own GPU state told in ``line`` (a GPU lost, one not working, a job failing only there), or None."""
    return next((row for row, pattern in _node_states() if pattern.search(line)), None)


def mapping_cues() -> tuple[str, ...]:
    """The cheap substrings a text must hold for a mapping row to be read: each row's ``cue``, a word or a list of them.

    accnoticed (session 37): the list must cover every form the row's framework pattern reads ("maxtext" as well as
    "distributed"): a paste whose only "distributed" was a bracketed title tag ("[Distributed] ...", taken off as a log
    prefix by explain.normalize.unwrap) was never read (maxtext-3433)."""
    return tuple(cue for _, cues, *_ in _mappings() for cue in cues.split("|"))


def mapping_said(text: str, line: str) -> SchedRow | None:
    """A framework's process-to-GPU mapping under a scheduler that leaves GPUs unused, told in ``line`` of a log whose
    ``text`` names both the framework's call and the scheduler, or None."""
    for row, _, framework, scheduler, pattern in _mappings():
        if pattern.search(line) and framework.search(text) and scheduler.search(text):
            return row
    return None


def no_gpu_signs(line: str) -> list[str]:
    """The ids of the no-GPU signs ``line`` shows."""
    return [sign for sign, pattern in _signs() if pattern.search(line)]


@record(frozen=True)
class SchedJudgement:
    """What a reading means in its log: the cause, the confidence ("high", "medium", "low"), whether it leads or only
    ranks, and the cause it ranks beside (an alternative the reading leaves open)."""

    row: SchedRow
    cause: str
    confidence: str
    leads: bool
    beside: str


# Causes a node without a GPU explains by itself (no driver there, no device, nothing a container could pass).
_NO_GPU_EXPLAINS = frozenset({"NO_GPU", "DRIVER_MISSING", "GPU_HIDDEN", "CONTAINER_NO_GPU", "DRIVER_LOAD_FAILED"})


def decide(table: str, row_id: str, told: str = "", *, gpu_in_use: bool, signs: frozenset[str] = frozenset(),
           other_causes: frozenset[str] = frozenset()) -> SchedJudgement | None:
    """The decision for one scheduler reading.

    - place (LOG666): a node without a GPU told with its lack ("lacks") -> NO_GPU, high beside a no-GPU sign, medium alone;
      a run told on such a node ("ran") -> NO_GPU only beside a no-GPU sign (medium). Quiet where the GPU was used; beside
      another blocking cause a node without a GPU does not explain (a CPU build), only ranked; a lack told beside a job submitted in the same text (srun, sbatch, qsub) only ranks.
    - node_state (LOG667): a GPU lost or not working on one node -> GPU_FAULT (medium, GPU_BUSY beside it); a job failing on
      one node only -> GPU_BUSY where its failure is memory (another user's process holding the GPU), else GPU_FAULT, the
      other beside it; `nvidia-smi` on that node decides. (Another user's job told on the GPU is knowledge.occupancy's
      holder since session 37: one meaning, one decision, LOG665's.)
    - directive (LOG668): a per-task binding directive (Slurm's --gpus-per-task, --gpu-bind) beside a process that sees one
      GPU or none -> GPU_HIDDEN (medium).
    - device_map (LOG669): JAX's Slurm auto-detection giving each process one GPU -> GPU_HIDDEN (medium).
    """
    row = sched_row(table, row_id)
    if row is None:
        return None
    unexplained = other_causes - _NO_GPU_EXPLAINS
    absent = signs & {"cuda-no-device", "smi-absent"}
    job_signs = signs
    if table == "place":
        signs = absent
        if gpu_in_use or (told == "ran" and not signs):
            return None
        confidence = "high" if signs and told == "lacks" else "medium"
        if told == "lacks" and "job-submitted" in job_signs:
            return SchedJudgement(row=row, cause="NO_GPU", confidence="low", leads=False, beside="GPU_HIDDEN")
        if unexplained:
            return SchedJudgement(row=row, cause="NO_GPU", confidence="low", leads=False, beside=sorted(unexplained)[0])
        return SchedJudgement(row=row, cause="NO_GPU", confidence=confidence, leads=True, beside="")
    if table == "node_state":
        if gpu_in_use and row.cause == "GPU_BUSY":
            return None
        # A row whose cause needs a sign (a job failing on one node only is GPU_BUSY where its failure is memory) gives its
        # other cause without it.
        cause = row.cause if not row.needs_sign or row.needs_sign in signs else row.otherwise
        beside = "GPU_BUSY" if cause == "GPU_FAULT" else "GPU_FAULT"
        if unexplained - {"GPU_BUSY", "GPU_FAULT", "OUT_OF_MEMORY"}:
            return SchedJudgement(row=row, cause=cause, confidence="low", leads=False, beside=sorted(unexplained)[0])
        return SchedJudgement(row=row, cause=cause, confidence="medium", leads=True, beside=beside)
    if table == "directive":
        if row.binds != "task" or not (signs & {"one-of-many", "cuda-no-device"}):
            return None
        if unexplained - {"GPU_HIDDEN"}:
            return SchedJudgement(row=row, cause="GPU_HIDDEN", confidence="low", leads=False, beside=sorted(unexplained)[0])
        return SchedJudgement(row=row, cause="GPU_HIDDEN", confidence="medium", leads=True, beside="")
    if table == "device_map":
        if unexplained - {"GPU_HIDDEN", "GPU_UNDERUSED"}:
            return SchedJudgement(row=row, cause=row.cause, confidence="low", leads=False, beside=sorted(unexplained)[0])
        return SchedJudgement(row=row, cause=row.cause, confidence="medium", leads=True, beside="")
    return None
