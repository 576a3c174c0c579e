"""A real single-node Slurm (munged, slurmctld, slurmd) started as root in a temporary folder, for the recipe test."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DAEMONS = ("munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol")


def missing_reason() -> str | None:
    """Why a real Slurm cannot be started here, or None when it can."""
    if os.geteuid() != 0:
        return "the Slurm daemons are started as root"
    absent = [name for name in DAEMONS if shutil.which(name) is None and not Path(f"/usr/sbin/{name}").exists()]
    if absent:
        return f"not installed: {', '.join(absent)} (Debian: apt-get install slurm-wlm munge)"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _binary(name: str) -> str:
    return shutil.which(name) or f"/usr/sbin/{name}"


@dataclass
class SlurmCluster:
    """A running cluster: its folder and the environment that points the client commands at it."""

    folder: Path
    env: dict[str, str]
    node: str

    def run(self, *argv: str, timeout_s: float = 30.0) -> subprocess.CompletedProcess[str]:
        """Run a Slurm client command against this cluster."""
        return subprocess.run(list(argv), env=self.env, capture_output=True, text=True, timeout=timeout_s, check=False)

    def logs(self) -> str:
        """Every daemon's log, for a failure message."""
        parts = []
        for log in sorted((self.folder / "log").glob("*")):
            parts.append(f"== {log.name}\n{log.read_text(errors='replace')[-3000:]}")
        return "\n".join(parts)


_CONF = """\
ClusterName=whygpu-test
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={d_port}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={folder}/munge.sock
CredType=cred/munge
StateSaveLocation={folder}/state
SlurmdSpoolDir={folder}/spool
SlurmctldPidFile={folder}/slurmctld.pid
SlurmdPidFile={folder}/slurmd.pid
SlurmctldLogFile={folder}/log/slurmctld.log
SlurmdLogFile={folder}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/linear
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
SlurmdTimeout=30
NodeName={node} NodeHostname={hostname} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
PartitionName=whygpu Nodes={node} Default=YES MaxTime=INFINITE State=UP
"""


@contextlib.contextmanager
def slurm_cluster(*, start_timeout_s: float = 60.0) -> Iterator[SlurmCluster]:
    """Start munged, slurmctld and slurmd for one node in a new folder; stop them (and only them) and remove it on exit."""
    # A short folder: slurmstepd and munged make Unix sockets in it, and a socket path has at
    # most 108 bytes (pytest's tmp_path under xdist is longer than that allows).
    folder = Path(tempfile.mkdtemp(prefix="whygpu-slurm-"))
    try:
        with _cluster_in(folder, start_timeout_s) as cluster:
            yield cluster
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _cluster_in(folder: Path, start_timeout_s: float) -> Iterator[SlurmCluster]:
    for sub in ("state", "spool", "log"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    key = folder / "munge.key"
    key.write_bytes(os.urandom(1024))
    key.chmod(0o600)
    hostname = socket.gethostname()
    node = "whygpu-node"
    conf = folder / "slurm.conf"
    conf.write_text(_CONF.format(host=hostname, ctld_port=_free_port(), d_port=_free_port(), folder=folder,
                                 node=node, hostname=hostname, cpus=1))
    env = {**os.environ, "SLURM_CONF": str(conf)}
    started: list[subprocess.Popen[bytes]] = []

    def start(argv: list[str], log: str) -> None:
        with open(folder / "log" / log, "wb") as out:
            started.append(subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True))

    try:
        start([_binary("munged"), "-F", "-f", f"--socket={folder}/munge.sock", f"--key-file={key}",
               f"--pid-file={folder}/munged.pid", f"--seed-file={folder}/munged.seed",
               f"--log-file={folder}/log/munged.log"], "munged.out")
        _wait(lambda: (folder / "munge.sock").exists(), 10.0)
        start([_binary("slurmctld"), "-D", "-c", "-f", str(conf)], "slurmctld.out")
        start([_binary("slurmd"), "-D", "-N", node, "-f", str(conf)], "slurmd.out")
        cluster = SlurmCluster(folder, env, node)

        def node_idle() -> bool:
            try:
                state = cluster.run(_binary("sinfo"), "-h", "-n", node, "-o", "%T", timeout_s=10).stdout.strip()
            except subprocess.TimeoutExpired:
                return False
            return state.startswith("idle")

        if not _wait(node_idle, start_timeout_s):
            raise RuntimeError(f"the Slurm node did not become idle in {start_timeout_s:g} s\n{cluster.logs()}")
        yield cluster
    finally:
        for process in reversed(started):
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def _wait(condition: object, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.5)
    return False
