"""Which CUDA extension a log's build lines are about (accext, session 33).

A CUDA extension built at install time or just in time (flash-attn, mmcv, NerfAcc, tiny-cuda-nn, ...: knowledge/
extension_builds.toml) fails in its build helper's words, which often do not name it ("CUDA_HOME environment variable is not
set", "unsupported GNU version!"). The log names it elsewhere: pip's lines ("Failed building wheel for tinycudann",
"Running setup.py install for apex", "Collecting flash-attn", "Using cached flash_attn-2.5.6.tar.gz"), a path of its sources or
its package (".../pip-install-xyz/flash-attn_2297bac9.../setup.py", ".../site-packages/mmcv/ops/nms.py"), torch's
``-DTORCH_EXTENSION_NAME=`` flag, or the message itself ("flash_attn was requested, but nvcc was not found", "NerfAcc: ...",
"DeepSpeed Op Builder: ...").

``extension_in_line``: the extension a line names in one of those places, or None. ``built_in_line``: the extension a line
says pip built or installed ("Successfully installed flash-attn-2.5.8", "Successfully built tinycudann"). A name in prose
("I use mmcv") or code is not read: only a tool's line places it.
"""

from __future__ import annotations

from whygpu import lazyre as re
from whygpu.knowledge.extension_builds import Extension, extension_named, names_pattern

# A line can place an extension only if it holds one of these (checked on the lower-cased line before any expression).
CUES = ("site-packages", "dist-packages", "pip-install-", "pip-req-build", "wheel for", "failed to build", "setup.py install for",
        "was requested, but nvcc", "nerfacc", "op builder", "collecting ", "using cached ", "is only supported on cuda",
        "building '", "successfully ", "extension_name=")

# The places a tool's line names the package it works on: pip's words, a path under an install or build directory, torch's
# extension flag, a setup script's or loader's own message.
_PLACE = re.compile(
    r"(?:failed building wheel for|failed to build|running setup\.py (?:install|develop|bdist_wheel) for|building wheel for|"
    r"collecting|using cached|downloading|processing)\s+\S*?$"
    r"|[/\\](?:site|dist)-packages[/\\]$"
    r"|pip-(?:install|req-build)-\w+[/\\]$"
    r"|torch_extension_name=$"
    r"|building '$",
    re.I)
_SUCCESS = re.compile(r"\bsuccessfully (?:installed|built)\b", re.I)


def _extension_at(text: str, m: re.Match[str]) -> Extension | None:
    return extension_named(m.group(1).replace("_", "-")) or extension_named(m.group(1))


def extension_in_line(text: str) -> Extension | None:
    """The extension a tool's line names as what it builds, installs or runs, or None."""
    if len(text) > 4000:
        text = text[:4000]
    low = text.lower()
    if not any(cue in low for cue in CUES):
        return None
    for m in names_pattern().finditer(text):
        before = text[max(0, m.start() - 80):m.start()]
        ext = _extension_at(text, m)
        if ext is None:
            continue
        # The message's own words: "flash_attn was requested", "NerfAcc: No CUDA toolkit", "DeepSpeed Op Builder:".
        after = text[m.end():m.end() + 40].lower()
        if after.startswith((" was requested", ": no cuda toolkit", " op builder", " is only supported on cuda")):
            return ext
        if _PLACE.search(before):
            return ext
    return None


def built_in_line(text: str) -> Extension | None:
    """The extension a line says pip built or installed, or None."""
    if "successfully" not in text.lower() or (m := _SUCCESS.search(text)) is None:
        return None
    for found in names_pattern().finditer(text, m.end()):
        if (ext := _extension_at(text, found)) is not None:
            return ext
    return None
