"""GPU knowledge: PCI vendor and device ids, GPU models and their compute capabilities."""

from __future__ import annotations

from functools import lru_cache

from whygpu.knowledge._util import cc_tuple, hex_id, table_rows
from whygpu.records import record


@record(frozen=True)
class GpuModel:
    """A GPU model with its vendor and, for NVIDIA, its CUDA compute capability."""

    name: str
    vendor: str
    compute_capability: str | None
    architecture: str | None
    segment: str | None
    pci_ids: tuple[str, ...]
    derived: bool
    source: str
    # Every capability the name was sold with, where the name alone cannot decide ("GeForce GT 630":
    # 2.1, 3.0, 3.5); then ``compute_capability`` is None. Empty for a name of one chip.
    compute_capabilities: tuple[str, ...] = ()


def compute_capability_below(cc: str, floor: str) -> bool | None:
    """Whether a GPU of compute capability ``cc`` is below ``floor`` (a build's or a CUDA major's lowest); None when either cannot be read.

    Both are read as (major, minor) in any of their spellings ("3.5", "sm_35", "compute_35"): 3.5 is
    below 3.7, 5.0 is not below 3.7.  Explain's LOG110 (the GPU older than the release's minimum)
    and ``knowledge.target.cuda_supports_gpu`` (CUDA 12 dropped Kepler) ask it.
    """
    have, lowest = cc_tuple(cc), cc_tuple(floor)
    if have is None or lowest is None:
        return None
    return have < lowest


def stated_hardware_cause(vendor: str) -> str | None:
    """The cause a machine's stated hardware names (acchw, session 22): "none" (no GPU at all) is NO_GPU; a GPU of another maker
    ("amd", "intel", "apple", "other") is GPU_NOT_SUPPORTED; "nvidia" names none.

    causes.md: NO_GPU is "the machine ... has no NVIDIA GPU at all" (no GPU named); GPU_NOT_SUPPORTED is "a GPU exists but
    the framework build cannot use it: not NVIDIA (AMD, Intel)". (Explain's LOG146 keeps Intel's integrated graphics named by
    its model as NO_GPU by its counted cases; the labelled corpus is split there, see docs/explain-accuracy.md, Session 22.)
    """
    value = vendor.strip().lower()
    # Intel's integrated graphics ("intel-integrated": HD, UHD, Iris, Xe, "integrated Intel GPU") is counted as NO_GPU:
    # of every labelled case whose log names it as the machine's only GPU, NO_GPU 5 (holdout4 pytorch-pytorch-39028,
    # holdout5 xinntao-esrgan-88, holdout9 fboulnois-stable-diffusion-docker-82 and akegarasu-lora-scripts-101, holdout17
    # yoshitakamo-localcolabfold-17), GPU_NOT_SUPPORTED 1 (holdout15 deeplabcut-deeplabcut-567): a laptop's integrated
    # graphics is read as no GPU at all, as explain's LOG146 reads it.
    # accsaid (session 25): integrated graphics said without its maker ("集显", "核显": the writer's only GPU is the CPU's own
    # graphics) is counted with Intel's: a machine with no discrete GPU, so no NVIDIA GPU at all.
    if value in ("none", "intel-integrated", "integrated"):
        return "NO_GPU"
    if value in ("amd", "intel", "apple", "other"):
        return "GPU_NOT_SUPPORTED"
    return None


@lru_cache(maxsize=1)
def _vendors() -> dict[str, str]:
    return {hex_id(row["id"]) or row["id"]: row["name"] for row in table_rows("gpus", "vendor")}


def vendor_name(vendor_id: str) -> str:
    """The vendor of a PCI vendor id ("0x10de" -> "nvidia", "0x1002" -> "amd"), else "other"."""
    key = hex_id(vendor_id)
    name = _vendors().get(key or "")
    return name if name in {"nvidia", "amd", "intel"} else "other"


@lru_cache(maxsize=1)
def _gpus() -> tuple[GpuModel, ...]:
    models = []
    for row in table_rows("gpus", "gpu"):
        model = GpuModel(
            name=row["name"],
            vendor=row["vendor"],
            compute_capability=row.get("compute_capability"),
            architecture=row.get("architecture"),
            segment=row.get("segment"),
            pci_ids=tuple(hex_id(i) or i for i in row.get("pci_ids", ())),
            derived=bool(row.get("derived", False)),
            source=row["source"],
            compute_capabilities=tuple(row.get("compute_capabilities", ())),
        )
        models.append(model)
    return tuple(models)


