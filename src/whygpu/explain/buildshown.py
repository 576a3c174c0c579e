"""Every kind of evidence a log shows about a framework's build, read from its facts, and the one verdict on it (accnotcpu, session 35).

Is this build a CUDA build? The evidence comes in kinds (knowledge/cuda_build.toml): the framework's own answer
(``torch.version.cuda``, ``is_built_with_cuda()``, a +cuNNN or +cpu version), its GPU package or a pip release that
carries CUDA on the platform, a CUDA library it loaded or a CUDA call it made, and what the install shows: a CUDA wheel
index, the framework's CUDA image, JAX's CUDA extra, conda's CUDA pins, pip's CUDA wheels, the writer's "CPU version".
This module reads each kind from the typed facts the log readers already took (no line of its own) and asks
``knowledge.cuda_build.build_verdict`` for the one answer; knowledge/ruleouts.toml then moves FRAMEWORK_CPU_BUILD down
where the verdict is a CUDA build (ruled out where decided, demoted where only the install suggests it).
"""

from __future__ import annotations

import re
from typing import Any

from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.knowledge.cuda_build import BuildVerdict, build_verdict

# The framework an image's name is the image of ("pytorch/pytorch:...", "pytorch/torchserve:...", "tensorflow/tensorflow:...").
_IMAGE_FRAMEWORK = (("torch", re.compile(r"torch", re.I)), ("tensorflow", re.compile(r"tensorflow", re.I)),
                    ("jax", re.compile(r"\bjax", re.I)))
# NVIDIA's base images bring the CUDA libraries, not a framework's build: a framework installed in one can be any build.
_BASE_IMAGE = re.compile(r"(?:^|/)(?:nvidia/)?cuda:|nvidia/cuda\b", re.I)
_FORM_KIND = {"torch": "cuda_wheel_index", "jax": "jax_cuda_extra", "conda": "conda_cuda_pin"}
_FORM_FRAMEWORK = {"torch": "torch", "jax": "jax"}
# Every kind of evidence this module reads (each a row of knowledge/cuda_build.toml; a test checks the two agree).
KINDS = ("build_query", "build_query_cpu", "cpu_build_stated", "gpu_package", "gpu_release", "cuda_called", "cuda_code_line",
         "cuda_wheel_index", "framework_cuda_image", "jax_cuda_extra", "conda_cuda_pin", "pip_cuda_wheels",
         "conda_build_string", "conda_build_string_cpu", "gpu_extra", "packaged_cuda_build")


def _image_framework(words: str) -> str | None:
    return next((fw for fw, pattern in _IMAGE_FRAMEWORK if pattern.search(words)), None)


def _said_applies(facts: LogFacts, framework: str | None, of: str | None) -> bool:
    """Whether install evidence of framework ``of`` (None: a program's image, no framework named) speaks for ``framework``
    (None: the cause names none, so it speaks where the log names at most one framework)."""
    from whygpu.explain.ruleout import _single_framework

    if framework is None:
        return _single_framework(facts) and (of is None or not facts.versions or of in facts.versions)
    return of == framework


