"""Preflight knowledge: the target compute (an Azure VM size or a GPU model, with a driver) and whether a build would use it.

Each decision is one function here; the TGT rules (``whygpu.rules.target``) and lint call them:

- :func:`parse_target` turns ``Standard_NC6``, ``NC24ads_A100_v4``, ``T4`` or ``A100,driver=470``
  into a :class:`Target` that says what was assumed (the driver above all);
- :func:`build_runs_on_compute_capability` judges an architecture list against a GPU (SASS,
  same-major binary compatibility, PTX JIT);
- ``knowledge.cuda.driver_version_runs_cuda`` judges a driver (a full version or only a branch) against a
  build's CUDA (the one decision DRV002 and the TGT rules share);
- :func:`judge_build_on_target` puts them together for one framework build: the one call lint needs.
"""

from __future__ import annotations

import difflib
from dataclasses import field, replace
from functools import lru_cache
from typing import Any, Literal

from whygpu import lazyre as re
from whygpu.knowledge._util import cc_tuple, parse_version, table_rows
from whygpu.knowledge.azure import AzureVmSize, azure_gpu_sizes, azure_vm_size
from whygpu.knowledge.cuda import (
    at_least_driver,
    cuda_architecture_support,
    cuda_max_compute_capability,
    driver_version_runs_cuda,
    min_driver_for_cuda,
    minor_compat_min_driver,
)
from whygpu.knowledge.gpus import (
    GpuModel,
    architecture_of_capability,
    gpu_by_name,
    gpu_names,
    last_driver_branch,
)
from whygpu.records import record

DriverBasis = Literal["given", "image", "azure", "architecture", "newest"]


class TargetError(ValueError):
    """A ``--target`` text that names no known size or GPU, or has a bad option; the message suggests the closest."""


@record(frozen=True)
class TargetDriver:
    """The driver the target brings: given by the user, stated for the size by a source, or assumed."""

    version: str | None  # "470.82.01", a branch "535", or None: the newest
    kind: str | None  # "cuda", "grid", "amd"
    basis: DriverBasis
    note: str  # one sentence that says where the version comes from
    source: str | None = None

    @property
    def is_branch(self) -> bool:
        """True when only a branch is known ("535"): any release of it, judged as its newest."""
        return self.version is not None and "." not in self.version

    def label(self) -> str:
        """How the verdict names it: "driver 535 (given)", "driver assumed 470.82.01", "driver unknown, assumed the newest"."""
        if self.version is None:
            return "driver unknown, assumed the newest"
        shown = f"R{self.version}" if self.is_branch and self.basis != "given" else self.version
        if self.basis == "given":
            return f"driver {shown} (given)"
        if self.basis == "image":
            return f"driver {shown} ({self.note.split(': ', 1)[-1]})"
        return f"driver assumed {shown}"


@record(frozen=True)
class Target:
    """The compute a build will run on, with everything assumed about it said."""

    spec: str
    name: str
    kind: Literal["azure_size", "gpu"]
    has_gpu: bool
    vendor: str | None
    model: str | None
    compute_capability: str | None
    architecture: str | None
    gpu_count: float | None
    gpu_share: str | None
    status: str
    driver: TargetDriver
    size: AzureVmSize | None = field(default=None, compare=False)
    source: str | None = None
    cpu_arch: str | None = None  # the host CPU of a size ("x86_64", "aarch64" on Grace); None when not known
    # Where the name was sold on chips of different capabilities ("GeForce GT 630": 2.1, 3.0, 3.5),
    # each of them; ``compute_capability`` is then None and each chip is judged in turn.
    compute_capabilities: tuple[str, ...] = ()

    @property
    def fractional(self) -> bool:
        """True when the size gives a share of one GPU (vGPU / MxGPU), not whole GPUs."""
        return self.gpu_count is not None and self.gpu_count < 1

    @property
    def cuda_capable(self) -> bool:
        """True when the target has an NVIDIA GPU (what CUDA builds need)."""
        return self.has_gpu and self.vendor == "nvidia"

    def gpu_label(self) -> str:
        """"1x Tesla K80", "1/6 of an A10", "no GPU"."""
        if not self.has_gpu:
            return "no GPU"
        model = self.model or "GPU"
        if self.fractional and self.gpu_share:
            return f"{self.gpu_share} of one {model}"
        count = f"{self.gpu_count:g}x " if self.gpu_count is not None else ""
        return f"{count}{model}"

    def describe(self) -> str:
        """"Standard_NC6 (1x Tesla K80, compute capability 3.7, driver assumed 470.82.01)"."""
        parts = [self.gpu_label()]
        if self.compute_capability:
            parts.append(f"compute capability {self.compute_capability}")
        elif self.compute_capabilities:
            parts.append(f"compute capability {_either(self.compute_capabilities)} by chip")
        if self.cuda_capable:
            parts.append(self.driver.label())
        if self.status in ("retired", "retiring", "preview"):
            parts.append(self.status)
        return f"{self.name} ({', '.join(parts)})"

    def to_json(self) -> dict[str, Any]:
        """What was assumed about the target, for the report's ``subject.target``."""
        return {
            "spec": self.spec,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "gpu": {
                "present": self.has_gpu,
                "vendor": self.vendor,
                "model": self.model,
                "count": self.gpu_count,
                "share": self.gpu_share,
                "compute_capability": self.compute_capability,
                "compute_capabilities": list(self.compute_capabilities),
                "architecture": self.architecture,
            },
            "cpu_arch": self.cpu_arch,
            "driver": {
                "version": self.driver.version,
                "kind": self.driver.kind,
                "basis": self.driver.basis,
                "note": self.driver.note,
                "source": self.driver.source,
            },
            "described": self.describe(),
        }


