"""A program's own compiled extension module missing, in the run's words (accext39, session 39).

The lines (knowledge/extension_builds.toml names the programs and their modules):

- Python's import errors of the module: "ModuleNotFoundError: No module named 'mmcv._ext'", "ImportError: cannot import name
  '_C' from 'sam2' (...)", "No module named 'amp_C'";
- the name left unbound where the program imported it in a try block: "NameError: name '_C' is not defined" (the program from
  the traceback's path: ``program_in_path``);
- the program's own fallback warning ("Failed to load custom C++ ops. Running on CPU mode Only!", GroundingDINO's);
- apex's "apex was installed without --cuda_ext" and "requires cuda extensions";
- of the build: torch's "No CUDA runtime is found, using CUDA_HOME=..." (the build saw no GPU, a toolkit at that path).

``CUES``: a line can be one of them only if its lower-cased text holds one of these (checked before any expression).
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge.extension_builds import (
    program_of_fallback,
    program_of_module,
    program_of_package,
    programs,
)

CUES = ("_c'", "_ext'", "_cuda'", "custom c++ ops", "--cuda_ext", "cuda extensions", "no cuda runtime is found")

_IMPORT = re.compile(
    r"No module named '(?P<full>[\w.]+)'"
    r"|cannot import name '(?P<mod>_C|_ext)' from '(?P<pkg>[\w.]+)'"
    r"|name '(?P<bare>_C|_ext)' is not defined")
_APEX = re.compile(r"apex was installed without --cuda_ext|apex\.\w+(?:\.\w+)? requires cuda extensions", re.I)
_NO_RUNTIME = re.compile(r"No CUDA runtime is found, using CUDA_HOME='?(?P<home>[^'\s,]+)")
# A traceback's path through a program's package: ".../groundingdino/models/...", "...\\sam2\\modeling\\...".
_PATH = re.compile(r"[/\\](?P<pkg>[A-Za-z_][\w]*)[/\\]")


def module_missing(text: str) -> tuple[str, str] | None:
    """(the program, how the line says it) for a line saying a program's compiled module is missing; the program "" where the
    line does not name it (a NameError); None for any other line."""
    if _APEX.search(text) and (apex := program_of_package("apex")) is not None:
        return apex.name, "said"
    if (fallback := program_of_fallback(text)) is not None:
        return fallback.name, "fallback"
    for m in _IMPORT.finditer(text):
        if m.group("full"):
            if (program := program_of_module(m.group("full"))) is not None:
                return program.name, "import"
            continue
        if m.group("pkg"):
            if (program := program_of_package(m.group("pkg").split(".")[0])) is not None:
                return program.name, "import"
            continue
        return "", "name"
    return None


def program_in_path(text: str) -> str | None:
    """The program whose package a path in ``text`` goes through (a traceback's File line), or None."""
    if "file " not in text.lower() and "/" not in text and "\\" not in text:
        return None
    for m in _PATH.finditer(text):
        if (program := program_of_package(m.group("pkg"))) is not None:
            return program.name
    return None


def build_without_gpu(text: str) -> str | None:
    """The CUDA_HOME torch's build line shows where it found no CUDA runtime (the build saw no GPU), or None."""
    m = _NO_RUNTIME.search(text)
    return m.group("home") if m else None


@lru_cache(maxsize=1)
def package_cues() -> tuple[str, ...]:
    """The import names of the programs that import their module in a try block (a NameError names no program), as a path
    shows them ("/groundingdino/", "\\groundingdino\\"), lower-cased."""
    return tuple(f"{sep}{name}{sep}" for name in package_words() for sep in ("/", "\\"))


def package_words() -> tuple[str, ...]:
    """Those programs' import names."""
    return tuple(p.package for p in programs() if p.guarded)
