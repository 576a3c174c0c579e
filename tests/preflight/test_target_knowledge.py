"""The target model and the preflight decisions in ``whygpu.knowledge.target``, checked against the knowledge tables."""

from __future__ import annotations

import pytest

from whygpu.knowledge.azure import azure_vm_size
from whygpu.knowledge.cuda import driver_version_runs_cuda
from whygpu.knowledge.gpus import gpu_by_name, last_driver_branch
from whygpu.knowledge.target import (
    BuildSpec,
    TargetError,
    build_runs_on_compute_capability,
    current_equivalent,
    driver_supports_gpu,
    judge_build_on_target,
    min_driver_for_compute_capability,
    parse_target,
)

TF221 = BuildSpec("tensorflow", "tensorflow", "2.21.0", "12.5", ("sm_60", "sm_70", "sm_80", "sm_89", "compute_90"))
TORCH_CU130 = BuildSpec("torch", "torch", "2.13.0+cu130", "13.0")  # arch list from the torch table


@pytest.mark.parametrize("spec", ["Standard_NC24ads_A100_v4", "NC24ads_A100_v4", "standard_nc24ads_a100_v4", " STANDARD_NC24ADS_A100_V4 "])
def test_size_names_with_or_without_prefix_any_case(spec: str) -> None:
    target = parse_target(spec)
    assert target.kind == "azure_size" and target.name == "Standard_NC24ads_A100_v4"
    assert (target.model, target.compute_capability, target.gpu_count) == ("A100", "8.0", 1.0)


def test_gpu_model_wins_over_a_cpu_size_pattern() -> None:
    # "A10" and "H100" also match the A- and H-series CPU name patterns: a bare name is the GPU.
    assert parse_target("A10").kind == "gpu" and parse_target("A10").compute_capability == "8.6"
    assert parse_target("H100").compute_capability == "9.0"
    assert parse_target("Standard_A10").has_gpu is False


def test_driver_given_is_used_and_labelled() -> None:
    target = parse_target("T4,driver=535")
    assert target.driver.version == "535" and target.driver.basis == "given"
    assert "driver 535 (given)" in target.describe()


def test_driver_from_sourced_size_row_and_assumed_by_architecture() -> None:
    nc6 = parse_target("Standard_NC6")
    assert nc6.driver.version == "470.82.01" and nc6.driver.basis == "azure" and nc6.driver.source
    assert nc6.describe() == "Standard_NC6 (1x Tesla K80, compute capability 3.7, driver assumed 470.82.01, retired)"
    v100 = parse_target("V100")
    assert v100.driver.version == last_driver_branch("Volta") == "580" and v100.driver.basis == "architecture"
    a100 = parse_target("A100")
    assert a100.driver.version is None and "assumed the newest" in a100.describe()


@pytest.mark.parametrize("bad, hint", [("Standard_NC7", "Standard_NC6"), ("A1000", "A100"), ("H1000", "H100"), ("xyz", "T4")])
def test_unknown_targets_name_the_closest(bad: str, hint: str) -> None:
    with pytest.raises(TargetError) as info:
        parse_target(bad)
    assert hint in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("bad", ["T4,drv=535", "T4,driver=abc", "T4,driver=", ""])
def test_bad_options_are_refused(bad: str) -> None:
    with pytest.raises(TargetError):
        parse_target(bad)


def test_arch_fit_sass_same_major_ptx_and_none() -> None:
    archs = ["sm_60", "sm_70", "sm_80", "sm_89", "compute_90"]
    assert build_runs_on_compute_capability(archs, "8.0").how == "sass"
    assert build_runs_on_compute_capability(archs, "8.6").how == "same-major"  # sm_80 runs on 8.6
    assert build_runs_on_compute_capability(archs, "10.0").how == "ptx-jit"  # compute_90 JIT on Blackwell
    assert build_runs_on_compute_capability(archs, "3.7").runs is False
    sass_only = ["8.0", "8.6"]
    assert build_runs_on_compute_capability(sass_only, "9.0").runs is False  # no PTX: sm_80 does not run on 9.0
    assert build_runs_on_compute_capability(["7.5", "12.0+PTX"], "12.1").how == "same-major"
    assert build_runs_on_compute_capability([], "8.0").runs is None


def test_driver_against_cuda_with_minor_compat_and_branches() -> None:
    assert driver_version_runs_cuda("470", "12.5").runs is False
    assert driver_version_runs_cuda("535.104.05", "12.5").runs is True and not driver_version_runs_cuda("535.104.05", "12.5").exact
    assert driver_version_runs_cuda("555.42.02", "12.5").exact
    assert driver_version_runs_cuda("470", "11.4").runs is True  # the branch stands for its newest release
    assert driver_version_runs_cuda("570.195.03", "13.0").runs is False  # CUDA 13 needs R580
    # A driver that cannot be read is not judged too old: unknown.
    assert driver_version_runs_cuda("n/a", "12.5").runs is None
    fit = driver_version_runs_cuda("470.82.01", "12.2")
    assert fit.toolkit_min is not None and fit.compat_min is not None and fit.needed == fit.toolkit_min


def test_driver_against_gpu() -> None:
    assert driver_supports_gpu("535", "Kepler", "3.7")[0] is False
    assert driver_supports_gpu("470.82.01", "Kepler", "3.7")[0] is True
    assert driver_supports_gpu("440", "Ampere", "8.0")[0] is False
    assert min_driver_for_compute_capability("12.0") == "570.26"


