"""The driver collector on fake machines: kernel module, device nodes, libcuda/libnvidia-ml, NVML and nvidia-smi."""

from __future__ import annotations

from pathlib import Path

import pytest

from fakeroot import (
    FakeRunner,
    add_dev_nodes,
    add_driver_libs,
    add_file,
    add_kernel_module,
    add_lib,
    add_link,
    add_nvidia_driver,
    add_running_system,
    add_wsl,
    failed,
    live_machine,
    nvml_failed,
    nvml_ok,
    nvrm_line,
    ok,
    timed_out,
    tree_machine,
)
from whygpu.collect.driver import (
    collect_driver,
    find_driver_libraries,
    kernel_module,
    library_dirs,
    parse_nvrm_version,
    parse_smi_header,
    parse_smi_query,
)
from whygpu.facts import Unavailable
from whygpu.snapshot import DriverReport, KernelModule

SMI_BANNER = """Tue Mar 12 10:00:00 2024
+---------------------------------------------------------------------------------------+
| NVIDIA-SMI 535.129.03             Driver Version: 535.129.03   CUDA Version: 12.2     |
|-----------------------------------------+----------------------+----------------------+
"""
SMI_QUERY = "0, Tesla T4, 00000001:00:00.0, 535.129.03, 15360, 3, Default, 0, 0, 7.5\n"
SMI_APPS = "00000001:00:00.0, 999, python, 210\n"
SMI_NO_DRIVER = (
    "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
    "Make sure that the latest NVIDIA driver is installed and running.\n"
)


# --- kernel module ------------------------------------------------------------------------

@pytest.mark.parametrize(("open_module", "version"), [(False, "535.129.03"), (True, "550.54.15"), (False, "470.82.01")])
def test_nvrm_line_of_both_module_flavours(open_module: bool, version: str) -> None:
    assert parse_nvrm_version(nvrm_line(version, open_module=open_module)) == version
    assert parse_nvrm_version(nvrm_line(version, open_module=open_module, arch="aarch64")) == version


def test_nvrm_garbage_is_none() -> None:
    assert parse_nvrm_version("") is None
    assert parse_nvrm_version("NVRM version: something odd") is None


