"""Explains logs: whether the GPU was used and, if not, the ranked root causes with their evidence lines.

A library, used by ``whygpu explain`` and by ``doctor --deep`` (which feeds the frameworks' own
output through it).  Signatures are data (``signatures.toml``); logs are streamed, never read
whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from whygpu.model import Finding, Severity

if TYPE_CHECKING:
    from whygpu.model import Report
    from whygpu.rules.interface import Decides

__all__ = ["ExplainResult", "explain_lines", "explain_path", "explain_text", "to_report"]


@dataclass
class ExplainResult:
    """What the logs say: findings (signature or inference ids), whether the GPU was used, and how it was read."""

    findings: list[Finding]
    # True: a line shows the GPU in use and none shows it blocked; False: a line shows it could
    # not be used; None: the logs say nothing either way.
    gpu_used: bool | None
    positive_evidence: list[str]
    benign: list[str]
    sources: list[str]
    notes: list[str]
    details: dict[str, Any] = field(default_factory=dict)
    # Each source's name (as evidence cites it) -> the path of its file, where it has one (SARIF's locations).
    places: dict[str, str] = field(default_factory=dict)
    # Each cause a fact of the log rules out or demotes (knowledge/ruleouts.toml) -> (the effect, what says so).
    ranked_lower: dict[str, tuple[str, str]] = field(default_factory=dict)


def _run(feed: Iterable[tuple[str, Any, str | None]], notes: list[str]) -> ExplainResult:
    """Scan each (source name, read function, plain file path or None) and conclude over all of them together."""
    from whygpu.explain.catalogue import catalogue
    from whygpu.explain.infer import Collector, conclude
    from whygpu.explain.judge import judge
    from whygpu.explain.logfacts import HEAD_BYTES, FactReader
    from whygpu.explain.scan import Scanner

    cat = catalogue()
    reader = FactReader()
    collector = Collector(cat, reader.facts)
    scanner = Scanner(cat, collector)
    sources: list[str] = []
    heads: list[str] = []
    lines = 0
    # (source, signature id) read across a paste's cut lines (``explain.layout``): read once.
    laid_out: set[tuple[str, str]] = set()
    for name, read, plain in feed:
        collector.source = name
        if plain is not None:
            scanner.expect(_size(plain))
        # Line numbers start again at 1 in each file.
        scanner.lines, scanner.replaced_lines, scanner.long_lines = 0, 0, []
        head: list[bytes] = []
        scanner.scan(_tee(read, head, HEAD_BYTES))
        sources.append(name)
        if scanner.lines == 0:
            notes.append(f"{name}: the file is empty (no lines to read)")
        if scanner.replaced_lines:
            notes.append(f"{name}: bytes that are not UTF-8 were replaced with '\ufffd'")
        if scanner.long_lines:
            # One note per file, however many long lines (a progress bar can make thousands).
            # A line is recorded once per piece it was read in: each line counts once.
            long_lines = list(dict.fromkeys(scanner.long_lines))
            long_count = len(long_lines)
            shown = ", ".join(str(n) for n in long_lines[:5]) + (", ..." if long_count > 5 else "")
            plural = "lines" if long_count > 1 else "line"
            notes.append(f"{name}: {long_count} {plural} longer than 1 MiB ({plural} {shown}), read in pieces")
        lines += scanner.lines
        head_text = _rematch_layout(scanner, collector, name, _head_text(head), laid_out)
        head_text = _rematch_respelt(scanner, collector, name, head_text, laid_out)
        reader.read_text(name, head_text)
        heads.append(head_text)
        # acccont (session 22): the packaging the normaliser took off the head's lines (a compose service's prefix).
        reader.read_packaging(name, b"".join(head).decode("utf-8", "replace"))
    facts = reader.facts
    _rematch_joined(scanner, collector, facts.joined, laid_out)
    collector.absorb(facts)
    collector.compile_fallback(heads)
    data = collector.data
    # The matched lines read together become typed facts; every finding comes from a rule the one runner runs over them.
    # accinuse (session 35): whether the GPU is shown in use is one decision over every kind of evidence (explain.inuse).
    from whygpu.explain.inuse import in_use

    shown_in_use = in_use(facts, data.positive)
    matched, judged = judge(facts, conclude(data), gpu_in_use=shown_in_use)
    findings = _merge_judged(matched, judged)
    from whygpu.explain.optional import addon_findings_placed

    findings = addon_findings_placed(findings, facts, data.positive_count)
    from whygpu.explain.programfix import scoped_findings

    findings = scoped_findings(findings, facts)  # accsoname: no other framework's install command for the failing program
    from whygpu.explain.inuserules import alone, blind_monitor_only

    findings = alone(findings)  # accinuse (session 35): LOG630 speaks only where no cause is given
    ranked_lower = _ranked_lower(findings, facts)
    blocking = any(f.blocks_gpu and f.severity is not Severity.INFO for f in findings)
    gpu_used: bool | None
    if blocking:
        gpu_used = False
    elif shown_in_use:
        gpu_used = True
    elif blind_monitor_only(facts) is not None:
        gpu_used = None  # lead (session 35): only the writer's reading of a monitor blind to CUDA work says unused (LOG631)
    elif facts.gpu_unused() and not facts.gpu_seen() and not _works_said(facts) and not facts.cpu_is_goal():
        # accprec40 (session 40): not where the CPU is the writer's own goal (knowledge.cpu_choice.cpu_goal): the run went to
        # the CPU because they asked for it, which says nothing of whether the GPU is usable.
        gpu_used = False
    else:
        gpu_used = None
    benign = []
    for key, (why, evidence, count) in data.benign.items():
        for line in evidence:
            benign.append(f"{line}  ({why})")
        if count[0] > len(evidence):
            benign.append(f"... and {count[0] - len(evidence)} more like {key} ({why})")
    notes.extend(data.positive_notes)
    details: dict[str, Any] = {
        "lines_read": lines,
        "lines_examined": scanner.candidates,
        "context": sorted(data.tags),
        "facts": {k: v for k, v in data.facts.items()},
        "log_facts": facts.summary(),
        "positive_lines": data.positive_count,
    }
    return ExplainResult(
        findings=findings,
        gpu_used=gpu_used,
        positive_evidence=list(data.positive),
        benign=benign,
        sources=sources,
        notes=notes,
        details=details,
        ranked_lower=ranked_lower,
    )


def _works_said(facts: Any) -> bool:
    """accfirst (session 22): whether the log states the GPU works for this run while only the reporter's words say it went
    unused (no framework's own answer that it has no GPU): the two say opposite things, so whether it was used is not known."""
    return bool(facts.stated_gpu_works) and not any(s.value is False for values in facts.gpu_answer.values() for s in values)


# accnodev (session 33): a demoting fact that explains the cause's own statement (knowledge/ruleouts.toml explains): the
# report moves such a cause even where it was given with high confidence.
EXPLAINED = "explained"


def _ranked_lower(findings: list[Finding], facts: Any) -> dict[str, tuple[str, str]]:
    """accrank2: each cause the findings give, checked once against the facts the log shows (``explain.ruleout``):
    the causes a fact rules out or demotes, with the effect and what says so.  A cause's framework is the one its
    findings are all scoped to (a CUDA build of TensorFlow says nothing about PyTorch's build)."""
    from whygpu.explain.judge import _scope
    from whygpu.explain.ruleout import rank, said

    scopes: dict[str, set[str]] = {}
    for finding in findings:
        if finding.severity is not Severity.INFO:
            # accext39: a finding about a program's own compiled extension (LOG850) is judged by that build's facts, of which the
            # log shows none (torch's CUDA build says nothing of GroundingDINO's extension); accnoticed40: read from the typed
            # Finding.build_of, no longer from the scope's "extension " prefix.
            own = finding.build_of is not None
            scopes.setdefault(finding.cause, set()).add(f"build of {finding.build_of}" if own else _scope(finding.scope) if finding.scope else "any")
    out: dict[str, tuple[str, str]] = {}
    for cause, frameworks in scopes.items():
        framework = next(iter(frameworks)) if len(frameworks) == 1 else "any"
        _, moved = rank([cause], facts, None if framework == "any" else framework)
        if cause in moved:
            row, seen = moved[cause]
            out[cause] = (EXPLAINED if row.explains else row.effect, said(row, seen))
    return out


def _size(path: str) -> int:
    """The size of a plain file, 0 when it cannot be told (the scan reads it all the same)."""
    import os

    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _tee(read: Any, head: list[bytes], limit: int) -> Any:
    """A ``read`` that also keeps the first ``limit`` bytes it returns (for the fact reader)."""
    kept = [0]

    def tee(size: int) -> bytes:
        data: bytes = read(size)
        if kept[0] < limit and data:
            piece = data[: limit - kept[0]]
            head.append(piece)
            kept[0] += len(piece)
        return data

    return tee


def _head_text(head: list[bytes]) -> str:
    """The kept head as text (a last line cut by the limit dropped), colour codes dropped.

    accnorm (session 20): each line as the fact reader reads it, its paste's machine packaging taken off (log
    prefixes, whole-line markup, lost colour codes, added spaces: ``explain.normalize.unwrap``).
    """
    from whygpu.explain.normalize import unwrap
    from whygpu.explain.scan import clean

    data = b"".join(head)
    from whygpu.explain.logfacts import HEAD_BYTES

    if len(data) >= HEAD_BYTES and not data.endswith(b"\n"):
        cut = data.rfind(b"\n")
        data = data[: cut + 1] if cut >= 0 else data
    return "\n".join(unwrap(clean(line)[0], reader=True) for line in data.split(b"\n"))


def _rematch_layout(scanner: Any, collector: Any, source: str, text: str, done: set[tuple[str, str]]) -> str:
    """acclayout (session 21): the signatures read only across the lines a paste cut a message into (``explain.layout``);
    returns ``text`` with each such message on its first line as the program printed it (its other lines left empty,
    so that every line keeps its number): the fact reader reads the message, not its pieces (a piece that is a
    path alone is no file listing, a cut message's head no error line of its own)."""
    from whygpu.explain.layout import wrapped_matches
    from whygpu.explain.scan import LineMatch

    lines = text.split("\n")
    found = wrapped_matches(lines, scanner.matcher)
    taken: set[int] = set()
    for joined in sorted(found, key=lambda j: (j.line, -j.last)):
        span = range(joined.line - 1, joined.last)
        if not taken.intersection(span):
            taken.update(span)
            lines[joined.line - 1 : joined.last] = [joined.text, *([""] * (joined.last - joined.line))]
        if (source, joined.signature.id) in done:
            continue
        done.add((source, joined.signature.id))
        collector.source = source
        collector(LineMatch(joined.signature, joined.line, joined.text, joined.groups))
    return "\n".join(lines) if found else text


def _rematch_respelt(scanner: Any, collector: Any, source: str, text: str, done: set[tuple[str, str]]) -> str:
    """lead (session 30): the head's lines read through their typing errors (``explain.spelling``). A line that matches a
    signature only once its misspelt message words are spelt right is that message: the match counts (its evidence the
    line as written), and the returned text holds the line respelt, so that the fact reader reads the message too (a
    status it states). Every other line, and ``text`` itself when none changed, stays as written."""
    from whygpu.explain.catalogue import match_groups
    from whygpu.explain.scan import LineMatch, unwrapped
    from whygpu.explain.spelling import speller

    matcher = scanner.matcher
    spell = speller()
    lines = text.split("\n")
    changed = False
    for index, line in enumerate(lines):
        right = spell.respelt(line)
        if right is None:
            continue
        alone = {sig.id for sig, _ in matcher.match(line, *unwrapped(line))}
        new = [(sig, m) for sig, m in matcher.match(right, *unwrapped(right)) if sig.id not in alone]
        if not new:
            continue
        lines[index], changed = right, True
        for sig, m in new:
            if sig.kind not in ("failure", "context") or (source, sig.id) in done:
                continue
            done.add((source, sig.id))
            collector.source = source
            collector(LineMatch(sig, index + 1, m.string, match_groups(m), shown=line))
    return "\n".join(lines) if changed else text


def _rematch_joined(scanner: Any, collector: Any, joined: list[tuple[str, int, str, tuple[str, ...]]],
                    done: set[tuple[str, str]] | None = None) -> None:
    """Match lines a terminal or tracker wrapped, joined again; only what no part matched alone counts (and what
    ``_rematch_layout`` did not read already)."""
    from whygpu.explain.catalogue import match_groups
    from whygpu.explain.scan import LineMatch

    matcher = scanner.matcher
    for source, line, text, parts in joined:
        alone = {sig.id for part in parts for sig, _ in matcher.match(part)}
        for sig, m in matcher.match(text):
            if sig.id in alone or sig.kind not in ("failure", "context") or (source, sig.id) in (done or ()):
                continue
            collector.source = source
            groups = match_groups(m)
            collector(LineMatch(sig, line, text, groups))


def _said(line: str) -> str:
    """A cited line's message text, without its place (``name:12: ``): the same line wherever a reading cites it."""
    return line.split(": ", 1)[-1].strip()


def _cites(rule: Decides, lines: set[str], finding: Finding) -> bool:
    """Whether ``finding`` stands where a deciding rule's readings do: its lines among those they cite (``lines``), as the rule
    declares it (its first line, or every line), or, for a rule that decides by scope, its framework among theirs."""
    from whygpu.explain.judge import _scope

    if rule.by == "scope":
        return _scope(finding.scope) in lines
    if not finding.evidence:
        return False
    if rule.by == "first_line":
        return _said(finding.evidence[0]) in lines
    return all(_said(e) in lines for e in finding.evidence)


def _merge_judged(matched: list[Finding], judged: list[Finding]) -> list[Finding]:
    """The signatures' findings and the judged ones, less the findings a judged rule's reading decides over.

    accdecide (session 35): one mechanism for every rule that decides over others, declared where the rule is defined
    (``Rule.decides``, ``whygpu.rules.interface.Decides``): LOG104 over the generic lines of the framework it speaks for
    (their lines join its evidence), LOG283 over a generic line it judged against the rest of the log, LOG520 over a
    signature's finding of its cause on the line it reads in the extension's name, LOG551 over the GPU_NOT_SUPPORTED
    findings citing only the refusal it judged against the GPU shown, LOG555 over any signature's reading of a setup line
    it read with the others. Every decision is taken from the judged findings as the rules gave them."""
    from dataclasses import replace

    from whygpu.explain.rules import decisions

    declared = decisions()
    # A rule's own readings decide together (those of one cause together, where it decides over its own cause only): the
    # lines they cite, or the frameworks they speak for, and the positions in ``judged`` of the findings that gather lines.
    groups: dict[tuple[str, str | None], tuple[set[str], list[int]]] = {}
    for index, decider in enumerate(judged):
        rule = declared.get(decider.id)
        if rule is None or decider.alternative_to is not None:
            continue
        lines, at = groups.setdefault((decider.id, decider.cause if rule.cause == "same" else None), (set(), []))
        if rule.by == "scope":
            lines.add(decider.scope)
        else:
            lines.update(_said(e) for e in (decider.evidence[:1] if rule.reads == "first" else decider.evidence))
        at.append(index)
    # Each finding that yields, as (id, cause, first line): a signature's alternatives cite its first line too, so those
    # whose alternatives go with them are known by the same key; and the lines each gathering finding takes from them.
    gone: set[tuple[str, str, str]] = set()
    gone_with: set[tuple[str, str, str]] = set()
    gathered: dict[int, list[str]] = {}
    for (code, cause), (lines, at) in groups.items():
        rule = declared[code]
        pool = [*matched, *judged] if rule.over == "finding" else matched
        for finding in pool:
            if (finding.alternative_to is not None or finding.id == code
                    or (rule.over == "generic" and not finding.generic)
                    or (cause is not None and finding.cause != cause)):
                continue
            if not _cites(rule, lines, finding):
                continue
            key = (finding.id, finding.cause, _said(finding.evidence[0]) if finding.evidence else "")
            gone.add(key)
            if rule.alternatives:
                gone_with.add(key)
            if rule.gathers:
                for index in at:
                    gathered.setdefault(index, []).extend(finding.evidence[:2])

    def kept(finding: Finding) -> bool:
        first = _said(finding.evidence[0]) if finding.evidence else ""
        if finding.alternative_to is None:
            return (finding.id, finding.cause, first) not in gone
        return (finding.id, finding.alternative_to, first) not in gone_with

    def merged(own: tuple[str, ...], extra: list[str]) -> tuple[str, ...]:
        # A yielded line's evidence is added unless it quotes a line already cited.
        said = {e.split(": ", 1)[-1] for e in own}
        return tuple(dict.fromkeys((*own, *(e for e in extra if e.split(": ", 1)[-1] not in said))))

    out = [f for f in matched if kept(f)]
    judged = [replace(f, evidence=merged(f.evidence, gathered[i])) if i in gathered else f
              for i, f in enumerate(judged) if kept(f)]
    # A cause the signatures already give keeps their finding; a judged finding of the same cause adds its
    # evidence, and its fix only where the signatures' fix for the cause does not already say it.
    given: dict[str, list[Finding]] = {}
    for finding in out:
        if finding.fix and finding.severity is not Severity.INFO:
            given.setdefault(finding.cause, []).append(finding)
    judged = [
        replace(f, fix="", extra={**f.extra, "fix_given_by": lead.id})
        if f.fix and (lead := next((g for g in given.get(f.cause, ()) if f.fix in g.fix), None)) is not None else f
        for f in judged
    ]
    return out + judged


def explain_lines(lines: Iterable[str], *, source: str = "<stdin>") -> ExplainResult:
    """Explain lines of text (for example a framework's captured output)."""
    from whygpu.explain.sources import iter_text_lines

    return _run([(source, iter_text_lines(iter(lines)), None)], [])


def explain_text(text: str, *, source: str = "<text>") -> ExplainResult:
    """Explain a block of text."""
    data = text.encode("utf-8", "replace")
    view = memoryview(data)
    offset = 0

    def read(size: int) -> bytes:
        nonlocal offset
        out = bytes(view[offset : offset + size])
        offset += len(out)
        return out

    return _run([(source, read, None)], [])


def explain_path(path: str, *, stdin: BinaryIO | None = None) -> ExplainResult:
    """Explain a log file (plain or compressed), an Azure ML job folder, or "-" for stdin.

    Raises ``whygpu.errors.UserError`` for a path that cannot be read, a single file that is
    not text, or a folder with no logs; files found in a folder that cannot be read are
    skipped with a note.
    """
    from whygpu.errors import UserError
    from whygpu.explain.sources import NotText, discover, open_log

    found, notes = discover(path)
    single = len(found) == 1 and (found[0].path is None or found[0].path == path)
    places = {source.name: source.path for source in found if source.path is not None}

    def feed() -> Iterable[tuple[str, Any, str | None]]:
        for source in found:
            try:
                opened = open_log(source, stdin)
            except NotText as exc:
                if single:
                    raise UserError(str(exc), where=source.name) from None
                notes.append(f"skipped {source.name}: {exc}")
                continue
            except PermissionError:
                if single:
                    raise UserError("permission denied", where=source.name) from None
                notes.append(f"skipped {source.name}: permission denied")
                continue
            except OSError as exc:
                if single:
                    raise UserError(f"cannot read: {exc.strerror or exc}", where=source.name) from None
                notes.append(f"skipped {source.name}: {exc.strerror or exc}")
                continue
            if opened.encoding == "utf-16":
                notes.append(f"{source.name}: read as UTF-16")
            # The path of a plain UTF-8 file, for a reader that can use it (the scan reads ``read``).
            plain = source.path if not opened.compression and opened.encoding == "utf-8" else None
            try:
                yield source.name, _guard(opened.read, source.name, single, notes), plain
            finally:
                opened.close()

    result = _run(feed(), notes)
    result.places.update((name, place) for name, place in places.items() if name in result.sources)
    return result


def _guard(read: Any, name: str, single: bool, notes: list[str]) -> Any:
    """A ``read`` that turns damage found mid-file into a note (or an error for a single file)."""
    from whygpu.errors import UserError
    from whygpu.explain.sources import NotText

    def guarded(size: int) -> bytes:
        try:
            data: bytes = read(size)
        except NotText as exc:
            if single:
                raise UserError(str(exc), where=name) from None
            notes.append(f"{name}: stopped reading: {exc}")
            return b""
        except OSError as exc:
            if single:
                raise UserError(f"cannot read: {exc.strerror or exc}", where=name) from None
            notes.append(f"{name}: stopped reading: {exc.strerror or exc}")
            return b""
        return data

    return guarded


def to_report(result: ExplainResult) -> Report:
    """The report for ``result`` (subject "logs"), causes ranked by likelihood."""
    from whygpu.explain.report import build_report

    return build_report(result)
