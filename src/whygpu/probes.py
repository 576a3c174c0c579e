"""The shape of ``snapshot.deep``: what each framework probe did and what the framework itself answered.

Everything here is plain data that round-trips through JSON (``whygpu.serde``), so a snapshot
taken with ``--deep`` on one machine is diagnosed elsewhere with exactly the same result.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any, Literal

from whygpu.facts import Unavailable
from whygpu.records import record
from whygpu.serde import SchemaError, from_data, to_data

DEEP_FORMAT = "whygpu-deep"
DEEP_SCHEMA_VERSION = 1

ProbeName = Literal["tensorflow", "torch", "jax", "driver"]
FRAMEWORK_PROBES: tuple[ProbeName, ...] = ("tensorflow", "torch", "jax")

# ok: the child answered. timeout: killed after its time ran out. crashed: killed by a signal
# before answering. failed: exited non-zero without answering. no_answer: exited 0 without
# answering. not_started: the interpreter could not be started.
ProbeStatus = Literal["ok", "timeout", "crashed", "failed", "no_answer", "not_started"]


@record
class StreamCapture:
    """The lines a child wrote to one stream, with the middle left out when there were too many."""

    lines: list[str] = field(default_factory=list)
    total_lines: int = 0
    # 1-based number of the first line left out, and how many were left out after it.
    omitted_from: int | None = None
    omitted_count: int = 0
    # Lines longer than the limit were cut; the count says how many.
    cut_lines: int = 0

    def numbered(self) -> list[tuple[int, str]]:
        """Each kept line with its real line number in the child's output."""
        if self.omitted_from is None:
            return [(i, line) for i, line in enumerate(self.lines, start=1)]
        head = self.omitted_from - 1
        out = [(i, line) for i, line in enumerate(self.lines[:head], start=1)]
        start = self.omitted_from + self.omitted_count
        out += [(start + i, line) for i, line in enumerate(self.lines[head:])]
        return out

    def last(self, count: int) -> list[tuple[int, str]]:
        """The last ``count`` non-blank lines, numbered."""
        return [(n, text) for n, text in self.numbered() if text.strip()][-count:]


@record
class Device:
    """A device as the framework or driver names it."""

    name: str
    kind: str = ""  # "GPU", "cuda", "gpu", "CPU"...
    details: dict[str, str] = field(default_factory=dict)


@record
class OperationResult:
    """The small operation a probe ran on the first GPU, and where it really ran."""

    attempted: bool = False
    requested: str = ""  # "/GPU:0", "cuda", "gpu:0"
    ok: bool = False
    placed_on: str | None = None  # the device the result lives on, as the framework reports it
    on_gpu: bool | None = None  # placement verified
    error: str | None = None  # "RuntimeError: CUDA error: no kernel image is available ..."


@record
class FrameworkAnswer:
    """What a framework said about itself and the GPU, in its own process."""

    module: str  # "tensorflow", "torch", "jax"
    installed: bool = True  # False when the import said the module does not exist
    import_error: str | None = None
    version: str | None = None
    # The framework's own build facts (TF build info, torch.version.cuda, jaxlib version...).
    build: dict[str, Any] = field(default_factory=dict)
    gpu_build: bool | None = None  # does the framework say it was built with CUDA
    gpus: list[Device] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)  # every device it lists
    devices_error: str | None = None
    # torch.cuda.is_available() and similar one-word answers, by the framework's own name for them.
    checks: dict[str, Any] = field(default_factory=dict)
    operation: OperationResult = field(default_factory=OperationResult)

    @property
    def lists_gpu(self) -> bool:
        """True when the framework lists at least one GPU."""
        return bool(self.gpus)

    @property
    def cuda_version(self) -> str | None:
        """The CUDA version the framework says it was built with (TensorFlow's ``cuda_version``, ``torch.version.cuda``)."""
        for key in ("cuda_version", "cuda"):
            value = self.build.get(key)
            if isinstance(value, str) and value[:1].isdigit():
                return value
        return None

    @property
    def cudnn_version(self) -> str | None:
        """The cuDNN version TensorFlow says it was built with (``cudnn_version``); None when it did not say."""
        value = self.build.get("cudnn_version")
        return value if isinstance(value, str) and value[:1].isdigit() else None


@record
class DriverCall:
    """One CUDA driver API call and its result code, with the driver's own name and text for it."""

    function: str  # "cuInit"
    code: int | None  # None when the function is missing from the library
    name: str | None = None  # "CUDA_ERROR_NO_DEVICE"
    message: str | None = None  # "no CUDA-capable device is detected"
    value: int | None = None  # the version or count it returned


