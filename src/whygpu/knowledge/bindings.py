"""Deep-learning libraries used from another language and their CPU and GPU variants (knowledge/bindings.toml; accbind,
session 35): what names each binding in a line, its CPU and GPU artifacts, its own answer that CUDA is not available,
its words that the library it loaded has no CUDA or that no native flavour matches the CUDA it found, and the one
decision over what a log shows of a binding (``judge``). Read by explain.langbind; judged by LOG635 and LOG636
(explain.langbindrules)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows

# The kinds of line a binding's reading gives (explain.langbind), and the writer's words beside it.
NAMED = "named"
CPU = "cpu"
GPU = "gpu"
NO_CUDA = "no_cuda"
BUILT_CPU = "built_cpu"
FLAVOUR = "flavour"
CPU_ONLY = "cpu_only"
NOT_AVAILABLE = "not_available"
ELSEWHERE = "elsewhere"

# The causes the decision gives.
CPU_BUILD = "FRAMEWORK_CPU_BUILD"
FLAVOUR_MISSING = "CUDA_LIBS_MISMATCH"


def _rx(row: dict[str, object], key: str) -> re.Pattern[str] | None:
    text = row.get(key)
    return re.compile(str(text), re.I) if text else None


@dataclass(frozen=True)
class Binding:
    """One row of [[binding]]: the binding, its patterns (None where the row has none), whether its default download is
    the CPU variant, what chooses the GPU one, the fix and the source."""

    id: str
    name: str
    language: str
    needles: tuple[str, ...]
    named: re.Pattern[str]
    cpu: re.Pattern[str] | None
    gpu: re.Pattern[str] | None
    no_cuda: re.Pattern[str] | None
    built_cpu: re.Pattern[str] | None
    flavour: re.Pattern[str] | None
    default_cpu: bool
    choose: str
    fix: str
    source: str
    # accserve41: the oldest CUDA its native flavours were built for, what a flavour below it means, and its repair.
    flavour_floor: str = ""
    flavour_misread_fix: str = ""


@lru_cache(maxsize=1)
def bindings() -> tuple[Binding, ...]:
    out = []
    for r in table_rows("bindings", "binding"):
        named = _rx(r, "named")
        assert named is not None
        out.append(Binding(str(r["id"]), str(r["name"]), str(r["language"]), tuple(str(n) for n in r["needles"]), named,
                           _rx(r, "cpu"), _rx(r, "gpu"), _rx(r, "no_cuda"), _rx(r, "built_cpu"), _rx(r, "flavour"),
                           bool(r.get("default_cpu", False)), str(r["choose"]), str(r["fix"]), str(r["source"]),
                           str(r.get("flavour_floor", "")), str(r.get("flavour_misread_fix", ""))))
    return tuple(out)


def binding(ident: str) -> Binding | None:
    """The row of ``ident``, or None."""
    return next((b for b in bindings() if b.id == ident), None)


@lru_cache(maxsize=1)
def needles() -> tuple[str, ...]:
    """Every binding's needles: the cheap test a line passes before any binding pattern is tried."""
    return tuple(dict.fromkeys(n for b in bindings() for n in b.needles))


@lru_cache(maxsize=1)
def _said() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...], re.Pattern[str]], ...]:
    return tuple((str(r["kind"]), tuple(str(n) for n in r["needles"]), tuple(str(n) for n in r.get("also", ())),
                  re.compile(str(r["pattern"]), re.I)) for r in table_rows("bindings", "said"))


@lru_cache(maxsize=1)
def said_needles() -> tuple[str, ...]:
    """The needles of the writer's words ([[said]])."""
    return tuple(dict.fromkeys(n for _, ns, _, _ in _said() for n in ns))


def said_in(low: str, text: str) -> list[str]:
    """The kinds of the writer's words ``text`` holds ("cpu_only", "elsewhere"); ``low`` is its lower-case form."""
    return [kind for kind, ns, also, rx in _said()
            if any(n in low for n in ns) and (not also or any(n in low for n in also)) and rx.search(text)]


def read_line(text: str, low: str) -> list[tuple[str, str, str]]:
    """What one line shows of the bindings, as (binding id, kind, detail): the binding named, its CPU or GPU artifact, its
    answer that CUDA is not available, its words that its library was built without CUDA, the CUDA flavour it found
    none for (detail: the flavour). Only rows whose needles the line holds are tried."""
    out: list[tuple[str, str, str]] = []
    for b in bindings():
        if not any(n in low for n in b.needles):
            continue
        m = b.named.search(text)
        if m is not None:
            out.append((b.id, NAMED, m.group(0)))
        # The binding's own words that CUDA is not available, that its library has no CUDA, or no flavour for it, are
        # read on a line that does not name it too (a warning line carries its logger's name at most); the rule judges only a binding named in the log.
        kinds = ((GPU, b.gpu), (CPU, b.cpu), (NO_CUDA, b.no_cuda), (BUILT_CPU, b.built_cpu), (FLAVOUR, b.flavour)) if m is not None else (
            (NO_CUDA, b.no_cuda), (BUILT_CPU, b.built_cpu), (FLAVOUR, b.flavour))
        for kind, rx in kinds:
            if rx is not None and (found := rx.search(text)) is not None:
                out.append((b.id, kind, found.group(1) if kind == FLAVOUR else found.group(0)))
    return out


