"""The NVML child process, run for real against a fake pynvml module: results, NVML errors, hangs and bad output."""

from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from fakeroot import ok
from whygpu.facts import Unavailable
from whygpu.gateways.nvml import cuda_version_text, normalise_bus_id, parse_child_output, query_nvml
from whygpu.gateways.process import CommandResult, SubprocessRunner
from whygpu.snapshot import DriverReport

HERE = Path(__file__).parent


class FakeNvmlRunner:
    """Runs commands for real, telling the fake pynvml which scenario to play."""

    def __init__(self, scenario: str) -> None:
        self.scenario = scenario
        self.inner = SubprocessRunner()
        self.calls: list[tuple[str, ...]] = []

    def run(self, argv: Sequence[str], *, timeout_s: float, env: Mapping[str, str] | None = None) -> CommandResult:
        import os

        self.calls.append(tuple(argv))
        environ = dict(os.environ)
        environ["FAKE_NVML"] = self.scenario
        return self.inner.run(argv, timeout_s=timeout_s, env=environ)


@pytest.fixture
def module_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "fake-nvml"
    directory.mkdir()
    shutil.copy(HERE / "fake_pynvml.py", directory / "pynvml.py")
    return directory


def _query(module_dir: Path, scenario: str, timeout_s: float = 20.0) -> DriverReport | Unavailable:
    return query_nvml(FakeNvmlRunner(scenario), timeout_s=timeout_s, module_dir=str(module_dir))


def test_healthy_report_has_every_device_field(module_dir: Path) -> None:
    report = _query(module_dir, "healthy")
    assert isinstance(report, DriverReport), report
    assert report.source == "nvml"
    assert report.driver_version == "550.54.15"
    assert report.cuda_driver_version == "12.4"
    (device,) = report.devices
    assert device.name == "NVIDIA H100 80GB HBM3"
    assert device.pci_bus_id == "0000:1a:00.0"  # sysfs spelling, to match PCI devices
    assert device.compute_capability == "9.0"
    assert (device.memory_total_mib, device.memory_used_mib) == (80 * 1024, 2 * 1024)
    assert device.compute_mode == "Exclusive_Process"
    assert device.utilization_percent == 97
    assert device.uncorrected_ecc_errors == 0
    assert device.error is None
    assert [(p.pid, p.name, p.used_memory_mib) for p in device.processes] == [
        (4242, "/usr/bin/python3", 1024), (4343, "", None)]


def test_old_pynvml_returning_bytes_is_decoded(module_dir: Path) -> None:
    report = _query(module_dir, "bytes")
    assert isinstance(report, DriverReport)
    assert report.driver_version == "550.54.15"
    assert report.devices[0].name == "NVIDIA H100 80GB HBM3"


def test_version_mismatch_keeps_nvmls_own_words_and_code(module_dir: Path) -> None:
    report = _query(module_dir, "mismatch")
    assert isinstance(report, Unavailable)
    assert report.probe == "nvml"
    assert "nvmlInit failed" in report.reason
    assert "RM has detected an NVML/RM version mismatch." in report.reason
    assert "NVML_ERROR_LIB_RM_VERSION_MISMATCH" in report.reason


def test_lost_gpu_is_a_device_error_not_a_failed_report(module_dir: Path) -> None:
    report = _query(module_dir, "lost")
    assert isinstance(report, DriverReport)
    assert [d.index for d in report.devices] == [0, 1]
    assert report.devices[0].error is None
    assert report.devices[1].error == "GPU is lost (NVML_ERROR_GPU_IS_LOST)"


def test_not_supported_fields_are_none_without_an_error(module_dir: Path) -> None:
    report = _query(module_dir, "no-ecc")
    assert isinstance(report, DriverReport)
    assert report.devices[0].uncorrected_ecc_errors is None
    assert report.devices[0].error is None


def test_a_hanging_nvml_init_is_given_up_at_the_timeout(module_dir: Path) -> None:
    report = _query(module_dir, "hang", timeout_s=1.0)
    assert isinstance(report, Unavailable)
    assert "timed out after 1 s" in report.reason


