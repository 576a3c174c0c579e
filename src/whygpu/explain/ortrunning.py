"""The execution providers a program reports its running job uses (accort39, session 39).

ONNX Runtime answers three different questions, and each answer means something else:

- ``get_device()`` is the *build's* answer ("GPU" for every onnxruntime-gpu wheel, whatever a session got; read by
  explain/answers.py);
- ``get_available_providers()`` is what the installed *wheel* carries (explain/ortproviders.py, AVAILABLE);
- ``session.get_providers()`` (InsightFace's "Applied providers: [...]") is what one *session* got (APPLIED).

A fourth list is the program's own: the providers its running job reports it processes with, in the progress bar's
postfix (tqdm's ``key=value`` fields after the rate: Deep-Live-Cam's and roop's
``[00:00<?, ?frame/s, execution_providers=['CUDAExecutionProvider'], execution_threads=8]``). That is the program's
setting in use while the job runs (RUNNING): no answer about the package, and no session on the CPU either. A session's
CPU-only list beside it, with no ONNX Runtime line saying a provider failed, is that one session (a helper model the
program creates on the CPU), not the "no GPU" answer; the lead's rule for a session shown on CUDA (logfacts
``_ort_providers``) is the same.

Not read: ``providers=[...]`` in code or in a command line (a request, judged as a setting), a postfix without the progress
bar's elapsed<remaining field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from whygpu.knowledge.onnxruntime import providers_meaning

# tqdm's postfix: "[elapsed<remaining, rate, key=value, ...]" and a providers field in it.
_POSTFIX = re.compile(
    r"\[\s*(?:\d+:)?\d+:\d\d\s*<\s*(?:\?|(?:\d+:)?\d+:\d\d)[^\]\n]{0,80}?,\s*"
    r"(?:[\w.-]+=[^,\]\n]{0,60},\s*)*?execution_providers?\s*=\s*\[(?P<names>[^\]\n]{1,200})\]")

# ONNX Runtime's own words that a provider could not be used (then a CPU session beside a running job is the fallback).
PROVIDER_FAILED_CUES = ("failed to create", "ep error", "not in available provider", "wasn't able to be loaded",
                        "wasnt able to be loaded", "failed to load library", "loadlibrary failed")


def running_lists(lines: Sequence[str]) -> Iterator[tuple[int, str]]:
    """Each provider list a running job's progress line reports: (line number, what the list means)."""
    for number, line in enumerate(lines, 1):
        if "execution_provider" not in line:
            continue
        for m in _POSTFIX.finditer(line):
            names = [n for n in re.split(r"[\s,'\"]+", m.group("names")) if n]
            meaning = providers_meaning(names)
            if meaning is not None:
                yield number, meaning


def provider_failed(low_text: str) -> bool:
    """Whether ONNX Runtime's own lines (lower-cased text) say a provider could not be created or loaded."""
    return any(cue in low_text for cue in PROVIDER_FAILED_CUES)
