"""Builders for fake machine roots in a temporary directory, a fake command runner and a fake IMDS server, shared by tests."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from whygpu.collect.interface import Machine
from whygpu.gateways.process import CommandResult

AZURE_ASSET_TAG = "7783-7084-3265-9085-8269-3286-77"
NVIDIA = "0x10de"
AMD = "0x1002"
INTEL = "0x8086"
VGA = "0x030000"
CONTROLLER_3D = "0x030200"
MULTIARCH = "/usr/lib/x86_64-linux-gnu"


# --- files -----------------------------------------------------------------------------------

def add_file(root: Path, path: str, text: str = "", *, mode: int | None = None) -> Path:
    """Write ``text`` at ``path`` (absolute, as the machine sees it) under ``root``."""
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    if mode is not None:
        target.chmod(mode)
    return target


def add_link(root: Path, path: str, target: str) -> Path:
    """A symbolic link at ``path`` pointing to ``target`` (kept as given: relative or absolute)."""
    link = root / path.lstrip("/")
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target)
    return link


def add_dir(root: Path, path: str) -> Path:
    """An (empty) directory at ``path``."""
    directory = root / path.lstrip("/")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def add_running_system(root: Path, *, kernel: str = "6.8.0-1020-azure") -> None:
    """Make the tree look like a running Linux system: /proc, /sys and /dev are populated."""
    add_file(root, "/proc/sys/kernel/osrelease", kernel + "\n")
    add_file(root, "/proc/version", f"Linux version {kernel} (buildd@lcy02) (gcc 13.2.0) #1 SMP\n")
    add_file(root, "/proc/1/cgroup", "0::/init.scope\n")
    add_file(root, "/proc/self/cgroup", "0::/user.slice/user-1000.slice/session-1.scope\n")
    add_file(root, "/proc/self/mountinfo", mountinfo(
        mount_line("/", "ext4", "/dev/sda1"),
        mount_line("/dev", "devtmpfs", "udev"),
        mount_line("/proc", "proc", "proc"),
        mount_line("/sys", "sysfs", "sysfs"),
    ))
    add_dir(root, "/sys/bus/pci/devices")
    add_dir(root, "/sys/module/ext4")
    add_file(root, "/dev/null")


def add_os_release(root: Path, pretty: str = "Ubuntu 22.04.4 LTS", *, name: str = "Ubuntu", version_id: str = "22.04") -> None:
    """/etc/os-release with PRETTY_NAME, NAME and VERSION_ID."""
    add_file(root, "/etc/os-release", f'PRETTY_NAME="{pretty}"\nNAME="{name}"\nVERSION_ID="{version_id}"\nID=ubuntu\n')


# --- PCI -----------------------------------------------------------------------------------

def add_pci_gpu(
    root: Path, vendor: str, device: str, cls: str = CONTROLLER_3D, driver: str | None = None,
    *, address: str | None = None,
) -> str:
    """A PCI device in /sys/bus/pci/devices (vendor/device/class files, bound driver link); returns its address."""
    devices = root / "sys/bus/pci/devices"
    devices.mkdir(parents=True, exist_ok=True)
    if address is None:
        address = f"0000:00:{len(list(devices.iterdir())) + 0x1e:02x}.0"
    base = f"/sys/bus/pci/devices/{address}"
    add_file(root, f"{base}/vendor", vendor + "\n")
    add_file(root, f"{base}/device", device + "\n")
    add_file(root, f"{base}/class", cls + "\n")
    if driver:
        add_dir(root, f"/sys/bus/pci/drivers/{driver}")
        add_link(root, f"{base}/driver", f"../../../bus/pci/drivers/{driver}")
    return address


# --- driver --------------------------------------------------------------------------------

def nvrm_line(version: str, *, open_module: bool = False, arch: str = "x86_64") -> str:
    """The text of /proc/driver/nvidia/version for ``version``."""
    if open_module:
        first = f"NVRM version: NVIDIA UNIX Open Kernel Module for {arch}  {version}  Release Build  (dvs-builder@U16-I3-B03-4-3)  Thu Oct  5 21:12:58 UTC 2023"
    else:
        first = f"NVRM version: NVIDIA UNIX {arch} Kernel Module  {version}  Tue Oct 10 17:14:07 UTC 2023"
    return first + "\nGCC version:  gcc version 12.3.0 (Ubuntu 12.3.0-1ubuntu1~22.04)\n"


def add_kernel_module(root: Path, version: str, *, open_module: bool = False) -> None:
    """The loaded nvidia kernel module: /proc/driver/nvidia/version and /sys/module/nvidia/version."""
    add_file(root, "/proc/driver/nvidia/version", nvrm_line(version, open_module=open_module))
    add_file(root, "/sys/module/nvidia/version", version + "\n")


def add_dev_nodes(root: Path, names: Iterable[str]) -> None:
    """Device nodes (as empty files) such as "nvidia0", "nvidiactl", "nvidia-uvm", "dxg"."""
    for name in names:
        add_file(root, f"/dev/{name.removeprefix('/dev/')}")


def add_lib(root: Path, path: str, *, links: Sequence[str] = ()) -> Path:
    """A library file at ``path`` and relative symlinks to it named ``links`` (in the same directory)."""
    target = add_file(root, path, "\x7fELF fake shared object")
    directory = path.rsplit("/", 1)[0]
    for link in links:
        add_link(root, f"{directory}/{link}", path.rsplit("/", 1)[1])
    return target


def add_driver_libs(root: Path, version: str, *, lib_dir: str = MULTIARCH) -> None:
    """libcuda.so.VERSION and libnvidia-ml.so.VERSION with their .so.1 and .so links, as the driver installs them."""
    add_lib(root, f"{lib_dir}/libcuda.so.{version}", links=["libcuda.so.1", "libcuda.so"])
    add_lib(root, f"{lib_dir}/libnvidia-ml.so.{version}", links=["libnvidia-ml.so.1", "libnvidia-ml.so"])


def add_nvidia_driver(
    root: Path, version: str, *, libs: bool = True, module: bool = True, nodes: bool = True,
    gpus: int = 1, lib_dir: str = MULTIARCH, open_module: bool = False,
) -> None:
    """A complete NVIDIA driver install: kernel module, device nodes, user-space libraries and nvidia-smi."""
    if module:
        add_kernel_module(root, version, open_module=open_module)
    if nodes:
        add_dev_nodes(root, ["nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", *(f"nvidia{i}" for i in range(gpus))])
    if libs:
        add_driver_libs(root, version, lib_dir=lib_dir)
        add_file(root, "/usr/bin/nvidia-smi", "#!/bin/sh\n", mode=0o755)


def add_wsl(root: Path, *, driver: bool = True, kernel: str = "5.15.153.1-microsoft-standard-WSL2") -> None:
    """WSL2: its kernel, /dev/dxg, and (``driver``) the Windows driver's libraries in /usr/lib/wsl/lib."""
    add_file(root, "/proc/sys/kernel/osrelease", kernel + "\n")
    add_file(root, "/proc/version", f"Linux version {kernel} (root@1c602f52c2e4) (gcc 11.2.0) #1 SMP Thu Mar 7 03:22:57 UTC 2024\n")
    add_file(root, "/proc/self/mountinfo", mountinfo(
        mount_line("/", "ext4", "/dev/sdc"),
        mount_line("/usr/lib/wsl/drivers", "9p", "drivers"),
        mount_line("/usr/lib/wsl/lib", "overlay", "none"),
    ))
    add_dev_nodes(root, ["dxg", "null"])
    add_dir(root, "/usr/lib/wsl/lib")
    add_dir(root, "/sys/bus/pci/devices")  # WSL2 has a PCI tree without the GPU
    if driver:
        # The WSL driver directory holds real files, not links; libcuda.so.1.1 is not a driver version.
        for name in ("libcuda.so", "libcuda.so.1", "libcuda.so.1.1", "libnvidia-ml.so.1", "libdxcore.so"):
            add_lib(root, f"/usr/lib/wsl/lib/{name}")
        add_file(root, "/usr/lib/wsl/lib/nvidia-smi", "#!/bin/sh\n", mode=0o755)


