"""The one gateway that starts child processes and kills their process groups.

Commands (``nvidia-smi``, another interpreter's ``python -c``) run through ``SubprocessRunner``:
a timeout, output collected, never raising: a missing program, a timeout or a crash becomes a
``CommandResult``. The ``--deep`` probe children run through ``run_child``: their own session,
output read while they run and kept within limits, the whole process group killed even after a
normal exit (no helper process may outlive the probe), and a check of what survived the kill.
Both kill a group with ``kill_group``. ``monitor``'s job is started by ``start_job``, signalled by
``SignalForwarder`` and waited on by ``ExitWaiter``; nothing else in whygpu imports ``subprocess`` or
calls ``os.kill``, ``os.killpg`` or ``os.pidfd_open`` (tests/core/test_layers.py checks it).
"""

from __future__ import annotations

import _thread
import contextlib
import os
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import field
from typing import IO, TYPE_CHECKING, Any, Protocol

from whygpu.records import record

if TYPE_CHECKING:
    # ``subprocess``, ``signal`` and ``threading`` are imported by the functions that start, read
    # or kill a child: a run that starts none (no nvidia-smi on a machine without a GPU, --root)
    # does not load them.
    import subprocess
    import threading

    # The --deep section's types: imported by ``capture`` only, so that a plain diagnosis never loads them.
    from whygpu.probes import StreamCapture


@record(frozen=True)
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
        import subprocess

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
            kill_group(proc)
            out, err = proc.communicate()
            return CommandResult(
                args, None, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                error=f"timed out after {timeout_s:g} s",
            )
        error = None
        if proc.returncode < 0:
            import signal  # loaded with subprocess already

            error = f"killed by signal {signal.Signals(-proc.returncode).name}"
        return CommandResult(args, proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), error)


class NoCommands:
    """Used under ``--root``: commands would describe this machine, not the tree, so none runs."""

    def run(self, argv: Sequence[str], *, timeout_s: float, env: Mapping[str, str] | None = None) -> CommandResult:
        return CommandResult(tuple(argv), None, "", "", error="not run: diagnosing a filesystem tree (--root)")


def kill_group(proc: subprocess.Popen[bytes], *, fallback: bool = True) -> None:
    """SIGKILL the process group ``proc`` leads (it was started in a new session).

    With ``fallback``, a group that cannot be signalled (gone, or not ours) still gets the
    child itself killed; where there are no process groups (Windows) the child is killed.
    """
    if os.name != "posix":  # pragma: no cover - Windows has no process groups to kill
        with contextlib.suppress(OSError):
            proc.kill()
        return
    import signal  # loaded with subprocess already: whoever has a child to kill started it

    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        if fallback:
            with contextlib.suppress(OSError):
                proc.kill()


# Lines kept per stream: the first ones (where a framework says what it loads) and the last ones
# (where it fails); a line longer than MAX_LINE_CHARS is cut.
HEAD_LINES = 200
TAIL_LINES = 400
MAX_LINE_CHARS = 4000
# A protocol record (one JSON line) may be long: it lists every mapped library.
MAX_RECORD_BYTES = 8 * 1024 * 1024
KILL_GRACE_S = 2.0

_live: set[subprocess.Popen[bytes]] = set()
_live_lock = _thread.allocate_lock()  # threading's own Lock, without importing threading


