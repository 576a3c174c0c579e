"""Busy fleets: every GPU's memory taken by a process of the node's own; each node as diagnosed alone, the fleet's findings grouped by rule."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fleetkit import write_fleet

from whygpu.diagnose import diagnose
from whygpu.errors import UserError
from whygpu.facts import Unavailable
from whygpu.fleet.analyse import fleet_report, gather
from whygpu.fleet.facts import FleetFacts, NodeFacts, node_facts
from whygpu.fleet.read import read_document, snapshot_paths
from whygpu.model import Report
from whygpu.rules.gpu_state import STATE_RULES, state_findings
from whygpu.snapshot import GpuProcess, NvmlDevice, Snapshot, read_snapshot

TOTAL = 40960  # fleetkit's A100-40GB
BOUND = 36864  # the least memory used that BUSY001 calls taken on it (90 %)


def _taken(index: int, gpus: tuple[int, ...] = tuple(range(8)), processes: int = 1, name: str = "python",
           unknown: tuple[int, ...] = ()) -> Callable[[Snapshot], None]:
    """Node ``index``'s GPUs ``gpus`` taken, each by its own amount and ``processes`` processes of its own; no memory used known on ``unknown``."""
    def change(snap: Snapshot) -> None:
        report = snap.driver.report
        assert not isinstance(report, Unavailable)
        for device in report.devices:
            if device.index in gpus:
                device.memory_used_mib = BOUND + index * 37 + device.index
                device.processes = [GpuProcess(5000 + index * 10 + p, name, 1000 + p) for p in range(processes)]
            else:
                device.memory_used_mib = 100 + index
            if device.index in unknown:
                device.memory_used_mib = None
            device.utilization_percent = (index * 7 + device.index) % 100
    return change


def _fleet(directory: Path, count: int, plant: dict[int, Callable[[Snapshot], None]]) -> tuple[FleetFacts, list[Path]]:
    paths = write_fleet(directory, count, plant)
    return gather(read_document(p) for p in snapshot_paths([str(directory)])), paths


def _alone(paths: list[Path]) -> FleetFacts:
    nodes = []
    for path in paths:
        snapshot = read_snapshot(str(path))
        nodes.append(node_facts(snapshot, str(path), diagnose(snapshot, subject_kind="snapshot")))
    return FleetFacts(tuple(sorted(nodes, key=lambda n: n.name)))


def _facts(node: NodeFacts, report: Report) -> tuple[object, ...]:
    return (node.name, node.path, node.profile, node.gpu_count, node.expected_gpu_count, node.faults, node.gpu_state,
            report.verdict, [f.to_json() for f in report.findings], [c.to_json() for c in report.causes])


def _outline(report: Report) -> tuple[object, ...]:
    """What an outline holds exactly: whether the GPU is usable, the causes' codes, every finding's rule, cause and severity, and every other finding word for word."""
    codes = {rule.code for rule in STATE_RULES}
    return (report.verdict.gpu_usable, [c.code for c in report.causes], [(f.id, f.cause, f.severity) for f in report.findings],
            [f.to_json() for f in report.findings if f.id not in codes])


def test_a_busy_fleets_analysis_is_that_of_each_node_diagnosed_on_its_own(tmp_path: Path) -> None:
    plant: dict[int, Callable[[Snapshot], None]] = {i: _taken(i, processes=1 + i % 3) for i in range(12)}
    plant[5] = _taken(5, gpus=(0, 3))  # another set of GPUs taken: its own outline
    plant[9] = _taken(9, processes=1, name="jupyter")  # another process list shape
    plant[10] = _taken(10, unknown=(6,))  # no memory used known on one GPU
    plant[11] = _taken(11, gpus=(0, 3))  # the same GPUs taken as node-05: its outline
    fleet, paths = _fleet(tmp_path, 14, plant)  # nodes 12 and 13 are quiet
    alone = _alone(paths)
    # Most nodes share an outline (read from their bytes, not diagnosed), yet their own words are kept.
    assert len({id(n.outline) for n in fleet.nodes}) <= 5
    assert [_facts(n, n.report) for n in fleet.nodes] == [_facts(n, n.report) for n in alone.nodes]
    assert [_outline(n.outline) for n in fleet.nodes] == [_outline(n.report) for n in alone.nodes]
    assert fleet_report(fleet).to_json() == fleet_report(alone).to_json()
    by_name = {n.name: n for n in fleet.nodes}
    assert [(s.code, s.gpu, s.memory_used_mib, s.processes) for s in by_name["node-05"].gpu_state] == [
        ("BUSY001", 0, BOUND + 5 * 37, 1), ("BUSY001", 3, BOUND + 5 * 37 + 3, 1)]
    assert by_name["node-12"].gpu_state == () and by_name["node-12"].outline.verdict.gpu_usable is True
    assert [s.gpu for s in by_name["node-10"].gpu_state] == [0, 1, 2, 3, 4, 5, 7]
    assert by_name["node-11"].outline is by_name["node-05"].outline and by_name["node-11"].exact is not None


