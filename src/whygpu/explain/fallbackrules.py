"""The log rule that judges a program's own fallback to the CPU by the reason it gives (accfall, session 31).

Its fact is read by ``explain.fallback``: a program's words that its work goes to the CPU, with the reason it prints. Where
the reason is the GPU's free memory below the program's own threshold ("GPU 0 has 4095.56 MB memory left" then "use cpu";
"GPU VRAM is too small. Computing on CPU."; "not enough vram available, falling back to CPU only"), the GPU was found and
works: the program chose the CPU by its own setting (CODE_FORCES_CPU, causes.md: "the user's own code keeps the work off
the GPU"), and the memory it measured is either the card's size or memory held by other processes (GPU_BUSY). The other
reasons (no GPU found, or none given) are the framework's "no GPU" answer, which LOG104 ranks.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_DECIDE = ("`nvidia-smi` just before the program starts: its memory column against the threshold the program's message "
           "names (its free memory is what the program measured). Other processes holding memory there mean the GPU is "
           "busy: stop them. An idle card whose whole memory is under the threshold is too small for the program's default.")


@rule(
    "LOG450", "log-program-fallback-gpu-memory", "CODE_FORCES_CPU", Severity.ERROR,
    RuleDoc(
        what="Finds a program's own fallback to the CPU whose reason is the GPU's free memory below the program's threshold, on the line of the fallback or the program's line just before it ('GPU 0 has 4095.56 MB memory left' then 'use cpu'; 'GPU VRAM is too small. Computing on CPU.'; 'not enough vram available, falling back to CPU only'; '显存不足，使用CPU').",
        why="The program found the GPU and measured its free memory: the framework works. The CPU was the program's own choice by its own threshold (a setting in its code or configuration), so the fix is that setting or more free memory, not the driver, CUDA or the framework build.",
        example="WARNING:ChatTTS.utils.gpu_utils:GPU 0 has 4095.56 MB memory left.\nINFO:ChatTTS.core:use cpu",
        fix="Lower the program's memory threshold (its option or the constant in its code), or free the GPU's memory (other processes shown by nvidia-smi) so its free memory passes the threshold.",
        limits="Quiet where the memory is named without a fallback (a status line), where the fallback is one part of the work (a tensor or a layer), where the log shows the GPU in use, and where the writer chose the CPU on purpose. Memory held by other processes (GPU_BUSY) is ranked second: nvidia-smi decides.",
        references=("https://github.com/2noise/ChatTTS/blob/main/ChatTTS/utils/gpu.py",),
    ),
)
def program_fallback_gpu_memory(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.fallback_memory or subject.gpu_in_use:
        return
    seen = facts.fallback_memory[0]
    yield Hit(
        title=f"The program chose the CPU itself: the GPU's free memory ({seen.value}) is below its own threshold",
        evidence=_ev(seen),
        fix="Lower the program's memory threshold (its device or memory option, or the constant its code compares with the "
            "free memory), or free the GPU's memory so the check passes; a card whose whole memory is under the threshold "
            "needs the program's low-memory setting.\n" + _DECIDE,
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
    )
    yield alternative_hit("GPU_BUSY", _ev(seen), "CODE_FORCES_CPU",
                          title="Possible instead: other processes hold the GPU's memory, so the program found too little free",
                          fix="Run `nvidia-smi`: processes listed there holding memory (another program, a notebook kernel, a finished "
                              "job's zombie) take what the program needs; stop them and start the program again.")


_LIBRARY_CAUSES = frozenset({"CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISSING", "CUDNN_MISMATCH",
                             "FRAMEWORK_CPU_BUILD", "FRAMEWORK_INSTALL_BROKEN"})
# What decides among the causes of a session on the CPU whose package has the CUDA provider: ONNX Runtime says why it left
# the provider out at its most verbose log level, and the release's CUDA and cuDNN majors (programs.toml's [[gpu_build]]
# rows, from ONNX Runtime's requirements tables) against those installed.
_ORT_DECIDE = ("Create the session after `onnxruntime.set_default_logger_severity(0)`: ONNX Runtime then prints why it left "
               "the CUDA provider out ('Failed to load library ... libcublasLt.so.11', 'Failed to create CUDAExecutionProvider'); "
               "compare `onnxruntime.__version__` with the CUDA and cuDNN majors its release needs "
               "(https://onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html#requirements).")


@rule(
    "LOG451", "log-onnxruntime-session-on-cpu", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Finds an ONNX Runtime session shown running on the CPU alone (session.get_providers(), InsightFace's 'Applied providers', a program's '<model> providers: [...]') while the package's own list of providers (get_available_providers(), 'Available providers: [...]') has CUDA or TensorRT, in a log with no line that names why the CUDA provider failed.",
        why="The package has the CUDA provider, so it is not the CPU package; the session left it out because it could not create it: the CUDA or cuDNN libraries its release needs are of another major (the commonest: a CUDA 11 release on CUDA 12, cuDNN 8 against 9), missing, or off the loader's path, or the program asked only for the CPU provider. Labelled logs showing CPUExecutionProvider with a library cause (bench/explain_rule_precision.py --grep CPUExecutionProvider, 2026-12-06): CUDA_LIBS_MISMATCH 4, CUDA_LIBS_MISSING 2.",
        example="ort.get_available_providers()\n['TensorrtExecutionProvider', 'CUDAExecutionProvider', 'CPUExecutionProvider']\nsession.get_providers()\n['CPUExecutionProvider']",
        fix="Install the onnxruntime-gpu release built for the CUDA and cuDNN majors you have (or those it needs), on the loader's path.",
        limits="Quiet where a line names the library or the error (its own reading is more exact), where the package's list lacks CUDA (the CPU package: LOG104 ranks onnxruntime's answer), and where the log shows the GPU in use. The lead is the commonest cause, not a finding: the verbose log decides.",
        references=("https://onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html#requirements",
                    "https://onnxruntime.ai/docs/execution-providers/"),
    ),
)
def onnxruntime_session_on_cpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.ort_session_cpu or subject.gpu_in_use:
        return
    if subject.blocking() or any(f.cause in _LIBRARY_CAUSES and f.alternative_to is None for f in subject.matched):
        return  # a line that names the failure (its library, its error) is read more exactly by its own reading
    seen = facts.ort_session_cpu[0]
    yield Hit(
        title="The ONNX Runtime session runs on the CPU although its package has the CUDA provider: the provider could not be "
              "created, likeliest for CUDA or cuDNN libraries of another major than its release needs",
        evidence=_ev(seen),
        fix="Install the onnxruntime-gpu release built for the CUDA and cuDNN you have (pip's default onnxruntime-gpu is "
            "CUDA 12 and cuDNN 9 from 1.19; CUDA 11 releases come from ONNX Runtime's own feed), or those libraries in the "
            "majors the installed release needs.\n" + _ORT_DECIDE,
        confidence=Confidence.LOW,
        scope="onnxruntime",
        blocks_gpu=True,
    )
    for cause, title in (("CUDA_LIBS_MISSING", "Possible instead: the CUDA or cuDNN libraries the CUDA provider loads are not installed"),
                         ("CUDA_LIBS_NOT_ON_PATH", "Possible instead: they are installed (pip's nvidia-* wheels, a toolkit) but the loader does not search there"),
                         ("CODE_FORCES_CPU", "Possible instead: the program created the session with the CPU provider alone")):
        yield alternative_hit(cause, _ev(seen), "CUDA_LIBS_MISMATCH", scope="onnxruntime", title=title, fix=_ORT_DECIDE)


FALLBACK_RULES: list[Rule[LogSubject]] = [program_fallback_gpu_memory, onnxruntime_session_on_cpu]
