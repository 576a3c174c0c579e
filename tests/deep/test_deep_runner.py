"""The probe children, run for real against fake framework packages: each failure ends in the right outcome, with nothing left behind."""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import deep_fakes as fakes
import pytest
from deep_fakes import MARK, processes_with

from builders import env as python_env
from builders import healthy, tf_build, torch_build
from whygpu.collect.interface import Machine
from whygpu.deep.runner import (
    PlannedProbe,
    child_argv,
    child_environment,
    child_source,
    collect_deep,
    plan_probes,
    run_deep,
)
from whygpu.facts import Unavailable
from whygpu.gateways.process import LineCapture, kill_all, run_child
from whygpu.probes import DeepReport, ProbeOutcome

pytestmark = pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs Linux /proc")


def probe(python: str, name: str, environ: dict[str, str], timeout: float = 20.0) -> ProbeOutcome:
    report = collect_deep(None, Machine(environ=environ), timeout_s=timeout,
                          probes=[PlannedProbe(name, name, python, name if name != "driver" else "")])  # type: ignore[arg-type]
    return report.probes[name]


def stderr_text(outcome: ProbeOutcome) -> str:
    return "\n".join(outcome.stderr.lines)


def test_hang_on_import_times_out_with_where_it_hung(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.HANG})
    outcome = probe(python, "tensorflow", environ, timeout=3.0)
    assert outcome.status == "timeout"
    assert outcome.phase == "import"
    assert outcome.answer is None
    assert outcome.signal == "SIGKILL"
    # faulthandler printed the Python stack shortly before the kill: the hang says where it is.
    assert "tensorflow/__init__.py" in stderr_text(outcome)
    assert outcome.survivors == []


def test_segfault_is_a_crash_with_the_signal_and_the_stack(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"torch/__init__.py": fakes.SEGFAULT})
    outcome = probe(python, "torch", environ)
    assert outcome.status == "crashed"
    assert outcome.signal == "SIGSEGV"
    assert outcome.phase == "import"
    assert "Segmentation fault" in stderr_text(outcome)
    assert "torch/__init__.py" in stderr_text(outcome)


def test_abort_is_a_crash_with_sigabrt_and_the_last_lines(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"jax/__init__.py": fakes.ABORT})
    outcome = probe(python, "jax", environ)
    assert outcome.status == "crashed"
    assert outcome.signal == "SIGABRT"
    assert "terminate called after throwing an instance of std::runtime_error" in stderr_text(outcome)


def test_tensorflow_failure_lines_are_kept_with_their_line_numbers(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.TF_FAILING})
    outcome = probe(python, "tensorflow", environ)
    assert outcome.status == "ok"
    assert outcome.answer is not None and outcome.answer.framework is not None
    framework = outcome.answer.framework
    assert framework.version == "2.3.0"
    assert framework.gpu_build is True
    assert framework.build["cuda_version"] == "10.1"
    assert framework.gpus == []
    assert [d.kind for d in framework.devices] == ["CPU"]
    assert framework.operation.attempted is False
    numbered = dict(outcome.stderr.numbered())
    assert numbered[1] == fakes.TF_DSO_LINE
    assert fakes.TF_CUINIT_LINE in numbered.values()
    # Protocol lines are whygpu's own and never appear among the framework's words.
    assert not any("@@whygpu-deep@@" in line for line in outcome.stdout.lines)
    assert outcome.answer.phases == ["import", "build_info", "list_devices"]


def test_torch_without_driver_answers_in_its_own_words(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"torch/__init__.py": fakes.TORCH_NO_DRIVER})
    outcome = probe(python, "torch", environ)
    assert outcome.status == "ok"
    assert outcome.answer is not None and outcome.answer.framework is not None
    framework = outcome.answer.framework
    assert framework.checks["torch.cuda.is_available()"] is False
    assert framework.gpu_build is True
    assert framework.operation.attempted and not framework.operation.ok
    assert framework.operation.error is not None and framework.operation.error.startswith("RuntimeError: Found no NVIDIA driver")
    assert "RuntimeError: Found no NVIDIA driver on your system." in stderr_text(outcome)


