"""What conda's solver did, and what it means (accconda, session 36; knowledge/conda_solver.toml).

The one decision over the situations explain/condasolve.py reads (``solver_situation``): the solver's words that the __cuda
virtual package is missing (it detected no driver where it ran), `conda info` without __cuda beside a CPU build, the
framework's CPU build installed beside a CUDA pin, a transaction that replaced a CUDA build with a CPU one, the writer's words
that conda installed the CPU build. Judged by LOG670-LOG674 (explain/condasolverules.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu.knowledge._util import table_rows
from whygpu.knowledge.situations import SituationCause, situation_cause

__all__ = ["CondaGpuInstall", "conda_gpu_install", "no_driver_situation", "solver_situation"]


def solver_situation(situation: str) -> SituationCause | None:
    """The row of conda_solver.toml for ``situation``."""
    return situation_cause("conda_solver", "situation", "situation", situation)


def no_driver_situation(*, image_build: bool, no_gpu_said: bool, driver_shown: bool) -> SituationCause | None:
    """What the solver's "__cuda is missing" means where it ran: ``image_build`` (the solve ran in a container image's build),
    ``no_gpu_said`` (the writer says the machine has no GPU: a login node, a CPU machine), ``driver_shown`` (the log shows a
    working driver on the machine: nvidia-smi's table, a driver version).

    - The writer says the machine has no GPU: NO_GPU (a machine without a GPU defines no __cuda).
    - In an image build: CONTAINER_NO_GPU (no GPU is visible while an image builds).
    - A working driver shown: None (conda did not load a driver that is there: WSL's path or another layer; not decided here).
    - Otherwise: DRIVER_MISSING (conda found no driver to load)."""
    if no_gpu_said:
        return solver_situation("no_driver_no_gpu")
    if image_build:
        return solver_situation("no_driver_image_build")
    if driver_shown:
        return None
    return solver_situation("no_driver")


@dataclass(frozen=True)
class CondaGpuInstall:
    """How to ask conda for a framework's GPU build (conda_solver.toml [[gpu_install]]): the conda package, conda-forge's
    command, the framework's own channel's form ("" where none), what tells which installer owns it, the source."""

    framework: str
    package: str
    command: str
    channel: str
    decides: str
    source: str


def conda_gpu_install(framework: str | None) -> CondaGpuInstall | None:
    """accnoticed (session 37): the conda form of ``framework``'s GPU install, the fix's lead where conda installed the
    framework; None for a framework the table has no row for."""
    for r in table_rows("conda_solver", "gpu_install"):
        if r["framework"] == framework:
            return CondaGpuInstall(str(r["framework"]), str(r["package"]), str(r["command"]), str(r["channel"]),
                                   str(r["decides"]), str(r["source"]))
    return None
