"""A program's own CUDA extension (``extension_builds.toml``, one table): its build at install time or just in time (accext,
session 33) and the compiled module a run imports (accext39, session 39; moved here from knowledge/extension_modules.py by
accjaxgram, session 40, when the two tables on this one subject became one).

The build: the states of an extension's build, the cause each means, its fix and the one check that decides, and the extensions
by the names a log writes. One decision here: ``state_texts`` (a state's title words, fix and check, with the versions the log
shows filled in, or said in words where it shows none). The reader (explain/extbuild.py) finds the extension's name; the rule
(explain/extrules.py, LOG520) reads the state from the signature that matched.

The compiled module (the table's extensions with ``modules``): ``program_of_module``, the program a compiled module's import
name belongs to ("mmcv._ext", "amp_C"), ``program_of_package``, the program of an import name (a traceback's directory, "from
'sam2'"), ``program_of_fallback``, the program whose own warning a line is. ``missing_module_reading``: the one decision of what
a missing module means, from the program's build (``without_cuda``) and what the log shows of that build (typed in
``BuildSeen``). explain/extmodule.py reads the lines, explain/extmodulerules.py (LOG850) judges them.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class BuildState:
    """One state of an extension's build: its id, cause, the causes it leaves open, its words, fix and check, and the signatures that read it."""

    id: str
    cause: str
    also: tuple[str, ...]
    meaning: str
    fix: str
    decide: str
    signatures: tuple[str, ...]
    source: str
    other_release: str = ""


@record(frozen=True)
class Extension:
    """A CUDA extension: its name as its project writes it, the names a log writes it in (lower case), where its prebuilt build comes from."""

    name: str
    names: tuple[str, ...]
    wheel: str
    source: str
    signatures: tuple[str, ...] = ()


@record(frozen=True)
class ExtProgram:
    """A program with its own compiled extension module, as its install docs describe it (an extension row with ``modules``)."""

    name: str
    package: str
    modules: tuple[str, ...]
    without_cuda: str
    optional: bool
    guarded: bool
    switches: tuple[str, ...]
    fallback: str
    install: str
    source: str
    cpu_packages: tuple[str, ...] = ()


@record(frozen=True)
class BuildSeen:
    """What a log shows of the extension's build: no toolkit found there (CUDA_HOME unset, nvcc missing), a toolkit installed
    (nvcc's banner, a toolkit directory), and a build that saw no GPU ("No CUDA runtime is found")."""

    toolkit_absent: bool = False
    toolkit_present: bool = False
    no_gpu_at_build: bool = False


@record(frozen=True)
class ModuleReading:
    """The reading of a missing module: the state, its cause (causes.md), the causes left open, and what decides."""

    state: str
    cause: str
    alternatives: tuple[str, ...]
    decide: str


@lru_cache(maxsize=1)
def _states() -> dict[str, BuildState]:
    return {str(r["id"]): BuildState(id=str(r["id"]), cause=str(r["cause"]), also=tuple(str(a) for a in r.get("also", ())),
                                     meaning=str(r["meaning"]), fix=str(r["fix"]), decide=str(r["decide"]),
                                     signatures=tuple(str(s) for s in r.get("signatures", ())), source=str(r["source"]),
                                     other_release=str(r.get("other_release", "")))
            for r in table_rows("extension_builds", "state")}


def _release(version: str | None) -> tuple[int, ...] | None:
    """A CUDA release as (major, minor), or None where ``version`` is not one ("11.7", "11.7.1" -> (11, 7))."""
    parts = (version or "").split(".")[:2]
    return tuple(int(p) for p in parts) if len(parts) == 2 and all(p.isdigit() for p in parts) else None


def state_for_toolkit(state: BuildState, *, toolkit: str | None, torch_cuda: str | None) -> BuildState:
    """The one decision of a build state where the log shows both the toolkit's release and torch.version.cuda (acctrain41).

    A state with ``other_release`` (headers_missing) is that other state (toolkit_mismatch) where the toolkit found is another
    CUDA release (major.minor) than the one torch was built with: the headers are missing from the wrong toolkit, and the fix is
    the toolkit of torch's release. Any other state, or a log that shows either release not at all, keeps its state.
    """
    found, built = _release(toolkit), _release(torch_cuda)
    if not state.other_release or found is None or built is None or found == built:
        return state
    return _states().get(state.other_release, state)


@lru_cache(maxsize=1)
def _accepted_notes() -> re.Pattern[str] | None:
    rows = table_rows("extension_builds", "accepted_note")
    return re.compile("|".join(f"(?:{r['pattern']})" for r in rows), re.I) if rows else None