def built_cpu_line(ident: str, text: str) -> bool:
    """Whether ``text`` holds binding ``ident``'s words that its library has no CUDA (a line that does not name it)."""
    b = binding(ident)
    return b is not None and b.built_cpu is not None and b.built_cpu.search(text) is not None


@dataclass(frozen=True)
class Verdict:
    """The decision over one binding: the cause, whether it is decided (high) or a likely reading (medium), and why."""

    binding: Binding
    cause: str
    decided: bool
    reason: str
    fix: str = ""


def flavour_cuda(flavour: str) -> str | None:
    """The CUDA release a native flavour names, as DJL writes it (CudaUtils.getCudaVersionString: the major, two digits
    from 0.20, then the minor): "cu118" -> "11.8", "cu065" -> "6.5", "cu92mkl" -> "9.2"; None for no such name."""
    m = re.match(r"cu(\d{2,3})", flavour, re.I)
    if m is None:
        return None
    digits = m.group(1)
    return f"{int(digits[:-1])}.{digits[-1]}"


def _flavour_misread(b: Binding, flavours: Iterable[str]) -> str | None:
    """The first flavour that cannot be the machine's CUDA: older than any CUDA the binding's flavours were built for
    (its ``flavour_floor``), or no CUDA release at all (knowledge/cuda.toml). None where every flavour is a real CUDA at
    or above the floor, or the row has no floor."""
    if not b.flavour_floor:
        return None
    from whygpu.knowledge.cuda import was_cuda_release
    from whygpu.knowledge.cuda_versions import version_tuple

    for flavour in flavours:
        cuda = flavour_cuda(flavour)
        if cuda is not None and (version_tuple(cuda) < version_tuple(b.flavour_floor) or was_cuda_release(cuda) is False):
            return f"{flavour} (CUDA {cuda})"
    return None


def judge(ident: str, kinds: Iterable[str], said: Iterable[str], flavours: Iterable[str] = ()) -> Verdict | None:
    """accbind: the one decision over what a log shows of binding ``ident`` (``kinds``: the kinds of its lines, read by
    ``read_line``; ``said``: the writer's words, "cpu_only" and "elsewhere"; ``flavours``: the flavours it found none for).

    - its words that no native flavour matches the CUDA it found, where that flavour names a CUDA older than any its
      flavours were built for or no CUDA release at all (accserve41): FRAMEWORK_CPU_BUILD (decided): the version was read
      from another library than the machine's CUDA, and the CPU library it then loads is the cause, not the CUDA;
    - its words that no native flavour matches the CUDA it found: CUDA_LIBS_MISMATCH (decided);
    - its GPU artifact or a CUDA selector shown: nothing (the GPU variant was chosen; what failed is another reading's);
    - its words that the library it loaded was built without CUDA: FRAMEWORK_CPU_BUILD (decided);
    - its CPU artifact shown, with its answer that CUDA is not available or the writer's words that only the CPU works:
      FRAMEWORK_CPU_BUILD (decided);
    - a binding whose default download is the CPU variant, with nothing chosen, answering that CUDA is not available
      or used only on the CPU: FRAMEWORK_CPU_BUILD, decided where another layer on the machine (Python's framework)
      uses the GPU, a likely reading otherwise.
    """
    b = binding(ident)
    if b is None:
        return None
    seen = set(kinds)
    words = set(said)
    if FLAVOUR in seen:
        misread = _flavour_misread(b, flavours)
        if misread is not None:
            return Verdict(b, CPU_BUILD, True, f"the flavour it looked for, {misread}, names a CUDA older than any its native "
                           f"builds were made for ({b.flavour_floor}) or none at all, so it read another cudart than the "
                           "machine's CUDA and loaded its CPU library", b.flavour_misread_fix)
        return Verdict(b, FLAVOUR_MISSING, True, "no native flavour matches the CUDA it found")
    if GPU in seen:
        return None
    if BUILT_CPU in seen:
        return Verdict(b, CPU_BUILD, True, "the library it loaded was built without CUDA")
    no_gpu = NO_CUDA in seen or CPU_ONLY in words or NOT_AVAILABLE in words
    if CPU in seen and no_gpu:
        return Verdict(b, CPU_BUILD, True, "its CPU artifact is the one in use")
    if b.default_cpu and no_gpu:
        elsewhere = ELSEWHERE in words
        return Verdict(b, CPU_BUILD, elsewhere,
                       "its default download is the CPU variant" + (" and another layer on this machine uses the GPU" if elsewhere else ""))
    return None