# --- cloud ---------------------------------------------------------------------------------

def add_dmi(
    root: Path, *, sys_vendor: str | None = "Microsoft Corporation", product_name: str | None = "Virtual Machine",
    chassis_asset_tag: str | None = AZURE_ASSET_TAG, board_vendor: str | None = "Microsoft Corporation",
) -> None:
    """/sys/class/dmi/id files (an Azure VM by default; pass None to leave a file out)."""
    values = {"sys_vendor": sys_vendor, "product_name": product_name,
              "chassis_asset_tag": chassis_asset_tag, "board_vendor": board_vendor}
    add_dir(root, "/sys/class/dmi/id")
    for name, value in values.items():
        if value is not None:
            add_file(root, f"/sys/class/dmi/id/{name}", value + "\n")


def add_aws_dmi(root: Path) -> None:
    """DMI of a non-Azure cloud VM (Amazon EC2)."""
    add_dmi(root, sys_vendor="Amazon EC2", product_name="g5.xlarge", chassis_asset_tag="Amazon EC2", board_vendor="Amazon EC2")


# --- containers ----------------------------------------------------------------------------

def mount_line(
    mount_point: str, fstype: str, source: str, *, root: str = "/", super_options: str = "rw", mount_id: int = 0,
) -> str:
    """One /proc/self/mountinfo line (spaces in paths escaped as the kernel does)."""
    def esc(text: str) -> str:
        return text.replace("\\", "\\134").replace(" ", "\\040")
    return f"{mount_id or 100} 1 0:{mount_id or 1} {esc(root)} {esc(mount_point)} rw,relatime shared:1 - {fstype} {esc(source)} {super_options}"


