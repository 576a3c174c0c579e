"""Bad and unusual input: missing, unreadable, binary, empty, compressed, UTF-16, huge lines, job folders, stdin."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
from pathlib import Path

import pytest

from whygpu.cli import main
from whygpu.errors import UserError
from whygpu.explain import explain_lines, explain_path

FAIL = "2020-08-08 23:41:49.327601: W tensorflow/stream_executor/platform/default/dso_loader.cc:59] Could not load dynamic library 'libcudart.so.10.1'; dlerror: libcudart.so.10.1: cannot open shared object file: No such file or directory\n"
USED = "2021-08-28 11:45:41.852167: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1418] Created TensorFlow device (/job:localhost/replica:0/task:0/device:GPU:0 with 14648 MB memory) -> physical GPU\n"


def _codes(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.cause for f in result.findings]


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"no such file"):
        explain_path(str(tmp_path / "nope.log"))


def test_cli_missing_file_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(tmp_path / "nope.log")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.log" in err and "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_permission_denied(tmp_path: Path) -> None:
    log = tmp_path / "secret.log"
    log.write_text(FAIL)
    log.chmod(0)
    with pytest.raises(UserError, match="permission denied"):
        explain_path(str(log))


def test_binary_file_is_refused_alone_and_skipped_in_a_folder(tmp_path: Path) -> None:
    blob = tmp_path / "core.log"
    blob.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(UserError, match="binary"):
        explain_path(str(blob))
    (tmp_path / "std_log.txt").write_text(FAIL)
    result = explain_path(str(tmp_path))
    assert "CUDA_LIBS_MISMATCH" in _codes(result) or "CUDA_LIBS_MISSING" in _codes(result)
    assert any("core.log" in n and "binary" in n for n in result.notes)


def test_empty_file_gives_a_note_and_no_verdict(tmp_path: Path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    result = explain_path(str(empty))
    assert result.gpu_used is None and result.findings == []
    assert any("empty" in n for n in result.notes)


@pytest.mark.parametrize("opener", [gzip.open, bz2.open, lzma.open], ids=["gzip", "bz2", "xz"])
def test_compressed_logs_are_read(tmp_path: Path, opener) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "std_log.txt.z"
    with opener(path, "wb") as handle:
        handle.write(("epoch 1 loss 0.5\n" * 1000 + FAIL).encode())
    result = explain_path(str(path))
    assert "CUDA_LIBS_MISSING" in _codes(result)
    assert result.findings[0].evidence[0].startswith(f"{path}:1001:")


def test_damaged_gzip_is_a_user_error(tmp_path: Path) -> None:
    path = tmp_path / "log.gz"
    data = gzip.compress((FAIL * 2000).encode())
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError, match=r"damaged|not a valid"):
        explain_path(str(path))


def test_utf16_log_from_powershell(tmp_path: Path) -> None:
    path = tmp_path / "out.log"
    path.write_bytes(("\ufeff" + FAIL).encode("utf-16-le"))
    result = explain_path(str(path))
    assert "CUDA_LIBS_MISSING" in _codes(result)
    assert any("UTF-16" in n for n in result.notes)


def test_invalid_utf8_is_replaced_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "latin1.log"
    path.write_bytes(b"caf\xe9 " + FAIL.encode())
    result = explain_path(str(path))
    assert "CUDA_LIBS_MISSING" in _codes(result)
    assert any("not UTF-8" in n for n in result.notes)


def test_megabyte_lines_are_read_in_pieces(tmp_path: Path) -> None:
    path = tmp_path / "bar.log"
    bar = "\r".join(f"{i}%|####| {i}/100 [00:01<00:02, 3.2it/s]" for i in range(60000))
    path.write_text(bar + "RuntimeError: CUDA error: no kernel image is available for execution on the device\n" + FAIL)
    assert path.stat().st_size > 2 << 20
    result = explain_path(str(path))
    codes = _codes(result)
    assert "GPU_NOT_SUPPORTED" in codes and "CUDA_LIBS_MISSING" in codes
    assert any("longer than 1 MiB" in n for n in result.notes)
    assert any(e.startswith(f"{path}:2:") for f in result.findings for e in f.evidence)


def test_azure_ml_job_folder(tmp_path: Path) -> None:
    (tmp_path / "user_logs").mkdir()
    (tmp_path / "system_logs" / "lifecycler").mkdir(parents=True)
    (tmp_path / "azureml-logs").mkdir()
    (tmp_path / "user_logs" / "std_log.txt").write_text("starting\n" + FAIL)
    (tmp_path / "user_logs" / "std_log_process_1.txt").write_text(USED)
    (tmp_path / "system_logs" / "lifecycler" / "execution-wrapper.log").write_text("ok\n")
    (tmp_path / "azureml-logs" / "70_driver_log.txt").write_text("legacy driver log\n")
    result = explain_path(str(tmp_path))
    assert result.sources[:2] == ["user_logs/std_log.txt", "user_logs/std_log_process_1.txt"]
    assert "azureml-logs/70_driver_log.txt" in result.sources
    assert any(e.startswith("user_logs/std_log.txt:2:") for f in result.findings for e in f.evidence)


def test_folder_without_logs_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"\0" * 10)
    with pytest.raises(UserError, match="no log files"):
        explain_path(str(tmp_path))


def test_thousands_of_files_are_capped_with_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import whygpu.explain.sources as sources

    monkeypatch.setattr(sources, "MAX_FILES", 50)
    for i in range(1200):
        (tmp_path / f"rank{i:04d}.log").write_text("step 1\n")
    (tmp_path / "rank0000.log").write_text(FAIL)
    result = explain_path(str(tmp_path))
    assert len(result.sources) == 50
    assert any("first 50 of 1200" in n for n in result.notes)


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.BytesIO(FAIL.encode())
    result = explain_path("-", stdin=stream)
    assert result.sources == ["<stdin>"] and "CUDA_LIBS_MISSING" in _codes(result)


def test_cli_reads_stdin_and_sets_exit_codes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    class _Stdin:
        buffer = io.BytesIO(FAIL.encode())

    monkeypatch.setattr("sys.stdin", _Stdin())
    assert main(["explain", "-", "--json"]) == 1
    assert '"kind": "logs"' in capsys.readouterr().out
    _Stdin.buffer = io.BytesIO(USED.encode())
    assert main(["explain", "-"]) == 0


def test_explain_lines_keeps_line_numbers() -> None:
    result = explain_lines(["hello", FAIL.rstrip("\n"), "bye"], source="probe")
    assert result.findings[0].evidence[0].startswith("probe:2:")


def test_two_line_repl_answer() -> None:
    result = explain_lines([">>> import torch", ">>> torch.cuda.is_available()", "False"])
    # The generic signature yields to LOG104, which reads the same answer with the ranking for PyTorch.
    assert result.findings and result.findings[0].id == "LOG104"
    assert "torch.cuda.is_available() ⏎ False" in result.findings[0].evidence[0]
    assert result.gpu_used is False
