"""Every doctor rule fires on a snapshot built to break it and stays quiet on its healthy twin."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from builders import cpu_vm, env, healthy, resolved, tf_build, torch_build
from whygpu.diagnose import diagnose, run_rules
from whygpu.facts import Unavailable
from whygpu.rules.registry import RULES
from whygpu.snapshot import (
    CloudFacts,
    ContainerFacts,
    DriverReport,
    GpuProcess,
    HardwareFacts,
    KernelModule,
    LibraryFile,
    LibraryResolution,
    NvmlDevice,
    Package,
    PciDevice,
    Snapshot,
)

SITE = "/opt/venv/lib/python3.11/site-packages"


def _k80() -> Snapshot:
    s = healthy(tf_build())
    s.hardware = HardwareFacts([PciDevice("0000:00:04.0", "0x10de", "0x102d", "nvidia", "0x030200", "Tesla K80", "3.7", "nvidia")])
    s.driver.report = DriverReport("nvml", "470.82.01", "11.4", [NvmlDevice(0, "Tesla K80", None, "3.7", 11441, 0, "Default")])
    s.driver.kernel_module = KernelModule(True, "470.82.01", "/proc/driver/nvidia/version")
    s.driver.libcuda = []
    s.driver.libnvidia_ml = []
    return s


def _no_driver() -> Snapshot:
    s = healthy()
    s.driver.kernel_module = KernelModule(False, None, "/proc/driver/nvidia/version")
    s.driver.report = Unavailable("NVML Shared Library Not Found", "nvml")
    s.driver.device_nodes = []
    s.driver.libcuda = []
    return s


def _old_driver() -> Snapshot:
    s = healthy(tf_build("2.15.0", cuda="12.2", cudnn="8"))
    s.driver.kernel_module = KernelModule(True, "470.82.01", "/proc/driver/nvidia/version")
    s.driver.report = DriverReport("nvml", "470.82.01", "11.4", [NvmlDevice(0, "NVIDIA A100-SXM4-40GB", None, "8.0", 40960, 4, "Default")])
    s.driver.libcuda = []
    s.driver.libnvidia_ml = []
    return s


def _mismatch() -> Snapshot:
    s = healthy()
    s.driver.kernel_module = KernelModule(True, "535.104.05", "/proc/driver/nvidia/version")
    s.driver.libcuda = [LibraryFile("/usr/lib/x86_64-linux-gnu/libcuda.so.535.129.03", "cuda", "libcuda.so.1", "535.129.03", "system")]
    s.driver.report = Unavailable("Failed to initialize NVML: Driver/library version mismatch", "nvml")
    return s


def _amd() -> Snapshot:
    s = cpu_vm()
    s.hardware = HardwareFacts([PciDevice("0000:00:00.0", "0x1002", "0x6860", "amd", "0x030000", "Radeon Instinct MI25", None, "amdgpu")])
    s.cloud = CloudFacts(True, vm_size="Standard_NV8as_v4")
    return s


def _nouveau() -> Snapshot:
    s = _no_driver()
    s.hardware = HardwareFacts([PciDevice("0000:01:00.0", "0x10de", "0x2204", "nvidia", "0x030000", "GeForce RTX 3090", "8.6", "nouveau")])
    return s


def _container_no_gpu() -> Snapshot:
    s = healthy()
    s.container = ContainerFacts(True, "docker", ["/.dockerenv exists"])
    s.driver.device_nodes = []
    s.driver.libcuda = []
    s.driver.report = Unavailable("NVML Shared Library Not Found", "nvml")
    return s


def _env(var: str, value: str) -> Callable[[], Snapshot]:
    def build() -> Snapshot:
        s = healthy(tf_build(), torch_build(), _jax())
        s.environment[var] = value
        return s
    return build


def _jax():  # type: ignore[no-untyped-def]
    from whygpu.snapshot import FrameworkBuild

    return FrameworkBuild("jax", "jax", "0.10.2", f"{SITE}/jax", True, cuda_version="12.8")


def _tf_libs(libs: list[LibraryResolution]) -> Snapshot:
    return healthy(tf_build(libraries=libs))


def _unresolved(library: str, soname: str, **kw: list[str]) -> LibraryResolution:
    return LibraryResolution(library=library, wanted=[soname], required=True, resolved=None, via=None, **kw)


def _cuda_missing() -> Snapshot:
    return _tf_libs([_unresolved("cudart", "libcudart.so.12"), resolved("cudnn", "libcudnn.so.9", "/x/libcudnn.so.9")])


def _cuda_wrong() -> Snapshot:
    return _tf_libs([_unresolved("cudart", "libcudart.so.12", other_versions=["/usr/local/cuda-13.0/lib64/libcudart.so.13"]),
                     resolved("cudnn", "libcudnn.so.9", "/x/libcudnn.so.9")])


def _cuda_off_path() -> Snapshot:
    return _tf_libs([_unresolved("cudart", "libcudart.so.12", unreachable=["/usr/local/cuda-12.5/lib64/libcudart.so.12"]),
                     resolved("cudnn", "libcudnn.so.9", "/x/libcudnn.so.9")])


def _shadowed() -> Snapshot:
    lib = resolved("cudart", "libcudart.so.12", "/usr/local/cuda-12.0/lib64/libcudart.so.12", via="LD_LIBRARY_PATH")
    lib.shadows = [f"{SITE}/nvidia/cuda_runtime/lib/libcudart.so.12"]
    return _tf_libs([lib, resolved("cudnn", "libcudnn.so.9", "/x/libcudnn.so.9")])


def _cudnn_missing() -> Snapshot:
    return _tf_libs([resolved("cudart", "libcudart.so.12", "/x/libcudart.so.12"), _unresolved("cudnn", "libcudnn.so.9")])


def _cudnn_wrong() -> Snapshot:
    return _tf_libs([resolved("cudart", "libcudart.so.12", "/x/libcudart.so.12"),
                     _unresolved("cudnn", "libcudnn.so.9", other_versions=[f"{SITE}/nvidia/cudnn/lib/libcudnn.so.8"])])


def _torch_cpu() -> Snapshot:
    return healthy(torch_build("2.13.0+cpu", cuda=None))


def _tf_windows() -> Snapshot:
    s = healthy(tf_build("2.15.0", cuda=None, cudnn=None, gpu_build=False, libraries=[]))
    s.platform.system = "windows"
    assert isinstance(s.pythons, list)
    s.pythons[0].platform_tag = "win32"
    return s


def _tf_gpu_stub() -> Snapshot:
    s = healthy(tf_build())
    assert isinstance(s.pythons, list)
    s.pythons[0].packages.append(Package("tensorflow-gpu", "2.12.0", SITE))
    return s


def _tf_and_cpu() -> Snapshot:
    s = healthy(tf_build())
    assert isinstance(s.pythons, list)
    s.pythons[0].packages.append(Package("tensorflow-cpu", "2.21.0", SITE))
    return s


def _mixed_cuda() -> Snapshot:
    s = healthy(tf_build())
    assert isinstance(s.pythons, list)
    s.pythons[0].kind = "conda"
    s.pythons[0].packages += [Package("cudatoolkit", "11.8.0", "/opt/conda", "conda"), Package("nvidia-cudnn-cu12", "9.3.0.75", SITE, "pip")]
    return s


def _no_framework() -> Snapshot:
    s = healthy()
    s.pythons = [env()]
    return s


def _busy() -> Snapshot:
    s = healthy()
    assert not isinstance(s.driver.report, Unavailable)
    s.driver.report.devices[0].memory_used_mib = 40000
    s.driver.report.devices[0].processes = [GpuProcess(4242, "python", 39990)]
    return s


def _exclusive() -> Snapshot:
    s = _busy()
    assert not isinstance(s.driver.report, Unavailable)
    s.driver.report.devices[0].memory_used_mib = 100
    s.driver.report.devices[0].compute_mode = "Exclusive_Process"
    return s


def _fault() -> Snapshot:
    s = healthy()
    assert not isinstance(s.driver.report, Unavailable)
    s.driver.report.devices[0].error = "Unknown Error"
    return s


def _cuda_home() -> Snapshot:
    s = healthy()
    s.cuda.cuda_home = "/usr/local/cuda-11.8"
    return s


def _wsl_no_libcuda() -> Snapshot:
    s = healthy()
    s.platform.wsl = True
    s.hardware = HardwareFacts([])
    s.driver.libcuda = []
    s.driver.device_nodes = ["/dev/dxg"]
    s.driver.report = Unavailable("NVML Shared Library Not Found", "nvml")
    return s


def _cc_too_new() -> Snapshot:
    s = healthy(torch_build(compute_capabilities=["sm_50", "sm_60", "sm_70", "sm_80", "sm_86", "sm_90"]))
    assert not isinstance(s.driver.report, Unavailable)
    s.driver.report.devices[0].compute_capability = "12.0"
    s.driver.report.devices[0].name = "NVIDIA GeForce RTX 5090"
    return s


def _programs_other_cudnn() -> Snapshot:
    # accbundle: ctranslate2 4.4.0 (built for cuDNN 8) beside torch 2.5.1 (brings cuDNN 9), no cuDNN 8 installed.
    s = healthy(torch_build("2.5.1+cu124", cuda="12.4"))
    assert isinstance(s.pythons, list)
    s.pythons[0].packages.append(Package("ctranslate2", "4.4.0", SITE, "pip"))
    return s


def _interpreter_hung() -> Snapshot:
    s = healthy()
    assert isinstance(s.pythons, list)
    s.pythons[0].interpreter_error = "timed out after 5 s"
    return s


# rule code -> (snapshot where it must fire, snapshot where it must stay quiet)
CASES: dict[str, tuple[Callable[[], Snapshot], Callable[[], Snapshot]]] = {
    "HW001": (cpu_vm, healthy),
    "HW002": (_amd, healthy),
    "HW003": (_k80, healthy),
    "HW004": (_nouveau, healthy),
    "DRV001": (_no_driver, healthy),
    "DRV002": (_old_driver, healthy),
    "DRV003": (_mismatch, healthy),
    "CTR001": (_container_no_gpu, healthy),
    "CTR002": (_env("NVIDIA_VISIBLE_DEVICES", "void"), _env("NVIDIA_VISIBLE_DEVICES", "all")),
    "CUDA001": (_cuda_missing, healthy),
    "CUDA002": (_cuda_wrong, healthy),
    "CUDA003": (_cuda_off_path, healthy),
    "CUDA004": (_shadowed, healthy),
    "DNN001": (_cudnn_missing, healthy),
    "DNN002": (_cudnn_wrong, healthy),
    "DNN003": (_programs_other_cudnn, healthy),
    "FW001": (_torch_cpu, healthy),
    "FW002": (_tf_windows, healthy),
    "FW003": (_tf_gpu_stub, healthy),
    "FW004": (_tf_and_cpu, healthy),
    "FW005": (_mixed_cuda, healthy),
    "FW006": (_no_framework, healthy),
    "FW007": (_interpreter_hung, healthy),
    "ENV001": (_env("CUDA_VISIBLE_DEVICES", "-1"), _env("CUDA_VISIBLE_DEVICES", "0")),
    "ENV002": (_env("JAX_PLATFORMS", "cpu"), _env("JAX_PLATFORMS", "cuda")),
    "ENV003": (_cuda_home, healthy),
    "BUSY001": (_busy, healthy),
    "BUSY002": (_exclusive, healthy),
    "FAULT001": (_fault, healthy),
}


def test_every_rule_has_a_firing_and_a_clean_case() -> None:
    assert sorted(CASES) == sorted(r.code for r in RULES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fires(code: str) -> None:
    firing, _clean = CASES[code]
    findings, _unknown = run_rules(firing())
    assert code in {f.id for f in findings}


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_quiet(code: str) -> None:
    _firing, clean = CASES[code]
    findings, _unknown = run_rules(clean())
    assert code not in {f.id for f in findings}


def test_healthy_machine_is_usable_and_clean() -> None:
    report = diagnose(healthy(tf_build(), torch_build()))
    assert report.verdict.gpu_usable is True
    assert report.causes == []
    assert not report.problem_found
    assert "TensorFlow 2.21.0" in report.verdict.summary


def test_no_gpu_ranks_first_and_cpu_torch_still_reported() -> None:
    report = diagnose(cpu_vm(torch_build("2.13.0+cpu", cuda=None)))
    codes = [c.code for c in report.causes]
    assert codes[0] == "NO_GPU"
    assert "FRAMEWORK_CPU_BUILD" in codes
    assert report.verdict.gpu_usable is False


def test_cuda_visible_devices_empty_string_hides() -> None:
    findings, _ = run_rules(_env("CUDA_VISIBLE_DEVICES", "")())
    assert "ENV001" in {f.id for f in findings}


def test_cuda_visible_devices_nonexistent_id_hides() -> None:
    findings, _ = run_rules(_env("CUDA_VISIBLE_DEVICES", "3")())
    assert "ENV001" in {f.id for f in findings}


def test_driver_too_old_names_the_minimum() -> None:
    findings, _ = run_rules(_old_driver())
    drv = [f for f in findings if f.id == "DRV002"]
    assert drv and "535.54.03" in drv[0].fix  # CUDA 12.2's own minimum, printed as NVIDIA prints it
    assert "470.82.01" in drv[0].title


def test_driver_below_toolkit_but_within_minor_compat_is_only_a_note() -> None:
    s = healthy()
    assert not isinstance(s.driver.report, Unavailable)
    s.driver.report.driver_version = "550.54.15"
    findings, _ = run_rules(s)
    notes = [f for f in findings if f.id == "DRV002"]
    assert notes and all(f.severity.value == "info" for f in notes)
    assert not diagnose(s).problem_found


def test_torch_cpu_fix_is_a_real_install_line() -> None:
    findings, _ = run_rules(_torch_cpu())
    fw = next(f for f in findings if f.id == "FW001")
    assert "torch==2.13.0" in fw.fix and "download.pytorch.org/whl/cu" in fw.fix


def test_tf_missing_cuda_fix_is_and_cuda() -> None:
    findings, _ = run_rules(_cuda_wrong())
    f = next(f for f in findings if f.id == "CUDA002")
    assert 'tensorflow[and-cuda]==2.21.*' in f.fix
    assert any("libcudart.so.13" in e for e in f.evidence)


def test_unknown_when_gpu_facts_unavailable() -> None:
    s = cpu_vm()
    s.hardware = HardwareFacts(Unavailable("no /sys/bus/pci", "pci"))
    findings, unknown = run_rules(s)
    assert "HW001" not in {f.id for f in findings}
    assert any(u.startswith("HW001") for u in unknown)


def test_azure_cpu_size_without_pci_is_no_gpu() -> None:
    s = cpu_vm()
    s.hardware = HardwareFacts(Unavailable("no /sys/bus/pci", "pci"))
    s.cloud = CloudFacts(True, vm_size="Standard_D4s_v5")
    findings, _ = run_rules(s)
    hit = next(f for f in findings if f.id == "HW001")
    assert "Standard_D4s_v5" in " ".join(hit.evidence)
    assert "Standard_N" in hit.fix


def _tf_with(*extra: Package, kind: str | None = None) -> Snapshot:
    s = healthy(tf_build())
    assert isinstance(s.pythons, list)
    if kind:
        s.pythons[0].kind = kind
    s.pythons[0].packages += list(extra)
    return s


def test_fw003_fires_for_pips_tensorflow_gpu_and_not_for_condas_metapackage() -> None:
    def fw003(snapshot: Snapshot) -> bool:
        return "FW003" in {f.id for f in run_rules(snapshot)[0]}

    # PyPI's tensorflow-gpu 2.12 is an error stub, 2.4.1 a deprecated name.
    assert fw003(_tf_with(Package("tensorflow-gpu", "2.12.0", SITE, "pip")))
    assert fw003(_tf_with(Package("tensorflow-gpu", "2.4.1", SITE, "pip")))
    # conda's tensorflow-gpu (defaults, conda-forge) is a metapackage that selects tensorflow's GPU build.
    assert not fw003(_tf_with(Package("tensorflow-gpu", "2.4.1", "/opt/conda", "conda"), kind="conda"))
    assert not fw003(_tf_with(Package("tensorflow-gpu", "2.12.0", "/opt/conda", "conda"), kind="conda"))


def test_fw004_does_not_count_a_conda_metapackage_as_a_second_tensorflow() -> None:
    def fw004(snapshot: Snapshot) -> bool:
        return "FW004" in {f.id for f in run_rules(snapshot)[0]}

    conda_tf = Package("tensorflow", "2.15.0", "/opt/conda", "conda")
    assert not fw004(_tf_with(conda_tf, Package("tensorflow-cpu", "2.15.0", "/opt/conda", "conda"), kind="conda"))
    assert not fw004(_tf_with(conda_tf, Package("tensorflow-gpu", "1.15.0", "/opt/conda", "conda"), kind="conda"))
    # pip's tensorflow-cpu beside tensorflow does overwrite its files.
    assert fw004(_tf_with(Package("tensorflow-cpu", "2.21.0", SITE, "pip")))


def test_fw004_finds_the_cpu_and_gpu_wheels_of_onnxruntime_paddle_and_cupy_side_by_side() -> None:
    def fw004(snapshot: Snapshot) -> list[str]:
        return [f.fix or "" for f in run_rules(snapshot)[0] if f.id == "FW004"]

    # onnxruntime and onnxruntime-gpu both write the `onnxruntime` package: the fix keeps the GPU wheel.
    fixes = fw004(_tf_with(Package("onnxruntime", "1.16.3", SITE, "pip"), Package("onnxruntime-gpu", "1.16.3", SITE, "pip")))
    assert len(fixes) == 1 and "uninstall" in fixes[0] and "onnxruntime-gpu==1.16.3" in fixes[0].split("uninstall", 1)[1]
    assert fw004(_tf_with(Package("paddlepaddle", "2.6.1", SITE, "pip"), Package("paddlepaddle-gpu", "2.6.1", SITE, "pip")))
    assert fw004(_tf_with(Package("cupy-cuda11x", "13.0.0", SITE, "pip"), Package("cupy-cuda12x", "13.0.0", SITE, "pip")))
    # One wheel of each is the healthy case; packages of other groups never pair up.
    assert not fw004(_tf_with(Package("onnxruntime-gpu", "1.16.3", SITE, "pip"), Package("paddlepaddle-gpu", "2.6.1", SITE, "pip"),
                              Package("cupy-cuda12x", "13.0.0", SITE, "pip")))
    assert not fw004(_tf_with(Package("onnxruntime", "1.16.3", SITE, "pip"), Package("onnx", "1.15.0", SITE, "pip")))


def test_fw004_finds_mxnet_beside_an_mxnet_cuda_build() -> None:
    # accpairs (session 27): every pip build of MXNet writes the one `mxnet` package.
    def fw004(snapshot: Snapshot) -> bool:
        return "FW004" in {f.id for f in run_rules(snapshot)[0]}

    assert fw004(_tf_with(Package("mxnet-cu112", "1.9.1", SITE, "pip"), Package("mxnet", "1.9.1", SITE, "pip")))
    assert fw004(_tf_with(Package("mxnet-cu101mkl", "1.6.0", SITE, "pip"), Package("mxnet-mkl", "1.6.0", SITE, "pip")))
    # One build with MXNet's other projects (another module each) is the healthy case.
    assert not fw004(_tf_with(Package("mxnet-cu112", "1.9.1", SITE, "pip"), Package("gluoncv", "0.10.5", SITE, "pip"),
                              Package("mxnet-model-server", "1.0.8", SITE, "pip")))
