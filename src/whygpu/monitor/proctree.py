"""The monitored process tree, read from ``/proc``: its PIDs (children included), CPU time and interpreter."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class TreeSample:
    """The tree at one moment."""

    pids: frozenset[int]
    cpu_seconds: float | None
    alive: bool


class ProcessTree:
    """Reads one process and its descendants; cheap enough for every sample (no full /proc scan when ``children`` exists)."""

    def __init__(self, root_pid: int, proc: str = "/proc") -> None:
        self.root_pid = root_pid
        self.proc = proc
        self.ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self.interpreters: list[str] = []
        self._children_file: bool | None = None
        self._exe_seen: set[int] = set()

    def sample(self) -> TreeSample:
        """The PIDs of the tree, their CPU seconds (finished children included), and whether the root lives."""
        root_stat = self._stat(self.root_pid)
        if root_stat is None:
            return TreeSample(frozenset(), None, False)
        pids = self._descendants()
        cpu = 0.0
        for pid in pids:
            stat = root_stat if pid == self.root_pid else self._stat(pid)
            if stat is None:
                continue
            # utime stime cutime cstime: fields 14-17 (1-based); cutime/cstime count reaped children.
            cpu += sum(int(x) for x in stat[11:15]) / self.ticks
            if pid not in self._exe_seen:
                # Re-read until it is Python: a forked child runs its parent's program until it execs.
                self._note_interpreter(pid)
        return TreeSample(frozenset(pids), cpu, root_stat[0] not in ("Z", "X"))

    def visible(self, pid: int) -> bool:
        """True when ``pid`` exists in this PID namespace (NVML's host PIDs in a container do not)."""
        return os.path.exists(f"{self.proc}/{pid}")

    def interpreter(self) -> str | None:
        """The first Python interpreter seen in the tree (``/proc/PID/exe``), for the doctor."""
        return self.interpreters[0] if self.interpreters else None

    def _note_interpreter(self, pid: int) -> None:
        try:
            exe = os.readlink(f"{self.proc}/{pid}/exe")
            with open(f"{self.proc}/{pid}/cmdline", "rb") as handle:
                cmdline = handle.read()
        except OSError:
            return
        if not os.path.basename(exe).startswith("python") or self._copy_of_parent(pid, exe, cmdline):
            return
        argv0 = cmdline.split(b"\0", 1)[0].decode("utf-8", "replace")
        if not argv0:
            # Mid-exec the kernel has the new program but not yet its arguments (an empty command
            # line): the path it was launched as is not known yet. Read it again at the next sample.
            return
        self._exe_seen.add(pid)
        path = self._launched_as(pid, exe, argv0)
        if path not in self.interpreters:
            self.interpreters.append(path)

    def _copy_of_parent(self, pid: int, exe: str, cmdline: bytes) -> bool:
        """True while ``pid`` is a fork that has not exec'd yet: the same program and command line as its parent.

        A job is started by fork then exec; read between the two, it is a copy of whoever started
        it (whygpu itself, a shell, a test runner), whose interpreter is not the job's. It is read
        again at the next sample. A Python job's own forked workers are copies of the job, which is
        in the tree and recorded already.
        """
        stat = self._stat(pid)
        if stat is None or len(stat) < 2:
            return False
        parent = stat[1]
        try:
            if os.readlink(f"{self.proc}/{parent}/exe") != exe:
                return False
            with open(f"{self.proc}/{parent}/cmdline", "rb") as theirs:
                return cmdline == theirs.read()
        except OSError:
            return False

    def _launched_as(self, pid: int, exe: str, argv0: str) -> str:
        """The interpreter path the process was started with (a venv's ``bin/python``), else ``exe``.

        ``/proc/PID/exe`` resolves a virtual environment's symlink to the base interpreter, whose
        site-packages are not the job's: the doctor must look at the path the job ran.
        """
        candidates: list[str] = []
        if os.sep in argv0:
            if os.path.isabs(argv0):
                candidates.append(argv0)
            else:
                with contextlib.suppress(OSError):
                    candidates.append(os.path.join(os.readlink(f"{self.proc}/{pid}/cwd"), argv0))
        else:
            for directory in self._path_of(pid):
                candidates.append(os.path.join(directory, argv0))
        real = os.path.realpath(exe)
        for candidate in candidates:
            if os.path.exists(candidate) and os.path.realpath(candidate) == real:
                return os.path.normpath(candidate)
        return exe

    def _path_of(self, pid: int) -> list[str]:
        try:
            with open(f"{self.proc}/{pid}/environ", "rb") as handle:
                for item in handle.read().split(b"\0"):
                    if item.startswith(b"PATH="):
                        return [d for d in item[5:].decode("utf-8", "replace").split(os.pathsep) if d]
        except OSError:
            pass
        return []

    def _stat(self, pid: int) -> list[str] | None:
        try:
            with open(f"{self.proc}/{pid}/stat", encoding="ascii", errors="replace") as handle:
                text = handle.read()
        except OSError:
            return None
        # The command name (field 2) may hold spaces and parentheses: split after the last ')'.
        return text.rpartition(")")[2].split()

    def _descendants(self) -> set[int]:
        found = {self.root_pid}
        if self._children_file is not False:
            todo = [self.root_pid]
            ok = False
            while todo:
                pid = todo.pop()
                try:
                    tasks = os.listdir(f"{self.proc}/{pid}/task")
                except OSError:
                    continue
                for task in tasks:
                    try:
                        with open(f"{self.proc}/{pid}/task/{task}/children", encoding="ascii") as handle:
                            kids = [int(k) for k in handle.read().split()]
                        ok = True
                    except (OSError, ValueError):
                        continue
                    for kid in kids:
                        if kid not in found:
                            found.add(kid)
                            todo.append(kid)
            if ok:
                self._children_file = True
                return found
            self._children_file = False
        parents: dict[int, int] = {}
        for name in os.listdir(self.proc):
            if name.isdigit():
                stat = self._stat(int(name))
                if stat is not None and len(stat) > 1:
                    parents[int(name)] = int(stat[1])
        changed = True
        while changed:
            changed = False
            for pid, ppid in parents.items():
                if ppid in found and pid not in found:
                    found.add(pid)
                    changed = True
        return found
