"""What a log says about the build of JAX it installs, the CUDA wheels it shares with another framework, and the work it
asks the GPU to do (accjax39, session 39).

Each reading is a ``JaxSign`` with its kind:
- "plain_pin": a project's requirements or pyproject pin the plain ``jaxlib`` (``jaxlib==0.4.7 ; python_version >= "3.8"``,
  ``jaxlib = "0.3.25"``) and no line of the log shows a CUDA build of JAX (knowledge.jax_builds.cuda_marked: a jax[cuda...]
  extra, a jax-cuda plugin, a +cuda jaxlib, JAX's CUDA wheel index). The plain jaxlib of PyPI is built for the CPU only.
- "said_cpu_install": the writer's statement that their install of JAX is its CPU build, in a sentence naming JAX or jaxlib:
  any form of explain.statements' one reader of a CPU-only build said obtained (``statements.cpu_build``: "it installed the
  CPU version of jaxlib", "only the CPU version of JAX was installed", "Jax is not compiled for GPU", "poetry install doesn't
  install jax with cuda", "jax has no GPU version"), decided a statement of fact there (``statements.cpu_build_said``), of
  JAX's build (``knowledge.cpu_packages.framework_named`` of its sentence: JAX and no other program).
- "wheels_replaced": the writer's words that installing another framework that pins its own nvidia-*-cuNN wheels (PyTorch,
  TensorFlow; knowledge/jax_builds.toml [[replacer]]) after JAX cost JAX its GPU or made its CUDA libraries too old ("when I
  pip install torch later, I can't use jax with the GPU: cusolver's version is older than jax's").
- "gpu_still_used": the writer's words that the GPU is still used despite what the log warns ("it does appear to still use
  the GPU just fine"); read beside JAX's CPU-fallback warning it says the warning concerns a helper that uses JAX, not the
  run's GPU work (set as the context tag jax_fallback_harmless, explain.infer).
- "sequential": work whose steps are sequential by nature (MCMC sampling: NUTS, HMC, chains of draws;
  knowledge.jax_builds.sequential_work), where a GPU no faster than the CPU is expected (LOG210's limit).

Not read: a question, a condition or advice (the sentence is asked, wished or proposed), a negated statement ("it does not
still use the GPU"). That decision is explain.grammar's one (``grammar.said``; ``statements.cpu_build_said`` for a build, the
negation of the words ``grammar.negated``), the sentences explain.grammar's (accjaxgram, session 40: this module kept its own
sentence splitter, its own list of question, condition and advice words and its own negation before).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from whygpu.explain import grammar, statements
from whygpu.knowledge.cpu_packages import framework_named
from whygpu.knowledge.jax_builds import cuda_marked, replacer_pattern, sequential_work

__all__ = ["JaxSign", "gated", "names_jax", "signs"]


@dataclass(frozen=True)
class JaxSign:
    """One reading: ``kind`` (see the module's doc) and its ``detail`` (the pinned version, the other framework's name)."""

    kind: str
    detail: str = ""


# A requirement line or a pyproject/poetry entry pinning jaxlib: "jaxlib==0.4.7 ; ...", "jaxlib>=0.4.7", "jaxlib = "0.3.25"",
# "jaxlib = {version = "0.3.25" ...}" (at the start of the line, as the files hold them).
_PIN = re.compile(r'''^\s*[-*]?\s*["']?jaxlib["']?\s*(?:==|~=|>=|=\s*\{\s*version\s*=\s*|=)\s*["']?\^?(?P<version>\d+(?:\.\d+)+)\b''', re.I)
_JAX = re.compile(r"\bjax(?:lib)?\b", re.I)
_ORDER = re.compile(r"\b(?:later|after(?:wards)?|then|subsequently|afterward)\b", re.I)
_LOSS = re.compile(r"\b(?:can'?t|cannot|can not|unable|(?:(?:can|could)\s+)?no longer|not able)\b[^.]{0,40}\b(?:gpu|cuda)\b|\b(?:version|versions)\b[^.]{0,30}\bolder\b|\bolder than\b", re.I)
_STILL_USED = re.compile(
    r"\bstill\s+(?:(?!(?:not|never|no)\b|\w+nt\b)\w+\s+){0,2}?(?:use|uses|using|run|runs|running|train|trains|training)\s+(?:on\s+)?(?:the\s+|my\s+)?gpu\b"
    r"|\b(?:uses|using|runs? on|trains? on)\s+(?:the\s+|my\s+)?gpu\s+(?:just\s+)?fine\b"
    r"|\bdespite\s+(?:this|the|that)\s+(?:warning|message)\b[^.]{0,60}\b(?:uses|using|runs? on)\s+(?:the\s+)?gpu\b",
    re.I)


def names_jax(text: str) -> bool:
    """Whether ``text`` names JAX or jaxlib."""
    return _JAX.search(text) is not None


def gated(low_text: str) -> bool:
    """Whether the text can hold a reading (a cheap test before ``signs``)."""
    return "jax" in low_text or "nuts" in low_text or "mcmc" in low_text or "hmc" in low_text


def _said_cpu_install(line: str) -> bool:
    """Whether the writer states in ``line`` that their JAX install is its CPU build: statements' CPU-build reading, its
    sentence naming JAX and no other program (knowledge.cpu_packages.framework_named, LOG112's decision of whose build it is)."""
    said = statements.cpu_build(line)
    if said is None:
        return False
    left, right = grammar.sentence_at(line, said.start(), said.end())
    return framework_named(line[left:right]) == "jax"


def _replacer(sentence: str) -> str | None:
    named = re.search(rf"\b(?:pip3?|install(?:ed|ing)?|conda)\b[^.]{{0,40}}?\b(?P<name>{replacer_pattern()})\b", sentence, re.I)
    return named.group("name").lower() if named is not None else None


def signs(lines: list[str]) -> Iterator[tuple[int, JaxSign, str]]:
    """Each reading with its 1-based line number and the line's text (at most one of each kind)."""
    marked = any(cuda_marked(line) for line in lines if "jax" in line.lower())
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        low = line.lower()
        if len(line) > 2000:
            continue
        if "jaxlib" in low and not marked and "plain_pin" not in seen and (pin := _PIN.search(line)) is not None:
            seen.add("plain_pin")
            yield number, JaxSign("plain_pin", pin.group("version")), line.strip()
            continue
        if "sequential" not in seen and sequential_work(line):
            seen.add("sequential")
            yield number, JaxSign("sequential"), line.strip()
        if "said_cpu_install" not in seen and names_jax(line) and _said_cpu_install(line):
            seen.add("said_cpu_install")
            yield number, JaxSign("said_cpu_install"), line.strip()
        for offset, sentence in grammar.sentences(line):
            if ("wheels_replaced" not in seen and _JAX.search(sentence) and _ORDER.search(sentence) and (loss := _LOSS.search(sentence)) is not None
                    and (other := _replacer(sentence)) is not None and grammar.said(line, offset + loss.start(), offset + loss.end())):
                seen.add("wheels_replaced")
                yield number, JaxSign("wheels_replaced", other), line.strip()
            if "gpu_still_used" not in seen and (used := _STILL_USED.search(sentence)) is not None:
                start, end = offset + used.start(), offset + used.end()
                if grammar.said(line, start, end) and not grammar.negated(line, offset, start, end):
                    seen.add("gpu_still_used")
                    yield number, JaxSign("gpu_still_used"), line.strip()
