"""The monitored process tree, read from ``/proc``: its PIDs (children included), CPU time and interpreter."""

from __future__ import annotations

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
        except OSError:
            return
        if os.path.basename(exe).startswith("python"):
            self._exe_seen.add(pid)
            if exe not in self.interpreters:
                self.interpreters.append(exe)

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
