"""Fleets: planted odd nodes are each found with their reason; a healthy fleet stays quiet; bad files are one line each."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fleetkit import (
    container_without_gpu,
    cpu_torch,
    faulted_gpu,
    lost_gpu,
    old_cudnn_on_path,
    other_driver,
    write_fleet,
)

from cli_runner import run_whygpu
from whygpu.facts import Unavailable
from whygpu.fleet.analyse import fleet_report, gather
from whygpu.fleet.read import read_document, snapshot_paths
from whygpu.model import Report
from whygpu.snapshot import GpuProcess, Snapshot


def analyse(*paths: Path) -> Report:
    return fleet_report(gather(read_document(p) for p in snapshot_paths([str(p) for p in paths])))


def odd(report: Report) -> dict[str, list[str]]:
    return {entry["name"]: entry["reasons"] for entry in report.details["fleet"]["odd_nodes"]}


def test_a_healthy_fleet_is_quiet(tmp_path: Path) -> None:
    write_fleet(tmp_path, 6)
    report = analyse(tmp_path)
    assert report.verdict.gpu_usable is True
    assert report.findings == [] and report.causes == []
    assert odd(report) == {}
    assert [g["nodes"] for g in report.details["fleet"]["groups"]] == [6]
    assert "configured alike" in report.verdict.summary


def test_the_node_with_another_driver_is_named(tmp_path: Path) -> None:
    write_fleet(tmp_path, 5, {3: other_driver})
    report = analyse(tmp_path)
    flagged = [f for f in report.findings if f.id == "FLEET002"]
    assert len(flagged) == 1 and flagged[0].scope == "node-03"
    assert "535.104.05" in flagged[0].title and "560.35.03" in flagged[0].title
    assert list(odd(report)) == ["node-03"]
    assert any(r.startswith("driver: 535.104.05") for r in odd(report)["node-03"])
    assert len(report.details["fleet"]["groups"]) == 2


def test_two_nodes_that_differ_are_both_named_without_a_side(tmp_path: Path) -> None:
    write_fleet(tmp_path, 2, {1: other_driver})
    report = analyse(tmp_path)
    flagged = [f for f in report.findings if f.id == "FLEET002"]
    assert {f.scope for f in flagged} == {"node-00", "node-01"}
    assert all(f.confidence.value == "medium" for f in flagged)


def test_a_node_that_lost_a_gpu_is_a_fault(tmp_path: Path) -> None:
    write_fleet(tmp_path, 4, {2: lost_gpu})
    report = analyse(tmp_path)
    flagged = [f for f in report.findings if f.id == "FLEET001"]
    assert len(flagged) == 1 and flagged[0].scope == "node-02"
    assert "7 of its 8 GPUs" in flagged[0].title
    assert report.causes[0].code == "GPU_FAULT"
    assert report.verdict.gpu_usable is False
    assert report.verdict.summary.startswith("The fleet is not fit for the job: node-02 shows 7 of its 8 GPUs")


def test_a_faulted_gpu_names_its_node(tmp_path: Path) -> None:
    write_fleet(tmp_path, 4, {1: faulted_gpu})
    report = analyse(tmp_path)
    fault = next(c for c in report.causes if c.code == "GPU_FAULT")
    assert "node-01" in fault.title
    assert any("fault: GPU 3: Unknown Error" in r for r in odd(report)["node-01"])


def test_a_container_without_the_gpu_is_the_node_that_cannot_use_it(tmp_path: Path) -> None:
    write_fleet(tmp_path, 4, {0: container_without_gpu})
    report = analyse(tmp_path)
    assert report.verdict.gpu_usable is False
    assert "1 of 4 nodes cannot use the GPU: node-00" in report.verdict.summary
    assert any(c.code == "CONTAINER_NO_GPU" and "node-00" in c.title for c in report.causes)
    assert any("cannot use the GPU" in r for r in odd(report)["node-00"])


def test_another_framework_build_is_named(tmp_path: Path) -> None:
    write_fleet(tmp_path, 4, {3: cpu_torch})
    report = analyse(tmp_path)
    flagged = [f for f in report.findings if f.id == "FLEET003"]
    assert len(flagged) == 1 and flagged[0].scope == "node-03" and "torch 2.13.0+cpu" in flagged[0].title
    assert any(c.code == "FRAMEWORK_CPU_BUILD" for c in report.causes)


def test_every_planted_odd_node_is_found_at_once(tmp_path: Path) -> None:
    plants = {1: other_driver, 4: lost_gpu, 7: faulted_gpu, 9: container_without_gpu, 12: cpu_torch}
    write_fleet(tmp_path, 16, plants)
    report = analyse(tmp_path)
    assert set(odd(report)) == {f"node-{i:02d}" for i in plants}


def test_bad_files_are_one_line_each_and_the_rest_is_aggregated(tmp_path: Path) -> None:
    paths = write_fleet(tmp_path / "fleet", 3)
    text = paths[0].read_text(encoding="utf-8")
    (tmp_path / "fleet" / "truncated.json").write_text(text[: len(text) // 2], encoding="utf-8")
    newer = json.loads(text)
    newer["schema_version"] = 99
    newer["source"]["hostname"] = "node-new"
    (tmp_path / "fleet" / "newer.json").write_text(json.dumps(newer), encoding="utf-8")
    (tmp_path / "fleet" / "copy-of-node-00.json").write_text(text, encoding="utf-8")
    (tmp_path / "fleet" / "other.json").write_text('{"hello": 1}', encoding="utf-8")
    report = analyse(tmp_path / "fleet")
    unread = report.details["fleet"]["unread"]
    assert len(report.details["fleet"]["nodes"]) == 3
    assert len(unread) == 4
    joined = "\n".join(unread)
    assert "truncated.json: corrupt snapshot: invalid JSON" in joined
    assert "newer.json: snapshot schema_version 99 is not supported" in joined
    assert "a duplicate of" in joined and "node-00" in joined
    assert "other.json: not a whygpu snapshot" in joined


def test_an_older_snapshot_of_the_same_node_gives_way_to_the_newer(tmp_path: Path) -> None:
    paths = write_fleet(tmp_path, 3)
    newer = json.loads(paths[1].read_text(encoding="utf-8"))
    newer["source"]["created"] = "2026-12-01T00:00:00+00:00"
    newer["driver"]["report"]["driver_version"] = "570.10"
    (tmp_path / "zz-node-01-again.json").write_text(json.dumps(newer), encoding="utf-8")
    report = analyse(tmp_path)
    assert len(report.details["fleet"]["nodes"]) == 3
    node = next(n for n in report.details["fleet"]["nodes"] if n["name"] == "node-01")
    assert node["configuration"]["driver"] == "570.10"
    assert any("an older snapshot of node node-01" in line for line in report.details["fleet"]["unread"])


def test_cli_json_is_the_contract_with_subject_fleet(tmp_path: Path) -> None:
    write_fleet(tmp_path, 4, {2: other_driver})
    result = run_whygpu(["fleet", "--json", str(tmp_path)])
    assert result.code == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["subject"]["kind"] == "fleet"
    assert data["subject"]["nodes"] == 4
    assert data["details"]["fleet"]["odd_nodes"][0]["name"] == "node-02"
    assert {c["code"] for c in data["causes"]} == {"DRIVER_MISMATCH"}


def test_cli_healthy_fleet_exits_0_and_text_lists_nodes(tmp_path: Path) -> None:
    write_fleet(tmp_path, 3)
    result = run_whygpu(["fleet", str(tmp_path)], env={"COLUMNS": "120"})
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("OK All 3 nodes can use the GPU")
    assert "node-02" in result.stdout and "group 1: 3 nodes" in result.stdout


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_cli_markdown_and_html_name_the_odd_node(tmp_path: Path, fmt: str) -> None:
    write_fleet(tmp_path, 4, {1: lost_gpu})
    result = run_whygpu(["fleet", "--format", fmt, str(tmp_path)])
    assert result.code == 1, result.stderr
    assert "node-01" in result.stdout and "GPU_FAULT" in result.stdout
    if fmt == "html":
        assert result.stdout.startswith("<!DOCTYPE html>") and "http" not in result.stdout.split("<body>")[0]


def test_cli_nothing_readable_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{", encoding="utf-8")
    result = run_whygpu(["fleet", str(tmp_path)])
    assert result.code == 2
    assert "none of the 1 snapshot files could be read" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_missing_path_is_bad_input(tmp_path: Path) -> None:
    result = run_whygpu(["fleet", str(tmp_path / "nope")])
    assert result.code == 2 and "no such file or directory" in result.stderr


def test_a_node_loading_other_cuda_libraries_is_named(tmp_path: Path) -> None:
    write_fleet(tmp_path, 4, {2: old_cudnn_on_path})
    report = analyse(tmp_path)
    flagged = [f for f in report.findings if f.id == "FLEET004"]
    assert len(flagged) == 1 and flagged[0].scope == "node-02" and "libcudnn.so.9.0.0" in flagged[0].title
    assert not [f for f in report.findings if f.id == "FLEET003"]


def test_another_build_is_not_also_reported_as_other_libraries(tmp_path: Path) -> None:
    write_fleet(tmp_path, 4, {3: cpu_torch})
    assert not [f for f in analyse(tmp_path).findings if f.id == "FLEET004"]


def test_without_a_driver_report_the_pci_count_is_judged_against_the_size_only(tmp_path: Path) -> None:
    def no_report_seven_on_bus(snap: Snapshot) -> None:
        snap.driver.report = Unavailable("NVML timed out", "nvml")
        snap.hardware.gpus = snap.hardware.gpus[:7]  # type: ignore[index]

    write_fleet(tmp_path, 3, {0: no_report_seven_on_bus})
    flagged = [f for f in analyse(tmp_path).findings if f.id == "FLEET001"]
    assert len(flagged) == 1 and "the PCI bus shows 7 GPUs; Standard_ND96asr_v4 has 8" in flagged[0].evidence[0]


def test_cli_a_fifo_named_as_a_snapshot_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "node.json"
    os.mkfifo(fifo)
    result = run_whygpu(["fleet", str(fifo)], timeout=30)
    assert result.code == 2 and "FIFO" in result.stderr


def test_a_fifo_inside_a_fleet_folder_is_one_unread_line(tmp_path: Path) -> None:
    import os

    write_fleet(tmp_path, 2)
    os.mkfifo(tmp_path / "zz-stuck.json")
    report = analyse(tmp_path)
    assert len(report.details["fleet"]["nodes"]) == 2
    assert any("zz-stuck.json: not a regular file" in line for line in report.details["fleet"]["unread"])


def _granted(count: int, seen: int) -> Callable[[Snapshot], None]:
    def change(snap: Snapshot) -> None:
        snap.environment["SLURM_STEP_GPUS"] = ",".join(str(i) for i in range(count))
        lost = snap.driver.report
        assert not isinstance(lost, Unavailable)
        lost.devices = lost.devices[:seen]
    return change


def test_a_job_granted_some_of_a_nodes_gpus_is_not_a_lost_gpu(tmp_path: Path) -> None:
    write_fleet(tmp_path, 3, {0: _granted(1, 1), 1: _granted(1, 1), 2: _granted(1, 1)})
    assert not [f for f in analyse(tmp_path).findings if f.id == "FLEET001"]


def test_fewer_gpus_than_granted_is_a_lost_gpu(tmp_path: Path) -> None:
    write_fleet(tmp_path, 3, {0: _granted(2, 2), 1: _granted(2, 1), 2: _granted(2, 2)})
    flagged = [f for f in analyse(tmp_path).findings if f.id == "FLEET001"]
    assert len(flagged) == 1 and flagged[0].scope == "node-01"
    assert "2 were granted to the job" in flagged[0].evidence[0]


@pytest.mark.parametrize(("environment", "expected"), [
    ({}, None), ({"NVIDIA_VISIBLE_DEVICES": "all"}, None), ({"NVIDIA_VISIBLE_DEVICES": "void"}, 0),
    ({"NVIDIA_VISIBLE_DEVICES": "GPU-1a2b,GPU-3c4d"}, 2), ({"SLURM_JOB_GPUS": "0,1,2,3"}, 4),
])
def test_granted_gpus_reads_the_scheduler_variables(environment: dict[str, str], expected: int | None) -> None:
    from whygpu.fleet.facts import granted_gpus

    assert granted_gpus(environment) == expected


def _memory(used: int, processes: int = 0) -> Callable[[Snapshot], None]:
    def change(snap: Snapshot) -> None:
        report = snap.driver.report
        assert not isinstance(report, Unavailable)
        for device in report.devices:
            device.memory_used_mib = used
            device.utilization_percent = used % 100
            device.processes = [GpuProcess(1000 + i, "python", used) for i in range(processes)]
    return change


def test_nodes_in_another_gpu_state_share_their_configurations_diagnosis_only_when_it_changes_nothing(tmp_path: Path) -> None:
    from whygpu.diagnose import diagnose
    from whygpu.snapshot import read_snapshot

    write_fleet(tmp_path, 5, {0: _memory(120), 1: _memory(3000, 1), 2: _memory(40000, 2), 3: _memory(7)})
    report = analyse(tmp_path)
    by_name = {n["name"]: n for n in report.details["fleet"]["nodes"]}
    for path in sorted(tmp_path.glob("*.json")):
        alone = diagnose(read_snapshot(str(path)))
        node = by_name[path.stem]
        assert node["gpu_usable"] == alone.verdict.gpu_usable
        assert node["causes"] == [c.code for c in alone.causes]
    assert by_name["node-02"]["causes"] == ["GPU_BUSY"]
    assert any(c.code == "GPU_BUSY" and "node-02" in c.title for c in report.causes)


def test_a_node_of_a_known_configuration_with_corrupt_probe_records_is_still_unread(tmp_path: Path) -> None:
    paths = write_fleet(tmp_path, 3, {0: _memory(10), 1: _memory(20), 2: _memory(30)})
    text = paths[2].read_text(encoding="utf-8")
    assert '"probes": []' in text
    paths[2].write_text(text.replace('"probes": []', '"probes": [}'), encoding="utf-8")
    report = analyse(tmp_path)
    assert [n["name"] for n in report.details["fleet"]["nodes"]] == ["node-00", "node-01"]
    assert any("node-02.json: corrupt snapshot: invalid JSON" in line for line in report.details["fleet"]["unread"])


def _varied_fleet(directory: Path) -> list[Path]:
    """A fleet of 40 nodes in which every node's GPUs are in their own state, with the state rules firing on some."""
    import dataclasses

    from fleetkit import node

    from whygpu.snapshot import ProbeRecord

    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for index in range(40):
        snap = node(f"node-{index:02d}")
        report = snap.driver.report
        assert not isinstance(report, Unavailable)
        for device in report.devices:
            device.memory_used_mib = (index * 37 + device.index * 11) % 30000
            device.utilization_percent = (index * 7 + device.index) % 101
        if index in (3, 4):  # GPU 0 held by a process: the same memory used, another process on each node
            report.devices[0].memory_used_mib = 39000
            report.devices[0].processes = [GpuProcess(100 + index, "python", 39000)]
        if index in (5, 6):  # the very same busy state on two nodes
            report.devices[2].memory_used_mib = 40000
            report.devices[2].processes = [GpuProcess(777, "jupyter", 40000)]
        if index == 7:
            report.devices[1].memory_used_mib = 38000
        if 8 <= index <= 11:  # another configuration: exclusive compute mode, with processes on two nodes
            report.devices = [dataclasses.replace(d, compute_mode="Exclusive_Process") for d in report.devices]
            if index >= 10:
                report.devices[5].processes = [GpuProcess(4000 + index, "python", 12)]
        {12: other_driver, 13: lost_gpu, 14: faulted_gpu, 22: container_without_gpu, 23: container_without_gpu}.get(index, lambda _snap: None)(snap)
        if index in (20, 21):  # CUDA_HOME names no toolkit: a finding live, none from an unpacked image (rules read how)
            snap.cuda.cuda_home = "/usr/local/cuda-11.8"
            snap.cuda.toolkits = []
        if index == 21:
            snap.source.mode = "root"
            snap.source.root = "/mnt/image"
        snap.probes = [ProbeRecord("driver", 0.001 * index, "ok"), ProbeRecord("python", 0.5, "ok")]  # each its own time
        document = snap.to_json()
        if index in (16, 17, 22, 23):  # not laid out as whygpu writes it
            text = json.dumps(document, sort_keys=True)
        else:
            text = json.dumps(document, indent=2 if index % 2 else None)
        path = directory / f"node-{index:02d}.json"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_a_varied_fleets_analysis_is_that_of_each_node_diagnosed_on_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import whygpu.diagnose
    from whygpu.diagnose import diagnose
    from whygpu.fleet.facts import FleetFacts, NodeFacts, node_facts
    from whygpu.snapshot import read_snapshot

    paths = _varied_fleet(tmp_path)
    diagnosed = []
    real = whygpu.diagnose.diagnose

    def counting(snapshot: Snapshot, **kwargs: Any) -> Report:
        diagnosed.append(snapshot.source.hostname)
        return real(snapshot, **kwargs)

    monkeypatch.setattr(whygpu.diagnose, "diagnose", counting)
    fleet = gather(read_document(p) for p in snapshot_paths([str(tmp_path)]))
    monkeypatch.undo()
    # Most nodes were read from their bytes, not diagnosed: the comparison below tests that path.
    assert len(diagnosed) < len(paths) / 2, diagnosed
    alone = []
    for path in paths:
        snapshot = read_snapshot(str(path))
        alone.append(node_facts(snapshot, str(path), diagnose(snapshot, subject_kind="snapshot")))
    straightforward = FleetFacts(tuple(sorted(alone, key=lambda n: n.name)))

    def facts(node: NodeFacts) -> tuple[object, ...]:
        report = node.report
        return (node.name, node.path, node.profile, node.gpu_count, node.pci_gpu_count, node.expected_gpu_count, node.faults,
                report.verdict, [f.to_json() for f in report.findings], [c.to_json() for c in report.causes])

    assert [facts(n) for n in fleet.nodes] == [facts(n) for n in straightforward.nodes]
    assert fleet_report(fleet).to_json() == fleet_report(straightforward).to_json()
    # Not a quiet fleet: the state rules fire, each node with its own evidence.
    by_name = {n.name: n for n in fleet.nodes}
    assert {f.id for f in by_name["node-10"].report.findings} >= {"BUSY002"}
    held = [[e for f in by_name[name].report.findings if f.id == "BUSY001" for e in f.evidence] for name in ("node-03", "node-04")]
    assert any("pid 103" in e for e in held[0]) and any("pid 104" in e for e in held[1])
    home = [[f for f in by_name[name].report.findings if "CUDA_HOME" in f.title] for name in ("node-20", "node-21")]
    assert len(home[0]) == 1 and not home[1]


