"""Serving and framework images published in a CPU and a GPU variant (``serving_images.toml``): which one a reference names."""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class ServingImage:
    """An image published in a CPU and a GPU variant: the program, how its GPU variant is named, why, and the source."""

    key: str
    program: str
    gpu_example: str
    kserve: str
    why: str
    source: str


@record(frozen=True)
class ImageVariant:
    """What one image reference names: the image, the tag as written ("" for none) and the variant ("cpu", "gpu", "" undecided)."""

    image: ServingImage
    tag: str
    variant: str

    def __str__(self) -> str:
        """What a facts listing shows: the program, the tag and the variant it names."""
        return f"{self.image.program} image, tag {self.tag or 'none'}: {self.variant or 'undecided'} variant"


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple[ServingImage, re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], bool], ...]:
    out = []
    for row in table_rows("serving_images", "image"):
        item = ServingImage(key=str(row["key"]), program=str(row["program"]), gpu_example=str(row["gpu_example"]),
                            kserve=str(row.get("kserve", "")), why=str(row["why"]), source=str(row["source"]))
        out.append((item, re.compile(rf"(?:{row['repository']})", re.I), re.compile(rf"(?:{row['names']})", re.I),
                    re.compile(str(row["gpu_tag"]), re.I), re.compile(rf"(?:{row['cpu_tag']})", re.I), bool(row["untagged_cpu"])))
    return tuple(out)


@lru_cache(maxsize=1)
def image_reference() -> re.Pattern[str]:
    """An image reference to one of the table's images: optional registry host, the repository, an optional ``:tag``."""
    repos = "|".join(f"(?:{pattern.pattern})" for _, pattern, _, _, _, _ in _rows())
    return re.compile(rf"(?<![\w./-])(?:[\w.-]+(?::[0-9]+)?/)?(?P<repo>{repos})(?::(?P<tag>[\w][\w.-]*))?(?![\w/-])", re.I)


def serving_images() -> tuple[ServingImage, ...]:
    """Every image the table knows."""
    return tuple(item for item, _, _, _, _, _ in _rows())


def _variant(untagged_cpu: bool, gpu: re.Pattern[str], cpu: re.Pattern[str], tag: str) -> str:
    if not tag:
        return "cpu" if untagged_cpu else ""
    if gpu.search(tag):
        return "gpu"
    if tag.lower() == "latest":
        return "cpu" if untagged_cpu else ""
    return "cpu" if cpu.fullmatch(tag) else ""


def image_variant(repository: str, tag: str) -> ImageVariant | None:
    """The variant an image reference names (``repository`` without the registry host, ``tag`` "" when none), or None for another image."""
    for item, repo, _, gpu, cpu, untagged_cpu in _rows():
        if repo.fullmatch(repository):
            return ImageVariant(item, tag, _variant(untagged_cpu, gpu, cpu, tag))
    return None


def runtime_variant(model_format: str, runtime_version: str) -> ImageVariant | None:
    """The variant a KServe InferenceService's ``runtimeVersion`` picks for its predictor's ``modelFormat`` (the image's tag), or None."""
    for item, _, _, gpu, cpu, untagged_cpu in _rows():
        if item.kserve and item.kserve == model_format.lower():
            return ImageVariant(item, runtime_version, _variant(untagged_cpu, gpu, cpu, runtime_version))
    return None


def image_named(text: str) -> ServingImage | None:
    """The table's image or program the words in ``text`` name (with or without a tag), or None."""
    for item, _, names, _, _, _ in _rows():
        if names.search(text):
            return item
    return None


@record(frozen=True)
class GpuFloor:
    """accray40 (session 40): a serving program's floor of compute capability from a release on (``[[gpu_floor]]``)."""

    key: str
    program: str
    from_release: str
    min_cc: str
    why: str
    source: str


@lru_cache(maxsize=1)
def _floors() -> tuple[tuple[GpuFloor, re.Pattern[str]], ...]:
    return tuple((GpuFloor(str(r["key"]), str(r["program"]), str(r["from_release"]), str(r["min_cc"]), str(r["why"]), str(r["source"])),
                  re.compile(str(r["names"]), re.I)) for r in table_rows("serving_images", "gpu_floor"))


def floor_program(text: str) -> GpuFloor | None:
    """The serving program with a floor of compute capability that ``text`` names (its name or its container), or None."""
    return next((row for row, names in _floors() if names.search(text)), None)


def _release_key(release: str) -> tuple[int, int] | None:
    m = re.fullmatch(r"(\d{2})\.(\d{2})", release.strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


def gpu_below_floor(floor: GpuFloor, releases: list[str], capabilities: list[str]) -> bool | None:
    """The one decision (accray40, session 40): whether the GPUs the log names are below ``floor`` for the releases it shows.
    True where a release shown is at or after the floor's first release and every capability named is below its minimum;
    False where a capability named meets it; None where no release at or after it, or no capability, is shown."""
    from whygpu.knowledge.gpus import compute_capability_below

    first = _release_key(floor.from_release)
    keys = [k for k in (_release_key(r) for r in releases) if k is not None]
    if first is None or not any(k >= first for k in keys) or not capabilities:
        return None
    below = [compute_capability_below(cc, floor.min_cc) for cc in capabilities]
    if any(b is False for b in below):
        return False
    return True if all(b is True for b in below) else None
