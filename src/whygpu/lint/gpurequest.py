"""Reads the files that ask a container or a job for a GPU without defining its software: Docker Compose
(``runtime: nvidia``, ``deploy.resources.reservations.devices``), Kubernetes (``nvidia.com/gpu`` limits), Slurm
(``#SBATCH --gres=gpu``), CI runners labelled for a GPU, ``docker run --gpus`` in scripts, Makefiles and READMEs,
and install scripts that install a CUDA build of a framework (a CUDA wheel index, ``conda install pytorch-cuda``). They are facts of GPU
intent (see ``whygpu.lint.intent``); no rule judges them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePosixPath

from whygpu.knowledge.gpu_specs import requests_in
from whygpu.lint.interface import FileKind, FileLinter, Location, ParsedFile, Source

# The requests are the intent rows of knowledge/launchers.toml [[spec_request]] (knowledge.gpu_specs, session 31): the same
# table explain reads a spec pasted in a log with. Compose and Kubernetes keys are matched on their line (the files are
# YAML the other readers did not take); a count of 0 GPUs asks for none.
_NEEDLES = ("nvidia", "gpu", "GPU", "cuda", "/cu1", "/cu9", "+cu")
_DOC_SUFFIXES = (".md", ".rst", ".txt")


@dataclass(frozen=True)
class GpuRequest:
    """One place that asks for a GPU: where, what it shows, and whether it is documentation (weaker than config)."""

    location: Location
    what: str
    documentation: bool


@dataclass
class GpuRequestModel(ParsedFile):
    """A file with one or more GPU requests."""

    requests: list[GpuRequest] = field(default_factory=list)


@lru_cache(maxsize=1)
def _index_mention() -> re.Pattern[str]:
    from whygpu.lint.data import load

    return re.compile("|".join(f"(?:{row['pattern']})" for row in load("packages")["index_mention"]), re.IGNORECASE | re.MULTILINE)


def index_mention(text: str) -> int | None:
    """The first line of ``text`` that gives pip an index or find-links beyond PyPI (packages.toml ``index_mention``:
    an index option, pip's environment variables or configuration keys, a uv/Poetry index, a framework's wheel
    page), or None."""
    match = _index_mention().search(text)
    return None if match is None else text.count("\n", 0, match.start()) + 1


def find_requests(source: Source) -> list[GpuRequest]:
    """The GPU requests in a file's text (empty when it names no NVIDIA device)."""
    text = source.text
    if not any(needle in text for needle in _NEEDLES):
        return []
    documentation = PurePosixPath(source.display).suffix.lower() in _DOC_SUFFIXES or source.name.lower() == "readme"
    found: list[GpuRequest] = []
    for row, match in requests_in(text, intent_only=True):
        line = text.count("\n", 0, match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))) + 1
        found.append(GpuRequest(source.location(line), row.what, documentation))
    return found


class GpuRequestLinter(FileLinter):
    """Compose and Kubernetes YAML, CI workflows, Makefiles, shell scripts and READMEs that ask for a GPU; asked last,
    so a YAML file the Azure ML or conda reader takes, or a script with ``az ml compute create``, is theirs."""

    kind = FileKind.GPU_REQUEST

    def wants(self, path: PurePosixPath) -> bool:
        """True when a file with this name may ask for a GPU."""
        name = path.name.lower()
        return path.suffix.lower() in (".yml", ".yaml", ".sh", ".bash", ".md", ".sbatch", ".slurm") or name in ("makefile", "readme", "justfile")

    def accepts(self, source: Source) -> bool:
        """True when the file asks for a GPU somewhere, or gives pip an index (``index_mention``: what DEP010 asks)."""
        requests = find_requests(source)
        source.cache["gpu_requests"] = requests
        return bool(requests) or index_mention(source.text) is not None

    def parse(self, source: Source) -> GpuRequestModel:
        """The file's GPU requests."""
        cached = source.cache.get("gpu_requests")
        requests = cached if isinstance(cached, list) else find_requests(source)
        return GpuRequestModel(source, requests=list(requests))
