"""A stated version labelled in another language, read as its English form (accwords40, session 40).

Writers state the CUDA, cuDNN, driver and framework they have in their own language's labels: "CUDA版本为11.8",
"我的cuda版本是11.4", "显卡驱动版本：535.98", "CUDAのバージョンは12.1です", "CUDA 버전은 11.8입니다", "версия драйвера 535.104",
"CUDA версии 11.8", "versión de CUDA es 11.8", "versão do driver: 535", "pytorch版本：1.13.1". The readers of stated versions
(``explain.logfacts``' framework and CUDA readers, ``explain.programbuilds.found_stated``, ``explain.hwstated``'s driver
reader) read the English forms ("CUDA version is 11.8", "driver version: 535.98", "pytorch version: 1.13.1").
``in_english`` rewrites only the label between a known name and a version, in either order (the name first: zh, ja, ko;
the label first: es, pt, fr, ru), into that English form; the label words of each language are the data of
``knowledge/version_labels.toml``. Everything else of the line stays as written, so that whether the version is asserted
as the machine's (not asked, needed, planned: explain.grammar, explain.statements) is judged on the writer's own words.
The evidence shown stays the line as written: callers read the rewritten text and show the original.
"""

from __future__ import annotations

from functools import lru_cache

from whygpu import lazyre as re

__all__ = ["in_english"]

# What has a version, as written in any language's sentence: CUDA and its toolkit, cuDNN, the frameworks and Python (the
# driver's own words are the table's). Not run into a longer name ("torchvision", "cudatoolkit-dev").
_NAMES = (r"cuda(?:[ _-]?toolkit)?|cudnn|pytorch|torch|tensorflow(?:[-_]gpu)?|paddlepaddle(?:[-_]gpu)?|paddle|jaxlib|jax"
          r"|onnxruntime(?:[-_]gpu)?|python|nvidia")
_ENGLISH_NAME = {"nvidia": "NVIDIA"}
# A determiner or possessive between a label and the name after it ("versión de la CUDA", "версия моего драйвера" is not
# read: only articles).
_ARTICLE = r"(?:(?:el|la|los|las|o|a|os|as|le|les|l['’]|der|des|dem)\s*)?"
# Latin-script lines are read only when they hold one of these (an English line is left alone at once).
_LATIN_CUES = ("versi", "controlador", "pilote", "treiber", "драйвер", "верси")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    from whygpu.knowledge.version_labels import alternation

    version, driver, link, copula = (alternation(k) for k in ("version", "driver", "link", "copula"))
    value = r"(?P<value>v?\d+(?:\.\d+)*)"
    # The name first: "CUDA版本为11.8", "CUDAのバージョンは12.1", "CUDA 버전은 11.8", "显卡驱动版本：535.98", "NVIDIA驱动 535", "torch是2.0.1".
    name_first = re.compile(
        rf"(?<![A-Za-z0-9_.+-])(?:(?P<name>{_NAMES})(?![A-Za-z0-9_])\s*(?:(?P<driver>{driver})\s*)?|(?P<driver_alone>{driver})\s*)"
        rf"(?:(?:{link})\s*(?=(?:{version})))?(?P<label>{version})?\s*(?P<copula>(?:{copula})(?![A-Za-z]))?\s*(?P<colon>[:：=])?\s*{value}", re.I)
    # The label first: "versión de CUDA es 11.8", "versão do driver: 535", "версия CUDA 11.8", "версия драйвера 535.104",
    # "version du pilote 535.98" (Portuguese and Spanish writers also call the driver "driver"); "CUDA версии 11.8" is the name first.
    label_first = re.compile(
        rf"(?<![A-Za-z0-9_])(?P<label>{version})\s+(?:(?:{link})\s+)?{_ARTICLE}(?:(?P<name>{_NAMES})(?![A-Za-z0-9_])|(?P<driver_alone>{driver}|driver\b))"
        rf"\s*(?P<copula>(?:{copula})(?![A-Za-z]))?\s*(?P<colon>[:：=]|\s[-—–]\s)?\s*{value}", re.I)
    return name_first, label_first


def _english(m: re.Match[str]) -> str:
    """The English form of one labelled version: "<name> [driver] version (is|:) <value>"."""
    name = m.group("name")
    words = []
    if name:
        words.append(_ENGLISH_NAME.get(name.lower(), name))
    if m.group("driver_alone") or (m.groupdict().get("driver")):
        words.append("driver")
    words.append("version")
    if m.group("copula"):
        words.append("is")
    text = " ".join(words) + (":" if m.group("colon") and not m.group("copula") else "") + " " + m.group("value")
    after = m.string[m.end():m.end() + 1]
    return text + (" " if after and not after.isascii() and after.isalnum() else "")


def _foreign(m: re.Match[str]) -> bool:
    """Whether the words matched hold a label of another language (an English "CUDA version: 11.8" is left as written)."""
    return not all(ch.isascii() for ch in m.group(0)) or any(
        (m.group(g) or "").lower() not in ("", "version", "driver") for g in ("label", "copula", "driver_alone")) or bool(m.groupdict().get("driver"))


def in_english(text: str) -> str:
    """``text`` with each version labelled in another language rewritten in its English form; ``text`` itself when it holds none."""
    if text.isascii():
        low = text.lower()
        if not any(cue in low for cue in _LATIN_CUES):
            return text
    elif not any(ch.isdigit() for ch in text):
        return text
    name_first, label_first = _patterns()
    out = text
    for rx in (label_first, name_first):
        out = rx.sub(lambda m: _english(m) if _foreign(m) else m.group(0), out)
    return out