def test_a_busy_fleets_memory_taken_is_one_finding_with_counts_and_ranges(tmp_path: Path) -> None:
    plant: dict[int, Callable[[Snapshot], None]] = {i: _taken(i, processes=1 + i % 3) for i in range(10)}
    plant[4] = _taken(4, gpus=(2,), processes=0)
    fleet, _paths = _fleet(tmp_path, 12, plant)
    report = fleet_report(fleet)
    taken = [f for f in report.findings if f.id == "BUSY001"]
    assert len(taken) == 1, [f.title for f in report.findings]
    finding = taken[0]
    assert finding.cause == "GPU_BUSY" and finding.severity.value == "warning"
    low, high = BOUND + 0 * 37, BOUND + 9 * 37 + 7
    assert finding.title == (f"GPU memory taken by other processes on node-00, node-01, node-02, node-03, node-04, node-05 and 4 more: "
                             f"73 GPUs, {low}-{high} of {TOTAL} MiB used, by 0-3 processes")
    assert finding.evidence[0] == "nodes: node-00, node-01, node-02, node-03, node-04, node-05 and 4 more (10 nodes)"
    assert finding.scope == ", ".join(f"node-{i:02d}" for i in range(10))
    assert finding.evidence[1] == "GPUs: 73 (indexes 0, 1, 2, 3, 4, 5, 6, 7; NVIDIA A100-SXM4-40GB)"
    assert finding.evidence[2] == f"memory: {low}-{high} of {TOTAL} MiB used"
    cause = next(c for c in report.causes if c.code == "GPU_BUSY")
    assert cause.findings == ("BUSY001",)
    rows = {row["name"]: row for row in report.details["fleet"]["nodes"]}
    assert rows["node-04"]["gpu_state"] == [{"rule": "BUSY001", "gpus": [2], "memory_used_mib": [BOUND + 4 * 37 + 2],
                                             "memory_total_mib": [TOTAL], "processes": [0]}]
    assert rows["node-02"]["gpu_state"][0]["processes"] == [3] * 8
    assert rows["node-10"]["gpu_state"] == [] and rows["node-10"]["causes"] == []
    assert rows["node-02"]["causes"] == ["GPU_BUSY"]
    json.dumps(report.to_json())  # the rows are plain JSON


def test_every_node_busy_says_every_node(tmp_path: Path) -> None:
    fleet, _paths = _fleet(tmp_path, 3, {i: _taken(i) for i in range(3)})
    (finding,) = [f for f in fleet_report(fleet).findings if f.id == "BUSY001"]
    assert finding.title == f"GPU memory taken by other processes on every node (3): 24 GPUs, {BOUND}-{BOUND + 2 * 37 + 7} of {TOTAL} MiB used, by 1 process each"


def test_memory_just_below_the_share_stays_quiet(tmp_path: Path) -> None:
    def near(index: int) -> Callable[[Snapshot], None]:
        def change(snap: Snapshot) -> None:
            _taken(index)(snap)
            report = snap.driver.report
            assert not isinstance(report, Unavailable)
            for device in report.devices:
                device.memory_used_mib = BOUND - 1 - index
        return change

    fleet, _paths = _fleet(tmp_path, 4, {i: near(i) for i in range(4)})
    report = fleet_report(fleet)
    assert not [f for f in report.findings if f.id.startswith("BUSY")]
    assert report.verdict.gpu_usable is True
    assert all(row["gpu_state"] == [] for row in report.details["fleet"]["nodes"])


def test_a_compute_mode_that_blocks_is_grouped_too(tmp_path: Path) -> None:
    def exclusive(index: int, processes: int) -> Callable[[Snapshot], None]:
        def change(snap: Snapshot) -> None:
            report = snap.driver.report
            assert not isinstance(report, Unavailable)
            for device in report.devices:
                device.compute_mode = "Exclusive_Process"
                device.processes = [GpuProcess(7000 + index, "train", 500)] * processes
        return change

    fleet, paths = _fleet(tmp_path, 4, {0: exclusive(0, 0), 1: exclusive(1, 1), 2: exclusive(2, 2), 3: exclusive(3, 0)})
    report = fleet_report(fleet)
    assert report.to_json() == fleet_report(_alone(paths)).to_json()
    (finding,) = [f for f in report.findings if f.id == "BUSY002"]
    assert finding.title == "GPU compute mode Exclusive_Process blocks another process on node-01, node-02: 16 GPUs, by 1-2 processes"
    assert finding.severity.value == "error" and report.verdict.gpu_usable is False
    rows = {row["name"]: row for row in report.details["fleet"]["nodes"]}
    assert rows["node-02"]["gpu_state"] == [{"rule": "BUSY002", "gpus": list(range(8)), "memory_used_mib": [4] * 8,
                                             "memory_total_mib": [TOTAL] * 8, "processes": [2] * 8, "compute_mode": ["Exclusive_Process"] * 8}]
    assert rows["node-00"]["gpu_state"] == []


