"""The snapshot: every fact collected about a machine and its Python environments, as plain data.

Collectors fill it (they are the only code that touches the system), rules read it, and it is
written to and read from JSON unchanged, so ``doctor --from snap.json`` gives what the live run gave.
"""

from __future__ import annotations

import json
from dataclasses import field
from typing import TYPE_CHECKING, Any, Literal

from whygpu.errors import UserError
from whygpu.facts import Fact, Unavailable
from whygpu.records import record
from whygpu.serde import SchemaError, from_data, to_data

if TYPE_CHECKING:
    # The --deep section's types (nine dataclasses): imported where a snapshot is read or --deep
    # runs, not by a plain diagnosis; ``Snapshot._annotation_names`` gives them to serde.
    from whygpu.probes import DeepReport

SNAPSHOT_FORMAT = "whygpu-snapshot"
SNAPSHOT_SCHEMA_VERSION = 1

Vendor = Literal["nvidia", "amd", "intel", "other"]
Origin = Literal["system", "toolkit", "pip", "conda", "wsl", "framework", "other"]


@record
class PciDevice:
    """A display or 3D controller found in PCI sysfs, identified without any driver."""

    address: str  # "0000:00:1e.0"
    vendor_id: str  # "0x10de"
    device_id: str  # "0x20b0"
    vendor: Vendor
    class_code: str  # "0x030200"
    model: str | None = None  # from knowledge/gpus.toml
    compute_capability: str | None = None  # "8.0"
    kernel_driver: str | None = None  # bound driver: "nvidia", "nouveau", "vfio-pci", ...


@record
class HardwareFacts:
    """The GPUs on the PCI bus."""

    gpus: Fact[list[PciDevice]]


@record
class LibraryFile:
    """One shared library file on disk, with its version and where it comes from."""

    path: str
    name: str  # "cudart", "cublas", "cudnn", "cudnn_ops", "cuda" (driver), "nvidia-ml"...
    soname: str  # "libcudart.so.12"
    version: str | None  # "12.4.127" when known, else the soname's version
    origin: Origin


@record
class KernelModule:
    """The NVIDIA kernel module as the running kernel reports it."""

    loaded: bool
    version: str | None  # "535.129.03"
    source: str  # the file it was read from


@record
class GpuProcess:
    """A process holding memory on a GPU."""

    pid: int
    name: str
    used_memory_mib: int | None


@record
class NvmlDevice:
    """One GPU as the driver (NVML or nvidia-smi) sees it."""

    index: int
    name: str
    pci_bus_id: str | None = None
    compute_capability: str | None = None
    memory_total_mib: int | None = None
    memory_used_mib: int | None = None
    compute_mode: str | None = None  # "Default", "Exclusive_Process", "Prohibited"
    processes: list[GpuProcess] = field(default_factory=list)
    utilization_percent: int | None = None
    uncorrected_ecc_errors: int | None = None
    error: str | None = None  # "Unknown Error" and similar per-device failures


@record
class DriverReport:
    """What the user-space driver says about itself and the GPUs."""

    source: Literal["nvml", "nvidia-smi"]
    driver_version: str
    cuda_driver_version: str | None  # the highest CUDA the driver supports, "12.2"
    devices: list[NvmlDevice] = field(default_factory=list)


@record
class DriverFacts:
    """The NVIDIA driver: kernel module, device nodes, user-space libraries and what NVML reports."""

    kernel_module: Fact[KernelModule]
    device_nodes: Fact[list[str]]  # "/dev/nvidia0", "/dev/nvidiactl", "/dev/dxg" (WSL2)
    libcuda: list[LibraryFile] = field(default_factory=list)
    libnvidia_ml: list[LibraryFile] = field(default_factory=list)
    report: Fact[DriverReport] = field(
        default_factory=lambda: Unavailable("not collected", "driver")
    )


@record
class ContainerFacts:
    """Whether we run in a container, which kind, and whether the GPU was passed into it."""

    in_container: Fact[bool]
    runtime: str | None = None  # "docker", "podman", "kubernetes", "containerd", "lxc", ...
    evidence: list[str] = field(default_factory=list)
    # Driver files the NVIDIA container toolkit mounts in (from /proc/self/mountinfo).
    nvidia_mounts: list[str] = field(default_factory=list)


