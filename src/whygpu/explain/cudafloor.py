"""A framework's CUDA said in words: the release its builds need (accnoticed, session 37).

"TensorFlow 2.12 requires CUDA >= 11.8", "PyTorch 2.x needs CUDA 11.8 or later", "the latest pytorch supporting only CUDA
11.8+", "PyTorch 2.11 switches to cuda 13.0 by default": the writer names a framework (or its release) and the CUDA release
its builds are made with, as a floor or as the one release. Read as a build's CUDA of the form ``"floor"``
(``explain.buildcuda.BuildCuda``), it meets the driver shown in the log in LOG540, whose one decision is
``knowledge.cuda_versions.driver_runs_cuda``: a framework's pip builds run under CUDA's minor-version compatibility (TensorFlow's
install page asks driver 450.80.02 or newer for every CUDA 11 build; PyTorch's wheels carry their CUDA 11/12 runtime), so
only a driver of an older CUDA major than the framework's builds is too old for them ("TF 2.12 requires CUDA >= 11.8" beside
nvidia-smi's "CUDA Version: 11.4" is a driver that runs it).

Not read: a GPU's floor ("the RTX 3090 needs CUDA >= 11.1": the GPU's architecture, GPU_NOT_SUPPORTED's reading), a driver's
("requires cuda driver >= 580"), a question, a condition, advice or hearsay (``explain.grammar.said``), a negated need
("does not require CUDA 12"), a program's own line.
"""

from __future__ import annotations

import re

from whygpu.explain.buildcuda import BuildCuda

# Cheap test: a line without these words names no framework's CUDA need.
HINT = re.compile(r"requir|need|support|switch|built|depend", re.I)

_FRAMEWORK = r"(?:tensorflow(?:-gpu)?|tf|pytorch|torch|jax(?:lib)?|onnxruntime(?:-gpu)?|paddle(?:paddle)?(?:-gpu)?|mxnet|cupy)"
_RELEASE = r"(?:[ -]?v?\d+(?:\.(?:\d+|x))*\+?)?"
_NEED = (r"(?:requires?|required|needs?|needed|depends\s+on|(?:is|are|was|were)\s+built\s+(?:for|with|against)|"
         r"(?:only\s+)?support(?:s|ing)?\s+only|only\s+support(?:s|ing)?|switch(?:es|ed)?\s+to)")
_FLOOR = re.compile(
    r"(?<![\w.-])(?P<fw>" + _FRAMEWORK + r")" + _RELEASE
    + r"(?:\s+(?:(?:and|or)\s+(?:above|later|newer)|wheels?|builds?|binar(?:y|ies)|packages?|releases?|now|also|itself|\([^)\n]{0,30}\)))*"
    + r"\s+" + _NEED + r"\s+(?:at\s+least\s+|a\s+minimum\s+of\s+)?(?:the\s+)?CUDA(?:[ -]toolkit)?(?:\s+version)?\s*(?:>=|≥|>)?\s*v?"
    + r"(?P<v>\d{1,2}(?:\.\d)?)(?![\d.]*\d)(?!\s*(?:driver|ptxas))",
    re.I,
)


def framework_cuda_floors(text: str) -> list[BuildCuda]:
    """The CUDA releases a line says a named framework's builds need, each as a build's CUDA of the form ``"floor"``;
    empty for a question, a condition, advice, hearsay, a negated need, code or a program's line."""
    if len(text) > 2000 or HINT.search(text) is None or "cuda" not in text.lower():
        return []
    from whygpu.explain import grammar
    from whygpu.knowledge.cuda import was_cuda_release

    if grammar.code_comment(text) or grammar.program_line(text):
        return []
    out: list[BuildCuda] = []
    for m in _FLOOR.finditer(text):
        if re.search(r"\b(?:not|never|no\s+longer)\s+(?:\w+\s+)?$|n['’]t\s+(?:\w+\s+)?$", text[m.start("fw"):m.start("v")].split("cuda")[0].lower()):
            continue  # "TensorFlow does not require CUDA 12"
        if re.search(r"\b(?:not|never|no\s+longer)\b|n['’]t\b", m.group(0), re.I):
            continue
        if not grammar.said(text, m.start(), m.end(), quotes=False):
            continue
        cuda = m.group("v")
        if "." in cuda and was_cuda_release(cuda) is False:
            continue
        if not any(b.cuda == cuda for b in out):
            out.append(BuildCuda(cuda, "floor", m.group(0).strip()))
    return out
