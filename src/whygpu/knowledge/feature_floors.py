"""A feature's hardware floor (accfloor, session 34): the lowest compute capability a program runs one feature on
(knowledge/feature_floors.toml, every row with its source), and the one decision of a GPU against such a floor.

``architecture_floor`` reads an architecture's name as programs write it ("Ampere", "Ada Lovelace") as its first compute
capability; ``feature_of`` names the feature a line refuses ("bf16", "FlashAttention", "FP8"); ``floor_verdict`` judges a
GPU's capability (stated, or from its model in knowledge/gpus.toml) against a floor: "below", "meets" or "unknown".
"""

from __future__ import annotations

import re
from functools import lru_cache

from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class Feature:
    """A feature programs refuse below a floor, with what runs instead (the fix) and what decides."""

    id: str
    name: str
    floor: str
    fallback: str
    check: str
    source: str
    whole: bool = False  # the whole library's floor, not one feature's (accgbdt41)


@lru_cache(maxsize=1)
def _features() -> tuple[tuple[Feature, re.Pattern[str]], ...]:
    out = []
    for row in table_rows("feature_floors", "feature"):
        feature = Feature(row["id"], row["name"], row["floor"], row["fallback"], row["check"], row["source"], bool(row.get("whole", False)))
        out.append((feature, re.compile("|".join(f"(?:{w})" for w in row["words"]), re.I)))
    return tuple(out)


@lru_cache(maxsize=1)
def _architectures() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    out = []
    for row in table_rows("feature_floors", "architecture"):
        words = sorted(row["words"], key=len, reverse=True)
        out.append((row["name"], row["first_cc"], re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b", re.I)))
    return tuple(out)


@lru_cache(maxsize=1)
def architecture_pattern() -> re.Pattern[str]:
    """Every architecture's spellings, one alternation (the longest first), as whole words."""
    words = sorted((w for row in table_rows("feature_floors", "architecture") for w in row["words"]), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b", re.I)


def architecture_floor(name: str) -> tuple[str, str] | None:
    """(the architecture's name, its first compute capability) for a name as programs write it ("Ampere" -> ("Ampere",
    "8.0"), "ada lovelace" -> ("Ada Lovelace", "8.9")); None for a name the table does not hold."""
    for arch, first_cc, pattern in _architectures():
        if pattern.fullmatch(name.strip()):
            return arch, first_cc
    return None


def feature_of(text: str) -> Feature | None:
    """The first feature (by its position in ``text``) the table knows that ``text`` names, or None."""
    best: tuple[int, Feature] | None = None
    for feature, pattern in _features():
        m = pattern.search(text)
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), feature)
    return best[1] if best else None


def library_named(text: str) -> Feature | None:
    """accgbdt41 (session 41): the first library whose floor is the whole library's (a row with ``whole``) that ``text`` names,
    or None."""
    best: tuple[int, Feature] | None = None
    for feature, pattern in _features():
        m = pattern.search(text) if feature.whole else None
        if m is not None and (best is None or m.start() < best[0]):
            best = (m.start(), feature)
    return best[1] if best else None


def feature_by_id(feature_id: str) -> Feature | None:
    return next((f for f, _ in _features() if f.id == feature_id), None)


def floor_verdict(floor: str, capabilities: tuple[str, ...] | list[str]) -> str:
    """A GPU against a feature's floor: "below" where every capability the GPU may have is below ``floor``, "meets" where
    none is, "unknown" where none is given, a value cannot be read, or they fall on both sides (a name sold on two chips)."""
    from whygpu.knowledge.gpus import compute_capability_below

    verdicts = {compute_capability_below(cc, floor) for cc in capabilities}
    if not verdicts or None in verdicts or len(verdicts) > 1:
        return "unknown"
    return "below" if verdicts == {True} else "meets"


def gpu_capabilities(name: str) -> tuple[str, ...]:
    """The compute capabilities of an NVIDIA GPU a text names (knowledge/gpus.toml: one, or every one of a name sold on
    several chips); empty where no NVIDIA model is named."""
    from whygpu.knowledge.gpus import gpu_in_text

    model = gpu_in_text(name)
    if model is None or model.vendor.lower() not in ("nvidia", "0x10de"):
        return ()
    return (model.compute_capability,) if model.compute_capability else tuple(model.compute_capabilities)
