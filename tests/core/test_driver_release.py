"""DRV003 compares the driver libraries with the loaded module through the knowledge layer's one decision (same_driver_version)."""

from __future__ import annotations

from builders import healthy
from whygpu.rules.driver import driver_library_mismatch
from whygpu.snapshot import KernelModule, LibraryFile


def _with(module: str, library: str) -> list[str]:
    s = healthy()
    s.driver.kernel_module = KernelModule(True, module, "/proc/driver/nvidia/version")
    s.driver.libcuda = [LibraryFile(f"/usr/lib/x86_64-linux-gnu/libcuda.so.{library}", "cuda", "libcuda.so.1", library, "system")]
    s.driver.libnvidia_ml = []
    return [f.id for f in driver_library_mismatch.run(s)]  # type: ignore[misc]


def test_drv003_fires_for_two_releases_and_not_for_one_written_two_ways() -> None:
    assert _with("535.104.05", "535.129.03") == ["DRV003"]
    assert _with("535.104.05", "535.104.12") == ["DRV003"]
    assert _with("535.104.05", "535.104.5") == []  # the same release: a leading zero is not another version
    assert _with("535.104.05", "535.104.05") == []