# --- parsing ---------------------------------------------------------------------------------

_DRIVER_RE = re.compile(r"\d{3}(\.\d{1,3}){0,2}")


def _suggestions(name: str) -> list[str]:
    sizes = [row["name"] for row in table_rows("azure", "vm_size")]
    candidates = {c.lower(): c for c in [*sizes, *(s[len("Standard_"):] for s in sizes), *gpu_names()]}
    wanted = name.strip().lower()
    close = difflib.get_close_matches(wanted, list(candidates), n=3, cutoff=0.5)
    return [candidates[c] for c in close]


def _options(options: list[str], spec: str) -> tuple[str | None, str | None]:
    """``driver=VERSION`` and ``image=NAME`` from the text after the first comma."""
    driver: str | None = None
    image: str | None = None
    for option in options:
        key, sep, value = option.partition("=")
        key = key.strip().lower()
        value = value.strip()
        if key not in ("driver", "image") or not sep:
            raise TargetError(f"unknown target option {option.strip()!r} in {spec!r} (options: driver=VERSION, e.g. T4,driver=535; image=NAME, e.g. image=ubuntu-hpc-2404)")
        if key == "driver":
            if not _DRIVER_RE.fullmatch(value):
                raise TargetError(f"driver={value!r} in {spec!r} is not an NVIDIA driver version (e.g. 535 or 470.82.01)")
            driver = value
        else:
            if image_key(value) not in {image_key(row["name"]) for row in table_rows("azure", "image_driver")}:
                known = sorted({row["name"] for row in table_rows("azure", "image_driver")})
                raise TargetError(f"image={value!r} in {spec!r} is not an image whygpu knows the driver of (known: {', '.join(known)})")
            image = value
    return driver, image


def image_key(name: str) -> str:
    """An HPC image name or URN reduced for look-up: "microsoft-dsvm:ubuntu-hpc:2404:latest" -> "ubuntu-hpc-2404"."""
    text = name.strip().lower()
    if text.startswith("microsoft-dsvm:"):
        text = text[len("microsoft-dsvm:"):]
    parts = [p for p in text.split(":") if p and p != "latest" and not re.fullmatch(r"\d+\.\d+\.\d+", p)]
    return "-".join(parts)


def image_driver(name: str, cpu_arch: str | None) -> dict[str, Any] | None:
    """The sourced driver row of an Azure HPC image for a host CPU (x86_64 when not known)."""
    wanted = image_key(name)
    arch = cpu_arch or "x86_64"
    for row in table_rows("azure", "image_driver"):
        if image_key(row["name"]) == wanted and row["cpu_arch"] == arch:
            return row
    return None


def _looks_like_gpu_typo(name: str) -> bool:
    """A bare name (no "Standard_", no "_") close to a GPU name is a mistyped GPU, not a CPU size."""
    lowered = name.strip().lower()
    if lowered.startswith("standard_") or "_" in lowered:
        return False
    return bool(difflib.get_close_matches(lowered, [n.lower() for n in gpu_names()], n=1, cutoff=0.75))


def parse_target(spec: str) -> Target:
    """The target a ``--target`` text names: an Azure size (with or without ``Standard_``) or a GPU model, optionally ``,driver=VERSION``.

    A GPU model is tried first unless the text starts with ``Standard_`` ("A10" is the GPU, not
    the old A-series size). Raises :class:`TargetError` naming the closest known names.
    """
    text = spec.strip()
    if not text:
        raise TargetError("empty target (give an Azure VM size such as Standard_NC24ads_A100_v4 or a GPU such as T4)")
    name, *options = [part.strip() for part in text.split(",")]
    driver, image = _options(options, text)
    gpu = None if name.lower().startswith("standard_") else gpu_by_name(name)
    if gpu is not None:
        return _gpu_target(text, gpu, driver, image)
    size = azure_vm_size(name)
    if size is not None and size.gpu and size.gpu_model is None:
        size = None
    if size is not None and not size.gpu and _looks_like_gpu_typo(name):
        size = None  # "A1000" matches the A-series CPU pattern, but the user meant a GPU
    if size is None or (not size.gpu and not re.search(r"\d", name)):
        close = _suggestions(name)
        hint = f"; did you mean {' or '.join(close)}?" if close else " (give an Azure VM size such as Standard_NC24ads_A100_v4 or a GPU such as T4, A100, H100)"
        raise TargetError(f"unknown target {name!r}: not an Azure VM size or GPU model whygpu knows{hint}")
    return _size_target(text, size, driver, image)