@record
class PlatformFacts:
    """Operating system facts that decide whether a GPU build can exist at all."""

    system: Literal["linux", "windows", "darwin", "other"]
    machine: str  # "x86_64", "aarch64", "AMD64", "arm64"
    kernel_release: Fact[str]
    wsl: Fact[bool]
    distro: Fact[str]
    # An NVIDIA Jetson's Linux for Tegra release ("35.4.1") from /etc/nv_tegra_release: the board's GPU is integrated in
    # the SoC (no PCI device, driven by the nvgpu module) and reached only by builds made for its Tegra CUDA.
    jetson: Fact[str] = field(default_factory=lambda: Unavailable("not collected", "platform"))
    # accci (session 33): the CI system whose job this is, from the variables it sets in every job (knowledge/machine_kinds.toml
    # [[env]]: "github_hosted", "github_actions", "travis", "gitlab_ci", ...): a hosted runner has no GPU unless asked for.
    machine_kind: Fact[str] = field(default_factory=lambda: Unavailable("not collected", "platform"))


@record
class AzureMLFacts:
    """Azure ML context read from environment variables and paths."""

    kind: Literal["job", "compute_instance"] | None = None
    evidence: list[str] = field(default_factory=list)


@record
class CloudFacts:
    """Cloud identity: Azure from DMI; the VM size from IMDS only once DMI says Azure."""

    azure: Fact[bool]
    dmi: dict[str, str] = field(default_factory=dict)
    vm_size: Fact[str] = field(default_factory=lambda: Unavailable("not collected", "imds"))
    azureml: AzureMLFacts = field(default_factory=AzureMLFacts)


@record
class CudaToolkit:
    """A CUDA toolkit installation directory (``/usr/local/cuda-X.Y``, conda, ...)."""

    path: str
    version: str | None
    source: str  # "version.json", "version.txt", "directory name", ...


@record
class CudaFacts:
    """CUDA installations, every CUDA and cuDNN library file found, and the loader's search settings."""

    cuda_home: str | None = None  # from CUDA_HOME or CUDA_PATH
    toolkits: list[CudaToolkit] = field(default_factory=list)
    libraries: list[LibraryFile] = field(default_factory=list)
    ld_library_path: list[str] = field(default_factory=list)
    ld_so_conf_dirs: list[str] = field(default_factory=list)
    ld_cache: Fact[list[str]] = field(default_factory=lambda: Unavailable("not collected", "ld.so.cache"))


@record
class LibraryResolution:
    """Which file the dynamic loader would load for one library a framework asks for, or none."""

    library: str  # "cudart"
    wanted: list[str]  # sonames in the order the framework tries them: ["libcudart.so.12"]
    required: bool  # False for optional libraries (TensorRT, NCCL on one GPU...)
    resolved: str | None  # the path that would be loaded
    via: str | None  # "LD_LIBRARY_PATH", "RUNPATH of <file>", "ld.so.cache", "site-packages/nvidia", ...
    # Same library with another soname version somewhere (e.g. libcudart.so.13 for a CUDA 12 build).
    other_versions: list[str] = field(default_factory=list)
    # Installed with the wanted soname but not reachable by the loader.
    unreachable: list[str] = field(default_factory=list)
    # A file earlier on the search path that shadows the one the framework's own layout provides.
    shadows: list[str] = field(default_factory=list)


@record
class Package:
    """An installed distribution (read from its dist-info/egg-info)."""

    name: str  # normalised: "tensorflow-cpu", "nvidia-cudnn-cu12"
    version: str
    location: str
    installer: str | None = None  # "pip", "conda", "uv"...


@record
class FrameworkBuild:
    """A framework installed in an environment, as read from its files without importing it."""

    name: Literal["tensorflow", "torch", "jax"]
    distribution: str  # "tensorflow", "tensorflow-cpu", "tensorflow-gpu", "torch", "jaxlib", ...
    version: str
    location: str
    gpu_build: Fact[bool]
    cuda_version: str | None = None  # CUDA the build targets, "12.5"
    cudnn_version: str | None = None  # "9"
    compute_capabilities: list[str] = field(default_factory=list)  # ["sm_60", "sm_70", "compute_90"]
    cuda_packages: list[Package] = field(default_factory=list)  # nvidia-* wheels, jax plugins
    libraries: list[LibraryResolution] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)  # where the build facts were read


@record
class PythonEnv:
    """One Python environment: the interpreter, its packages of interest, and the frameworks in it."""

    executable: str
    version: Fact[str]
    prefix: str
    kind: Literal["venv", "conda", "system", "other"]
    site_packages: list[str] = field(default_factory=list)
    packages: list[Package] = field(default_factory=list)
    frameworks: list[FrameworkBuild] = field(default_factory=list)
    platform_tag: str | None = None  # "linux", "win32", "darwin": sys.platform of the interpreter
    # Why the interpreter did not answer when asked about itself ("timed out after 5 s", "killed by
    # signal SIGSEGV", "exited with status 1: ..."); None when it answered or was not run (--root).
    # The rest of the environment was then read from its files.
    interpreter_error: str | None = None


