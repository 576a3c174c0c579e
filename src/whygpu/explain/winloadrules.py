"""The log rules of what Windows' DLL loader said (accwinload, session 38).

The line is read as a typed fact (explain.winload: the system error code and the DLL's path) and judged with the knowledge
layer's one decision, ``knowledge.loader_search.windows_load_cause`` (knowledge/loader_search.toml [[windows_error]],
[[framework_dll_folder]], with Microsoft's system error codes and PyTorch's torch/__init__.py as sources):

- LOG790: 1455, ERROR_COMMITMENT_LIMIT ("The paging file is too small"): the host's commit memory ran out while a process
  mapped the framework's large CUDA DLLs. causes.md has no code for host memory; GPU_BUSY's "out of memory at
  initialisation" is the closest, and the title says whose memory it is. The fix is a larger (or system-managed) paging
  file and fewer processes that import the framework.
- LOG791: 126/127/193/1114 on a DLL of the framework's own folder (torch\\lib) or a name only it ships: the framework's install
  (a DLL it imports missing, another release of one found first, a damaged or 32-bit file, a runtime too old to start it):
  FRAMEWORK_INSTALL_BROKEN. A CUDA DLL of that folder refused with 126 is not decided here (the library readings rank it), nor
  is any DLL outside a framework's folder.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Hit, Outcome, Rule, RuleDoc, rule


def _readings(subject: LogSubject, commit_limit: bool) -> Iterator[tuple[object, object]]:
    from whygpu.knowledge.loader_search import windows_load_cause

    for seen in subject.facts.win_load:
        reading = windows_load_cause(seen.value.code, seen.value.path)
        if reading is not None and (reading.error.any_cause != "") == commit_limit:
            yield seen, reading


@rule(
    "LOG790", "log-windows-dll-commit-limit", "GPU_BUSY", Severity.ERROR,
    RuleDoc(
        what="Reads Windows' loader refusing a DLL with system error 1455, ERROR_COMMITMENT_LIMIT ('[WinError 1455] The paging file is too small for this operation to complete. Error loading \"...\\torch\\lib\\cudnn_adv_infer64_8.dll\" or one of its dependencies', in any language: the code is read, not the words; explain.winload), judged by knowledge.loader_search.windows_load_cause.",
        why="The system's commit limit (RAM plus paging file) was reached while the process mapped a DLL: the framework's CUDA DLLs are large and every process that imports the framework (each DataLoader worker or vector environment started with spawn on Windows) commits them again. It is the host's memory, not the GPU's and not a missing file: causes.md's closest code is GPU_BUSY (out of memory at initialisation).",
        example='OSError: [WinError 1455] The paging file is too small for this operation to complete. Error loading "C:\\Users\\phill\\AppData\\Local\\Programs\\Python\\Python310\\lib\\site-packages\\torch\\lib\\cudnn_adv_infer64_8.dll" or one of its dependencies.\n(https://github.com/prophesier/diff-svc/issues/24)',
        fix="Let Windows manage the paging file or give it more room on a drive with free space (System Properties > Advanced > Performance > Virtual memory), restart, and start fewer processes that import the framework (num_workers=0 or a small number).",
        limits="Only with the DLL the loader refused named ('Error loading \"...dll\"'): a 1455 without one (while loading a model or data) is not a DLL's. The reading is of the host's memory: causes.md has no code of its own for it.",
        references=("https://learn.microsoft.com/en-us/windows/win32/debug/system-error-codes--1300-1699-", "https://github.com/pytorch/pytorch/blob/main/torch/__init__.py"),
        causes=("GPU_BUSY",),
    ),
    decides=Decides(over="signature", cause="any", by="first_line"),
)
def windows_commit_limit(subject: LogSubject) -> Iterator[Outcome]:
    for seen, reading in _readings(subject, True):
        error = reading.error  # type: ignore[attr-defined]
        file = str(seen.value.path).replace("/", "\\").split("\\")[-1]  # type: ignore[attr-defined]
        yield Hit(
            title=f"Windows ran out of commit memory (RAM plus paging file) while loading {file}: [WinError {error.code}] {error.name}, the host's memory, not the GPU's nor a missing file",
            evidence=_ev(seen),  # type: ignore[arg-type]
            fix=f"{error.fix}\nCheck: {error.decide}\nWhy: {error.meaning} ({error.source}).",
            confidence=Confidence.HIGH,
            cause="GPU_BUSY",
            blocks_gpu=True,
            extra={"read_from": "Windows' loader error code (explain.winload; knowledge.loader_search.windows_load_cause)",
                   "source": error.source},
        )
        return


@rule(
    "LOG791", "log-windows-framework-dll-refused", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Reads Windows' loader refusing a DLL of the framework's own folder (torch\\lib) or a name only it ships (c10.dll, torch_python.dll, fbgemm.dll) with system error 126 (a DLL it imports not found; not for a CUDA DLL), 127 (a function it imports missing: another release of a DLL found first), 193 (not a valid image: 32-bit or damaged) or 1114 (its initialization failed), in any language (explain.winload), judged by knowledge.loader_search.windows_load_cause.",
        why="The framework's wheel brings these DLLs and registers their folder itself, so the folder is searched: the DLL is there and what fails is the install around it (a dependency the release did not ship or the Visual C++ runtime, a stray copy of another release, a damaged file). The framework cannot be imported, so no GPU work starts.",
        example='OSError: [WinError 126] The specified module could not be found. Error loading "C:\\Users\\DELL\\Downloads\\SPORTS\\anaconda\\Lib\\site-packages\\torch\\lib\\fbgemm.dll" or one of its dependencies.\n(https://github.com/pytorch/pytorch/issues/133076)',
        fix="Install the latest Microsoft Visual C++ Redistributable (x64) and restart; if it stays, reinstall the framework into a fresh environment (another release where this one is known not to ship a DLL it needs).",
        limits="Not for a CUDA or cuDNN DLL of that folder refused with 126 (the file or one of its dependencies missing: the library readings rank it), nor for a DLL outside a framework's folder (a line that names no framework folder stays ranked).",
        references=("https://learn.microsoft.com/en-us/windows/win32/debug/system-error-codes--0-499-", "https://learn.microsoft.com/en-us/windows/win32/debug/system-error-codes--1000-1299-", "https://github.com/pytorch/pytorch/blob/main/torch/__init__.py"),
        causes=("FRAMEWORK_INSTALL_BROKEN", "CUDA_LIBS_MISSING"),
    ),
    decides=Decides(over="signature", cause="any", by="first_line"),
)
def windows_framework_dll(subject: LogSubject) -> Iterator[Outcome]:
    for seen, reading in _readings(subject, False):
        error = reading.error  # type: ignore[attr-defined]
        file = str(seen.value.path).replace("/", "\\").split("\\")[-1]  # type: ignore[attr-defined]
        owner = reading.owner  # type: ignore[attr-defined]
        yield Hit(
            title=f"Windows refused {owner}'s own {file} with [WinError {error.code}] {error.name} ({error.meaning}): the {owner} install cannot be imported",
            evidence=_ev(seen),  # type: ignore[arg-type]
            fix=f"{error.fix}\nCheck: {error.decide}\nWhy: {error.source}.",
            confidence=Confidence.MEDIUM,
            cause=reading.cause,  # type: ignore[attr-defined]
            blocks_gpu=True,
            extra={"read_from": "Windows' loader error code (explain.winload; knowledge.loader_search.windows_load_cause)",
                   "source": error.source},
        )
        if reading.cuda:  # type: ignore[attr-defined]
            yield alternative_hit("CUDA_LIBS_MISSING", _ev(seen), reading.cause)  # type: ignore[arg-type,attr-defined]
        return


WINLOAD_RULES: list[Rule[LogSubject]] = [windows_commit_limit, windows_framework_dll]
