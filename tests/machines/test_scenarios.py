"""Runs every scenario machine through the real collectors and rules, and checks the ranked causes."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

import pytest

import fakeroot as fr
from machines.scenarios import SCENARIOS, Scenario, Setup
from whygpu.collect.interface import Machine
from whygpu.collect.snapshot import collect_snapshot
from whygpu.diagnose import diagnose
from whygpu.gateways.process import CommandResult
from whygpu.model import Report
from whygpu.snapshot import Snapshot


def _runner(setup: Setup) -> fr.FakeRunner:
    def python(argv: Sequence[str]) -> CommandResult:
        if any("pynvml" in arg for arg in argv):
            if setup.nvml is not None:
                return setup.nvml
            return fr.nvml_failed("nvmlInit", "NVML Shared Library Not Found", "NVML_ERROR_LIBRARY_NOT_FOUND")
        # The fake interpreter cannot run: doctor falls back to reading the environment's layout.
        return CommandResult(tuple(argv), None, "", "", error="not found")

    answers: dict[str, object] = {"python": python}
    if setup.smi is not None:
        answers["nvidia-smi"] = setup.smi
    return fr.FakeRunner(answers)


def run_scenario(scenario: Scenario, root: Path) -> tuple[Snapshot, Report]:
    """Build the machine, collect it as doctor would, and diagnose it."""
    setup = scenario.build(root)
    with ExitStack() as stack:
        environ = dict(setup.environ)
        if setup.live:
            imds = stack.enter_context(fr.FakeImds(setup.vm_size))
            environ["WHYGPU_IMDS_URL"] = imds.url
            machine = fr.live_machine(root, environ, runner=_runner(setup))
            machine.python = setup.python
        else:
            machine = Machine.from_root(str(root), environ, python=setup.python)
        snapshot = collect_snapshot(machine)
    return snapshot, diagnose(snapshot)


def _ids() -> Iterator[str]:
    yield from SCENARIOS


def test_there_are_at_least_40_scenarios() -> None:
    assert len(SCENARIOS) >= 40


@pytest.mark.parametrize("name", list(_ids()))
def test_scenario(name: str, tmp_path: Path) -> None:
    scenario = SCENARIOS[name]
    snapshot, report = run_scenario(scenario, tmp_path)
    codes = [c.code for c in report.causes]
    detail = json.dumps(report.to_json()["causes"], indent=1)[:3000]
    assert codes == scenario.expect, detail
    assert report.verdict.gpu_usable is scenario.gpu_usable, report.verdict.summary
    finding_ids = {f.id for f in report.findings}
    for rule_id in scenario.findings:
        assert rule_id in finding_ids, sorted(finding_ids)
    assert report.problem_found is bool(scenario.expect)
    # A snapshot diagnosed elsewhere gives exactly the live answer.
    again = Snapshot.from_json(json.loads(json.dumps(snapshot.to_json())))
    assert diagnose(again).to_json() == report.to_json()


def test_every_machine_judged_cause_has_a_scenario() -> None:
    covered = {code for s in SCENARIOS.values() for code in s.expect}
    judged_later = {"CODE_FORCES_CPU", "GPU_UNDERUSED"}  # lint and monitor judge these
    from whygpu.knowledge.causes import cause_codes

    assert set(cause_codes()) - judged_later <= covered


SNAPSHOTS = Path(__file__).parent / "snapshots"

# Snapshot scenarios: machines that cannot be faked as a Linux tree (native Windows), diagnosed with --from.
SNAPSHOT_EXPECT = {
    "windows-native-tf215.json": (["FRAMEWORK_CPU_BUILD"], "FW002"),
}


@pytest.mark.parametrize("name", sorted(SNAPSHOT_EXPECT))
def test_snapshot_scenario(name: str) -> None:
    from whygpu.snapshot import read_snapshot

    expect, rule_id = SNAPSHOT_EXPECT[name]
    report = diagnose(read_snapshot(str(SNAPSHOTS / name)), subject_kind="snapshot")
    assert [c.code for c in report.causes] == expect
    assert rule_id in {f.id for f in report.findings}
    assert report.verdict.gpu_usable is False


def test_snapshot_scenarios_are_all_listed() -> None:
    assert sorted(p.name for p in SNAPSHOTS.glob("*.json")) == sorted(SNAPSHOT_EXPECT)
