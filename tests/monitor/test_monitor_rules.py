"""The MON rules in the one registry: each fires on its verdict and stays quiet on the others; ``whygpu rule`` shows them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_runner import run_whygpu
from whygpu.model import Cause, Confidence, Finding, Report, Severity, Verdict
from whygpu.monitor.analysis import Kind
from whygpu.monitor.analysis import Verdict as MonitorVerdict
from whygpu.monitor.rules import RULES, RunView
from whygpu.rules.catalogue import all_rules, find_rule

FIXTURES = Path(__file__).parent / "fixtures"
EVIDENCE = ("GPU 0: utilisation mean 23%, median 0%, p95 96%; idle 71% of 900 samples",)


def _verdict(kind: Kind, gpu: str | None = "0", confidence: str = "high") -> RunView:
    return RunView(MonitorVerdict(kind, gpu, EVIDENCE, confidence))


NO_NVML = "NVML could not be loaded: libnvidia-ml.so.1: cannot open shared object file"
# code -> (a view it fires on, a view it stays quiet on)
CASES: dict[str, tuple[RunView, RunView]] = {
    "MON-NEVER-TOUCHED": (_verdict(Kind.NEVER_TOUCHED, None, "medium"), _verdict(Kind.ALLOCATED_IDLE)),
    "MON-LEFT-GPU": (_verdict(Kind.LEFT), _verdict(Kind.HEALTHY)),
    "MON-ALLOCATED-IDLE": (_verdict(Kind.ALLOCATED_IDLE), _verdict(Kind.INPUT_BOUND)),
    "MON-INPUT-BOUND": (_verdict(Kind.INPUT_BOUND), _verdict(Kind.ALLOCATED_IDLE)),
    "MON-GPU-BUSY": (_verdict(Kind.BUSY), _verdict(Kind.UNUSED)),
    "MON-HEALTHY": (_verdict(Kind.HEALTHY), _verdict(Kind.INPUT_BOUND)),
    "MON-GPU-UNUSED": (_verdict(Kind.UNUSED), _verdict(Kind.HEALTHY)),
    "MON-NO-VERDICT": (_verdict(Kind.UNKNOWN, None), _verdict(Kind.HEALTHY)),
    # Quiet when the doctor ran: its findings say why there is no GPU.
    "MON-NO-SAMPLING": (RunView(None, sampler_unavailable=NO_NVML),
                        RunView(None, sampler_unavailable=NO_NVML,
                                doctor=Report("machine", Verdict(False, "no GPU"), [], []))),
}


def _fired(code: str, view: RunView) -> list[Finding]:
    rule = next(r for r in RULES if r.code == code)
    return [f for f in rule.run(view) if isinstance(f, Finding)]


def test_every_monitor_rule_has_cases_and_is_in_the_registry() -> None:
    assert set(CASES) == {r.code for r in RULES}
    assert {r.code for r in RULES} <= {r.code for r in all_rules()}
    # Every verdict the analysis draws is some rule's.
    fired = {f.id for kind in Kind for r in RULES for f in r.run(_verdict(kind)) if isinstance(f, Finding)}
    assert len(fired) == len(Kind)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires(code: str) -> None:
    found = _fired(code, CASES[code][0])
    assert len(found) == 1 and found[0].id == code and found[0].title


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_stays_quiet(code: str) -> None:
    assert _fired(code, CASES[code][1]) == []


def test_per_gpu_findings_name_their_gpu() -> None:
    found = _fired("MON-INPUT-BOUND", _verdict(Kind.INPUT_BOUND))[0]
    assert found.title.startswith("GPU 0: the GPU is underused") and found.scope == "GPU 0"
    assert found.severity is Severity.WARNING and found.cause == "GPU_UNDERUSED"
    low = _fired("MON-INPUT-BOUND", _verdict(Kind.INPUT_BOUND, confidence="low"))[0]
    assert "waits on something other than its CPU" in low.title and low.confidence is Confidence.LOW


def test_never_touched_takes_the_doctors_cause_or_says_it_found_none() -> None:
    cause = Cause("FRAMEWORK_CPU_BUILD", 1, Confidence.HIGH, "torch 2.5.1+cpu is a CPU-only build", (),
                  "pip install torch --index-url https://download.pytorch.org/whl/cu124", ("FW002",))
    doctor = Report("machine", Verdict(False, "CPU build"), [cause], [])
    view = RunView(MonitorVerdict(Kind.NEVER_TOUCHED, None, EVIDENCE, "high"), interpreter="/venv/bin/python", doctor=doctor)
    found = _fired("MON-NEVER-TOUCHED", view)[0]
    assert found.cause == "FRAMEWORK_CPU_BUILD" and found.fix == cause.fix
    assert any("the doctor on /venv/bin/python: FRAMEWORK_CPU_BUILD" in line for line in found.evidence)
    clean = Report("machine", Verdict(True, "fine"), [], [])
    quiet_doctor = _fired("MON-NEVER-TOUCHED", RunView(view.verdict, interpreter="/venv/bin/python", doctor=clean))[0]
    assert quiet_doctor.cause == "CODE_FORCES_CPU" and quiet_doctor.confidence is Confidence.LOW


def test_whygpu_rule_shows_a_monitor_rule_end_to_end() -> None:
    result = run_whygpu(["rule", "MON-NEVER-TOUCHED"])
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "MON-NEVER-TOUCHED job-never-touched-gpu"
    assert "cause: CODE_FORCES_CPU    severity: error" in lines[1]
    assert "Example:" in lines and "Known limits:" in lines
    by_slug = run_whygpu(["rule", "gpu-input-bound"])
    assert by_slug.code == 0 and by_slug.stdout.startswith("MON-INPUT-BOUND gpu-input-bound")
    cause = run_whygpu(["rule", "GPU_BUSY"])
    assert cause.code == 0 and any(line.split()[:2] == ["MON-GPU-BUSY", "gpu-busy-with-other-processes"]
                                   for line in cause.stdout.splitlines())


def test_the_report_json_keeps_its_finding_ids_and_carries_its_rules() -> None:
    from whygpu.monitor.report import RunInfo, build_report

    report = build_report(None, RunInfo(mode="command", sampler_unavailable=NO_NVML))
    assert [f.id for f in report.findings] == ["MON-NO-SAMPLING"]
    assert [r.code for r in report.rules] == [r.code for r in RULES]  # SARIF's rule list, if rendered
    result = run_whygpu(["monitor", "--from", str(FIXTURES / "input_bound.dmon.txt"), "--json"])
    assert result.code == 1, result.stderr
    doc = json.loads(result.stdout)
    finding = doc["findings"][0]
    assert finding["id"] == "MON-INPUT-BOUND" and finding["cause"] == "GPU_UNDERUSED"
    assert finding["extra"] == {"slug": "gpu-input-bound"}
    assert find_rule(finding["id"]) is not None
