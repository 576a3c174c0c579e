"""Aggregates a fleet: each node diagnosed by the doctor, nodes grouped by configuration, fleet rules run, one report."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from whygpu.facts import Unavailable
from whygpu.fleet.facts import ATTRIBUTES, FleetFacts, NodeFacts, node_facts, node_name_from_path
from whygpu.fleet.read import (
    NodeDocument,
    Unread,
    cut_state,
    layout,
    parse_document,
    parse_snapshot,
    source_and_records,
)
from whygpu.fleet.rules import RULES, names, odd_nodes
from whygpu.model import Finding, Report, Severity, Verdict, rank_causes
from whygpu.rules.gpu_state import STATE_FIELDS, STATE_RULES, state_signature
from whygpu.rules.interface import Unknown
from whygpu.snapshot import GpuProcess, Snapshot

# Parts of a snapshot that differ between identical nodes and never change a diagnosis (of the source,
# where and when it was taken: rules read how, its mode and root, which stay in every key).
_PER_NODE_KEYS = frozenset({"source", "probes", "tool_version"})

_LIST = 0x5B  # "[": the first byte of a state value that is a list


class _Key(NamedTuple):
    """Which known configuration a node belongs to, and which exact content it has (for duplicates)."""

    config: object  # the key of its configuration in ``by_config``
    content: int  # a hash of its content without where and when it was taken: equal content, equal hash


@dataclass
class _Configuration:
    """A diagnosed configuration, kept for the other nodes that share it with their GPUs in another state."""

    snapshot: Snapshot
    facts: NodeFacts
    findings: list[dict[str, Any]]  # what STATE_RULES found on it, as JSON (compared word for word)
    # Per GPU: memory total and compute mode (what state_signature needs), and where the GPU's memory
    # used, processes and utilisation are among the state values cut from the bytes; None when a
    # node's state cannot be read from its bytes that way (it is then read from its parsed document).
    gpus: tuple[tuple[int | None, str | None, int, int, int], ...] | None
    # What a node of this configuration is, by the signatures of its GPUs' states.
    by_signature: dict[tuple[object, ...], NodeFacts] = field(default_factory=dict)


def _source(source: Any) -> tuple[str, str]:
    """(host name, creation time) from a snapshot's source object, empty when absent."""
    if not isinstance(source, dict):
        return "", ""
    hostname, created = source.get("hostname"), source.get("created")
    return (hostname if isinstance(hostname, str) else "", created if isinstance(created, str) else "")


def _how(source: Any) -> tuple[object, object]:
    """How a snapshot was taken (its source's mode and root): rules read it, so it is part of every key."""
    if not isinstance(source, dict):
        return None, None
    mode, root = source.get("mode"), source.get("root")
    return (mode if isinstance(mode, str) else repr(mode)), (root if isinstance(root, str) else repr(root))


def _renamed(facts: NodeFacts, name: str, path: str) -> NodeFacts:
    """``facts`` for another node of the same content (a shallow copy: no __init__ run per node)."""
    return _shallow(facts, name=name, path=path)


def _process(item: Any) -> GpuProcess | None:
    """One process record as the snapshot reader would take it; None when that reader would refuse it."""
    if not isinstance(item, dict):
        return None
    pid, name, used = item.get("pid"), item.get("name"), item.get("used_memory_mib", False)
    if type(pid) is not int or type(name) is not str or not (used is None or type(used) is int):
        return None
    return GpuProcess(pid, name, used)


def _processes(value: Any) -> list[GpuProcess] | None:
    """A GPU's process list as the snapshot reader would take it; None when that reader would refuse it."""
    if not isinstance(value, list):
        return None
    typed = [_process(item) for item in value]
    return None if None in typed else typed  # type: ignore[return-value]


def _bytes_state(gpus: tuple[tuple[int | None, str | None, int, int, int], ...], values: list[bytes]
                 ) -> tuple[tuple[object, ...], list[tuple[int | None, bytes]]] | None:
    """A node's GPU state from the values cut from its bytes: (its signature, per GPU memory used and processes' text).

    None when a value is not what the snapshot reader would take (the node is then parsed in full).
    """
    signature = []
    states = []
    for total, mode, at_used, at_processes, at_busy in gpus:
        used, processes = values[at_used], values[at_processes]
        if used[0] == _LIST or values[at_busy][0] == _LIST or processes[0] != _LIST:
            return None
        if processes != b"[]":
            try:
                if _processes(json.loads(processes)) is None:
                    return None
            except (ValueError, RecursionError):
                return None
        number = None if used == b"null" else int(used)
        signature.append(state_signature(total, mode, number, processes))
        states.append((number, processes))
    return tuple(signature), states