def _devices() -> list[NvmlDevice]:
    """One GPU in every state the state rules tell apart."""
    found = []
    for mode in ("Default", "Exclusive_Process", "Prohibited", None):
        for used in (None, 0, BOUND - 1, BOUND, TOTAL):
            for processes in (0, 2):
                found.append(NvmlDevice(len(found) % 8, "A", "x", "8.0", TOTAL, used, mode,
                                        processes=[GpuProcess(1, "p", 5)] * processes))
    return found


@pytest.mark.parametrize("device", _devices(), ids=lambda d: f"{d.compute_mode}-{d.memory_used_mib}-{len(d.processes)}")
def test_state_findings_in_numbers_are_the_state_rules_findings(device: NvmlDevice) -> None:
    from fleetkit import node

    from whygpu.rules.runner import run_rule_list

    snap = node("n", gpus=1)
    report = snap.driver.report
    assert not isinstance(report, Unavailable)
    report.devices = [dataclasses.replace(device, index=3)]
    findings, _unknown = run_rule_list(STATE_RULES, snap)
    assert [(f.id, "GPU 3 " in f.title) for f in findings] == [(f.id, True) for f in findings]
    assert [(s.code, s.gpu) for s in state_findings(snap)] == [(f.id, 3) for f in findings]


def test_a_process_list_of_a_known_shape_with_a_leading_zero_is_unread(tmp_path: Path) -> None:
    paths = write_fleet(tmp_path, 3, {i: _taken(i) for i in range(3)})
    text = paths[2].read_text(encoding="utf-8")
    assert '"pid": 5020' in text
    paths[2].write_text(text.replace('"pid": 5020', '"pid": 0020'), encoding="utf-8")
    fleet = gather(read_document(p) for p in snapshot_paths([str(tmp_path)]))
    assert [n.name for n in fleet.nodes] == ["node-00", "node-01"]
    assert any("node-02.json: corrupt snapshot" in line for line in fleet.unread)


def test_a_nodes_own_report_is_read_again_and_refused_once_its_file_changed(tmp_path: Path) -> None:
    fleet, paths = _fleet(tmp_path, 3, {i: _taken(i) for i in range(3)})
    node = fleet.nodes[2]
    assert node.exact is not None  # read from its bytes: its own words are made on demand
    assert any("pid 5020 python" in line for f in node.report.findings for line in f.evidence)
    paths[2].write_text(paths[2].read_text(encoding="utf-8").replace('"pid": 5020', '"pid": 5021'), encoding="utf-8")
    with pytest.raises(UserError, match="changed since the fleet read it"):
        _ = node.report
    paths[2].unlink()
    with pytest.raises(UserError, match="not what the fleet read"):
        _ = node.report


@pytest.mark.parametrize(("old", "new"), [
    ('"memory_used_mib": 102', '"memory_used_mib": ' + "9" * 5000),  # past Python's limit on an integer's digits
    ('"utilization_percent": 14', '"utilization_percent": ' + "1" * 5000),
    ('"pid": 5020', '"pid": ' + "7" * 5000),
])
def test_a_number_too_long_to_read_is_one_unread_line(tmp_path: Path, old: str, new: str) -> None:
    paths = write_fleet(tmp_path, 3, {0: _taken(0, gpus=(1,)), 1: _taken(1, gpus=(1,)), 2: _taken(2, gpus=(1,))})
    text = paths[2].read_text(encoding="utf-8")
    assert old in text
    paths[2].write_text(text.replace(old, new, 1), encoding="utf-8")
    fleet = gather(read_document(p) for p in snapshot_paths([str(tmp_path)]))
    assert [n.name for n in fleet.nodes] == ["node-00", "node-01"]
    assert [line for line in fleet.unread if "node-02.json" in line] == [f"{paths[2]}: corrupt snapshot: a number too long to be read"]
    with pytest.raises(UserError, match="a number too long to be read"):
        read_snapshot(str(paths[2]))
