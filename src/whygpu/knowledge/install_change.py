"""What an install of another package did to the framework installed (knowledge/install_change.toml), for the writer's
account that the GPU stopped working after such an install (explain.installchange, rule LOG575)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from whygpu.knowledge._util import table_rows


@lru_cache(maxsize=1)
def _frameworks() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(str(r["pattern"]), re.I), str(r["framework"])) for r in table_rows("install_change", "framework"))


@lru_cache(maxsize=1)
def _not_packages() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(str(r["pattern"]), re.I) for r in table_rows("install_change", "not_python_package"))


def framework_of(name: str) -> str | None:
    """The framework a distribution name belongs to ("torchvision" -> "torch"), or None."""
    bare = name.strip("`'\"*").lower().replace("_", "-")
    return next((fw for rx, fw in _frameworks() if rx.match(bare)), None)


@lru_cache(maxsize=1)
def _gpu_apart() -> frozenset[str]:
    return frozenset(str(r["framework"]) for r in table_rows("install_change", "framework") if r.get("gpu_apart"))


def python_package(name: str) -> bool:
    """Whether ``name`` is something installed into the Python environment (not the driver, CUDA, Python itself)."""
    bare = name.strip("`'\"*").lower()
    return not any(rx.match(bare) for rx in _not_packages())


@dataclass(frozen=True)
class ChangeCause:
    """The cause an install's change of the framework means on the log's platform, and what would decide."""

    cause: str
    also: tuple[str, ...]
    because: str
    decides: str


def install_change_cause(framework: str | None, *, platform: str | None, release: str | None = None) -> ChangeCause:
    """accbroken (session 34): the one decision LOG575 asks. Another package's install replaced ``framework`` with the
    release its requirement names, from the default index. Where that plain build is the CPU build on the log's platform
    (knowledge.cpu_packages.plain_twin_cpu: PyPI's torch on native Windows and macOS, plain onnxruntime, paddlepaddle,
    mxnet, jaxlib) the framework left has no CUDA: FRAMEWORK_CPU_BUILD. Otherwise the working build was replaced by
    another release (or its companions left at the old one): FRAMEWORK_INSTALL_BROKEN, with the driver too old for the new
    release's CUDA and the CUDA libraries mismatched as what the check tells apart."""
    from whygpu.knowledge.cpu_packages import gpu_marker_for, plain_twin_cpu

    decides = ("`pip show <framework>` (its release and build now) and `pip install --dry-run <package>` (what the package's "
               "requirements replace)")
    marker = gpu_marker_for(framework) if framework and framework not in _gpu_apart() else None
    twin = plain_twin_cpu(marker, release=release, platform=platform) if marker is not None else None
    if twin is not None and twin.cpu:
        return ChangeCause("FRAMEWORK_CPU_BUILD", ("FRAMEWORK_INSTALL_BROKEN",), twin.because, decides)
    return ChangeCause("FRAMEWORK_INSTALL_BROKEN", ("FRAMEWORK_CPU_BUILD", "DRIVER_TOO_OLD") if twin is None or twin.cpu is None
                       else ("DRIVER_TOO_OLD", "CUDA_LIBS_MISMATCH"),
                       "a package's requirement is met by name and release from the default index, which uninstalls the build "
                       "installed (https://pip.pypa.io/en/stable/topics/dependency-resolution/)", decides)
