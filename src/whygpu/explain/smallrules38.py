"""Log rules of accsmall38 (session 38).

- LOG765: a program's line gives the driver's CUDA version as 0 (NVIDIA Warp's "CUDA Toolkit 11.5, Driver 0.0 (insufficient
  CUDA driver version!)"): CUDA's answer when no driver is installed (``knowledge.cuda_versions.driver_cuda_none``; the line
  is read by ``explain.drivernone``), so the driver is missing, not too old (knowledge/ruleouts.toml's driver_none_answer row
  moves DRIVER_TOO_OLD down beside it).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject, alternative_hit, log_cause_fix
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    "LOG765", "log-driver-cuda-zero", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads a program's line that gives the driver's CUDA version as 0 (NVIDIA Warp's banner 'CUDA Toolkit 11.5, Driver 0.0 (insufficient CUDA driver version!)', its warning 'the installed CUDA driver version is 0.0', any 'CUDA driver version: 0'): CUDA's own answer that no driver is installed (knowledge.cuda_versions.driver_cuda_none).",
        why="cudaDriverGetVersion returns 0 as the driver version when no driver is installed; a program that prints it as a version and calls it insufficient is reporting a missing (or unreachable) driver, which a driver update of an installed driver would not mend.",
        example="Warp 1.7.0 initialized:\n   CUDA Toolkit 12.8, Driver 0.0 (insufficient CUDA driver version!)\n(https://github.com/NVIDIA/warp/issues/672)",
        fix="Install the NVIDIA driver (or make the installed one reachable: in a container, run it with the GPU; check `nvidia-smi` and that libcuda.so.1 is on the loader path), then run the program again: its banner names the driver's CUDA.",
        limits="Only a version the line gives as the driver's (not a need, 'the minimum required CUDA driver version is 12.0'); quiet where the log shows the GPU at work.",
        references=("https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART____VERSION.html", "https://github.com/NVIDIA/warp/issues/672"),
        causes=("DRIVER_MISSING", "CUDA_LIBS_NOT_ON_PATH"),
    ),
)
def driver_cuda_zero(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.driver_cuda_none or subject.gpu_in_use:
        return
    seen = facts.driver_cuda_none[0]
    yield Hit(
        title=f"The program reads the driver's CUDA version as {seen.value}, CUDA's answer when no NVIDIA driver is installed: the driver is missing (or not reachable), not too old",
        evidence=_ev(seen),
        fix=log_cause_fix("DRIVER_MISSING", subject),
        confidence=Confidence.HIGH,
        cause="DRIVER_MISSING",
        blocks_gpu=True,
        extra={"read_from": "the program's line (explain.drivernone; knowledge.cuda_versions.driver_cuda_none)",
               "source": "https://docs.nvidia.com/cuda/cuda-runtime-api/group__CUDART____VERSION.html"},
    )
    yield alternative_hit("CUDA_LIBS_NOT_ON_PATH", _ev(seen), "DRIVER_MISSING")


SMALL38_RULES: list[Rule[LogSubject]] = [driver_cuda_zero]