def gpu_by_pci_id(vendor_id: str, device_id: str) -> GpuModel | None:
    """The GPU model of a PCI vendor/device id pair ("0x10de", "0x102d" -> Tesla K80)."""
    vendor = hex_id(vendor_id)
    device = hex_id(device_id)
    if vendor is None or device is None:
        return None
    vendor_label = _vendors().get(vendor)
    for model in _gpus():
        if model.vendor == vendor_label and device in model.pci_ids:
            return model
    return None


def _name_key(text: str) -> str:
    """A GPU name reduced for matching: lower case, no vendor words, single spaces ("NVIDIA Tesla-T4" -> "t4")."""
    key = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
    for prefix in ("nvidia ", "amd ", "tesla ", "geforce ", "radeon instinct ", "instinct "):
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key


@lru_cache(maxsize=1)
def _gpus_by_name() -> dict[str, GpuModel]:
    by_name: dict[str, GpuModel] = {}
    # _gpus() is built row by row from the same table; no zip(strict=): collect.py runs this module on Python 3.8.
    for model, row in zip(_gpus(), table_rows("gpus", "gpu")):  # noqa: B905
        for name in (model.name, *row.get("aliases", ())):
            by_name.setdefault(_name_key(name), model)
    return by_name


def gpu_by_name(name: str) -> GpuModel | None:
    """The GPU model a name or alias means ("T4", "Tesla T4", "a100", "MI300X"), case-insensitive; None if unknown."""
    return _gpus_by_name().get(_name_key(name))


def gpu_names() -> list[str]:
    """Every GPU model name and alias that ``gpu_by_name`` knows, for suggesting the closest to a typo."""
    names = {m.name for m in _gpus()}
    for row in table_rows("gpus", "gpu"):
        names.update(alias.upper() if len(alias) <= 6 else alias for alias in row.get("aliases", ()))
    return sorted(names)


@lru_cache(maxsize=1)
def _architectures_by_capability() -> dict[str, str | None]:
    """Each compute capability's architecture, as the table's rows pair them; None where rows disagree."""
    pairs: dict[str, str | None] = {}
    for row in (*table_rows("gpus", "gpu"), *table_rows("gpus", "chip")):
        cc, arch = row.get("compute_capability"), row.get("architecture")
        if row.get("vendor", "nvidia") != "nvidia" or not cc or not arch:
            continue
        pairs[cc] = arch if pairs.get(cc, arch) == arch else None
    return pairs


def architecture_of_capability(cc: str) -> str | None:
    """The NVIDIA architecture of a compute capability ("3.5" -> "Kepler"), read from the GPU table; None when unknown."""
    return _architectures_by_capability().get(cc)


def last_driver_branch(architecture: str | None) -> str | None:
    """The last NVIDIA driver branch that supports an architecture ("Kepler" -> "470"); None when current drivers do."""
    if not architecture:
        return None
    for row in table_rows("gpus", "architecture_driver"):
        if row["architecture"].lower() == architecture.lower():
            branch: str = row["last_branch"]
            return branch
    return None


def model_last_driver_branch(model: GpuModel | None) -> str | None:
    """The newest driver branch NVIDIA ships for a GPU model (accnoticed39, session 39): its architecture's last branch, the
    newest among the capabilities the name may be ("GeForce GT 730": Fermi's 390 or Kepler's 470 -> "470"); None where
    current drivers support any board it may be, or the model is unknown."""
    if model is None or model.vendor != "nvidia":
        return None
    arches = [model.architecture] if model.architecture else [architecture_of_capability(cc) for cc in model.compute_capabilities]
    if not arches or any(a is None for a in arches):
        return None
    branches = [last_driver_branch(a) for a in arches]
    if any(b is None for b in branches):
        return None
    return max((b for b in branches if b is not None), key=lambda b: int(b) if b.isdigit() else 0)


def _name_tokens(text: str) -> tuple[str, ...]:
    import re

    low = text.lower()
    # The spellings people and tools write without spaces: "RTX3090", "GTX1080Ti", "1050TI", "940MX", "K2000M".
    low = re.sub(r"\b(gtx|rtx|gts|gt|mx)(?=\d)", r"\1 ", low)
    # A count glued to the model ("2xRTX 5000", "8xH100"): the count is not part of the name (session 34: "2xrtx" was one
    # word, and "5000" alone named the Fermi Quadro 5000).
    low = re.sub(r"\b(\d{1,2})x(?=[a-z])", r"\1x ", low)
    low = re.sub(r"(?<=\d)(ti|mx|m|super)\b", r" \1", low)
    words = re.findall(r"[a-z0-9]+", low)
    return tuple(w for w in words if w not in ("nvidia", "geforce", "tesla", "quadro", "with", "max", "q"))


