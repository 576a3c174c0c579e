"""How a framework was installed, read from a log, for a library its own install should have brought (accbrought, session 38).

The framework's install brings its CUDA libraries as pip's nvidia-* wheels (knowledge/brought_libraries.toml); when one fails
to load, the install shown ranks missing, off the loader's path and another version (knowledge.brought, called from
knowledge.libraries.library_failure_cause). This module reads the install facts from the log's own lines, each behind a cheap
substring test in the line reader (explain.logfacts):

- ``pip install ... --no-deps`` (pip's or uv's): the dependencies, the nvidia-* wheels among them, were not installed;
- ``pip uninstall ... nvidia-...`` or pip's "Successfully uninstalled nvidia-...": a wheel the framework loads was removed;
- ``pip install tensorflow`` (a release pin allowed) without the ``[and-cuda]`` extra on the line: TensorFlow without its
  CUDA wheels (read only where no line shows the extra);
- ``jax[cuda12_local]`` and the other ``_local`` extras: JAX with a hand-installed CUDA, no wheels;
- a path ``.../lib64/pythonX.Y/site-packages/torch/``: torch in the platlib of a distribution whose purelib (where the nvidia-*
  wheels go) is lib/, so torch does not find them beside itself;
- PyTorch's own preload frame in a traceback (``in _load_global_deps``, ``_preload_cuda_deps()``): a torch whose install brings
  its CUDA libraries (not a fact of the install's kind: it stands for the release where none is shown).

A question or an advice line ("try pip install --no-deps", "should I ...?") is not read: only a command or its output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whygpu import lazyre as re

if TYPE_CHECKING:
    from whygpu.explain.logfacts import LogFacts
    from whygpu.knowledge.brought import FrameworkInstall

__all__ = ["framework_install", "install_fact", "install_facts_of", "speaks_for"]

# A shell command as the writer ran it: after a prompt, in inline code, or at the line's start.
_CMD = r"(?:^\s*(?:[\w.@~:/()\[\]-]*[$#%>]\s*)?|`|!|\bRUN\s+)"
_NO_DEPS = re.compile(_CMD + r"(?:python3?\s+-m\s+)?(?:uv\s+)?pip3?\s+install\b[^\n`]*?\s--no-deps\b", re.I)
_REMOVED = re.compile(_CMD + r"(?:python3?\s+-m\s+)?(?:uv\s+)?pip3?\s+uninstall\b[^\n`]*\bnvidia-|^\s*Successfully uninstalled nvidia-", re.I)
_TF_PLAIN = re.compile(_CMD + r"(?:python3?\s+-m\s+)?pip3?\s+install\b(?:\s+-[-\w]+)*\s+(?:-U\s+)?[\"']?tensorflow(?:==[\d.]+)?[\"']?(?=\s|$|`)", re.I)
# torch installed under a lib64 site-packages (platlib), away from the purelib nvidia-* wheels.
_SPLIT = re.compile(r"/lib64/python3\.\d+/site-packages/torch/")
_JAX_LOCAL = re.compile(r"\bjax\[cuda1\d_local\]|\bjax\[\"?cuda1\d_local", re.I)
# Advice or a question, not what was run.
_NOT_RUN = re.compile(r"\b(?:try|should|could|would|maybe|suggest|recommend|instead)\b|\?\s*$", re.I)


# PyTorch's __init__ loading its CUDA dependencies itself (``_load_global_deps``, 1.13's ``_preload_cuda_deps``): the traceback
# of a torch whose CUDA libraries come with its install (the nvidia-* wheels, or conda's packages), not from the system.
_TORCH_PRELOAD = re.compile(r"torch[\\/]__init__\.py\W.*\bin _(?:load_global_deps|preload_cuda_deps)\b|^\s*_(?:load_global_deps|preload_cuda_deps)\(\)")


def install_fact(text: str, low: str) -> str | None:
    """The install fact one line shows ("no_deps", "wheels_removed", "extra_left_out", "local_variant"), or None. Callers
    test ``"--no-deps" in low or "uninstall" in low or "_local" in low or ("install" in low and "tensorflow" in low)`` or
    ``"_deps" in low`` or ``"lib64/python" in low`` first. "torch_preload" is PyTorch's own loading of its CUDA dependencies (a traceback line)."""
    if ("global_deps" in low or "preload_cuda" in low) and _TORCH_PRELOAD.search(text):
        return "torch_preload"
    if "lib64/python" in low and _SPLIT.search(text):
        return "split_site_packages"
    if len(text) > 600 or _NOT_RUN.search(text):
        return None
    if "--no-deps" in low and _NO_DEPS.search(text):
        return "no_deps"
    if "nvidia-" in low and "uninstall" in low and _REMOVED.search(text):
        return "wheels_removed"
    if "_local" in low and _JAX_LOCAL.search(text):
        return "local_variant"
    if "tensorflow" in low and "and-cuda" not in low and _TF_PLAIN.search(text):
        return "extra_left_out"
    return None


