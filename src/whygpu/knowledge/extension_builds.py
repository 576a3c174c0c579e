"""CUDA extensions built at install time or just in time (``extension_builds.toml``; accext, session 33): the states of an
extension's build, the cause each means, its fix and the one check that decides, and the extensions by the names a log writes.

One decision here: ``state_texts`` (a state's title words, fix and check, with the versions the log shows filled in, or said in
words where it shows none). The reader (explain/extbuild.py) finds the extension's name; the rule (explain/extrules.py, LOG520)
reads the state from the signature that matched.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re
from whygpu.knowledge._util import table_rows
from whygpu.records import record


@record(frozen=True)
class BuildState:
    """One state of an extension's build: its id, cause, the causes it leaves open, its words, fix and check, and the signatures that read it."""

    id: str
    cause: str
    also: tuple[str, ...]
    meaning: str
    fix: str
    decide: str
    signatures: tuple[str, ...]
    source: str


@record(frozen=True)
class Extension:
    """A CUDA extension: its name as its project writes it, the names a log writes it in (lower case), where its prebuilt build comes from."""

    name: str
    names: tuple[str, ...]
    wheel: str
    source: str
    signatures: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _states() -> dict[str, BuildState]:
    return {str(r["id"]): BuildState(id=str(r["id"]), cause=str(r["cause"]), also=tuple(str(a) for a in r.get("also", ())),
                                     meaning=str(r["meaning"]), fix=str(r["fix"]), decide=str(r["decide"]),
                                     signatures=tuple(str(s) for s in r.get("signatures", ())), source=str(r["source"]))
            for r in table_rows("extension_builds", "state")}


@lru_cache(maxsize=1)
def extensions() -> tuple[Extension, ...]:
    """Every extension of the table, in its order."""
    return tuple(Extension(name=str(r["name"]), names=tuple(str(n).lower() for n in r["names"]), wheel=str(r["wheel"]), source=str(r["source"]),
                           signatures=tuple(str(s) for s in r.get("signatures", ())))
                 for r in table_rows("extension_builds", "extension"))


def built_on() -> str:
    """The framework the table's extensions are compiled against (``built_on``: torch, through torch.utils.cpp_extension)."""
    from whygpu.knowledge import load

    return str(load("extension_builds").get("built_on", ""))


def extension_of_signature(signature: str) -> Extension | None:
    """The extension whose own message a signature reads (NerfAcc's, mmcv's), or None."""
    return next((ext for ext in extensions() if signature in ext.signatures), None)


def build_states() -> tuple[BuildState, ...]:
    """Every state of the table."""
    return tuple(_states().values())


@lru_cache(maxsize=1)
def _by_signature() -> dict[str, BuildState]:
    return {sig: state for state in _states().values() for sig in state.signatures}


def state_of_signature(signature: str) -> BuildState | None:
    """The build state a signature's lines mean, or None for a signature of no state."""
    return _by_signature().get(signature)


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Extension]:
    return {name: ext for ext in extensions() for name in ext.names}


def extension_named(word: str) -> Extension | None:
    """The extension a name as a log writes it means ("flash_attn", "mmcv-full", "tinycudann"), or None."""
    return _by_name().get(word.lower().strip())


@lru_cache(maxsize=1)
def names_pattern() -> re.Pattern[str]:
    """One expression for every name of every extension, as a word of its own (not inside another name; a release or pip's build
    directory may follow: "flash_attn-2.5.6.tar.gz", "flash-attn_2297bac9ebd4415595ad37c7d00fd795")."""
    names = sorted(_by_name(), key=len, reverse=True)
    return re.compile(r"(?<![\w.-])(" + "|".join(re.escape(n).replace(r"\-", "[-_]").replace("_", "[-_]") for n in names) + r")(?:(?![\w-])|(?=-\d)|(?=_[0-9a-f]{16}))", re.I)


def _major(version: str | None) -> str | None:
    return version.split(".")[0] if version else None


def state_texts(state: BuildState, extension: Extension | None, *, torch_cuda: str | None, toolkit: str | None,
                gcc_max: str | None = None, compiler: str | None = None) -> tuple[str, str, str]:
    """(what the state is, in words; the fix; the deciding check) for ``state`` of ``extension``'s build, with torch's CUDA,
    the toolkit's release and the newest gcc the toolkit accepts where the log shows them, said in words where it does not."""
    ext = extension.name if extension is not None else "the extension"
    wheel = extension.wheel if extension is not None else "where its project publishes one for your torch and CUDA"
    torch_said = f"CUDA {torch_cuda}" if torch_cuda else "another CUDA release"
    toolkit_said = (f"CUDA {toolkit}" if toolkit[:1].isdigit() else toolkit) if toolkit else "another release"
    index = ""
    if toolkit and toolkit[:1].isdigit() and (major := _major(toolkit)) in ("11", "12", "13"):
        index = f" (a download.pytorch.org/whl/cuNNN index of a CUDA {major}.x release)"
    if gcc_max:
        gcc_install = f"gcc {gcc_max} or older, e.g. sudo apt install gcc-{gcc_max} g++-{gcc_max}"
        compiler_said = compiler or f"it accepts gcc {gcc_max} at most"
    else:
        gcc_install = "a gcc the toolkit release supports"
        compiler_said = compiler or "the host compiler is newer than the toolkit supports"
    values = {
        "ext": ext, "wheel": wheel, "torch_cuda": f"torch.version.cuda {torch_cuda}" if torch_cuda else "torch.version.cuda",
        "torch_said": torch_said, "toolkit_said": toolkit_said, "toolkit_index": index, "gcc_install": gcc_install,
        "compiler_said": compiler_said, "torch_release": torch_said if torch_cuda else "torch.version.cuda's release",
        "torch_for": f"torch's CUDA {torch_cuda}" if torch_cuda else "your torch and its CUDA",
    }
    meaning = state.meaning.format(**values)
    fix = state.fix.format(**values)
    return meaning, fix, state.decide
