"""Collects whether we run in a container (cgroup v1 or v2), which runtime, and what of the GPU was passed in."""

from __future__ import annotations

import re
from typing import Any

from whygpu.collect import fsread
from whygpu.collect.interface import Machine
from whygpu.facts import Fact, Unavailable
from whygpu.knowledge.machine_markers import machine_markers
from whygpu.records import record
from whygpu.redact import redact_value
from whygpu.snapshot import ContainerFacts

PROBE = "container"

# When several runtimes leave traces (a Kubernetes pod runs on containerd or docker), the
# outermost orchestrator names the container.
_RUNTIME_ORDER = ("kubernetes", "podman", "docker", "containerd", "lxc")
# Bind mounts every OCI runtime makes from a per-container host directory; the host path in
# mountinfo's "root" field names the runtime even when cgroup v2 namespaces hide the cgroup.
_BIND_MOUNTED = ("/etc/hostname", "/etc/hosts", "/etc/resolv.conf")
_OCTAL = r"\\([0-7]{3})"  # compiled (by re's cache) when a mount field holds an escape


@record(frozen=True)
class Mount:
    """One line of /proc/self/mountinfo (proc(5)): what is mounted where."""

    root: str  # the path inside the mounted filesystem (for a bind mount, the host directory)
    mount_point: str
    fstype: str
    source: str
    super_options: str


def parse_mountinfo(text: str) -> list[Mount]:
    """The mounts of /proc/self/mountinfo; malformed lines are skipped."""
    mounts: list[Mount] = []
    for line in text.splitlines():
        fields = line.split()
        if "-" not in fields:
            continue
        sep = fields.index("-")
        if sep < 6 or len(fields) < sep + 3:
            continue
        mounts.append(Mount(
            root=_unescape(fields[3]),
            mount_point=_unescape(fields[4]),
            fstype=fields[sep + 1],
            source=_unescape(fields[sep + 2]),
            super_options=fields[sep + 3] if len(fields) > sep + 3 else "",
        ))
    return mounts


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return re.sub(_OCTAL, lambda m: chr(int(m.group(1), 8)), text)


def _markers() -> dict[str, Any]:
    return machine_markers()


class _Evidence:
    """Signs gathered so far: strong ones decide alone, weak ones only when nothing contradicts them."""

    def __init__(self) -> None:
        self.strong: list[str] = []
        self.weak: list[str] = []
        self.runtimes: list[str] = []

    def add(self, text: str, runtime: str | None, *, strong: bool = True) -> None:
        (self.strong if strong else self.weak).append(text)
        if runtime and runtime not in self.runtimes:
            self.runtimes.append(runtime)

    def runtime(self) -> str | None:
        for name in _RUNTIME_ORDER:
            if name in self.runtimes:
                return name
        return self.runtimes[0] if self.runtimes else None


def collect_container(machine: Machine) -> ContainerFacts:
    """Container facts for ``machine``; every evidence line says what was read."""
    markers = _markers()
    found = _Evidence()
    _files(machine, markers, found)
    _environment(machine, markers, found)
    _cgroups(machine, markers, found)
    mounts_text = fsread.read_text(machine.path("/proc/self/mountinfo"))
    mounts = parse_mountinfo(mounts_text) if mounts_text else []
    contradiction = _mounts(mounts, markers, found)
    nvidia_mounts = _nvidia_mounts(mounts, markers)

    in_container: Fact[bool]
    evidence = [*found.strong, *found.weak]
    if found.strong or (found.weak and contradiction is None):
        in_container = True
    elif found.weak:
        in_container = False
        evidence.append(contradiction or "")
    elif not machine.live and mounts_text is None and not fsread.has_entries(machine.path("/proc")):
        in_container = Unavailable(
            "no container marker in the tree and no /proc (--root): whether it runs in a container "
            "is decided when it is started",
            PROBE,
        )
    else:
        in_container = False
    if nvidia_mounts:
        evidence.append(f"{len(nvidia_mounts)} NVIDIA driver file(s) mounted in (/proc/self/mountinfo)")
    for row in markers.get("nvidia_env", []):
        name = str(row["name"])
        if name in machine.environ:
            evidence.append(f"{name}={redact_value(name, machine.environ[name])!r} (environment)")
    return ContainerFacts(
        in_container=in_container,
        runtime=found.runtime() if in_container is True else None,
        evidence=evidence,
        nvidia_mounts=nvidia_mounts,
    )


