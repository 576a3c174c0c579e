"""Reads what a log shows about NVIDIA's video codec libraries (session 35, accmedia): each line with a sign of
knowledge/video_codec.toml (a codec library not loaded, the driver's codec API older than the program's, an SDK entry
point missing from the driver's library, a video program's build without CUDA decoding refusing the GPU, NVENC refusing a
new session) as the typed fact ``video_codec`` (knowledge.video_codec.CodecSign); the lines that show several encode
sessions at once (``video_sessions``); and a container's configuration that gives it the video capability
(``video_capability``: an NVIDIA_DRIVER_CAPABILITIES, ``--gpus capabilities=`` or compose ``capabilities:`` naming video or
all, written as configuration, not as the writer's account of a fix).

The knowledge layer judges the facts (``knowledge.video_codec.verdict``); explain/videocodecrules.py reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whygpu.knowledge.video_codec import CodecSign, sessions_shown, sign_on

# A cheap gate: a line is looked at only where it holds one of these (every row's pattern holds one).
NEEDLES = ("nvenc", "cuvid", "nvidia-encode", "nvencodeapi", "unsupported device: cuda", "cuda not enabled",
           "gpu decoder support", "encodesession", "libcuda", "nvcuda")
_SESSION_CUES = ("session", "stream", "encoder", "encoding", "concurrent", "simultaneous", "parallel", "camera", "transcod", "conversion", "recording")
# A container's configuration that names the video capability (or all): an environment line, a Dockerfile ENV, an export,
# a docker run flag, a compose list. Prose that mentions the variable (the writer's account of what fixed it) is not read.
_VIDEO_GIVEN = re.compile(
    r"(?:^\s*(?:[-*]\s*)?(?:ENV\s+|export\s+|-e\s+)?|\s(?:-e|--env)[= ]+)[\"']?NVIDIA_DRIVER_CAPABILITIES[\"']?\s*[=:\s]\s*[\"']?(?P<env>[\w,]+)"
    r"|--gpus[= ]+[\"']*(?:[\w=-]+,)*capabilities=(?P<flag>\w+(?:,\w+)*)"
    r"|^\s*capabilities:\s*\[(?P<compose>[\w\s,\"']+)\]",
    re.I)


def signs(lines: list[str], text_low: str) -> Iterator[tuple[int, CodecSign, str]]:
    """Each sign about the codec libraries the lines show: (line number, the sign, the line)."""
    for number, line in enumerate(lines, 1):
        low = line.lower()
        if not any(needle in low for needle in NEEDLES):
            continue
        sign = sign_on(line, text_low)
        if sign is not None:
            yield number, sign, line.strip()


def several_sessions(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Each line that shows several encode sessions at once: (line number, the line)."""
    for number, line in enumerate(lines, 1):
        low = line.lower()
        if any(cue in low for cue in _SESSION_CUES) and sessions_shown(line):
            yield number, line.strip()


def video_given(lines: list[str]) -> Iterator[tuple[int, str]]:
    """Each configuration line that gives a container the video capability (or all): (line number, the line)."""
    for number, line in enumerate(lines, 1):
        if "capabilit" not in line.lower():
            continue
        m = _VIDEO_GIVEN.search(line)
        if m is None:
            continue
        listed = {w.strip(" \"'").lower() for w in (m.group("env") or m.group("flag") or m.group("compose") or "").split(",")}
        if listed & {"video", "all"}:
            yield number, line.strip()
