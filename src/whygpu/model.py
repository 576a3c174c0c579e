"""The report every command produces: findings from rules, grouped into ranked root causes, and a verdict."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import field
from typing import Any

from whygpu.knowledge.causes import cause_order, is_cause_code
from whygpu.records import record
from whygpu.version import __version__

SCHEMA_VERSION = 1


class Severity(str, enum.Enum):
    """How bad a finding is; ``error`` blocks the GPU, ``warning`` may, ``info`` is for the reader."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def weight(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Confidence(str, enum.Enum):
    """How sure whygpu is that a cause holds."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def weight(self) -> int:
        return {"high": 0, "medium": 1, "low": 2}[self.value]


@record(frozen=True)
class Location:
    """A place in a file that a finding points at: 1-based line and column, and for a notebook its cell."""

    file: str
    line: int | None = None
    column: int | None = None
    cell: int | None = None
    cell_line: int | None = None

    def sort_key(self) -> tuple[str, int]:
        """File, then line: the order linters print findings in."""
        return self.file, self.line or 0

    def text(self) -> str:
        """``file:line:column``, as editors and compilers print a place (parts not known left out)."""
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where

    def to_json(self) -> dict[str, Any]:
        """The keys a finding's JSON ``extra`` carries for SARIF and editors."""
        data: dict[str, Any] = {"file": self.file, "line": self.line, "column": self.column}
        if self.cell is not None:
            data["cell"] = self.cell
            data["cell_line"] = self.cell_line
        return data


# Keys of a finding's JSON ``extra`` that come from typed fields; ``extra`` itself must not carry them.
TYPED_EXTRA_KEYS = frozenset({"file", "line", "column", "cell", "cell_line", "blocks_gpu", "alternative_to", "generic", "build_of"})


@record(frozen=True)
class Finding:
    """One rule's conclusion: a stable rule id, the cause it points to, evidence and a fix."""

    id: str
    cause: str
    severity: Severity
    title: str
    evidence: tuple[str, ...] = ()
    fix: str = ""
    confidence: Confidence = Confidence.HIGH
    # Where the finding applies (a framework name, a file:line); free text for renderers.
    scope: str = ""
    # The file place it points at (lint findings; SARIF, editors, suppressions, sorting).
    location: Location | None = None
    # Whether the finding shows the GPU unused (explain's verdict); None when the rule does not say.
    blocks_gpu: bool | None = None
    # The cause code this finding is a less likely alternative to, if it is one.
    alternative_to: str | None = None
    # A log line that many causes print (explain): it yields to a rule that read the log's facts better.
    generic: bool = False
    # The program whose own build the finding is about (accnoticed40: a program's compiled extension, LOG850), not the
    # framework's: the ranking judges the cause by that build's facts (explain._ranked_lower); None for the framework's.
    build_of: str | None = None
    # Display-only leftovers (shown in JSON ``extra``); nothing reads them to decide anything.
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not is_cause_code(self.cause):
            raise ValueError(f"finding {self.id}: unknown cause code {self.cause!r}")
        typed = TYPED_EXTRA_KEYS.intersection(self.extra)
        if typed:
            raise ValueError(f"finding {self.id}: {sorted(typed)} are typed fields, not extra")

    def json_extra(self) -> dict[str, Any]:
        """The JSON ``extra`` object: the location, the display-only leftovers, then the typed flags."""
        data: dict[str, Any] = self.location.to_json() if self.location is not None else {}
        data.update(self.extra)
        if self.alternative_to is not None:
            data["alternative_to"] = self.alternative_to
        if self.blocks_gpu is not None:
            data["blocks_gpu"] = self.blocks_gpu
        if self.generic:
            data["generic"] = True
        if self.build_of is not None:
            data["build_of"] = self.build_of
        return data

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "cause": self.cause,
            "severity": self.severity.value,
            "confidence": self.confidence.value,
            "title": self.title,
            "evidence": list(self.evidence),
            "fix": self.fix,
        }
        if self.scope:
            data["scope"] = self.scope
        extra = self.json_extra()
        if extra:
            data["extra"] = extra
        return data


