"""Aggregates a fleet: each node diagnosed by the doctor, nodes grouped by configuration, fleet rules run, one report."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from whygpu.fleet.facts import ATTRIBUTES, FleetFacts, NodeFacts
from whygpu.fleet.nodes import NodeReader
from whygpu.fleet.read import NodeDocument, Unread
from whygpu.fleet.rules import RULES, names, odd_nodes
from whygpu.model import Finding, Report, Severity, Verdict, rank_causes
from whygpu.rules.gpu_state import STATE_RULES, StateFinding
from whygpu.rules.runner import run_rule_list

_STATE_RULES = {rule.code: rule for rule in STATE_RULES}


@contextmanager
def _cycles_not_collected() -> Iterator[None]:
    """The cyclic garbage collector paused: a fleet keeps tens of thousands of small objects (each node's
    facts and state findings, its row in the report), and each collection would walk them all again
    (two thirds of a busy fleet's report); nothing made here forms a cycle that must go before the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def gather(documents: Iterable[NodeDocument | Unread]) -> FleetFacts:
    """Every node's facts (``_gather``), with the cyclic garbage collector paused."""
    with _cycles_not_collected():
        return _gather(documents)


def _gather(documents: Iterable[NodeDocument | Unread]) -> FleetFacts:
    """Diagnose every node once per distinct configuration and keep only what the fleet rules need.

    Nodes whose snapshots agree in everything but where and when they were taken (and how long
    each probe took) and their GPUs' moment-to-moment state (memory used, utilisation, processes)
    share one parse and one diagnosis (``fleet.nodes.NodeReader``): the rules that read that state
    (``rules.gpu_state.STATE_RULES``) are judged once per state signature
    (``rules.gpu_state.state_signature``: what those rules can make of it), and where they find
    otherwise than on the configuration's first node only they run again
    (``diagnose.rediagnose_state``). A fleet costs about what reading its files costs.
    """
    unread: list[str] = []
    nodes: dict[str, NodeFacts] = {}
    seen: dict[str, tuple[int, str, str]] = {}  # node name -> (content hash, creation time, file)
    reader = NodeReader()
    for document in documents:
        if isinstance(document, Unread):
            unread.append(f"{document.path}: {document.reason}")
            continue
        found = reader.node(document)
        if isinstance(found, Unread):
            unread.append(f"{found.path}: {found.reason}")
            continue
        content, facts, created = found
        earlier = seen.get(facts.name)
        if earlier is not None:
            if earlier[0] == content and earlier[1] == created:
                unread.append(f"{document.path}: a duplicate of {earlier[2]} (node {facts.name}); counted once")
                continue
            if created <= earlier[1]:
                unread.append(f"{document.path}: an older snapshot of node {facts.name} than {earlier[2]}; the newer one is used")
                continue
            unread.append(f"{earlier[2]}: an older snapshot of node {facts.name} than {document.path}; the newer one is used")
        seen[facts.name] = (content, created, document.path)
        nodes[facts.name] = facts
    return FleetFacts(nodes=tuple(nodes[name] for name in sorted(nodes)), unread=tuple(unread))


def _node_findings(fleet: FleetFacts) -> list[Finding]:
    """Each node's own findings, merged across nodes: one finding per rule and title, naming the nodes.

    The state rules' findings (a GPU's memory taken, a compute mode that blocks) are merged by rule
    instead (``_state_findings``): their words name each node's own numbers.
    """
    merged: dict[tuple[str, str], list[tuple[list[NodeFacts], Finding]]] = defaultdict(list)
    by_outline: dict[int, list[NodeFacts]] = {}
    for node in fleet.nodes:  # nodes read as one configuration share their outline: its findings are read once
        sharing = by_outline.get(id(node.outline))
        if sharing is None:
            sharing = by_outline[id(node.outline)] = []
            for finding in node.outline.findings:
                if finding.severity is Severity.INFO or finding.id in _STATE_RULES:
                    continue
                merged[(finding.id, finding.title)].append((sharing, finding))
        sharing.append(node)
    total = len(fleet.nodes)
    findings: list[Finding] = []
    for (_rule_id, title), hits in merged.items():
        lead = hits[0][1]
        members = hits[0][0] if len(hits) == 1 else fleet.in_order(n for sharing, _ in hits for n in sharing)
        where = "on every node" if len(members) == total and total > 1 else f"on {names([n.name for n in members])}"
        findings.append(
            Finding(
                id=lead.id,
                cause=lead.cause,
                severity=lead.severity,
                title=f"{title} ({where})",
                evidence=(f"nodes: {names([n.name for n in members])}", *lead.evidence),
                fix=lead.fix,
                confidence=lead.confidence,
                scope=", ".join(n.name for n in members),
            )
        )
    return findings + _state_findings(fleet)


def _span(values: list[int]) -> str:
    """The range of some numbers in words: one number when they are all equal."""
    low, high = min(values), max(values)
    return f"{low}" if low == high else f"{low}-{high}"


def _plural(count: int, word: str, plural: str = "") -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _state_findings(fleet: FleetFacts) -> list[Finding]:
    """The state rules' findings of every node, one per rule: on which nodes and how many GPUs, the ranges of memory used and processes.

    Each node's own are its ``gpu_state`` (and its own report, ``NodeFacts.report``); the fleet
    JSON lists them per node (``details.fleet.nodes[].gpu_state``).
    """
    found_by: dict[str, list[StateFinding]] = {}
    nodes_by: dict[str, list[str]] = {}
    for node in fleet.nodes:
        state = node.gpu_state
        if not state:
            continue
        codes = {found[0] for found in state}
        if len(codes) == 1:
            (code,) = codes
            found_by.setdefault(code, []).extend(state)
        else:
            for found in state:
                found_by.setdefault(found.code, []).append(found)
        for code in codes:
            nodes_by.setdefault(code, []).append(node.name)
    total = len(fleet.nodes)
    findings: list[Finding] = []
    for code, found_list in found_by.items():
        rule = _STATE_RULES[code]
        members = nodes_by[code]
        _codes, indexes, models, totals, modes, used_list, process_counts = zip(*found_list, strict=True)
        where = f"on every node ({total})" if len(members) == total and total > 1 else f"on {names(members)}"
        gpus = _plural(len(found_list), "GPU")
        known_used = [u for u in used_list if u is not None]
        known_totals = [t for t in totals if t is not None]
        processes = list(process_counts)
        held = ("by processes the driver does not show here" if max(processes) == 0
                else f"by {_span(processes)} process{'' if max(processes) == 1 else 'es'}" + (" each" if len(found_list) > 1 and min(processes) == max(processes) else ""))
        memory = (f"{_span(known_used)} of {_span(known_totals)} MiB used" if known_used and known_totals else "memory used not known")
        if code == "BUSY001":
            title = f"GPU memory taken by other processes {where}: {gpus}, {memory}, {held}"
        else:
            title = f"GPU compute mode {', '.join(sorted({str(m) for m in modes}))} blocks another process {where}: {gpus}, {held}"
        findings.append(
            Finding(
                id=code,
                cause=rule.cause,
                severity=rule.severity,
                title=title,
                evidence=(
                    f"nodes: {names(members)} ({_plural(len(members), 'node')})",
                    f"GPUs: {len(found_list)} ({'index' if len(set(indexes)) == 1 else 'indexes'} {', '.join(map(str, sorted(set(indexes))))}; "
                    f"{', '.join(sorted(set(models)))})",
                    f"memory: {memory}",
                    f"held {held}",
                    "each node's own: its gpu_state in the fleet JSON (details.fleet.nodes), or `whygpu doctor --from` its file",
                ),
                fix=rule.doc.fix,
                scope=", ".join(members),
            )
        )
    return findings


def _fleet_findings(fleet: FleetFacts) -> tuple[list[Finding], list[str]]:
    return run_rule_list(RULES, fleet)


def _groups(fleet: FleetFacts) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Nodes with identical configuration form a group; the largest group is group 1."""
    parts: dict[tuple[str | None, ...], list[list[NodeFacts]]] = defaultdict(list)
    for profile, profile_nodes in fleet.profiles:
        parts[tuple(profile.get(a) for a in ATTRIBUTES)].append(profile_nodes)
    members = {config: [n.name for n in (lists[0] if len(lists) == 1 else fleet.in_order(n for m in lists for n in m))]
               for config, lists in parts.items()}
    ordered = sorted(members.items(), key=lambda item: (-len(item[1]), item[1][0]))
    group_of: dict[str, int] = {}
    groups: list[dict[str, Any]] = []
    for number, (config, group_nodes) in enumerate(ordered, start=1):
        group_of.update(dict.fromkeys(group_nodes, number))
        groups.append({
            "group": number,
            "nodes": len(group_nodes),
            "members": group_nodes,
            "configuration": {a: v for a, v in zip(ATTRIBUTES, config, strict=True) if v is not None},
        })
    return groups, group_of


def _odd_reasons(fleet: FleetFacts) -> dict[str, list[str]]:
    """For each node that differs from the fleet's usual configuration, the differences in words."""
    reasons: dict[str, list[str]] = defaultdict(list)
    if len(fleet.nodes) < 2:
        return reasons
    for attribute in ATTRIBUTES:
        for members, value, usual, count in odd_nodes(fleet, attribute):
            for node in members:
                reasons[node.name].append(
                    f"{attribute}: {value}" + (f" (the other {count} nodes: {usual})" if usual is not None else "")
                )
    for node in fleet.nodes:
        if node.faults:
            reasons[node.name].extend(f"fault: {fault}" for fault in node.faults)
    usable = [n for n in fleet.nodes if n.outline.verdict.gpu_usable is True]
    if usable:
        for node in fleet.nodes:
            if node.outline.verdict.gpu_usable is False:
                codes = ", ".join(c.code for c in node.outline.causes) or "no cause named"
                reasons[node.name].append(f"cannot use the GPU ({codes}) while {len(usable)} other nodes can")
    return reasons


def _state_json(state: tuple[StateFinding, ...]) -> list[dict[str, Any]]:
    """One node's state findings for its row in the fleet JSON: per rule, the GPUs and each one's numbers (lists in GPU order; the compute mode for BUSY002)."""
    by_code: dict[str, list[StateFinding]] = {}
    for found in state:
        by_code.setdefault(found.code, []).append(found)
    rows = []
    for code, found_list in by_code.items():
        _codes, gpus, _models, totals, modes, used, processes = zip(*found_list, strict=True)
        row = {"rule": code, "gpus": list(gpus), "memory_used_mib": list(used), "memory_total_mib": list(totals), "processes": list(processes)}
        if code != "BUSY001":  # the compute mode is what BUSY002 is about
            row["compute_mode"] = list(modes)
        rows.append(row)
    return rows


def _verdict(fleet: FleetFacts, odd: dict[str, list[str]], fleet_errors: list[Finding]) -> Verdict:
    total = len(fleet.nodes)
    if total == 0:
        return Verdict(None, "No snapshot could be read, so nothing is known about the fleet.")
    blocked = [n for n in fleet.nodes if n.outline.verdict.gpu_usable is False]
    unknown = [n for n in fleet.nodes if n.outline.verdict.gpu_usable is None]
    odd_text = f"; odd node{'s' if len(odd) != 1 else ''} out: {names(sorted(odd))}" if odd else ""
    if blocked:
        firsts = names([f"{n.name} ({n.outline.causes[0].code})" if n.outline.causes else n.name for n in blocked])
        return Verdict(False, f"{len(blocked)} of {total} nodes cannot use the GPU: {firsts}{odd_text}.")
    if fleet_errors:
        # Every node may use its GPUs, but the fleet is not what the job expects (a GPU gone from a node).
        lead = fleet_errors[0]
        more = f" ({len(fleet_errors) - 1} more below)" if len(fleet_errors) > 1 else ""
        return Verdict(False, f"The fleet is not fit for the job: {lead.title}{more}{odd_text}.")
    if unknown and len(unknown) == total:
        return Verdict(None, f"Whether the GPU is usable is not known on any of the {total} nodes{odd_text}.")
    if unknown:
        return Verdict(None, f"{total - len(unknown)} of {total} nodes can use the GPU; on {names([n.name for n in unknown])} it is not known{odd_text}.")
    if odd:
        return Verdict(True, f"All {total} nodes can use the GPU, but they are not configured alike{odd_text}.")
    return Verdict(True, f"All {total} nodes can use the GPU and are configured alike.")


def fleet_report(fleet: FleetFacts) -> Report:
    """The fleet's report: merged node causes and fleet findings ranked, a verdict, and per-node details."""
    with _cycles_not_collected():
        return _fleet_report(fleet)


def _fleet_report(fleet: FleetFacts) -> Report:
    """``fleet_report``, with the cyclic garbage collector paused."""
    node_level = _node_findings(fleet)
    fleet_level, unknown = _fleet_findings(fleet)
    findings = sorted(node_level + fleet_level, key=lambda f: (f.severity.weight, f.id))
    causes = rank_causes(findings)
    groups, group_of = _groups(fleet)
    odd = _odd_reasons(fleet)
    # Nodes read as one configuration share their profile and report: what is built from those, once each.
    configurations = {id(profile): {a: v for a, v in profile.items() if v is not None} for profile, _members in fleet.profiles}
    node_causes: dict[int, list[str]] = {}
    nodes = []
    for node in fleet.nodes:
        report = node.outline
        codes = node_causes.get(id(report))
        if codes is None:
            codes = node_causes[id(report)] = [c.code for c in report.causes]
        nodes.append({
            "name": node.name,
            "file": node.path,
            "gpu_usable": report.verdict.gpu_usable,
            "causes": list(codes),
            "group": group_of[node.name],
            "gpus": node.gpu_count,
            "expected_gpus": node.expected_gpu_count,
            "odd": odd.get(node.name, []),
            "configuration": configurations[id(node.profile)].copy(),
            "gpu_state": _state_json(node.gpu_state) if node.gpu_state else [],
        })
    details: dict[str, Any] = {
        "fleet": {
            "nodes": nodes,
            "groups": groups,
            "odd_nodes": [{"name": name, "reasons": odd[name]} for name in sorted(odd)],
            "unread": list(fleet.unread),
        },
        "unknown": unknown,
    }
    return Report(
        subject_kind="fleet",
        verdict=_verdict(fleet, odd, [f for f in fleet_level if f.severity is Severity.ERROR]),
        causes=causes,
        findings=findings,
        subject={"nodes": len(fleet.nodes), "groups": len(groups), "unread": len(fleet.unread)},
        details=details,
        notes=list(fleet.unread),
    )


__all__ = ["fleet_report", "gather"]
