"""The log rules of where the loader searches: a library installed but not found (acclibpath, session 35).

LOG620 reads Python's importer on Windows failing to find a DLL an extension module depends on ("DLL load failed while
importing X: The specified module could not be found", explain.libpath) in a log that names CUDA and a Python of 3.8 or
later, and judges it with the knowledge layer's one decision (``knowledge.libraries.library_failure_cause``): from 3.8 the
importer never searches PATH for those DLLs, so the CUDA folder the installer put on PATH is not searched
(CUDA_LIBS_NOT_ON_PATH), unless the module's package brings and registers its own DLLs (knowledge/loader_search.toml).
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    "LOG620", "log-python-dll-search-without-path", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Reads Python's importer on Windows that could not find a DLL an extension module depends on ('ImportError: DLL load failed while importing X: The specified module could not be found') in a log that names CUDA and shows a Python of 3.8 or later (explain.libpath), and judges it with knowledge.libraries.library_failure_cause.",
        why="From Python 3.8 the importer resolves an extension module's DLL dependencies only in the system folders, the module's own folder and the folders added with os.add_dll_directory(), never in PATH, where the CUDA installer puts its bin folder: a module built against the installed CUDA toolkit that does not add that folder itself cannot load its CUDA DLLs although they are installed.",
        example="ImportError: DLL load failed while importing dlib: The specified module could not be found.\n(https://github.com/davisking/dlib/issues/2039)",
        fix="import os; os.add_dll_directory(os.path.join(os.environ['CUDA_PATH'], 'bin')) before importing the module (or a release of the module that does it), or copy the CUDA DLLs beside the module's .pyd.",
        limits="Not read for an older or unshown Python (PATH is searched there) nor for the extension of a package that brings and registers its own DLLs (PyTorch's and TensorFlow's wheels: knowledge/loader_search.toml) unless the writer built it from source; the dependency may also be another DLL than CUDA's (the message names none).",
        references=("https://docs.python.org/3/whatsnew/3.8.html#bpo-36085-whatsnew", "https://docs.python.org/3/library/os.html#os.add_dll_directory"),
    ),
)
def python_dll_search(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.libraries import library_failure_cause
    from whygpu.knowledge.loader_search import python_dll_search as search_row

    facts = subject.facts
    if not facts.dll_module_not_found or not facts.dll_cuda_named or not facts.python:
        return
    failed = facts.dll_module_not_found[0]
    python = facts.python[0]
    named = frozenset(name for name in ("torch", "tensorflow") if facts.versions.get(name) or name in facts.mentioned)
    reading = library_failure_cause(
        "CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISMATCH"), windows_dll_module=failed.value, python=python.value,
        packages_named=named, source_build=bool(facts.source_build_said))
    row = search_row(python.value)
    if reading.basis != "python_dll_search" or row is None:
        return
    from whygpu.explain.judge import alternative_hit

    module = f"the extension module {failed.value}" if failed.value else "an extension module"
    shown = [*facts.cuda_installed[:1], *facts.cuda_shown_said[:1]] or facts.dll_cuda_named[:1]
    evidence = _ev(failed, python, *shown[:1], *facts.source_build_said[:1])
    yield Hit(
        title=f"Python {python.value} on Windows could not load a DLL that {module} needs: from Python {row.python_from} the importer does not search PATH, where the CUDA folder is",
        evidence=evidence,
        fix=f"{row.fix}\nWhy: the importer searches {row.searched} ({row.source}).",
        confidence=Confidence.MEDIUM if facts.cuda_installed or facts.cuda_shown_said else Confidence.LOW,
        cause=reading.cause,
        blocks_gpu=True,
        extra={"read_from": "Python's importer on Windows against the Python version shown (knowledge.libraries.library_failure_cause)",
               "alternatives": list(reading.alternatives)},
    )
    # The dependency the message leaves unnamed may be another DLL than CUDA's, or CUDA's of another release: the alternatives
    # stay, each with what would show it.
    for alt in reading.alternatives[:2]:
        yield alternative_hit(alt, tuple(evidence[:1]), reading.cause)


LIBPATH_RULES: list[Rule[LogSubject]] = [python_dll_search]