class LineCapture:
    """Splits a stream into lines as it arrives, keeping the head and the tail, and sets aside protocol records."""

    def __init__(self, marker: str | None = None, *, head: int = HEAD_LINES, tail: int = TAIL_LINES,
                 max_chars: int = MAX_LINE_CHARS) -> None:
        self._marker = (marker + " ").encode() if marker else None
        self._head_limit = head
        self._max_chars = max_chars
        self._head: list[str] = []
        self._tail: deque[str] = deque(maxlen=tail)
        self._partial = bytearray()
        self._skipping = False  # inside an over-long line whose start was already kept
        self._lock = _thread.allocate_lock()
        self.total = 0
        self.cut = 0
        self.records: list[tuple[str, str]] = []

    def feed(self, data: bytes) -> None:
        """Take the next chunk of the stream."""
        with self._lock:
            self._partial += data
            while True:
                end = self._partial.find(b"\n")
                if end < 0:
                    break
                line = bytes(self._partial[:end])
                del self._partial[: end + 1]
                if self._skipping:
                    self._skipping = False
                    continue
                self._line(line)
            limit = MAX_RECORD_BYTES if self._is_record(self._partial) else self._max_chars * 4
            if len(self._partial) > limit and not self._skipping:
                # A line without end (a progress bar, a binary dump): keep its start, drop the rest.
                self._line(bytes(self._partial[:limit]), cut=True)
                self._partial.clear()
                self._skipping = True
            elif self._skipping:
                self._partial.clear()

    def close(self) -> None:
        """The stream ended: keep a last line that had no newline."""
        with self._lock:
            if self._partial and not self._skipping:
                self._line(bytes(self._partial))
            self._partial.clear()

    def _is_record(self, line: bytes | bytearray) -> bool:
        return self._marker is not None and bytes(line[: len(self._marker)]) == self._marker

    def _line(self, raw: bytes, *, cut: bool = False) -> None:
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if self._is_record(raw) and not cut:
            assert self._marker is not None
            kind, _, rest = raw[len(self._marker):].decode("utf-8", "replace").partition(" ")
            self.records.append((kind, rest))
            return
        text = raw.decode("utf-8", "replace")
        if cut or len(text) > self._max_chars:
            text = text[: self._max_chars] + " [line cut by whygpu]"
            self.cut += 1
        self.total += 1
        if len(self._head) < self._head_limit:
            self._head.append(text)
        else:
            self._tail.append(text)

    def capture(self) -> StreamCapture:
        """What was kept, with the real line numbers of the part left out."""
        from whygpu.probes import StreamCapture

        with self._lock:
            lines = self._head + list(self._tail)
            omitted = self.total - len(lines)
            return StreamCapture(
                lines=lines,
                total_lines=self.total,
                omitted_from=len(self._head) + 1 if omitted else None,
                omitted_count=omitted,
                cut_lines=self.cut,
            )


@record
class ChildRun:
    """How a child process went."""

    argv: tuple[str, ...]
    pid: int | None
    returncode: int | None
    signal: str | None
    timed_out: bool
    seconds: float
    stdout: LineCapture
    stderr: LineCapture
    error: str | None = None  # it could not be started
    survivors: list[int] = field(default_factory=list)
    output_complete: bool = True  # False when something outside the group kept its pipes open


def run_child(argv: Sequence[str], *, env: Mapping[str, str], cwd: str, timeout_s: float,
              marker: str | None = None, cancel: threading.Event | None = None) -> ChildRun:
    """Run ``argv`` in a new session; after ``timeout_s`` or its exit, kill its process group.

    ``cancel`` set (whygpu is being interrupted) means: do not start, or stop at once.
    """
    import subprocess

    args = tuple(argv)
    out, err = LineCapture(marker), LineCapture()
    start = time.monotonic()
    if cancel is not None and cancel.is_set():
        return ChildRun(args, None, None, None, False, 0.0, out, err, error="not started: whygpu was interrupted")
    try:
        proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=dict(env), cwd=cwd, close_fds=True, **_session_options(),
        )
    except OSError as exc:
        return ChildRun(args, None, None, None, False, 0.0, out, err,
                        error=f"could not start {args[0]}: {exc.strerror or exc}")
    with _live_lock:
        _live.add(proc)
    if cancel is not None and cancel.is_set():
        # Interrupted while starting: kill_all() may have run before this child was registered.
        terminate_group(proc)
    assert proc.stdout is not None and proc.stderr is not None
    pipes = [proc.stdout, proc.stderr]
    pipe_ids = _pipe_ids(pipes)
    import threading

    readers = [
        threading.Thread(target=_pump, args=(proc.stdout, out), daemon=True, name=f"whygpu-deep-out-{proc.pid}"),
        threading.Thread(target=_pump, args=(proc.stderr, err), daemon=True, name=f"whygpu-deep-err-{proc.pid}"),
    ]
    for reader in readers:
        reader.start()
    timed_out = False
    try:
        proc.wait(timeout=max(timeout_s, 0.0))
    except subprocess.TimeoutExpired:
        timed_out = True
    finally:
        # Always: helpers the child started die with it, whether it hung, crashed or returned.
        survivors = terminate_group(proc)
        with _live_lock:
            _live.discard(proc)
    seconds = time.monotonic() - start
    complete = _join(readers, KILL_GRACE_S)
    if not complete:
        # A descendant that left the group (setsid) still holds the pipes: find it by them.
        escaped = _pipe_holders(pipe_ids)
        for pid in escaped:
            _kill(pid)
        complete = _join(readers, KILL_GRACE_S)
        # Its pipes close while it is still exiting: wait (bounded) until it has, so that nothing
        # of the probe is still running when this returns.
        survivors += _wait_exited(escaped, time.monotonic() + KILL_GRACE_S)
    if complete:
        for pipe in pipes:
            pipe.close()
    code = proc.returncode
    name = _signal_name(-code) if code is not None and code < 0 else None
    return ChildRun(args, proc.pid, code, name, timed_out, seconds, out, err,
                    survivors=survivors, output_complete=complete)


