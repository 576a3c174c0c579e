"""Aggregates a fleet: each node diagnosed by the doctor, nodes grouped by configuration, fleet rules run, one report."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from whygpu.facts import Unavailable
from whygpu.fleet.facts import (
    ATTRIBUTES,
    FleetFacts,
    NodeFacts,
    node_facts,
    node_name,
    node_name_from_path,
)
from whygpu.fleet.read import (
    Layout,
    NodeDocument,
    Unread,
    layout,
    parse_document,
    parse_snapshot,
    split_source,
    state_free_key,
    state_part,
)
from whygpu.fleet.rules import RULES, names, odd_nodes
from whygpu.model import Finding, Report, Severity, Verdict, rank_causes
from whygpu.rules.gpu_state import STATE_FIELDS, STATE_RULES
from whygpu.rules.runner import run_rule_list
from whygpu.snapshot import GpuProcess, Snapshot

# Parts of a snapshot that differ between identical nodes and never change a diagnosis.
_PER_NODE_KEYS = frozenset({"source", "probes", "tool_version"})


@dataclass
class _Seen:
    """What is kept per node name to detect duplicates: the content key and when it was taken."""

    key: int  # hash of the content key: equal content, equal hash
    created: str
    path: str


def _content_key(data: dict[str, Any]) -> bytes:
    # For snapshots not laid out as whygpu writes them: repr of the parsed document is fast (C)
    # and identical for identical content in the same key order; another order only costs a
    # second diagnosis, never a wrong one.
    text = repr([(k, v) for k, v in data.items() if k not in _PER_NODE_KEYS])
    return text.encode("utf-8", "surrogatepass")


def _source(source: Any) -> tuple[str, str]:
    """(host name, creation time) from a snapshot's source object, empty when absent."""
    if not isinstance(source, dict):
        return "", ""
    hostname, created = source.get("hostname"), source.get("created")
    return (hostname if isinstance(hostname, str) else "", created if isinstance(created, str) else "")


def _known_node(document: NodeDocument, split: tuple[bytes, bytes] | None,
                by_content: dict[bytes, NodeFacts]) -> tuple[bytes, NodeFacts, str] | None:
    """A node whose content was seen before, from its bytes alone: (key, its facts, creation time)."""
    if split is None or split[0] not in by_content:
        return None
    try:
        source = json.loads(split[1])
    except (ValueError, RecursionError):
        return None
    hostname, created = _source(source)
    known = by_content[split[0]]
    return split[0], dataclasses.replace(known, name=hostname or node_name_from_path(document.path), path=document.path), created


@dataclass(frozen=True)
class _Configuration:
    """A diagnosed node, kept for other nodes of the same configuration whose GPUs are in another state."""

    snapshot: Snapshot
    facts: NodeFacts
    state_findings: tuple[tuple[str, str], ...]


def _config_key(data: dict[str, Any]) -> bytes | None:
    """The document without where and when it was taken and without the GPUs' moment-to-moment state."""
    try:
        devices = data["driver"]["report"]["devices"]
        stable_devices = [{k: v for k, v in device.items() if k not in STATE_FIELDS} for device in devices]
        driver = {**data["driver"], "report": {**data["driver"]["report"], "devices": stable_devices}}
    except (KeyError, TypeError, AttributeError):
        return None
    text = repr([(k, driver if k == "driver" else v) for k, v in data.items() if k not in _PER_NODE_KEYS])
    return text.encode("utf-8", "surrogatepass")


def _state_findings(snapshot: Snapshot) -> tuple[tuple[str, str], ...]:
    """What the rules that read the GPUs' current state say, as (rule, title) pairs."""
    findings, _unknown = run_rule_list(STATE_RULES, snapshot)
    return tuple((finding.id, finding.title) for finding in findings)


def _with_state(template: Snapshot, data: dict[str, Any]) -> Snapshot | None:
    """``template`` with this node's GPU state (memory used, utilisation, processes); None when it is malformed."""
    report = template.driver.report
    raw = data["driver"]["report"]["devices"]
    if isinstance(report, Unavailable) or len(raw) != len(report.devices):
        return None
    devices = []
    for device, state in zip(report.devices, raw, strict=True):
        used, busy, processes = state.get("memory_used_mib"), state.get("utilization_percent"), state.get("processes", [])
        if not (used is None or type(used) is int) or not (busy is None or type(busy) is int) or not isinstance(processes, list):
            return None
        try:
            typed = [GpuProcess(int(p["pid"]), str(p["name"]), p.get("used_memory_mib")) for p in processes]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        if any(not (p.used_memory_mib is None or type(p.used_memory_mib) is int) for p in typed):
            return None
        devices.append(_shallow(device, memory_used_mib=used, utilization_percent=busy, processes=typed))
    driver = _shallow(template.driver, report=_shallow(report, devices=devices))
    return _shallow(template, driver=driver)


