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


@lru_cache(maxsize=2)
def _flagged(flag: str) -> frozenset[str]:
    return frozenset(str(r["framework"]) for r in table_rows("install_change", "framework") if r.get(flag))


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


def install_change_cause(framework: str | None, *, platform: str | None, release: str | None = None, cpu_said: bool = False) -> ChangeCause:
    """accbroken (session 34): the one decision LOG575 asks. Another package's install replaced ``framework`` with the
    release its requirement names, from the default index, or put that build beside it:

    - a framework whose GPU build has a distribution name of its own (``name_apart``: tensorflow-gpu, onnxruntime-gpu,
      paddlepaddle-gpu, mxnet-cuXXX): the plain build is installed beside the GPU one, both over one import package:
      FRAMEWORK_INSTALL_BROKEN, whatever the writer calls the plain one;
    - one whose GPU support is a distribution apart (``gpu_apart``: JAX's CUDA plugin): the plugin of the old release is
      left, no longer matching: FRAMEWORK_INSTALL_BROKEN;
    - otherwise the build put in place: the CPU build where the writer names it so (``cpu_said``) or where the plain build
      is the CPU one on the log's platform (knowledge.cpu_packages.plain_twin_cpu: PyPI's torch on native Windows and
      macOS): FRAMEWORK_CPU_BUILD; else another release of a GPU build, which may need a newer driver or no longer match
      its companions and CUDA libraries: FRAMEWORK_INSTALL_BROKEN."""
    from whygpu.knowledge.cpu_packages import gpu_marker_for, plain_twin_cpu

    decides = ("`pip show <framework>` (its release and build now) and `pip install --dry-run <package>` (what the package's "
               "requirements replace)")
    resolver = ("a package's requirement is met by name and release from the default index "
                "(https://pip.pypa.io/en/stable/topics/dependency-resolution/)")
    if framework in _flagged("name_apart"):
        return ChangeCause("FRAMEWORK_INSTALL_BROKEN", ("FRAMEWORK_CPU_BUILD",),
                           f"{resolver}; the GPU build's own distribution name is not the one required, so the plain build is "
                           "installed beside it over the same import package", decides)
    if framework in _flagged("gpu_apart"):
        return ChangeCause("FRAMEWORK_INSTALL_BROKEN", ("CUDA_LIBS_MISMATCH", "FRAMEWORK_CPU_BUILD"),
                           f"{resolver}; the CUDA plugin of the old release is left beside the new one", decides)
    marker = gpu_marker_for(framework) if framework else None
    twin = plain_twin_cpu(marker, release=release, platform=platform) if marker is not None else None
    if cpu_said or (twin is not None and twin.cpu):
        return ChangeCause("FRAMEWORK_CPU_BUILD", ("FRAMEWORK_INSTALL_BROKEN",),
                           twin.because if twin is not None and twin.cpu else f"{resolver}; the log names the build put in place the CPU one",
                           decides)
    return ChangeCause("FRAMEWORK_INSTALL_BROKEN", ("FRAMEWORK_CPU_BUILD", "DRIVER_TOO_OLD") if twin is None or twin.cpu is None
                       else ("DRIVER_TOO_OLD", "CUDA_LIBS_MISMATCH"), f"{resolver}, which uninstalls the build installed", decides)
