"""Which facts a log shows rule a cause out or make it unlikely, and the one ranking that applies them (ruleouts.toml)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from functools import lru_cache

from whygpu.knowledge._util import table_rows
from whygpu.records import record

RULES_OUT = "rules_out"
DEMOTES = "demotes"


@record(frozen=True)
class RuleOut:
    """One row of ruleouts.toml: a named fact of the log that rules a cause out (or demotes it), and why."""

    cause: str
    shown: str
    effect: str
    why: str
    source: str
    # accnodev (session 33): the fact explains the cause's own statement rather than contradicting it (a CPU build said by the
    # framework, and the GPU build listed beside its CPU twin: the twin imported), so it moves a cause given with high
    # confidence too (the report keeps a high one in place against a fact that contradicts it: two environments).
    explains: bool = False


@lru_cache(maxsize=1)
def ruleouts() -> tuple[RuleOut, ...]:
    """Every row, in the file's order."""
    return tuple(
        RuleOut(cause=str(row["cause"]), shown=str(row["shown"]), effect=str(row["effect"]), why=str(row["why"]),
                source=str(row["source"]), explains=bool(row.get("explains", False)))
        for row in table_rows("ruleouts", "ruleout")
    )


def fact_names() -> frozenset[str]:
    """The named facts the rows read (the log reader must compute each)."""
    return frozenset(row.shown for row in ruleouts())


def against(cause: str, shown: Collection[str]) -> RuleOut | None:
    """The row that moves ``cause`` down given the facts ``shown``: one that rules it out before one that demotes it; None when none applies."""
    rows = [row for row in ruleouts() if row.cause == cause and row.shown in shown]
    for effect in (RULES_OUT, DEMOTES):
        for row in rows:
            if row.effect == effect:
                return row
    return None


def ranked_against(causes: Sequence[str], shown: Mapping[str, Collection[str]] | Collection[str]) -> tuple[list[str], dict[str, RuleOut]]:
    """``causes`` (likeliest first) checked once each against the facts shown: those a fact demotes follow every cause
    none does, and those a fact rules out come last; each group keeps its order.

    ``shown`` is the set of named facts the log shows, or per cause the set that applies to it (a fact of one
    framework, such as its CUDA build, does not apply to another framework's cause).  Returns the new order and,
    for each cause moved down, the row that moved it.
    """
    moved: dict[str, RuleOut] = {}
    for cause in causes:
        facts = shown.get(cause, ()) if isinstance(shown, Mapping) else shown
        row = against(cause, facts)
        if row is not None:
            moved[cause] = row
    return order_by_effect(causes, {cause: row.effect for cause, row in moved.items()}), moved


def order_by_effect(causes: Sequence[str], effects: Mapping[str, str]) -> list[str]:
    """``causes`` with those whose effect is "demotes" after every cause without one, and those "rules_out" last; each group keeps its order."""
    kept = [c for c in causes if c not in effects]
    demoted = [c for c in causes if effects.get(c) == DEMOTES]
    out = [c for c in causes if effects.get(c) == RULES_OUT]
    return kept + demoted + out


def driver_new_enough(driver_cuda: str, wanted: Iterable[str]) -> bool:
    """Whether a driver whose highest CUDA is ``driver_cuda`` runs every CUDA in ``wanted`` with its own CUDA (no
    minor-version compatibility needed): True only when at least one version is wanted and each is at most the
    driver's (``cuda_versions.driver_runs_cuda`` with ``minor_compat=False``)."""
    from whygpu.knowledge.cuda_versions import driver_runs_cuda

    versions = list(wanted)
    return bool(versions) and all(driver_runs_cuda(driver_cuda, want, minor_compat=False) is True for want in versions)


def loads_pip_cuda_wheels(framework: str, version: str | None) -> bool | None:
    """Whether a release of ``framework`` loads pip's nvidia-*-cuNN wheels itself (ruleouts.toml's pip_wheels rows): True from the
    row's release on, False before it, None for a framework without a row or a version that cannot be read."""
    from whygpu.knowledge._util import parse_version

    for row in table_rows("ruleouts", "pip_wheels"):
        if row["framework"] != framework:
            continue
        have, since = parse_version(version), parse_version(str(row["since"]))
        if have is None or since is None:
            return None
        return have.release >= since.release
    return None
