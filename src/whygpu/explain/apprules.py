"""The log rules that judge the application's own choice of the CPU (accapps, session 22).

Their facts are read by ``explain.appcpu``: a call or command line that puts the work on the CPU where the framework
could use the GPU (CODE_FORCES_CPU, causes.md), and a CPU library the llama.cpp family loaded although CUDA was asked
for (FRAMEWORK_CPU_BUILD).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain import appcpu
from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_FIXES = {
    "no GPU layers": "Ask for layers on the GPU: `-ngl 99` (--n-gpu-layers) for llama.cpp, `--gpulayers 99` for koboldcpp, `n_gpu_layers=-1` in llama-cpp-python's Llama(...); 0 keeps every layer on the CPU.",
    "platform cpu": "Remove the call that sets the platform to the CPU (`jax.config.update('jax_platform_name', 'cpu')`, `numpyro.set_platform('cpu')`), or call `numpyro.set_platform('gpu')` / set it to 'cuda' before the first computation.",
    "stated set to cpu": "Set the platform or device back to the GPU in the program (`numpyro.set_platform('gpu')`, `jax.config.update('jax_platform_name', 'gpu')`, `device='cuda'`) before the first computation.",
    "gpu setting ignored": "The GPU setting you gave did not reach the part that runs: check that its key and value are spelled as the library documents them (XGBoost lists keys nothing read as 'might not be used'), that the function or component you call takes it (a pipeline may build a sub-model on its own device), and upgrade the program if its release notes name such a fix; the program's own device line (or nvidia-smi's process list while it runs) shows where the work went.",
    "ctranslate2 default cpu": "Pass the device: `ctranslate2.Generator(path, device=\"cuda\")` (or `device=\"auto\"`); CTranslate2's classes run on the CPU when no device is given.",
}


@rule(
    "LOG280", "log-application-chose-cpu", "CODE_FORCES_CPU", Severity.ERROR,
    RuleDoc(
        what="Finds the application's own choice of the CPU: a llama.cpp-family command line or Llama(...) call that asks for no GPU layer (-ngl 0, --n-gpu-layers 0, --gpulayers 0, n_gpu_layers=0, koboldcpp's --usecublas with no --gpulayers where its default was 0), a call that sets JAX's or NumPyro's platform to the CPU, a CTranslate2 Generator/Translator/Encoder built without device= in a log that says the GPU is available or the work ran on the CPU, the writer's asserted diagnosis that the platform or device is set to (or defaults to) the CPU, and (session 27) the writer's words that the work stays off the GPU although they gave the program its GPU setting (device=, gpu_hist, use_gpu).",
        why="Each of these puts the work on the CPU by the program's own setting while the framework could use the GPU: llama.cpp keeps every layer on the CPU with 0 GPU layers (common/arg.cpp); koboldcpp's --gpulayers defaulted to 0; jax_platform_name='cpu' makes the CPU JAX's default backend; numpyro.set_platform sets that flag; CTranslate2's Python classes take device=\"cpu\" by default (python/cpp/generator.cc); a GPU setting given and the work silently on the CPU is the setting not reaching the component that runs (a framework without a GPU raises or warns when asked for one by name).",
        example="./koboldcpp-linux-x64 --usecublas --model model.gguf\nit runs on the cpu only",
        fix="Change the setting: ask for GPU layers (-ngl 99 / --gpulayers 99 / n_gpu_layers=-1), remove the call that sets the platform to the CPU, or pass device=\"cuda\" to CTranslate2.",
        limits="Quiet on a commented-out line, a condition or the fallback idiom ('cuda' if torch.cuda.is_available() else 'cpu'), a question or advice, and a log whose writer says the CPU run is meant; newer koboldcpp releases choose the layers themselves (an 'Auto ... GPU Layers' line quiets the no-flag reading).",
        references=(appcpu.LLAMA_SOURCE, appcpu.KOBOLD_SOURCE, appcpu.JAX_SOURCE, appcpu.NUMPYRO_SOURCE, appcpu.CT2_SOURCE),
    ),
)
def application_chose_cpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.app_cpu_choice:
        return
    seen = facts.app_cpu_choice[0]
    yield Hit(
        title="The program itself puts the work on the CPU (" + seen.value + ")",
        evidence=_ev(*facts.app_cpu_choice[:2]),
        fix=_FIXES.get(seen.value, _FIXES["stated set to cpu"]),
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
    )


@rule(
    "LOG281", "log-llama-family-cpu-library", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds koboldcpp's start-up line naming the library it loaded (koboldcpp_default, _openblas, _noavx2, _failsafe: CPU builds) when the command line asked for CUDA (--usecublas).",
        why="koboldcpp loads one library per backend (init_library in koboldcpp.py); a CPU one loaded although cuBLAS was asked means the CUDA library was not chosen (missing from the build, or an option such as --noavx2 that only CPU libraries serve), so the run has no GPU backend.",
        example="python koboldcpp.py --noavx2 --usecublas normal 0\nInitializing dynamic library: koboldcpp_openblas_noavx2.dll",
        fix="Use koboldcpp's CUDA build (koboldcpp.exe / koboldcpp-linux-x64-cuda*, not the _nocuda or old-CPU one) and drop options only its CPU libraries serve (--noavx2 in older releases); the start-up line should then name koboldcpp_cublas.",
        limits="Reads koboldcpp's library line only; CLBlast, Vulkan and hipBLAS libraries are GPU backends of other vendors' APIs and are not read.",
        references=(appcpu.KOBOLD_SOURCE,),
    ),
)
def llama_family_cpu_library(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.app_cpu_library or facts.app_cuda_library:
        return
    seen = facts.app_cpu_library[0]
    yield Hit(
        title=f"koboldcpp loaded its CPU library ({seen.value}) although CUDA was asked for",
        evidence=_ev(seen),
        fix="Use koboldcpp's CUDA build and drop options only its CPU libraries serve (--noavx2 in older releases); the start-up line should name koboldcpp_cublas.",
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
    )


APP_RULES: list[Rule[LogSubject]] = [application_chose_cpu, llama_family_cpu_library]
