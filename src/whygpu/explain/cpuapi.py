"""A program's GPU part missing from the package imported, as the program or Python says it (acccpu, session 32).

Some programs compile their GPU part into the one module they install: a CPU build of that module lacks the GPU classes
and functions altogether (faiss's StandardGpuResources, GpuIndexFlatL2, index_cpu_to_gpu exist only in a build with
FAISS_ENABLE_GPU). Python's answer that the module has no such attribute, or cannot import such a name from it, then
decides the build as the program's own "not compiled with CUDA" would. Three readings, one fact (``CpuApi``):

- ``api``: an AttributeError or ImportError naming a GPU-only API of a program knowledge/cpu_packages.toml [[gpu_api]]
  knows: "module 'faiss' has no attribute 'StandardGpuResources'", Python 2's "'module' object has no attribute
  'GpuIndexFlatL2'" (the module from the traceback's code line, ``faiss.GpuIndexFlatL2(``, or the program named in the
  log), "cannot import name 'StandardGpuResources' from 'faiss'".
- ``flag``: a printed build flag whose value means the CPU build (``dlib.DLIB_USE_CUDA`` then ``False``,
  "llama_supports_gpu_offload() returns False").
- ``said``: the program's own words that a GPU part is not in its build, where the wording is its own (CTranslate2's
  "Conv1D on GPU currently requires the cuDNN library which is not integrated in this build", CatBoost's "GPU support
  was not compiled"); the wordings every program shares are explain.buildsaid's.

Not read: code (``hasattr(faiss, "StandardGpuResources")``, ``if not dlib.DLIB_USE_CUDA:``, a ``throw``/``raise`` that
holds the words), a condition or advice ("if you get ... has no attribute ..., install faiss-gpu"), an assignment or a
build option (``-DDLIB_USE_CUDA=0``: the user's choice of what to build, not the build's answer), an attribute that both
builds define. Each fact says whether the program's GPU distribution is named as installed in the log too (two builds
over one import name: the one imported is the CPU build) and whether the program's own line says its GPU part failed to
load (then the missing API is that failure's consequence). Judged by LOG500 (explain.saidrules).
"""

from __future__ import annotations

from dataclasses import dataclass

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.cpu_packages import (
    GpuApi,
    gpu_api_failed,
    gpu_api_flag,
    gpu_api_flag_patterns,
    gpu_api_gpu_shown,
    gpu_api_module_named,
    gpu_api_row,
    gpu_api_said,
)


@dataclass(frozen=True)
class CpuApi:
    """A program's CPU build shown: the row, how (``api``, ``flag`` or ``said``), what was shown (the API's name, the
    flag and its value, or the words), the GPU distribution named as installed ("" when none), and whether the program's
    own line says its GPU part failed to load."""

    row: GpuApi
    how: str
    shown: str
    gpu_named: str
    failed: bool

    def __str__(self) -> str:
        return f"{self.row.program}: {self.shown}"


# Python 3's and 2's AttributeError, and the ImportError of a name.
_NO_ATTRIBUTE = re.compile(
    r"\bmodule\s+['\"`](?P<module>[A-Za-z_][\w.]*)['\"`]\s+has\s+no\s+attribute\s+['\"`]?(?P<name>[A-Za-z_]\w*)"
    r"|['\"`]module['\"`]\s+object\s+has\s+no\s+attribute\s+['\"`]?(?P<name2>[A-Za-z_]\w*)"
    r"|\bcannot\s+import\s+name\s+['\"`]?(?P<name3>[A-Za-z_]\w*)['\"`]?(?:\s+from\s+['\"`](?P<module3>[A-Za-z_][\w.]*)['\"`])?")
# A condition or advice before the words in their sentence: not what happened.
_CONDITION = re.compile(r"\b(?:if|unless|in\s+case|whenever|should\s+you|you\s+(?:may|might|could|will)\s+(?:get|see))\b[^.;!?\n]*$", re.I)
# Code around the words: a hasattr check, a conditional, a throw or raise that holds them.
_CODE = re.compile(r"\bhasattr\s*\(|^\s*(?:if|elif|while|assert|return)\b|\b(?:raise|throw)\b|\bprint\s*\(\s*[fFrR]?[\"']|<<\s*[\"']")
# How a flag's value follows it on its own line: "DLIB_USE_CUDA is False", "returns False", "-> False", ": False", "== False".
_FLAG_VALUE = re.compile(r"^\s*\)?\s*[`'\"]?\s*(?:\)\s*)?(?:(?:is|was|returns?|returned|gives?|gave|shows?|showed|prints?|printed|says?|said|still)\s+"
                         r"(?:me\s+|back\s+|out\s+)?|->|=>|→|:|==|,)?\s*[`'\"]?(?P<value>True|False|0|1)\b", re.I)