@record
class DriverAnswer:
    """What ``libcuda`` said when loaded directly through ctypes."""

    library: str  # "libcuda.so.1"
    loaded: bool
    load_error: str | None = None  # the loader's own message
    calls: list[DriverCall] = field(default_factory=list)
    devices: list[Device] = field(default_factory=list)

    def call(self, function: str) -> DriverCall | None:
        """The result of ``function``, when it was called."""
        return next((c for c in self.calls if c.function == function), None)


@record
class ChildAnswer:
    """The one result line a probe child printed, read back."""

    probe: str
    python_version: str = ""
    executable: str = ""
    framework: FrameworkAnswer | None = None
    driver: DriverAnswer | None = None
    # Shared library files the child had mapped (from /proc/self/maps) just before it exited.
    mapped_libraries: list[str] = field(default_factory=list)
    maps_error: str | None = None
    phases: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None  # an unexpected failure of the probe code itself


@record
class ProbeOutcome:
    """How one probe child went: its status, what it printed, and its answer when it gave one."""

    probe: ProbeName
    python: str  # the interpreter that ran it
    status: ProbeStatus
    seconds: float
    timeout_s: float
    pid: int | None = None
    returncode: int | None = None
    signal: str | None = None  # "SIGSEGV" when a signal ended it
    phase: str | None = None  # the last step the child announced before it ended
    stdout: StreamCapture = field(default_factory=StreamCapture)
    stderr: StreamCapture = field(default_factory=StreamCapture)
    answer: ChildAnswer | None = None
    # Mapped libraries from the last step the child finished, for a child that never answered.
    last_mapped_libraries: list[str] = field(default_factory=list)
    detail: str = ""  # why it could not start, why its answer could not be read...
    # Processes of the child's group still alive after the kill (stuck in the kernel).
    survivors: list[int] = field(default_factory=list)
    scope: str = ""  # the framework this probe speaks for ("" for the driver probe)

    def mapped(self) -> list[str]:
        """The shared libraries the child had mapped, from its answer or its last finished step."""
        if self.answer is not None and self.answer.mapped_libraries:
            return self.answer.mapped_libraries
        return self.last_mapped_libraries


@record
class DeepReport:
    """Everything ``--deep`` found, stored in ``snapshot.deep``; probes are keyed by name."""

    probes: dict[str, ProbeOutcome] = field(default_factory=dict)
    timeout_s: float = 60.0
    parallel: int = 1
    seconds: float = 0.0
    # Variables set for the children (TF_FORCE_GPU_ALLOW_GROWTH...) and secret-looking ones removed.
    environment_set: dict[str, str] = field(default_factory=dict)
    environment_removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    format: str = DEEP_FORMAT
    schema_version: int = DEEP_SCHEMA_VERSION

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data for ``snapshot.deep``."""
        data: dict[str, Any] = to_data(self)
        return data

    @classmethod
    def from_json(cls, data: Any) -> DeepReport:
        """Read ``snapshot.deep``; raises ``SchemaError`` naming the path when it is corrupt."""
        if not isinstance(data, dict) or data.get("format") != DEEP_FORMAT:
            raise SchemaError("$.deep: not a whygpu deep-probe section (no \"format\": \"whygpu-deep\")")
        if data.get("schema_version") != DEEP_SCHEMA_VERSION:
            raise SchemaError(f"$.deep: schema_version {data.get('schema_version')!r} is not supported")
        return from_data(cls, data, "$.deep")


def read_deep_section(data: Any) -> DeepReport | Unavailable | None:
    """``snapshot.deep`` read once, with the snapshot: None when ``--deep`` did not run (older
    snapshots write ``{}``), ``Unavailable`` when the section is corrupt (the rest of the snapshot
    still reads; the DEEP rules then say why they cannot judge)."""
    if not data:
        return None
    if isinstance(data, dict) and "unavailable" in data and "format" not in data:
        return Unavailable(str(data.get("unavailable", "")), str(data.get("probe", "deep")))
    try:
        return DeepReport.from_json(data)
    except SchemaError as exc:
        return Unavailable(f"the deep-probe section of the snapshot is unreadable: {exc}", "deep")


__all__ = [
    "DEEP_FORMAT",
    "FRAMEWORK_PROBES",
    "ChildAnswer",
    "DeepReport",
    "Device",
    "DriverAnswer",
    "DriverCall",
    "FrameworkAnswer",
    "OperationResult",
    "ProbeOutcome",
    "StreamCapture",
    "read_deep_section",
]
