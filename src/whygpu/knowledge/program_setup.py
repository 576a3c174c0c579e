"""Programs' own CUDA setup lines and the states of that layer (``program_setup.toml``; accsetup, session 34).

bitsandbytes prints what its CUDA setup found (the CUDA it detected, the binary it wanted, whether it found it, what it fell
back to); xFormers prints the torch its C++/CUDA part was built for beside the one installed. The table holds the lines (each a
mark of the layer's state, with a real example and its source) and the states (each with the marks it needs and those that rule
it out, its cause, fix and deciding check).

One decision here: ``decide`` (a program's marks, as the reader found them, to the state they mean with its words filled in, or
None where no state's marks hold: a healthy setup, or one the layers below explain). The reader is explain/setupstate.py; the
rule explain/setuprules.py (LOG555).
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class SetupLine:
    """A program's setup line: the program, the mark it sets, its expression and the lower-case substring every such line holds."""

    program: str
    mark: str
    needle: str
    pattern: re.Pattern[str]
    example: str
    source: str


@record(frozen=True)
class SetupState:
    """A state of a program's CUDA setup: the marks it needs and those that rule it out, its cause, words, fix and check."""

    program: str
    id: str
    cause: str
    also: tuple[str, ...]
    needs: tuple[str, ...]
    unless: tuple[str, ...]
    meaning: str
    fix: str
    decide: str
    source: str


@record(frozen=True)
class SetupDecision:
    """The state a program's setup lines mean, with its words, fix and check filled in from the values the lines show."""

    state: SetupState
    meaning: str
    fix: str
    decide: str


@lru_cache(maxsize=1)
def setup_lines() -> tuple[SetupLine, ...]:
    """Every setup line of the table, in its order."""
    return tuple(SetupLine(program=str(r["program"]), mark=str(r["mark"]), needle=str(r["needle"]).lower(),
                           pattern=re.compile(str(r["pattern"]), re.M), example=str(r["example"]), source=str(r["source"]))
                 for r in table_rows("program_setup", "line"))


@lru_cache(maxsize=1)
def program_needles() -> dict[str, tuple[str, ...]]:
    """Each program's gate: the lower-case substrings of a whole log one of which must be there before its lines are read."""
    return {str(r["name"]): tuple(str(n).lower() for n in r["needles"]) for r in table_rows("program_setup", "program")}


@lru_cache(maxsize=1)
def setup_states() -> tuple[SetupState, ...]:
    """Every state of the table, in the order they are tried."""
    return tuple(SetupState(program=str(r["program"]), id=str(r["id"]), cause=str(r["cause"]), also=tuple(str(a) for a in r.get("also", ())),
                            needs=tuple(str(n) for n in r["needs"]), unless=tuple(str(u) for u in r.get("unless", ())),
                            meaning=str(r["meaning"]), fix=str(r["fix"]), decide=str(r["decide"]), source=str(r["source"]))
                 for r in table_rows("program_setup", "state"))


# bitsandbytes' binaries are named by the CUDA they were built for: libbitsandbytes_cuda122.so is CUDA 12.2, cuda118 11.8,
# cuda100 10.0; "_nocublaslt" is the variant for GPUs below compute capability 7.5.
_BINARY_CUDA = re.compile(r"libbitsandbytes_cuda(\d{2,3})(_nocublaslt)?", re.I)
# A package directory an installer made: site-packages or dist-packages, not an egg a setup.py build installed in place.
_INSTALLED = re.compile(r"[/\\](?:site|dist)-packages[/\\]bitsandbytes[/\\]", re.I)
# A torch release and its local tag: "2.1.2+cu121", "2.0.1+cpu", "2.0.1".
_TORCH = re.compile(r"^(\d+\.\d+(?:\.\d+)?)[^+]*(?:\+(\w+))?$")


def _cuda_of_tag(tag: str) -> str:
    """ "122" -> "12.2", "118" -> "11.8", "100" -> "10.0"."""
    return f"{tag[:-1]}.{tag[-1]}"


