"""What a new user meets in the first hour, run as a user runs it: the CLI in a subprocess, in its own network namespace."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cli_runner import CliResult, run_whygpu, run_whygpu_tty


def test_rule_explains_a_cause_code() -> None:
    done = run_whygpu(["rule", "NO_GPU"])
    assert done.code == 0, done.stderr
    assert "no NVIDIA GPU" in done.stdout
    # The rules that report it, across doctor, lint, deep and explain, by code.
    for code in ("HW001", "AML001", "DEEP001", "LOG-TF-NO-GPU-FOUND"):
        assert code in done.stdout
    assert "Usual fixes" in done.stdout and "nvidia-smi" in done.stdout


def test_rule_codes_still_work_and_lower_case_cause_codes_too() -> None:
    assert "no-nvidia-gpu" in run_whygpu(["rule", "HW001"]).stdout
    assert run_whygpu(["rule", "cudnn_missing"]).stdout.startswith("CUDNN_MISSING")


def test_unknown_rule_or_cause_suggests_the_closest() -> None:
    done = run_whygpu(["rule", "NO_GPUS"])
    assert done.code == 2 and done.stderr.count("\n") == 1
    assert "did you mean NO_GPU" in done.stderr
    assert "HW001" in run_whygpu(["rule", "HW01"]).stderr


ESC = "\x1b["


def test_colour_on_a_terminal_by_default_and_off_when_piped() -> None:
    on_tty = run_whygpu_tty(["--offline"])
    assert on_tty.code == 1, on_tty.stderr
    assert f"{ESC}1;31mNO" in on_tty.stdout
    piped = run_whygpu(["--offline"])
    assert piped.code == 1 and ESC not in piped.stdout and piped.stdout.startswith("NO ")


def test_no_color_force_color_and_the_flag() -> None:
    assert ESC not in run_whygpu_tty(["--offline"], env={"NO_COLOR": "1"}).stdout
    assert ESC not in run_whygpu_tty(["--offline", "--color", "never"]).stdout
    assert ESC in run_whygpu(["--offline"], env={"FORCE_COLOR": "1"}).stdout
    assert ESC in run_whygpu(["--offline", "--color", "always"], env={"NO_COLOR": "1"}).stdout
    assert ESC not in run_whygpu(["--offline", "--color", "never"], env={"FORCE_COLOR": "1"}).stdout


def test_every_text_command_takes_color(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text("RuntimeError: Found no NVIDIA driver on your system.\n")
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM python:3.11\nRUN pip install tensorflow-gpu==2.15.0\n")
    for args in (["explain", str(log)], ["lint", str(dockerfile)], ["rule", "NO_GPU"], ["rule", "HW001"]):
        coloured = run_whygpu([*args, "--color", "always"])
        assert coloured.code in (0, 1), (args, coloured.stderr)
        assert ESC in coloured.stdout, args
        assert ESC not in run_whygpu([*args, "--color", "never"]).stdout, args


def test_nothing_from_a_file_reaches_the_terminal_raw(tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    # Retitles the window, clears the screen, a C1 CSI, and a right-to-left override.
    dockerfile.write_text("FROM python:3.11\nRUN pip install tensorflow-gpu==2.15.0 \x1b]0;pwned\x07\x1b[2J\x9b1m\u202eevil\n")
    log = tmp_path / "job.log"
    log.write_text("2024 I tensorflow: \x1b]0;pwned\x07Could not load dynamic library 'libcudart.so.11.0'; dlerror: \x1b[2Jx\u202e\n")
    for args in (["lint", str(dockerfile)], ["explain", str(log)]):
        for fmt in ("text", "json", "markdown", "html"):
            done = run_whygpu([*args, "--format", fmt, "-v", "--color", "never"])
            assert done.code == 1, (args, fmt, done.stderr)
            for bad in ("\x1b", "\\u001b", "\x07", "\\u0007", "\x9b", "\u202e", "\\u202e", "pwned\x07"):
                assert bad not in done.stdout, (args, fmt, bad)
    sarif = run_whygpu(["lint", str(dockerfile), "--format", "sarif"]).stdout
    assert "\\u001b" not in sarif and "\x1b" not in sarif


def test_error_lines_name_the_path_without_its_control_characters(tmp_path: Path) -> None:
    done = run_whygpu(["explain", str(tmp_path / "\x1b]0;pwned\x07.log")])
    assert done.code == 2 and "\x1b" not in done.stderr and "\x07" not in done.stderr


def test_binary_files_named_on_the_command_line_are_refused(tmp_path: Path) -> None:
    blob = tmp_path / "Dockerfile"
    blob.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    for args in (["lint", str(blob)], ["doctor", "--from", str(blob)], ["explain", str(blob)]):
        done = run_whygpu(args)
        assert done.code == 2, (args, done.stdout)
        assert done.stderr.count("\n") == 1 and "binary" in done.stderr and str(blob) in done.stderr
        assert done.stdout == ""


def _one_line_error(done: CliResult, *words: str) -> None:
    assert done.code == 2, (done.code, done.stdout, done.stderr)
    assert done.stdout == "" and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)


def test_fifos_and_devices_are_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for args in (["explain", str(fifo)], ["doctor", "--from", str(fifo)], ["lint", str(fifo)]):
        # A blocking open would wait for a writer forever; the runner's timeout would fail the test.
        _one_line_error(run_whygpu(args, timeout=60), "FIFO", str(fifo))
    for args in (["lint", "/dev/null"], ["explain", "/dev/null"], ["doctor", "--from", "/dev/zero"]):
        _one_line_error(run_whygpu(args, timeout=60), "character device")


def test_process_substitution_is_read_when_asked_for(tmp_path: Path) -> None:
    script = f'exec {sys.executable} -m whygpu explain <(echo "RuntimeError: Found no NVIDIA driver on your system.")'
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "WHYGPU_IMDS_URL": "http://127.0.0.1:9"})
    assert done.returncode == 1, done.stderr
    assert "DRIVER_MISSING" in done.stdout
    piped = run_whygpu(["explain", "/dev/stdin"], stdin="RuntimeError: Found no NVIDIA driver on your system.\n")
    assert piped.code == 1 and "DRIVER_MISSING" in piped.stdout, piped.stderr


def test_empty_files_say_they_are_empty(tmp_path: Path) -> None:
    nothing = tmp_path / "nothing.log"
    nothing.write_bytes(b"")
    explained = run_whygpu(["explain", str(nothing)])
    assert explained.code == 0 and "the file is empty" in explained.stdout
    snapshot = tmp_path / "nothing.json"
    snapshot.write_bytes(b"")
    _one_line_error(run_whygpu(["doctor", "--from", str(snapshot)]), "the file is empty")


def test_a_snapshot_nested_100000_levels_deep_is_bad_input(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    _one_line_error(run_whygpu(["doctor", "--from", str(deep)]), "nested", str(deep))
    deep.write_text('{"schema_version": 1, "x": ' + "{\"a\": " * 100_000 + "1" + "}" * 100_001)
    _one_line_error(run_whygpu(["doctor", "--from", str(deep)]), str(deep))


def test_zero_and_negative_timeouts_are_refused() -> None:
    for args in (["--timeout", "-1"], ["doctor", "--deep-timeout", "0"], ["snapshot", "--timeout", "nan"]):
        _one_line_error(run_whygpu([*args, "--offline"]), "timeout")


def test_explain_stdin_on_a_terminal_says_how_to_end_it() -> None:
    done = run_whygpu_tty(["explain", "-"], typed=b"RuntimeError: Found no NVIDIA driver on your system.\n\x04", timeout=60)
    assert "Ctrl-D" in done.stderr
    assert done.code == 1 and "DRIVER_MISSING" in done.stdout
    piped = run_whygpu(["explain", "-"], stdin="RuntimeError: Found no NVIDIA driver on your system.\n")
    assert piped.code == 1 and "Ctrl-D" not in piped.stderr


def _fake_env(tmp_path: Path, name: str, body: str) -> Path:
    """A venv whose interpreter is a shell script (that hangs or crashes), with torch's files in site-packages."""
    prefix = tmp_path / name
    site = prefix / "lib" / "python3.11" / "site-packages"
    (site / "torch").mkdir(parents=True)
    (site / "torch-2.5.0.dist-info").mkdir()
    (site / "torch-2.5.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: torch\nVersion: 2.5.0\n")
    (site / "torch" / "version.py").write_text('__version__ = "2.5.0"\ncuda = "12.4"\n')
    (prefix / "pyvenv.cfg").write_text("home = /usr/bin\ninclude-system-site-packages = false\nversion = 3.11.7\n")
    (prefix / "bin").mkdir()
    python = prefix / "bin" / "python3"
    python.write_text(f"#!/bin/sh\n{body}\n")
    python.chmod(0o755)
    return python


