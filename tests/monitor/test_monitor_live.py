"""``whygpu monitor -- COMMAND`` for real: exit codes, signals, byte-exact output, missing commands, forked children.

The GPU is simulated by the fake ``pynvml`` (tests/monitor/fake_nvml) that the real NVML gateway's
sampler child loads: a job "uses" the GPU by writing its PID's memory and utilisation to a file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_runner import run_whygpu

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = SRC + os.pathsep + env.get("PYTHONPATH", "")
    env["WHYGPU_IMDS_URL"] = "http://127.0.0.1:9"
    env.update(extra or {})
    return env


def _use_gpu(gpu_dir: str, mib: int, util: int, seconds: float) -> str:
    """Python source of a job that puts its PID on fake GPU 0 for ``seconds``."""
    return (f"import os, time; p = os.path.join({gpu_dir!r}, '0', str(os.getpid())); "
            f"open(p, 'w').write('{mib} {util}'); time.sleep({seconds}); os.remove(p)")


def test_exit_code_passes_through_without_gpu() -> None:
    result = run_whygpu(["monitor", "--offline", "--", sys.executable, "-c", "print('hello'); raise SystemExit(7)"])
    assert result.code == 7
    assert result.stdout == "hello\n"
    assert "no GPU sampling" in result.stderr.splitlines()[0]
    assert "root cause" in result.stderr  # the doctor's cause, shown at once


def test_missing_command_one_line_exit_2() -> None:
    result = run_whygpu(["monitor", "--", "no-such-command-whygpu"])
    assert result.code == 2
    assert result.stderr.strip() == "whygpu: error: no such command: no-such-command-whygpu"


def test_usage_errors() -> None:
    assert run_whygpu(["monitor"]).code == 2
    assert run_whygpu(["monitor", "--interval", "0.01", "--", "true"]).code == 2


def test_output_passes_through_byte_for_byte(tmp_path: Path, fake_gpu: dict[str, str]) -> None:
    payload = bytes(range(256)) * 64 + b"\r\n\x1b[31mno newline at the end"
    (tmp_path / "blob").write_bytes(payload)
    script = f"import sys; sys.stdout.buffer.write(open({str(tmp_path / 'blob')!r}, 'rb').read()); sys.stderr.write('err\\n')"
    done = subprocess.run([sys.executable, "-m", "whygpu", "monitor", "-o", str(tmp_path / "r.txt"), "--interval", "0.1",
                           "--", sys.executable, "-c", script], capture_output=True, env=_env(fake_gpu), timeout=60)
    assert done.returncode == 0
    assert done.stdout == payload
    assert done.stderr == b"err\n"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signals_are_forwarded(tmp_path: Path, fake_gpu: dict[str, str], sig: signal.Signals) -> None:
    ready, seen = tmp_path / "ready", tmp_path / "seen"
    job = (f"import signal, sys, time\n"
           f"def h(s, f):\n    open({str(seen)!r}, 'w').write(str(s)); sys.exit(42)\n"
           f"signal.signal(signal.SIGINT, h); signal.signal(signal.SIGTERM, h)\n"
           f"open({str(ready)!r}, 'w').write('1')\n"
           f"time.sleep(30)\n")
    proc = subprocess.Popen([sys.executable, "-m", "whygpu", "monitor", "--interval", "0.2", "--", sys.executable, "-c", job],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(fake_gpu))
    deadline = time.monotonic() + 30
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert seen.read_text() == str(int(sig))
    assert proc.returncode == 42, err


def test_forked_children_are_attributed(tmp_path: Path, fake_gpu: dict[str, str]) -> None:
    gpu_dir = fake_gpu["WHYGPU_FAKE_GPU_DIR"]
    child = _use_gpu(gpu_dir, 20000, 96, 2.5)
    # A shell that forks a Python child: the GPU process is a grandchild of whygpu.
    job = ["sh", "-c", f'{sys.executable} -c "{child}"; echo done']
    report = tmp_path / "report.json"
    record = tmp_path / "run.jsonl"
    result = run_whygpu(["monitor", "--interval", "0.1", "--json", "-o", str(report), "--record", str(record), "--", *job],
                        env=fake_gpu)
    assert result.code == 0, result.stderr
    assert result.stdout == "done\n"
    doc = json.loads(report.read_text())
    monitor = doc["details"]["monitor"]
    assert monitor["attribution"] == "process"
    assert monitor["gpus"][0]["job_seen"] is True
    assert monitor["verdicts"][0]["verdict"] == "healthy"
    assert doc["verdict"]["gpu_usable"] is True
    # The recording reads back to the same verdict.
    again = run_whygpu(["monitor", "--from", str(record), "--json"])
    assert json.loads(again.stdout)["details"]["monitor"]["verdicts"][0]["verdict"] == "healthy"


def test_never_touched_runs_the_doctor_on_the_jobs_interpreter(tmp_path: Path, fake_gpu: dict[str, str]) -> None:
    report = tmp_path / "report.json"
    result = run_whygpu(["monitor", "--offline", "--interval", "0.1", "--json", "-o", str(report), "--",
                         sys.executable, "-c", "import time; time.sleep(1.5)"], env=fake_gpu)
    assert result.code == 0, result.stderr
    doc = json.loads(report.read_text())
    assert doc["verdict"]["gpu_usable"] is False
    ids = [f["id"] for f in doc["findings"]]
    assert ids[0] == "MON-NEVER-TOUCHED"
    # This machine has no GPU: the doctor's root cause leads.
    assert doc["causes"][0]["code"] == "NO_GPU"
    assert doc["details"]["monitor"]["interpreter"] == sys.executable  # the path the job ran


def test_busy_with_another_process(tmp_path: Path, fake_gpu: dict[str, str]) -> None:
    gpu_dir = fake_gpu["WHYGPU_FAKE_GPU_DIR"]
    # The test process itself plays the other tenant: alive, visible, not in the job's tree.
    Path(gpu_dir, "0", str(os.getpid())).write_text("30000 50")
    report = tmp_path / "report.json"
    result = run_whygpu(["monitor", "--interval", "0.1", "--json", "-o", str(report), "--",
                         sys.executable, "-c", _use_gpu(gpu_dir, 8000, 40, 1.5)], env=fake_gpu)
    assert result.code == 0, result.stderr
    doc = json.loads(report.read_text())
    assert "GPU_BUSY" in [c["code"] for c in doc["causes"]]
    assert str(os.getpid()) in json.dumps(doc["causes"])


def test_sampling_failure_never_breaks_the_job(tmp_path: Path, fake_gpu: dict[str, str]) -> None:
    config = Path(fake_gpu["WHYGPU_FAKE_GPU_DIR"], "gpus.json")
    config.write_text(json.dumps({"fail": True}))
    result = run_whygpu(["monitor", "--offline", "--", sys.executable, "-c", "print('still ran')"], env=fake_gpu)
    assert result.code == 0 and result.stdout == "still ran\n"
    assert "no GPU sampling" in result.stderr


def test_attach_to_pid(tmp_path: Path, fake_gpu: dict[str, str]) -> None:
    gpu_dir = fake_gpu["WHYGPU_FAKE_GPU_DIR"]
    job = subprocess.Popen([sys.executable, "-c", _use_gpu(gpu_dir, 12000, 97, 2.0)])
    try:
        result = run_whygpu(["monitor", "--pid", str(job.pid), "--interval", "0.1", "--json"], env=fake_gpu)
    finally:
        job.wait(timeout=30)
    # unshare gives the CLI its own network namespace only: the PID is still visible.
    assert result.code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["subject"]["mode"] == "pid" and doc["details"]["monitor"]["verdicts"][0]["verdict"] == "healthy"


def test_attach_stopped_by_sigint_reports_and_leaves_the_process(tmp_path: Path, fake_gpu: dict[str, str]) -> None:
    gpu_dir = fake_gpu["WHYGPU_FAKE_GPU_DIR"]
    job = subprocess.Popen([sys.executable, "-c", _use_gpu(gpu_dir, 12000, 97, 30.0)])
    try:
        proc = subprocess.Popen([sys.executable, "-m", "whygpu", "monitor", "--pid", str(job.pid), "--interval", "0.1",
                                 "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(fake_gpu))
        time.sleep(2.0)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        doc = json.loads(out)
        assert any("monitoring stopped by SIGINT" in n for n in doc["notes"])
        assert job.poll() is None  # the watched job was not touched
    finally:
        job.kill()
        job.wait(timeout=30)


def test_doctor_finds_the_python_a_shell_started(tmp_path: Path, fake_gpu: dict[str, str]) -> None:
    report = tmp_path / "report.json"
    # The shell forks, and its child runs sh until it execs Python: the interpreter is still found.
    job = ["sh", "-c", f"sleep 0.3; {sys.executable} -c 'import time; time.sleep(1.2)'"]
    result = run_whygpu(["monitor", "--offline", "--interval", "0.1", "--json", "-o", str(report), "--", *job], env=fake_gpu)
    assert result.code == 0, result.stderr
    doc = json.loads(report.read_text())
    assert doc["details"]["monitor"]["interpreter"] == sys.executable


def test_the_interpreter_is_the_path_the_job_ran_not_the_resolved_base(tmp_path: Path) -> None:
    from whygpu.monitor.proctree import ProcessTree

    # A virtual environment's bin/python is a symlink to the base interpreter; /proc/PID/exe
    # resolves it, but the doctor must look at the venv (its site-packages).
    venv_python = tmp_path / "venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    venv_python.symlink_to(os.path.realpath(sys.executable))
    job = subprocess.Popen([str(venv_python), "-c", "import time; time.sleep(5)"])
    try:
        tree = ProcessTree(job.pid)
        deadline = time.monotonic() + 10
        while tree.interpreter() is None and time.monotonic() < deadline:
            tree.sample()
            time.sleep(0.05)
        assert tree.interpreter() == str(venv_python)
    finally:
        job.kill()
        job.wait(timeout=30)


@pytest.mark.realenv
def test_never_touched_shows_the_venvs_cpu_torch(tmp_path: Path, fake_gpu: dict[str, str]) -> None:
    venv = os.environ.get("WHYGPU_TEST_TORCH_VENV")
    if not venv:
        pytest.skip("the CPU torch venv is built by .ci/build-venvs")
    python = str(Path(venv) / "bin" / "python")
    report = tmp_path / "report.json"
    job = [python, "-c", "import torch, time; x = torch.ones(256, 256); [x @ x for _ in range(50)]; time.sleep(1)"]
    # --timeout 60: the doctor starts the venv's interpreter, slow on a loaded machine.
    result = run_whygpu(["monitor", "--offline", "--timeout", "60", "--interval", "0.2", "--json", "-o", str(report),
                         "--", *job], env=fake_gpu, timeout=300)
    assert result.code == 0, result.stderr
    doc = json.loads(report.read_text())
    assert doc["details"]["monitor"]["interpreter"] == python
    assert "FRAMEWORK_CPU_BUILD" in [c["code"] for c in doc["causes"]]
    assert doc["findings"][0]["id"] == "MON-NEVER-TOUCHED"


def test_a_fork_not_yet_execd_is_not_taken_for_the_jobs_interpreter(tmp_path: Path) -> None:
    from whygpu.monitor.proctree import ProcessTree

    # Between fork and exec a job is a copy of whoever started it: here, this test's own Python,
    # held there on purpose. Its interpreter must not be recorded for the job.
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: wait, still a copy of this process, then exit without exec
        os.close(write)
        os.read(read, 1)
        os._exit(0)
    os.close(read)
    try:
        tree = ProcessTree(pid)
        for _ in range(3):
            tree.sample()
        assert tree.interpreter() is None
    finally:
        os.write(write, b"x")
        os.close(write)
        os.waitpid(pid, 0)


def test_a_job_caught_mid_exec_is_read_again_not_taken_for_the_base_interpreter(tmp_path: Path) -> None:
    from whygpu.monitor.proctree import ProcessTree

    # Inside execve the kernel shows the new program (/proc/PID/exe) before its arguments: the
    # command line reads empty. The venv's bin/python is known only from the arguments, so that
    # sample must not settle the job's interpreter as the base one /proc/PID/exe resolves to.
    base = tmp_path / "base" / "python3.11"
    base.parent.mkdir()
    base.write_text("")
    venv_python = tmp_path / "venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    venv_python.symlink_to(base)
    proc = tmp_path / "proc"
    job = proc / "4242"
    (job / "task" / "4242").mkdir(parents=True)
    (job / "task" / "4242" / "children").write_text("")
    (job / "stat").write_text("4242 (python) S 1 4242 4242 0 -1 0 0 0 0 0 5 3 0 0 20 0\n")
    (job / "exe").symlink_to(base)
    (job / "cmdline").write_bytes(b"")
    tree = ProcessTree(4242, proc=str(proc))
    tree.sample()
    assert tree.interpreter() is None
    (job / "cmdline").write_bytes(str(venv_python).encode() + b"\0-c\0pass\0")
    tree.sample()
    assert tree.interpreter() == str(venv_python)


def test_a_shared_gpu_is_judged_by_the_jobs_own_utilisation(tmp_path: Path, fake_gpu: dict[str, str]) -> None:
    gpu_dir = fake_gpu["WHYGPU_FAKE_GPU_DIR"]
    # The other tenant (this test process) keeps the SMs 80 % busy with little memory: the GPU reads
    # 90 % busy, but the job's own share is 10 %.
    Path(gpu_dir, "0", str(os.getpid())).write_text("500 80")
    report, trace = tmp_path / "report.json", tmp_path / "run.jsonl"
    result = run_whygpu(["monitor", "--interval", "0.1", "--json", "-o", str(report), "--record", str(trace), "--",
                         sys.executable, "-c", _use_gpu(gpu_dir, 8000, 10, 2.0)], env=fake_gpu)
    assert result.code == 0, result.stderr
    doc = json.loads(report.read_text())
    verdicts = {v["verdict"] for v in doc["details"]["monitor"]["verdicts"]}
    assert verdicts == {"input-bound", "busy"}, doc["details"]["monitor"]["verdicts"]
    gpu = doc["details"]["monitor"]["gpus"][0]
    assert gpu["utilization_percent"]["max"] == 90 and gpu["job_utilization_percent"]["p95"] == 10
    assert gpu["other_processes_utilization_percent"] == 80
    bound = next(f for f in doc["findings"] if f["id"] == "MON-INPUT-BOUND")
    # The job's mean is 10 % while it ran, less over the whole run (the samples before it started and after it ended).
    assert 0 < gpu["job_utilization_percent"]["mean"] <= 10
    assert bound["evidence"][0].startswith("the job's own mean SM utilisation ")
    assert any(line.startswith("GPU 0 is shared: other processes kept its SMs 80% busy") for line in bound["evidence"])
    busy = next(f for f in doc["findings"] if f["id"] == "MON-GPU-BUSY")
    assert any("SMs 80% busy" in line for line in busy["evidence"])
    # The recording carries the split: analysed later, the same verdicts.
    again = run_whygpu(["monitor", "--from", str(trace), "--json"])
    assert {v["verdict"] for v in json.loads(again.stdout)["details"]["monitor"]["verdicts"]} == verdicts


def test_without_per_process_utilisation_the_device_is_judged_and_it_is_said(tmp_path: Path, fake_gpu: dict[str, str]) -> None:
    gpu_dir = fake_gpu["WHYGPU_FAKE_GPU_DIR"]
    config = Path(gpu_dir, "gpus.json")
    config.write_text(json.dumps({**json.loads(config.read_text()), "no_process_util": True}))
    Path(gpu_dir, "0", str(os.getpid())).write_text("500 80")
    report = tmp_path / "report.json"
    result = run_whygpu(["monitor", "--interval", "0.1", "--json", "-o", str(report), "--",
                         sys.executable, "-c", _use_gpu(gpu_dir, 8000, 10, 1.5)], env=fake_gpu)
    assert result.code == 0, result.stderr
    doc = json.loads(report.read_text())
    assert [v["verdict"] for v in doc["details"]["monitor"]["verdicts"]] == ["healthy"]
    assert "job_utilization_percent" not in doc["details"]["monitor"]["gpus"][0]
    assert any("no per-process utilisation (Not Supported" in n for n in doc["notes"])


def test_a_signal_that_comes_while_the_job_starts_is_forwarded_once_its_pid_is_known() -> None:
    from whygpu.gateways.process import SignalForwarder

    forwarder = SignalForwarder()
    forwarder.install()
    job = subprocess.Popen(["sleep", "30"])
    try:
        os.kill(os.getpid(), signal.SIGTERM)  # whygpu is told to stop before it knows the job's PID
        assert forwarder.received == [int(signal.SIGTERM)]
        assert job.poll() is None  # recorded, nothing sent yet
        forwarder.attach(job.pid)
        assert job.wait(timeout=10) == -signal.SIGTERM
    finally:
        forwarder.restore()
        if job.poll() is None:
            job.kill()
            job.wait()