@record(frozen=True)
class Cause:
    """A root cause: one cause code with the findings that support it, ranked along the chain."""

    code: str
    rank: int
    confidence: Confidence
    title: str
    evidence: tuple[str, ...]
    fix: str
    findings: tuple[str, ...]
    # Why the cause ranks lower than the causes before it: a fact the log shows that rules it out or makes it
    # unlikely, with the line (explain: knowledge/ruleouts.toml); "" when nothing moved it.
    ranked_lower: str = ""

    def to_json(self) -> dict[str, Any]:
        data = {
            "code": self.code,
            "rank": self.rank,
            "confidence": self.confidence.value,
            "title": self.title,
            "evidence": list(self.evidence),
            "fix": self.fix,
            "findings": list(self.findings),
        }
        if self.ranked_lower:
            data["ranked_lower"] = self.ranked_lower
        return data


@record(frozen=True)
class Verdict:
    """The one-line answer: can the framework use the GPU (``None`` when it cannot be known)."""

    gpu_usable: bool | None
    summary: str


@record(frozen=True)
class NotChecked:
    """A file (or part of one) whygpu could not read: not a GPU cause, so never a finding; where and why."""

    path: str
    line: int
    column: int
    reason: str

    def where(self) -> str:
        """``path:line:col``."""
        return f"{self.path}:{self.line}:{self.column}"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "column": self.column, "reason": self.reason}


@record(frozen=True)
class RuleDoc:
    """A rule's documentation, in the fixed shape that ``whygpu rule CODE`` and SARIF print."""

    what: str
    why: str
    example: str
    fix: str
    limits: str = ""
    references: tuple[str, ...] = ()
    # Where the cause is decided per line (a status code's or a library's own), the causes it can name;
    # the rule's ``cause`` is then only the one named when the line does not decide.
    causes: tuple[str, ...] = ()


@record(frozen=True)
class RuleInfo:
    """What a report carries about a rule that may appear in it: SARIF lists these (renderers import no rules)."""

    code: str
    slug: str
    cause: str
    severity: Severity
    doc: RuleDoc


# The model does not import renderers: ``whygpu.render`` hands its HTML renderer over when loaded.
_HTML_RENDERER: dict[str, Callable[[Report], str]] = {}


def use_html_renderer(renderer: Callable[[Report], str]) -> None:
    """Display reports in Jupyter with ``renderer`` (called by ``whygpu.render`` when it is loaded)."""
    _HTML_RENDERER["html"] = renderer


@record
class Report:
    """What a command found, ready for any renderer; ``details`` holds the facts shown with ``-v``."""

    subject_kind: str
    verdict: Verdict
    causes: list[Cause]
    findings: list[Finding]
    subject: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # Lint: files whygpu could not read (one entry per file); never counted as problems by default.
    not_checked: list[NotChecked] = field(default_factory=list)
    # The rules whose findings the report may hold (lint: every lint rule), for SARIF's rule list.
    rules: list[RuleInfo] = field(default_factory=list)

    @property
    def problem_found(self) -> bool:
        """True when any error or warning finding was reported (exit code 1)."""
        return any(f.severity is not Severity.INFO for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        subject = {"kind": self.subject_kind, **self.subject}
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "whygpu", "version": __version__},
            "subject": subject,
            "verdict": {"gpu_usable": self.verdict.gpu_usable, "summary": self.verdict.summary},
            "causes": [c.to_json() for c in self.causes],
            "findings": [f.to_json() for f in self.findings],
        }
        if self.subject_kind == "files" or self.not_checked:
            data["not_checked"] = [n.to_json() for n in self.not_checked]
        if self.notes:
            data["notes"] = list(self.notes)
        if self.details:
            data["details"] = self.details
        return data

    def _repr_html_(self) -> str | None:
        """Jupyter's rich display, by the HTML renderer once ``whygpu.render`` is loaded (else plain repr)."""
        renderer = _HTML_RENDERER.get("html")
        return renderer(self) if renderer is not None else None

    def __repr__(self) -> str:
        return f"<whygpu Report {self.subject_kind}: {self.verdict.summary}>"


def _evidence_key(line: str) -> str:
    """One evidence line's identity: ``place: text`` with the text's surrounding blanks left out."""
    place, sep, text = line.partition(": ")
    return f"{place}{sep}{text.strip()}" if sep else line.strip()