@record
class ProbeRecord:
    """How one collector went: its name, time taken, and whether it failed or timed out."""

    name: str
    seconds: float
    status: Literal["ok", "unavailable", "timeout", "error"]
    detail: str = ""


@record
class SnapshotSource:
    """Where the snapshot was taken."""

    mode: Literal["live", "root"]
    root: str
    hostname: str | None = None
    created: str = ""  # ISO 8601 UTC


@record
class Snapshot:
    """Everything collected, in one versioned document."""

    source: SnapshotSource
    platform: PlatformFacts
    hardware: HardwareFacts
    driver: DriverFacts
    container: ContainerFacts
    cloud: CloudFacts
    cuda: CudaFacts
    pythons: Fact[list[PythonEnv]]
    environment: dict[str, str] = field(default_factory=dict)  # variables that matter, redacted
    probes: list[ProbeRecord] = field(default_factory=list)
    # What ``--deep`` found (framework probes in child processes), typed and read once with the
    # snapshot: None when it did not run, ``Unavailable`` when the stored section is corrupt.
    deep: DeepReport | Unavailable | None = None
    format: str = SNAPSHOT_FORMAT
    schema_version: int = SNAPSHOT_SCHEMA_VERSION
    tool_version: str = ""

    @staticmethod
    def _annotation_names() -> dict[str, Any]:
        """The names of this class's annotations that the module imports only when needed (``serde.annotation_names``)."""
        from whygpu.probes import DeepReport

        return {"DeepReport": DeepReport}

    def frameworks(self) -> list[tuple[PythonEnv, FrameworkBuild]]:
        """Every framework in every collected environment, with its environment."""
        if isinstance(self.pythons, Unavailable):
            return []
        return [(env, fw) for env in self.pythons for fw in env.frameworks]

    def to_json(self) -> dict[str, Any]:
        """The snapshot document (``deep`` is ``{}`` when ``--deep`` did not run, as it always was)."""
        data: dict[str, Any] = to_data(self)
        if self.deep is None:
            data["deep"] = {}
        return data

    @classmethod
    def from_json(cls, data: Any, *, where: str = "snapshot") -> Snapshot:
        """Read a snapshot document; a foreign, newer or corrupt one raises ``UserError``."""
        if not isinstance(data, dict) or data.get("format") != SNAPSHOT_FORMAT:
            raise UserError("not a whygpu snapshot (no \"format\": \"whygpu-snapshot\")", where=where)
        version = data.get("schema_version")
        if version != SNAPSHOT_SCHEMA_VERSION:
            raise UserError(
                f"snapshot schema_version {version!r} is not supported "
                f"(this whygpu reads version {SNAPSHOT_SCHEMA_VERSION})",
                where=where,
            )
        body = {key: value for key, value in data.items() if key != "deep"}
        try:
            snapshot = from_data(cls, body)
        except SchemaError as exc:
            raise UserError(f"corrupt snapshot: {exc}", where=where) from exc
        from whygpu.probes import read_deep_section

        snapshot.deep = read_deep_section(data.get("deep"))
        return snapshot


def read_snapshot(path: str) -> Snapshot:
    """Load a snapshot file, turning every way it can be unreadable into a one-line ``UserError``."""
    from whygpu.inputs import check_input, looks_binary, open_input

    check_input(path, what="a snapshot")
    try:
        with open_input(path) as handle:
            raw = handle.read()
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror or exc}", where=path) from None
    if looks_binary(raw[:8192]):
        raise UserError("binary file, not a whygpu snapshot", where=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError("not a whygpu snapshot (not UTF-8 text)", where=path) from None
    try:
        data = json.loads(text)
        return Snapshot.from_json(data, where=path)
    except json.JSONDecodeError as exc:
        raise UserError(f"corrupt snapshot: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", where=path) from None
    except RecursionError:
        # json and the snapshot reader recurse per level; a snapshot is a few levels deep.
        raise UserError("corrupt snapshot: nested too deeply to be a whygpu snapshot", where=path) from None
    except ValueError:  # what JSONDecodeError is not: an integer past Python's limit on digits
        raise UserError("corrupt snapshot: a number too long to be read", where=path) from None
