"""What a rule is: a declared object with a stable code, a slug, a cause, a severity, docs and a pure check."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from typing import Any, Generic, TypeVar, Union

from whygpu.knowledge.causes import is_cause_code
from whygpu.model import Confidence, Finding, Location, RuleDoc, RuleInfo, Severity
from whygpu.records import record

S = TypeVar("S")

__all__ = ["Hit", "Outcome", "Rule", "RuleDoc", "Unknown", "rule"]


@record(frozen=True)
class Hit:
    """A rule fired: the specifics of this occurrence (the rule supplies code, cause and severity)."""

    title: str
    evidence: tuple[str, ...] = ()
    fix: str = ""
    confidence: Confidence = Confidence.HIGH
    scope: str = ""
    severity: Severity | None = None  # overrides the rule's default severity
    # Overrides the rule's cause, for rules that relay another reading's conclusion (the deep
    # probes relay what the framework's own words or the driver's error code point to).
    cause: str | None = None
    location: Location | None = None
    blocks_gpu: bool | None = None
    alternative_to: str | None = None
    # A line that many causes print (a log signature's generic line), as ``Finding.generic``.
    generic: bool = False
    # Display-only leftovers, as ``Finding.extra``.
    extra: dict[str, Any] = field(default_factory=dict)


@record(frozen=True)
class Unknown:
    """A rule could not judge because an input fact was unavailable; says which and why."""

    reason: str


Outcome = Union[Hit, Unknown]


@record(frozen=True)
class Rule(Generic[S]):
    """A rule: ``check`` is pure, reads only its subject (a snapshot, a parsed file), never the system."""

    code: str
    slug: str
    cause: str
    severity: Severity
    doc: RuleDoc
    check: Callable[[S], Iterable[Outcome]]

    def __post_init__(self) -> None:
        if not is_cause_code(self.cause):
            raise ValueError(f"rule {self.code}: unknown cause code {self.cause!r}")

    def info(self) -> RuleInfo:
        """What a report carries about this rule (SARIF's rule list), without the check."""
        return RuleInfo(code=self.code, slug=self.slug, cause=self.cause, severity=self.severity, doc=self.doc)

    def run(self, subject: S) -> Iterator[Finding | Unknown]:
        """Run the check and turn each hit into a finding carrying this rule's code and cause."""
        for outcome in self.check(subject):
            if isinstance(outcome, Unknown):
                yield outcome
                continue
            yield Finding(
                id=self.code,
                cause=outcome.cause or self.cause,
                severity=outcome.severity or self.severity,
                title=outcome.title,
                evidence=outcome.evidence,
                fix=outcome.fix,
                confidence=outcome.confidence,
                scope=outcome.scope,
                location=outcome.location,
                blocks_gpu=outcome.blocks_gpu,
                alternative_to=outcome.alternative_to,
                generic=outcome.generic,
                extra={"slug": self.slug, **outcome.extra},
            )


def rule(
    code: str, slug: str, cause: str, severity: Severity, doc: RuleDoc
) -> Callable[[Callable[[S], Iterable[Outcome]]], Rule[S]]:
    """Decorator that declares a check function as a rule."""

    def wrap(check: Callable[[S], Iterable[Outcome]]) -> Rule[S]:
        return Rule(code=code, slug=slug, cause=cause, severity=severity, doc=doc, check=check)

    return wrap
