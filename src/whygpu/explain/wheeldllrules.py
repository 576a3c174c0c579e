"""The log rule of a framework whose Windows wheel carries no CUDA DLL failing to load one by name (accwin39, session 39).

PyTorch's CUDA wheels bring their CUDA and cuDNN DLLs in torch\\lib; PaddlePaddle's, TensorFlow's (2.10, the last with GPU on
native Windows) and onnxruntime-gpu's do not: the framework's own loader asks Windows for ``cudnn64_8.dll`` or
``cublas64_11.dll`` by name, and the DLL of the release the build was made for must come from NVIDIA's installers
(knowledge/loader_search.toml ``[[framework_dll_folder]]`` ``ships_cuda``, ``cuda_from``, with each framework's install page
as source). The signature's own reading of such a line ranks a release mismatch first by base rate; where the log shows no
CUDA toolkit or cuDNN release installed and no copy of the file anywhere, the one decision
``knowledge.loader_search.unshipped_dll_cause`` reads it as never installed:

- LOG800: CUDNN_MISSING for a cuDNN DLL (CUDA_LIBS_MISSING for another CUDA DLL), the mismatch and the search path left open.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu import lazyre as re
from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Hit, Outcome, Rule, RuleDoc, rule

# A DLL's file name in a line ("(cublas64_102.dll;cublas64_10.dll)").
_DLL = re.compile(r"[\w.-]+?\.dll\b", re.I)
_MISMATCH = ("CUDNN_MISMATCH", "CUDA_LIBS_MISMATCH")


def _installed_shown(subject: LogSubject) -> bool:
    facts = subject.facts
    return bool(facts.cuda_installed or facts.cudnn_installed or facts.cuda_library_present or facts.library_files)


@rule(
    "LOG800", "log-windows-unshipped-cuda-dll", "CUDNN_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads a framework whose Windows wheel carries no CUDA DLL (PaddlePaddle's 'The third-party dynamic library (cudnn64_7.dll) that Paddle depends on is not configured correctly. (error code is 126)') where the log shows no CUDA toolkit or cuDNN release installed and no copy of the DLL, judged by knowledge.loader_search.unshipped_dll_cause over [[framework_dll_folder]] ships_cuda.",
        why="The framework asks Windows for the DLL of the release it was built for by name; its wheel does not bring it (PyTorch's does, in torch\\lib), so it must come from NVIDIA's CUDA toolkit and cuDNN installers. With nothing installed shown, a release never installed is likelier than the signature's base-rate reading of another release installed.",
        example="RuntimeError: (PreconditionNotMet) The third-party dynamic library (cudnn64_7.dll) that Paddle depends on is not configured correctly. (error code is 126)\n(https://github.com/PaddlePaddle/Paddle/issues/34566)",
        fix="Install the cuDNN (and CUDA toolkit) release the framework's build names, from NVIDIA's installers, and put their bin folders on PATH.",
        limits="Quiet where the log shows a CUDA or cuDNN release installed, or the DLL on disk (a mismatch or a folder off the search path is then read by the library readings), and for PyTorch, whose wheel ships its DLLs.",
        references=("https://www.paddlepaddle.org.cn/documentation/docs/en/install/pip/windows-pip_en.html", "https://www.tensorflow.org/install/pip#windows-native", "https://onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html#requirements"),
        causes=("CUDNN_MISSING", "CUDA_LIBS_MISSING"),
    ),
    decides=Decides(over="signature", cause="any", by="first_line"),
)
def unshipped_cuda_dll(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.loader_search import unshipped_dll_cause

    installed = _installed_shown(subject)
    for message in subject.messages:
        if message.cause not in _MISMATCH or message.installed_cuda or message.installed_cudnn or message.holding_cuda:
            continue
        dlls = tuple(m.group(0) for line in message.evidence for m in _DLL.finditer(line))
        reading = unshipped_dll_cause(message.signature, dlls, installed_shown=installed)
        if reading is None:
            continue
        kind = "cuDNN" if reading.cause == "CUDNN_MISSING" else "CUDA"
        yield Hit(
            title=f"{reading.package} could not load {reading.dll}, and its Windows wheel does not ship it: no {kind} release it can load is shown installed",
            evidence=message.evidence[:2],
            fix=(f"Install the {kind} release the {reading.package} build names from NVIDIA's installer and put its bin folder on PATH, "
                 f"or install the {reading.package} build made for the release you have.\nWhy: {reading.cuda_from} ({reading.source}).\n"
                 f"Check: `where {reading.dll}` finds nothing when it is not installed; a file of another major "
                 "(cudnn64_8.dll for cudnn64_7.dll) means a release mismatch instead."),
            confidence=Confidence.MEDIUM,
            cause=reading.cause,
            blocks_gpu=True,
            extra={"read_from": "the framework's loader line and the releases the log shows installed (knowledge.loader_search.unshipped_dll_cause)",
                   "source": reading.source},
        )
        yield alternative_hit(message.cause, message.evidence[:2], reading.cause)
        return


WHEEL_DLL_RULES: list[Rule[LogSubject]] = [unshipped_cuda_dll]