def _dict_state(template: Snapshot, data: dict[str, Any]) -> tuple[tuple[object, ...], list[tuple[int | None, list[GpuProcess]]]] | None:
    """A node's GPU state from its parsed document: (its signature, per GPU memory used and processes); None when malformed."""
    report = template.driver.report
    try:
        raw = data["driver"]["report"]["devices"]
    except (KeyError, TypeError):
        return None
    if isinstance(report, Unavailable) or not isinstance(raw, list) or len(raw) != len(report.devices):
        return None
    signature = []
    states = []
    for device, state in zip(report.devices, raw, strict=True):
        if not isinstance(state, dict):
            return None
        used, busy, processes = state.get("memory_used_mib"), state.get("utilization_percent"), _processes(state.get("processes", []))
        if not (used is None or type(used) is int) or not (busy is None or type(busy) is int) or processes is None:
            return None
        signature.append(state_signature(device.memory_total_mib, device.compute_mode, used, repr(processes)))
        states.append((used, processes))
    return tuple(signature), states


def _with_state(template: Snapshot, states: list[tuple[int | None, list[GpuProcess]]]) -> Snapshot:
    """``template`` with another GPU state (memory used and processes; utilisation no rule reads)."""
    report = template.driver.report
    assert not isinstance(report, Unavailable)
    devices = [_shallow(device, memory_used_mib=used, processes=processes)
               for device, (used, processes) in zip(report.devices, states, strict=True)]
    driver = _shallow(template.driver, report=_shallow(report, devices=devices))
    return _shallow(template, driver=driver)


def _state_findings(snapshot: Snapshot) -> list[dict[str, Any]]:
    """What the rules that read the GPUs' current state find, as JSON."""
    found: list[dict[str, Any]] = []
    for state_rule in STATE_RULES:
        for outcome in state_rule.run(snapshot):
            if isinstance(outcome, Finding):
                found.append(outcome.to_json())
    return found


T = TypeVar("T")


def _shallow(obj: T, **changes: Any) -> T:
    """A shallow copy of a plain dataclass with some fields set: no __init__ run (dataclasses.replace
    and copy.copy were most of a varied fleet's time)."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


def _judged(config: _Configuration, signature: tuple[object, ...], states: list[tuple[int | None, list[GpuProcess]]]) -> NodeFacts | None:
    """The configuration's facts for a node in a state not seen before, when STATE_RULES find on it word for word
    what they found on the configuration (then the whole diagnosis is the same); None when they find otherwise."""
    if _state_findings(_with_state(config.snapshot, states)) != config.findings:
        return None
    config.by_signature[signature] = config.facts
    return config.facts


def _gpu_slots(snapshot: Snapshot, names: list[bytes], values: list[bytes]) -> tuple[tuple[int | None, str | None, int, int, int], ...] | None:
    """Where each GPU's state is among the values cut from a configuration's first snapshot, checked against its typed GPUs.

    None when the driver section is not one object per GPU holding each state field once, in the
    GPUs' order (the configuration's nodes are then read from their parsed documents).
    """
    report = snapshot.driver.report
    devices = [] if isinstance(report, Unavailable) else report.devices
    if len(names) != 3 * len(devices):
        return None
    gpus = []
    for number, device in enumerate(devices):
        group = names[3 * number : 3 * number + 3]
        if sorted(group) != [b"memory_used_mib", b"processes", b"utilization_percent"]:
            return None
        at_used, at_processes, at_busy = (3 * number + group.index(name) for name in (b"memory_used_mib", b"processes", b"utilization_percent"))
        gpus.append((device.memory_total_mib, device.compute_mode, at_used, at_processes, at_busy))
    read = _bytes_state(tuple(gpus), values)
    if read is None:
        return None
    for device, (used, processes), (_total, _mode, _at_used, _at_processes, at_busy) in zip(devices, read[1], gpus, strict=True):
        busy = None if values[at_busy] == b"null" else int(values[at_busy])
        if (used, busy) != (device.memory_used_mib, device.utilization_percent) or _processes(json.loads(processes)) != device.processes:
            return None
    return tuple(gpus)


def _content_key(data: dict[str, Any]) -> bytes:
    # For snapshots not laid out as whygpu writes them: repr of the parsed document is fast (C)
    # and identical for identical content in the same key order; another order only costs a
    # second diagnosis, never a wrong one.
    text = repr([_how(data.get("source")), *((k, v) for k, v in data.items() if k not in _PER_NODE_KEYS)])
    return text.encode("utf-8", "surrogatepass")


def _config_key(data: dict[str, Any]) -> bytes | None:
    """The document without where and when it was taken and without the GPUs' moment-to-moment state."""
    try:
        devices = data["driver"]["report"]["devices"]
        stable_devices = [{k: v for k, v in device.items() if k not in STATE_FIELDS} for device in devices]
        driver = {**data["driver"], "report": {**data["driver"]["report"], "devices": stable_devices}}
    except (KeyError, TypeError, AttributeError):
        return None
    text = repr([_how(data.get("source")), *((k, driver if k == "driver" else v) for k, v in data.items() if k not in _PER_NODE_KEYS)])
    return text.encode("utf-8", "surrogatepass")


