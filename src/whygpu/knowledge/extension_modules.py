"""A program's own compiled extension module missing or built without CUDA (accext39, session 39): knowledge/extension_modules.toml.

``program_of_module``: the program a compiled module's import name belongs to ("mmcv._ext", "amp_C"), ``program_of_package``:
the program of an import name (a traceback's directory, "from 'sam2'"), ``program_of_fallback``: the program whose own
warning a line is. ``missing_module_reading``: the one decision of what a missing module means, from the program's build
(``without_cuda``) and what the log shows of that build (typed in ``BuildSeen``).
"""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = [
    "BuildSeen",
    "ExtProgram",
    "ModuleReading",
    "alternative_words",
    "missing_module_reading",
    "program_of_fallback",
    "program_of_module",
    "program_of_package",
    "programs",
]


@record(frozen=True)
class ExtProgram:
    """A program with its own compiled extension module, as its install docs describe it."""

    name: str
    package: str
    modules: tuple[str, ...]
    without_cuda: str
    optional: bool
    guarded: bool
    switches: tuple[str, ...]
    fallback: str
    install: str
    source: str


@record(frozen=True)
class BuildSeen:
    """What a log shows of the extension's build: no toolkit found there (CUDA_HOME unset, nvcc missing), a toolkit installed
    (nvcc's banner, a toolkit directory), and a build that saw no GPU ("No CUDA runtime is found")."""

    toolkit_absent: bool = False
    toolkit_present: bool = False
    no_gpu_at_build: bool = False


@record(frozen=True)
class ModuleReading:
    """The reading of a missing module: the state, its cause (causes.md), the causes left open, and what decides."""

    state: str
    cause: str
    alternatives: tuple[str, ...]
    decide: str


@lru_cache(maxsize=1)
def programs() -> tuple[ExtProgram, ...]:
    return tuple(ExtProgram(r["name"], r["package"], tuple(r["modules"]), r["without_cuda"], bool(r.get("optional", False)),
                            bool(r.get("guarded", False)),
                            tuple(r.get("switches", ())), r.get("fallback", ""), r["install"], r["source"])
                 for r in table_rows("extension_modules", "program"))


def program_of_module(module: str) -> ExtProgram | None:
    """The program whose compiled module ``module`` is (its full import name), or None."""
    return next((p for p in programs() if module in p.modules), None)


def program_of_package(package: str) -> ExtProgram | None:
    """The program of an import name ("groundingdino", "sam2"), or None."""
    low = package.lower()
    return next((p for p in programs() if p.package == low), None)


def program_of_fallback(text: str) -> ExtProgram | None:
    """The program whose own fallback warning ``text`` holds, or None."""
    return next((p for p in programs() if p.fallback and p.fallback.split(": ", 1)[-1] in text), None)


_TOOLKIT_CHECK = ("`python -c \"import torch; from torch.utils.cpp_extension import CUDA_HOME; print(torch.cuda.is_available(), "
                  "CUDA_HOME)\"` and `nvcc --version` in the environment that installs it")


def missing_module_reading(program: ExtProgram, build: BuildSeen) -> ModuleReading:
    """The one decision of a program's compiled module missing (or its fallback said): what the build decided, per causes.md.

    - the build's own words that no toolkit was found, with a toolkit shown installed: CUDA_LIBS_NOT_ON_PATH (there, not found);
    - those words with none shown: CUDA_LIBS_MISSING (the toolkit needed to build was absent);
    - a program that installs without the module where its CUDA build fails (``fails``): CUDA_LIBS_MISSING, its build found
      no toolkit (one there but not found left open);
    - a build that saw no GPU (torch's "No CUDA runtime is found"), or a program whose build without CUDA makes no module
      (``skips``) or ships a flavour without ops (``lite``): FRAMEWORK_CPU_BUILD, the program's build without its CUDA code;
    - a program whose build always makes the module (``cpu_only``: its C++ part): FRAMEWORK_INSTALL_BROKEN, the build never
      ran in this environment or a source tree shadows the installed package.
    """
    if build.toolkit_absent and not build.no_gpu_at_build:
        if build.toolkit_present:
            return ModuleReading("toolkit_not_found", "CUDA_LIBS_NOT_ON_PATH", ("CUDA_LIBS_MISSING",),
                                 f"`echo $CUDA_HOME` and `which nvcc` in the shell that installs: empty while the toolkit's directory exists means it was not found; {_TOOLKIT_CHECK}")
        return ModuleReading("toolkit_absent", "CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH",),
                             f"`nvcc --version` and `ls -d /usr/local/cuda*`: no toolkit anywhere means it must be installed; {_TOOLKIT_CHECK}")
    if program.without_cuda == "fails" and not build.no_gpu_at_build:
        return ModuleReading("toolkit_absent", "CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH", "FRAMEWORK_CPU_BUILD"),
                             f"the install's output (its extension's build error) and `nvcc --version`, `echo $CUDA_HOME`: no nvcc means no toolkit; {_TOOLKIT_CHECK}")
    if program.without_cuda == "lite":
        return ModuleReading("lite_package", "FRAMEWORK_CPU_BUILD", ("FRAMEWORK_INSTALL_BROKEN",),
                             f"`pip list | grep -i {program.package}`: {' or '.join(program_cpu_packages(program))} has no compiled ops")
    if program.without_cuda == "cpu_only" and not build.no_gpu_at_build:
        return ModuleReading("not_built", "FRAMEWORK_INSTALL_BROKEN", ("FRAMEWORK_CPU_BUILD",),
                             f"`python -c \"import {program.package}, os; print(os.path.dirname({program.package}.__file__))\"` from where you run: a source tree without the compiled module means it was never built or shadows the installed one")
    alternatives = ("CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH") if not build.no_gpu_at_build else ("CUDA_LIBS_MISSING",)
    return ModuleReading("built_without_cuda", "FRAMEWORK_CPU_BUILD", alternatives,
                         f"{_TOOLKIT_CHECK}: False or None there means its build saw no CUDA (no toolkit installed, or CUDA_HOME not set)")


def alternative_words(cause: str, program: str) -> tuple[str, str]:
    """(title, fix) of a cause a reading leaves open, in the build's words for ``program``; ("", "") where none is listed."""
    row = next((r for r in table_rows("extension_modules", "alternative") if r["cause"] == cause), None)
    if row is None:
        return "", ""
    return row["title"].format(program=program), row["fix"].format(program=program)


def program_cpu_packages(program: ExtProgram) -> tuple[str, ...]:
    """The distributions of ``program`` without its compiled ops, as its docs name them."""
    row = next((r for r in table_rows("extension_modules", "program") if r["name"] == program.name), {})
    return tuple(row.get("cpu_packages", ()))