def test_healthy_torch_runs_its_operation_on_the_gpu(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"torch/__init__.py": fakes.TORCH_HEALTHY})
    outcome = probe(python, "torch", environ)
    framework = outcome.answer.framework if outcome.answer else None
    assert framework is not None
    assert [g.name for g in framework.gpus] == ["NVIDIA A100-SXM4-40GB"]
    assert framework.gpus[0].details["compute_capability"] == "8.0"
    assert framework.operation.ok and framework.operation.on_gpu
    assert framework.operation.placed_on == "cuda:0"
    assert framework.build["arch_list"] == ["sm_75", "sm_80", "sm_86", "sm_90"]


def test_healthy_tensorflow_matmul_placement_is_verified(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.TF_HEALTHY})
    outcome = probe(python, "tensorflow", environ)
    framework = outcome.answer.framework if outcome.answer else None
    assert framework is not None
    assert framework.gpus[0].details == {"name": "NVIDIA A100-SXM4-40GB", "compute_capability": "8.0"}
    assert framework.operation.ok and framework.operation.on_gpu is True
    assert framework.operation.placed_on is not None and framework.operation.placed_on.endswith("GPU:0")


def test_tensorflow_matmul_that_lands_on_the_cpu_is_not_on_gpu(tmp_path: Path, environ: dict[str, str]) -> None:
    source = fakes.TF_HEALTHY.replace('PLACED = "/job:localhost/replica:0/task:0/device:GPU:0"', 'PLACED = "/job:localhost/replica:0/task:0/device:CPU:0"')
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": source})
    framework = probe(python, "tensorflow", environ).answer.framework  # type: ignore[union-attr]
    assert framework is not None
    assert framework.operation.ok and framework.operation.on_gpu is False


def test_jax_cpu_only_says_why(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"jax/__init__.py": fakes.JAX_CPU_ONLY, "jaxlib/__init__.py": fakes.JAXLIB})
    outcome = probe(python, "jax", environ)
    framework = outcome.answer.framework if outcome.answer else None
    assert framework is not None
    assert framework.gpus == []
    assert framework.build["jaxlib"] == "0.6.2"
    assert framework.checks["jax.default_backend()"] == "cpu"
    assert "Unknown backend: 'gpu' requested" in framework.checks["jax.devices('gpu')"]
    assert "CUDA-enabled jaxlib is not installed" in stderr_text(outcome)


def test_healthy_jax_jitted_product_is_checked_on_the_gpu(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"jax/__init__.py": fakes.JAX_HEALTHY, "jax/numpy.py": fakes.JAX_NUMPY,
                                                 "jaxlib/__init__.py": fakes.JAXLIB})
    framework = probe(python, "jax", environ).answer.framework  # type: ignore[union-attr]
    assert framework is not None
    assert [(g.name, g.details["device_kind"]) for g in framework.gpus] == [("cuda:0", "NVIDIA A100-SXM4-40GB")]
    assert framework.checks["jax.default_backend()"] == "gpu"
    assert framework.operation.ok and framework.operation.on_gpu is True
    assert framework.operation.placed_on == "cuda:0"


def test_import_error_is_an_answer(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.IMPORT_ERROR})
    outcome = probe(python, "tensorflow", environ)
    framework = outcome.answer.framework if outcome.answer else None
    assert outcome.status == "ok" and framework is not None
    assert framework.installed is True
    assert framework.import_error == "ImportError: libcudart.so.12: cannot open shared object file: No such file or directory"
    assert "Traceback" in stderr_text(outcome)


def test_missing_framework_is_not_installed(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {})
    framework = probe(python, "jax", environ).answer.framework  # type: ignore[union-attr]
    assert framework is not None and framework.installed is False


@pytest.mark.parametrize(("source", "status", "code"), [(fakes.EXIT_3, "failed", 3), (fakes.EXIT_0, "no_answer", 0)])
def test_exit_without_answer(tmp_path: Path, environ: dict[str, str], source: str, status: str, code: int) -> None:
    python = fakes.make_env(tmp_path / "venv", {"torch/__init__.py": source})
    outcome = probe(python, "torch", environ)
    assert outcome.status == status
    assert outcome.returncode == code
    assert outcome.phase == "import"


def test_helper_of_a_hung_probe_is_killed_with_it(tmp_path: Path, environ: dict[str, str]) -> None:
    pid_file = tmp_path / "helper.pid"
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.HANG_WITH_HELPER})
    outcome = probe(python, "tensorflow", {**environ, "FAKE_PID_FILE": str(pid_file)}, timeout=3.0)
    assert outcome.status == "timeout"
    assert _gone(int(pid_file.read_text()))