T = TypeVar("T")


def _shallow(obj: T, **changes: Any) -> T:
    """A shallow copy of a plain dataclass with some fields set: no __init__ run (dataclasses.replace
    and copy.copy were most of a varied fleet's time)."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


def _same_configuration(document: NodeDocument, data: dict[str, Any], config: bytes | None,
                        by_config: dict[bytes, _Configuration]) -> NodeFacts | None:
    """A node whose configuration was diagnosed before and whose GPU state changes no finding."""
    known = by_config.get(config) if config is not None else None
    if known is None:
        return None
    snapshot = _with_state(known.snapshot, data)
    if snapshot is None or _state_findings(snapshot) != known.state_findings:
        return None
    hostname, _created = _source(data.get("source"))
    return dataclasses.replace(known.facts, name=hostname or node_name_from_path(document.path), path=document.path)


def _new_node(document: NodeDocument, parts: Layout | None, split: tuple[bytes, bytes] | None, by_content: dict[bytes, NodeFacts],
              by_config: dict[bytes, _Configuration]) -> tuple[bytes, NodeFacts, str] | Unread:
    """Parse and diagnose a node whose content was not seen before (or reuse its configuration's diagnosis)."""
    from whygpu.diagnose import diagnose

    # The configuration from the bytes first: a hit needs only the parts that differ between nodes.
    config_bytes = state_free_key(document.raw, parts)
    if split is not None and config_bytes in by_config:
        part = state_part(document.raw, parts)
        facts = _same_configuration(document, part, config_bytes, by_config) if part is not None else None
        if facts is not None:
            by_content.setdefault(split[0], facts)
            return split[0], facts, _source(part["source"] if part else None)[1]
    data = parse_document(document)
    if isinstance(data, Unread):
        return data
    key = split[0] if split is not None else _content_key(data)
    facts = _same_configuration(document, data, config_bytes, by_config)
    config = None
    if facts is None:
        config = _config_key(data)
        facts = _same_configuration(document, data, config, by_config)
    if facts is not None:
        return key, facts, _source(data.get("source"))[1]
    snapshot = parse_snapshot(document.path, data)
    if isinstance(snapshot, Unread):
        return snapshot
    facts = by_content.get(key)
    if facts is None:
        facts = by_content[key] = node_facts(snapshot, document.path, diagnose(snapshot, subject_kind="snapshot"))
        known = _Configuration(snapshot, facts, _state_findings(snapshot))
        for name in (config_bytes, config):
            if name is not None and name not in by_config:
                by_config[name] = known
    else:
        facts = dataclasses.replace(facts, name=node_name(snapshot, document.path), path=document.path)
    return key, facts, snapshot.source.created


def gather(documents: Iterable[NodeDocument | Unread]) -> FleetFacts:
    """Diagnose every node once per distinct configuration and keep only what the fleet rules need.

    Nodes whose snapshots agree in everything but where and when they were taken (and how long
    each probe took) share one parse and one diagnosis: a fleet of identical nodes costs about
    what reading its files costs. Nodes that also differ in their GPUs' moment-to-moment state
    (memory used, utilisation, processes) share the diagnosis of their configuration when the
    rules that read that state (``rules.gpu_state.STATE_RULES``) say the same of both.
    """
    unread: list[str] = []
    nodes: dict[str, NodeFacts] = {}
    seen: dict[str, _Seen] = {}
    by_content: dict[bytes, NodeFacts] = {}
    by_config: dict[bytes, _Configuration] = {}
    for document in documents:
        if isinstance(document, Unread):
            unread.append(f"{document.path}: {document.reason}")
            continue
        parts = layout(document.raw)
        split = split_source(document.raw, parts)
        found = _known_node(document, split, by_content) or _new_node(document, parts, split, by_content, by_config)
        if isinstance(found, Unread):
            unread.append(f"{found.path}: {found.reason}")
            continue
        key, facts, created = found
        earlier = seen.get(facts.name)
        if earlier is not None:
            if earlier.key == hash(key) and earlier.created == created:
                unread.append(f"{document.path}: a duplicate of {earlier.path} (node {facts.name}); counted once")
                continue
            if created <= earlier.created:
                unread.append(f"{document.path}: an older snapshot of node {facts.name} than {earlier.path}; the newer one is used")
                continue
            unread.append(f"{earlier.path}: an older snapshot of node {facts.name} than {document.path}; the newer one is used")
        seen[facts.name] = _Seen(hash(key), created, document.path)
        nodes[facts.name] = facts
    return FleetFacts(nodes=tuple(nodes[name] for name in sorted(nodes)), unread=tuple(unread))


def _node_findings(fleet: FleetFacts) -> list[Finding]:
    """Each node's own findings, merged across nodes: one finding per rule and title, naming the nodes."""
    merged: dict[tuple[str, str], list[tuple[NodeFacts, Finding]]] = defaultdict(list)
    for node in fleet.nodes:
        for finding in node.report.findings:
            if finding.severity is Severity.INFO:
                continue
            merged[(finding.id, finding.title)].append((node, finding))
    total = len(fleet.nodes)
    findings: list[Finding] = []
    for (_rule_id, title), hits in merged.items():
        lead = hits[0][1]
        where = "on every node" if len(hits) == total and total > 1 else f"on {names([n.name for n, _ in hits])}"
        findings.append(
            Finding(
                id=lead.id,
                cause=lead.cause,
                severity=lead.severity,
                title=f"{title} ({where})",
                evidence=(f"nodes: {names([n.name for n, _ in hits])}", *lead.evidence),
                fix=lead.fix,
                confidence=lead.confidence,
                scope=", ".join(n.name for n, _ in hits),
            )
        )
    return findings


def _fleet_findings(fleet: FleetFacts) -> tuple[list[Finding], list[str]]:
    return run_rule_list(RULES, fleet)


def _groups(fleet: FleetFacts) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Nodes with identical configuration form a group; the largest group is group 1."""
    members: dict[tuple[str | None, ...], list[str]] = defaultdict(list)
    for node in fleet.nodes:
        members[tuple(node.profile.get(a) for a in ATTRIBUTES)].append(node.name)
    ordered = sorted(members.items(), key=lambda item: (-len(item[1]), item[1][0]))
    group_of: dict[str, int] = {}
    groups: list[dict[str, Any]] = []
    for number, (config, group_nodes) in enumerate(ordered, start=1):
        for name in group_nodes:
            group_of[name] = number
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
    usable = [n for n in fleet.nodes if n.report.verdict.gpu_usable is True]
    if usable:
        for node in fleet.nodes:
            if node.report.verdict.gpu_usable is False:
                codes = ", ".join(c.code for c in node.report.causes) or "no cause named"
                reasons[node.name].append(f"cannot use the GPU ({codes}) while {len(usable)} other nodes can")
    return reasons


def _verdict(fleet: FleetFacts, odd: dict[str, list[str]], fleet_errors: list[Finding]) -> Verdict:
    total = len(fleet.nodes)
    if total == 0:
        return Verdict(None, "No snapshot could be read, so nothing is known about the fleet.")
    blocked = [n for n in fleet.nodes if n.report.verdict.gpu_usable is False]
    unknown = [n for n in fleet.nodes if n.report.verdict.gpu_usable is None]
    odd_text = f"; odd node{'s' if len(odd) != 1 else ''} out: {names(sorted(odd))}" if odd else ""
    if blocked:
        firsts = names([f"{n.name} ({n.report.causes[0].code})" if n.report.causes else n.name for n in blocked])
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
    node_level = _node_findings(fleet)
    fleet_level, unknown = _fleet_findings(fleet)
    findings = sorted(node_level + fleet_level, key=lambda f: (f.severity.weight, f.id))
    causes = rank_causes(findings)
    groups, group_of = _groups(fleet)
    odd = _odd_reasons(fleet)
    nodes = [
        {
            "name": node.name,
            "file": node.path,
            "gpu_usable": node.report.verdict.gpu_usable,
            "causes": [c.code for c in node.report.causes],
            "group": group_of[node.name],
            "gpus": node.gpu_count,
            "expected_gpus": node.expected_gpu_count,
            "odd": odd.get(node.name, []),
            "configuration": {a: v for a, v in node.profile.items() if v is not None},
        }
        for node in fleet.nodes
    ]
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