class _Fleet:
    """What is known while a fleet is read: the configurations diagnosed, and exact repeats of unusual documents."""

    def __init__(self) -> None:
        self.by_config: dict[object, _Configuration] = {}
        self.by_content: dict[bytes, NodeFacts] = {}

    def node(self, document: NodeDocument) -> tuple[int, NodeFacts, str] | Unread:
        """(a hash of the node's content, its facts, when its snapshot was taken), or why it cannot be read.

        A node of a configuration seen before is read from its bytes: its state values cut from the
        driver section, its source and probe records decoded (one small decode), its state judged
        once per signature. Only a configuration's first node (or a node the bytes cannot settle)
        is parsed in full and diagnosed.
        """
        raw = document.raw
        parts = layout(raw)
        head = source_and_records(raw, parts) if parts is not None else None
        if parts is None or head is None:
            return self._parsed(document, None)
        config_bytes, names, values = cut_state(raw, parts)
        mode, root = _how(head[0])
        key = _Key((config_bytes, mode, root), hash((config_bytes, mode, root, *values)))
        config = self.by_config.get(key.config)
        if config is not None and config.gpus is not None:
            read = _bytes_state(config.gpus, values)
            if read is not None:
                signature, states = read
                facts = config.by_signature.get(signature)
                if facts is None:
                    typed = [(used, _processes(json.loads(processes)) or []) for used, processes in states]
                    facts = _judged(config, signature, typed)
                if facts is not None:
                    hostname, created = _source(head[0])
                    return key.content, _renamed(facts, hostname or node_name_from_path(document.path), document.path), created
                return self._parsed(document, key, config, signature)
        return self._parsed(document, key, names=names, values=values)

    def _parsed(self, document: NodeDocument, key: _Key | None, config: _Configuration | None = None,
                signature: tuple[object, ...] | None = None, names: list[bytes] | None = None,
                values: list[bytes] | None = None) -> tuple[int, NodeFacts, str] | Unread:
        """Parse and diagnose a node (or, for an unusual document, reuse an exact repeat's or its configuration's diagnosis)."""
        from whygpu.diagnose import diagnose

        data = parse_document(document)
        if isinstance(data, Unread):
            return data
        content = _content_key(data) if key is None else None
        dict_config = _config_key(data) if key is None else None
        if content is not None:
            facts = self.by_content.get(content)
            if facts is None and dict_config is not None:
                facts = self._same_configuration(data, dict_config)
            if facts is not None:
                hostname, created = _source(data.get("source"))
                return hash(content), _renamed(facts, hostname or node_name_from_path(document.path), document.path), created
        snapshot = parse_snapshot(document.path, data)
        if isinstance(snapshot, Unread):
            return snapshot
        facts = node_facts(snapshot, document.path, diagnose(snapshot, subject_kind="snapshot"))
        if config is not None and signature is not None:
            config.by_signature[signature] = facts  # the same configuration in a state its first node was not in
        elif key is not None and names is not None and values is not None and key.config not in self.by_config:
            known = _Configuration(snapshot, facts, _state_findings(snapshot), _gpu_slots(snapshot, names, values))
            self.by_config[key.config] = known
        if content is not None:
            self.by_content[content] = facts
            if dict_config is not None and dict_config not in self.by_config:
                self.by_config[dict_config] = _Configuration(snapshot, facts, _state_findings(snapshot), None)
        return (key.content if key is not None else hash(content)), facts, snapshot.source.created

    def _same_configuration(self, data: dict[str, Any], config_key: bytes) -> NodeFacts | None:
        """A parsed node whose configuration was diagnosed before, in a state judged before or judged the same."""
        config = self.by_config.get(config_key)
        if config is None:
            return None
        read = _dict_state(config.snapshot, data)
        if read is None:
            return None
        signature, states = read
        return config.by_signature.get(signature) or _judged(config, signature, states)


def gather(documents: Iterable[NodeDocument | Unread]) -> FleetFacts:
    """Diagnose every node once per distinct configuration and keep only what the fleet rules need.

    Nodes whose snapshots agree in everything but where and when they were taken (and how long
    each probe took) and their GPUs' moment-to-moment state (memory used, utilisation, processes)
    share one parse and one diagnosis: the rules that read that state (``rules.gpu_state.STATE_RULES``)
    are judged once per state signature (``rules.gpu_state.state_signature``: what those rules can
    make of it), and a node whose state they judge otherwise than its configuration's first node is
    diagnosed on its own. A fleet costs about what reading its files costs.
    """
    unread: list[str] = []
    nodes: dict[str, NodeFacts] = {}
    seen: dict[str, tuple[int, str, str]] = {}  # node name -> (content hash, creation time, file)
    fleet = _Fleet()
    for document in documents:
        if isinstance(document, Unread):
            unread.append(f"{document.path}: {document.reason}")
            continue
        found = fleet.node(document)
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
    findings: list[Finding] = []
    unknown: list[str] = []
    for fleet_rule in RULES:
        for outcome in fleet_rule.run(fleet):
            if isinstance(outcome, Unknown):
                unknown.append(f"{fleet_rule.code} {fleet_rule.slug}: {outcome.reason}")
            else:
                findings.append(outcome)
    return findings, unknown


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