def mountinfo(*lines: str) -> str:
    """A mountinfo file from ``mount_line`` results, with increasing ids."""
    return "".join(line + "\n" for line in lines)


DOCKER_ID = "3f4e8a9c1b2d" * 5 + "abcd"
_OVERLAY_DOCKER = (
    "rw,lowerdir=/var/lib/docker/overlay2/l/ABC:/var/lib/docker/overlay2/l/DEF,"
    "upperdir=/var/lib/docker/overlay2/9f1/diff,workdir=/var/lib/docker/overlay2/9f1/work"
)
_OVERLAY_PODMAN = (
    "rw,lowerdir=/home/u/.local/share/containers/storage/overlay/l/ABC,"
    "upperdir=/home/u/.local/share/containers/storage/overlay/9f1/diff"
)
_OVERLAY_CONTAINERD = (
    "rw,lowerdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/12/fs,"
    "upperdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/13/fs"
)


def nvidia_gpu_mounts(version: str = "535.129.03") -> list[str]:
    """The mountinfo lines the NVIDIA container toolkit adds when a container gets the GPU."""
    lib = MULTIARCH
    return [
        mount_line("/proc/driver/nvidia", "tmpfs", "tmpfs"),
        mount_line("/usr/bin/nvidia-smi", "ext4", "/dev/sda1", root="/usr/bin/nvidia-smi"),
        mount_line(f"{lib}/libnvidia-ml.so.{version}", "ext4", "/dev/sda1", root=f"{lib}/libnvidia-ml.so.{version}"),
        mount_line(f"{lib}/libcuda.so.{version}", "ext4", "/dev/sda1", root=f"{lib}/libcuda.so.{version}"),
        mount_line("/dev/nvidiactl", "devtmpfs", "udev", root="/nvidiactl"),
        mount_line("/dev/nvidia0", "devtmpfs", "udev", root="/nvidia0"),
    ]


