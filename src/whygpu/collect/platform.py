"""Collects the operating-system facts that decide whether a GPU build can exist: OS, CPU architecture, kernel, WSL2, distribution."""

from __future__ import annotations

import os
import sys
from typing import Any, Literal

from whygpu.collect import fsread
from whygpu.collect.driver import TEGRA_RELEASE
from whygpu.collect.interface import Machine
from whygpu.facts import Fact, Unavailable
from whygpu.knowledge.machine_markers import machine_markers
from whygpu.snapshot import PlatformFacts

PROBE = "platform"

System = Literal["linux", "windows", "darwin", "other"]

# ELF e_machine values of the architectures a GPU framework ships wheels for (System V ABI).
# https://refspecs.linuxfoundation.org/elf/gabi4+/ch4.eheader.html
_ELF_MACHINES = {62: "x86_64", 183: "aarch64", 3: "i686", 21: "ppc64le", 243: "riscv64", 22: "s390x"}


def _markers() -> dict[str, Any]:
    return machine_markers()


def collect_platform(machine: Machine) -> PlatformFacts:
    """OS, architecture, kernel release, WSL2 and distribution of ``machine`` (live or a tree under ``--root``)."""
    system = _system(machine)
    kernel = kernel_release(machine)
    return PlatformFacts(
        system=system,
        machine=_architecture(machine),
        kernel_release=kernel,
        wsl=detect_wsl(machine, kernel) if system == "linux" else False,
        distro=_distro(machine, system),
        jetson=_jetson(machine) if system == "linux" else Unavailable("not Linux: not an NVIDIA Jetson", PROBE),
        machine_kind=machine_kind(machine),
    )


def machine_kind(machine: Machine) -> Fact[str]:
    """accci (session 33): the CI system whose job this is (a GitHub-hosted runner, a Travis VM, a GitLab job...), from the
    environment variables the system sets in every job (knowledge/machine_kinds.toml [[env]]), or Unavailable outside CI."""
    from whygpu.knowledge.machine_kinds import kind_from_environment

    found = kind_from_environment(machine.environ)
    if found is None:
        return Unavailable("no CI system's job variables set", PROBE)
    return found[0]


def _jetson(machine: Machine) -> Fact[str]:
    """The L4T release of an NVIDIA Jetson, from /etc/nv_tegra_release (L4T writes it on the board, and NVIDIA's l4t images
    carry the board's), or Unavailable where the file is absent."""
    text = fsread.read_text(machine.path(TEGRA_RELEASE), limit=4096)
    if text is None:
        if fsread.exists(machine.path(TEGRA_RELEASE)):
            return Unavailable(f"{TEGRA_RELEASE} is present but unreadable", PROBE)
        return Unavailable(f"no {TEGRA_RELEASE}: not an NVIDIA Jetson", PROBE)
    from whygpu.knowledge.jetson import host_l4t  # only on a Jetson

    return host_l4t(text) or "unknown"


def _system(machine: Machine) -> System:
    if machine.live:
        if sys.platform.startswith("linux"):
            return "linux"
        if sys.platform in ("win32", "cygwin"):
            return "windows"
        if sys.platform == "darwin":
            return "darwin"
        return "other"
    # A tree: a Windows disk has Windows/System32; anything else diagnosed here is a Linux image.
    if fsread.is_dir(machine.path("/Windows/System32")):
        return "windows"
    if fsread.is_dir(machine.path("/System/Library/CoreServices")):
        return "darwin"
    return "linux"


def _architecture(machine: Machine) -> str:
    if machine.live:
        return _uname("machine") or "unknown"
    # Under --root the tree's own binaries say what CPU it is built for.
    for candidate in ("/bin/sh", "/usr/bin/env", "/bin/busybox", "/usr/bin/python3"):
        arch = _elf_machine(machine, candidate)
        if arch:
            return arch
    return "unknown"


