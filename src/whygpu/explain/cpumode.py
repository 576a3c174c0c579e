"""Whether a program's own "running on the CPU" line answers for its framework (accnoticed41, session 41).

Some programs run on the CPU as a mode of their own and say so on every CPU run: whisper's "FP16 is not supported on CPU;
using FP32 instead" (whisper/transcribe.py, whenever the model is on the CPU and fp16 is left at its default True),
Ultralytics' "... torch-X CPU (...)" device line, sentence-transformers' "Use pytorch device_name: cpu", InvokeAI's ">> Using
device_type cpu", PyTorch's CPU kernels refusing 'Half'. Their signatures carry ``cpu_mode = true``. On a machine with a GPU
the line means torch did not reach it (explain.infer reads it as the framework's "no GPU" answer, ranked by LOG104); on a
machine without one it is the run working as designed, and the writer asks about the warning (matheusbach/legen#2: "when i
try to transcribe big files this error message appears ... How can I fix this problem", answered "the fix was handled
automatically"). Which of the two the log is, is told by the log itself: the line answers for torch only where the log shows
a GPU or a wish for one, here any word of a GPU or CUDA outside the program's own words (the writer's "I have a 3060",
"not using hardware acceleration", a template's "GPU: cuda", a +cu121 build, nvidia-smi, a traceback through torch/cuda).

The count that decided the scope (the labelled corpus, session 41): of the 19 cases where an ``answers`` line fires, the
five with no such word elsewhere are vLLM's, Cellpose's and two of the CPU-mode lines (decipher#8 names its 3060 on the
line itself, ultralytics#8869 shows a +cpu torch, read as the CPU build by its own reading). vLLM, Lightning's accelerator,
transformers' quantizers, Accelerate's fp16 and Cellpose's gpu=True print their lines only where the GPU was asked for (or
the program has no CPU mode): those stay answers alone and carry no ``cpu_mode``.
"""

from __future__ import annotations

from whygpu import lazyre as re

__all__ = ["GPU_NAMED", "gpu_in_view", "gpu_named_lines"]

# A GPU or CUDA named: the words, an NVIDIA product line, a CUDA wheel's tag, a GeForce number after a determiner ("I have a
# 3060", "my 1080 ti"), hardware acceleration (the GPU wished for in other words), the Chinese word for a graphics card.
_GEFORCE_NUMBER = r"\b(?:my|a|an|the)\s+(?:[1-5]0[5-9]0|16[56]0)(?:\s*ti)?\b"
GPU_NAMED = re.compile(
    r"\b(?:e?gpus?|cuda\w*|cudnn\w*|nvidia\w*|geforce|quadro|tesla|rtx|gtx|vram|mps|graphics?\s+cards?|video\s+cards?"
    r"|hardware\s+accelerat\w*|cu1\d\d)\b|" + _GEFORCE_NUMBER + r"|显卡|显存", re.I)
_NUMBER_CUE = re.compile(_GEFORCE_NUMBER, re.I)
_CUES = ("gpu", "cuda", "cudnn", "nvidia", "geforce", "quadro", "tesla", "rtx", "gtx", "vram", "mps", "graphic", "video card",
         "accelerat", "cu1", "显")
_MAX_LINES = 8


def gpu_named_lines(text: str) -> list[tuple[int, str, str]]:
    """(line number, the words, the line) of the first lines of ``text`` that name a GPU or CUDA (at most eight)."""
    low = text.lower()
    if not any(cue in low for cue in _CUES) and _NUMBER_CUE.search(text) is None:
        return []
    out: list[tuple[int, str, str]] = []
    seen: set[int] = set()
    for m in GPU_NAMED.finditer(text):
        number = text.count("\n", 0, m.start()) + 1
        if number in seen:
            continue
        seen.add(number)
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        out.append((number, m.group(0), text[start:end if end >= 0 else len(text)]))
        if len(out) >= _MAX_LINES:
            break
    return out


def gpu_in_view(where: str, rest: str, named: list[str]) -> bool:
    """Whether a CPU-mode program's line at ``where`` answers for its framework: the log names a GPU or CUDA on another line
    (``named``: the places of the lines ``gpu_named_lines`` found), or on the line itself outside the program's words
    (``rest``: the line with the signature's match taken out)."""
    return any(place != where for place in named) or GPU_NAMED.search(rest) is not None
