"""``fsread.glob_match`` answers as ``fnmatch.fnmatchcase`` does, for every pattern shape the collectors' data uses and more."""

from __future__ import annotations

import fnmatch

import pytest

from whygpu.collect.fsread import glob_match

PATTERNS = ["*", "**", "*.conf", "cuda*", "libcuda.so*", "libnvidia-*.so*", "nvidia-smi", "/dev/nvidia*", "a*b",
            "*a*", "", "[ab]*", "?x*", "x", "*x", "x*", "x[*"]
NAMES = ["", "x", "xa", "ax", "a", "b", "ab", "cuda", "cuda-12.4", "libcuda.so.1", "libnvidia-ml.so.1", "nvidia-smi",
         "/dev/nvidia0", "/dev/nvidiactl", "foo.conf", ".conf", "a/b", "axb", "*", "x*", "x[*"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_glob_match_is_fnmatchcase(pattern: str) -> None:
    answers = {name: glob_match(name, pattern) for name in NAMES}
    assert answers == {name: fnmatch.fnmatchcase(name, pattern) for name in NAMES}