def test_a_hung_interpreter_is_the_finding_not_python_ok(tmp_path: Path) -> None:
    python = _fake_env(tmp_path, "hung", "exec sleep 60")
    done = run_whygpu(["--python", str(python), "--offline", "--timeout", "1", "-v", "--color", "never"])
    assert done.code == 1, done.stderr
    assert "FRAMEWORK_INSTALL_BROKEN The interpreter you gave timed out after 1 s at start-up" in done.stdout
    assert "frameworks found in its files: torch 2.5.0" in done.stdout
    assert "python: ok" not in done.stdout and "python: timeout" in done.stdout


def test_a_crashed_interpreter_is_the_finding_and_deep_blames_the_interpreter(tmp_path: Path) -> None:
    python = _fake_env(tmp_path, "crashing", "kill -SEGV $$")
    done = run_whygpu(["--python", str(python), "--offline", "--color", "never"])
    assert done.code == 1
    assert "The interpreter you gave was killed by SIGSEGV at start-up" in done.stdout
    deep = run_whygpu(["--python", str(python), "--offline", "--deep", "--deep-timeout", "20", "-v", "--color", "never"])
    assert deep.code == 1, deep.stderr
    assert "the interpreter is broken, not the CUDA driver" in deep.stdout
    assert "Reinstall the CUDA driver" not in deep.stdout and "The the" not in deep.stdout
    assert "CUDA driver crashed" not in deep.stdout


