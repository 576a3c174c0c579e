"""A framework a log shows only as a row of a package listing, beside another runtime it shows at work (accort40, session 40).

A pasted ``pip freeze`` / ``pip list`` / a program's "Main Dependency Versions" lists everything in the environment:
Deep-Live-Cam's and roop's environments hold TensorFlow and PyTorch beside the ONNX Runtime that runs the models
(https://github.com/hacksider/Deep-Live-Cam/blob/main/requirements.txt). A framework named only by such rows, in a log
where another runtime's own lines show it at work, is not the program's runtime: its builds and platform limits (TensorFlow
on native Windows, a TensorFlow release on a GPU newer than its wheels) say nothing about why that runtime left the GPU unused.

Decided here, once (``listed_only``): each line that names the framework is a listing's row (``installstate.listing_row``:
pip freeze's ``name==version``, pip list's and conda list's columns, a table row), no line shows it loaded in a process (an
import, a traceback frame, its own answer about the GPU), and ONNX Runtime's own lines show it at work: its answer about the
GPU (``get_device()``, a provider list), its log lines (``[E:onnxruntime:...]``), InsightFace's "Applied providers", a job's
``execution_providers`` field. Read by ``judge.log_snapshot`` (the framework rules judge the frameworks at work) and LOG147.
"""

from __future__ import annotations

from collections.abc import Sequence

from whygpu import lazyre as re

# The frameworks whose builds the framework rules judge, as their names stand in a line (tensorflow, tensorflow-gpu,
# tf-nightly; torch, torchvision; jax, jaxlib, jax-cuda12-plugin).
_NAMES = {
    "tensorflow": re.compile(r"(?<![\w.-])(?:tensorflow|tf[-_]nightly)", re.I),
    "torch": re.compile(r"(?<![\w.-])(?:torch|pytorch)", re.I),
    "jax": re.compile(r"(?<![\w.-])jax", re.I),
}
# ONNX Runtime's own lines: its logger's severity prefix, InsightFace's list of a session's providers, a job's providers field,
# a provider list printed ("['CUDAExecutionProvider', 'CPUExecutionProvider']").
_ORT_AT_WORK = re.compile(r"\[[EWIV]:onnxruntime:|Applied providers:|execution_providers?\s*=|\[\s*'\w+ExecutionProvider'")


def _runtime_at_work(lines: Sequence[str], ort_answered: bool) -> bool:
    """Whether ONNX Runtime's own lines (or its answer about the GPU) show it at work in the log."""
    return ort_answered or any(_ORT_AT_WORK.search(line) for line in lines
                               if "onnxruntime" in line or "ExecutionProvider" in line or "providers" in line)


def listed_only(lines: Sequence[str], shown: Sequence[str], loaded: Sequence[str], ort_answered: bool) -> list[tuple[str, int]]:
    """(framework, its first row's line number) for each of ``shown`` named only by package listing rows, where ONNX Runtime
    is shown at work; ``loaded`` the frameworks a line shows in a process or answering about the GPU (never listed-only)."""
    from whygpu.explain.installstate import listing_row

    candidates = [fw for fw in shown if fw in _NAMES and fw not in loaded]
    if not candidates or not _runtime_at_work(lines, ort_answered):
        return []
    out: list[tuple[str, int]] = []
    for framework in candidates:
        rows = [number for number, line in enumerate(lines, 1) if _NAMES[framework].search(line)]
        if rows and all(listing_row(lines[n - 1]) for n in rows):
            out.append((framework, rows[0]))
    return out
