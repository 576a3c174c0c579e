"""The real command, end to end, in its own network namespace: doctor, snapshot, explain and lint."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run_whygpu


def test_doctor_json_contract_on_this_machine() -> None:
    result = run_whygpu(["--json"])
    assert result.code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1 and data["subject"]["kind"] == "machine"
    assert "Traceback" not in result.stderr


def test_snapshot_round_trip_and_corrupt_file(tmp_path: Path) -> None:
    snap = tmp_path / "snap.json"
    assert run_whygpu(["snapshot", "-o", str(snap)]).code == 0
    live = json.loads(run_whygpu(["--json"]).stdout)
    again = json.loads(run_whygpu(["--from", str(snap), "--json"]).stdout)
    assert again["causes"] == live["causes"]
    snap.write_text(snap.read_text()[:200])
    bad = run_whygpu(["--from", str(snap)])
    assert bad.code == 2 and bad.stderr.count("\n") == 1 and str(snap) in bad.stderr


def test_explain_stdin_and_missing_file(tmp_path: Path) -> None:
    log = "2020-08-08 23:41:49.327601: W tensorflow/stream_executor/platform/default/dso_loader.cc:59] " \
          "Could not load dynamic library 'libcudart.so.10.1'; dlerror: libcudart.so.10.1: cannot open shared object file: No such file or directory\n"
    result = run_whygpu(["explain", "-", "--json"], stdin=log)
    assert result.code == 1, result.stderr
    data = json.loads(result.stdout)
    assert data["subject"]["kind"] == "logs"
    assert data["causes"][0]["code"].startswith("CUDA_LIBS")
    missing = run_whygpu(["explain", str(tmp_path / "nope.log")])
    assert missing.code == 2 and "nope.log" in missing.stderr and "Traceback" not in missing.stderr


def test_lint_sarif_and_bad_yaml(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM python:3.11-slim\nRUN pip install tensorflow-gpu==2.12.0\n")
    (tmp_path / "environment.yml").write_text("name: x\ndependencies: [python=3.11\n")
    result = run_whygpu(["lint", str(tmp_path), "--format", "sarif"])
    assert result.code == 1, result.stderr
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    rule_ids = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert any(rid.startswith("DF") for rid in rule_ids)
    # The YAML that does not parse: reported, not raised, and not as a GPU problem (a notification, not a result).
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    unread = [n for n in notes if n.get("descriptor", {}).get("id") == "not-checked"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1] for n in unread] == ["environment.yml"]