def _elf_machine(machine: Machine, absolute: str) -> str | None:
    path = machine.path(fsread.resolve_in_root(machine, absolute))
    try:
        with open(path, "rb") as handle:
            header = handle.read(20)
    except (OSError, ValueError):
        return None
    if len(header) < 20 or header[:4] != b"\x7fELF":
        return None
    order: Literal["little", "big"] = "little" if header[5] == 1 else "big"
    return _ELF_MACHINES.get(int.from_bytes(header[18:20], order))


def kernel_release(machine: Machine) -> Fact[str]:
    """The running kernel's release string, from /proc/sys/kernel/osrelease."""
    text = fsread.read_value(machine.path("/proc/sys/kernel/osrelease"))
    if text:
        return text
    if machine.live:
        release = _uname("release")
        if release:
            return release
        return Unavailable("/proc/sys/kernel/osrelease is unreadable", PROBE)
    return Unavailable("the kernel is not part of a filesystem tree (--root): /proc/sys/kernel/osrelease is absent", PROBE)


def detect_wsl(machine: Machine, kernel: Fact[str] | None = None) -> Fact[bool]:
    """True on WSL2 (whose GPU is reached through /dev/dxg and /usr/lib/wsl/lib, not PCI)."""
    markers = _markers()
    if kernel is None:
        kernel = kernel_release(machine)
    texts: list[str] = []
    if not isinstance(kernel, Unavailable):
        texts.append(kernel)
    version = fsread.read_value(machine.path("/proc/version"))
    if version:
        texts.append(version)
    lowered = " ".join(texts).lower()
    if texts:
        if any(str(row["contains"]).lower() in lowered for row in markers.get("wsl_kernel", [])):
            return True
        if "microsoft" in lowered:
            # WSL1 ("4.4.0-19041-Microsoft") or a custom WSL2 kernel: the WSL2 paths decide.
            return _wsl_paths_present(machine, markers)
        return False
    # Only a tree: WSL2's driver libraries in it are the one trace left.
    if _wsl_paths_present(machine, markers):
        return True
    return Unavailable("no kernel information in the tree (/proc/version, /proc/sys/kernel/osrelease)", PROBE)


def _wsl_paths_present(machine: Machine, markers: dict[str, Any]) -> bool:
    for row in markers.get("wsl", []):
        path = machine.path(str(row["path"]))
        if fsread.is_dir(path):
            if fsread.has_entries(path):
                return True
        elif fsread.exists(path):
            return True
    return False


def _distro(machine: Machine, system: System) -> Fact[str]:
    for candidate in ("/etc/os-release", "/usr/lib/os-release"):
        text = fsread.read_text(machine.path(fsread.resolve_in_root(machine, candidate)), limit=65536)
        if text is None:
            continue
        fields = parse_os_release(text)
        name = fields.get("PRETTY_NAME") or " ".join(
            v for v in (fields.get("NAME"), fields.get("VERSION_ID")) if v
        )
        if name:
            return name
    if machine.live and system != "linux":
        import platform  # only off Linux: its import and patterns cost more than all of this module

        return platform.platform(terse=True) or Unavailable("no OS name", PROBE)
    return Unavailable("no /etc/os-release or /usr/lib/os-release", PROBE)


def _uname(field: str) -> str:
    """``platform.machine()``/``release()`` as they are on POSIX (``os.uname()``), without importing ``platform``."""
    if hasattr(os, "uname"):
        return str(getattr(os.uname(), field))
    import platform

    return str(getattr(platform, field)())


def parse_os_release(text: str) -> dict[str, str]:
    """KEY=value lines of os-release(5), quotes and backslash escapes removed; bad lines skipped."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip()
        if not key.replace("_", "").isalnum():
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        for escaped in ("\\\"", "\\'", "\\$", "\\`", "\\\\"):
            value = value.replace(escaped, escaped[1])
        fields[key] = value
    return fields
