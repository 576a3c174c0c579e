"""One reader of "two twins installed together" (acctwins, session 39).

A framework's GPU distribution and its plain twin (tensorflow-gpu and tensorflow, onnxruntime-gpu and onnxruntime,
paddlepaddle-gpu and paddlepaddle) write one import folder; installed together, the folder holds the files of whichever
came last. The writer says so in two families of words, which two readers used to read into two facts judged by two
rules (explain.installstate's ``said_installed_together`` into the package lists for LOG160/LOG133/LOG370, and
explain.twinboth's ``both_said`` into ``twin_both`` for LOG775, which stepped aside where the first saw the pair):

- the members joined by a word of being together or named both installed ("onnxruntime-gpu was installed alongside
  regular onnxruntime", "I had installed both onnxruntime and onnxruntime-gpu"), or one member installed beside what is
  there ("insightface pulls in onnxruntime"): ``installstate.said_installed_together``'s grammar;
- "both" with a verb of having or showing, the GPU build passed over ("When there is tensorflow installed, tensorflow-gpu
  is ignored"), the plain one shadowing it, the two at odds: ``twinboth.both_said``'s grammar;
- and pip's own conflict report naming both installed (``twinboth.conflict_pair``).

``said`` runs both grammars over a line and gives one typed fact per pair or member (``TwinsTogether``): the
distributions named, and where two of them are a GPU build and its plain twin of one folder, that pair as
``knowledge.cpu_packages.one_folder_twins`` decides it (the one decision of which names are twins). explain.logfacts
keeps each in ``LogFacts.twins_together`` and shows each name installed in the package lists; LOG160, LOG133 and LOG370
judge the lists, and LOG775 (explain.twinbothrules) reads the fact where none of them sees the pair.
"""

from __future__ import annotations

from whygpu.explain.declared import Overlay
from whygpu.records import record

__all__ = ["INSTALL_GATE", "WORDS_GATE", "TwinsTogether", "conflict_together", "gated", "said"]

# The words each grammar needs in a line (a cheap gate before its patterns).
INSTALL_GATE = ("install", "pulled in", "pulls in", "brought in", "brings in", "dragged in", "drags in", "alongside", "together with", "on top of")
WORDS_GATE = ("both", "alongside", "along with", "next to", "together", "as well as", "same time", "ignored", "shadow", "overrid", "mask",
              "interfer", "conflict", "clash", "precedence", "wins over")
_WORDS_NAMES = ("tensorflow", "onnxruntime", "paddlepaddle")


@record(frozen=True)
class TwinsTogether:
    """Distributions the log says are installed together (two), or one said installed beside what is there; ``pair`` is
    the GPU build and its plain twin of one folder among them (``knowledge.cpu_packages.one_folder_twins``), else None;
    ``form`` is "said" (the writer's words) or "conflict" (pip's conflict report)."""

    names: tuple[str, ...]
    pair: Overlay | None
    form: str = "said"

    def __str__(self) -> str:
        return " and ".join(self.names)


def _pair(names: tuple[str, ...]) -> Overlay | None:
    from whygpu.knowledge.cpu_packages import one_folder_twins

    twins = one_folder_twins(names)
    return Overlay(twins[0].framework, twins[1], twins[2]) if twins is not None else None


def gated(low: str) -> bool:
    """Whether a line (lower case) holds what either grammar needs."""
    return any(map(low.__contains__, INSTALL_GATE)) or ("gpu" in low and any(map(low.__contains__, WORDS_GATE))
                                                        and any(map(low.__contains__, _WORDS_NAMES)))


def said(text: str) -> list[TwinsTogether]:
    """Every pair (or single member) the writer's words in ``text`` say installed together, each once."""
    from whygpu.explain import twinboth
    from whygpu.explain.installstate import said_installed_together

    low = text.lower()
    out: list[TwinsTogether] = []
    if any(map(low.__contains__, INSTALL_GATE)):
        for names in said_installed_together(text):
            out.append(TwinsTogether(tuple(names), _pair(tuple(names)) if len(names) > 1 else None))
    if "gpu" in low and any(map(low.__contains__, WORDS_GATE)) and any(map(low.__contains__, _WORDS_NAMES)):
        both = twinboth.both_said(text)
        if both is not None:
            names = (both.twin.lower(), both.gpu.lower().replace("_", "-"))
            if not any(set(t.names) == set(names) for t in out):
                out.append(TwinsTogether(names, _pair(names) or both))
    return out


def conflict_together(pair: Overlay) -> TwinsTogether:
    """pip's conflict report's pair (``twinboth.conflict_pair``) as the one fact."""
    return TwinsTogether((pair.twin, pair.gpu), pair, "conflict")
