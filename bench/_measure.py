"""Shared benchmark helpers: run commands interleaved, measure wall time and peak RSS per run (os.wait4)."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Series:
    """Wall times (s) and peak RSS (MiB) of repeated runs of one command."""

    name: str
    argv: Sequence[str]
    times: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak(self) -> float:
        return max(self.peak_mib)


def run_once(argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(seconds, peak RSS in MiB, exit code) of one run, output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024.0, proc.returncode


def run_measured(argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds user+system, peak RSS in MiB, exit code) of one run, output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, os.waitstatus_to_exitcode(status)


def interleave(series: list[Series], repeats: int, env: dict[str, str] | None = None) -> None:
    """Run every command once per round, ``repeats`` rounds, so machine noise hits all alike."""
    for s in series:  # warm-up: page cache, .pyc files
        run_once(s.argv, env)
    for _ in range(repeats):
        for s in series:
            seconds, peak, code = run_once(s.argv, env)
            s.times.append(seconds)
            s.peak_mib.append(peak)
            s.exit_codes.append(code)


def table(series: list[Series], baseline: Series) -> str:
    """A Markdown table: median time, ratio to the baseline, peak RSS."""
    lines = ["| command | median s | vs baseline | peak RSS MiB |", "|---|---|---|---|"]
    for s in series:
        ratio = s.median / baseline.median
        lines.append(f"| {s.name} | {s.median:.3f} | {ratio:.3f}x | {s.peak:.0f} |")
    return "\n".join(lines)
