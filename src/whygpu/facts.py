"""A fact is either a value or an explicit ``Unavailable`` saying which probe tried and why it failed."""

from __future__ import annotations

from typing import TypeVar, Union

from whygpu.records import record

T = TypeVar("T")


@record(frozen=True)
class Unavailable:
    """A fact that could not be collected: the reason, and the probe that tried."""

    reason: str
    probe: str

    def __str__(self) -> str:
        return f"unavailable ({self.probe}: {self.reason})"


# ``Fact[int]`` reads as "an int, or why we don't know it".
Fact = Union[T, Unavailable]