def test_helper_of_a_finished_probe_does_not_outlive_it(tmp_path: Path, environ: dict[str, str]) -> None:
    pid_file = tmp_path / "helper.pid"
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.LEAVES_HELPER})
    outcome = probe(python, "tensorflow", {**environ, "FAKE_PID_FILE": str(pid_file)})
    assert outcome.status == "ok"
    assert _gone(int(pid_file.read_text()))


def test_helper_that_left_the_group_is_found_by_the_pipes_it_holds(tmp_path: Path, environ: dict[str, str]) -> None:
    pid_file = tmp_path / "helper.pid"
    python = fakes.make_env(tmp_path / "venv", {"torch/__init__.py": fakes.LEAVES_ESCAPED_HELPER})
    outcome = probe(python, "torch", {**environ, "FAKE_PID_FILE": str(pid_file)})
    assert outcome.status == "ok"
    assert _gone(int(pid_file.read_text()))


def test_output_is_bounded_and_keeps_real_line_numbers(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"torch/__init__.py": fakes.NOISY})
    outcome = probe(python, "torch", environ)
    assert outcome.status == "ok"
    out = outcome.stdout
    assert out.total_lines == 20001
    assert len(out.lines) == 600
    numbered = out.numbered()
    assert numbered[0] == (1, "step 0 of a noisy import")
    assert numbered[199] == (200, "step 199 of a noisy import")
    assert numbered[200] == (19602, "step 19601 of a noisy import")
    assert out.omitted_from == 201 and out.omitted_count == 19401
    assert out.cut_lines == 1
    assert out.lines[-1].endswith("[line cut by whygpu]") and len(out.lines[-1]) < 4100


def test_secrets_stay_out_of_the_child_and_its_output(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.PRINTS_SECRETS})
    env = {**environ, "AZURE_STORAGE_KEY": "c2VjcmV0c2VjcmV0c2VjcmV0", "TF_CPP_VMODULE": "gpu_device=2"}
    report = collect_deep(None, Machine(environ=env), timeout_s=20,
                          probes=[PlannedProbe("tensorflow", "tensorflow", python, "tensorflow")])
    text = json.dumps(report.to_json())
    assert "c2VjcmV0c2VjcmV0c2VjcmV0" not in text
    lines = report.probes["tensorflow"].stderr.lines
    assert "key seen by the child: None" in lines
    assert "AccountKey=<redacted>" in lines[0]
    assert "growth: true prealloc: false vmodule: gpu_device=2,dso_loader=1,cuda_diagnostics=1" in lines
    assert report.environment_removed == ["AZURE_STORAGE_KEY"]


def test_probe_writes_nothing_to_the_users_home(tmp_path: Path, environ: dict[str, str]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.WRITES_HOME})
    outcome = probe(python, "tensorflow", {**environ, "HOME": str(home), "KERAS_HOME": str(home / ".keras")})
    assert outcome.status == "ok"
    assert list(home.iterdir()) == []


def test_interpreter_that_does_not_exist_is_not_started(environ: dict[str, str]) -> None:
    outcome = probe("/nonexistent/bin/python", "torch", environ)
    assert outcome.status == "not_started"
    assert "no such interpreter" in outcome.detail


def test_driver_probe_without_libcuda(tmp_path: Path, environ: dict[str, str]) -> None:
    outcome = probe(sys.executable, "driver", {**environ, "LD_LIBRARY_PATH": str(tmp_path)})
    if outcome.answer and outcome.answer.driver and outcome.answer.driver.loaded:
        pytest.skip("this machine has an NVIDIA driver")
    driver = outcome.answer.driver if outcome.answer else None
    assert driver is not None
    assert driver.library == "libcuda.so.1" and not driver.loaded
    assert driver.load_error is not None and "libcuda.so.1" in driver.load_error


