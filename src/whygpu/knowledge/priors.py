"""Base rates: which cause of a family a log line likeliest means when nothing in the log decides, and the likely causes of a GPU left unused."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class CausePrior:
    """How to rank a family of causes one line leaves open, with the counts behind it and the deciding check."""

    situation: str
    family: frozenset[str]
    ranking: tuple[str, ...]
    counts: dict[str, int]
    # The row applies only when the log also shows a failure of each of these causes (a CUDA
    # library and cuDNN failing together); a row without it applies when no earlier row did.
    together_with: frozenset[str]
    # The members a line must leave open (its cause and alternatives) for the row to rank it.
    requires_open: frozenset[str]
    # The row applies only when the log shows an installed version of the failing library's kind (a CUDA
    # toolkit, a cuDNN) that did not decide (True); rows without it only when none is shown (False); a row with
    # ``installed = "either"`` either way (None).
    installed_shown: bool | None
    # The row applies only when the log set this context tag (e.g. "wsl"); rows without one anywhere.
    context: str
    # The row applies only when the failing library's file name matches this pattern; rows without one to any.
    library: str
    reasoning: str
    fix: str
    source: str
    # accsoname (session 34): the row ranks the line's alternatives and gives its fix (the check that decides) also where its
    # first member is the line's own cause (rows without it then keep the line's own reading).
    rank_alternatives: bool = False


@lru_cache(maxsize=1)
def _priors() -> tuple[CausePrior, ...]:
    return tuple(
        CausePrior(
            situation=str(row["situation"]),
            family=frozenset(row["family"]),
            ranking=tuple(row["ranking"]),
            counts={str(k): int(v) for k, v in dict(row.get("counts", {})).items()},
            together_with=frozenset(row.get("together_with", ())),
            requires_open=frozenset(row.get("requires_open", row["family"])),
            installed_shown={"shown": True, "either": None}.get(str(row.get("installed", "not shown")), False),
            context=str(row.get("context", "")),
            library=str(row.get("library", "")),
            reasoning=str(row.get("reasoning", "")),
            fix=str(row.get("fix", "")),
            source=str(row["source"]),
            rank_alternatives=bool(row.get("rank_alternatives", False)),
        )
        for row in table_rows("priors", "prior")
    )


def undecided_prior(
    cause: str,
    also: tuple[str, ...],
    failed: frozenset[str] = frozenset(),
    *,
    installed_shown: bool = False,
    tags: frozenset[str] = frozenset(),
    file: str = "",
) -> CausePrior | None:
    """The base-rate ranking for a line whose cause and alternatives span one prior's family, or None to keep the line's cause.

    A line that names only one member ("this image has no cuDNN") does not span the family and
    keeps its cause; a line that leaves the members open (a library that failed to load) is
    ranked by how often each member was the confirmed cause.  ``failed`` holds the causes the
    log's other failing lines point to: a CUDA library and cuDNN failing together have their own
    row.  The caller uses this only when no installed version in the log decides; ``installed_shown``
    says the log showed one that did not decide (its own rows), ``tags`` the log's context tags (a row
    for one platform, such as WSL, comes before the general one), ``file`` the failing library's file name (a row
    for one kind of library, such as cuDNN's sub-libraries, applies only to it).
    """
    open_causes = {cause, *also}
    for prior in _priors():
        if cause not in prior.family or not prior.together_with <= failed:
            continue
        if prior.installed_shown not in (None, installed_shown) or (prior.context and prior.context not in tags):
            continue
        if prior.library and not re.match(prior.library, file, re.I):
            continue
        if not prior.requires_open <= open_causes:
            return None
        return None if prior.ranking[0] == cause and not prior.rank_alternatives else prior
    return None


@lru_cache(maxsize=1)
def _unused_rows() -> tuple[dict[str, Any], ...]:
    return tuple(table_rows("priors", "unused"))


def unused_prior(framework: str, platform: str, version: str | None = None, *, driver_shown: bool = False,
                 gpu_build_shown: bool = False, seen_by: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The likely causes of a framework (of a version) finding no GPU on a platform, most common first, with the check that decides.

    The first ``[[unused]]`` row of ``priors.toml`` that fits: its framework (or "any"), its platform (or "any";
    WSL and a container run the Linux builds, so a Linux row serves them unless a row names them), its
    version range and TensorFlow pip-GPU condition, its driver condition (a row with ``driver = "shown"``
    only when the log shows the driver answering) and its build condition (a row with ``gpu_build = "shown"`` only
    when the log shows the framework's GPU build, i.e. a fact rules its CPU build out: accrank4, session 21), and its
    seen_by condition (a row naming frameworks only when one of them, in the same log, answered that it found the GPU:
    acclibs, session 29; ``seen_by`` holds those frameworks).
    """
    from whygpu.knowledge.frameworks import release_in_range

    platforms = (platform, "linux", "any") if platform in ("wsl", "wsl1", "wsl2", "container", "jetson") else (platform, "any")
    for row in _unused_rows():
        if (row["framework"] in (framework, "any") and row["platform"] in platforms
                and release_in_range(row.get("versions", ""), version) and _pip_gpu_fits(row, version)
                and (row.get("driver") != "shown" or driver_shown)
                and (row.get("gpu_build") != "shown" or gpu_build_shown)
                and (not row.get("seen_by") or bool(seen_by.intersection(row["seen_by"])))):
            return row
    return _unused_rows()[-1]