def add_container_markers(root: Path, kind: str, *, gpu: bool = False, driver_version: str = "535.129.03") -> None:
    """Make the tree look like the inside of a container of ``kind``.

    kind: "docker" (cgroup v1 paths), "docker-cgroup2" (cgroup v2 namespace: "0::/", only mountinfo
    tells), "podman", "kubernetes", "containerd". ``gpu`` adds what the NVIDIA runtime mounts in.
    """
    lines: list[str] = []
    cgroup = "0::/\n"
    if kind in ("docker", "docker-cgroup2"):
        if kind == "docker":
            cgroup = f"12:devices:/docker/{DOCKER_ID}\n11:memory:/docker/{DOCKER_ID}\n0::/\n"
        add_file(root, "/.dockerenv")
        lines.append(mount_line("/", "overlay", "overlay", super_options=_OVERLAY_DOCKER))
        for etc in ("hostname", "hosts", "resolv.conf"):
            lines.append(mount_line(f"/etc/{etc}", "ext4", "/dev/sda1", root=f"/var/lib/docker/containers/{DOCKER_ID}/{etc}"))
    elif kind == "podman":
        add_file(root, "/run/.containerenv", 'engine="podman-4.9.3"\nname="train"\nrootless=1\n')
        lines.append(mount_line("/", "overlay", "overlay", super_options=_OVERLAY_PODMAN))
        lines.append(mount_line("/etc/hostname", "tmpfs", "tmpfs",
                                root="/containers/storage/overlay-containers/abc/userdata/hostname"))
    elif kind == "kubernetes":
        lines.append(mount_line("/", "overlay", "overlay", super_options=_OVERLAY_CONTAINERD))
        lines.append(mount_line("/etc/hosts", "ext4", "/dev/sda1", root="/var/lib/kubelet/pods/1234-abcd/etc-hosts"))
        lines.append(mount_line("/var/run/secrets/kubernetes.io/serviceaccount", "tmpfs", "tmpfs"))
    elif kind == "containerd":
        lines.append(mount_line("/", "overlay", "overlay", super_options=_OVERLAY_CONTAINERD))
    else:
        raise ValueError(f"unknown container kind {kind!r}")
    lines.append(mount_line("/proc", "proc", "proc"))
    lines.append(mount_line("/dev", "tmpfs", "tmpfs"))
    if gpu:
        lines.extend(nvidia_gpu_mounts(driver_version))
    add_file(root, "/proc/self/mountinfo", mountinfo(*lines))
    add_file(root, "/proc/1/cgroup", cgroup)
    add_file(root, "/proc/self/cgroup", cgroup)


# --- machines and commands ---------------------------------------------------------------------

Responder = Callable[[Sequence[str]], CommandResult]


@dataclass
class FakeRunner:
    """A ``CommandRunner`` that answers from a table keyed by program name and records every call.

    ``answers`` maps a program's base name ("nvidia-smi", or "python" for the NVML child) to a
    ``CommandResult``, a callable taking argv, or a list of either consumed one call at a time.
    """

    answers: dict[str, Any] = field(default_factory=dict)
    calls: list[tuple[str, ...]] = field(default_factory=list)
    timeouts: list[float] = field(default_factory=list)

    def run(self, argv: Sequence[str], *, timeout_s: float, env: Mapping[str, str] | None = None) -> CommandResult:
        args = tuple(argv)
        self.calls.append(args)
        self.timeouts.append(timeout_s)
        key = _program(args)
        answer = self.answers.get(key)
        if isinstance(answer, list):
            answer = answer.pop(0) if answer else None
        if answer is None:
            return CommandResult(args, None, "", "", error="not found")
        if callable(answer):
            result: CommandResult = answer(args)
            return result
        if isinstance(answer, CommandResult):
            return CommandResult(args, answer.returncode, answer.stdout, answer.stderr, answer.error)
        raise TypeError(f"bad fake answer for {key}: {answer!r}")

    def programs(self) -> list[str]:
        """The program names called, in order."""
        return [_program(call) for call in self.calls]


