"""Reads a run that finds no CUDA device while another layer lists the GPU (session 36, acchidden).

Three kinds of line, each a form of knowledge/visible_devices.toml, read as one typed fact ``hidden_run``
(knowledge.visible_devices.RunForm): a CUDA build's failure with the driver answering and no device left ([[no_device]]:
"No CUDA GPUs are available", "no CUDA-capable device is detected", CUDA_ERROR_NO_DEVICE); a layer that lists the GPU
([[seen]]: the framework's True in the writer's own shell, "yet tensorflow from cli does it", "nvidia-smi works fine");
how the failing run was started ([[starter]]: a shell run script, a launcher, a scheduler's task, ``python x.py``, a
notebook cell). Only read where the log holds a no-device failure at all (``GATE`` over the whole text), or (session 37)
a starter outside the code beside a sighting; then also [[run_none]], the run's own count of no GPU (``gated``).
``knowledge.visible_devices.hidden_run_cause`` decides what they mean; explain/hiddenrules.py (LOG680) reports.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.visible_devices import RunForm, run_forms

__all__ = ["GATE", "forms", "gated", "said_inside"]

# The whole text holds one of these (lower-cased) before any line is read: a no-device failure's words.
GATE = ("no cuda gpus", "cuda-capable device", "cuda_error_no_device", "cuinit", "cudaerrornodevice", "find cuda device")
# acccodecpu (session 37): or a run started by a run script, a launcher or a scheduler (one of the first) beside some
# layer's sighting (one of the second): the run's failure is then its own report of no GPU or the writer's words (LOG705).
_STARTER_GATE = (".sh", "accelerate launch", "torchrun", "deepspeed", "srun ", "sbatch", "mpirun", "horovodrun", "@ray.remote",
                 "ray.init(", "kubectl")
_SEEN_GATE = ("true", "console", "terminal", "shell", "other", "same error", "nvidia-smi", "其他", "device_lib", "list_physical_devices",
              "device_count")
# The cheap per-line gate: a line names one of these before any row's pattern is tried.
_CUES = ("cuda", "cuinit", "nvidia-smi", "available", "true", "other", "same error", "using", "其他", ".sh", "launch", "torchrun", "deepspeed", "srun", "sbatch", "mpirun",
         "horovod", "ray", "slurm", "kubectl", "python", "ipython", "cell in", " cli", "terminal", "shell", "command", "n_gpu", "console")
# A denial or doubt before the sighting ("nvidia-smi is not fine", "if is_available() is True").
_DOUBT = re.compile(r"\b(?:not|no|never|if|whether|should|must|make\s+sure|check)\b|n't\b|\bfalse\b|\?", re.I)
# The marks that end a clause: a sighting is judged within its own clause ("..True, nvidia-smi is fine, what is wrong?").
_CLAUSE_MARKS = (",", "，", ";", "。", ". ", "?", "？")
# nvidia-smi said to run inside the container the log names.
_INSIDE = re.compile(r"\b(?:inside|within|in)\s+(?:the\s+|my\s+|a\s+)?(?:docker|container|pod|image)\b", re.I)


def _seen_said(line: str, match: re.Match[str]) -> bool:
    """Whether a layer's sighting is asserted: not denied, doubted or asked on its line, not a code comment, and not a
    condition in code."""
    if grammar.code_comment(line):
        return False
    start = max(0, *(line.rfind(mark, 0, match.start()) + 1 for mark in _CLAUSE_MARKS))
    ends = [at for mark in _CLAUSE_MARKS if (at := line.find(mark, match.end())) >= 0]
    end = min(ends) if ends else len(line)
    asked = end < len(line) and line[end] in "?？"
    before = line[max(start, match.start() - 40):match.start()]
    after = line[match.end():min(end, match.end() + 20)]
    return not asked and _DOUBT.search(before) is None and _DOUBT.search(after) is None


def forms(lines: list[str]) -> Iterator[tuple[int, RunForm, str]]:
    """Each form the lines show: (line number, the form, the line). At most one form per table and id."""
    found: set[tuple[str, str]] = set()
    rows = run_forms()
    for number, line in enumerate(lines, 1):
        if len(line) > 2000:
            continue
        low = line.lower()
        if not any(cue in low for cue in _CUES):
            continue
        for form, pattern in rows:
            if (form.table, form.id) in found:
                continue
            match = pattern.search(line)
            if match is None:
                continue
            if form.table == "seen" and not _seen_said(line, match):
                continue
            found.add((form.table, form.id))
            yield number, form, line.strip()


def gated(low_text: str) -> bool:
    """Whether the forms are read at all in a lower-cased text: a no-device failure's words, or a starter of the run outside
    the program's code beside a layer's sighting (session 37)."""
    if any(n in low_text for n in GATE):
        return True
    return any(n in low_text for n in _STARTER_GATE) and any(n in low_text for n in _SEEN_GATE)


def said_inside(lines: list[str]) -> bool:
    """Whether a line that says nvidia-smi works also says it ran inside the container."""
    return any("nvidia-smi" in line.lower() and _INSIDE.search(line) for line in lines)
