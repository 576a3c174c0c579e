"""The CLI's contract: exit codes, one-line errors, no tracebacks, the default command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders import cpu_vm, healthy, torch_build
from whygpu.cli import main


def _write(tmp_path: Path, snap: object) -> str:
    path = tmp_path / "snap.json"
    path.write_text(json.dumps(snap.to_json()))  # type: ignore[attr-defined]
    return str(path)


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "doctor" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert "whygpu" in capsys.readouterr().out


def test_bad_usage_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--no-such-flag"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("whygpu: error:") and err.count("\n") == 1


def test_from_snapshot_problem_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, cpu_vm(torch_build("2.13.0+cpu", cuda=None)))
    assert main(["doctor", "--from", path, "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["subject"]["kind"] == "snapshot"
    assert [c["code"] for c in data["causes"]][:2] == ["NO_GPU", "FRAMEWORK_CPU_BUILD"]


def test_from_healthy_snapshot_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--from", _write(tmp_path, healthy()), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"]["gpu_usable"] is True


def test_corrupt_snapshot_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    assert main(["doctor", "--from", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err


def test_missing_root_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--root", str(tmp_path / "nope")]) == 2
    assert "no such directory" in capsys.readouterr().err


def test_internal_error_exits_3_and_says_bug(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import whygpu.diagnose

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(whygpu.diagnose, "diagnose", boom)
    assert main(["doctor", "--from", _write(tmp_path, healthy())]) == 3
    err = capsys.readouterr().err
    assert "internal error" in err and "bug" in err and "kaboom" in err and "Traceback" not in err


def test_rule_docs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rule", "HW001"]) == 0
    out = capsys.readouterr().out
    for heading in ("What it checks:", "Why it matters:", "Example:", "Fix:"):
        assert heading in out
    assert main(["rule", "no-such-rule"]) == 2


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    assert main(["doctor", "--from", _write(tmp_path, healthy()), "--format", "markdown", "-o", str(out)]) == 0
    assert out.read_text().startswith("## whygpu:")


@pytest.mark.parametrize(("argv", "collecting"), [
    (["rule", "NO_GPU"], False),  # one pass: the collector stays off, as entry() set it
    (["explain", "LOG"], True),  # may run long (a big log): the collector is back on
])
def test_only_one_pass_commands_keep_the_cycle_collector_off(
    argv: list[str], collecting: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    import gc

    log = tmp_path / "run.log"
    log.write_text("RuntimeError: Found no NVIDIA driver on your system.\n")
    argv = [str(log) if arg == "LOG" else arg for arg in argv]
    was = gc.isenabled()
    gc.disable()
    try:
        assert main(argv, collector_off=True) in (0, 1)
        assert gc.isenabled() is collecting
    finally:
        if was:
            gc.enable()
    capsys.readouterr()