def test_pynvml_missing_from_its_directory_is_reported(tmp_path: Path) -> None:
    # The child runs without site-packages, so the real pynvml cannot stand in for the missing one.
    report = query_nvml(FakeNvmlRunner("healthy"), timeout_s=20, module_dir=str(tmp_path))
    assert isinstance(report, Unavailable)
    assert "import pynvml failed" in report.reason


def test_the_installed_pynvml_is_found_and_the_child_is_isolated() -> None:
    runner = FakeNvmlRunner("healthy")
    query_nvml(runner, timeout_s=20)
    (argv,) = runner.calls
    assert argv[1:3] == ("-I", "-S")
    assert Path(argv[-1], "pynvml.py").is_file()


def test_without_nvidia_ml_py_no_child_is_started(monkeypatch: pytest.MonkeyPatch) -> None:
    import whygpu.gateways.nvml as gateway

    monkeypatch.setattr(gateway, "pynvml_dir", lambda: None)
    runner = FakeNvmlRunner("healthy")
    report = gateway.query_nvml(runner, timeout_s=1)
    assert isinstance(report, Unavailable) and "nvidia-ml-py" in report.reason
    assert runner.calls == []


def test_a_pynvml_in_the_working_directory_is_not_imported(module_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    trap = tmp_path / "cwd"
    trap.mkdir()
    (trap / "pynvml.py").write_text("raise SystemExit('imported from the working directory')\n")
    monkeypatch.chdir(trap)
    report = _query(module_dir, "healthy")
    assert isinstance(report, DriverReport)


@pytest.mark.parametrize("stdout", ["", "not json", "[1, 2]", '{"ok": true}', '{"ok": false}', '{"ok": true, "driver_version": 5}'])
def test_malformed_child_output_is_unavailable(stdout: str) -> None:
    assert isinstance(parse_child_output(stdout), Unavailable)


def test_odd_device_values_are_dropped_not_raised() -> None:
    report = parse_child_output(
        '{"ok": true, "driver_version": "535.1", "cuda_driver_version": "x", "devices": '
        '[7, {"index": true, "name": 3, "memory_total_mib": "big", "processes": [{"pid": "x"}, 5]}]}'
    )
    assert isinstance(report, DriverReport)
    assert report.cuda_driver_version is None
    (device,) = report.devices
    assert device.index == 1 and device.name == "" and device.memory_total_mib is None and device.processes == []


def test_child_exit_status_and_runner_errors_become_reasons() -> None:
    class Runner:
        def __init__(self, result: CommandResult) -> None:
            self.result = result

        def run(self, argv: Sequence[str], *, timeout_s: float, env: Mapping[str, str] | None = None) -> CommandResult:
            return self.result

    crashed = query_nvml(Runner(CommandResult((), -11, "", "Segmentation fault", "killed by signal SIGSEGV")), timeout_s=1)
    assert isinstance(crashed, Unavailable) and "killed by signal SIGSEGV" in crashed.reason
    status = query_nvml(Runner(CommandResult((), 1, "", "Traceback...\nImportError: boom\n")), timeout_s=1)
    assert isinstance(status, Unavailable) and "exited with status 1" in status.reason and "ImportError: boom" in status.reason
    fine = query_nvml(Runner(ok('{"ok": true, "driver_version": "470.82.01", "cuda_driver_version": 11040, "devices": []}')), timeout_s=1)
    assert isinstance(fine, DriverReport) and fine.cuda_driver_version == "11.4"


def test_version_and_bus_id_helpers() -> None:
    assert cuda_version_text(12020) == "12.2"
    assert cuda_version_text(13000) == "13.0"
    assert cuda_version_text(0) is None and cuda_version_text(True) is None
    assert normalise_bus_id("00000000:3B:00.0") == "0000:3b:00.0"
    assert normalise_bus_id("0000:3b:00.0") == "0000:3b:00.0"
    assert normalise_bus_id("") is None