def _files(machine: Machine, markers: dict[str, Any], found: _Evidence) -> None:
    for row in markers.get("container_file", []):
        path = str(row["path"])
        if not fsread.exists(machine.path(path)):
            continue
        runtime = str(row.get("runtime") or "") or None
        detail = ""
        if path == "/run/.containerenv":
            engine = re.search(r'^engine="([^"]*)"', fsread.read_text(machine.path(path), limit=8192) or "", re.M)
            if engine:
                detail = f" (engine {engine.group(1)})"
        # /.dockerenv alone is weak: images converted to VM disks keep it.
        found.add(f"{path} exists{detail}", runtime, strong=path != "/.dockerenv")


def _environment(machine: Machine, markers: dict[str, Any], found: _Evidence) -> None:
    for row in markers.get("container_env", []):
        name = str(row["name"])
        value = machine.environ.get(name)
        if not value:
            continue
        runtime = str(row.get("runtime") or "") or _runtime_named(value)
        found.add(f"{name}={redact_value(name, value)!r} (environment)", runtime)


def _runtime_named(value: str) -> str | None:
    lowered = value.strip().lower()
    for name in _RUNTIME_ORDER:
        if lowered.startswith(name):
            return name
    return lowered or None


def _cgroups(machine: Machine, markers: dict[str, Any], found: _Evidence) -> None:
    for source in ("/proc/1/cgroup", "/proc/self/cgroup"):
        text = fsread.read_text(machine.path(source), limit=65536)
        if not text:
            continue
        for line in text.splitlines():
            parts = line.split(":", 2)
            if len(parts) != 3:
                continue
            runtime = _path_runtime(parts[2], markers)
            if runtime:
                found.add(f"{source}: {line.strip()}", runtime)
                return


def _path_runtime(path: str, markers: dict[str, Any]) -> str | None:
    for row in markers.get("container_path", []):
        if str(row["contains"]) in path:
            return str(row["runtime"])
    return None


def _mounts(mounts: list[Mount], markers: dict[str, Any], found: _Evidence) -> str | None:
    """Add mountinfo evidence; return why a weak sign is contradicted (a VM's own disk as /), if so."""
    if not mounts:
        return None
    root = next((m for m in reversed(mounts) if m.mount_point == "/"), None)
    rootfs_types = {str(row["fstype"]) for row in markers.get("container_rootfs", [])}
    if root is not None and root.fstype in rootfs_types:
        runtime = _path_runtime(root.super_options, markers)
        if runtime is None and "io.containerd" in root.super_options:
            runtime = "containerd"
        found.add(f"/ is an {root.fstype} filesystem of image layers (/proc/self/mountinfo)", runtime, strong=runtime is not None)
    for mount in mounts:
        if mount.mount_point in _BIND_MOUNTED:
            runtime = _path_runtime(mount.root, markers)
            if runtime:
                found.add(f"{mount.mount_point} is bind-mounted from {mount.root} (/proc/self/mountinfo)", runtime)
    mount_points = {m.mount_point for m in mounts}
    for row in markers.get("container_mount", []):
        if str(row["path"]) in mount_points:
            found.add(f"{row['path']} is mounted (/proc/self/mountinfo)", str(row.get("runtime") or "") or None)
    dev = next((m for m in reversed(mounts) if m.mount_point == "/dev"), None)
    if (
        root is not None and root.source.startswith("/dev/") and root.fstype not in rootfs_types
        and dev is not None and dev.fstype == "devtmpfs"
    ):
        return (
            f"but / is {root.fstype} on {root.source} and /dev is the kernel's devtmpfs: "
            "a machine booted from its own disk, not a container"
        )
    return None


def _nvidia_mounts(mounts: list[Mount], markers: dict[str, Any]) -> list[str]:
    patterns = [str(row["pattern"]) for row in markers.get("nvidia_mount", [])]
    found: list[str] = []
    for mount in mounts:
        point = mount.mount_point
        base = point.rsplit("/", 1)[-1]
        for pattern in patterns:
            target = point if "/" in pattern else base
            if fsread.glob_match(target, pattern) and point not in found:
                found.append(point)
                break
    return found
