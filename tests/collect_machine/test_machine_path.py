"""``Machine.path`` gives the string ``pathlib`` would, without importing it on a diagnosis."""

from __future__ import annotations

from pathlib import Path

import pytest

from whygpu.collect.interface import Machine

ABSOLUTES = ["/proc/driver/nvidia/version", "proc", "/", "", "//usr//lib/", "/./etc/./ld.so.cache", "/a/../b",
             "/usr/local/cuda-12.4/lib64/libcudart.so.12", "/x/.hidden/./y/"]


@pytest.mark.parametrize("root", [Path("/"), Path("/tmp/tree"), "/", "/tmp/tree"])
def test_machine_path_is_pathlibs_join(root: Path | str) -> None:
    machine = Machine(root=root)
    for absolute in ABSOLUTES:
        assert machine.path(absolute) == str(Path(root) / absolute.lstrip("/")), absolute