def _gpu_target(spec: str, gpu: GpuModel, driver: str | None, image: str | None = None) -> Target:
    return Target(
        spec=spec, name=gpu.name, kind="gpu", has_gpu=True, vendor=gpu.vendor, model=gpu.name,
        compute_capability=gpu.compute_capability, architecture=gpu.architecture, gpu_count=1.0,
        gpu_share=None, status="current", driver=target_driver(gpu.vendor, gpu.architecture, None, driver, image),
        source=gpu.source, compute_capabilities=() if gpu.compute_capability else gpu.compute_capabilities,
    )


def _either(values: tuple[str, ...]) -> str:
    """"2.1, 3.0 or 3.5"."""
    return ", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1 else "".join(values)


def _size_target(spec: str, size: AzureVmSize, driver: str | None, image: str | None = None) -> Target:
    model = gpu_by_name(size.gpu_model) if size.gpu_model else None
    architecture = model.architecture if model is not None else None
    cc = size.compute_capability or (model.compute_capability if model is not None else None)
    return Target(
        spec=spec, name=size.name, kind="azure_size", has_gpu=size.gpu, vendor=size.gpu_vendor,
        model=size.gpu_model, compute_capability=cc, architecture=architecture, gpu_count=size.gpu_count,
        gpu_share=size.gpu_share, status=size.status,
        driver=target_driver(size.gpu_vendor, architecture, size, driver, image), size=size, source=size.source,
        cpu_arch=size.cpu_arch,
    )


@lru_cache(maxsize=1)
def _size_drivers() -> dict[str, dict[str, Any]]:
    return {row["series"].lower(): row for row in table_rows("azure", "size_driver")}


def target_driver(vendor: str | None, architecture: str | None, size: AzureVmSize | None, given: str | None,
                  image: str | None = None) -> TargetDriver:
    """The driver to judge with: the one given, else the image's, else the one a source states for the size, else the newest the GPU supports."""
    kind = size.driver if size is not None else ("amd" if vendor == "amd" else "cuda" if vendor == "nvidia" else None)
    if given is not None:
        return TargetDriver(given, kind, "given", f"driver {given}, as given with --target")
    row = image_driver(image, size.cpu_arch if size is not None else None) if image else None
    if row is not None:
        return TargetDriver(row["driver"], row["kind"], "image", f"driver {row['driver']}: {row['meaning']}", row["source"])
    row = _size_drivers().get((size.series or "").lower()) if size is not None else None
    if row is not None:
        return TargetDriver(row["driver"], row.get("kind", kind), "azure", f"driver {row['driver']}: {row['meaning']}", row["source"])
    if vendor != "nvidia":
        return TargetDriver(None, kind, "newest", "no NVIDIA driver applies to this GPU")
    branch = last_driver_branch(architecture)
    if branch is not None:
        return TargetDriver(
            branch, kind, "architecture",
            f"the target's driver is not known; assumed the newest that supports this GPU: R{branch} is the last driver branch for {architecture}",
            next((r["source"] for r in table_rows("gpus", "architecture_driver") if r["last_branch"] == branch), None),
        )
    return TargetDriver(None, kind, "newest", "the target's driver is not known; assumed the newest driver, which supports this GPU")


# --- decisions -------------------------------------------------------------------------------


@record(frozen=True)
class ArchFit:
    """Whether a build's compiled architectures run on a GPU, and how."""

    runs: bool | None
    how: Literal["sass", "same-major", "ptx-jit", "none", "unknown"]
    reason: str