@pytest.mark.skipif(fakes.compiler() is None, reason="needs a C compiler to build a fake libcuda")
@pytest.mark.parametrize(("code", "name"), [(100, "CUDA_ERROR_NO_DEVICE"), (803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH")])
def test_driver_probe_reports_codes_names_and_the_library_it_loaded(
    tmp_path: Path, environ: dict[str, str], code: int, name: str
) -> None:
    lib = fakes.build_shared_library(fakes.FAKE_LIBCUDA_C, tmp_path / "driver" / "libcuda.so.1")
    outcome = probe(sys.executable, "driver", {**environ, "LD_LIBRARY_PATH": str(lib.parent), "FAKE_CUINIT": str(code)})
    assert outcome.answer is not None and outcome.answer.driver is not None
    driver = outcome.answer.driver
    assert driver.loaded
    init = driver.call("cuInit")
    assert init is not None and (init.code, init.name) == (code, name)
    version = driver.call("cuDriverGetVersion")
    assert version is not None and (version.code, version.value) == (0, 12040)
    count = driver.call("cuDeviceGetCount")
    assert count is not None and count.code == code
    assert str(lib) in outcome.answer.mapped_libraries
    assert f"cuInit returned {code} ({name}" in stderr_text(outcome)


@pytest.mark.skipif(fakes.compiler() is None, reason="needs a C compiler to build a fake libcuda")
def test_driver_probe_lists_devices_when_init_succeeds(tmp_path: Path, environ: dict[str, str]) -> None:
    lib = fakes.build_shared_library(fakes.FAKE_LIBCUDA_C, tmp_path / "driver" / "libcuda.so.1")
    outcome = probe(sys.executable, "driver", {**environ, "LD_LIBRARY_PATH": str(lib.parent), "FAKE_CUINIT": "0"})
    driver = outcome.answer.driver if outcome.answer else None
    assert driver is not None
    assert [(c.function, c.code, c.value) for c in driver.calls] == [("cuInit", 0, None), ("cuDriverGetVersion", 0, 12040), ("cuDeviceGetCount", 0, 1)]
    assert [d.name for d in driver.devices] == ["NVIDIA A100-SXM4-40GB"]


@pytest.mark.skipif(fakes.compiler() is None, reason="needs a C compiler to build fake CUDA libraries")
def test_mapped_libraries_show_what_the_framework_really_loaded(tmp_path: Path, environ: dict[str, str]) -> None:
    first = fakes.build_shared_library(fakes.FAKE_LIB_C, tmp_path / "cuda-11.8" / "lib64" / "libcudart.so.11.0")
    second = fakes.build_shared_library(fakes.FAKE_LIB_C, tmp_path / "site" / "nvidia" / "cuda_runtime" / "lib" / "libcudart.so.12")
    python = fakes.make_env(tmp_path / "venv", {"torch/__init__.py": fakes.TORCH_HEALTHY})
    outcome = probe(python, "torch", {**environ, "FAKE_LIBS": f"{first}:{second}"})
    assert outcome.answer is not None
    mapped = outcome.answer.mapped_libraries
    assert str(first) in mapped and str(second) in mapped


def test_probes_run_concurrently_and_all_time_out(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.HANG, "torch/__init__.py": fakes.HANG})
    report = collect_deep(None, Machine(environ=environ), timeout_s=2.0, parallel=2, probes=[
        PlannedProbe("tensorflow", "tensorflow", python, "tensorflow"),
        PlannedProbe("torch", "torch", python, "torch"),
    ])
    assert report.parallel == 2
    assert {k: p.status for k, p in report.probes.items()} == {"tensorflow": "timeout", "torch": "timeout"}


def test_interrupt_kills_running_children(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.HANG})
    runs: list[object] = []
    worker = threading.Thread(target=lambda: runs.append(run_child(
        [python, "-c", "import tensorflow"], env=environ, cwd=str(tmp_path), timeout_s=600)))
    worker.start()
    try:
        while True:
            from whygpu.gateways import process

            with process._live_lock:
                if process._live:
                    break
            worker.join(0.05)
        kill_all()
    finally:
        worker.join(30)
    assert not worker.is_alive()
    run = runs[0]
    assert getattr(run, "signal") == "SIGKILL" and not getattr(run, "timed_out")  # noqa: B009


def test_orphaned_child_ends_itself_after_its_lifetime(tmp_path: Path, environ: dict[str, str]) -> None:
    # As if whygpu had been killed before it could kill the probe: nothing kills it but itself.
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.HANG})
    argv = [python, "-B", "-c", child_source(), "tensorflow", "0", "1", "0"]
    child = subprocess.Popen(argv, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        code = child.wait(timeout=60)
    finally:
        child.kill()
    assert code == -signal.SIGALRM


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux only")
def test_child_dies_with_whygpu(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.HANG})
    pid_file = tmp_path / "child.pid"
    # A stand-in for whygpu: starts the probe child the way whygpu does, then is SIGKILLed.
    parent_code = (
        "import os, subprocess, sys, time\n"
        f"argv = [{python!r}, '-B', '-c', sys.stdin.read(), 'tensorflow', '0', '600', str(os.getpid())]\n"
        "child = subprocess.Popen(argv, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", parent_code], env=environ, stdin=subprocess.PIPE, text=True)
    assert parent.stdin is not None
    parent.stdin.write(child_source())
    parent.stdin.close()
    try:
        for _ in range(600):
            if pid_file.exists() and pid_file.read_text() and _child_started(int(pid_file.read_text())):
                break
            time.sleep(0.05)
        parent.kill()
        parent.wait(30)
        child_pid = int(pid_file.read_text())
        for _ in range(600):
            if _gone(child_pid):
                break
            time.sleep(0.05)
        assert _gone(child_pid)
    finally:
        parent.kill()


