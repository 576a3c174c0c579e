"""Libraries' and programs' own device defaults (knowledge/device_defaults.toml; accprogdev40, session 40): each row one
program's device setting, where its work goes while the setting is left alone ("cpu" or "gpu"), the setting's CPU values,
how a log shows it given a GPU, the program's command line whose option it is, and the setting that moves the work to the
GPU. Read by explain.devicedefaults."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["DeviceDefault", "cpu_defaults", "default_row"]


@record(frozen=True)
class DeviceDefault:
    """One row with default = "cpu": its id, the program, the setting that moves the work to the GPU (``moves``), and the
    compiled patterns the reader asks (``names``: the program named in a log; ``setting``; ``cpu``: the setting's CPU
    values; ``gpu``: the setting given a GPU; ``call``: the program's command line, or None)."""

    id: str
    program: str
    moves: str
    names: re.Pattern[str]
    setting: re.Pattern[str]
    setting_text: str
    cpu_text: str
    gpu: re.Pattern[str]
    call: re.Pattern[str] | None


@lru_cache(maxsize=1)
def cpu_defaults() -> tuple[DeviceDefault, ...]:
    """The rows whose program keeps the work on the CPU while the setting is left alone (default = "cpu"), in file order."""
    out = []
    for row in table_rows("device_defaults", "default"):
        if str(row["default"]) != "cpu":
            continue
        call = row.get("call")
        out.append(DeviceDefault(
            id=str(row["id"]), program=str(row["program"]), moves=str(row["moves"]),
            names=re.compile(str(row["names"]), re.I), setting=re.compile(str(row["setting"]), re.I),
            setting_text=str(row["setting"]), cpu_text=str(row["cpu"]), gpu=re.compile(str(row["gpu"]), re.I),
            call=re.compile(str(call), re.I) if call else None))
    return tuple(out)


def default_row(form: str) -> DeviceDefault | None:
    """The row named ``form``, or None."""
    return next((row for row in cpu_defaults() if row.id == form), None)
