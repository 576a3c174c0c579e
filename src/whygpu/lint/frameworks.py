"""What each framework install in a stack needs from CUDA, judged with the knowledge base."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from whygpu.knowledge.jax import jax_plugin, jaxlib_local_cuda, jaxlib_system_cudnn
from whygpu.knowledge.tensorflow import (
    tensorflow_and_cuda_pins,
    tensorflow_build,
    tensorflow_builds,
    tensorflow_package_stub,
    tensorflow_pip_has_gpu,
)
from whygpu.knowledge.torch import torch_python_support, torch_release
from whygpu.lint.packages import PackageSpec
from whygpu.lint.project import Stack

_JAX_LOCAL = re.compile(r"^cuda(\d+)?[-_]local$")
_JAX_BUNDLED = re.compile(r"^cuda(\d+)?(?:[-_]pip)?$")


@dataclass(frozen=True)
class TensorflowInstall:
    """A pip TensorFlow install: the release it resolves to and the CUDA/cuDNN its build needs."""

    spec: PackageSpec
    version: Version | None  # the release minor it resolves to (the newest known when unpinned)
    cuda: Version | None
    cudnn: str | None
    and_cuda: bool  # installed with the [and-cuda] extra
    and_cuda_available: bool  # the release has the extra (2.14+)
    python_range: tuple[str, str] | None
    python_also: tuple[str, ...]
    # For the package named tensorflow: whether that release's tensorflow has the CUDA code
    # (knowledge.tensorflow_pip_has_gpu; None for the other names or an unknown release).
    pip_gpu: bool | None = None
    # The environment's Python when it held an open spec below the newest release (Python 3.8: 2.13), else None.
    resolved_for: Version | None = None
    # It resolves to the distribution's install-time error stub (tensorflow-gpu 2.12): it installs nothing and
    # needs no CUDA; the install fails (DF004/DEP001 say so).
    stub: bool = False

    @property
    def needs_system_cuda(self) -> bool:
        """True when the CUDA and cuDNN libraries must come from outside pip (image, conda, apt)."""
        return not self.and_cuda and self.cuda is not None

    def label(self) -> str:
        """The spec as written, with the release an unpinned spec resolves to."""
        shown = f"{self.spec.raw}"
        if self.spec.unpinned and self.version is not None:
            newest = "the newest release" if self.resolved_for is None else f"the newest release for Python {self.resolved_for}"
            shown += f" (resolves to {self.version}, {newest})"
        return shown


def _minor(text: str | None) -> Version | None:
    if not text:
        return None
    try:
        version = Version(text)
    except InvalidVersion:
        return None
    return Version(".".join(str(p) for p in version.release[:2]))


def tensorflow_versions(python: Version | None = None) -> list[Version]:
    """Every TensorFlow release minor in the knowledge base; with ``python``, only those with Linux wheels for it
    (pip resolves nothing else: TensorFlow 2.13 is the newest for Python 3.8)."""
    builds = tensorflow_builds("linux")
    if python is not None:
        builds = [b for b in builds if Version(b.python_min) <= python <= Version(b.python_max) or str(python) in b.python_also]
    return [Version(b.version) for b in builds]


def tensorflow_installs(stack: Stack) -> Iterator[TensorflowInstall]:
    """pip installs of a CUDA-capable TensorFlow package (tensorflow, tensorflow-gpu, tf-nightly)."""
    python = stack.python[0] if stack.python is not None else None
    for spec in stack.packages:
        if spec.manager != "pip" or spec.name not in ("tensorflow", "tensorflow-gpu", "tf-nightly"):
            continue
        yield tensorflow_install(spec, python)


def tensorflow_install(spec: PackageSpec, python: Version | None = None) -> TensorflowInstall:
    """What a pip TensorFlow spec resolves to and needs; under ``python`` (the environment's, where known) an open
    spec resolves to the newest release with wheels for that Python, as pip does."""
    stub_from = tensorflow_package_stub(spec.name)
    stub = Version(stub_from) if stub_from else None

    def releases(python: Version | None = None) -> list[Version]:
        # A distribution replaced by a stub has tensorflow's releases below it, then the stub, its newest (an sdist
        # without wheels, so for every Python): pip takes the stub for an open spec, not a newer tensorflow.
        found = tensorflow_versions(python)
        return found if stub is None else [v for v in found if v < stub] + [stub]

    newest = spec.resolve(releases())
    version = (spec.resolve(releases(python)) if python is not None else None) or newest
    resolved_for = python if python is not None and version != newest else None
    if stub is not None and version is not None and version >= stub:
        return TensorflowInstall(spec=spec, version=version, cuda=None, cudnn=None, and_cuda="and-cuda" in spec.extras,
                                 and_cuda_available=False, python_range=None, python_also=(), stub=True)
    build = tensorflow_build(str(version)) if version is not None else None
    minor = _minor(build.version) if build else (_minor(str(version)) if version else None)
    pip_gpu = tensorflow_pip_has_gpu(_release_asked(spec, minor)) if spec.name == "tensorflow" else None
    gpu_build = build is not None and build.gpu and (spec.name != "tensorflow" or pip_gpu is True)
    and_cuda_available = version is not None and tensorflow_and_cuda_pins(str(version)) is not None
    return TensorflowInstall(
        spec=spec,
        version=minor,
        cuda=_minor(build.cuda) if build and gpu_build else None,
        cudnn=build.cudnn if build and gpu_build else None,
        and_cuda="and-cuda" in spec.extras,
        and_cuda_available=and_cuda_available,
        python_range=(build.python_min, build.python_max) if build else None,
        python_also=build.python_also if build else (),
        pip_gpu=pip_gpu,
        resolved_for=resolved_for,
    )


def _release_asked(spec: PackageSpec, minor: Version | None) -> str | None:
    """The release pip installs for a spec: ``==X.Y[.Z]`` names one (``==1.15`` is 1.15.0), else the resolved minor alone (its newest patch)."""
    for clause in spec.specifier_set():
        if clause.operator in ("==", "===") and not clause.version.endswith(".*"):
            try:
                release = Version(clause.version.split("+", 1)[0]).release
            except InvalidVersion:
                break
            return ".".join(str(part) for part in (*release, 0, 0)[:3])
    return str(minor) if minor is not None else None


@dataclass(frozen=True)
class JaxInstall:
    """A pip jax install and where its CUDA comes from."""

    spec: PackageSpec
    cuda_major: int | None  # the CUDA major of its extra (cuda12-local -> 12)
    local: bool  # ``-local`` extra: CUDA and cuDNN must come from the system
    bundled: bool  # ``cuda12``-style extra: NVIDIA wheels come with it
    tpu: bool


def jax_installs(stack: Stack) -> Iterator[JaxInstall]:
    """pip installs of jax in a stack."""
    for spec in stack.packages:
        if spec.manager != "pip" or spec.name != "jax":
            continue
        yield jax_install(spec)


def jax_install(spec: PackageSpec) -> JaxInstall:
    """Where a jax spec gets CUDA from."""
    major: int | None = None
    local = bundled = False
    for extra in spec.extras:
        found = _JAX_LOCAL.match(extra)
        if found:
            local = True
            major = int(found.group(1)) if found.group(1) else 12
            continue
        found = _JAX_BUNDLED.match(extra)
        if found:
            bundled = True
            major = int(found.group(1)) if found.group(1) else 12
    return JaxInstall(spec, major, local, bundled, "tpu" in spec.extras)


def jax_has_cuda_plugin(packages: list[PackageSpec]) -> bool:
    """A JAX CUDA plugin, or an old CUDA jaxlib (``jaxlib==0.4.x+cuda12...``), is installed."""
    for spec in packages:
        if jax_plugin(spec.name) is not None:
            return True
        if spec.name == "jaxlib" and jaxlib_local_cuda(spec.local_tag or "") is not None:
            return True
    return False


def jax_cuda_install(stack: Stack) -> str | None:
    """The install that gives JAX CUDA in ``stack`` (a jax CUDA extra, a jax-cudaNN plugin, a CUDA jaxlib), or None:
    where it is, JAX owns the GPU and a CPU PyTorch beside it only feeds data."""
    for jax in jax_installs(stack):
        if jax.cuda_major is not None:
            return jax.spec.raw
    return next((p.raw for p in stack.packages if jax_has_cuda_plugin([p])), None)


def system_cuda_needs(stack: Stack) -> Iterator[tuple[PackageSpec, int | None, Version | None, str | None, str]]:
    """Framework installs whose CUDA must come from the system: (spec, CUDA major, CUDA, cuDNN, why)."""
    for tf in tensorflow_installs(stack):
        if tf.needs_system_cuda:
            why = "pip TensorFlow without the [and-cuda] extra loads CUDA and cuDNN from the system"
            if not tf.and_cuda_available:
                why = f"TensorFlow {tf.version} has no [and-cuda] extra: it loads CUDA and cuDNN from the system"
            yield tf.spec, tf.cuda.major if tf.cuda else None, tf.cuda, tf.cudnn, why
    for jax in jax_installs(stack):
        if jax.local:
            yield jax.spec, jax.cuda_major, None, None, "a jax -local CUDA extra uses the CUDA and cuDNN installed on the system"
    extras = [extra for spec in stack.packages if spec.manager == "pip" and spec.name == "jax" for extra in spec.extras]
    for spec in stack.packages:
        if spec.manager != "pip" or spec.name != "jaxlib" or not spec.local_tag:
            continue
        cudnn = jaxlib_system_cudnn(spec.local_tag, extras)
        local = jaxlib_local_cuda(spec.local_tag)
        if cudnn is not None and local is not None:
            yield spec, local[0], None, cudnn or None, "a CUDA jaxlib (+cudaNN.cudnnMM) loads the CUDA and cuDNN installed on the system"


def python_supported(install: TensorflowInstall, python: Version) -> bool | None:
    """Whether the release has wheels for this Python (None when unknown)."""
    if install.python_range is None:
        return None
    low, high = (Version(v) for v in install.python_range)
    return low <= python <= high or str(python) in install.python_also


@dataclass(frozen=True)
class TorchPythonFit:
    """How a pinned torch serves the environment's Python (knowledge.torch.torch_python_support decides)."""

    version: Version  # the release the pin names
    support: str  # "supported", "wheels" (PyPI wheels, the matrix says experimental or does not list it) or "none"
    wheels: tuple[str, str]  # the Pythons it has PyPI wheels for, oldest and newest
    supported_max: str  # the newest Python the compatibility matrix lists for it


def torch_python_fit(spec: PackageSpec, python: Version) -> TorchPythonFit | None:
    """The release a pinned torch resolves to and how it serves ``python``; None when unpinned or not in the table."""
    version = spec.exact_version() or spec.url_version()
    if version is None:
        return None
    release = torch_release(str(version))
    support = torch_python_support(str(version), str(python))
    if release is None or support is None:
        return None
    return TorchPythonFit(version, support, (release.python_min, release.python_wheels_max), release.python_max)
