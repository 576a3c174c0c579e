"""TGT rules, each with a case where it fires and one where it stays quiet, and the report on a target."""

from __future__ import annotations

from typing import Any

import pytest

from builders import cpu_vm, healthy, tf_build, torch_build
from whygpu.knowledge.target import parse_target
from whygpu.model import Finding, Severity
from whygpu.preflight import diagnose_on_target
from whygpu.rules.registry import RULES as DOCTOR_RULES
from whygpu.rules.target import ENVIRONMENT_RULES, MACHINE_RULES, RULES, Preflight
from whygpu.snapshot import LibraryFile, LibraryResolution, Snapshot

TORCH_CU130 = dict(version="2.13.0+cu130", cuda="13.0")

# code -> (firing (target, snapshot builder), clean (target, snapshot builder))
CASES: dict[str, tuple[tuple[str, Any], tuple[str, Any]]] = {
    "TGT001": (("Standard_D4s_v5", lambda: cpu_vm()), ("Standard_NC24ads_A100_v4", lambda: cpu_vm())),
    "TGT002": (("Standard_ND96isr_MI300X_v5", lambda: cpu_vm()), ("Standard_ND96isr_H100_v5", lambda: cpu_vm())),
    "TGT003": (("Standard_NC6", lambda: cpu_vm(tf_build())), ("Standard_ND40rs_v2", lambda: cpu_vm(tf_build()))),
    "TGT004": (("A100,driver=470", lambda: cpu_vm(tf_build())), ("A100,driver=560.35.03", lambda: cpu_vm(tf_build()))),
    "TGT005": (("K80,driver=535", lambda: cpu_vm()), ("K80,driver=470.82.01", lambda: cpu_vm())),
    "TGT006": (("Standard_NC6s_v3", lambda: cpu_vm()), ("Standard_NC24ads_A100_v4", lambda: cpu_vm())),
    "TGT007": (("Standard_NV6ads_A10_v5", lambda: cpu_vm()), ("Standard_NV36ads_A10_v5", lambda: cpu_vm())),
    "TGT008": (("Standard_ND128isr_NDR_GB200_v6", lambda: cpu_vm()), ("Standard_ND128isr_NDR_GB200_v6", lambda: _arm(cpu_vm()))),
    "TGT009": (("T4,driver=535.129.03", lambda: _image_with_libcuda("550.54.15")), ("T4,driver=550.54.15", lambda: _image_with_libcuda("550.54.15"))),
}


def _image_with_libcuda(version: str) -> Snapshot:
    snapshot = cpu_vm()
    snapshot.source.mode = "root"
    snapshot.driver.libcuda = [LibraryFile(f"/usr/lib/x86_64-linux-gnu/libcuda.so.{version}", "cuda", "libcuda.so.1", version, "system")]
    return snapshot


def _arm(snapshot: Snapshot) -> Snapshot:
    snapshot.platform.machine = "aarch64"
    return snapshot


def _fired(code: str, target: str, snapshot: Snapshot) -> list[Finding]:
    rule = next(r for r in RULES if r.code == code)
    return [f for f in rule.run(Preflight(snapshot, parse_target(target))) if isinstance(f, Finding)]


def test_a_datacenter_driver_image_on_a_vgpu_size() -> None:
    found = _fired("TGT005", "Standard_NV6ads_A10_v5,image=ubuntu-hpc-2404", cpu_vm())
    assert found and "GRID" in found[0].title
    assert _fired("TGT005", "Standard_NC24ads_A100_v4,image=ubuntu-hpc-2404", cpu_vm()) == []


def test_every_target_rule_has_cases() -> None:
    assert set(CASES) == {r.code for r in RULES}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires(code: str) -> None:
    (target, build), _clean = CASES[code]
    found = _fired(code, target, build())
    assert found and all(f.id == code for f in found)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_stays_quiet(code: str) -> None:
    _firing, (target, build) = CASES[code]
    assert _fired(code, target, build()) == []