def _child_started(pid: int) -> bool:
    """The probe child exists (whether whygpu dies before or after it sets its death signal, it must end)."""
    try:
        return "tensorflow" in Path(f"/proc/{pid}/cmdline").read_text()
    except OSError:
        return False


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_whygpu_stopped_mid_probe_leaves_nothing(tmp_path: Path, environ: dict[str, str], stop: signal.Signals) -> None:
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.HANG, "torch/__init__.py": fakes.HANG})
    src = str(Path(__file__).resolve().parents[2] / "src")
    code = (
        f"import os, sys\nsys.path.insert(0, {src!r})\n"
        # Where whygpu's threads are if it outlives the signal (the test sends SIGUSR1 and shows the dump).
        "import faulthandler, signal\nfaulthandler.register(signal.SIGUSR1, all_threads=True)\n"
        "from whygpu.collect.interface import Machine\n"
        "from whygpu.deep.runner import PlannedProbe, collect_deep\n"
        f"collect_deep(None, Machine(environ=dict(os.environ)), timeout_s=600, parallel=2, probes=["
        f"PlannedProbe('tensorflow', 'tensorflow', {python!r}, 'tensorflow'), PlannedProbe('torch', 'torch', {python!r}, 'torch')])\n"
    )
    whygpu = subprocess.Popen([sys.executable, "-c", code], env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # Wait until both probe children run (whygpu and its two children carry the mark). The deadline is generous: on
        # a loaded machine (the suite's two workers beside heavy tests) starting three interpreters took over 30 s once;
        # whygpu ending first is a failure of its own, shown with what it wrote.
        deadline = time.monotonic() + 180
        while len(processes_with(environ[MARK])) < 3 and whygpu.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert whygpu.poll() is None, (whygpu.stderr.read() if whygpu.stderr else b"").decode(errors="replace")[-2000:]
        assert len(processes_with(environ[MARK])) >= 3
        whygpu.send_signal(stop)
        try:
            whygpu.wait(60)
        except subprocess.TimeoutExpired:
            whygpu.send_signal(signal.SIGUSR1)
            time.sleep(1)
            whygpu.kill()
            _, stderr = whygpu.communicate(timeout=30)
            alive = processes_with(environ[MARK])
            pytest.fail(f"whygpu outlived {stop.name} by 60 s; marked processes {alive}; its threads:\n"
                        + stderr.decode(errors="replace")[-6000:])
    finally:
        whygpu.kill()
    assert whygpu.returncode != 0
    # The environ fixture then checks that no probe process is left.


def test_cancelled_child_is_never_started(tmp_path: Path, environ: dict[str, str]) -> None:
    cancel = threading.Event()
    cancel.set()
    run = run_child([sys.executable, "-c", "pass"], env=environ, cwd=str(tmp_path), timeout_s=5, cancel=cancel)
    assert run.pid is None and run.error == "not started: whygpu was interrupted"


def test_plan_from_snapshot_runs_driver_first_then_heaviest(environ: dict[str, str]) -> None:
    snap = healthy(torch_build(), tf_build())
    planned = plan_probes(snap, Machine(environ=environ))
    assert [(p.key, p.probe, p.python) for p in planned] == [
        ("driver", "driver", "/opt/venv/bin/python"),
        ("tensorflow", "tensorflow", "/opt/venv/bin/python"),
        ("torch", "torch", "/opt/venv/bin/python"),
    ]


def test_plan_with_two_environments_keys_each(environ: dict[str, str]) -> None:
    snap = healthy(torch_build())
    snap.pythons = [python_env(torch_build()), python_env(tf_build(), executable="/other/bin/python")]
    keys = [p.key for p in plan_probes(snap, Machine(environ=environ))]
    assert keys == ["driver", "torch@0", "tensorflow@1"]


def test_plan_when_environments_are_unknown_asks_for_every_framework(environ: dict[str, str]) -> None:
    snap = healthy()
    snap.pythons = Unavailable("collector failed", "python")
    planned = plan_probes(snap, Machine(environ=environ, python="/x/bin/python"))
    assert [(p.probe, p.python) for p in planned] == [
        ("driver", "/x/bin/python"), ("tensorflow", "/x/bin/python"), ("jax", "/x/bin/python"), ("torch", "/x/bin/python"),
    ]


def test_run_deep_from_a_snapshot_round_trips_through_json(tmp_path: Path, environ: dict[str, str]) -> None:
    python = fakes.make_env(tmp_path / "venv", {"tensorflow/__init__.py": fakes.TF_FAILING, "torch/__init__.py": fakes.TORCH_NO_DRIVER})
    snap = healthy(tf_build(), torch_build())
    snap.pythons = [python_env(tf_build(), torch_build(), executable=python)]
    data = run_deep(snap, Machine(environ=environ), timeout_s=20)
    assert set(data["probes"]) == {"driver", "tensorflow", "torch"}
    again = DeepReport.from_json(json.loads(json.dumps(data)))
    assert again.to_json() == data
    assert again.probes["torch"].scope == "torch"


def test_not_live_machine_runs_nothing(tmp_path: Path) -> None:
    report = collect_deep(healthy(), Machine.from_root(str(tmp_path)))
    assert report.probes == {} and report.notes


def test_child_environment_adds_settings_and_keeps_the_users_log_modules() -> None:
    env, changed, removed = child_environment({"TF_CPP_VMODULE": "dso_loader=2", "GITHUB_TOKEN": "x", "PYTHONINSPECT": "1", "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert env["TF_CPP_VMODULE"] == "dso_loader=2,cuda_diagnostics=1"
    assert env["TF_CPP_MIN_LOG_LEVEL"] == "0" and changed["TF_CPP_MIN_LOG_LEVEL"] == "0"
    assert env["TF_FORCE_GPU_ALLOW_GROWTH"] == "true" and env["XLA_PYTHON_CLIENT_PREALLOCATE"] == "false"
    assert removed == ["GITHUB_TOKEN", "PYTHONINSPECT"]


def test_child_code_runs_on_python_3_6_syntax() -> None:
    tree = ast.parse(child_source(), feature_version=(3, 6))
    for node in ast.walk(tree):
        annotations = []
        if isinstance(node, ast.FunctionDef):
            annotations = [a.annotation for a in node.args.args if a.annotation] + ([node.returns] if node.returns else [])
        elif isinstance(node, ast.AnnAssign):
            annotations = [node.annotation]
        for annotation in annotations:
            for part in ast.walk(annotation):
                # list[str] and X | Y fail when evaluated on Python < 3.9 / 3.10.
                assert not (isinstance(part, ast.Subscript) and isinstance(part.value, ast.Name) and part.value.id in {"list", "dict", "tuple", "set", "type"})
                assert not isinstance(part, ast.BinOp)
    imports = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imports |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert imports <= set(sys.stdlib_module_names)


def test_child_command_line_dumps_the_stack_before_the_kill() -> None:
    argv = child_argv(PlannedProbe("torch", "torch", "/p/bin/python", "torch"), 60.0)
    assert argv[:3] == ["/p/bin/python", "-B", "-c"]
    assert argv[4:] == ["torch", "55.00", "70.00", str(os.getpid())]
    assert child_argv(PlannedProbe("torch", "torch", "/p", "torch"), 3.0)[5:7] == ["2.40", "13.00"]


def test_line_capture_splits_records_from_framework_lines() -> None:
    capture = LineCapture("@@m@@")
    for chunk in (b"first\r\n@@m@@ phase imp", b"ort\n@@m@@ result {\"a\": 1}\nlast line without end"):
        capture.feed(chunk)
    capture.close()
    assert capture.records == [("phase", "import"), ("result", '{"a": 1}')]
    assert capture.capture().lines == ["first", "last line without end"]


def _gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rfind(")") + 2:].split()[0] in ("Z", "X")


def test_gone_helper_sees_this_process_alive() -> None:
    assert not _gone(os.getpid())
