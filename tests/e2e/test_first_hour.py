"""What a new user meets in the first hour, run as a user runs it: the CLI in a subprocess, in its own network namespace."""

from __future__ import annotations

from pathlib import Path

from cli_runner import run_whygpu, run_whygpu_tty


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