def test_every_doctor_rule_is_classified_once() -> None:
    codes = {r.code for r in DOCTOR_RULES}
    assert not MACHINE_RULES & ENVIRONMENT_RULES
    assert codes == MACHINE_RULES | ENVIRONMENT_RULES, "classify new doctor rules in whygpu.rules.target"


def test_the_ci_machines_missing_gpu_is_not_a_cause() -> None:
    report = diagnose_on_target(cpu_vm(tf_build()), parse_target("Standard_ND96isr_H100_v5"))
    assert report.verdict.gpu_usable is True and not report.problem_found
    assert "On Standard_ND96isr_H100_v5 (8x H100" in report.verdict.summary
    assert report.subject["target"]["gpu"]["compute_capability"] == "9.0"
    assert report.subject["target"]["driver"]["basis"] == "newest"


def test_environment_facts_carry_over() -> None:
    # The CUDA libraries missing from the image block the GPU on any target.
    fw = tf_build(libraries=[LibraryResolution("cudart", ["libcudart.so.12"], True, None, None)])
    report = diagnose_on_target(cpu_vm(fw), parse_target("Standard_NC24ads_A100_v4"))
    assert report.verdict.gpu_usable is False
    assert {c.code for c in report.causes} & {"CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH"}
    assert "NO_GPU" not in {c.code for c in report.causes}


def test_machine_state_does_not_leak_into_the_target() -> None:
    snap = healthy(tf_build())
    snap.driver.report.devices[0].memory_used_mib = 40000  # type: ignore[union-attr]
    report = diagnose_on_target(snap, parse_target("Standard_ND96isr_H100_v5"))
    assert all(not f.id.startswith(("BUSY", "HW", "DRV")) for f in report.findings)


def test_torch_cu130_on_v100_names_a_build_that_fits() -> None:
    report = diagnose_on_target(cpu_vm(torch_build(**TORCH_CU130)), parse_target("Standard_ND40rs_v2"))
    assert report.verdict.gpu_usable is False and report.causes[0].code == "GPU_NOT_SUPPORTED"
    finding = next(f for f in report.findings if f.id == "TGT003")
    assert "download.pytorch.org/whl/cu12" in finding.fix


def test_ptx_jit_is_information_not_a_blocker() -> None:
    report = diagnose_on_target(cpu_vm(tf_build()), parse_target("B200"))
    jit = [f for f in report.findings if f.id == "TGT003"]
    assert jit and all(f.severity is Severity.INFO for f in jit)
    assert report.verdict.gpu_usable is True


def test_doctor_hw003_shares_the_decision_and_knows_ptx_jit() -> None:
    from whygpu.diagnose import diagnose

    snap = healthy(tf_build())
    for device in snap.hardware.gpus:  # type: ignore[union-attr]
        device.compute_capability = "10.0"
    snap.driver.report.devices[0].compute_capability = "10.0"  # type: ignore[union-attr]
    # TF 2.21 ships compute_90 PTX: a Blackwell GPU JIT-compiles it (no "CUDA 12.5 no longer supports 10.0").
    assert all(f.id != "HW003" for f in diagnose(snap).findings)
    snap.driver.report.devices[0].compute_capability = "3.7"  # type: ignore[union-attr]
    for device in snap.hardware.gpus:  # type: ignore[union-attr]
        device.compute_capability = "3.7"
    assert any(f.id == "HW003" for f in diagnose(snap).findings)


def test_a_rocm_build_on_an_amd_target_is_not_blamed() -> None:
    rocm = torch_build(version="2.13.0+rocm6.4", cuda=None)
    amd = diagnose_on_target(cpu_vm(rocm), parse_target("Standard_ND96isr_MI300X_v5"))
    assert not any(f.id in ("FW001", "TGT002") for f in amd.findings)
    nvidia = diagnose_on_target(cpu_vm(rocm), parse_target("Standard_NC24ads_A100_v4"))
    assert any(f.id == "FW001" for f in nvidia.findings)  # no CUDA in a ROCm build: a CPU build for NVIDIA