def terminate_group(proc: subprocess.Popen[bytes]) -> list[int]:
    """SIGKILL the child's process group, reap the child, and return the pids that are still alive."""
    import subprocess

    kill_group(proc, fallback=False)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=KILL_GRACE_S)
    deadline = time.monotonic() + KILL_GRACE_S
    while True:
        alive = group_members(proc.pid)
        if proc.returncode is None and proc.pid not in alive:
            alive.append(proc.pid)
        if not alive or time.monotonic() >= deadline:
            return sorted(alive)
        time.sleep(0.02)


def kill_all() -> None:
    """Kill every child still running (whygpu itself is being interrupted)."""
    with _live_lock:
        live = list(_live)
    for proc in live:
        terminate_group(proc)


def _exited(pid: int) -> bool:
    """True when ``pid`` no longer runs (gone, or a zombie); where there is no /proc, assumed so."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode("ascii", "replace")
    except OSError:
        return True
    fields = stat[stat.rfind(")") + 2:].split()
    return bool(fields) and fields[0] in ("Z", "X")


def _wait_exited(pids: list[int], deadline: float) -> list[int]:
    """Wait until every pid has exited or ``deadline`` passes; the ones still running."""
    while True:
        running = [pid for pid in pids if not _exited(pid)]
        if not running or time.monotonic() >= deadline:
            return running
        time.sleep(0.02)


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes in process group ``pgid``, read from /proc; empty where there is no /proc."""
    members: list[int] = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return members
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read().decode("ascii", "replace")
        except OSError:
            continue
        # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) >= 3 and fields[0] not in ("Z", "X") and fields[2] == str(pgid):
            members.append(int(entry))
    return members


def _session_options() -> dict[str, Any]:
    if os.name == "posix":
        return {"start_new_session": True}
    import subprocess  # pragma: no cover

    return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}  # pragma: no cover


def _pump(pipe: IO[bytes], capture: LineCapture) -> None:
    fd = pipe.fileno()
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        capture.feed(data)
    capture.close()


