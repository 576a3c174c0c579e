"""Azure knowledge: VM sizes and their GPUs, and the Azure ML base images."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whygpu import lazyre as re
from whygpu.knowledge._util import cc_tuple, table_rows
from whygpu.records import record


@record(frozen=True)
class AzureVmSize:
    """An Azure VM size: whether it has a GPU, which one, how much of it, and its lifecycle."""

    name: str
    series: str | None
    gpu: bool
    gpu_vendor: str | None
    gpu_model: str | None
    gpu_count: float | None
    gpu_share: str | None
    compute_capability: str | None
    driver: str | None
    status: str
    cpu_arch: str
    source: str

    @property
    def cuda_capable(self) -> bool:
        """True when the size has an NVIDIA GPU that CUDA frameworks can use."""
        return self.gpu and self.gpu_vendor == "nvidia"


@record(frozen=True)
class AzureMlImage:
    """An Azure ML base image and the CUDA/cuDNN it carries, if any."""

    name: str
    gpu: bool
    cuda: str | None
    cudnn: str | None
    ubuntu: str | None
    status: str
    source: str


def _size_key(size: str) -> str:
    key = size.strip().lower()
    return key[len("standard_") :] if key.startswith("standard_") else key


def _azure_size_from_row(row: dict[str, Any], name: str) -> AzureVmSize:
    from fractions import Fraction  # with decimal, only when the sizes table is read

    count_text = row.get("gpu_count")
    count = float(Fraction(str(count_text))) if count_text is not None else None
    vendor = row.get("gpu_vendor")
    return AzureVmSize(
        name=name,
        series=row.get("series"),
        gpu=vendor is not None,
        gpu_vendor=vendor,
        gpu_model=row.get("gpu_model"),
        gpu_count=count,
        gpu_share=str(count_text) if count_text is not None else None,
        compute_capability=row.get("compute_capability"),
        driver=row.get("driver"),
        status=row.get("status", "current"),
        cpu_arch=row.get("cpu_arch", "x86_64"),
        source=row["source"],
    )


@lru_cache(maxsize=1)
def _azure_sizes() -> dict[str, AzureVmSize]:
    sizes: dict[str, AzureVmSize] = {}
    for row in table_rows("azure", "vm_size"):
        sizes[_size_key(row["name"])] = _azure_size_from_row(row, row["name"])
    return sizes


def azure_vm_size(size: str) -> AzureVmSize | None:
    """What an Azure VM size has: its GPU vendor, model, count (fractional for vGPU sizes), status.

    Case-insensitive, with or without the "Standard_" prefix. A size of a CPU-only family
    (D, E, F, B, ...) is recognised by its name pattern and returned with ``gpu`` False.
    None when the name is neither a known GPU size nor matches a known family pattern.
    """
    key = _size_key(size)
    if not key:
        return None
    known = _azure_sizes().get(key)
    if known is not None:
        return known
    stripped = size.strip()
    if stripped.lower().startswith("standard_"):
        stripped = stripped[len("standard_") :]
    display = "Standard_" + stripped
    for row in table_rows("azure", "size_pattern"):
        if re.search(row["pattern"], key, flags=re.IGNORECASE):
            return _azure_size_from_row(row, display)
    return None


def azure_gpu_sizes(
    min_compute_capability: str | None = None, vendor: str = "nvidia"
) -> list[AzureVmSize]:
    """Current (not retired or retiring) Azure GPU sizes of a vendor, optionally with CC >= a floor.

    Sorted by compute capability, then GPU count, so the first is the smallest that fits.
    """
    floor = cc_tuple(min_compute_capability) if min_compute_capability else None
    chosen: list[AzureVmSize] = []
    for size in _azure_sizes().values():
        if size.gpu_vendor != vendor or size.status != "current":
            continue
        cc = cc_tuple(size.compute_capability) if size.compute_capability else None
        if floor is not None and (cc is None or cc < floor):
            continue
        chosen.append(size)
    return sorted(
        chosen,
        key=lambda s: (
            cc_tuple(s.compute_capability or "0.0") or (0, 0),
            s.gpu_count or 0.0,
            s.name,
        ),
    )


@lru_cache(maxsize=1)
def _azureml_images() -> dict[str, AzureMlImage]:
    images: dict[str, AzureMlImage] = {}
    for row in table_rows("azure", "azureml_image"):
        image = AzureMlImage(
            name=row["name"],
            gpu=bool(row["gpu"]),
            cuda=row.get("cuda"),
            cudnn=row.get("cudnn"),
            ubuntu=row.get("ubuntu"),
            status=row["status"],
            source=row["source"],
        )
        images[image.name.lower()] = image
    return images


def azureml_image(image: str) -> AzureMlImage | None:
    """An Azure ML base image ("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:tag" or bare name)."""
    text = image.strip().lower()
    text = text.split("@", 1)[0]
    if "/" in text:
        text = text.rsplit("/", 1)[-1]
    text = text.split(":", 1)[0]
    return _azureml_images().get(text)


@record(frozen=True)
class SizeForCuda:
    """Whether an Azure GPU VM size can run a given CUDA: the size, the verdict, and why not."""

    size: AzureVmSize
    usable: bool  # False: the size cannot run it (retired, or its GPU is too old for that CUDA)
    reasons: tuple[str, ...]
    min_compute_capability: str | None  # what the CUDA major needs, when known


def azure_size_for_cuda(size: str, cuda_version: str | None = None) -> SizeForCuda | None:
    """Can this NVIDIA GPU size run work built for ``cuda_version``? Lint's question about Azure GPU generations.

    Not usable when the size is retired (Azure no longer creates it), or when preflight's one decision,
    ``knowledge.target.judge_build_on_target``, finds a blocking problem for a CUDA ``cuda_version``
    build on it (a K80, compute capability 3.7, under CUDA 12; its 470 driver too old for CUDA 12).
    None for a size that is unknown or has no NVIDIA GPU.
    """
    from whygpu.knowledge.cuda import cuda_architecture_support
    from whygpu.knowledge.target import BuildSpec, TargetError, judge_build_on_target, parse_target

    info = azure_vm_size(size)
    if info is None or not info.cuda_capable:
        return None
    reasons: list[str] = []
    minimum: str | None = None
    if info.status == "retired":
        reasons.append(f"{info.name} ({info.gpu_model}) is retired: Azure no longer creates or runs it")
    if cuda_version:
        major = cuda_version.split(".", 1)[0]
        support = cuda_architecture_support(int(major)) if major.isdigit() else None
        minimum = support.min_cc if support is not None else None
        try:
            target = parse_target(info.name)
        except TargetError:
            target = None
        if target is not None:
            build = BuildSpec(framework="cuda", distribution="CUDA", version=cuda_version, cuda=cuda_version)
            reasons += [problem.title for problem in judge_build_on_target(target, build) if problem.blocks]
    return SizeForCuda(info, not reasons, tuple(reasons), minimum)