def accepted_note(text: str) -> bool:
    """True where ``text`` is a build helper's own note that it accepts the toolkit of another release it found (DeepSpeed's
    "... but since the APIs are compatible, accepting this combination", torch.utils.cpp_extension's minor-mismatch warning):
    its verdict that the pair serves the build, not a mismatch (extension_builds.toml [[accepted_note]])."""
    pattern = _accepted_notes()
    return pattern is not None and pattern.search(text) is not None


@lru_cache(maxsize=1)
def extensions() -> tuple[Extension, ...]:
    """Every extension of the table that a log names (``names``), in its order."""
    return tuple(Extension(name=str(r["name"]), names=tuple(str(n).lower() for n in r["names"]), wheel=str(r["wheel"]), source=str(r["source"]),
                           signatures=tuple(str(s) for s in r.get("signatures", ())))
                 for r in table_rows("extension_builds", "extension") if r.get("names"))


def built_on() -> str:
    """The framework the table's extensions are compiled against (``built_on``: torch, through torch.utils.cpp_extension)."""
    from whygpu.knowledge import load

    return str(load("extension_builds").get("built_on", ""))


def extension_of_signature(signature: str) -> Extension | None:
    """The extension whose own message a signature reads (NerfAcc's, mmcv's), or None."""
    return next((ext for ext in extensions() if signature in ext.signatures), None)


@lru_cache(maxsize=1)
def _by_signature() -> dict[str, BuildState]:
    return {sig: state for state in _states().values() for sig in state.signatures}


def state_of_signature(signature: str) -> BuildState | None:
    """The build state a signature's lines mean, or None for a signature of no state."""
    return _by_signature().get(signature)


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Extension]:
    return {name: ext for ext in extensions() for name in ext.names}


def extension_named(word: str) -> Extension | None:
    """The extension a name as a log writes it means ("flash_attn", "mmcv-full", "tinycudann"), or None."""
    return _by_name().get(word.lower().strip())


@lru_cache(maxsize=1)
def names_pattern() -> re.Pattern[str]:
    """One expression for every name of every extension, as a word of its own (not inside another name; a release or pip's build
    directory may follow: "flash_attn-2.5.6.tar.gz", "flash-attn_2297bac9ebd4415595ad37c7d00fd795")."""
    names = sorted(_by_name(), key=len, reverse=True)
    return re.compile(r"(?<![\w.-])(" + "|".join(re.escape(n).replace(r"\-", "[-_]").replace("_", "[-_]") for n in names) + r")(?:(?![\w-])|(?=-\d)|(?=_[0-9a-f]{16}))", re.I)


def _major(version: str | None) -> str | None:
    return version.split(".")[0] if version else None


def state_texts(state: BuildState, extension: Extension | None, *, torch_cuda: str | None, toolkit: str | None,
                gcc_max: str | None = None, compiler: str | None = None) -> tuple[str, str, str]:
    """(what the state is, in words; the fix; the deciding check) for ``state`` of ``extension``'s build, with torch's CUDA,
    the toolkit's release and the newest gcc the toolkit accepts where the log shows them, said in words where it does not."""
    ext = extension.name if extension is not None else "the extension"
    wheel = extension.wheel if extension is not None else "where its project publishes one for your torch and CUDA"
    torch_said = f"CUDA {torch_cuda}" if torch_cuda else "another CUDA release"
    toolkit_said = (f"CUDA {toolkit}" if toolkit[:1].isdigit() else toolkit) if toolkit else "another release"
    index = ""
    if toolkit and toolkit[:1].isdigit() and (major := _major(toolkit)) in ("11", "12", "13"):
        index = f" (a download.pytorch.org/whl/cuNNN index of a CUDA {major}.x release)"
    if gcc_max:
        gcc_install = f"gcc {gcc_max} or older, e.g. sudo apt install gcc-{gcc_max} g++-{gcc_max}"
        compiler_said = compiler or f"it accepts gcc {gcc_max} at most"
    else:
        gcc_install = "a gcc the toolkit release supports"
        compiler_said = compiler or "the host compiler is newer than the toolkit supports"
    values = {
        "ext": ext, "wheel": wheel, "torch_cuda": f"torch.version.cuda {torch_cuda}" if torch_cuda else "torch.version.cuda",
        "torch_said": torch_said, "toolkit_said": toolkit_said, "toolkit_index": index, "gcc_install": gcc_install,
        "compiler_said": compiler_said, "torch_release": torch_said if torch_cuda else "torch.version.cuda's release",
        "torch_for": f"torch's CUDA {torch_cuda}" if torch_cuda else "your torch and its CUDA",
    }
    meaning = state.meaning.format(**values)
    fix = state.fix.format(**values)
    return meaning, fix, state.decide


