"""A wheel said shipped without DLLs it needs (accwin39, session 39): the writer or a maintainer naming the CUDA DLLs a
package's wheel lacks ("cublas64_100.dll, cusparse64_100.dll and a few others are missing from
torch-1.3.0-cp37-cp37m-win_amd64.whl", "the wheel does not include cudnn64_8.dll"). The fact is the DLLs and the wheel (its
file name, or the word); what it means is decided by ``knowledge.loader_search.wheel_lacks_cause``.

Not read: a question ("is cudnn64_8.dll missing from the wheel?"), a DLL missing from a folder that is no wheel.
"""

from __future__ import annotations

from whygpu import lazyre as re
from whygpu.records import record

__all__ = ["HINT", "WheelLacks", "wheel_lacks"]

# Quick tests before the expressions (lower case): a DLL named, and a wheel or package.
HINT = ".dll"
HINT_WHEEL = (".whl", "wheel", "package", "binar", "release")


@record(frozen=True)
class WheelLacks:
    """DLLs a wheel is said to lack, and the wheel as the line names it (a file name, or "wheel")."""

    dlls: tuple[str, ...]
    wheel: str

    def __str__(self) -> str:
        return f"{', '.join(self.dlls)} not in {self.wheel}"


_DLLS = r"(?P<dlls>[\w.-]+\.dll(?:\s*(?:,|and|or|&)\s*[\w.-]+\.dll)*)"
_WHEEL = r"(?P<wheel>[\w.+-]+\.whl\b|(?:pip\s+)?(?:wheel|package|binar(?:y|ies)|release)\b)"
_SAID = (
    re.compile(_DLLS + r"(?:,?\s+and\s+(?:a\s+few|some|several|many|the)\s+others?)?\s+(?:are|is|were|was)\s+"
               r"(?:missing|absent|not\s+(?:included|shipped|bundled|packaged|present|there))\s+"
               r"(?:from|in|with)\s+(?:the\s+|this\s+|that\s+)?(?:[\w.+-]+\s+)?" + _WHEEL, re.I),
    re.compile(_WHEEL + r"\s+(?:does\s*n[o']t|did\s*n[o']t|do\s*n[o']t|no\s+longer)\s+(?:include|ship|contain|bundle|carry|have)s?\s+"
               r"(?:the\s+)?" + _DLLS, re.I),
)
_DLL_NAME = re.compile(r"[\w.-]+\.dll", re.I)


def wheel_lacks(text: str) -> WheelLacks | None:
    """The DLLs a line says a wheel lacks, or None (also for a question)."""
    m = next((found for pattern in _SAID if (found := pattern.search(text)) is not None), None)
    if m is None or text.rstrip().endswith("?"):
        return None
    dlls = tuple(_DLL_NAME.findall(m["dlls"] or ""))
    return WheelLacks(dlls, m["wheel"].strip()) if dlls else None
