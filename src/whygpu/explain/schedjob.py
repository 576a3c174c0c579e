"""Batch schedulers and shared clusters, read into one typed fact (session 36, accsched).

``LogFacts.sched_job`` holds, as ``<table>:<row id>[:<how told>]`` (knowledge.schedulers' rows):
- ``place:<id>:lacks|ran``: a node without a GPU (a login, head or submit node; a cluster's non-GPU nodes) told with its
  lack of a GPU, or as the place something ran;
- ``node_state:<id>``: one node's own GPU state (a GPU lost, one not working, a job failing on that node only);
- ``directive:<id>``: a scheduler's GPU directive named (Slurm's --gres/--gpus/--gpus-per-task, PBS's ngpus, LSF's -gpu,
  HTCondor's request_gpus, Kubernetes' nvidia.com/gpu);
- ``device_map:<id>``: a framework's mapping of a job's processes to GPUs that leaves GPUs unused (JAX under Slurm);
- ``sign:<id>``: a run that found no GPU, or one of several, beside any of the above.
A code comment, and a line longer than 4000 characters, are not read.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain import grammar
from whygpu.knowledge.schedulers import (
    directive_named,
    mapping_cues,
    mapping_said,
    no_gpu_signs,
    node_state_said,
    place_said,
)

__all__ = ["TEXT_CUES", "read"]

# The cheap gates: the text must hold one of these (lower case) for anything to be read; then each line its own.
TEXT_CUES: tuple[str, ...] = ("node", "host", "machine", "slurm", "sbatch", "srun", "qsub", "bsub", "request_gpus", "nvidia.com/gpu",
                              "gpus-per-task", "gpu-bind", "lost a gpu", "lost one gpu", "lost 1 gpu", "short a gpu", "missing gpus",
                              "one of the gpus", "fallen off", *mapping_cues())
_PLACE_WORDS = ("login", "head", "submit", "submission", "front", "master", "staging", "non-gpu", "non gpu", "nongpu", "cpu")
_STATE_WORDS = ("lost", "short", "missing", "one of the gpus", "fallen off", "only", "rev ff", "same job", "same code", "same script",
                "same run", "other nodes")
_DIRECTIVE_WORDS = ("gres", "--gpus", "gpus-per-task", "gpu-bind", "ngpus", "gpus=", "-gpu", "-l gpu", "request_gpus", "nvidia.com/gpu")
_SIGN_WORDS = ("cuda_error_no_device", "cuda-capable", "no cuda gpus", "nodevice", "no devices", "visible cuda devices", "no gpu",
               "nvidia-smi", "libcuda.so.1", "only has: [0]", "only see", "only has", "only find", "a single gpu",
               "memory", "busy or unavailable", "srun", "sbatch", "salloc", "qsub", "qrsh", "bsub",
               "condor_submit", "#pbs", "kubectl")


def read(text: str, low_text: str, lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """(line number, line, value) of each scheduler reading (the first of each value)."""
    if not any(cue in low_text for cue in TEXT_CUES):
        return
    seen: set[str] = set()
    mapping = any(cue in low_text for cue in mapping_cues())
    found: list[tuple[int, str, str]] = []
    for number, line in enumerate(lines, 1):
        if len(line) > 4000 or not line.strip():
            continue
        low = line.lower()
        values: list[str] = []
        if (("node" in low or "host" in low or "machine" in low or "partition" in low) and any(w in low for w in _PLACE_WORDS)
                and not grammar.code_comment(line.strip()) and (place := place_said(line)) is not None):
            values.append(f"place:{place[0].id}:{place[1]}")
        if ("gpu" in low or "node" in low) and any(w in low for w in _STATE_WORDS) and (state := node_state_said(line)) is not None:
            values.append(f"node_state:{state.id}")
        if any(w in low for w in _DIRECTIVE_WORDS):
            values.extend(f"directive:{row.id}" for row in directive_named(line))
        if mapping and (row := mapping_said(text, line)) is not None:
            values.append(f"device_map:{row.id}")
        if any(w in low for w in _SIGN_WORDS):
            values.extend(f"sign:{sign}" for sign in no_gpu_signs(line))
        for value in values:
            if value not in seen:
                seen.add(value)
                found.append((number, line.strip(), value))
    # Signs alone say nothing of a scheduler: kept only beside a reading of the others.
    if any(not value.startswith("sign:") for _, _, value in found):
        yield from found