def test_a_node_of_a_known_configuration_with_a_corrupt_process_record_is_unread(tmp_path: Path) -> None:
    paths = write_fleet(tmp_path, 3, {0: _memory(10), 1: _memory(20, 1), 2: _memory(30, 1)})
    text = paths[2].read_text(encoding="utf-8")
    assert '"pid": 1000' in text
    paths[2].write_text(text.replace('"pid": 1000', '"pid": "1000"'), encoding="utf-8")
    report = analyse(tmp_path)
    assert [n["name"] for n in report.details["fleet"]["nodes"]] == ["node-00", "node-01"]
    assert any("node-02.json: corrupt snapshot" in line for line in report.details["fleet"]["unread"])


def test_a_folder_is_walked_as_rglob_walks_it(tmp_path: Path) -> None:
    import os

    for name in ("a.json", "b.txt", "sub/c.json", "sub/deeper/d.json", ".hidden/e.json", "sub/.f.json", "x.json/g.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("{}", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "h.json").write_text("{}", encoding="utf-8")
    os.symlink(outside, tmp_path / "linked")  # a symlinked folder is not followed
    os.symlink(tmp_path / "a.json", tmp_path / "link.json")  # a symlinked file is read
    os.symlink(tmp_path / "gone", tmp_path / "broken.json")  # and a broken one is one unread line later
    expected = sorted(str(p) for p in tmp_path.rglob("*.json") if not p.is_dir())
    assert list(snapshot_paths([str(tmp_path)])) == expected
    assert str(tmp_path / "link.json") in expected and str(tmp_path / "broken.json") in expected


@pytest.mark.parametrize(("old", "new", "reason"), [
    ('"status": "ok"', '"status": "fine"', "corrupt snapshot"),  # a probe status the reader does not know
    ('"hostname": "node-02"', '"hostname": 2', "corrupt snapshot"),
    ('"tool_version": "0.1.0"', '"tool_version": "0.1.0", "format": "other"', "not a whygpu snapshot"),
    ('"memory_used_mib": 30', '"memory_used_mib": [30]', "corrupt snapshot"),
])
def test_a_node_of_a_known_configuration_is_unread_when_the_reader_refuses_any_part(tmp_path: Path, old: str, new: str, reason: str) -> None:
    from whygpu.snapshot import ProbeRecord

    def timed(used: int) -> Callable[[Snapshot], None]:
        def change(snap: Snapshot) -> None:
            _memory(used)(snap)
            snap.probes = [ProbeRecord("driver", used / 1000, "ok")]
            snap.tool_version = "0.1.0"
        return change

    paths = write_fleet(tmp_path, 3, {0: timed(10), 1: timed(20), 2: timed(30)})
    text = paths[2].read_text(encoding="utf-8")
    assert text.count(old) >= 1
    paths[2].write_text(text.replace(old, new), encoding="utf-8")
    report = analyse(tmp_path)
    assert [n["name"] for n in report.details["fleet"]["nodes"]] == ["node-00", "node-01"]
    assert any(f"node-02.json: {reason}" in line for line in report.details["fleet"]["unread"]), report.details["fleet"]["unread"]