def install_facts_of(read: list[str], tf_and_cuda: bool, mixed_majors: bool) -> tuple[str, ...]:
    """The install facts a log shows, from the lines read (``LogFacts.wheel_install`` values), whether a line shows
    TensorFlow's ``[and-cuda]`` extra (then a plain ``pip install tensorflow`` elsewhere is not the install that ran) and
    whether one package listing holds nvidia-* wheels of two CUDA majors."""
    facts = [f for f in dict.fromkeys(read) if not (f == "extra_left_out" and tf_and_cuda)]
    if mixed_majors:
        facts.append("other_major_wheels")
    return tuple(facts)


_FRAMEWORKS = ("torch", "tensorflow", "jax")


def framework_install(facts: LogFacts, tags: set[str]) -> FrameworkInstall | None:
    """What the log shows of the framework's install (knowledge.brought.FrameworkInstall): the one framework it names, whether
    the release shown loads pip's nvidia-* wheels, the install facts, and the CUDA and cuDNN majors its build's wheels hold.
    None where the log names no framework or several, or the platform's builds bring no wheels (Windows and macOS wheels
    carry their libraries inside the package; Jetson's are NVIDIA's own builds)."""
    from whygpu.knowledge.brought import FrameworkInstall
    from whygpu.knowledge.ruleouts import loads_pip_cuda_wheels

    named = (set(facts.mentioned) | set(facts.versions) | set(facts.cuda_build)) & set(_FRAMEWORKS)
    if len(named) != 1 or "jetson" in tags or facts.platform_name() in ("windows", "darwin", "macos"):
        return None
    framework = named.pop()
    version = facts.versions[framework][0].value if facts.versions.get(framework) else None
    loads = loads_pip_cuda_wheels(framework, version) if version else None
    read = [s.value for s in facts.wheel_install]
    if framework == "torch" and loads is None and "torch_preload" in read:
        loads = True  # the traceback shows torch loading the CUDA libraries its install brings
    read = [f for f in read if f != "torch_preload"]
    installed = install_facts_of(read, bool(facts.tf_and_cuda), bool(facts.cuda_packages_mixed))
    if loads is None and not installed:
        return None
    cuda, cudnn = _build_majors(facts, framework, version)
    return FrameworkInstall(framework, loads, installed, cuda, cudnn)


def _build_majors(facts: LogFacts, framework: str, version: str | None) -> tuple[str, str]:
    """The CUDA major and cuDNN major the framework build's wheels hold ("" where the log does not say)."""
    if version is None:
        return "", ""
    if framework == "torch":
        from whygpu.knowledge.torch import (
            torch_bundled_cudnn_major,
            torch_cuda_from_local_tag,
            torch_release,
        )

        cuda = facts.build_cuda["torch"][0].value if facts.build_cuda.get("torch") else None
        if cuda is None and "+" in version:
            cuda = torch_cuda_from_local_tag(version.split("+", 1)[1])
        if cuda is None and "+" not in version and (release := torch_release(version)) is not None:
            cuda = release.pypi_default_cuda
        cudnn = torch_bundled_cudnn_major(version, cuda) if cuda else None
        return (cuda or "").split(".")[0], cudnn or ""
    if framework == "tensorflow":
        from whygpu.knowledge.tensorflow import tensorflow_build

        build = tensorflow_build(version, "linux")
        if build is None:
            return "", ""
        return (build.cuda or "").split(".")[0], (build.cudnn or "").split(".")[0]
    return "", ""


# The words a signature's program field uses for each framework.
_PROGRAM_WORDS = {"torch": ("pytorch", "torch"), "tensorflow": ("tensorflow", "keras"), "jax": ("jax",)}


def speaks_for(program: str, framework: str, lines: list[str]) -> bool:
    """Whether ``lines`` read by a signature of ``program`` (its ``framework`` field: "pytorch", "any", "onnxruntime"...) are
    the framework's own loading: a line of another program (onnxruntime's provider, CTranslate2) asks for that program's
    libraries, which the framework's wheels may not be (knowledge.brought.other_program_named)."""
    from whygpu.knowledge.brought import other_program_named

    low = program.lower()
    if any(other_program_named(line) for line in lines):
        return False
    if low.startswith(("any", "other")):
        return True
    return any(word in low for word in _PROGRAM_WORDS.get(framework, (framework,)))