def test_verbose_reads_like_the_rest(tmp_path: Path) -> None:
    prefix = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(prefix)], check=True, timeout=60)
    site = next(prefix.glob("lib/python3*/site-packages"))
    (site / "torch").mkdir()
    (site / "torch-2.5.0.dist-info").mkdir()
    (site / "torch-2.5.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: torch\nVersion: 2.5.0\n")
    (site / "torch" / "version.py").write_text('__version__ = "2.5.0"\ncuda = "12.4"\n')
    python = prefix / "bin" / "python"
    done = run_whygpu(["--python", str(python), "--offline", "-v", "--color", "never"])
    assert done.code == 1, done.stderr
    details = done.stdout[done.stdout.index("\nmachine:"):]
    for literal in (": {}", ": []", ": None", ": False", ": True", "gpu_usable", "blocked_by"):
        assert literal not in details, literal
    # torch 2.5's optional libraries (NCCL, NVRTC, CUPTI) are not NOT FOUND beside the ones it needs.
    not_found = [line for line in details.splitlines() if "NOT FOUND" in line]
    assert not_found and not any("nccl" in line.lower() or "cupti" in line.lower() for line in not_found)
    assert "optional, not installed (not needed to use the GPU): " in details and "libnccl.so.2" in details


def test_long_lines_are_one_note(tmp_path: Path) -> None:
    log = tmp_path / "progress.log"
    with log.open("w") as handle:
        handle.write("x" * (6 << 20) + "\n")  # one progress line of 6 MiB, read in six pieces
        handle.write("RuntimeError: Found no NVIDIA driver on your system.\n")
    done = run_whygpu(["explain", str(log), "-v", "--color", "never"])
    assert done.code == 1, done.stderr
    notes = [line for line in done.stdout.splitlines() if "longer than 1 MiB" in line]
    assert len(notes) == 1 and "1 line longer than 1 MiB (line 1)" in notes[0], notes


def test_top_level_help_shows_doctor_options_work_alone() -> None:
    done = run_whygpu(["--help"])
    assert done.code == 0
    for example in ("whygpu --json", "whygpu --python", "whygpu -v"):
        assert example in done.stdout, example


def test_mistyped_commands_and_options_suggest_the_closest() -> None:
    cases = {
        ("doctr",): "did you mean 'doctor'?",
        ("explian", "x.log"): "did you mean 'explain'?",
        ("--jsn",): "did you mean '--json' for '--jsn'?",
        ("doctor", "--pyhton", "x"): "'--python' for '--pyhton'",
        ("lint", "--formt", "sarif"): "'--format' for '--formt'",
        ("--format", "jsn"): "did you mean 'json'?",
    }
    for args, hint in cases.items():
        done = run_whygpu(list(args))
        assert done.code == 2 and done.stderr.count("\n") == 1, (args, done.stderr)
        assert hint in done.stderr, (args, done.stderr)
    assert "whygpu lint --help" in run_whygpu(["lint", "--formt", "sarif"]).stderr
