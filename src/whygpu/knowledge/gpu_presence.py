"""Whether the machine has an NVIDIA GPU, and what that decides among NO_GPU, DRIVER_MISSING and CONTAINER_NO_GPU
(accnodriver, session 36; knowledge/gpu_presence.toml, every row with its public source).

One decision: ``presence_verdict`` is the only judgement of "the signs the log shows of the machine's NVIDIA GPU, present
or absent" against the three causes a missing-driver answer leaves open. explain/presence.py reads the signs from the
typed facts; explain/contplace.py applies the verdict where a driver-side reading is ranked (beside the place, which
knowledge/driver_reach.py judges).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record

__all__ = ["NodeReading", "PresenceVerdict", "cpu_instance_family", "driver_installer", "node_reading", "node_resource_counted_by",
           "presence_verdict", "sign_side"]

# The three causes a missing-driver answer leaves open; the verdict orders only these.
THREE = ("NO_GPU", "DRIVER_MISSING", "CONTAINER_NO_GPU")


@record(frozen=True)
class PresenceVerdict:
    """The machine's NVIDIA GPU as the signs show it ("absent", "present" or "unknown"), the ranking of the three causes
    it gives (empty for "unknown": the reading keeps its own), the confidence, why, the deciding check and the source."""

    gpu: str
    ranking: tuple[str, ...]
    confidence: str
    reasoning: str
    decide: str
    source: str
    # The sign kinds that decided it (the [[sign]] rows' kinds), in the table's order.
    signs: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _signs() -> dict[str, str]:
    return {str(row["kind"]): str(row["side"]) for row in table_rows("gpu_presence", "sign")}


@lru_cache(maxsize=1)
def _verdicts() -> dict[str, dict[str, Any]]:
    return {str(row["gpu"]): row for row in table_rows("gpu_presence", "verdict")}


@lru_cache(maxsize=1)
def _cpu_families() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for row in table_rows("gpu_presence", "cpu_family"):
        out.setdefault(str(row["provider"]), set()).update(str(f) for f in row["families"])
    return {k: frozenset(v) for k, v in out.items()}


def sign_side(kind: str) -> str | None:
    """The side ("absent" or "present") a sign kind is on, or None for a kind the table does not know."""
    return _signs().get(kind)


_TYPE = re.compile(r"(ml\.)?([a-z][a-z0-9]{0,5})\.(?:nano|micro|small|medium|\d{0,2}x?large|metal)", re.I)


def cpu_instance_family(instance_type: str) -> str | None:
    """The family of a cloud instance type without a GPU ("m5" for "m5.xlarge", "m4" for SageMaker's "ml.m4.xlarge"), or
    None for a type of a GPU family or one the table does not know."""
    m = _TYPE.fullmatch(instance_type.strip())
    if m is None:
        return None
    family = m.group(2).lower()
    provider = "sagemaker" if m.group(1) else "aws"
    return family if family in _cpu_families().get(provider, frozenset()) else None


def presence_verdict(kinds: tuple[str, ...] | list[str] | frozenset[str]) -> PresenceVerdict:
    """The verdict of the sign kinds the log shows: "absent" where only signs of no NVIDIA GPU are shown, "present" where
    only signs of one are, "unknown" where neither or both are (the reading then keeps its own order)."""
    sides = {kind: side for kind in kinds if (side := sign_side(kind)) is not None}
    shown = set(sides.values())
    gpu = next(iter(shown)) if len(shown) == 1 else "unknown"
    row = _verdicts()[gpu]
    order = tuple(kind for kind in _signs() if sides.get(kind) == gpu)
    return PresenceVerdict(gpu=gpu, ranking=tuple(row.get("ranking", ())), confidence=str(row.get("confidence", "low")),
                           reasoning=str(row.get("reasoning", "")), decide=str(row.get("decide", "")),
                           source=str(row["source"]), signs=order)


def ranked_by_presence(verdict: PresenceVerdict, open_causes: tuple[str, ...]) -> tuple[str, ...] | None:
    """``open_causes`` reordered by the verdict: for "absent", NO_GPU first; for "present", NO_GPU after the other two
    (their order among themselves kept: the place decides it). Only causes already open are ordered, never added; None
    where the verdict decides nothing or fewer than two of the three are open."""
    among = [c for c in open_causes if c in THREE]
    if not verdict.ranking or len(among) < 2 or "NO_GPU" not in among:
        return None
    if verdict.gpu == "absent":
        wanted = ["NO_GPU", *[c for c in among if c != "NO_GPU"]]
    else:
        wanted = [*[c for c in among if c != "NO_GPU"], "NO_GPU"]
    slots = iter(wanted)
    order = [next(slots) if c in THREE else c for c in open_causes]
    return tuple(order)


def presence_verdict_of(gpu: str) -> PresenceVerdict:
    """The verdict row of one side ("absent", "present", "unknown") without its signs: what a place already judged keeps."""
    row = _verdicts()[gpu if gpu in _verdicts() else "unknown"]
    return PresenceVerdict(gpu=str(row["gpu"]), ranking=tuple(row.get("ranking", ())), confidence=str(row.get("confidence", "low")),
                           reasoning=str(row.get("reasoning", "")), decide=str(row.get("decide", "")), source=str(row["source"]))


# acccloudnode (session 36): a cloud or cluster GPU node and its driver (knowledge/gpu_presence.toml [[node_resource]],
# [[driver_installer]], [[node_reading]]).


@record(frozen=True)
class NodeReading:
    """What a GPU node's driver state decides: the cause first, the others left open, the confidence, why, the check
    that decides and the source."""

    cause: str
    also: tuple[str, ...]
    confidence: str
    reasoning: str
    decide: str
    source: str


@lru_cache(maxsize=1)
def _node_readings() -> dict[str, dict[str, Any]]:
    return {str(row["driver"]): row for row in table_rows("gpu_presence", "node_reading")}


@lru_cache(maxsize=1)
def _node_resources() -> dict[str, str]:
    return {str(row["name"]).lower(): str(row["counted_by"]) for row in table_rows("gpu_presence", "node_resource")}


@lru_cache(maxsize=1)
def _installers() -> tuple[str, ...]:
    return tuple(str(row["name"]) for row in table_rows("gpu_presence", "driver_installer"))


def node_resource_counted_by(resource: str) -> str | None:
    """Who counts a node's GPU resource ("driver": the kubelet from the driver's device files; "plugin": the device
    plugin through NVML), or None for a resource the table does not know."""
    return _node_resources().get(resource.strip().strip("`'\"").lower().replace("\\.", "."))


def driver_installer(text: str) -> str | None:
    """The driver installer (a daemonset, a VM extension: [[driver_installer]]) a line names, or None."""
    low = text.lower()
    return next((name for name in _installers() if name.lower() in low), None)


def node_reading(machine_gpu: str, *, driver_absent: bool, driver_shown: bool, none_advertised: bool) -> NodeReading | None:
    """The one decision for a cloud or cluster GPU node: with the machine's GPU as the presence verdict gives it
    ("present", "unknown"; "absent" decides nothing here: NO_GPU is the presence decision's), the node's driver shown
    absent (said not installed, its installer failed, its GPUs counted 0 by the kubelet from the driver's files) gives
    DRIVER_MISSING; the driver shown working on the node while the cluster advertises no GPU there gives CONTAINER_NO_GPU
    (the device plugin or runtime). Both shown, or neither: None (the log does not decide)."""
    if machine_gpu == "absent" or driver_absent == driver_shown:
        return None
    if driver_shown and not none_advertised:
        return None
    row = _node_readings()["absent" if driver_absent else "shown"]
    return NodeReading(cause=str(row["cause"]), also=tuple(str(c) for c in row.get("also", ())),
                       confidence=str(row.get("confidence", "low")), reasoning=str(row.get("reasoning", "")),
                       decide=str(row.get("decide", "")), source=str(row["source"]))
