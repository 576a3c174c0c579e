"""What a rule is: a declared object with a stable code, a slug, a cause, a severity, docs and a pure check."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from typing import Any, Generic, TypeVar, Union

from whygpu.knowledge.causes import is_cause_code
from whygpu.model import Confidence, Finding, Location, RuleDoc, RuleInfo, Severity
from whygpu.records import record

S = TypeVar("S")

__all__ = ["Decides", "Hit", "Outcome", "Rule", "RuleDoc", "Unknown", "rule"]


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
    # The program whose own build the hit is about, as ``Finding.build_of``.
    build_of: str | None = None
    # Display-only leftovers, as ``Finding.extra``.
    extra: dict[str, Any] = field(default_factory=dict)


@record(frozen=True)
class Unknown:
    """A rule could not judge because an input fact was unavailable; says which and why."""

    reason: str


Outcome = Union[Hit, Unknown]


@record(frozen=True)
class Decides:
    """What a rule's finding decides over the report's other findings, declared where the rule is defined (``rule(...,
    decides=Decides(...))``); ``explain._merge_judged`` applies every declaration in one loop. Only a rule's own reading
    decides (a finding that is no alternative), and a rule's findings never yield to their own rule.

    ``over``: the findings that can yield: ``"generic"`` (a signature's generic line, a line many causes print),
    ``"signature"`` (any signature's finding), ``"finding"`` (a signature's or another rule's).
    ``cause``: ``"same"`` (only findings of the deciding finding's cause) or ``"any"``.
    ``by``: how a finding is matched to the rule's: ``"first_line"`` (the first line it cites is one the rule cites),
    ``"only_lines"`` (every line it cites is one the rule cites), ``"scope"`` (it speaks for the framework the rule's
    finding speaks for). A line is the same line when its message text is (the text after its place, ``name:12: ``).
    ``reads``: the rule's lines that decide: ``"all"`` it cites, or ``"first"`` only (the line it judged, not the lines
    beside it that it judged the line against).
    ``alternatives``: whether the alternatives a yielded finding left open go with it (``True``) or stay.
    ``gathers``: the yielded findings' first two lines are added to the rule's evidence (a generic line it read better).
    """

    over: str
    cause: str
    by: str
    reads: str = "all"
    alternatives: bool = True
    gathers: bool = False

    def __post_init__(self) -> None:
        for name, value, allowed in (("over", self.over, ("generic", "signature", "finding")), ("cause", self.cause, ("same", "any")),
                                     ("by", self.by, ("first_line", "only_lines", "scope")), ("reads", self.reads, ("all", "first"))):
            if value not in allowed:
                raise ValueError(f"Decides.{name}: {value!r} is not one of {allowed}")


@record(frozen=True)
class Rule(Generic[S]):
    """A rule: ``check`` is pure, reads only its subject (a snapshot, a parsed file), never the system."""

    code: str
    slug: str
    cause: str
    severity: Severity
    doc: RuleDoc
    check: Callable[[S], Iterable[Outcome]]
    # What its findings decide over the report's other findings (``Decides``); None for a rule that decides over none.
    decides: Decides | None = None

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
                build_of=outcome.build_of,
                extra={"slug": self.slug, **outcome.extra},
            )


def rule(
    code: str, slug: str, cause: str, severity: Severity, doc: RuleDoc, *, decides: Decides | None = None
) -> Callable[[Callable[[S], Iterable[Outcome]]], Rule[S]]:
    """Decorator that declares a check function as a rule (with what its findings decide over others, ``Decides``)."""

    def wrap(check: Callable[[S], Iterable[Outcome]]) -> Rule[S]:
        return Rule(code=code, slug=slug, cause=cause, severity=severity, doc=doc, check=check, decides=decides)

    return wrap