# accfirst (session 22): whether a row's counts single out the cause a ranking puts first.
# A lead is singled out when it was the confirmed cause at least twice as often as any other cause left in the ranking,
# over at least three labelled cases; otherwise the counts leave the causes open and the report says so, with the counts.
def lead_decided(row: dict[str, Any], first: str, others: list[str]) -> tuple[bool, str]:
    """Whether ``row``'s counts single out ``first`` over ``others`` (the causes ranked after it), and the counts said in words ("" when the row has none)."""
    counts: dict[str, int] = dict(row.get("counts") or {})
    if not counts:
        return True, ""
    lead = counts.get(first, 0)
    rival = max(others, key=lambda c: counts.get(c, 0), default=None)
    second = counts.get(rival, 0) if rival else 0
    total = sum(counts.values())
    said = f"{first} {lead}" + (f", {rival} {second}" if rival else "") + f" of {total} labelled logs like this one"
    # acccpu (session 34): and confirmed more often than every other cause of the row together (over half of its counted
    # logs): a lead the counts show wrong as often as right is the first to check, not the likeliest said with confidence.
    # (Recounted 2026-12-07 with bench/base_rates.py, LOG104's PyTorch row had the CPU build 20 of 42 and the row without a
    # framework 44 of 94, both "Likeliest" before; 72 of the 88 labelled logs where FRAMEWORK_CPU_BUILD came first and was
    # not the confirmed cause were LOG104's base-rate rankings: docs/explain-accuracy.md, Session 34.)
    return lead >= 3 and lead >= 2 * second and 2 * lead > total, said


def undecided_words(row: dict[str, Any], first: str, counted: str) -> tuple[str, str]:
    """How a report names a lead its row's counts do not single out, and the note beside it (``counted``: ``lead_decided``'s words).

    Under three labelled logs the counts rank nothing, and a row that orders its causes by what the answer means
    (knowledge/priors.toml says why beside it) is not contradicted by them: "Likeliest" beside "0 of 1" would read as
    a contradiction, so the lead is the first to check and the note says the order is the answer's meaning.
    """
    counts: dict[str, int] = dict(row.get("counts") or {})
    if sum(counts.values()) < 3:
        if counts.get(first, 0) < max(counts.values(), default=0):
            return "First to check", f" (ordered by what the answer means; too few labelled logs to rank by: {counted}; the check below decides)"
        return "First to check", f" (too few labelled logs to single it out: {counted}; the check below decides)"
    return "Likeliest", f" (the labelled logs do not single it out: {counted}; the check below decides)"


def _pip_gpu_fits(row: dict[str, Any], version: str | None) -> bool:
    """Whether a row that names pip_gpu fits this TensorFlow release (knowledge.tensorflow decides; unknown: no)."""
    if "pip_gpu" not in row:
        return True
    if not version:
        return False
    from whygpu.knowledge.tensorflow import tensorflow_pip_has_gpu

    return tensorflow_pip_has_gpu(version) is bool(row["pip_gpu"])


# --- accrank3 (session 20): a status answer's base rate where the log around it does not decide ---------------------


@record(frozen=True)
class StatusPrior:
    """A ``[[status_prior]]`` row: how to rank the causes a GPU library's status answer leaves open, when no context decides."""

    statuses: frozenset[str]
    texts: tuple[str, ...]
    unless: tuple[str, ...]
    decided_by: frozenset[str]
    requires: frozenset[str]
    ranking: tuple[str, ...]
    counts: dict[str, int]
    reasoning: str
    source: str


@lru_cache(maxsize=1)
def _status_priors() -> tuple[StatusPrior, ...]:
    return tuple(
        StatusPrior(
            statuses=frozenset(str(s).lower() for s in row.get("statuses", ())),
            texts=tuple(str(t).lower() for t in row.get("texts", ())),
            unless=tuple(str(t).lower() for t in row.get("unless", ())),
            decided_by=frozenset(row.get("decided_by", ())),
            requires=frozenset(row.get("requires", ())),
            ranking=tuple(row["ranking"]),
            counts={str(k): int(v) for k, v in dict(row.get("counts", {})).items()},
            reasoning=str(row.get("reasoning", "")),
            source=str(row["source"]),
        )
        for row in table_rows("priors", "status_prior")
    )


def status_prior(line: str, cause: str, also: tuple[str, ...], tags: frozenset[str]) -> tuple[str, tuple[str, ...]] | None:
    """The cause and alternatives a status answer on ``line`` ranks to by its base rate, or None where no row applies.

    A row applies when the line carries one of its status names or texts and none of its ``unless`` words (another
    library's spelling of the answer, with its own base rate), the line's own reading (``cause``)
    is a member of its ranking, the log set none of the context tags that decide instead (``decided_by``) and every
    context tag the row is counted under (``requires``).
    The members the line leaves open are reordered by the row's ranking; the others keep their order after them.
    """
    lowered = line.lower()
    for row in _status_priors():
        if row.decided_by & tags or not row.requires <= tags or cause not in row.ranking or any(word in lowered for word in row.unless):
            continue
        if not (any(re.search(rf"\b{re.escape(name)}\b", lowered) for name in row.statuses)
                or any(text in lowered for text in row.texts)):
            continue
        open_causes = (cause, *also)
        order = [c for c in row.ranking if c in open_causes] + [c for c in open_causes if c not in row.ranking]
        return order[0], tuple(order[1:])
    return None
