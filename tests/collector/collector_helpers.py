"""Shared helpers for the collector tests: the Pythons to run collect.py with, isolated runs, snapshot comparison."""

from __future__ import annotations

import functools
import glob
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cli_runner import _PREFIX, can_unshare
from whygpu.collector.bundle import build_collector


def _version(python: str) -> tuple[int, int] | None:
    try:
        done = subprocess.run([python, "-I", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.fullmatch(r"(\d+)\.(\d+)\s*", done.stdout)
    return (int(match.group(1)), int(match.group(2))) if match else None


@functools.lru_cache(maxsize=1)
def interpreters() -> dict[tuple[int, int], str]:
    """Every CPython 3.x found here (pyenv's versions, pythonX.Y on PATH), by version."""
    candidates = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python3")))
    candidates += [found for minor in range(6, 20) if (found := shutil.which(f"python3.{minor}"))]
    candidates.append(sys.executable)
    found: dict[tuple[int, int], str] = {}
    for python in candidates:
        version = _version(python)
        if version is not None:
            found.setdefault(version, python)
    return found


def oldest_supported() -> str | None:
    """The oldest Python 3.8+ here."""
    supported = sorted(v for v in interpreters() if v >= (3, 8))
    return interpreters()[supported[0]] if supported else None


def newest() -> str:
    """The newest Python here."""
    return interpreters()[max(interpreters())]


@functools.lru_cache(maxsize=1)
def collector_text() -> str:
    """collect.py as ``whygpu collector`` writes it (built once per test process)."""
    return build_collector()


def write_collector(folder: Path) -> Path:
    """collect.py written into ``folder``."""
    path = folder / "collect.py"
    path.write_text(collector_text(), encoding="utf-8")
    return path


def run_isolated(argv: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 180,
                 cwd: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command with no network but loopback (``unshare --net``) where the system allows it."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WHYGPU_TEST_")}
    full_env.setdefault("WHYGPU_IMDS_URL", "http://127.0.0.1:9")
    full_env.update(env or {})
    command = list(argv)
    if can_unshare():
        command = [*_PREFIX, "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"', "sh", *command]
    return subprocess.run(command, capture_output=True, text=True, env=full_env, timeout=timeout, cwd=cwd, check=False)


def comparable(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A snapshot without what differs between two runs on one machine: when, and how long each probe took."""
    data = dict(snapshot)
    data["source"] = {k: v for k, v in data["source"].items() if k != "created"}
    data["probes"] = [{k: v for k, v in probe.items() if k != "seconds"} for probe in data["probes"]]
    return data