def test_no_driver_on_a_running_system(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    module = kernel_module(live_machine(tmp_path))
    assert isinstance(module, KernelModule)
    assert module.loaded is False and module.version is None
    assert "/proc/driver/nvidia/version" in module.source


def test_loaded_module(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_kernel_module(tmp_path, "535.129.03")
    assert kernel_module(live_machine(tmp_path)) == KernelModule(True, "535.129.03", "/proc/driver/nvidia/version")


def test_module_known_from_sysfs_only(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_file(tmp_path, "/sys/module/nvidia/version", "550.54.15\n")
    assert kernel_module(live_machine(tmp_path)) == KernelModule(True, "550.54.15", "/sys/module/nvidia/version")


def test_unparseable_proc_file_falls_back_to_sysfs_version(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_file(tmp_path, "/proc/driver/nvidia/version", "\x00\xff garbage")
    add_file(tmp_path, "/sys/module/nvidia/version", "535.1\n")
    module = kernel_module(live_machine(tmp_path))
    assert isinstance(module, KernelModule) and module.loaded and module.version == "535.1"


def test_unreadable_proc_file_still_means_loaded(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_file(tmp_path, "/proc/driver/nvidia/version/x")  # a directory: reading it fails, as EACCES would
    module = kernel_module(live_machine(tmp_path))
    assert isinstance(module, KernelModule) and module.loaded and module.version is None
    assert "unreadable" in module.source


def test_image_tree_without_proc_is_unavailable_not_absent(tmp_path: Path) -> None:
    add_file(tmp_path, "/etc/os-release", "NAME=x\n")
    facts = collect_driver(tree_machine(tmp_path))
    assert isinstance(facts.kernel_module, Unavailable)
    assert "--root" in facts.kernel_module.reason
    assert isinstance(facts.device_nodes, Unavailable)
    assert isinstance(facts.report, Unavailable) and "live machine" in facts.report.reason


# --- device nodes and libraries -----------------------------------------------------------------

def test_device_nodes_are_listed_in_natural_order(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_dev_nodes(tmp_path, ["nvidia10", "nvidia2", "nvidiactl", "nvidia-uvm", "sda", "dxg"])
    nodes = collect_driver(live_machine(tmp_path)).device_nodes
    assert nodes == ["/dev/dxg", "/dev/nvidia2", "/dev/nvidia10", "/dev/nvidia-uvm", "/dev/nvidiactl"]


def test_driver_libraries_with_versions_from_the_real_file(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_driver_libs(tmp_path, "535.129.03")
    cuda, nvml = find_driver_libraries(live_machine(tmp_path))
    assert [(lib.path, lib.soname, lib.version, lib.origin) for lib in cuda] == [
        ("/usr/lib/x86_64-linux-gnu/libcuda.so.1", "libcuda.so.1", "535.129.03", "system")]
    assert [(lib.name, lib.version) for lib in nvml] == [("nvidia-ml", "535.129.03")]


def test_merged_usr_directories_are_reported_once(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_driver_libs(tmp_path, "535.129.03")
    add_link(tmp_path, "/lib", "usr/lib")  # merged /usr: /lib/x86_64-linux-gnu is the same directory
    cuda, _ = find_driver_libraries(live_machine(tmp_path))
    assert len(cuda) == 1


def test_absolute_links_stay_inside_the_root(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_lib(tmp_path, "/usr/lib/x86_64-linux-gnu/libcuda.so.470.82.01")
    add_link(tmp_path, "/usr/lib/x86_64-linux-gnu/libcuda.so.1", "/usr/lib/x86_64-linux-gnu/libcuda.so.470.82.01")
    cuda, _ = find_driver_libraries(tree_machine(tmp_path))
    assert [lib.version for lib in cuda] == ["470.82.01"]


def test_dangling_soname_link_is_not_a_library(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_link(tmp_path, "/usr/lib/x86_64-linux-gnu/libcuda.so.1", "libcuda.so.535.129.03")
    cuda, _ = find_driver_libraries(live_machine(tmp_path))
    assert cuda == []


def test_ld_library_path_and_ld_so_conf_come_first_and_compat_is_toolkit(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_file(tmp_path, "/etc/ld.so.conf", "include /etc/ld.so.conf.d/*.conf\n")
    add_file(tmp_path, "/etc/ld.so.conf.d/nvidia.conf", "# driver\n/opt/nvidia/lib64\n")
    add_lib(tmp_path, "/opt/nvidia/lib64/libcuda.so.550.54.15", links=["libcuda.so.1"])
    add_lib(tmp_path, "/usr/local/cuda-12.4/compat/libcuda.so.550.54.15", links=["libcuda.so.1"])
    add_lib(tmp_path, "/home/u/stubs/libcuda.so")
    machine = live_machine(tmp_path, {"LD_LIBRARY_PATH": "/home/u/stubs:relative/dir"})
    dirs = library_dirs(machine)
    assert dirs[:2] == ["/home/u/stubs", "/opt/nvidia/lib64"]
    assert "/usr/local/cuda-12.4/compat" in dirs
    cuda, _ = find_driver_libraries(machine)
    assert [(lib.path, lib.soname, lib.version, lib.origin) for lib in cuda] == [
        ("/home/u/stubs/libcuda.so", "libcuda.so", None, "toolkit"),
        ("/opt/nvidia/lib64/libcuda.so.1", "libcuda.so.1", "550.54.15", "system"),
        ("/usr/local/cuda-12.4/compat/libcuda.so.1", "libcuda.so.1", "550.54.15", "toolkit"),
    ]


def test_ld_so_conf_include_loop_terminates(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_file(tmp_path, "/etc/ld.so.conf", "include /etc/ld.so.conf\n/opt/a\ninclude ld.so.conf.d/*.conf\n")
    add_file(tmp_path, "/etc/ld.so.conf.d/b.conf", "/opt/b\ninclude /etc/ld.so.conf\n")
    dirs = library_dirs(live_machine(tmp_path))
    assert dirs.index("/opt/a") < dirs.index("/opt/b")


def test_real_file_without_soname_link_is_reported(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_lib(tmp_path, "/usr/lib64/libcuda.so.535.104.05")
    cuda, _ = find_driver_libraries(live_machine(tmp_path))
    assert [(lib.path, lib.soname, lib.version) for lib in cuda] == [
        ("/usr/lib64/libcuda.so.535.104.05", "libcuda.so.1", "535.104.05")]


def test_user_space_library_differs_from_kernel_module(tmp_path: Path) -> None:
    """After a driver update without a reboot: libraries 550, module still 535 (DRIVER_MISMATCH's facts)."""
    add_running_system(tmp_path)
    add_kernel_module(tmp_path, "535.129.03")
    add_driver_libs(tmp_path, "550.54.15")
    add_file(tmp_path, "/usr/bin/nvidia-smi", "")
    runner = FakeRunner({
        "python": nvml_failed("nvmlInit", "RM has detected an NVML/RM version mismatch.", "NVML_ERROR_LIB_RM_VERSION_MISMATCH"),
        "nvidia-smi": failed(18, "Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 550.54\n"),
    })
    facts = collect_driver(live_machine(tmp_path, runner=runner))
    assert isinstance(facts.kernel_module, KernelModule) and facts.kernel_module.version == "535.129.03"
    assert [lib.version for lib in facts.libcuda] == ["550.54.15"]
    assert isinstance(facts.report, Unavailable)
    assert "NVML_ERROR_LIB_RM_VERSION_MISMATCH" in facts.report.reason
    assert "Failed to initialize NVML: Driver/library version mismatch" in facts.report.reason
    assert facts.report.probe == "nvml+nvidia-smi"


def test_wsl2_libraries_are_wsl_origin_without_a_driver_version(tmp_path: Path) -> None:
    add_wsl(tmp_path)
    facts = collect_driver(live_machine(tmp_path, runner=FakeRunner({"python": nvml_ok()})))
    assert [(lib.path, lib.origin, lib.version) for lib in facts.libcuda] == [("/usr/lib/wsl/lib/libcuda.so.1", "wsl", None)]
    assert [lib.origin for lib in facts.libnvidia_ml] == ["wsl"]
    assert facts.device_nodes == ["/dev/dxg"]
    assert isinstance(facts.kernel_module, KernelModule) and facts.kernel_module.loaded is False


# --- the driver's report -------------------------------------------------------------------------

def test_nvml_report_is_used_when_it_works(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_nvidia_driver(tmp_path, "535.129.03")
    runner = FakeRunner({"python": nvml_ok()})
    facts = collect_driver(live_machine(tmp_path, runner=runner, timeout_s=3.0))
    assert isinstance(facts.report, DriverReport)
    assert facts.report.source == "nvml" and facts.report.cuda_driver_version == "12.2"
    assert facts.report.devices[0].pci_bus_id == "0000:00:1e.0"
    assert runner.programs() == ["python"]
    assert runner.timeouts == [3.0]


def test_nvidia_smi_is_the_fallback(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_nvidia_driver(tmp_path, "535.129.03")
    runner = FakeRunner({
        "python": nvml_failed("import pynvml", "ModuleNotFoundError: No module named 'pynvml'"),
        "nvidia-smi": [ok(SMI_BANNER), ok(SMI_QUERY), ok(SMI_APPS)],
    })
    report = collect_driver(live_machine(tmp_path, runner=runner)).report
    assert isinstance(report, DriverReport)
    assert (report.source, report.driver_version, report.cuda_driver_version) == ("nvidia-smi", "535.129.03", "12.2")
    (device,) = report.devices
    assert (device.name, device.pci_bus_id, device.compute_capability, device.memory_total_mib) == (
        "Tesla T4", "0001:00:00.0", "7.5", 15360)
    assert [(p.pid, p.name, p.used_memory_mib) for p in device.processes] == [(999, "python", 210)]
    assert all(call[0] == "/usr/bin/nvidia-smi" for call in runner.calls[1:])


def test_old_nvidia_smi_without_compute_cap_field_is_retried(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_nvidia_driver(tmp_path, "470.82.01")
    old_query = "0, Tesla K80, 00000000:00:04.0, 470.82.01, 11441, 0, Default, 0, 0\n"
    runner = FakeRunner({
        "python": nvml_failed("nvmlInit", "Unknown Error"),
        "nvidia-smi": [ok(SMI_BANNER.replace("535.129.03", "470.82.01").replace("12.2", "11.4")),
                       failed(2, 'Field "compute_cap" is not a valid field to query.\n'), ok(old_query), ok("")],
    })
    report = collect_driver(live_machine(tmp_path, runner=runner)).report
    assert isinstance(report, DriverReport)
    assert report.driver_version == "470.82.01" and report.cuda_driver_version == "11.4"
    assert report.devices[0].name == "Tesla K80" and report.devices[0].compute_capability is None
    assert "compute_cap" not in runner.calls[3][1]


def test_nvidia_smi_error_text_is_kept_verbatim(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_driver_libs(tmp_path, "535.129.03")
    add_file(tmp_path, "/usr/bin/nvidia-smi", "")
    runner = FakeRunner({
        "python": nvml_failed("nvmlInit", "Driver Not Loaded", "NVML_ERROR_DRIVER_NOT_LOADED"),
        "nvidia-smi": failed(9, SMI_NO_DRIVER),
    })
    report = collect_driver(live_machine(tmp_path, runner=runner)).report
    assert isinstance(report, Unavailable)
    assert "nvmlInit failed: Driver Not Loaded" in report.reason
    assert "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver" in report.reason
    assert "exit status 9" in report.reason


def test_a_hung_nvml_is_not_waited_for_twice(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_nvidia_driver(tmp_path, "535.129.03")
    runner = FakeRunner({"python": timed_out(5), "nvidia-smi": timed_out(5)})
    report = collect_driver(live_machine(tmp_path, runner=runner)).report
    assert isinstance(report, Unavailable)
    assert "NVML child process timed out after 5 s" in report.reason
    assert runner.programs() == ["python"]


def test_a_hung_nvidia_smi_is_reported(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_nvidia_driver(tmp_path, "535.129.03")
    runner = FakeRunner({"python": nvml_failed("import pynvml", "ModuleNotFoundError"), "nvidia-smi": timed_out(5)})
    report = collect_driver(live_machine(tmp_path, runner=runner)).report
    assert isinstance(report, Unavailable)
    assert "nvidia-smi: timed out after 5 s" in report.reason


def test_no_driver_libraries_skips_nvml_and_absent_nvidia_smi_is_not_run(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    runner = FakeRunner()
    facts = collect_driver(live_machine(tmp_path, runner=runner))
    assert runner.calls == []
    assert isinstance(facts.report, Unavailable)
    assert "NVML not tried" in facts.report.reason and "not found on PATH" in facts.report.reason
    assert facts.libcuda == [] and facts.device_nodes == []


def test_under_root_no_command_runs(tmp_path: Path) -> None:
    add_running_system(tmp_path)
    add_nvidia_driver(tmp_path, "535.129.03")
    facts = collect_driver(tree_machine(tmp_path))
    assert isinstance(facts.report, Unavailable) and "live machine" in facts.report.reason
    assert isinstance(facts.kernel_module, KernelModule) and facts.kernel_module.version == "535.129.03"


def test_smi_parsers_ignore_junk() -> None:
    assert parse_smi_header("garbage") == {}
    fields = ["index", "name", "memory.total", "utilization.gpu"]
    devices = parse_smi_query("0, A10, [N/A], [Not Supported]\nshort, row\n\n", fields)
    assert len(devices) == 1
    assert devices[0].memory_total_mib is None and devices[0].utilization_percent is None
    assert parse_smi_query('0, "Quadro, RTX", 1, 2\n', fields)[0].name == "Quadro, RTX"
