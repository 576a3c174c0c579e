"""Reads a fleet's nodes: each configuration parsed and diagnosed once, every other node of it read from its bytes."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from operator import add, itemgetter
from typing import Any, NamedTuple, TypeVar

from whygpu.facts import Unavailable
from whygpu.fleet.facts import NodeFacts, node_facts, node_name, node_name_from_path
from whygpu.fleet.read import (
    NodeDocument,
    Unread,
    cut_state,
    keys_unique,
    layout,
    parse_document,
    parse_snapshot,
    read_document,
    read_source,
    records_readable,
    records_shape,
    state_names,
    tail_readable,
)
from whygpu.model import Report
from whygpu.rules.gpu_state import (
    STATE_FIELDS,
    STATE_RULES,
    StateFinding,
    gpu_memory_taken,
    quiet_below,
    state_findings,
    state_signature,
)
from whygpu.rules.runner import run_rule_list
from whygpu.snapshot import GpuProcess, Snapshot

# Parts of a snapshot that differ between identical nodes and never change a diagnosis (of the source,
# where and when it was taken: rules read how, its mode and root, which stay in every key).
_PER_NODE_KEYS = frozenset({"source", "probes", "tool_version"})

_LIST = 0x5B  # "[": the first byte of a state value that is a list

# A process list's shape: its text with every digit but 0 made a 1. Of two lists of one shape both
# are readable or neither, and both hold as many processes: JSON reads a digit alike whatever its
# value, except a leading 0 (kept), and the number of digits is kept (Python refuses very long
# integers); a digit inside a string stays inside it.
_SHAPE = bytes.maketrans(b"23456789", b"11111111")
_new_tuple = tuple.__new__

T = TypeVar("T")

# Per GPU: memory total and compute mode (what state_signature needs), and where the GPU's memory
# used, processes and utilisation are among the state values cut from a node's bytes.
Gpu = tuple[int | None, str | None, int, int, int]
States = list[tuple[int | None, list[GpuProcess]]]


class Found(NamedTuple):
    """A node read: a hash of its content without where and when it was taken (equal content, equal hash), its facts, when it was taken."""

    content: int
    facts: NodeFacts
    created: str


def _shallow(obj: T, **changes: Any) -> T:
    """A shallow copy of a plain dataclass with some fields set: no __init__ run (dataclasses.replace
    and copy.copy were most of a varied fleet's time)."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    new.__dict__.update(changes)
    return new


def _process(item: Any) -> GpuProcess | None:
    """One process record as the snapshot reader would take it; None when that reader would refuse it."""
    if not isinstance(item, dict):
        return None
    pid, name, used = item.get("pid"), item.get("name"), item.get("used_memory_mib", False)
    if type(pid) is not int or type(name) is not str or not (used is None or type(used) is int):
        return None
    return GpuProcess(pid, name, used)


def _processes(text: bytes) -> list[GpuProcess] | None:
    """A GPU's process list from its JSON text, as the snapshot reader would take it; None when that reader would refuse it."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, list):
        return None
    typed = [_process(item) for item in value]
    return None if None in typed else typed  # type: ignore[return-value]


def _taker(indexes: list[int]) -> Callable[[list[bytes]], tuple[bytes, ...]]:
    """A function that picks these items of a list, as a tuple (itemgetter gives a bare item for one index)."""
    if len(indexes) == 1:
        only = indexes[0]
        return lambda values: (values[only],)
    if not indexes:
        return lambda values: ()
    return itemgetter(*indexes)


@dataclass(frozen=True)
class StateReader:
    """How the GPU state of a configuration's nodes is read from the values cut from their bytes."""

    gpus: tuple[Gpu, ...]
    used: Callable[[list[bytes]], tuple[bytes, ...]]
    processes: Callable[[list[bytes]], tuple[bytes, ...]]
    busy: Callable[[list[bytes]], tuple[bytes, ...]]
    # The memory used below which every GPU's state signature is (None, None) whatever its
    # processes (rules.gpu_state.quiet_below), and that signature; None when there is no such bound.
    bound: float | None
    quiet_signature: tuple[object, ...]
    # Per GPU: that bound (at and above it the GPU's memory is taken, BUSY001) and what a state
    # finding names of it (index, model); bounds None when a GPU has none (its compute mode makes
    # processes count: such nodes are judged by signature).
    bounds: tuple[float, ...] | None = None
    # Per GPU: what its BUSY001 state finding holds before the node's own numbers (StateFinding's
    # first fields: the code, the GPU's index, model, memory total and compute mode).
    heads: tuple[tuple[str, int, str, int | None, str | None], ...] = ()
    top: float = math.inf  # the largest of ``bounds``: a node whose every GPU's memory used reaches it has every GPU taken
    # Process lists' shapes (their texts with the integers cut) -> processes per GPU; None: unreadable.
    process_shapes: dict[bytes, tuple[int, ...] | None] = field(default_factory=dict)

    @classmethod
    def of(cls, snapshot: Snapshot, names: list[bytes], values: list[bytes]) -> StateReader | None:
        """The reader for a configuration, from its first node: checked against that node's typed GPUs.

        None when the driver section is not one object per GPU holding each state field once, in
        the GPUs' order (the configuration's nodes are then parsed).
        """
        report = snapshot.driver.report
        devices = [] if isinstance(report, Unavailable) else report.devices
        if len(names) != 3 * len(devices):
            return None
        gpus: list[Gpu] = []
        for number, device in enumerate(devices):
            group = names[3 * number : 3 * number + 3]
            if sorted(group) != [b"memory_used_mib", b"processes", b"utilization_percent"]:
                return None
            at_used, at_processes, at_busy = (3 * number + group.index(name) for name in (b"memory_used_mib", b"processes", b"utilization_percent"))
            gpus.append((device.memory_total_mib, device.compute_mode, at_used, at_processes, at_busy))
        bounds = [quiet_below(total, mode) for total, mode, _u, _p, _b in gpus]
        reader = cls(
            gpus=tuple(gpus),
            used=_taker([g[2] for g in gpus]),
            processes=_taker([g[3] for g in gpus]),
            busy=_taker([g[4] for g in gpus]),
            bound=None if not bounds or None in bounds else min(b for b in bounds if b is not None),
            quiet_signature=tuple(state_signature(total, mode, None, b"[]") for total, mode, _u, _p, _b in gpus),
            bounds=None if not bounds or None in bounds else tuple(b for b in bounds if b is not None),
            heads=tuple((gpu_memory_taken.code, device.index, device.name, device.memory_total_mib, device.compute_mode) for device in devices),
            top=max((b for b in bounds if b is not None), default=math.inf),
        )
        read = reader.states(values)
        if read is None:
            return None
        for device, (used, processes), busy_text in zip(devices, read[1], reader.busy(values), strict=True):
            busy = None if busy_text == b"null" else int(busy_text)
            if (used, busy, processes) != (device.memory_used_mib, device.utilization_percent, device.processes):
                return None
        return reader

    def quiet(self, values: list[bytes]) -> bool:
        """Whether no GPU has a process and none is near busy: the node's signature is then the quiet one.

        Checked on the joined texts, not GPU by GPU: "[]" for every process list, no list where a
        number belongs, and the largest memory used below the bound.
        """
        if self.bound is None or b"".join(self.processes(values)) != b"[]" * len(self.gpus):
            return False
        used = self.used(values)
        joined = b"".join(used)
        if b"[" in joined or b"[" in b"".join(self.busy(values)):
            return False
        if b"n" in joined:  # a null: no memory used known for that GPU
            return all(text == b"null" or int(text) < self.bound for text in used)
        return not used or max(map(int, used)) < self.bound

    def busy_state(self, values: list[bytes]) -> tuple[tuple[bool, ...], tuple[StateFinding, ...]] | None:
        """Which GPUs have their memory taken and the state findings that makes, in numbers, read from
        the values without decoding the process lists (checked once per shape).

        None when a compute mode makes processes count (``bounds`` None), or a value is not what the
        snapshot reader would take (the node then goes the way of ``states``).
        """
        bounds = self.bounds
        if bounds is None:
            return None
        used_texts = self.used(values)
        joined = b"".join(used_texts)
        if b"[" in joined or b"[" in b"".join(self.busy(values)):
            return None
        texts = self.processes(values)
        shape = b"\0".join(texts).translate(_SHAPE)
        counts = self.process_shapes.get(shape, ())
        if counts == ():
            counts = self.process_shapes[shape] = _process_counts(texts)
        if counts is None:
            return None
        used: list[int | None]
        try:
            if b"n" in joined:  # a null: no memory used known for that GPU
                used = [None if text == b"null" else int(text) for text in used_texts]
            else:
                numbers = list(map(int, used_texts))
                if numbers and min(numbers) >= self.top:  # every GPU taken (C-level from here on)
                    return self.all_taken, tuple(map(_new_tuple, repeat(StateFinding), map(add, self.heads, zip(numbers, counts, strict=True))))
                used = list(numbers)
        except ValueError:
            return None
        flags = tuple(u is not None and u >= b for u, b in zip(used, bounds, strict=True))
        if True not in flags:
            return flags, ()
        found = tuple(_new_tuple(StateFinding, (*head, u, count))
                      for head, u, count, busy in zip(self.heads, used, counts, flags, strict=True) if busy)
        return flags, found

    @property
    def all_taken(self) -> tuple[bool, ...]:
        """The flags of a node whose every GPU's memory is taken."""
        return (True,) * len(self.heads)

    def states(self, values: list[bytes]) -> tuple[tuple[object, ...], States] | None:
        """A node's GPU states: (its signature, per GPU memory used and processes); None when a value is not
        what the snapshot reader would take (the node is then parsed)."""
        signature = []
        states: States = []
        for total, mode, at_used, at_processes, at_busy in self.gpus:
            used_text, processes_text = values[at_used], values[at_processes]
            if used_text[0] == _LIST or values[at_busy][0] == _LIST or processes_text[0] != _LIST:
                return None
            processes = [] if processes_text == b"[]" else _processes(processes_text)
            if processes is None:
                return None
            used = None if used_text == b"null" else int(used_text)
            signature.append(state_signature(total, mode, used, processes_text))
            states.append((used, processes))
        return tuple(signature), states


def _process_counts(texts: tuple[bytes, ...]) -> tuple[int, ...] | None:
    """How many processes each GPU's process list holds; None when the snapshot reader would refuse one."""
    counts = []
    for text in texts:
        if text[0] != _LIST:
            return None
        processes = [] if text == b"[]" else _processes(text)
        if processes is None:
            return None
        counts.append(len(processes))
    return tuple(counts)


@dataclass
class Configuration:
    """A diagnosed configuration, kept for the other nodes that share it with their GPUs in another state."""

    snapshot: Snapshot
    facts: NodeFacts
    findings: list[dict[str, Any]]  # what STATE_RULES found on it, as JSON (compared word for word)
    reader: StateReader | None  # None: its nodes are parsed (their bytes are not laid out alike)
    # What a node of this configuration is, by the signature of its GPUs' state.
    by_signature: dict[tuple[object, ...], NodeFacts] = field(default_factory=dict)
    # The outline of a node of this configuration (NodeFacts.outline), by which GPUs have their memory
    # taken: every finding's rule, cause and severity, the causes and the verdict are those of any
    # node with the same GPUs taken; only the state findings' words differ.
    by_taken: dict[tuple[bool, ...], NodeFacts] = field(default_factory=dict)

    def judged(self, signature: tuple[object, ...], snapshot: Snapshot) -> NodeFacts | None:
        """The facts of a node of this configuration in a state whose signature was not seen (``snapshot``).

        When STATE_RULES find on it word for word what they found on the configuration, the whole
        diagnosis is the configuration's; otherwise only those rules' findings, the causes and the
        verdict are made again (``diagnose.rediagnose_state``). None when that cannot be done.
        """
        from whygpu.diagnose import rediagnose_state

        found, unknown = run_rule_list(STATE_RULES, snapshot)
        if not unknown and [f.to_json() for f in found] == self.findings:
            facts = self.facts
        else:
            report = rediagnose_state(self.facts.outline, snapshot, (found, unknown))
            if report is None:
                return None
            facts = _shallow(self.facts, outline=report, gpu_state=state_findings(snapshot))
        self.by_signature[signature] = facts
        return facts



def own_report(path: str, content: int) -> Report:
    """A node's own doctor report, from its file read again: what the fleet keeps of such a node is its
    state findings in numbers, not its process lists (memory stays flat).

    Raises ``UserError`` when the file is gone or no longer holds what the fleet read (``content``).
    """
    from whygpu.diagnose import diagnose
    from whygpu.errors import UserError

    document = read_document(path)
    parts = layout(document.raw) if isinstance(document, NodeDocument) else None
    source = read_source(document.raw, parts) if isinstance(document, NodeDocument) and parts is not None else None
    if isinstance(document, Unread) or parts is None or source is None:
        raise UserError("the snapshot is not what the fleet read any more", where=path)
    config_bytes, values = cut_state(document.raw, parts)
    if hash((config_bytes, source["mode"], source["root"], *values)) != content:
        raise UserError("the snapshot changed since the fleet read it", where=path)
    data = parse_document(document)
    snapshot = parse_snapshot(path, data) if not isinstance(data, Unread) else data
    if isinstance(snapshot, Unread):
        raise UserError(snapshot.reason, where=path)
    return diagnose(snapshot, subject_kind="snapshot")


def _with_state(template: Snapshot, states: States) -> Snapshot:
    """``template`` with another GPU state (memory used and processes; utilisation no rule reads)."""
    report = template.driver.report
    assert not isinstance(report, Unavailable)
    devices = [_shallow(device, memory_used_mib=used, processes=processes)
               for device, (used, processes) in zip(report.devices, states, strict=True)]
    return _shallow(template, driver=_shallow(template.driver, report=_shallow(report, devices=devices)))


def _state_findings(snapshot: Snapshot) -> list[dict[str, Any]]:
    """What the rules that read the GPUs' current state find, as JSON."""
    findings, _unknown = run_rule_list(STATE_RULES, snapshot)
    return [finding.to_json() for finding in findings]


def _typed_signature(snapshot: Snapshot) -> tuple[object, ...]:
    """The signature of a parsed node's GPU state."""
    report = snapshot.driver.report
    if isinstance(report, Unavailable):
        return ()
    return tuple(state_signature(d.memory_total_mib, d.compute_mode, d.memory_used_mib, repr(d.processes)) for d in report.devices)


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
    except (KeyError, TypeError):
        return _content_key(data)  # no GPU list (the driver did not answer): no GPU state either
    try:
        stable_devices = [{k: v for k, v in device.items() if k not in STATE_FIELDS} for device in devices]
        driver = {**data["driver"], "report": {**data["driver"]["report"], "devices": stable_devices}}
    except (TypeError, AttributeError):
        return None
    text = repr([_how(data.get("source")), *((k, driver if k == "driver" else v) for k, v in data.items() if k not in _PER_NODE_KEYS)])
    return text.encode("utf-8", "surrogatepass")


def _how(source: Any) -> tuple[object, object]:
    """How a snapshot was taken (its source's mode and root): rules read it, so it is part of every key."""
    if not isinstance(source, dict):
        return None, None
    return repr(source.get("mode")), repr(source.get("root"))


class NodeReader:
    """Reads a fleet's nodes one by one, keeping what it learnt: each configuration diagnosed, and which parts it found readable.

    A node of a configuration seen before is read from its bytes: its GPU state values cut from
    the driver section with one regular expression, its source decoded, its probe records and
    tool version checked once per shape, its state judged once per signature. Only a
    configuration's first node, and a node its bytes cannot settle, is parsed and diagnosed; a
    state that changes the findings has only the state rules run again. Nothing per node is kept:
    memory grows with the configurations and with the states that change findings, not the nodes.
    """

    def __init__(self) -> None:
        self.by_config: dict[object, Configuration] = {}
        self.readable: set[bytes] = set()  # shapes of probe records, and snapshot ends, that the reader takes

    def node(self, document: NodeDocument) -> Found | Unread:
        """One node's facts, or why it cannot be read."""
        raw = document.raw
        parts = layout(raw)
        source = read_source(raw, parts) if parts is not None else None
        if parts is None or source is None:
            return self._parsed(document, None, None)
        config_bytes, values = cut_state(raw, parts)
        key = (config_bytes, source["mode"], source["root"])
        content = hash((*key, *values))
        config = self.by_config.get(key)
        if config is None or config.reader is None:
            return self._parsed(document, key, content, values)
        shape, tail = records_shape(raw, parts), raw[parts.tool :]
        readable = self.readable
        if shape not in readable:
            if not records_readable(raw, parts):
                return self._parsed(document, key, content)  # the snapshot reader says why
            readable.add(shape)
        if tail not in readable:
            if not tail_readable(tail):
                return self._parsed(document, key, content)
            readable.add(tail)
        reader = config.reader
        name = source.get("hostname") or node_name_from_path(document.path)
        taken: tuple[bool, ...] | None = None
        if reader.quiet(values):
            signature: tuple[object, ...] = reader.quiet_signature
            states: States | None = None
        elif (busy := reader.busy_state(values)) is not None and busy[1]:
            # Some GPU's memory is taken: its findings' words are the node's own, all else is shared.
            taken, found = busy
            outline = config.by_taken.get(taken)
            if outline is not None:
                return Found(content, _shallow(outline, name=name, path=document.path, gpu_state=found,
                                               exact=partial(own_report, document.path, content)), source.get("created", ""))
            read = reader.states(values)
            if read is None:
                return self._parsed(document, key, content)
            signature, states = read
        elif busy is not None:
            signature, states = reader.quiet_signature, None
        else:
            read = reader.states(values)
            if read is None:
                return self._parsed(document, key, content)
            signature, states = read
        facts = config.by_signature.get(signature)
        if facts is None:
            if states is None:
                read = reader.states(values)
                if read is None:
                    return self._parsed(document, key, content)
                states = read[1]
            facts = config.judged(signature, _with_state(config.snapshot, states))
            if facts is None:
                return self._parsed(document, key, content, signature=signature)
        if taken is not None:
            config.by_taken[taken] = facts
        return Found(content, _shallow(facts, name=name, path=document.path), source.get("created", ""))

    def _parsed(self, document: NodeDocument, key: object, content: int | None, values: list[bytes] | None = None,
                signature: tuple[object, ...] | None = None) -> Found | Unread:
        """Parse a node; diagnose it unless its configuration's diagnosis holds for its state."""
        from whygpu.diagnose import diagnose

        data = parse_document(document)
        if isinstance(data, Unread):
            return data
        snapshot = parse_snapshot(document.path, data)
        if isinstance(snapshot, Unread):
            return snapshot
        if key is None or content is None:  # not laid out as whygpu writes snapshots
            key, content = _config_key(data), hash(_content_key(data))
        name = node_name(snapshot, document.path)
        config = self.by_config.get(key) if key is not None else None
        typed = _typed_signature(snapshot)
        if config is not None:
            facts = config.by_signature.get(typed) or config.judged(typed, snapshot)
            if facts is None:
                facts = config.by_signature[typed] = node_facts(snapshot, document.path, diagnose(snapshot, subject_kind="snapshot"))
            if signature is not None:
                config.by_signature[signature] = facts
            return Found(content, _shallow(facts, name=name, path=document.path), snapshot.source.created)
        facts = node_facts(snapshot, document.path, diagnose(snapshot, subject_kind="snapshot"))
        if key is not None:
            parts = layout(document.raw) if values is not None and keys_unique(document.raw) else None
            reader = StateReader.of(snapshot, state_names(document.raw, parts), values) if parts is not None and values is not None else None
            config = self.by_config[key] = Configuration(snapshot, facts, _state_findings(snapshot), reader)
            config.by_signature[typed] = facts
        return Found(content, facts, snapshot.source.created)
