"""Runs the real ``whygpu`` command in a child process, inside ``unshare --net`` when the system allows it.

A new network namespace has only a loopback device, so nothing the CLI does can reach any
address but 127.0.0.1/::1 — the guarantee the network rule asks for.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass
class CliResult:
    """Exit code and output of one CLI run."""

    code: int
    stdout: str
    stderr: str
    isolated: bool  # True when it ran in its own network namespace


@functools.lru_cache(maxsize=1)
def can_unshare() -> bool:
    """True when ``unshare --net`` works here (root, or user namespaces allowed)."""
    for prefix in (["unshare", "--net"], ["unshare", "--net", "--map-root-user"]):
        try:
            done = subprocess.run([*prefix, "true"], capture_output=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            _PREFIX[:] = prefix
            return True
    return False


_PREFIX: list[str] = []


def run_whygpu(args: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 120,
               stdin: str | None = None, cwd: str | None = None) -> CliResult:
    """Run ``python -m whygpu ARGS`` (isolated from the network when possible)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WHYGPU_TEST_")}
    # Never the real metadata service, even if a test forgot --offline: a closed loopback port.
    full_env.setdefault("WHYGPU_IMDS_URL", "http://127.0.0.1:9")
    full_env.update(env or {})
    argv = [sys.executable, "-m", "whygpu", *args]
    isolated = can_unshare()
    if isolated:
        argv = [*_PREFIX, "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"', "sh", *argv]
    done = subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=timeout, input=stdin, cwd=cwd)
    return CliResult(done.returncode, done.stdout, done.stderr, isolated)