# accprose (session 35): the words that end a board's full name without naming another chip ("RTX PRO 6000 Blackwell
# Workstation Edition" is written "RTX PRO 6000 Blackwell"): a name is matched without them too.
_EDITION_WORDS = ("server", "workstation", "edition")
# A table name that is a number alone after its brand ("Quadro 6000", "Quadro 410"): a series word right before the number
# in the text names another board ("RTX PRO 6000", "RTX 6000" are not the Fermi Quadro 6000, compute capability 2.0).
_SERIES_BEFORE_NUMBER = ("rtx", "gtx", "gt", "gts", "pro", "mx", "titan")


@lru_cache(maxsize=1)
def _gpu_name_tokens() -> tuple[tuple[GpuModel, tuple[str, ...]], ...]:
    """Each GPU model with its name's tokens, read once (``gpu_in_text`` matches every line a reader hands it against all);
    a name ending in edition words also without them (accprose, session 35)."""
    named: list[tuple[GpuModel, tuple[str, ...]]] = []
    for model in _gpus():
        tokens = _name_tokens(model.name)
        named.append((model, tokens))
        short = tokens
        while len(short) > 2 and short[-1] in _EDITION_WORDS:
            short = short[:-1]
        if short != tokens:
            named.append((model, short))
    return tuple(named)


def gpu_in_text(name: str) -> GpuModel | None:
    """The GPU model a printed name or a line of text names ("NVIDIA GeForce GTX 1080, 8 GB", "Tesla K40m" -> Tesla K40), or None.

    The table's name must appear as whole words in the printed one; a suffix letter such as the
    "m" of "K40m" (a board variant of the same chip) still matches; the longest table name wins
    ("GT 740M" is the notebook GPU, not the desktop GT 740).  Names written without spaces
    ("RTX3090", "GTX 1080Ti", "940MX") are read as the table writes them.
    """
    wanted = _name_tokens(name)
    best: GpuModel | None = None
    best_len = 0
    for model, tokens in _gpu_name_tokens():
        if not tokens:
            continue
        n = len(tokens)
        for i in range(len(wanted) - n + 1):
            window = wanted[i : i + n]
            if window[:-1] == tokens[:-1] and (window[-1] == tokens[-1] or (window[-1][:-1] == tokens[-1] and window[-1][-1] in "mcs")):
                if i > 0 and all(t.isdigit() for t in tokens) and wanted[i - 1] in _SERIES_BEFORE_NUMBER:
                    continue  # accprose: "RTX PRO 6000" is no Quadro 6000
                if n > best_len or (n == best_len and best is not None and len(model.name) > len(best.name)):
                    best, best_len = model, n
                break
    if best is None and "geforce" in name.lower():
        return _geforce_without_series(name)
    if best is None and "ti" in name.lower():
        return _ti_without_series(name)
    return best


def _geforce_without_series(name: str) -> GpuModel | None:
    """accversions (session 24): a GeForce board written without its series word ("GeForce 3090", "GeForce 1070 Ti"): the one
    model of the table that the number names with RTX or GTX before it (``_geforce_by_number``)."""
    import re

    m = re.search(r"\bgeforce\s+(\d{3,4})(\s*ti\b)?", name, re.I)
    return _geforce_by_number(m.group(1), ti=bool(m.group(2))) if m is not None else None


def _ti_without_series(name: str) -> GpuModel | None:
    """Lead (session 34): a GeForce Ti board written by its number alone ("my 5070ti machine", "a 1080 Ti"): the Ti suffix is
    GeForce's alone, so the one RTX or GTX model of the table with that number and Ti names it (``_geforce_by_number``)."""
    import re

    m = re.search(r"(?<![\w.])(\d{4})\s?ti\b", name, re.I)
    return _geforce_by_number(m.group(1), ti=True) if m is not None else None