def build_signs(facts: LogFacts, framework: str | None) -> list[tuple[str, Seen[Any]]]:
    """Each kind of build evidence the log shows for ``framework`` (a key of knowledge/cuda_build.toml), with the line that showed it, in the order of the kinds' strength."""
    from whygpu.explain import ruleout

    signs: list[tuple[str, Seen[Any]]] = []
    for key, answers in facts.cuda_build.items():
        if ruleout._applies(facts, framework, key):
            # JAX's CUDA plugin in a package list is not a CUDA build loaded: JAX skips a plugin that does not
            # match its jaxlib and runs on the CPU (https://docs.jax.dev/en/latest/installation.html).
            shown = [s for s in answers if ruleout._installed(s) and not (key == "jax" and re.search(r"plugin|pjrt", s.text, re.I))]
            signs += [("build_query" if s.value is True else "build_query_cpu", s) for s in shown[:1]]
            signs += [("build_query_cpu", s) for s in shown if s.value is False][:1]
    signs += [("cpu_build_stated", s) for s in facts.stated_cpu_build[:1]]
    for kind, read in (("gpu_package", ruleout._gpu_package), ("gpu_release", ruleout._gpu_release), ("cuda_called", ruleout._cuda_called)):
        if (line := read(facts, framework)) is not None:
            signs.append((kind, line))
    if facts.cuda_code_line and ruleout._single_framework(facts):
        # A line printed from the program's own CUDA code (explain/cudacode.py): the log's one framework or program ran it.
        signs.append(("cuda_code_line", facts.cuda_code_line[0]))
    if facts.gpu_extra_installed and ruleout._single_framework(facts):
        # acccpubuild (session 37): a program's GPU extra or GPU requirements file installed (explain/gpuextra.py): it brings
        # the GPU build of whichever framework the program runs on, so it speaks where the log names at most one.
        signs.append(("gpu_extra", facts.gpu_extra_installed[0]))
    if facts.packaged_cuda_build and ruleout._single_framework(facts):
        # accvoice41 (session 41): the program's packaged release for NVIDIA GPUs (explain/gpuextra.py) carries the CUDA build
        # of the framework it embeds, so it speaks where the log names at most one framework.
        signs.append(("packaged_cuda_build", facts.packaged_cuda_build[0]))
    for said in facts.build_cuda_said:
        form, words = said.value.form, said.value.words
        if form == "image":
            of = _image_framework(words)
            if _BASE_IMAGE.search(words) or (of is None and framework is not None):
                continue
            kind = "framework_cuda_image"
        elif form in _FORM_KIND:
            kind, of = _FORM_KIND[form], _FORM_FRAMEWORK.get(form)
            if words.lower().startswith("pytorch-cuda"):
                kind = "conda_cuda_pin"  # the pytorch channel's pin is a conda pin, read as a PyTorch variant's CUDA
        else:
            continue  # the writer's "the CUDA 12.8 build" is what they meant to install, the commonest CPU-build story
        if ruleout._installed(said) and _said_applies(facts, framework, of):
            signs.append((kind, said))
    signs += _conda_signs(facts, framework)
    wheels = [s for values in facts.pip_cuda_wheels.values() for s in values]
    if wheels and ruleout.pip_wheels_loaded(facts) is True:
        loader = next(fw for fw in ("tensorflow", "torch", "jax") if facts.versions.get(fw))
        if framework in (None, loader):
            signs.append(("pip_cuda_wheels", wheels[0]))
    return signs


def _conda_signs(facts: LogFacts, framework: str | None) -> list[tuple[str, Seen[Any]]]:
    """accconda (session 36): the build strings of the framework's conda packages installed (explain.condasolve), each
    side once, by each channel's convention (knowledge.cuda_build.conda_build); a CUDA pin beside them (pytorch-cuda,
    cudatoolkit) is what the command asked for: a hint."""
    from whygpu.knowledge.cuda_build import conda_build

    signs: list[tuple[str, Seen[Any]]] = []
    kinds: set[str] = set()
    for seen in facts.conda_row:
        row = seen.value
        decided = conda_build(row.package, row.build)
        if decided is not None and _said_applies(facts, framework, decided.framework):
            kind = "conda_build_string" if decided.cuda else "conda_build_string_cpu"
        elif decided is None and row.pin and _said_applies(facts, framework, "torch" if row.package == "pytorch-cuda" else None):
            kind = "conda_cuda_pin"
        else:
            continue
        if kind not in kinds:
            kinds.add(kind)
            signs.append((kind, seen))
    return signs


def cuda_build_verdict(facts: LogFacts, framework: str | None) -> tuple[BuildVerdict, Seen[Any]] | None:
    """The one answer to "is this build a CUDA build?" for ``framework`` (None: the log's one framework or program), with
    the line that carries it; None where the evidence decides nothing."""
    signs = build_signs(facts, framework)
    verdict = build_verdict(kind for kind, _ in signs)
    if verdict is None:
        return None
    return verdict, next(seen for kind, seen in signs if kind == verdict.kind)
