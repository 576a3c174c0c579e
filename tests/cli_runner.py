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
    argv, isolated = _argv(args)
    done = subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=timeout, input=stdin, cwd=cwd)
    return CliResult(done.returncode, done.stdout, done.stderr, isolated)


def _argv(args: Sequence[str]) -> tuple[list[str], bool]:
    argv = [sys.executable, "-m", "whygpu", *args]
    isolated = can_unshare()
    if isolated:
        argv = [*_PREFIX, "sh", "-c", 'ip link set lo up 2>/dev/null; exec "$@"', "sh", *argv]
    return argv, isolated


def run_whygpu_tty(args: Sequence[str], *, env: Mapping[str, str] | None = None, timeout: float = 120,
                   columns: int = 100, typed: bytes = b"") -> CliResult:
    """Run ``python -m whygpu ARGS`` with a pseudo-terminal as stdin and stdout (as a user at a terminal does).

    Standard error stays a pipe, so that what is said there can be checked apart; ``typed`` is what the
    user types (``b"\\x04"`` is Ctrl-D), sent once whygpu has said something on standard error.
    """
    import fcntl
    import pty
    import select
    import struct
    import termios
    import time

    full_env = {k: v for k, v in os.environ.items() if not k.startswith("WHYGPU_TEST_") and k not in ("NO_COLOR", "FORCE_COLOR")}
    full_env.setdefault("WHYGPU_IMDS_URL", "http://127.0.0.1:9")
    full_env.pop("COLUMNS", None)
    full_env.update(env or {})
    argv, isolated = _argv(args)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=full_env)
    os.close(slave)
    out = b""
    err = b""
    deadline = time.monotonic() + timeout
    assert proc.stderr is not None
    watched: list[object] = [master, proc.stderr]
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select(watched, [], [], 0.1)
            if proc.stderr in ready:
                chunk = os.read(proc.stderr.fileno(), 65536)
                if not chunk:
                    watched.remove(proc.stderr)
                err += chunk
                if typed and chunk:
                    os.write(master, typed)
                    typed = b""
            if master in ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal (EIO on Linux)
                    break
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
        else:
            proc.kill()
        err += proc.stderr.read()
        code = proc.wait(timeout=10)
    finally:
        os.close(master)
        proc.stderr.close()
    return CliResult(code, out.decode("utf-8", "replace").replace("\r\n", "\n"), err.decode("utf-8", "replace"), isolated)
