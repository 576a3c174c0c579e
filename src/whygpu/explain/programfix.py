"""A fix that names another framework's install command than the program the log shows failing (accsoname, session 34).

The knowledge layer's general advice for some causes names TensorFlow's, PyTorch's and JAX's own install commands
(knowledge/causes.toml's `fix` of FRAMEWORK_CPU_BUILD and CUDA_LIBS_MISSING, some priors' fixes). For a log whose failing
program is ONNX Runtime, CTranslate2, PaddlePaddle, MXNet, CuPy, a darknet binary or DeepSpeech, `pip install
'tensorflow[and-cuda]'` or PyTorch's wheel index fixes nothing and misleads. This reads, line by line, the install commands
a fix names (``FRAMEWORK_COMMANDS``) and keeps a line only where the log names that framework (its version, build, answer
or any mention: ``LogFacts.mentioned`` and ``frameworks_shown``); a line that names another framework's command is
replaced by the program's own GPU build where knowledge/cpu_packages.toml names it (a FRAMEWORK_CPU_BUILD fix), else by
the cause's advice that names no framework (``knowledge.causes.cause_advice_any``), else dropped.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from whygpu import lazyre as re

if TYPE_CHECKING:
    from whygpu.explain.logfacts import LogFacts
    from whygpu.model import Finding

# Each framework's own install commands as the knowledge layer's fixes write them (its CUDA extra, its wheel index).
FRAMEWORK_COMMANDS: dict[str, re.Pattern[str]] = {
    "tensorflow": re.compile(r"tensorflow\[and-cuda\]|pip\s+install[^\n`]*?[\s\"'`]tensorflow(?:-gpu)?(?:[=<>\"'`\s]|$)", re.I),
    "torch": re.compile(r"download\.pytorch\.org|pip\s+install[^\n`]*?[\s\"'`]torch(?:[=<>\"'`\s]|$)", re.I),
    "jax": re.compile(r"jax\[cuda", re.I),
}


# Where one sentence of a fix ends and the next begins (a command's dots are followed by no space and capital).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")

# The rules that speak in a CUDA extension's name with its build state's fix (accext's LOG520, explain/extrules.py).
_EXTENSION_RULES = frozenset({"LOG520"})
# accnoticed41 (session 41): the rules that speak of a deep-learning library used from another language (Java's DJL and
# TensorFlow Java, .NET's TorchSharp and ONNX Runtime NuGet, Rust's tch-rs, R, JavaScript: knowledge/bindings.toml, read by
# explain.langbindrules). Their program is not Python: no Python package's install command fixes it, whatever frameworks
# the log names (qupath-extension-djl#46 names "PyTorch 2.7.1", DJL's engine, and was given pip's torch==2.7.1 after DJL's
# PYTORCH_FLAVOR fix).
_BINDING_RULES = frozenset({"LOG635", "LOG636"})


def foreign_commands(text: str, allowed: set[str]) -> set[str]:
    """The frameworks whose install command ``text`` names and that are not in ``allowed``."""
    return {fw for fw, rx in FRAMEWORK_COMMANDS.items() if fw not in allowed and rx.search(text)}


def frameworks_named(facts: LogFacts) -> set[str]:
    """The frameworks the log names: a version, a build, a distribution, or their name in any words (a traceback's path, the
    writer's). Not an answer alone: ``cuda.is_available()`` is also Open3D's and CuPy's call, read as PyTorch's answer."""
    named = set(facts.versions) | set(facts.cuda_build) | set(facts.build_cuda) | set(facts.distributions)
    return set(facts.mentioned) | {fw for fw in facts.frameworks_shown() if fw in named}


def _instead(cause: str, evidence: tuple[str, ...], allowed: set[str]) -> str:
    from whygpu.knowledge.causes import cause_advice_any
    from whygpu.knowledge.cpu_packages import framework_named, gpu_build_instead

    if cause == "FRAMEWORK_CPU_BUILD":
        program = next((p for line in evidence if (p := framework_named(line)) is not None), None)
        instead = gpu_build_instead(program) if program else None
        if instead and not foreign_commands(instead, allowed):
            return f"Install the GPU build: {instead}."
    advice = cause_advice_any(cause)
    return "" if foreign_commands(advice, allowed) else advice


def scoped_fix(cause: str, fix: str, evidence: tuple[str, ...], facts: LogFacts, program: str = "", *, python: bool = True) -> str:
    """``fix`` with each line that names an install command of a framework the log does not name replaced by advice for the
    program that failed (see the module's docstring); ``fix`` itself where no line does. ``program``: the framework whose
    own message the finding read (a signature's framework: PyTorch's "driver on your system is too old" names no torch).
    ``python=False``: the program is not Python (a binding of another language, ``_BINDING_RULES``): every Python framework's
    install command is foreign, and its line is dropped (the finding's own fix is the binding's)."""
    allowed = frameworks_named(facts) | {fw for fw in FRAMEWORK_COMMANDS if fw in program} if python else set()
    lines = fix.split("\n")
    if not any(foreign_commands(line, allowed) for line in lines):
        return fix
    out: list[str] = []
    for line in lines:
        if not foreign_commands(line, allowed):
            out.append(line)
            continue
        # A line of several sentences keeps those that name no other framework's command ("This GPU needs a build made with
        # CUDA 12.8 or newer ... For PyTorch: `pip install torch --index-url ...`" keeps its first sentence).
        kept = [part for part in _SENTENCE_END.split(line) if not foreign_commands(part, allowed)]
        if kept:
            out.append(" ".join(kept))
            continue
        if not python:
            continue
        instead = _instead(cause, evidence, allowed)
        if instead and instead not in out:
            out.append(instead)
    return "\n".join(out)


def scoped_findings(findings: list[Finding], facts: LogFacts) -> list[Finding]:
    """Every finding with its fix scoped to the program the log shows (``scoped_fix``)."""
    from whygpu.explain.catalogue import catalogue
    from whygpu.knowledge.extension_builds import built_on, extension_of_signature

    by_id = catalogue().by_id
    # accnoticed41: a cause a binding's rule gives is that binding's (its program is not Python), whichever finding says it.
    binding_causes = {f.cause for f in findings if f.id in _BINDING_RULES}
    out = []
    for finding in findings:
        cause = finding.cause or ""
        sig = by_id.get(finding.id)
        program = str(getattr(sig, "framework", "") or "")
        if finding.id in _EXTENSION_RULES or extension_of_signature(finding.id) is not None:
            # A CUDA extension's own state or message (NerfAcc's, mmcv's): it is compiled against torch, whose wheels its fix
            # may name although the log names only the extension.
            program = f"{program} {built_on()}"
        fix = scoped_fix(cause, finding.fix, tuple(finding.evidence), facts, program, python=finding.cause not in binding_causes) \
            if finding.fix else finding.fix
        out.append(finding if fix == finding.fix else dataclasses.replace(finding, fix=fix))
    return out