def test_tensorflow_221_on_k80_v100_and_a100_with_old_driver() -> None:
    k80 = judge_build_on_target(parse_target("Standard_NC6"), TF221)
    assert {p.kind for p in k80} == {"compute-capability", "driver-too-old"} and all(p.blocks for p in k80)
    # TF 2.21's official wheels contain sm_70 (knowledge/tensorflow.toml), so a V100 runs it.
    assert judge_build_on_target(parse_target("Standard_ND40rs_v2"), TF221) == []
    old = judge_build_on_target(parse_target("A100,driver=470"), TF221)
    assert [(p.kind, p.cause) for p in old] == [("driver-too-old", "DRIVER_TOO_OLD")]


def test_torch_cu130_on_volta_amd_cpu_and_grid() -> None:
    v100 = judge_build_on_target(parse_target("V100"), TORCH_CU130)
    assert [(p.kind, p.cause) for p in v100] == [("compute-capability", "GPU_NOT_SUPPORTED")]
    amd = judge_build_on_target(parse_target("ND96isr_MI300X_v5"), TORCH_CU130)
    assert [p.cause for p in amd] == ["GPU_NOT_SUPPORTED"]
    rocm = BuildSpec("torch", "torch", "2.13.0+rocm6.4", None, rocm=True)
    assert judge_build_on_target(parse_target("ND96isr_MI300X_v5"), rocm) == []
    assert [p.cause for p in judge_build_on_target(parse_target("Standard_D4s_v5"), TORCH_CU130)] == ["NO_GPU"]
    grid = judge_build_on_target(parse_target("Standard_NV6ads_A10_v5"), TORCH_CU130)
    assert [(p.kind, p.blocks) for p in grid] == [("driver-too-old", True)]  # Azure's GRID R570 < R580


def test_unknown_driver_is_not_a_blocker() -> None:
    problems = judge_build_on_target(parse_target("Standard_NC24ads_A100_v4"), TORCH_CU130)
    assert [(p.kind, p.blocks) for p in problems] == [("driver-unknown", False)]


def test_ptx_jit_needs_the_toolkits_own_driver() -> None:
    problems = judge_build_on_target(parse_target("H100,driver=525"), TF221)
    kinds = {p.kind: p.blocks for p in problems}
    assert kinds == {"ptx-jit": False, "driver-too-old": True}
    assert judge_build_on_target(parse_target("H100,driver=560.35.03"), TF221)[0].kind == "ptx-jit"


def test_current_equivalent_is_sourced_or_computed() -> None:
    ncv3 = current_equivalent(parse_target("Standard_NC6s_v3"))
    assert ncv3 is not None and ncv3[0] == "Standard_NC24ads_A100_v4" and "https://" in ncv3[1]
    nc24 = current_equivalent(parse_target("Standard_NC24"))
    assert nc24 is not None and "computed" in nc24[1]
    size = azure_vm_size(nc24[0])
    assert size is not None and size.status == "current" and size.gpu_count == 4


def test_gpu_names_and_aliases() -> None:
    assert gpu_by_name("Tesla T4") == gpu_by_name("t4") == gpu_by_name("NVIDIA T4")
    assert gpu_by_name("mi300x") is not None and gpu_by_name("mi300x").vendor == "amd"  # type: ignore[union-attr]
    assert gpu_by_name("no such gpu") is None


def test_builds_judged_on_a_target() -> None:
    tf = BuildSpec("tensorflow", "tensorflow", "2.21.0", "12.5")
    assert judge_build_on_target(parse_target("Standard_ND40rs_v2"), tf) == []
    cu130 = BuildSpec("torch", "torch", "2.13.0+cu130", "13.0")
    # CUDA 13 dropped Volta (the V100 of ND40rs_v2).
    assert [p.cause for p in judge_build_on_target(parse_target("Standard_ND40rs_v2"), cu130)] == ["GPU_NOT_SUPPORTED"]


def test_cuda_supports_gpu_judges_the_floor_of_each_major() -> None:
    from whygpu.knowledge.target import cuda_supports_gpu

    assert cuda_supports_gpu("12.2", "3.7")[0] is False  # Kepler dropped in 12
    assert cuda_supports_gpu("11.8", "3.7")[0] is True
    assert cuda_supports_gpu("13.0", "7.0")[0] is False  # Volta dropped in 13
    assert cuda_supports_gpu("13.0", "7.5")[0] is True
    assert cuda_supports_gpu("8.0", "3.7")[0] is None  # no architecture data for CUDA 8
    assert cuda_supports_gpu("12.2", "x")[0] is None


def test_hpc_image_driver_by_name_or_urn_and_host_cpu() -> None:
    x86 = parse_target("Standard_ND96isr_H100_v5,image=ubuntu-hpc-2404")
    arm = parse_target("Standard_ND128isr_NDR_GB200_v6,image=microsoft-dsvm:ubuntu-hpc:2404:latest")
    assert x86.driver.basis == arm.driver.basis == "image" and x86.driver.source and "azhpc-images" in x86.driver.source
    assert x86.driver.version != arm.driver.version  # the aarch64 image has its own row
    assert parse_target("A100,driver=470,image=ubuntu-hpc-2404").driver.basis == "given"  # what the user says wins
    with pytest.raises(TargetError, match="ubuntu-hpc-2404"):
        parse_target("T4,image=windows-2022")