# --- the compiled module (accext39, session 39) ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def programs() -> tuple[ExtProgram, ...]:
    """The table's programs with a compiled module of their own, in its order."""
    return tuple(ExtProgram(r["name"], r["package"], tuple(r["modules"]), r["without_cuda"], bool(r.get("optional", False)),
                            bool(r.get("guarded", False)), tuple(r.get("switches", ())), r.get("fallback", ""), r["install"],
                            r.get("install_source", r["source"]), tuple(r.get("cpu_packages", ())))
                 for r in table_rows("extension_builds", "extension") if r.get("modules"))


def program_of_module(module: str) -> ExtProgram | None:
    """The program whose compiled module ``module`` is (its full import name), or None."""
    return next((p for p in programs() if module in p.modules), None)


def program_of_package(package: str) -> ExtProgram | None:
    """The program of an import name ("groundingdino", "sam2"), or None."""
    low = package.lower()
    return next((p for p in programs() if p.package == low), None)


def program_of_fallback(text: str) -> ExtProgram | None:
    """The program whose own fallback warning ``text`` holds, or None."""
    return next((p for p in programs() if p.fallback and p.fallback.split(": ", 1)[-1] in text), None)


_TOOLKIT_CHECK = ("`python -c \"import torch; from torch.utils.cpp_extension import CUDA_HOME; print(torch.cuda.is_available(), "
                  "CUDA_HOME)\"` and `nvcc --version` in the environment that installs it")


def missing_module_reading(program: ExtProgram, build: BuildSeen) -> ModuleReading:
    """The one decision of a program's compiled module missing (or its fallback said): what the build decided, per causes.md.

    - the build's own words that no toolkit was found, with a toolkit shown installed: CUDA_LIBS_NOT_ON_PATH (there, not found);
    - those words with none shown: CUDA_LIBS_MISSING (the toolkit needed to build was absent);
    - a program that installs without the module where its CUDA build fails (``fails``): CUDA_LIBS_MISSING, its build found
      no toolkit (one there but not found left open);
    - a build that saw no GPU (torch's "No CUDA runtime is found"), or a program whose build without CUDA makes no module
      (``skips``) or ships a flavour without ops (``lite``): FRAMEWORK_CPU_BUILD, the program's build without its CUDA code;
    - a program whose build always makes the module (``cpu_only``: its C++ part): FRAMEWORK_INSTALL_BROKEN, the build never
      ran in this environment or a source tree shadows the installed package.
    """
    if build.toolkit_absent and not build.no_gpu_at_build:
        if build.toolkit_present:
            return ModuleReading("toolkit_not_found", "CUDA_LIBS_NOT_ON_PATH", ("CUDA_LIBS_MISSING",),
                                 f"`echo $CUDA_HOME` and `which nvcc` in the shell that installs: empty while the toolkit's directory exists means it was not found; {_TOOLKIT_CHECK}")
        return ModuleReading("toolkit_absent", "CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH",),
                             f"`nvcc --version` and `ls -d /usr/local/cuda*`: no toolkit anywhere means it must be installed; {_TOOLKIT_CHECK}")
    if program.without_cuda == "fails" and not build.no_gpu_at_build:
        return ModuleReading("toolkit_absent", "CUDA_LIBS_MISSING", ("CUDA_LIBS_NOT_ON_PATH", "FRAMEWORK_CPU_BUILD"),
                             f"the install's output (its extension's build error) and `nvcc --version`, `echo $CUDA_HOME`: no nvcc means no toolkit; {_TOOLKIT_CHECK}")
    if program.without_cuda == "lite":
        return ModuleReading("lite_package", "FRAMEWORK_CPU_BUILD", ("FRAMEWORK_INSTALL_BROKEN",),
                             f"`pip list | grep -i {program.package}`: {' or '.join(program.cpu_packages)} has no compiled ops")
    if program.without_cuda == "cpu_only" and not build.no_gpu_at_build:
        return ModuleReading("not_built", "FRAMEWORK_INSTALL_BROKEN", ("FRAMEWORK_CPU_BUILD",),
                             f"`python -c \"import {program.package}, os; print(os.path.dirname({program.package}.__file__))\"` from where you run: a source tree without the compiled module means it was never built or shadows the installed one")
    alternatives = ("CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH") if not build.no_gpu_at_build else ("CUDA_LIBS_MISSING",)
    return ModuleReading("built_without_cuda", "FRAMEWORK_CPU_BUILD", alternatives,
                         f"{_TOOLKIT_CHECK}: False or None there means its build saw no CUDA (no toolkit installed, or CUDA_HOME not set)")


def alternative_words(cause: str, program: str) -> tuple[str, str]:
    """(title, fix) of a cause a reading leaves open, in the build's words for ``program``; ("", "") where none is listed."""
    row = next((r for r in table_rows("extension_builds", "alternative") if r["cause"] == cause), None)
    if row is None:
        return "", ""
    return row["title"].format(program=program), row["fix"].format(program=program)
