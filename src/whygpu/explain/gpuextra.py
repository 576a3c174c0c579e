"""A program's GPU variant shown installed: its GPU extra or its GPU requirements file (acccpubuild, session 37).

Many programs publish their GPU dependencies as an extra (``pip install "rembg[gpu,cli]"``, ``pip install -e ".[gpu]"``,
https://packaging.python.org/en/latest/specifications/dependency-specifiers/#extras) or as a requirements file of their
own (``requirements_gpu.txt``, ``gpu-requirements.txt``). Either installs the framework's GPU build (onnxruntime-gpu,
tensorflow[and-cuda], a CUDA wheel of torch) beside the program. A log that shows the writer installed one shows the
install asked for the CUDA build: that suggests a CUDA build (knowledge/cuda_build.toml ``gpu_extra``), which makes a
CPU-only build unlikely without ruling it out (a CPU twin installed beside it still shadows it: FRAMEWORK_INSTALL_BROKEN).

Counted over the corpus at the start of session 37: the 12 labelled logs outside a container manifest that name such an
extra or file had no CPU-only build as their confirmed cause (docs/explain-accuracy.md, Session 37).

Read where the writer says it done (a command shown run, "installed with [gpu,cli]", "I used the gpu-requirements.txt"),
never where it is asked, advised or supposed. The frameworks' own extras (jax[cuda12], tensorflow[and-cuda]) are
explain.buildcuda's and logfacts' (their own kinds of evidence), not this module's; a container manifest's
``capabilities: [gpu]`` is no extra (nothing stands right before the bracket).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# An extra list right after a distribution's name or a local project ("."), one of whose extras names the GPU: "rembg[gpu,cli]",
# ".[gpu]", "pkg[cuda]", "pkg[cuda12]". The frameworks' own extras are read elsewhere (see the module's docstring).
_EXTRA = re.compile(
    r"(?:(?<![\w.\-/])(?P<name>[A-Za-z][\w.\-]*)|(?<![\w/])\.)\[(?:[\w\-]+,\s*)*(?:gpu|cuda\d*)(?:,\s*[\w\-]+)*\]", re.I)
# The extra written alone after an install's words: "installed with [gpu,cli]", "the `[gpu]` install", "the [gpu] extra".
_BARE = re.compile(r"(?:\binstall(?:ed|ing)?\s+with\s+`?|`?)\[(?:[\w\-]+,\s*)*gpu(?:,\s*[\w\-]+)*\]`?(?=\s+(?:install|extra|dependencies)\b)"
                   r"|\binstall(?:ed|ing)?\s+with\s+`?\[(?:[\w\-]+,\s*)*gpu(?:,\s*[\w\-]+)*\]", re.I)
# A program's GPU requirements file: "requirements_gpu.txt", "requirements-gpu.txt", "gpu-requirements.txt".
_REQUIREMENTS = re.compile(r"(?<![\w\-])(?:requirements[_\-]gpu|gpu[_\-]requirements)(?:\.txt)?(?![\w\-])", re.I)
# The writer's own doing with the file: "I have used the gpu-requirements.txt", "changed to requirements_gpu.txt",
# "pip install -r requirements-gpu.txt", "installed from requirements_gpu.txt".
_USED = re.compile(r"\b(?:used|using|changed\s+to|switched\s+to|installed|installing)\b[^.!?\n]{0,20}$", re.I)
# The frameworks whose own extras other readers take (JAX's CUDA extras, TensorFlow's and-cuda).
_FRAMEWORK_EXTRA = frozenset({"jax", "jaxlib", "tensorflow", "tf-nightly"})


def extra_installed(line: str) -> str | None:
    """The words of ``line`` that show a program's GPU extra or GPU requirements file installed, asserted; None otherwise."""
    if len(line) > 4000:
        return None
    low = line.lower()
    if "gpu" not in low and "cuda" not in low:
        return None
    from whygpu.explain import grammar

    if grammar.code_comment(line):
        return None
    from whygpu.explain.installstate import install_commands, run_command

    # A command shown run (not advised or asked: explain.installstate.run_command) that names the extra or the file.
    for command in install_commands(line):
        if command.verb != "install" or not run_command(line, command.start, command.end):
            continue
        span = line[command.start:command.end]
        for m in _EXTRA.finditer(span):
            if (m.group("name") or "").lower() not in _FRAMEWORK_EXTRA:
                return m.group(0)
        if (m_file := _REQUIREMENTS.search(span)) is not None:
            return m_file.group(0)
    # The writer's words: "installed with [gpu,cli]", "the `[gpu]` install pulls ...", "I used the gpu-requirements.txt".
    if "[" in line:
        for m in _BARE.finditer(line):
            if grammar.said(line, m.start(), m.end(), quotes=False):
                return m.group(0).strip("` ")
    if "requirements" in low:
        for m in _REQUIREMENTS.finditer(line):
            if _USED.search(line[max(0, m.start() - 40):m.start()]) and grammar.said(line, m.start(), m.end(), quotes=False):
                return m.group(0)
    return None


def extras_installed(lines: list[str], low_text: str) -> Iterator[tuple[int, str, str]]:
    """Each line (its number from 1, the line, the words) that shows a program's GPU extra or requirements file installed."""
    if "gpu" not in low_text and "cuda" not in low_text:
        return
    if "[" not in low_text and "requirements" not in low_text:
        return
    for number, line in enumerate(lines[:3000], 1):
        if "[" not in line and "equirements" not in line:
            continue
        words = extra_installed(line)
        if words is not None:
            yield number, line.strip(), words


def packaged_releases(lines: list[str], low_text: str) -> Iterator[tuple[int, str, str]]:
    """accvoice41 (session 41): each line (its number from 1, the line, the archive's name) that names a program's packaged
    release for NVIDIA GPUs as the one run (knowledge.cuda_build.packaged_build): a report's "version: RVC1006Nvidia", a
    path inside the unpacked archive. Not a question ("should I get the onnxgpu-cuda one?"): a choice not yet made."""
    if "nvidia" not in low_text and "cuda" not in low_text:
        return
    from whygpu.knowledge.cuda_build import packaged_build

    for number, line in enumerate(lines[:3000], 1):
        if "?" in line or len(line) > 2000:
            continue
        found = packaged_build(line)
        if found is not None:
            yield number, line.strip(), found[1]