def _join(threads: list[threading.Thread], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return not any(thread.is_alive() for thread in threads)


def _pipe_ids(pipes: list[IO[bytes]]) -> set[str]:
    ids: set[str] = set()
    for pipe in pipes:
        with contextlib.suppress(OSError):
            ids.add(f"pipe:[{os.fstat(pipe.fileno()).st_ino}]")
    return ids


def _pipe_holders(pipe_ids: set[str]) -> list[int]:
    """Processes other than this one holding one of our pipes (only our descendants can have inherited it)."""
    holders: list[int] = []
    me = str(os.getpid())
    try:
        entries = os.listdir("/proc")
    except OSError:
        return holders
    for entry in entries:
        if not entry.isdigit() or entry == me:
            continue
        try:
            fds = os.listdir(f"/proc/{entry}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(f"/proc/{entry}/fd/{fd}")
            except OSError:
                continue
            if target in pipe_ids:
                holders.append(int(entry))
                break
    return holders


def _kill(pid: int) -> None:
    import signal

    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


def _signal_name(number: int) -> str:
    import signal

    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def start_helper(argv: Sequence[str]) -> subprocess.Popen[bytes]:
    """Start a long-lived helper child (the NVML sampler): its own session, stdin and stdout pipes, stderr dropped.

    Raises ``OSError`` when it cannot start; the caller turns that into a value.
    """
    import subprocess

    return subprocess.Popen(list(argv), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            start_new_session=True, bufsize=0)


def start_job(argv: Sequence[str]) -> subprocess.Popen[bytes]:
    """Start the user's command for ``monitor``: it inherits whygpu's stdin, stdout and stderr, untouched.

    It stays in whygpu's session and process group, so a terminal's Ctrl-C reaches it as it would
    without whygpu. Raises ``OSError`` (``FileNotFoundError``, ``PermissionError``) when it cannot start.
    """
    import subprocess

    return subprocess.Popen(list(argv))


def wait_exit(proc: subprocess.Popen[bytes], timeout_s: float) -> int | None:
    """``proc``'s exit status if it ends within ``timeout_s`` seconds, else None (it keeps running)."""
    import subprocess

    try:
        return proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return None


def send_signal(pid: int, signum: int) -> bool:
    """Send ``signum`` to the process ``pid`` (a job whygpu started); False when it is gone or not ours."""
    try:
        os.kill(pid, signum)
    except OSError:
        return False
    return True


def terminal_signalled_group() -> bool:
    """True when whygpu runs in the terminal's foreground process group: a Ctrl-C there reached every process of the group."""
    try:
        return os.isatty(0) and os.tcgetpgrp(0) == os.getpgrp()
    except OSError:
        return False


class SignalForwarder:
    """Forwards the SIGINT and SIGTERM whygpu receives to the job it started (``start_job``) while installed.

    A keyboard SIGINT is not forwarded: the terminal already sent it to the whole foreground group,
    the job included (``start_job`` keeps the job in whygpu's group).  ``signal`` is loaded here,
    by the one command that forwards signals.
    """

    def __init__(self) -> None:
        self.pid: int | None = None
        self.received: list[int] = []
        self._old: dict[int, Any] = {}

    @staticmethod
    def signals() -> tuple[int, int]:
        """The signals forwarded: SIGINT and SIGTERM."""
        import signal

        return (int(signal.SIGINT), int(signal.SIGTERM))

    def install(self) -> None:
        """Take over SIGINT and SIGTERM."""
        import signal

        for sig in self.signals():
            self._old[sig] = signal.signal(sig, self._handle)

    def restore(self) -> None:
        """Give SIGINT and SIGTERM back to their previous handlers."""
        import signal

        for sig, old in self._old.items():
            signal.signal(sig, old)

    def attach(self, pid: int) -> None:
        """Forward to the job ``pid`` from now on, and the signals that came while it was starting.

        A signal can arrive between the job's start and this call (the job is already running, its
        PID not yet known here): it was recorded, not lost, and goes to the job now.
        """
        self.pid = pid
        for signum in list(self.received):
            self._forward(signum)

    def _handle(self, signum: int, _frame: object) -> None:
        self.received.append(signum)
        if self.pid is not None:
            self._forward(signum)

    def _forward(self, signum: int) -> None:
        import signal

        assert self.pid is not None
        if signum == signal.SIGINT and terminal_signalled_group():
            return  # Ctrl-C: the terminal signalled the whole foreground group, the job included
        send_signal(self.pid, signum)


class ExitWaiter:
    """Sleeps until the next tick or the job's exit, whichever comes first (a pidfd where the kernel has one)."""

    def __init__(self, job: subprocess.Popen[bytes]) -> None:
        self.job = job
        self.fd: int | None = None
        try:
            self.fd = os.pidfd_open(job.pid)  # type: ignore[attr-defined,unused-ignore]
        except (AttributeError, OSError):
            self.fd = None

    def close(self) -> None:
        """Release the pidfd."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def wait(self, delay: float) -> None:
        """Return after ``delay`` seconds, or as soon as the job exits."""
        if self.fd is not None:
            import select

            try:
                select.select([self.fd], [], [], delay)
                return
            except (OSError, ValueError):
                self.fd = None
            except InterruptedError:
                return
        wait_exit(self.job, delay)