def test_report_lists_the_rules_behind_its_findings() -> None:
    report = diagnose_on_target(cpu_vm(tf_build()), parse_target("Standard_NC6"))
    assert {r.code for r in report.rules} == {f.id for f in report.findings}


def test_driver_library_rule_leaves_machines_compat_and_mounted_copies_alone() -> None:
    live = _image_with_libcuda("550.54.15")
    live.source.mode = "live"  # a machine's own libcuda is its driver
    assert _fired("TGT009", "T4,driver=535.129.03", live) == []
    compat = _image_with_libcuda("550.54.15")
    compat.driver.libcuda[0].path = "/usr/local/cuda-12.4/compat/libcuda.so.550.54.15"
    assert _fired("TGT009", "T4,driver=535.129.03", compat) == []
    older = _image_with_libcuda("525.60.13")
    assert _fired("TGT009", "T4,driver=535.129.03", older) == []  # the host's newer copy wins ldconfig
    unknown = [o for o in RULES[-1].run(Preflight(_image_with_libcuda("550.54.15"), parse_target("A100")))]
    assert unknown and not any(isinstance(o, Finding) for o in unknown)


# A name NVIDIA sold on several chips (GeForce GT 630: Fermi 2.1, Kepler 3.0 and 3.5; gpus.toml's
# compute_capabilities) is judged once per chip: what every chip fails blocks, what only some fail warns.
def test_a_build_every_chip_of_an_ambiguous_name_refuses_blocks() -> None:
    found = _fired("TGT003", "GT 630", cpu_vm(tf_build()))
    assert [f.severity for f in found] == [Severity.ERROR]
    assert "whichever chip" in found[0].title and any("2.1, 3.0 or 3.5" in e for e in found[0].evidence)
    driver = _fired("TGT004", "GT 630", cpu_vm(tf_build()))
    assert [f.severity for f in driver] == [Severity.ERROR]
    assert any("driver 390" in e for e in driver[0].evidence) and any("driver 470" in e for e in driver[0].evidence)


def test_a_build_only_some_chips_refuse_warns_and_says_what_decides() -> None:
    snapshot = cpu_vm(torch_build("1.4.0", "10.1"))  # CUDA 10 dropped Fermi (2.x) only
    found = _fired("TGT003", "GT 630", snapshot)
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "compute capability 2.1 chip" in found[0].title and "3.0" not in found[0].title
    assert any("nvidia-smi --query-gpu=name,compute_cap" in e for e in found[0].evidence)
    report = diagnose_on_target(snapshot, parse_target("GT 630"))
    assert not any(f.severity is Severity.ERROR and f.code in ("TGT003", "TGT004") for f in report.findings)


def test_a_build_every_chip_runs_stays_quiet_and_a_single_chip_name_is_judged_once() -> None:
    assert _fired("TGT003", "GT 630", cpu_vm(torch_build("1.0.0", "8.0"))) == []  # CUDA 8 still had Fermi
    assert _fired("TGT004", "GT 630", cpu_vm(torch_build("1.0.0", "8.0"))) == []  # R390 runs CUDA 9.1
    target = parse_target("GT 630")
    assert target.compute_capability is None and target.compute_capabilities == ("2.1", "3.0", "3.5")
    assert "compute capability 2.1, 3.0 or 3.5 by chip" in target.describe()
    k80 = parse_target("K80")
    assert k80.compute_capabilities == () and k80.compute_capability == "3.7"


def test_a_given_driver_is_named_as_given_for_every_chip() -> None:
    found = _fired("TGT004", "GT 630,driver=390.157", cpu_vm(torch_build("1.4.0", "10.1")))
    assert [f.severity for f in found] == [Severity.ERROR]
    assert found[0].title.startswith("The target's driver 390.157 is too old") and "whichever" not in found[0].title
    assert found[0].fix.startswith("Upgrade the target's NVIDIA driver")  # the given driver, not each chip's last branch
    assumed = _fired("TGT004", "GT 630", cpu_vm(tf_build()))
    assert assumed[0].fix.startswith("Use a build for an older CUDA that the GPU's last driver runs")