def rank_causes(findings: list[Finding], *, by_likelihood: bool = False) -> list[Cause]:
    """Group findings by cause code and rank the causes along the physical chain (causes.md order).

    Informational findings never make a cause.  Within one code the most severe, most
    confident finding gives the title and fix; every finding's evidence is kept.  With
    ``by_likelihood`` (used for logs, where one cause is inferred among several) confidence
    ranks before the chain order, and causes offered only as alternatives keep the order the rule
    that offered them decided (``_alternatives_as_given``).
    """
    by_code: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.severity is Severity.INFO:
            continue
        by_code.setdefault(finding.cause, []).append(finding)

    def sort_key(code: str) -> tuple[int, int, int]:
        group = by_code[code]
        best_severity = min(f.severity.weight for f in group)
        best_confidence = min(f.confidence.weight for f in group)
        if by_likelihood:
            return (best_confidence, best_severity, cause_order(code))
        # Errors before warnings, then the physical chain: "no GPU in this VM" outranks
        # "CPU-only wheel", and both are reported.
        return (best_severity, cause_order(code), best_confidence)

    ordered = sorted(by_code, key=sort_key)
    if by_likelihood:
        ordered = _alternatives_as_given(ordered, by_code, sort_key, findings)
    causes: list[Cause] = []
    for rank, code in enumerate(ordered, start=1):
        group = sorted(by_code[code], key=lambda f: (f.severity.weight, f.confidence.weight))
        lead = group[0]
        # Each line once, in the order first given (a dict, not a list, checks: a fleet merges thousands); a line two
        # findings quote with and without its indent is one line.
        first_given: dict[str, str] = {}
        for line in (line for f in group for line in f.evidence):
            first_given.setdefault(_evidence_key(line), line)
        evidence = list(first_given.values())
        fixes = list(dict.fromkeys(f.fix for f in group if f.fix))
        causes.append(
            Cause(
                code=code,
                rank=rank,
                confidence=lead.confidence,
                title=lead.title,
                evidence=tuple(evidence),
                fix="\n".join(fixes),
                findings=tuple(dict.fromkeys(f.id for f in group)),
            )
        )
    return causes


def _alternatives_as_given(
    ordered: list[str], by_code: dict[str, list[Finding]], sort_key: Callable[[str], tuple[int, int, int]],
    findings: list[Finding],
) -> list[str]:
    """``ordered`` with the causes offered only as alternatives, among those equally confident and severe, in the order given.

    The rule that offers alternatives has decided their order (a base rate's counts, a ranking
    table's row, a signature's list, a context override); the chain order would undo it.  Each
    alternative-only cause keeps its slot set; within one tie of confidence and severity, the
    slots are filled by the rank of the cause each is an alternative to (the likelier reading's
    order first), then in the order the rule gave them.  Every other cause stays where the chain
    put it.
    """
    position = {code: i for i, code in enumerate(ordered)}
    # A rule offers a reading's alternatives in its order, one after the other: the findings' order.
    at = {id(f): i for i, f in enumerate(findings)}
    out = list(ordered)
    ties: dict[tuple[int, int], list[int]] = {}
    given: dict[str, tuple[int, int, int]] = {}
    # How sure each rule is of the cause it leads with: among the alternatives to one cause, the rule surer of that
    # cause read the log better, and its alternatives come first (a fact rule's beside a generic line's).
    sure: dict[tuple[str, str], int] = {}
    for f in findings:
        if f.alternative_to is None:
            key = (f.id, f.cause)
            sure[key] = min(sure.get(key, f.confidence.weight), f.confidence.weight)
    for slot, code in enumerate(ordered):
        group = by_code[code]
        if all(f.alternative_to is not None for f in group):
            ties.setdefault(sort_key(code)[:2], []).append(slot)
            given[code] = min(
                (position.get(f.alternative_to or "", len(ordered)), sure.get((f.id, f.alternative_to or ""), len(Confidence)), at[id(f)])
                for f in group
            )
    for slots in ties.values():
        # (no zip(strict=): this module is carried to Python 3.8 by the collector)
        for i, code in enumerate(sorted((ordered[s] for s in slots), key=given.__getitem__)):
            out[slots[i]] = code
    return out
