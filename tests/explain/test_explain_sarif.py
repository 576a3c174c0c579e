"""``whygpu explain --format sarif``: the log rules as SARIF rules, each result at the log file and line that showed it."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from sarif_schema import validate_sarif
from whygpu.cli import main

# A TensorFlow 2.3 run on a machine with CUDA 11.0 (https://github.com/tensorflow/tensorflow/issues/42162).
TF_LOG = """\
2020-08-08 23:41:49.300000: I tensorflow/core/platform/cpu_feature_guard.cc:142] This TensorFlow binary is optimized with oneAPI Deep Neural Network Library (oneDNN)to use the following CPU instructions in performance-critical operations:  AVX2
2020-08-08 23:41:49.327601: W tensorflow/stream_executor/platform/default/dso_loader.cc:59] Could not load dynamic library 'libcudart.so.10.1'; dlerror: libcudart.so.10.1: cannot open shared object file: No such file or directory
2020-08-08 23:41:49.327623: I tensorflow/stream_executor/cuda/cudart_stub.cc:29] Ignore above cudart dlerror if you do not have a GPU set up on your machine.
/usr/local/cuda-11.0/targets/x86_64-linux/lib/libcudart.so.11.0
"""
# An interactive session that shows the GPU unused and names no reason (a fact rule, LOG1NN, speaks).
SESSION_LOG = """\
Python 3.10.11 (tags/v3.10.11:7d4cc5a, Apr  5 2023, 00:38:17) [MSC v.1929 64 bit (AMD64)] on win32
>>> import tensorflow as tf
>>> tf.__version__
'2.12.0'
>>> tf.config.list_physical_devices('GPU')
[]
"""
QUIET_LOG = "epoch 1/3 loss=0.71\nepoch 2/3 loss=0.52\nepoch 3/3 loss=0.40\n"


def _sarif(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["explain", *args, "--format", "sarif"])
    out = capsys.readouterr().out
    document = json.loads(out)
    validate_sarif(document)
    return code, document


def _check_results(run: dict[str, Any], logs: dict[str, tuple[str, Path]]) -> None:
    """Every result names a listed rule, and its location is a log file read (uri -> the name evidence cites it by, its
    path) and a line of it that the evidence quotes."""
    rules = run["tool"]["driver"]["rules"]
    assert rules and len({r["id"] for r in rules}) == len(rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        uri = location["artifactLocation"]["uri"]
        assert uri in logs, uri
        number = location["region"]["startLine"]
        name, path = logs[uri]
        line = path.read_text().splitlines()[number - 1]
        # The evidence cites that line by its place, and quotes it (a prompt and its answer are quoted together).
        cited = [e for e in result["properties"]["evidence"] if e.startswith(f"{name}:{number}: ")]
        assert cited and line.strip() in cited[0], (line, result["properties"]["evidence"])


@pytest.mark.parametrize("log", [TF_LOG, SESSION_LOG], ids=["signature", "fact-rule"])
def test_sarif_of_a_log_lists_its_rules_and_points_at_the_lines(log: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "train.log").write_text(log)
    code, document = _sarif(["train.log"], capsys)
    assert code == 1
    run = document["runs"][0]
    assert run["properties"]["subject"] == "logs" and run["properties"]["verdict"]["gpu_usable"] is False
    assert run["results"]
    _check_results(run, {"train.log": ("train.log", tmp_path / "train.log")})
    # The rules listed are those of the results, documented as `whygpu rule` documents them.
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {r["ruleId"] for r in run["results"]}
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in run["tool"]["driver"]["rules"])


def test_sarif_of_a_job_folder_points_at_each_file_under_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "job" / "user_logs").mkdir(parents=True)
    (tmp_path / "job" / "user_logs" / "std_log.txt").write_text(QUIET_LOG + TF_LOG)
    code, document = _sarif(["job"], capsys)
    assert code == 1
    run = document["runs"][0]
    _check_results(run, {"job/user_logs/std_log.txt": ("user_logs/std_log.txt", tmp_path / "job" / "user_logs" / "std_log.txt")})
    # Line numbers are the file's own: the quiet lines come first.
    assert min(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]) > QUIET_LOG.count("\n")


def test_sarif_of_a_log_that_says_nothing_has_no_results(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "train.log").write_text(QUIET_LOG)
    code, document = _sarif(["train.log"], capsys)
    run = document["runs"][0]
    assert code == 0 and run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert run["properties"]["verdict"]["gpu_usable"] is None


def test_sarif_of_stdin_has_results_without_a_file_to_point_at(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(TF_LOG.encode())))
    code, document = _sarif(["-"], capsys)
    results = document["runs"][0]["results"]
    assert code == 1 and results
    assert all("locations" not in r for r in results)
