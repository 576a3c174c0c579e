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
from whygpu.explain.logfacts import evidence as _ev
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


_LIBRARY_CAUSES = ("CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISSING", "CUDNN_MISMATCH")
# A DLL path under a folder a wheel registers itself (torch\lib): not a load by name.
_OWN_FOLDER = re.compile(r"(?i)[\\/]torch[\\/]+lib[\\/]")


@rule(
    "LOG801", "log-windows-store-python-dll-search", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Reads a CUDA DLL a framework loads by name and Windows did not find (TensorFlow's 'Could not load dynamic library 'cudart64_110.dll'; dlerror: cudart64_110.dll not found', Paddle's, CTranslate2's) in a process of the Microsoft Store's Python (its package path ...\\WindowsApps\\PythonSoftwareFoundation.Python.3.x_..., or the writer's 'Python 3.10 (Microsoft Store)'), with a CUDA release shown installed that ships the DLL; judged by knowledge.loader_search.by_name_search_cause over [[python_distribution]].",
        why="The Store's Python runs as a packaged app: Windows searches a packaged app's package, its own folder and System32 for a DLL loaded by name, not the folders PATH names, so the CUDA toolkit's bin folder on PATH is never searched although the DLL is there. The embeddable package (ComfyUI portable's python_embeded) is an ordinary process and gives no such reading.",
        example="Python version 3.10(Microsoft Store)\nCould not load dynamic library 'cudart64_110.dll'; dlerror: cudart64_110.dll not found\n(https://github.com/tensorflow/tensorflow/issues/61437)",
        fix="Install Python from python.org (or use conda) and recreate the environment with it.",
        limits="Only with a CUDA release shown installed that ships the DLL (cuDNN's DLLs are not the toolkit's: not read), and not for a DLL of a folder a wheel registers itself (torch\\lib).",
        references=("https://learn.microsoft.com/en-us/windows/win32/dlls/dynamic-link-library-search-order#search-order-for-packaged-apps", "https://docs.python.org/3/using/windows.html#the-microsoft-store-package"),
        causes=("CUDA_LIBS_NOT_ON_PATH",),
    ),
    decides=Decides(over="signature", cause="any", by="first_line"),
)
def store_python_dll_search(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.loader_search import by_name_search_cause, cuda_dll_name

    facts = subject.facts
    if not facts.python_dist:
        return
    installed = tuple(dict.fromkeys(s.value for s in facts.cuda_installed))
    for message in subject.messages:
        if message.cause not in _LIBRARY_CAUSES or any(_OWN_FOLDER.search(line) for line in message.evidence):
            continue
        dlls = [m.group(0) for line in message.evidence for m in _DLL.finditer(line) if cuda_dll_name(m.group(0))]
        for dist in facts.python_dist:
            for dll in dlls:
                reading = by_name_search_cause(dist.value, dll, installed)
                if reading is None:
                    continue
                row = reading.distribution
                yield Hit(
                    title=f"{dll} is in the installed CUDA {reading.release}, but {row.meaning}",
                    evidence=(*message.evidence[:2], *_ev(dist), *_ev(*facts.cuda_installed[:1])),
                    fix=f"{row.fix}.\nWhy: {row.meaning} ({row.source}; {row.source_python}).\nCheck: `python -c \"import sys; print(sys.executable)\"` shows a path under WindowsApps for the Store's Python; `where {dll}` finds the file in CUDA {reading.release}'s bin.",
                    confidence=Confidence.HIGH,
                    cause=reading.cause,
                    blocks_gpu=True,
                    extra={"read_from": "the Python distribution the log shows (explain.pydist) and the CUDA release installed (knowledge.loader_search.by_name_search_cause)",
                           "source": row.source},
                )
                return


# A wheel's file name: its package and version ("torch-1.3.0-cp37-cp37m-win_amd64.whl").
_WHEEL_FILE = re.compile(r"^(?P<name>[A-Za-z0-9_.]+?)-(?P<version>\d[\w.+!]*)-")


@rule(
    "LOG802", "log-wheel-said-without-dlls", "CUDA_LIBS_MISSING", Severity.ERROR,
    RuleDoc(
        what="Reads the writer or a maintainer saying a wheel lacks CUDA DLLs it needs ('cublas64_100.dll, cusparse64_100.dll and a few others are missing from torch-1.3.0-cp37-cp37m-win_amd64.whl'; 'the wheel does not include cudnn64_8.dll'; explain.wheellacks), judged by knowledge.loader_search.wheel_lacks_cause.",
        why="The DLL the wheel was to bring is on no folder of the machine: the import fails on it whatever the search path, and nothing of the GPU starts. Another release of the wheel that ships it, or the CUDA toolkit/cuDNN release that holds it installed separately, mends it.",
        example="cublas64_100.dll, cusparse64_100.dll and a few others are missing from torch-1.3.0-cp37-cp37m-win_amd64.whl but were included in torch-1.2.0-cp37-cp37m-win_amd64.whl\n(https://github.com/pytorch/pytorch/issues/29356)",
        fix="Install a release of the package whose wheel ships the DLLs, or install the CUDA toolkit (or cuDNN) release the DLL names and put its bin folder where the package searches.",
        limits="Not for a question, nor for a DLL said missing from a folder that is no wheel or package; DLLs that are none of CUDA's are not read.",
        references=("https://github.com/pytorch/pytorch/issues/29356", "https://github.com/pytorch/pytorch/blob/main/torch/__init__.py"),
        causes=("CUDA_LIBS_MISSING", "CUDNN_MISSING"),
    ),
    decides=Decides(over="finding", cause="any", by="scope"),
)
def wheel_said_without_dlls(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.loader_search import wheel_lacks_cause

    for seen in subject.facts.wheel_lacks:
        lacks = seen.value
        reading = wheel_lacks_cause(lacks.dlls)
        if reading is None:
            continue
        cause, dll = reading
        named = _WHEEL_FILE.match(lacks.wheel)
        wheel = f"{named['name']} {named['version']}'s wheel" if named else f"the {lacks.wheel}"
        kind = "cuDNN" if cause == "CUDNN_MISSING" else "CUDA"
        yield Hit(
            title=f"{wheel} is said to ship without {', '.join(lacks.dlls)}: the {kind} DLL it needs is on no folder of the machine",
            evidence=_ev(seen),
            fix=(f"Install a release of the package whose wheel ships {dll} (the one before or after {wheel}), or install the {kind} "
                 f"release that holds {dll} separately and put its bin folder on the search path.\n"
                 f"Check: `where {dll}` finds nothing, and the installed package's lib folder holds no {dll}."),
            confidence=Confidence.MEDIUM,
            cause=cause,
            scope=named["name"] if named else "",
            blocks_gpu=True,
            extra={"read_from": "the writer's or a maintainer's words that the wheel lacks the DLLs (explain.wheellacks; knowledge.loader_search.wheel_lacks_cause)"},
        )
        return


WHEEL_DLL_RULES: list[Rule[LogSubject]] = [unshipped_cuda_dll, store_python_dll_search, wheel_said_without_dlls]