def gpu_named_by_writer(words: str, *, board_number: bool) -> GpuModel | None:
    """accprose (session 35): the GPU model a writer's words name ("RTX 4060 laptop", "a 5070 Ti", "two 2080Ti", "Tesla K80"),
    or None; with ``board_number`` (the words follow the writer's possessive: "my 3090", "my 5090 machine") also a GeForce
    board written by its four-digit number alone, with Ti or Super or neither (``_geforce_by_number``).

    A laptop ("Laptop GPU", "mobile", "Max-Q") or Ti/Super variant of a GeForce board is read as its family's row: NVIDIA
    lists each with the same compute capability as the desktop board of its number (GeForce RTX 4060 Laptop GPU 8.9 as the
    RTX 4060; RTX 3060 Ti and RTX 3060 8.6; https://developer.nvidia.com/cuda-gpus, "CUDA-Enabled GeForce and TITAN
    Products" and its notebook list), so the capability the readers judge is the same.
    """
    import re

    model = gpu_in_text(words)
    if model is not None or not board_number:
        return model
    m = re.match(r"\s*(?:rtx\s*|gtx\s*)?(\d{4})(?:\s?(ti|super))?(?!\w|\.\d)", words, re.I)
    if m is None:
        return None
    if m.group(2) and m.group(2).lower() == "super":
        return _geforce_by_number(m.group(1), ti=False)  # (a Super board has its number's chip family: same capability)
    return _geforce_by_number(m.group(1), ti=bool(m.group(2)))


def _geforce_by_number(number: str, *, ti: bool) -> GpuModel | None:
    """The one RTX or GTX model of the table with this board number (and Ti), or None where none or both do (NVIDIA never
    gave an RTX and a GTX board the same number, https://www.nvidia.com/en-us/geforce/graphics-cards/compare/)."""
    tokens = (number, "ti") if ti else (number,)
    found = [model for model, named in _gpu_name_tokens() if named in (("rtx", *tokens), ("gtx", *tokens))]
    return found[0] if len(found) == 1 else None


# Memory a process holds beyond what its framework's allocator counts: the CUDA context (a few
# hundred MiB), cuBLAS/cuDNN workspaces and NCCL buffers. Without an exact figure for the whole
# process, PyTorch's own numbers leave up to this much unexplained in a normal out-of-memory error.
_OWN_OVERHEAD_GIB = 2.0
_OWN_OVERHEAD_SHARE = 0.15
# With the process's whole use stated ("Including non-PyTorch memory, this process has X in use"),
# only the driver's own reservation is left unexplained.
_EXACT_OVERHEAD_GIB = 1.0
_EXACT_OVERHEAD_SHARE = 0.10


# accbusy (session 26): with only the allocator's count (PyTorch before 2.1, or 2.1+ without NVML's per-process lines), the
# memory outside it may still be the same process's (a second framework beside torch, a library allocating on its own), so
# the numbers are read only where they leave no doubt: the card was full when the request failed (less than this share of
# it free) and the allocator held less than this share of it. Over every labelled log with PyTorch's out-of-memory numbers
# without the process's whole use (session 26, `bench/explain_rule_precision.py --grep 'total capacity'`, 13 logs): 1
# GPU_BUSY (the allocator held 16% of the card, 0.1% free) and 12 negatives, 10 of which held 69-95% of the card in the
# allocator, the other two 7% and 21% with 9% and 50% of the card free (a request larger than what was left).
_CARD_FULL_SHARE = 0.05
_OWN_LITTLE_SHARE = 0.5


def memory_held_elsewhere(total_gib: float, free_gib: float, own_gib: float, *, own_exact: bool) -> float | None:
    """GiB of a GPU's memory held by something other than the failing process, when clearly more than its own overhead.

    ``own_gib`` is what the process itself holds: its whole use when ``own_exact`` (PyTorch 2.1+
    "this process has X memory in use"), else what the framework's allocator reserved (the rest of
    the process's use, its context and library workspaces, is allowed for by a margin, and the card
    must have been full with the allocator holding little of it). ``None`` means the numbers fit the
    process's own use: a normal out-of-memory error (a model or batch too large), not a GPU taken by
    another process.
    """
    if total_gib <= 0 or free_gib < 0 or own_gib < 0:
        return None
    if not own_exact and (free_gib >= _CARD_FULL_SHARE * total_gib or own_gib >= _OWN_LITTLE_SHARE * total_gib):
        return None
    held = total_gib - free_gib - own_gib
    margin = max(_EXACT_OVERHEAD_GIB, _EXACT_OVERHEAD_SHARE * total_gib) if own_exact else max(_OWN_OVERHEAD_GIB, _OWN_OVERHEAD_SHARE * total_gib)
    return held if held > margin else None