def _bnb_values(marks: dict[str, list[str]]) -> dict[str, str]:
    binary_path = next(iter(marks.get("binary_missing", ())), "")
    binary = re.split(r"[/\\]", binary_path)[-1] if binary_path else ""
    tag_match = _BINARY_CUDA.search(binary)
    tag = tag_match.group(1) if tag_match else next(iter(marks.get("detected_cuda", ())), "")
    cuda = _cuda_of_tag(tag) if tag else "it detected"
    values = {"binary": binary or "the library for its CUDA", "cuda": cuda, "cuda_tag": tag or "NNN"}
    if tag and int(tag[:-1]) < 11:
        values["cuda_fix"] = (f"bitsandbytes ships no binary for CUDA {cuda}: its binaries begin with CUDA 11.0 (its setup says 'CUDA version "
                              "lower than 11 are currently not supported for LLM.int8()'). Install a torch built with CUDA 11.8 or 12.x "
                              "(it brings its own CUDA runtime) and a current bitsandbytes, or put a CUDA 11+ runtime first on "
                              "LD_LIBRARY_PATH so that its setup detects that one.")
    else:
        variant = " (the _nocublaslt variant is the one for GPUs below compute capability 7.5)" if tag_match and tag_match.group(2) else ""
        values["cuda_fix"] = (f"Install a bitsandbytes release that ships {values['binary']}{variant}: `pip install -U bitsandbytes` "
                              "(current releases carry binaries for the CUDA 11.x and 12.x releases PyTorch is built with and use torch's own "
                              "CUDA runtime); or set BNB_CUDA_VERSION to a CUDA whose binary the installed package has, with that CUDA's "
                              f"runtime on LD_LIBRARY_PATH; or build bitsandbytes from source for CUDA {cuda}.")
    library = next(iter(marks.get("library_missing", ())), "")
    values["library"] = library or "a CUDA library"
    values["library_stem"] = library.split(".so")[0] + ".so" if library else "libcu"
    return values


def _bnb_derived(marks: dict[str, list[str]]) -> set[str]:
    """Marks the values mean: a binary wanted from a package outside an installer's site-packages (or an egg) is a source build."""
    paths = [p for p in (*marks.get("binary_missing", ()), *marks.get("loaded", ())) if "/" in p or "\\" in p]
    if (paths and not any(_INSTALLED.search(p) for p in paths)) or any(".egg" in p for p in paths):
        return {"source_build"}
    return set()


def _torch_parts(version: str) -> tuple[str, str]:
    m = _TORCH.match(version.strip())
    return (m.group(1), (m.group(2) or "").lower()) if m else (version, "")


def _xformers_values(marks: dict[str, list[str]]) -> tuple[dict[str, str], set[str]]:
    built_for = next(iter(marks.get("built_for", ())), "")
    if not built_for:
        return {}, set()
    built, cuda, have = built_for.split("|")
    built_release, built_local = _torch_parts(built)
    have_release, have_local = _torch_parts(have)
    built_tag = built_local if built_local.startswith("cu") else (f"cu{cuda[:-2]}{cuda[-1]}" if cuda.isdigit() and len(cuda) == 4 else "")
    derived: set[str] = set()
    if have_local == "cpu":
        derived.add("torch_cpu")
    # A release or CUDA tag that differs (a side without a tag says nothing about its CUDA: compared by release alone).
    if have_release != built_release or (have_local and built_local and have_local != built_local):
        derived.add("torch_differs")
    if "torch_cpu" in derived and not built_tag:
        derived.discard("torch_cpu")  # built without CUDA as well: nothing here says which CUDA build to install
    have_tag = have_local if have_local.startswith("cu") else ""
    values = {"built": built, "have": have, "built_release": built_release, "have_release": have_release,
              "built_index": f" --index-url https://download.pytorch.org/whl/{built_tag}" if built_tag else "",
              "have_index": f" --index-url https://download.pytorch.org/whl/{have_tag}" if have_tag else ""}
    return values, derived


def decide(program: str, marks: dict[str, list[str]]) -> SetupDecision | None:
    """The state ``program``'s setup marks (mark -> values in the log's order) mean, with its texts filled in; None where no
    state's marks hold (a healthy setup: the binary for the detected CUDA loaded, xFormers built for the torch installed; or only
    the layers below shown, which their own readings judge)."""
    present = {m for m, values in marks.items() if values}
    if program == "bitsandbytes":
        present |= _bnb_derived(marks)
        values = _bnb_values(marks)
    elif program == "xFormers":
        values, derived = _xformers_values(marks)
        present |= derived
    else:
        return None
    for state in setup_states():
        if state.program != program or not all(n in present for n in state.needs) or any(u in present for u in state.unless):
            continue
        return SetupDecision(state=state, meaning=state.meaning.format(**values), fix=state.fix.format(**values),
                             decide=state.decide.format(**values))
    return None
