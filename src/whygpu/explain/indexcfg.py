"""Package index configuration read from a log or pasted files (accindex, session 38): where pip, uv or Poetry was told to
look for the framework. Install commands' ``--index-url``/``-i``/``--extra-index-url``/``-f``, pip's own "Looking in
indexes:" line, ``PIP_INDEX_URL``/``PIP_EXTRA_INDEX_URL`` set in a Dockerfile, CI file or shell, pyproject/pip.conf keys
(``index-url =``, ``extra-index-url =``, a uv or Poetry source's ``url =``), and uv's torch backend (``--torch-backend``,
``UV_TORCH_BACKEND``, ``torch-backend =``). What each index gives is knowledge.package_index's decision; this module only
reads where each was named and in what role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whygpu.knowledge.package_index import IndexBuild, backend_build, index_build

__all__ = ["GATE", "IndexSeen", "SourceSeen", "index_cpu_said", "index_settings", "torch_version_said", "uv_source"]

# The cheap substrings a line must hold before the patterns run (FactReader's gate).
GATE = ("index-url", "index_url", "looking in indexes", "torch-backend", "torch_backend", "find-links", "url =", "url=", "index =")

_URL = r"""(?P<url>https?://[^\s"'`,;)\]]+)"""
# pip's options and environment variables, and a pip.conf/pyproject key: the role each gives its URL.
_SETTINGS = (
    (re.compile(r"(?:--extra-index-url|PIP_EXTRA_INDEX_URL|\bextra[-_]index[-_]url)\b[\s=:\"'\[]*" + _URL, re.I), "extra"),
    (re.compile(r"(?:--index-url|(?<![\w-])-i|PIP_INDEX_URL|(?<![\w-])index[-_]url)\b[\s=:\"']*" + _URL, re.I), "index"),
    (re.compile(r"(?:--find-links|(?<![\w-])-f|PIP_FIND_LINKS)\b[\s=:\"']*" + _URL, re.I), "links"),
    (re.compile(r"^\s*url\s*=\s*[\"']" + _URL, re.I), "source"),
)
_LOOKING = re.compile(r"Looking in indexes:\s*(?P<urls>.+)$")
_BACKEND = re.compile(r"(?:--torch-backend|UV_TORCH_BACKEND|\btorch-backend)\b[\s=:\"']*(?P<value>[A-Za-z0-9.]+)", re.I)
# A torch version the writer shows printed ("print(torch.__version__)   # 2.12.0+cpu").
_TORCH_PRINTED = re.compile(r"torch\.__version__\W+.*?\b(\d+\.\d+(?:\.\d+)?(?:\.dev\d*)?\+(?:cpu|cu\d{2,3}))\b")


@dataclass(frozen=True)
class IndexSeen:
    """One index named in a role: ``index`` (the main index), ``extra`` (an extra index), ``links`` (a find-links page),
    ``source`` (a uv/Poetry source's URL), ``backend`` (uv's torch backend); with the build it serves where known."""

    role: str
    url: str
    build: IndexBuild | None


def index_settings(text: str) -> list[IndexSeen]:
    """Every index a line names, with its role; an index the knowledge does not know is kept (it is PyPI or a mirror: what
    it gives is not decided, but it is another place pip looked)."""
    found: list[IndexSeen] = []
    if (looking := _LOOKING.search(text)) is not None:
        for n, url in enumerate(u.strip() for u in looking.group("urls").split(",")):
            if url.startswith("http"):
                found.append(IndexSeen("index" if n == 0 else "extra", url, index_build(url)))
        return found
    taken: set[int] = set()
    for pattern, role in _SETTINGS:
        for m in pattern.finditer(text):
            if m.start("url") in taken:
                continue
            taken.add(m.start("url"))
            url = m.group("url").rstrip(".")
            found.append(IndexSeen(role, url, index_build(url)))
    for m in _BACKEND.finditer(text):
        if (build := backend_build(m.group("value"))) is not None:
            found.append(IndexSeen("backend", m.group("value").lower(), build))
    return found


def torch_version_said(text: str) -> str | None:
    """A torch version with its local label printed beside ``torch.__version__`` in the writer's example."""
    m = _TORCH_PRINTED.search(text)
    return m.group(1) if m else None


# A uv source entry that pins a package to a named index under an environment marker:
# `{ index = "pytorch-cu128", marker = "sys_platform == 'linux'" }` (https://docs.astral.sh/uv/guides/integration/pytorch/).
_SOURCE = re.compile(r"\bindex\s*=\s*[\"'](?P<name>[\w.-]+)[\"'](?:\s*,\s*\w+\s*=\s*[\"'][^\"']*[\"'])*\s*,\s*marker\s*=\s*\"(?P<marker>[^\"]+)\"")
_NAME_TAG = re.compile(r"(?<![a-z])(cpu|cu\d{2,3}|rocm[\d.]+|xpu)(?![a-z\d])", re.I)


@dataclass(frozen=True)
class SourceSeen:
    """A uv source that pins a package to a named index under a marker, with the build the index's name says."""

    index: str
    marker: str
    build: IndexBuild | None


def uv_source(text: str) -> SourceSeen | None:
    """A uv source entry with a marker; the index's build is read from its name (pytorch-cu128: PyTorch's cu128 index)."""
    m = _SOURCE.search(text)
    if m is None:
        return None
    tag = _NAME_TAG.search(m.group("name"))
    return SourceSeen(m.group("name"), m.group("marker"), backend_build(tag.group(1)) if tag else None)


# The writer's words that an index or channel gave the CPU build ("Channel order causes CPU pytorch to be installed", "the
# base torch resolved from plain PyPI: the CPU wheel on Windows", "conda-forge installs the cpu version"): a CPU build's
# words and an index's or channel's in one sentence, said as the writer's finding (statements.cpu_build_said).
_CPU_WORDS = re.compile(r"\bcpu(?:-only|\s+only)?\*{0,2}\s+(?:version|build|wheel|variant|package)s?\b|\bcpu(?:-only)?\s+(?:py)?torch\b"
                        r"|\b(?:py)?torch\s+(?:cpu|with\s+cpu)\b|\btorch[=-]+[\d.]+\+cpu\b", re.I)
_INDEX_WORDS = re.compile(r"\bconda-forge\b|\bchannels?\b|\bpypi(?:\.org)?\b|\bindex(?:es)?\b|\bmirror\b|\bsources?\b", re.I)


def index_cpu_said(text: str) -> str | None:
    """The sentence in which the writer says an index or channel gave PyTorch's CPU build; None where no such finding
    is said (a question, advice, a guess, a condition on the words, a quoted message)."""
    from whygpu.explain import grammar, statements

    for m in _CPU_WORDS.finditer(text):
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if _INDEX_WORDS.search(text, left, right) is None or "torch" not in text[left:right].lower():
            continue  # the index's or channel's words, and PyTorch's (the indexes and channels the knowledge knows), in the sentence
        if statements.cpu_build_said(text, m.start(), m.end()):
            return text[left:right].strip()
    return None