def _arch_sets(archs: list[str]) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Kernels (SASS) and PTX in an arch list written "sm_86"/"compute_90" (TF) or "8.6"/"12.0+PTX" (torch)."""
    sass: set[tuple[int, int]] = set()
    ptx: set[tuple[int, int]] = set()
    for arch in archs:
        text = arch.strip().lower()
        is_ptx = text.startswith("compute_") or text.endswith("+ptx")
        base = text[: -len("+ptx")] if text.endswith("+ptx") else text
        key = cc_tuple(base.rstrip("af") if base.startswith(("sm_", "compute_")) else base)
        if key is None:
            continue
        if is_ptx:
            ptx.add(key)
        if not text.startswith("compute_"):
            sass.add(key)
    return sass, ptx


def build_runs_on_compute_capability(archs: list[str], cc: str) -> ArchFit:
    """Whether code compiled for ``archs`` runs on a GPU of compute capability ``cc``.

    SASS for X.Y runs on X.Z with Z >= Y (same major, binary compatible); PTX for X.Y is
    JIT-compiled by the driver for any newer GPU, at a start-up cost. An empty list is unknown.
    Source: https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#binary-compatibility
    """
    wanted = cc_tuple(cc)
    sass, ptx = _arch_sets(archs)
    if wanted is None or not (sass or ptx):
        return ArchFit(None, "unknown", "the build's architecture list is not known")
    listed = ", ".join(archs)
    if wanted in sass:
        return ArchFit(True, "sass", f"the build contains kernels for sm_{wanted[0]}{wanted[1]}")
    same_major = sorted(a for a in sass if a[0] == wanted[0] and a[1] <= wanted[1])
    if same_major:
        a = same_major[-1]
        return ArchFit(True, "same-major", f"sm_{a[0]}{a[1]} kernels run on compute capability {cc} (same major, binary compatible)")
    older_ptx = sorted(p for p in ptx if p <= wanted)
    if older_ptx:
        p = older_ptx[-1]
        return ArchFit(True, "ptx-jit", f"no kernels for sm_{wanted[0]}{wanted[1]}: the driver JIT-compiles the compute_{p[0]}{p[1]} PTX at start-up (slow first start, then cached)")
    return ArchFit(False, "none", f"the build contains {listed}: no kernels for sm_{wanted[0]}{wanted[1]} and no older PTX to JIT-compile")


def newer_than_build_top(top: str, cc: str) -> bool | None:
    """accfam41 (session 41): whether a GPU of compute capability ``cc`` is of a newer major than ``top``, the highest
    architecture a build states it holds code for (PyTorch's range warning, "Minimum and Maximum cuda capability supported
    by this version of PyTorch is (5.0) - (9.0)"), so that no entry of its list can run on it. None when either is unreadable.

    Only the top is known, not the list, so only the major decides: SASS of X.Y runs on X.Z (Z >= Y), never on a newer
    major (NVIDIA's binary compatibility), and PyTorch's own check of its cubins (torch/cuda/__init__.py ``_check_cubins``)
    calls a GPU supported when any ``sm_`` entry shares its major. A GPU above the top within the top's major (GB10's 12.1
    beside 12.0) therefore runs the top's code, and the range warning that names it is wrong (pytorch#172629, fixed by
    pytorch#166185); a GPU inside the range is judged by the list, never by its two ends (a gap inside the range is the
    list's, LOG232). PTX of the top, which a source build may add ("9.0+PTX"), is not in the range's words, so the reading
    speaks of PyTorch's release wheels, whose lists carry no PTX entry (``torch.cuda.get_arch_list()``).
    Sources: https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#binary-compatibility,
    https://github.com/pytorch/pytorch/blob/main/torch/cuda/__init__.py
    """
    highest, wanted = cc_tuple(top), cc_tuple(cc)
    if highest is None or wanted is None:
        return None
    return wanted[0] > highest[0]


def cuda_supports_gpu(cuda: str, cc: str) -> tuple[bool | None, str]:
    """Whether a CUDA major still supports a GPU at all (its libraries have code for it): CUDA 12 dropped Kepler, CUDA 13 Volta and older.

    Only the floor is judged: a GPU newer than the toolkit runs through PTX, which the
    architecture list decides.
    """
    parsed = parse_version(cuda)
    wanted = cc_tuple(cc)
    if parsed is None or wanted is None:
        return None, "unknown CUDA or compute capability"
    support = cuda_architecture_support(parsed.release[0])
    if support is None:
        return None, f"no architecture data for CUDA {parsed.release[0]}"
    from whygpu.knowledge.gpus import compute_capability_below

    if compute_capability_below(cc, support.min_cc):
        return False, f"CUDA {parsed.release[0]} supports compute capability {support.min_cc} and newer ({support.note or 'older GPUs dropped'})"
    return True, f"CUDA {parsed.release[0]} supports compute capability {cc}"


def driver_supports_gpu(driver: str, architecture: str | None, cc: str | None) -> tuple[bool | None, str]:
    """Whether a driver can drive a GPU: not newer than the architecture's last branch, not older than the first CUDA that knew the GPU."""
    have = parse_version(driver)
    if have is None:
        return None, "unparseable driver"
    branch = last_driver_branch(architecture)
    if branch is not None and have.release[0] > int(branch):
        return False, f"R{branch} is the last driver branch that supports {architecture} GPUs; driver {driver} does not"
    first = min_driver_for_compute_capability(cc) if cc else None
    if first is not None and at_least_driver(driver, first) is False:
        return False, f"compute capability {cc} needs driver {first} or newer (the first CUDA that knows it)"
    return True, f"driver {driver} supports this GPU"


def min_driver_for_compute_capability(cc: str) -> str | None:
    """The oldest driver that knows a GPU: the driver of the first CUDA toolkit whose newest compute capability reaches ``cc``."""
    wanted = cc_tuple(cc)
    if wanted is None:
        return None
    firsts = sorted(
        (parse_version(row["cuda"]), row["max_cc"]) for row in table_rows("cuda", "newest_cc")
    )
    for version, max_cc in firsts:
        top = cc_tuple(max_cc)
        if version is not None and top is not None and top >= wanted:
            return min_driver_for_cuda(str(version))
    return None


@record(frozen=True)
class BuildSpec:
    """What is known of one framework build: enough for lint (from pins) and doctor (from files)."""

    framework: str  # "tensorflow", "torch", "jax"
    distribution: str
    version: str
    cuda: str | None
    archs: tuple[str, ...] = ()
    rocm: bool = False


@record(frozen=True)
class TargetProblem:
    """One reason a build would not use (or would only slowly use) the target's GPU."""

    kind: Literal["no-gpu", "not-nvidia", "compute-capability", "ptx-jit", "driver-too-old", "driver-unknown"]
    cause: str
    blocks: bool
    title: str
    evidence: tuple[str, ...]


def build_archs(build: BuildSpec) -> list[str]:
    """The build's architecture list: read from its files, else the official wheels' list from the knowledge tables."""
    if build.archs:
        return list(build.archs)
    if build.framework == "tensorflow":
        from whygpu.knowledge.tensorflow import tensorflow_compute_capability

        row = tensorflow_compute_capability(build.version)
        return list(row.archs) if row is not None else []
    if build.framework == "torch" and build.cuda:
        from whygpu.knowledge.torch import torch_arch_list

        return torch_arch_list(build.version.split("+", 1)[0], build.cuda) or []
    return []


def judge_build_on_target(target: Target, build: BuildSpec) -> list[TargetProblem]:
    """Every reason ``build`` would not use the target's GPU (empty: it would), each with its cause code.

    The one decision lint and preflight share: GPU vendor, the framework's minimum compute
    capability, the architecture list with PTX forward compatibility, the CUDA major's dropped
    GPUs, and the target's driver (given, sourced or assumed) against the build's CUDA.
    """
    name = f"{build.distribution} {build.version}"
    where = target.describe()
    if not target.has_gpu:
        return [TargetProblem("no-gpu", "NO_GPU", True, f"{target.name} has no GPU", (f"target {where}",))]
    if not target.cuda_capable:
        if build.rocm:
            return []
        return [TargetProblem("not-nvidia", "GPU_NOT_SUPPORTED", True,
                              f"{name} is a CUDA build; the {target.model} on {target.name} is not an NVIDIA GPU",
                              (f"target {where}", f"{name}" + (f" is built for CUDA {build.cuda}" if build.cuda else "")))]
    if not target.compute_capability and len(target.compute_capabilities) > 1:
        return _judge_each_chip(target, build)
    problems: list[TargetProblem] = []
    cc = target.compute_capability
    if cc:
        problems += _gpu_problems(target, build, name, cc)
    if build.cuda:
        problems += _driver_problems(target, build, name, any(p.kind == "ptx-jit" for p in problems))
    return problems


def _chip_target(target: Target, cc: str) -> Target:
    """The target as if its GPU were the chip of capability ``cc``: that chip's architecture and, unless given, its newest driver."""
    arch = architecture_of_capability(cc)
    driver = target.driver
    if driver.basis in ("architecture", "newest"):
        driver = target_driver(target.vendor, arch, target.size, None)
    return replace(target, compute_capability=cc, compute_capabilities=(), architecture=arch, driver=driver)


_CHIP_CHECK = ("which chip it is decides: `nvidia-smi --query-gpu=name,compute_cap --format=csv` (driver 510 or newer) "
               "or the card's PCI device id (`lspci -nn -d 10de:`)")


def _judge_each_chip(target: Target, build: BuildSpec) -> list[TargetProblem]:
    """Judge a name sold on several chips once per chip: a problem every chip has stands; one only some have is said, not blocking.

    A GeForce GT 630 may be a Fermi (2.1) or a Kepler (3.0, 3.5) card; TensorFlow 2.21 (minimum
    6.0) refuses all three, while torch 1.12 +cu113 (3.7 and newer) runs on none and a CUDA 10
    build runs on the Kepler ones only.
    """
    name = f"{build.distribution} {build.version}"
    every = target.compute_capabilities
    judged = [(cc, judge_build_on_target(_chip_target(target, cc), build)) for cc in every]
    kinds = list(dict.fromkeys(p.kind for _cc, problems in judged for p in problems))
    sold = f"the {target.model} was sold with compute capability {_either(every)}"
    # What a problem of the chip says without the chip's capability ("torch 1.4.0 cannot run on the GeForce GT 630").
    about_gpu = {"compute-capability": f"{name} cannot run on the {target.model}", "ptx-jit": f"{name} has no kernels for the {target.model}"}
    merged: list[TargetProblem] = []
    for kind in kinds:
        hits = [(cc, p) for cc, problems in judged for p in problems if p.kind == kind]
        ccs = tuple(dict.fromkeys(cc for cc, _p in hits))
        first = hits[0][1]
        evidence = tuple(f"compute capability {cc} ({architecture_of_capability(cc) or 'architecture unknown'}): {p.title}"
                         for cc, p in hits) + first.evidence[-1:]
        if kind == "driver-unknown":
            merged.append(replace(first, evidence=(*evidence, sold)))
        elif len(ccs) == len(every):
            every_chip = {"compute-capability": f"{about_gpu['compute-capability']}, whichever chip it has",
                          "ptx-jit": f"{about_gpu['ptx-jit']}, whichever chip it has: it runs through PTX JIT compilation",
                          "driver-too-old": f"No driver that supports the {target.model} runs {name} (CUDA {build.cuda}), whichever chip it has"}
            given = kind == "driver-too-old" and target.driver.basis in ("given", "image")  # the same driver for every chip
            title = first.title if given else every_chip.get(kind, first.title)
            merged.append(replace(first, title=title, evidence=(*evidence, sold)))
        else:
            title = f"{about_gpu.get(kind, first.title)} if it is the compute capability {_either(ccs)} chip"
            merged.append(replace(first, blocks=False, title=title, evidence=(*evidence, f"{sold}; {_CHIP_CHECK}")))
    return merged


@record(frozen=True)
class GpuFit:
    """Whether a build runs on a GPU of some compute capability: ``runs`` False names why; ``how`` "ptx-jit" runs slowly at first."""

    runs: bool | None
    how: str
    reasons: tuple[str, ...]


def build_runs_on_gpu(build: BuildSpec, cc: str) -> GpuFit:
    """Whether ``build`` runs on a GPU of compute capability ``cc``: TensorFlow's minimum, the CUDA major's dropped GPUs, then the architecture list (same major, PTX JIT).

    The doctor (HW003, on this machine's GPU) and preflight (TGT003, on the target's) both call it.
    """
    if build.framework == "tensorflow":
        from whygpu.knowledge.tensorflow import tensorflow_min_compute_capability

        minimum = tensorflow_min_compute_capability(build.version)
        wanted, floor = cc_tuple(cc), cc_tuple(minimum) if minimum else None
        if wanted is not None and floor is not None and wanted < floor:
            return GpuFit(False, "none", (f"TensorFlow {build.version} binaries need compute capability {minimum} or higher",))
    name = f"{build.distribution} {build.version}".strip()
    # acccc (session 23): a program's own documented floor (knowledge/programs.toml [[min_compute_capability]]: Ollama's 5.0).
    from whygpu.knowledge.programs import program_min_compute_capability

    floor_row = program_min_compute_capability(build.framework, build.version or None)
    from whygpu.knowledge.gpus import compute_capability_below

    if floor_row is not None and compute_capability_below(cc, floor_row[0]):
        return GpuFit(False, "none", (f"{name}'s GPU builds need compute capability {floor_row[0]} or newer ({floor_row[1]})",))
    if build.cuda:
        supported, why = cuda_supports_gpu(build.cuda, cc)
        if supported is False:
            return GpuFit(False, "none", (f"{name} is built for CUDA {build.cuda}", why))
    fit = build_runs_on_compute_capability(build_archs(build), cc)
    if fit.how == "ptx-jit" and build.cuda:
        newest = cuda_max_compute_capability(build.cuda)
        if newest:
            return GpuFit(True, "ptx-jit", (fit.reason, f"CUDA {build.cuda} compiles for compute capability up to {newest}"))
    if fit.runs is None and build.cuda:
        # acccc (session 23): no architecture list known, and the GPU is newer than anything the build's CUDA can compile
        # SASS for: it runs only through PTX, which the build may not carry. Not decided (runs None): "beyond-toolkit".
        newest = cuda_max_compute_capability(build.cuda)
        wanted, top = cc_tuple(cc), cc_tuple(newest) if newest else None
        # accfacts (session 25): only a newer major. Machine code of the newest architecture the CUDA knows runs on a later
        # minor of the same major (CUDA C++ Programming Guide, binary compatibility: X.y code on X.z, z >= y), as CUDA 9.0's
        # sm_70 runs on a 7.5 GPU and CUDA 11.3's sm_86 on an 8.9 one.
        if wanted is not None and top is not None and wanted[:1] > top[:1]:
            return GpuFit(None, "beyond-toolkit", (
                f"CUDA {build.cuda} compiles for compute capability up to {newest}: a build made with it runs on {cc} only "
                "through PTX JIT, and only if the build ships PTX",))
    return GpuFit(fit.runs, fit.how, (fit.reason,))


def current_builds_cuda_major() -> int | None:
    """accunsup (session 26): the oldest CUDA major current framework releases still publish GPU builds for
    (knowledge/cuda.toml [[current_builds]]), or None when the table has no row."""
    rows = table_rows("cuda", "current_builds")
    return min(int(row["cuda_major"]) for row in rows) if rows else None


def gpu_outside_builds(cc: str, builds: tuple[BuildSpec, ...] | list[BuildSpec] = ()) -> GpuFit:
    """accunsup (session 26): whether a GPU of compute capability ``cc`` lies outside what the builds shown cover: the one
    decision behind a program's own "no compatible GPU found" / "your GPU is not supported" line judged by the card named
    beside it, and behind a forward-compatibility refusal on a GPU that the driver's own CUDA already dropped.

    With ``builds`` (a framework release with its CUDA, a program built with a CUDA): each judged by
    :func:`build_runs_on_gpu`; False where one of them cannot run the GPU at all, True where every one does, else None
    (a build whose architecture list is not known). With none: judged against the oldest CUDA major that current framework
    releases still ship (:func:`current_builds_cuda_major`): a GPU that CUDA no longer supports (Kepler and older under
    CUDA 12) is outside every current build; a newer one is not decided by this (None: another cause may keep it off).
    """
    fits = [build_runs_on_gpu(build, cc) for build in builds]
    for fit in fits:
        if fit.runs is False:
            return fit
    if fits:
        return GpuFit(True, "all", tuple(r for f in fits for r in f.reasons)) if all(f.runs for f in fits) else \
            GpuFit(None, "unknown", tuple(r for f in fits for r in f.reasons))
    major = current_builds_cuda_major()
    if major is None:
        return GpuFit(None, "unknown", ("no CUDA major of current builds is known",))
    supported, why = cuda_supports_gpu(str(major), cc)
    if supported is False:
        return GpuFit(False, "none", (f"current framework builds need CUDA {major} or newer, and {why}",))
    # accarch (session 28): a GPU newer than the first release of that major knows (Blackwell's 12.0: CUDA 12.8) lies outside
    # every build made with an earlier release of it, which current frameworks still ship (PyTorch's CUDA 12.6 wheels,
    # TensorFlow's): which build the program brings decides (None), but the GPU is the likeliest reason it is refused.
    from whygpu.knowledge.cuda import cuda_first_for_compute_capability

    first = cuda_first_for_compute_capability(cc)
    parsed = parse_version(first) if first else None
    if parsed is not None and parsed.release[0] == major and parsed.release[1:2] > (0,):
        return GpuFit(None, "newer-than-builds", (
            f"compute capability {cc} is known from CUDA {first} on: builds made with CUDA {major}.x before it (current ones among "
            "them) have no code for it",))
    return GpuFit(None, "unknown", (f"current builds support compute capability {cc}; which build is installed decides",))


def _gpu_problems(target: Target, build: BuildSpec, name: str, cc: str) -> list[TargetProblem]:
    gpu = f"{target.model} (compute capability {cc})"
    fit = build_runs_on_gpu(build, cc)
    if fit.runs is False:
        return [TargetProblem("compute-capability", "GPU_NOT_SUPPORTED", True, f"{name} cannot run on the {gpu}", fit.reasons)]
    if fit.how == "ptx-jit":
        return [TargetProblem("ptx-jit", "GPU_NOT_SUPPORTED", False,
                              f"{name} has no kernels for the {gpu}: it runs through PTX JIT compilation, slowly at first", fit.reasons)]
    return []


def _driver_problems(target: Target, build: BuildSpec, name: str, needs_jit: bool) -> list[TargetProblem]:
    assert build.cuda is not None
    driver = target.driver
    if driver.version is None:
        parsed = parse_version(build.cuda)
        compat = minor_compat_min_driver(parsed.release[0]) if parsed is not None else None
        exact = min_driver_for_cuda(build.cuda)
        need = f"driver {exact or compat} or newer" + (f" ({compat} with minor-version compatibility)" if compat and exact and compat != exact else "")
        return [TargetProblem("driver-unknown", "DRIVER_TOO_OLD", False,
                              f"The target's driver is not known; {name} (CUDA {build.cuda}) needs {need}",
                              (driver.note,))]
    fit = driver_version_runs_cuda(driver.version, build.cuda)
    evidence = (driver.note, f"{name} is built for CUDA {build.cuda}", fit.reason)
    if fit.runs is False:
        return [TargetProblem("driver-too-old", "DRIVER_TOO_OLD", True,
                              f"The target's driver {driver.version} is too old for {name} (CUDA {build.cuda})", evidence)]
    if fit.runs and not fit.exact and needs_jit:
        return [TargetProblem("driver-too-old", "DRIVER_TOO_OLD", True,
                              f"The target's driver {driver.version} cannot JIT-compile {name}'s PTX (CUDA {build.cuda}) for the {target.model}",
                              (*evidence, "minor-version compatibility does not cover PTX from a newer toolkit (CUDA_ERROR_UNSUPPORTED_PTX_VERSION)"))]
    return []


def cpu_architecture(machine: str) -> str:
    """One name per CPU architecture as wheels are tagged: "AMD64"/"amd64" -> "x86_64", "arm64" -> "aarch64"."""
    lowered = machine.strip().lower()
    return {"amd64": "x86_64", "x64": "x86_64", "arm64": "aarch64"}.get(lowered, lowered)


def image_runs_on_cpu(image_machine: str, target_arch: str | None) -> bool | None:
    """Whether an environment built for ``image_machine`` runs on a host of ``target_arch``: compiled wheels are per architecture.

    None when either is unknown. Source: https://packaging.python.org/en/latest/specifications/platform-compatibility-tags/
    """
    if not target_arch or not image_machine or image_machine == "unknown":
        return None
    return cpu_architecture(image_machine) == cpu_architecture(target_arch)


def image_driver_library_wins(image_library: str, target_driver: str | None) -> bool | None:
    """Whether a libcuda baked into an image would shadow the target host's driver library: True when it is newer.

    The NVIDIA container runtime mounts the host's libcuda.so.<version> beside the image's and
    runs ldconfig, which points libcuda.so.1 at the highest version; a copy newer than the host's
    kernel module then fails with CUDA_ERROR_SYSTEM_DRIVER_MISMATCH (803). None when the target's
    driver is not known. Source: https://docs.nvidia.com/deploy/cuda-compatibility/ (error 803)
    """
    if target_driver is None:
        return None
    ours, theirs = parse_version(image_library), parse_version(target_driver)
    if ours is None or theirs is None:
        return None
    if "." not in target_driver.strip():
        return ours.release[0] > theirs.release[0]
    return ours > theirs


# --- sizes -------------------------------------------------------------------------------


def current_equivalent(target: Target) -> tuple[str, str] | None:
    """A current size to move a retired/retiring one to: (size name, why), sourced where Microsoft names one, else computed."""
    size = target.size
    if size is None:
        return None
    for row in table_rows("azure", "size_successor"):
        if row["series"].lower() == (size.series or "").lower():
            return row["successor"], f"{row['meaning']} ({row['source']})"
    if not target.has_gpu or target.vendor is None:
        return None
    count = max(target.gpu_count or 1.0, 1.0)
    fits = [s for s in azure_gpu_sizes(min_compute_capability=target.compute_capability, vendor=target.vendor)
            if count <= (s.gpu_count or 0) <= 2 * count and (size.driver is None or s.driver == size.driver)]
    if not fits:
        return None
    fits.sort(key=lambda s: (s.gpu_count or 0.0, cc_tuple(s.compute_capability or "0.0") or (0, 0), _vcpus(s.name), s.name))
    floor = f" of compute capability {target.compute_capability} or newer" if target.compute_capability else ""
    return fits[0].name, f"the smallest current {target.vendor.upper()} size with {count:g} or more GPUs{floor} (computed from whygpu's size table)"


def _vcpus(size_name: str) -> int:
    """The vCPU count in a size name ("Standard_NC4as_T4_v3" -> 4), to prefer the smallest."""
    match = re.search(r"_[a-z]+(\d+)", size_name, flags=re.IGNORECASE)
    return int(match.group(1)) if match else 0


def framework_build_runs_on(framework: str, version: str, cuda: str | None, cc: str) -> bool | None:
    """accprose (session 35): whether the official build of ``framework`` at ``version`` (with its CUDA variant where known)
    runs on a GPU of compute capability ``cc``: True, False, or None where the tables cannot say. PyTorch by its release's
    architecture lists (``knowledge.torch.torch_release_runs_on``: every variant must agree when none is given), TensorFlow by
    its release's tested build (``knowledge.tensorflow.tensorflow_build``) through ``build_runs_on_gpu``; other frameworks
    None. The explain reading of a GPU named beside a build (LOG600) and its rule-out of GPU_NOT_SUPPORTED (a GPU the build
    runs) ask it."""
    if framework == "torch":
        from whygpu.knowledge.torch import torch_release_runs_on

        return torch_release_runs_on(version, cuda, cc)[0]
    if framework == "tensorflow":
        from whygpu.knowledge.tensorflow import tensorflow_build

        tested = tensorflow_build(version)
        if tested is None or not tested.gpu:
            return None
        fit = build_runs_on_gpu(BuildSpec("tensorflow", "TensorFlow", version, tested.cuda), cc)
        return fit.runs if fit.how != "beyond-toolkit" else None
    return None
