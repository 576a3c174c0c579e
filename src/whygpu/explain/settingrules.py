"""The log rule that reads a setting naming the wrong file as the NVIDIA driver's library (acclibs, session 29).

numba opens the file NUMBA_CUDA_DRIVER (NumbaPro's NUMBAPRO_CUDA_DRIVER before it) names as the driver and looks up the
driver API in it; a value that names the CUDA runtime (``.../lib64/libcudart.so``, an old guide's line) or the toolkit's
link-time stub gives numba a library without the driver's functions ("driver missing function: cuInit") or one that answers
"stub library", whatever driver is installed. What decides is the knowledge layer's reading of the value
(``knowledge.libraries.driver_setting_wrong_file``): the setting points the loader at the wrong file
(CUDA_LIBS_NOT_ON_PATH); the driver itself missing is the alternative.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain import grammar
from whygpu.explain.ccrules import possible_instead
from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.libraries import DRIVER_FILE_SETTINGS, driver_setting_wrong_file
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    # Counted 2026-12-06 over every labelled case (knowledge.libraries.driver_setting_wrong_file has the ids): the logs that
    # set NUMBA_CUDA_DRIVER / NUMBAPRO_CUDA_DRIVER were CUDA_LIBS_NOT_ON_PATH 3 of 3; negatives 0.
    "LOG405", "log-driver-setting-names-wrong-file", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Finds NUMBA_CUDA_DRIVER (or NumbaPro's NUMBAPRO_CUDA_DRIVER) set to a file that is not the NVIDIA driver's library: the CUDA runtime (libcudart.so), another CUDA library, or the toolkit's stubs/libcuda.so.",
        why="numba opens the file the setting names as the driver and looks up cuInit and the rest of the driver API in it; the CUDA runtime and the other toolkit libraries do not have them ('driver missing function: cuInit'), and the stub answers only that it is a stub, so numba finds no GPU whatever driver is installed.",
        example="export NUMBAPRO_CUDA_DRIVER=/usr/local/cuda/lib64/libcudart.so\nCudaDriverError: driver missing function: cuInit.",
        fix="Unset the variable so numba finds the driver's libcuda by itself, or point it at the driver's library: /usr/lib/x86_64-linux-gnu/libcuda.so.1 (`ldconfig -p | grep libcuda` shows where), nvcuda.dll in C:\\Windows\\System32 on Windows.",
        limits="Reads the value as the log shows it set; a value built from other variables ($HOME/...) is not judged. Quiet in a question, advice or a condition, and where the log shows the GPU in use.",
        references=("https://numba.readthedocs.io/en/stable/reference/envvars.html", "https://github.com/numba/numba/blob/main/numba/cuda/cudadrv/driver.py"),
        causes=("CUDA_LIBS_NOT_ON_PATH", "DRIVER_MISSING"),
    ),
)
def driver_setting_names_wrong_file(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use and not subject.blocking():
        return
    for name in DRIVER_FILE_SETTINGS:
        for seen in facts.environment.get(name, []):
            what = driver_setting_wrong_file(seen.value)
            if what is None:
                continue
            at = seen.text.find(name)
            if at >= 0 and not grammar.said(seen.text, at, at + len(name), quotes=False):
                continue  # "should I set NUMBA_CUDA_DRIVER=...?", "if you set ...": not the setting the run had
            evidence = _ev(seen)
            yield Hit(
                title=f"{name} names {what}: numba opens that file as the NVIDIA driver and finds no driver in it",
                evidence=evidence,
                fix=f"Unset {name} so numba finds the driver's libcuda by itself, or set it to the driver's library "
                "(`ldconfig -p | grep libcuda` shows it, e.g. /usr/lib/x86_64-linux-gnu/libcuda.so.1; Windows: C:\\Windows\\System32\\nvcuda.dll).",
                confidence=Confidence.HIGH,
                scope="numba",
                cause="CUDA_LIBS_NOT_ON_PATH",
                blocks_gpu=True,
                extra={"why": "numba loads the file this setting names as the driver's library (numba's NUMBA_CUDA_DRIVER)",
                       "source": "https://numba.readthedocs.io/en/stable/reference/envvars.html"},
            )
            yield from possible_instead(subject, ("DRIVER_MISSING",), evidence, "CUDA_LIBS_NOT_ON_PATH")
            return


SETTING_RULES: list[Rule[LogSubject]] = [driver_setting_names_wrong_file]