# A build option or an assignment: the user's choice of what to build.
_SET = re.compile(r"(?:-D|--set\s+|--(?:yes|no)\s+|\bset\s+)[\w]*$|\w\s*=\s*$")
# A REPL or print line whose output is the next line.
_ASKED_LINE = re.compile(r"^\s*(?:>>>|In\s*\[\d+\]:|\$)?\s*(?:print\s*\()?\s*[\w.]+(?:\s*\(\s*\))?\s*\)?\s*$")


def _left_out(line: str, start: int) -> bool:
    """Whether the words at ``start`` are code, or the writer's condition or advice."""
    head = line[:start]
    if _CODE.search(head) or line.lstrip().startswith(("#", "//")):
        return True
    sentence = re.split(r"[.;!?]\s", head)[-1]
    return _CONDITION.search(sentence) is not None or grammar.ALTERNATIVE_BEFORE.search(sentence) is not None


def _module_of(lines: list[str], index: int, name: str, text: str) -> GpuApi | None:
    """For Python 2's "'module' object has no attribute X" and a bare ImportError: the program whose GPU-only API ``name``
    is, by the traceback's code lines above (``faiss.X(``), else by the program's module named anywhere in the log."""
    for back in range(index, max(-1, index - 6), -1):
        found = gpu_api_module_named(lines[back])
        if found is not None and found[1] == name:
            return found[0]
    for module in re.findall(r"(?<![\w.])([a-z_][a-z0-9_]*)(?=[-_ .=]|\b)", text.lower()):
        if (row := gpu_api_row(module, name)) is not None:
            return row
    return None


def _gpu_named(row: GpuApi, lines: list[str], index: int) -> str:
    """The program's GPU distribution the log names as installed: on a line before the finding, or on any line that says it
    is installed ("Both faiss-cpu and faiss-gpu is installed", "faiss-gpu==1.7.2")."""
    for number, line in enumerate(lines):
        m = gpu_api_gpu_shown(row, line)
        if m is None:
            continue
        after = line[m.end():m.end() + 40]
        installed = number < index or re.search(r"\b(?:install(?:ed)?|already|both|also|have|has|had|using|use)\b", line, re.I) or re.match(r"\s*(?:==|\s\d)", after)
        if installed and not re.search(r"\b(?:try|should|need\s+to|recommend|instead|please)\b", line[:m.start()], re.I):
            return m.group(0)
    return ""


def _failed(row: GpuApi, lines: list[str]) -> bool:
    return any(gpu_api_failed(row, line) for line in lines)


def read(text: str, lines: list[str]) -> list[tuple[int, CpuApi]]:
    """Each program's CPU build the lines (of ``text``) show (line index, the fact); at most one per program."""
    low = text.lower()
    out: list[tuple[int, CpuApi]] = []
    seen: set[str] = set()

    def add(index: int, row: GpuApi, how: str, shown: str) -> None:
        if row.program in seen:
            return
        seen.add(row.program)
        out.append((index, CpuApi(row, how, shown, _gpu_named(row, lines, index), _failed(row, lines))))

    has_attr = "attribute" in low or "cannot import" in low
    flags = tuple((row, flag) for row, flag in gpu_api_flag_patterns() if flag.search(text))
    said_any = gpu_api_said(text) is not None
    if not (has_attr or flags or said_any):
        return out
    for index, line in enumerate(lines):
        if len(line) > 2000:
            continue
        if has_attr and ("attribute" in line or "import name" in line):
            for m in _NO_ATTRIBUTE.finditer(line):
                name = m.group("name") or m.group("name2") or m.group("name3")
                module = m.group("module") or m.group("module3")
                row = gpu_api_row(module, name) if module else _module_of(lines, index, name, text)
                if row is not None and not _left_out(line, m.start()):
                    add(index, row, "api", name)
        for row, flag in flags:
            for m in flag.finditer(line):
                if _SET.search(line[:m.start()]) or _left_out(line, m.start()):
                    continue
                value = _FLAG_VALUE.match(line[m.end():])
                if value is None and _ASKED_LINE.match(line) and index + 1 < len(lines):
                    value = re.match(r"\s*(?:Out\[\d+\]:\s*)?(?P<value>True|False|0|1)\s*$", lines[index + 1])
                if value is not None and gpu_api_flag(m.group(0), value.group("value")) is not None:
                    add(index, row, "flag", f"{m.group(0)} {value.group('value')}")
        said = gpu_api_said(line) if said_any else None
        if said is not None and not _left_out(line, said[1].start()):
            add(index, said[0], "said", said[1].group(0))
    return out
