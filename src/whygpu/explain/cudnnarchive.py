"""cuDNN's own archive names, read as the two versions they carry (acctwins, session 39).

NVIDIA names each cuDNN download by the CUDA release it was built for and its own release
(https://developer.nvidia.com/rdp/cudnn-archive, https://developer.download.nvidia.com/compute/cudnn/redist/cudnn/):

- through cuDNN 8.x's zips and tarballs: ``cudnn-<CUDA>-<os>-<arch>-v<cuDNN>`` ("cudnn-8.0-windows7-x64-v6.0": cuDNN 6.0
  built for CUDA 8.0; "cudnn-11.2-linux-x64-v8.1.0.77.tgz": cuDNN 8.1.0.77 for CUDA 11.2), also written with a space by a
  writer who names it ("cuDNN 11.4-windows-x64-v8.2.2.26");
- the redistributable archives since 8.3: ``cudnn-<os>-<arch>-<cuDNN>_cuda<CUDA major>-archive``
  ("cudnn-windows-x86_64-8.9.7.29_cuda12-archive": cuDNN 8.9.7.29 for CUDA 12).

A reader of "cuDNN <version>" takes the first number after "cudnn-" for cuDNN's release; in the older name that number is
CUDA's. ``archive_names`` gives each name's span, cuDNN release (major.minor) and CUDA release, for ``explain.logfacts`` to
read both and to keep the span from the plain "cuDNN <version>" reading.
"""

from __future__ import annotations

from typing import NamedTuple

from whygpu import lazyre as re

__all__ = ["NEEDLE", "Archive", "archive_names"]

NEEDLE = "cudnn"

_OLD = re.compile(r"(?<![\w.-])cudnn[-\s](?P<cuda>\d{1,2}\.\d)-(?:windows\d*|win\d*|linux|osx|macos)-(?:x64|x86_64|ppc64le|aarch64\w*|sbsa)-v(?P<cudnn>\d+(?:\.\d+){0,3})(?![\d])", re.I)
_NEW = re.compile(r"(?<![\w.-])cudnn-(?:windows|linux)-(?:x86_64|sbsa|aarch64|ppc64le)-(?P<cudnn>\d+\.\d+(?:\.\d+){0,2})_cuda(?P<cuda>\d{1,2}(?:\.\d)?)-archive", re.I)


class Archive(NamedTuple):
    start: int
    end: int
    cudnn: str  # cuDNN's release, major.minor ("6.0", "8.9")
    cuda: str  # the CUDA release it was built for ("8.0", "12")


def archive_names(text: str) -> list[Archive]:
    """Every cuDNN archive name in ``text`` (both forms), in order."""
    if NEEDLE not in text.lower():
        return []
    found = [*_OLD.finditer(text), *_NEW.finditer(text)]
    out = []
    for m in sorted(found, key=lambda m: m.start()):
        parts = m.group("cudnn").split(".")
        cudnn = f"{parts[0]}.{parts[1] if len(parts) > 1 else '0'}"
        out.append(Archive(m.start(), m.end(), cudnn, m.group("cuda")))
    return out
