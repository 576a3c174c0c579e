"""Fixtures for the deep-probe tests: a marked environment, and a check that no probe process outlives a test."""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# The helpers beside this file and the shared builders one level up.
sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent.parent)]

from deep_fakes import MARK, processes_with  # noqa: E402


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