def _program(argv: Sequence[str]) -> str:
    name = os.path.basename(argv[0]) if argv else ""
    if name.startswith("python") and "-c" in argv[1:]:
        return "python"
    return name


def ok(stdout: str = "", stderr: str = "") -> CommandResult:
    """A command that exited 0."""
    return CommandResult((), 0, stdout, stderr)


def failed(returncode: int, stdout: str = "", stderr: str = "") -> CommandResult:
    """A command that exited with ``returncode``."""
    return CommandResult((), returncode, stdout, stderr)


def timed_out(seconds: float = 5.0) -> CommandResult:
    """A command killed at its timeout."""
    return CommandResult((), None, "", "", error=f"timed out after {seconds:g} s")


def nvml_ok(driver: str = "535.129.03", cuda: int = 12020, devices: list[dict[str, Any]] | None = None) -> CommandResult:
    """What the NVML child prints on a healthy machine."""
    if devices is None:
        devices = [{"index": 0, "name": "NVIDIA A100-SXM4-40GB", "pci_bus_id": "00000000:00:1E.0",
                    "compute_capability": "8.0", "memory_total_mib": 40960, "memory_used_mib": 4,
                    "compute_mode": "Default", "utilization_percent": 0, "uncorrected_ecc_errors": 0,
                    "processes": []}]
    return ok(json.dumps({"ok": True, "driver_version": driver, "cuda_driver_version": cuda, "devices": devices}))


def nvml_failed(stage: str, error: str, code_name: str | None = None) -> CommandResult:
    """What the NVML child prints when NVML fails (its own error text)."""
    return ok(json.dumps({"ok": False, "stage": stage, "error": error, "code_name": code_name}))


def live_machine(root: Path, environ: Mapping[str, str] | None = None, *, runner: Any = None,
                 offline: bool = False, timeout_s: float = 5.0) -> Machine:
    """A machine that collectors treat as live (commands, NVML, IMDS allowed) but whose files are under ``root``."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "WHYGPU_IMDS_URL": "http://127.0.0.1:9"}
    env.update(environ or {})
    return Machine(root=root, environ=env, runner=runner or FakeRunner(), live=True, offline=offline, timeout_s=timeout_s)


def tree_machine(root: Path, environ: Mapping[str, str] | None = None) -> Machine:
    """A filesystem tree diagnosed with ``--root``: nothing is run or contacted."""
    return Machine.from_root(str(root), dict(environ or {}))


# --- a fake Instance Metadata Service on 127.0.0.1 ------------------------------------------

class FakeImds:
    """An HTTP server on 127.0.0.1 that answers like IMDS; counts and records requests.

    Use as a context manager; ``url`` goes into ``WHYGPU_IMDS_URL``. ``delay_s`` makes it slow,
    ``status`` and ``body`` change the answer.
    """

    def __init__(self, vm_size: str | None = "Standard_NC24ads_A100_v4", *, delay_s: float = 0.0,
                 status: int = 200, body: bytes | None = None) -> None:
        self.vm_size = vm_size
        self.delay_s = delay_s
        self.status = status
        self.body = body
        self.requests: list[dict[str, Any]] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._release = threading.Event()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeImds:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append({"path": self.path, "headers": dict(self.headers.items())})
                if fake.delay_s:
                    fake._release.wait(fake.delay_s)
                if fake.body is not None:
                    payload = fake.body
                else:
                    compute: dict[str, Any] = {"azEnvironment": "AzurePublicCloud", "location": "westeurope", "osType": "Linux"}
                    if fake.vm_size is not None:
                        compute["vmSize"] = fake.vm_size
                    payload = json.dumps(compute).encode()
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up (the slow-server test)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def wait_for_requests(self, count: int, timeout_s: float = 5.0) -> None:
        """Block until ``count`` requests arrived (the handler runs on another thread)."""
        deadline = time.monotonic() + timeout_s
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.01)
