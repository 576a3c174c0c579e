"""Runs external commands with a timeout, never raising: a missing program, a timeout or a crash becomes a result."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class CommandResult:
    """What a command did: exit status (None when it never ran or timed out), output, and why it failed."""

    argv: tuple[str, ...]
    returncode: int | None
    stdout: str
    stderr: str
    error: str | None = None  # "not found", "timed out after 5 s", "permission denied", ...

    @property
    def ok(self) -> bool:
        return self.error is None and self.returncode == 0


class CommandRunner(Protocol):
    """Something that runs a command with a timeout."""

    def run(self, argv: Sequence[str], *, timeout_s: float, env: Mapping[str, str] | None = None) -> CommandResult: ...


class SubprocessRunner:
    """Runs commands for real, in their own process group, killed with the group on timeout."""

    def run(self, argv: Sequence[str], *, timeout_s: float, env: Mapping[str, str] | None = None) -> CommandResult:
        args = tuple(argv)
        try:
            proc = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=dict(env) if env is not None else None,
                start_new_session=True,
            )
        except FileNotFoundError:
            return CommandResult(args, None, "", "", error="not found")
        except PermissionError:
            return CommandResult(args, None, "", "", error="permission denied")
        except OSError as exc:
            return CommandResult(args, None, "", "", error=f"could not start: {exc.strerror or exc}")
        try:
            out, err = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            out, err = proc.communicate()
            return CommandResult(
                args, None, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                error=f"timed out after {timeout_s:g} s",
            )
        error = None
        if proc.returncode < 0:
            error = f"killed by signal {signal.Signals(-proc.returncode).name}"
        return CommandResult(args, proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), error)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


class NoCommands:
    """Used under ``--root``: commands would describe this machine, not the tree, so none runs."""

    def run(self, argv: Sequence[str], *, timeout_s: float, env: Mapping[str, str] | None = None) -> CommandResult:
        return CommandResult(tuple(argv), None, "", "", error="not run: diagnosing a filesystem tree (--root)")
