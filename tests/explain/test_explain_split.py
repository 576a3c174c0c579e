"""A big plain log read in two processes gives exactly what one sequential read gives, and falls back cleanly."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import whygpu.explain.split as split
from whygpu.explain import ExplainResult, explain_path
from whygpu.explain.catalogue import catalogue

CAT = catalogue()
FILLER = b"Epoch 3: 40%|####      | 375/938 [00:07<00:11, 48.12it/s, loss=0.412, v_num=3]\n"


def _log(tmp_path: Path, middle: list[bytes], tail: bytes = b"") -> tuple[Path, int]:
    """Filler, then ``middle`` lines straddling the point where the file is split, then more filler."""
    after = FILLER * (400_000 // len(FILLER)) + tail
    # The split is at the first line start after the file's midpoint: put the lines around it.
    body = FILLER * (len(after) // len(FILLER)) + b"".join(middle) + after
    path = tmp_path / "train.log"
    path.write_bytes(body)
    return path, len(body)


def _summary(result: ExplainResult) -> dict[str, Any]:
    return {
        "findings": [(f.id, f.cause, f.severity, f.title, f.evidence, f.fix) for f in result.findings],
        "gpu_used": result.gpu_used,
        "positive": result.positive_evidence,
        "benign": result.benign,
        "notes": result.notes,
        "details": result.details,
    }


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ExplainResult, ExplainResult, list[bool]]:
    """The sequential and the split reading of ``path``, and whether the split one really split."""
    monkeypatch.setattr(split, "MIN_BYTES", 1 << 62)
    sequential = explain_path(str(path))
    monkeypatch.setattr(split, "MIN_BYTES", 0)
    monkeypatch.setattr(split, "available", lambda: True)
    used: list[bool] = []
    real = split.scan_split

    def spy(*args: Any) -> bool:
        out = real(*args)
        used.append(out)
        return out

    monkeypatch.setattr(split, "scan_split", spy)
    return sequential, explain_path(str(path)), used


def _example(sid: str) -> bytes:
    return (CAT.by_id[sid].example + "\n").encode()


def test_split_reading_equals_sequential_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    middle = [
        _example("LOG-TF-DSO-LOAD"),
        _example("LOG-TF-CUDART-STUB"),
        b"\xff\xfe broken bytes near the middle\n",
        _example("LOG-SMI-NO-DRIVER"),
        _example("LOG-TF-BENIGN-TRT"),
        _example("LOG-TF-CREATED-DEVICE"),
    ]
    tail = b"x" * (1 << 21) + b"\n" + _example("LOG-PT-NOT-COMPILED") + b"the last line has no end"
    path, _ = _log(tmp_path, middle, tail)
    sequential, parallel, used = _both(path, monkeypatch)
    assert used == [True]
    assert _summary(parallel) == _summary(sequential)
    # The lines after the split point keep their real line numbers.
    smi = next(f for f in parallel.findings if f.id == "LOG-SMI-NO-DRIVER")
    number = int(smi.evidence[0].split(":")[1])
    lines = path.read_bytes().split(b"\n")
    assert b"NVIDIA-SMI has failed" in lines[number - 1]
    assert any("line longer than 1 MiB" in note for note in parallel.notes)


def test_a_two_line_signature_across_the_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    head = FILLER * 6000
    question = b">>> torch.cuda.is_available()\n"
    # As long as the head: the file's midpoint falls inside the question, so the second half
    # (the worker's) starts with the answer.
    answer = b"False\n" + b"y" * (len(head) - 7) + b"\n"
    body = head + question + answer
    path = tmp_path / "notebook.log"
    path.write_bytes(body)
    assert split.split_point(str(path), len(body)) == len(head) + len(question)
    sequential, parallel, used = _both(path, monkeypatch)
    assert used == [True]
    # The scanner matched the question and its answer across the halves (the signature sets this
    # context tag); its generic reading then yields to LOG104's.
    assert "no_gpu_found" in parallel.details["context"]
    assert "LOG104" in {f.id for f in parallel.findings}
    assert _summary(parallel) == _summary(sequential)


def test_a_worker_that_fails_is_replaced_by_reading_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = _log(tmp_path, [_example("LOG-TF-DSO-LOAD"), _example("LOG-SMI-NO-DRIVER")])
    monkeypatch.setattr(split, "_worker", lambda *args: os._exit(3))
    sequential, parallel, used = _both(path, monkeypatch)
    assert used == [True]
    assert _summary(parallel) == _summary(sequential)


def test_a_worker_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = _log(tmp_path, [_example("LOG-SMI-NO-DRIVER")])

    def hang(*args: Any) -> None:
        time.sleep(60)
        os._exit(0)

    monkeypatch.setattr(split, "_worker", hang)
    monkeypatch.setattr(split, "MIN_WAIT_S", 0.5)
    monkeypatch.setattr(split, "MIN_RATE", 1 << 40)
    started = time.monotonic()
    sequential, parallel, _ = _both(path, monkeypatch)
    assert time.monotonic() - started < 30
    assert _summary(parallel) == _summary(sequential)


def test_no_fork_means_one_sequential_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = _log(tmp_path, [_example("LOG-SMI-NO-DRIVER")])

    def refuse() -> int:
        raise OSError("fork refused")

    monkeypatch.setattr(os, "fork", refuse)
    sequential, parallel, used = _both(path, monkeypatch)
    assert used == [False]
    assert _summary(parallel) == _summary(sequential)


def test_no_split_without_a_line_end_after_the_middle(tmp_path: Path) -> None:
    path = tmp_path / "one.log"
    path.write_bytes(b"a" * 100 + b"\n" + b"b" * 3000)
    assert split.split_point(str(path), path.stat().st_size) is None


def test_not_available_while_other_threads_run() -> None:
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert split.available() is False
    finally:
        stop.set()
        worker.join()


def test_a_failing_first_half_stops_the_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = _log(tmp_path, [_example("LOG-SMI-NO-DRIVER")])
    monkeypatch.setattr(split, "MIN_BYTES", 0)
    monkeypatch.setattr(split, "available", lambda: True)

    def broken(read: Any, limit: int) -> Any:
        def fail(size: int) -> bytes:
            raise OSError("disk gone")

        return fail

    monkeypatch.setattr(split, "_limited", broken)
    with pytest.raises(OSError, match="disk gone"):
        explain_path(str(path))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
