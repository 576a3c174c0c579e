"""What a container base image brings for CUDA: read from images.toml and the Azure ML image knowledge."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from packaging.version import Version

from whygpu.knowledge.cuda_versions import cuda_release, cudnn_major
from whygpu.knowledge.torch import torch_cuda_from_local_tag
from whygpu.lint.data import load
from whygpu.lint.interface import Location


@dataclass(frozen=True)
class BaseImage:
    """A base image and its CUDA content: ``kind`` is cpu, cuda, framework, stage or unknown."""

    reference: str
    location: Location
    kind: str
    cuda: Version | None = None  # major.minor of the CUDA in the image
    cuda_major: int | None = None
    cudnn: str | None = None  # cuDNN major ("8"), None when the image has none or it is unknown
    flavor: str | None = None  # base | runtime | devel
    framework: str | None = None  # the framework a framework image carries
    framework_version: str | None = None
    source: str = ""
    note: str = ""

    @property
    def has_cuda_math_libraries(self) -> bool:
        """True when cuBLAS, cuFFT and the other CUDA math libraries are in the image."""
        return self.kind == "framework" or (self.kind == "cuda" and self.flavor != "base")

    @property
    def has_cudnn(self) -> bool:
        """True when cuDNN is in the image."""
        return self.kind == "framework" or self.cudnn is not None

    def describe(self) -> str:
        """The image with its CUDA content, for evidence lines."""
        if self.kind == "cpu":
            return f"{self.reference} (no CUDA libraries)"
        if self.kind in ("cuda", "framework") and self.cuda is not None:
            cudnn = f", cuDNN {self.cudnn}" if self.cudnn else ", no cuDNN"
            flavor = f", {self.flavor}" if self.flavor else ""
            return f"{self.reference} (CUDA {self.cuda}{cudnn}{flavor})"
        return self.reference


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[re.Pattern[str], dict[str, Any]], ...]:
    return tuple((re.compile(row["pattern"]), row) for row in load("images")["image"])


@lru_cache(maxsize=1)
def _cudnn_tags() -> dict[str, str]:
    return {row["tag"]: row["cudnn"] for row in load("images")["cudnn_tag"]}


def _cuda_from(match: re.Match[str]) -> Version | None:
    groups = match.groupdict()
    if groups.get("cuda"):
        return Version(cuda_release(groups["cuda"]))
    if groups.get("cudatag"):
        # The CUDA tag of the image's name is PyTorch's wheel tag (-cu118-: CUDA 11.8).
        cuda = torch_cuda_from_local_tag("cu" + groups["cudatag"])
        return Version(cuda) if cuda else None
    if groups.get("cudamajor"):
        return Version(groups["cudamajor"])
    return None


def classify_image(reference: str, location: Location) -> BaseImage:
    """The CUDA content of ``reference``; ``unknown`` when no row and no Azure ML knowledge matches."""
    text = reference.strip().lower()
    if not text or "$" in text:
        return BaseImage(reference, location, "unknown", note="the image is named by a build argument")
    azureml = _azureml(reference, location)
    if azureml is not None:
        return azureml
    for pattern, row in _rows():
        match = pattern.search(text)
        if not match:
            continue
        cuda = _cuda_from(match)
        groups = match.groupdict()
        cudnn_tag = groups.get("cudnn") or row.get("cudnn")
        cudnn = _cudnn_tags().get(cudnn_tag) if cudnn_tag else None
        return BaseImage(
            reference,
            location,
            row["kind"],
            cuda=cuda,
            cuda_major=cuda.major if cuda is not None else None,
            cudnn=cudnn,
            flavor=groups.get("flavor") or row.get("flavor"),
            framework=row.get("framework"),
            framework_version=groups.get("framework") or None,
            source=row["source"],
            note=row.get("note", ""),
        )
    return BaseImage(reference, location, "unknown")


def _azureml(reference: str, location: Location) -> BaseImage | None:
    from whygpu.knowledge.azure import azureml_image

    if "azureml" not in reference.lower():
        return None
    known = azureml_image(reference)
    if known is None:
        return None
    if not known.gpu:
        return BaseImage(reference, location, "cpu", source=known.source, note=f"Azure ML CPU image ({known.status})")
    cuda = Version(cuda_release(known.cuda)) if known.cuda else None
    cudnn = cudnn_major(known.cudnn) if known.cudnn else None
    return BaseImage(
        reference,
        location,
        "cuda",
        cuda=cuda,
        cuda_major=cuda.major if cuda else None,
        cudnn=cudnn or None,
        flavor="devel",
        source=known.source,
        note=f"Azure ML GPU image ({known.status})",
    )


def suggest_cuda_image(cuda: Version | None, cudnn: str | None) -> str | None:
    """A CUDA image with cuDNN that suits a build of ``cuda``/``cudnn``: a CUDA that serves it (``knowledge.cuda.cuda_serves_build``:
    every start-up soname it loads, else the same major from 11 and the same minor before) at least as new, the same cuDNN major."""
    from whygpu.knowledge.cuda import cuda_serves_build

    if cuda is None:
        return None
    want_cudnn = cudnn_major(cudnn) if cudnn else None
    fitting = []
    for row in load("images")["suggested_image"]:
        row_cuda = Version(row["cuda"])
        if not cuda_serves_build(str(cuda), str(row_cuda)) or row_cuda < cuda:
            continue
        if want_cudnn is not None and row["cudnn"] != want_cudnn:
            continue
        fitting.append((row_cuda, row["image"]))
    return min(fitting)[1] if fitting else None
