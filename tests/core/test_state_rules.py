"""Only the rules in STATE_RULES read the GPUs' moment-to-moment state (fleets diagnose a configuration once on that promise)."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from builders import clone, cpu_vm, healthy, tf_build, torch_build
from whygpu.diagnose import run_rules
from whygpu.facts import Unavailable
from whygpu.rules.gpu_state import STATE_FIELDS, STATE_RULES
from whygpu.snapshot import GpuProcess, NvmlDevice, Snapshot

STATE_CODES = {r.code for r in STATE_RULES}
SNAPSHOTS = [healthy(), healthy(torch_build()), healthy(tf_build(), torch_build("2.13.0+cpu", None)), cpu_vm()]

states = st.tuples(
    st.one_of(st.none(), st.integers(0, 40960)),
    st.one_of(st.none(), st.integers(0, 100)),
    st.lists(st.builds(GpuProcess, st.integers(1, 99999), st.sampled_from(["python", "jupyter"]),
                       st.one_of(st.none(), st.integers(0, 40960))), max_size=3),
)


def _with(snapshot: Snapshot, state: tuple[int | None, int | None, list[GpuProcess]]) -> Snapshot:
    changed = clone(snapshot)
    report = changed.driver.report
    if not isinstance(report, Unavailable):
        used, busy, processes = state
        report.devices = [dataclasses.replace(d, memory_used_mib=used, utilization_percent=busy, processes=processes)
                          for d in report.devices]
    return changed


def _others(snapshot: Snapshot) -> list[tuple[str, str, tuple[str, ...]]]:
    findings, _unknown = run_rules(snapshot)
    return sorted((f.id, f.title, f.evidence) for f in findings if f.id not in STATE_CODES)


def test_state_fields_are_fields_of_a_gpu() -> None:
    assert {f.name for f in dataclasses.fields(NvmlDevice)} >= STATE_FIELDS


@settings(max_examples=60, deadline=None)
@given(index=st.integers(0, len(SNAPSHOTS) - 1), state=states)
def test_no_other_rule_reads_the_gpu_state(index: int, state: tuple[int | None, int | None, list[GpuProcess]]) -> None:
    snapshot = SNAPSHOTS[index]
    assert _others(_with(snapshot, state)) == _others(snapshot)


def test_the_state_rules_do_read_it() -> None:
    busy = _with(healthy(), (40000, 100, [GpuProcess(4242, "python", 40000)]))
    findings, _unknown = run_rules(busy)
    assert STATE_CODES & {f.id for f in findings}


def test_gpus_with_equal_state_signatures_get_the_same_state_findings_word_for_word() -> None:
    from itertools import product

    from whygpu.rules.gpu_state import quiet_below, state_signature
    from whygpu.snapshot import DriverReport

    base = healthy()
    report = base.driver.report
    assert isinstance(report, DriverReport)
    used_values = [None, -5, 0, 100, 36863, 36864, 36865, 39000, 40960, 73727, 73728, 81920]
    process_lists = [[], [GpuProcess(1, "python", 10)], [GpuProcess(2, "python", 10)], [GpuProcess(1, "python", None)]]
    fired = set()
    for total, mode in product([None, 0, 40960, 81920, -40960], [None, "Default", "Exclusive_Process", "Prohibited"]):
        by_signature: dict[object, list[dict[str, object]]] = {}
        bound = quiet_below(total, mode)
        for used, processes, busy in product(used_values, process_lists, [None, 0, 100]):
            snapshot = clone(base)
            device = dataclasses.replace(report.devices[0], memory_total_mib=total, compute_mode=mode,
                                         memory_used_mib=used, processes=processes, utilization_percent=busy)
            snapshot.driver.report.devices = [device]  # type: ignore[union-attr]
            findings = [f.to_json() for rule in STATE_RULES for f in rule.run(snapshot) if hasattr(f, "to_json")]
            fired.update(f["id"] for f in findings)
            signature = state_signature(total, mode, used, repr(processes))
            assert by_signature.setdefault(signature, findings) == findings, (total, mode, used, processes)
            if bound is not None and (used is None or used < bound):
                assert signature == (None, None), (total, mode, used)
        if isinstance(bound, int):  # the bound is the least busy memory, not just a safe one
            assert state_signature(total, mode, bound, "[]") != (None, None)
            assert state_signature(total, mode, bound - 1, "[]") == (None, None)
    assert fired == STATE_CODES  # the states tried make both rules fire


@settings(max_examples=40, deadline=None)
@given(index=st.integers(0, len(SNAPSHOTS) - 1), state=states, base_state=states)
def test_a_report_rediagnosed_for_another_gpu_state_is_the_doctors_own(
        index: int, state: tuple[int | None, int | None, list[GpuProcess]], base_state: tuple[int | None, int | None, list[GpuProcess]]) -> None:
    from whygpu.diagnose import diagnose, rediagnose_state

    base = _with(SNAPSHOTS[index], base_state)
    changed = _with(SNAPSHOTS[index], state)
    again = rediagnose_state(diagnose(base), changed)
    own = diagnose(changed)
    assert again is not None
    assert again.verdict == own.verdict
    assert [f.to_json() for f in again.findings] == [f.to_json() for f in own.findings]
    assert [c.to_json() for c in again.causes] == [c.to_json() for c in own.causes]
    assert again.details["frameworks"] == own.details["frameworks"] and again.rules == own.rules


def test_the_busy_states_tried_change_the_diagnosis() -> None:
    from whygpu.diagnose import diagnose, rediagnose_state

    quiet = healthy()
    busy = _with(quiet, (40000, 100, [GpuProcess(4242, "python", 40000)]))
    again = rediagnose_state(diagnose(quiet), busy)
    assert again is not None and again.findings != diagnose(quiet).findings
    assert [f.to_json() for f in again.findings] == [f.to_json() for f in diagnose(busy).findings]
