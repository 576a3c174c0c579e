"""Fixtures for the deep-probe tests: a marked environment, and a check that no probe process outlives a test."""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))

MARK = "WHYGPU_TEST_RUN"


def processes_with(token: str) -> list[int]:
    """Live (not zombie) processes whose environment carries ``token``: every probe child and what it started."""
    found: list[int] = []
    needle = f"{MARK}={token}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            environ = Path(f"/proc/{entry}/environ").read_bytes()
            stat = Path(f"/proc/{entry}/stat").read_text(errors="replace")
        except OSError:
            continue
        state = stat[stat.rfind(")") + 2:].split()[:1]
        if needle in environ.split(b"\0") and state and state[0] not in ("Z", "X"):
            found.append(int(entry))
    return found


@pytest.fixture
def environ() -> Iterator[dict[str, str]]:
    """The environment handed to the probes, marked so that any process they leave behind can be found."""
    token = uuid.uuid4().hex
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), MARK: token}
    yield env
    if not Path("/proc").is_dir():
        return
    # Processes are gone once whygpu returns; a short wait only covers the kernel finishing an exit.
    deadline = time.monotonic() + 2.0
    left = processes_with(token)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = processes_with(token)
    for pid in left:
        os.kill(pid, 9)
    assert not left, f"probe processes left behind: {left}"
