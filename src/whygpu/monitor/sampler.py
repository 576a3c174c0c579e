"""The sampler seam: what the monitor asks of a GPU sampler; the NVML gateway is the real one, ``FakeSampler`` replays recordings."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Protocol

from whygpu.facts import Fact, Unavailable
from whygpu.gateways.nvml import NvmlDeviceInfo, NvmlReading, parse_reading


class Sampler(Protocol):
    """Something that reads every GPU once per call; failures are values, never exceptions."""

    def start(self) -> Fact[list[NvmlDeviceInfo]]:
        """Get ready; the GPUs found, or why there can be no sampling."""
        ...

    def sample(self) -> Fact[NvmlReading]:
        """One reading of every GPU, or why there is none this time."""
        ...

    def close(self) -> None:
        """Release what ``start`` took."""
        ...


def nvml_sampler(*, timeout_s: float = 5.0) -> Sampler:
    """The real sampler: NVML through the gateway's child process."""
    from whygpu.gateways.nvml import NvmlSampler

    return NvmlSampler(start_timeout_s=max(timeout_s, 5.0), sample_timeout_s=timeout_s)


class FakeSampler:
    """Replays recorded NVML readings (the sampler child's JSON lines); then repeats the last one, or fails."""

    def __init__(self, devices: list[NvmlDeviceInfo] | Unavailable, readings: Iterable[NvmlReading | Unavailable],
                 *, repeat_last: bool = True) -> None:
        self.devices = devices
        self.readings = list(readings)
        self.repeat_last = repeat_last
        self.calls = 0
        self.closed = False

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> FakeSampler:
        """From a recording of the child's output: the inventory line, then one reading per line."""
        items = [line for line in lines if line.strip()]
        head = json.loads(items[0]) if items else {}
        if not head.get("ok"):
            return cls(Unavailable(str(head.get("error", "no recording")), "nvml"), [])
        devices = [NvmlDeviceInfo(int(d.get("index", i)), str(d.get("name", "")), d.get("uuid"),
                                  d.get("memory_total_mib"), d.get("mig")) for i, d in enumerate(head.get("devices", []))]
        return cls(devices, [parse_reading(line) for line in items[1:]])

    def start(self) -> Fact[list[NvmlDeviceInfo]]:
        """The recorded inventory."""
        return self.devices

    def sample(self) -> Fact[NvmlReading]:
        """The next recorded reading."""
        self.calls += 1
        if self.calls <= len(self.readings):
            return self.readings[self.calls - 1]
        if self.repeat_last and self.readings:
            return self.readings[-1]
        return Unavailable("the recording has no more readings", "fake")

    def close(self) -> None:
        """Nothing to release."""
        self.closed = True
