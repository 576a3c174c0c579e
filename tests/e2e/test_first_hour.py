"""What a new user meets in the first hour, run as a user runs it: the CLI in a subprocess, in its own network namespace."""

from __future__ import annotations

from cli_runner import run_whygpu


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
