"""Which CUDA library files a CUDA container image's flavour installs (knowledge/image_libraries.toml).

accnotpath (session 39): ``knowledge.libraries.library_failure_cause`` is the one decision between a library missing, off
the loader's path and of another version. A CUDA image's tag ("nvidia/cuda:10.2-cudnn8-runtime") names a release that ships
the library, but its flavour may not install it: CUPTI and the unversioned ``libX.so`` links come only with the devel
flavour, the math libraries not with base. This module answers that one question for the decision.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge import load
from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["ImageLack", "cuda_image_repositories", "image_check", "image_lacks_library"]


@record(frozen=True)
class ImageLack:
    """A library file an image flavour does not install: the tag, its flavour, the library's stem, why, and the row's source."""

    tag: str
    flavour: str
    stem: str
    why: str
    source: str


@lru_cache(maxsize=1)
def _flavours() -> dict[str, tuple[frozenset[str], bool, str]]:
    return {str(r["flavour"]): (frozenset(s.lower() for s in r["stems"]), bool(r["unversioned"]), str(r["source"]))
            for r in table_rows("image_libraries", "flavour")}


def _flavour_of(tag: str) -> str | None:
    """The flavour word of a CUDA image tag ("12.2.0-runtime-ubuntu22.04" -> "runtime"), or None where the tag names none."""
    parts = tag.lower().replace("_", "-").split("-")
    found = [p for p in parts if p in _flavours()]
    return found[0] if len(found) == 1 else None


def image_lacks_library(tag: str, file: str) -> ImageLack | None:
    """The lack, where the flavour of the CUDA image ``tag`` does not install the library file ``file`` at all: a stem the
    flavour has no package for (libcupti in a runtime image, libcublas in a base image), or an unversioned ``libX.so`` link
    in a flavour without the -dev packages. None where the flavour installs it, where the tag names no known flavour, or
    where the file is not a CUDA library the table knows (a program's own library decides nothing)."""
    from whygpu.knowledge.cuda_versions import parse_library_name

    flavour = _flavour_of(tag)
    if flavour is None:
        return None
    name = parse_library_name(file)
    if name.windows:
        return None  # the CUDA images are Linux images
    stem = (name.stem or "").removeprefix("lib")
    known = frozenset().union(*(s for s, _, _ in _flavours().values()))
    if stem.lower() not in known:
        return None
    stems, unversioned, source = _flavours()[flavour]
    if stem.lower() not in stems:
        return ImageLack(tag, flavour, stem, f"the {flavour} flavour of the CUDA images installs no {stem}", source)
    if name.version is None and not unversioned:
        return ImageLack(tag, flavour, stem, f"the {flavour} flavour installs only the versioned lib{stem}.so.N; the unversioned "
                         f"lib{stem}.so link comes with the -dev packages of the devel flavour", source)
    return None


@lru_cache(maxsize=1)
def cuda_image_repositories() -> tuple[str, ...]:
    """NVIDIA's image repositories whose tags are the CUDA images' tags ([[repository]]: nvidia/cuda, and nvidia/cudagl,
    built FROM the nvidia/cuda tag of the same name with the OpenGL libraries added), longest first."""
    return tuple(sorted((str(r["name"]) for r in table_rows("image_libraries", "repository")), key=len, reverse=True))


@lru_cache(maxsize=1)
def image_check() -> tuple[str, str, str]:
    """The check that decides where the image named may not be the one that ran ({stem} to fill), why, and its source."""
    row = load("image_libraries").get("decide", {})
    return str(row["check"]), str(row["why"]), str(row["source"])
