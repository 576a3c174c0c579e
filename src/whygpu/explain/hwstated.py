"""The hardware, driver and versions a log states, in any program's or the reporter's form (acchw, session 22).

Readers only: each turns what a log states into a typed fact; the knowledge layer decides what it means
(``knowledge.gpus.stated_hardware_cause``, ``knowledge.target.driver_supports_gpu``, ``knowledge.cuda.cuda_packages_mixed``,
the TensorFlow tested builds through LOG101) and ``explain/hwrules.py`` judges.

- The machine's GPU as an issue template asks for it: a checkbox group under a question about the GPU ("Are you using a
  GPU?" with "- [x] Intel"), a labelled field ("GPU: none", "Graphics: Apple M2"), an environment list item ("- No GPU",
  "* CPU only"), the writer's sentence that the machine they ran on is CPU-only ("running on one of our CPU only nodes"),
  and an ``lspci | grep -i nvidia`` the writer says gave nothing (``hardware_statements``).
- The driver: its version stated in the writer's words ("the GPU driver version `450.142.00`", "driver 470.82") or by
  ``modinfo nvidia``'s ``version:`` row, the GPU named in the same sentence, and the writer's words that the driver is too
  old (``driver_statements``).
- The CUDA packages of one environment's listing (``conda list``, ``pip list``, ``pip freeze``): their names and versions
  (``cuda_package_rows``).
- A framework's version stated together with the CUDA version in the writer's sentence ("tf version is 2.1.0 and cuda
  version is 10.2", ``framework_and_cuda_said``).

Each statement counts only where ``explain.grammar.said`` finds it asserted of now: not a question, a condition, advice,
hearsay or a state that is over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from whygpu.explain import grammar

__all__ = ["Stated", "cuda_package_rows", "driver_statements", "framework_and_cuda_said", "hardware_statements", "own_gpu_named"]

_MAX_LINE = 2000


@dataclass(frozen=True)
class Stated:
    """One statement: its 1-based line, what kind it is, its value and the words that said it."""

    line: int
    kind: str  # "no_gpu" | "vendor" | "driver_version" | "driver_too_old" | "gpu_model"
    value: str
    text: str


# --- the machine's GPU --------------------------------------------------------------------------------------------
# A question or heading about the machine's GPU, above a checkbox group ("Are you using a GPU?", "**GPU**", "Which GPU do
# you have?", "Hardware:").
_GPU_QUESTION = re.compile(r"\b(?:gpus?|graphics(?:\s+card)?|video\s+card|accelerators?|hardware)\b[^\n]{0,60}(?:\?|:)\s*(?:\*\*)?\s*$"
                           r"|^\W*(?:gpus?|graphics(?:\s+card)?|hardware)\W*$", re.I)
_CHECKBOX = re.compile(r"^\s*(?:[-*+]\s*)?\[(?P<mark>[^\]]{0,2})\]\s*(?P<option>\S.*)$")
_CHECKED = re.compile(r"^\s*[xX+*✓✔✅vV]\s*$")
# What an option or a field's value names: no GPU at all, or the maker of the GPU.
_NONE_VALUE = re.compile(r"^(?:no\b(?![-\w])[^\n]*|none\b[^\n]*|cpu(?:[- ]?only)?\b[^\n]*|n/a\s*\(\s*cpu[^)]*\)|without\s+(?:a\s+)?gpu\b[^\n]*|not\s+(?:available|applicable)\b[^\n]*"
                         r"|(?:无|没有|無し?|なし|없음)(?:\s*[（(]?\s*(?:cpu|仅cpu|只有cpu)[^\n]*)?|(?:ninguna|aucune?|keine)\b[^\n]*)$", re.I)
_VENDOR_WORDS = (
    ("nvidia", re.compile(r"\b(?:nvidia|cuda|geforce|quadro|tesla|rtx|gtx)\b", re.I)),
    ("amd", re.compile(r"\b(?:amd|radeon|rocm)\b", re.I)),
    ("intel", re.compile(r"\b(?:intel|iris|arc)\b", re.I)),
    ("apple", re.compile(r"\b(?:apple|mac|macos|mps|m[1-5](?:\s+(?:pro|max|ultra))?)\b", re.I)),
)
# A field of an environment template that names the machine's GPU ("- GPU: none", "GPU model and memory: no GPU").
_GPU_FIELD = re.compile(r"^\s*(?:[-*+|]\s*)?(?:\*\*)?\s*(?:gpus?|gpu\s+model(?:\s+and\s+memory)?|graphics(?:\s+card)?|video\s+card|accelerator|显卡|顯示卡|グラフィック(?:ボード|カード)?|그래픽\s*카드|tarjeta\s+gr[aá]fica|carte\s+graphique|grafikkarte)\s*(?:\*\*)?\s*[:=|：]\s*(?:\*\*)?\s*(?P<value>[^|\n]*?)\s*\|?\s*$", re.I)
# A list item that is only the statement that the machine has no GPU ("- No GPU", "* CPU only", "- no NVIDIA GPU").
_NO_GPU_ITEM = re.compile(r"^\s*[-*+]\s+(?:\*\*)?\s*(?P<words>no\s+(?:nvidia\s+|cuda\s+|dedicated\s+|discrete\s+)?gpus?|cpu[- ]only(?:\s+(?:machine|node|server|system|laptop|computer))?"
                          r"|cpu\s+only(?:\s+(?:machine|node|server|system|laptop|computer))?|without\s+(?:a\s+|any\s+)?gpu)\s*(?:\*\*)?\s*[.!]?\s*$", re.I)
# The writer's sentence that the machine they ran on has no GPU: "running on one of our CPU only nodes", "this is a
# CPU-only server", "my laptop is CPU only".
_MACHINE = r"(?:nodes?|machines?|servers?|instances?|vms?|clusters?|boxes|box|laptops?|computers?|hosts?|workstations?|pcs?|systems?)"
_CPU_ONLY_MACHINE = re.compile(
    rf"\b(?:on|using|with|from)\s+(?:one\s+of\s+)?(?:our|my|a|an|the|this)\s+(?:\w+\s+){{0,2}}?cpu(?:[- ]only)?\s+(?:\w+\s+)?{_MACHINE}\b"
    rf"|\b(?:my|our|this|the)\s+(?:\w+\s+)?{_MACHINE},?\s+(?:(?:which|that)\s+)?(?:is|are)\s+(?:a\s+)?cpu[- ]only\b"
    rf"|\b(?:it|this)\s+is\s+a\s+cpu[- ]only\s+(?:\w+\s+)?{_MACHINE}\b", re.I)
# A GPU machine named in the same sentence ("works on a GPU node but not on a CPU node"): two machines, nothing decided.
_GPU_MACHINE = re.compile(rf"\bgpus?\s+(?:\w+\s+)?{_MACHINE}\b", re.I)
# The writer's own GPU named by its maker without a model ("I'm using an integrated Intel GPU", "my GPU is an AMD one",
# "I only have Intel graphics"): the maker, and whether it is integrated graphics.
_OWN_MAKER_GPU = re.compile(r"\b(?:i(?:\s+am|['’]m)\s+(?:using|on|running)|i\s+(?:only\s+)?(?:have|got|use)|my\s+(?:gpu|graphics(?:\s+card)?)\s+is|(?:we\s+are|we['’]re)\s+(?:currently\s+)?using)"
                            r"\s+(?:an?\s+|only\s+(?:an?\s+)?)?(?P<integrated>integrated\s+|onboard\s+)?(?P<maker>intel|amd)\b(?:\s*(?:\(r\)|®))?\s*(?P<integrated2>integrated\s+|iris\s+|uhd\s+|hd\s+)?(?:gpu|graphics)\b", re.I)
# lspci asked for NVIDIA devices, and the writer's words that it found none.
_LSPCI_NVIDIA = re.compile(r"\blspci\b[^\n]*\bgrep\b[^\n]*\bnvidia\b|\blspci\b[^\n]*-d\s*10de", re.I)
_NOTHING = re.compile(r"\b(?:no\s+(?:results?|output|lines?|matches?)|(?:returns?|returned|gives?|gave|shows?|showed|prints?|printed|outputs?)\s+(?:nothing|no\s+\w+|empty)|nothing\s+(?:is\s+|was\s+)?(?:returned|shown|printed|found)|empty\s+output)\b", re.I)
# Another machine the writer names beside their own ("my laptop has no GPU but the server has a 3090").
_NVIDIA_NAMED = re.compile(r"\b(?:nvidia|geforce|quadro|tesla|titan|rtx|gtx)\b|\b[AHLVTP]\d{2,3}\b", re.I)


def _vendor_of(value: str) -> str | None:
    """"none" or the maker an option or a field's value names (NVIDIA first: "NVIDIA (CUDA)"; Intel's integrated graphics,
    "Intel UHD Graphics 630", as "intel-integrated"), else None."""
    value = value.strip(" *`_.")
    if not value:
        return None
    for vendor, words in _VENDOR_WORDS:
        if words.search(value):
            if vendor == "intel" and re.search(r"\b(?:integrated|onboard|iris|uhd|hd\s+graphics|xe)\b", value, re.I):
                return "intel-integrated"
            return vendor
    if _NONE_VALUE.match(value):
        return "none"
    return None


def _checkbox_answers(lines: list[str], question: int) -> tuple[list[str], int]:
    """(the checked options of the checkbox group under line ``question``, the last line of the group)."""
    checked: list[str] = []
    last = question
    seen_box = False
    for i in range(question + 1, min(len(lines), question + 12)):
        text = lines[i]
        if not text.strip():
            if seen_box:
                break
            continue
        box = _CHECKBOX.match(text)
        if box is None:
            break
        seen_box = True
        last = i
        if _CHECKED.match(box.group("mark")):
            checked.append(box.group("option"))
    return checked, last


def hardware_statements(lines: list[str]) -> Iterator[Stated]:
    """The machine's GPU as the log states it: "no_gpu" (none at all) or "vendor" (its maker, not NVIDIA), each once per line."""
    skip_to = -1
    for i, raw in enumerate(lines):
        if i <= skip_to:
            continue
        text = raw[:_MAX_LINE]
        low = text.lower()
        if not any(w in low for w in ("gpu", "graphic", "video", "accelerat", "hardware", "cpu", "lspci", "显卡", "顯示卡", "グラフィック", "그래픽", "gráfica", "grafica", "grafik")):
            continue
        if _GPU_QUESTION.search(text) and i + 1 < len(lines) and _CHECKBOX.match(lines[i + 1] or lines[min(i + 2, len(lines) - 1)]):
            checked, skip_to = _checkbox_answers(lines, i)
            vendors = {v for v in map(_vendor_of, checked) if v is not None}
            if len(vendors) == 1 and (vendor := vendors.pop()) != "nvidia":
                shown = f"{text.strip()} {' '.join(c.strip() for c in checked)}"
                yield Stated(i + 1, "no_gpu" if vendor == "none" else "vendor", vendor, shown)
            continue
        if (field := _GPU_FIELD.match(text)) is not None:
            named = _vendor_of(field.group("value"))
            if named is not None and named != "nvidia":
                yield Stated(i + 1, "no_gpu" if named == "none" else "vendor", named, text.strip())
            continue
        if (item := _NO_GPU_ITEM.match(text)) is not None:
            yield Stated(i + 1, "no_gpu", "none", item.group("words"))
            continue
        if "cpu" in low and (m := _CPU_ONLY_MACHINE.search(text)) is not None and not grammar.program_line(text):
            left, right = grammar.sentence_at(text, m.start(), m.end())
            # "the environment was created on a CPU-only node": where something was built, not where the work runs.
            built = re.search(r"\b(?:created|built|made|compiled|installed|packaged|prepared)\s+(?:\w+\s+){0,2}$", text[left:m.start()], re.I)
            if (grammar.said(text, m.start(), m.end(), quotes=False) and not _NVIDIA_NAMED.search(text, left, right)
                    and not _GPU_MACHINE.search(text, left, right) and built is None):
                yield Stated(i + 1, "no_gpu", "none", m.group(0))
            continue
        if ("intel" in low or "amd" in low) and (m := _OWN_MAKER_GPU.search(text)) is not None and not grammar.program_line(text):
            left, right = grammar.sentence_at(text, m.start(), m.end())
            if grammar.said(text, m.start(), m.end(), quotes=False) and not _NVIDIA_NAMED.search(text, left, right):
                maker = m.group("maker").lower()
                integrated = maker == "intel" and bool(m.group("integrated") or m.group("integrated2") or re.search(r"\b(?:iris|uhd|hd\s+graphics|xe)\b", text[m.end():right], re.I))
                yield Stated(i + 1, "vendor", "intel-integrated" if integrated else maker, text[left:right].strip())
            continue
        if "lspci" in low and _LSPCI_NVIDIA.search(text):
            # The command's output (nothing) or the writer's words about it, on the next few lines.
            for j in range(i, min(len(lines), i + 8)):
                after = lines[j][:_MAX_LINE] if j > i else text[_LSPCI_NVIDIA.search(text).end():]  # type: ignore[union-attr]
                if _NVIDIA_NAMED.search(after) and not _LSPCI_NVIDIA.search(after) and "nvidia-smi" not in after.lower() and not re.search(r"/proc/driver/nvidia|\bnvcc\b", after):
                    break  # lspci listed an NVIDIA device
                if (nothing := _NOTHING.search(after)) is not None and grammar.said(after, nothing.start(), nothing.end(), quotes=False):
                    yield Stated(i + 1, "no_gpu", "none", f"{text.strip()} ... {after.strip()}")
                    break


# The writer's own GPU named in prose, in any case ("i also have nvidia tesla c2075", "I have a gtx 950M", "the instance
# has an A10", "my card is a titan xp"): the words that make it theirs, then the name within a few words.
_OWN_GPU = re.compile(
    r"\b(?:(?:i|we)\s+(?:also\s+|only\s+|just\s+)?(?:have|own|got|use|bought|purchased)|i(?:\s+am|['’]m)\s+(?:using|running\s+on|on)"
    r"|my\s+(?:gpu|card|graphics\s+card|video\s+card)\s+is|(?:the|this|our|my)\s+(?:instance|machine|server|node|vm|box|laptop|pc|workstation)\s+has"
    r"|(?:gpu|graphics\s+card|video\s+card)\s*[:=])\s+(?:an?\s+|the\s+|two\s+|dual\s+|\d\s*x\s*)?", re.I)


def own_gpu_named(text: str) -> tuple[str, re.Match[str]] | None:
    """(the NVIDIA GPU model the writer names as their own, the words) in a sentence of theirs, asserted, or None (knowledge.gpus.gpu_in_text names it)."""
    from whygpu.knowledge.gpus import gpu_in_text

    text = text[:_MAX_LINE]
    if _OWN_GPU.search(text) is None or grammar.program_line(text):
        return None
    for m in _OWN_GPU.finditer(text):
        window = " ".join(re.sub(r"\d+(?:\.\d+)+", " ", text[m.end():m.end() + 60]).split()[:6])
        model = gpu_in_text(window) if re.search(r"\d", window) else None
        if model is None or model.vendor != "nvidia":
            continue
        words = [w for w in re.findall(r"[a-z0-9]+", model.name.lower()) if w not in ("nvidia", "geforce", "tesla", "quadro")]
        if all(w.isdigit() for w in words) and model.name.lower() not in window.lower():
            continue  # a bare number ("I have 410 ...") is no model name
        if grammar.said(text, m.start(), m.end(), quotes=False):
            return model.name, m
    return None


# --- the driver ---------------------------------------------------------------------------------------------------
_DRIVER_VERSION = re.compile(r"\b(?:nvidia\s+|gpu\s+|graphics\s+)?driver(?:\s+version)?\s*(?:is\s+|was\s+|of\s+|=\s*|[:：]\s*)?[`'\"(]?v?(?P<v>\d{3}\.\d{1,3}(?:\.\d{1,3})?)\b", re.I)
# accversions (session 24): the driver's version in Chinese or Japanese ("驱动版本：470.199.02", "显卡驱动 430.64",
# "ドライバー バージョン: 536.23"), and in Windows' own form ("Driver Version: 23.21.13.9135", "版本：27.21.14.5671" under a
# "驱动程序：nvldumdx.dll" line), whose NVIDIA version the knowledge layer gives (knowledge.cuda_versions.nvidia_driver_from_windows).
_DRIVER_CJK = r"(?:驱动|驅動|ドライバー?)(?:程序|程式)?\s*(?:的)?\s*(?:版本|バージョン)?"
_DRIVER_VERSION_CJK = re.compile(_DRIVER_CJK + r"\s*(?:是|为|為|[:：=])?\s*[`'\"(]?v?(?P<v>\d{3}\.\d{1,3}(?:\.\d{1,3})?)(?![\d.])")
_WINDOWS_VERSION = re.compile(r"(?:\bdriver(?:\s+version)?|\bdriverversion|" + _DRIVER_CJK + r"|\bversion|版本|バージョン)\s*(?:is\s+|[:：=]\s*)?[`'\"]?"
                              r"(?P<w>\d{1,2}\.\d{1,2}\.\d{2}\.\d{4})(?![\d.])", re.I)
_WINDOWS_VERSION_BARE = re.compile(r"(?<![\w.])(?P<w>\d{1,2}\.\d{1,2}\.\d{2}\.\d{4})(?![\d.])")
# What makes a Windows-form version NVIDIA's, on its line or the few before: the maker, a GPU brand, NVIDIA's display driver files.
_NVIDIA_WINDOWS = re.compile(r"\b(?:nvidia|geforce|quadro|tesla|rtx|gtx)|\bnv(?:ldumdx?|lddmkm|d3dumx?|wgf2umx?|oglv)\w*\.(?:dll|sys)\b", re.I)
_DRIVER_NAMED = re.compile(r"driver|驱动|驅動|ドライバ", re.I)
_MODINFO = re.compile(r"\bmodinfo\b[^\n]*\bnvidia\b", re.I)
_MODINFO_VERSION = re.compile(r"^\s*version:\s+(?P<v>\d{3}\.\d{1,3}(?:\.\d{1,3})?)\s*$")
# The writer's words that the driver is too old: "the driver is too old", "my NVIDIA driver is outdated", "driver version
# 450.142.00 is too old for A10", "the driver needs to be updated".
_TOO_OLD = re.compile(r"\bdrivers?\b[^.;!?\n]{0,60}?\b(?:is|are|was|seems?\s+to\s+be|being)\s+(?:(?:way|much|far|a\s+bit|probably|likely|simply)\s+)?(?:too\s+old|outdated|out\s+of\s+date|older\s+than\s+(?:(?:the|what\s+is)\s+)?(?:required|needed|supported)|older(?=\s*(?:[.;!,)]|$)))"
                      r"|\b(?:too\s+old|outdated|out[- ]of[- ]date)\s+(?:nvidia\s+|gpu\s+|graphics\s+|cuda\s+)?drivers?\b", re.I)


# A change after a past-tense "was too old": the problem is over ("... updated it and now it works").
_FIXED_SINCE = re.compile(r"\b(?:now|fixed|solved|resolved|(?:updat|upgrad|reinstall)(?:ed|ing))\b|\bworks?\s+(?:again|fine|now)\b", re.I)


def _gpu_in_sentence(text: str, start: int, end: int) -> str | None:
    """The NVIDIA GPU model named in the sentence around ``start``..``end`` (knowledge.gpus.gpu_in_text), or None."""
    from whygpu.knowledge.gpus import gpu_in_text

    left, right = grammar.sentence_at(text, start, end)
    # Versions are no model numbers ("driver 410.48" is no Quadro 410): taken out before the names are matched.
    sentence = re.sub(r"\d+(?:\.\d+)+", " ", text[left:right])
    model = gpu_in_text(sentence)
    if model is None or model.vendor != "nvidia":
        return None
    # A name the table writes as a number after its brand ("Quadro 410", "Tesla 10") counts only with the brand written.
    words = [w for w in re.findall(r"[a-z0-9]+", model.name.lower()) if w not in ("nvidia", "geforce", "tesla", "quadro")]
    if all(w.isdigit() for w in words) and model.name.lower() not in sentence.lower():
        return None
    return model.name


def _asked(text: str) -> bool:
    """A question, a wish or a plan rather than the machine's state ("要装哪个驱动版本?", "should I install driver 535?")."""
    return bool(re.search(r"[?？]\s*$|吗|嗎|是否|要不要|应该|應該|想|打算|计划|計劃|准备|準備|需要|建议|建議|请问|請問", text))


def _windows_driver(lines: list[str], i: int, text: str) -> str | None:
    """The NVIDIA driver version of a Windows driver file version the line states as the driver's, or None.

    The line must name the driver (or follow one that does: Windows' driver details list the files, then "Version:"),
    and NVIDIA must be named on it or the three lines before (another maker's versions share the form).
    """
    if not any(ch.isdigit() for ch in text):
        return None
    previous = lines[i - 1] if i else ""
    before = "\n".join(lines[max(0, i - 3):i])
    m = _WINDOWS_VERSION.search(text)
    if m is None and re.search(r"driver\s*version", f"{before}\n{text}", re.I):
        # A table whose header names the column ("DriverVersion  Name" above "31.0.15.3623  NVIDIA GeForce RTX 3060":
        # wmic's and PowerShell's Win32_VideoController listings).
        m = _WINDOWS_VERSION_BARE.search(text)
    if m is None:
        return None
    if not (_DRIVER_NAMED.search(text) or _DRIVER_NAMED.search(previous) or (m.re is _WINDOWS_VERSION_BARE)):
        return None
    if not (_NVIDIA_WINDOWS.search(text) or _NVIDIA_WINDOWS.search(before)) or _asked(text):
        return None
    from whygpu.knowledge.cuda_versions import nvidia_driver_from_windows

    return nvidia_driver_from_windows(m.group("w"))


def driver_statements(lines: list[str]) -> Iterator[Stated]:
    """The driver as the log states it: its version ("driver_version"), the GPU named with it ("gpu_model") and the writer's words that it is too old ("driver_too_old")."""
    modinfo = -10
    header = -10  # the last line that names a driver's version (a listing's header above its rows)
    for i, raw in enumerate(lines):
        text = raw[:_MAX_LINE]
        low = text.lower()
        if "driver" in low and "version" in low:
            header = i
        if "modinfo" in low and _MODINFO.search(text):
            modinfo = i
            continue
        if i - modinfo <= 4 and (row := _MODINFO_VERSION.match(text)) is not None:
            yield Stated(i + 1, "driver_version", row.group("v"), text.strip())
            continue
        if ((i - header <= 3 or "version" in low or "版本" in text or "バージョン" in text or "驱" in text or "驅" in text or "ドライバ" in text)
                and (windows := _windows_driver(lines, i, text)) is not None):
            yield Stated(i + 1, "driver_version", windows, text.strip())
            continue
        if ("驱" in text or "驅" in text or "ドライバ" in text) and not grammar.program_line(text):
            for m in _DRIVER_VERSION_CJK.finditer(text):
                if not _asked(text):
                    yield Stated(i + 1, "driver_version", m.group("v"), text.strip())
                    break
        if "driver" not in low or not (_DRIVER_VERSION.search(text) or _TOO_OLD.search(text)) or grammar.program_line(text):
            continue
        for m in _DRIVER_VERSION.finditer(text):
            if grammar.said(text, m.start(), m.end(), quotes=False):
                yield Stated(i + 1, "driver_version", m.group("v"), text.strip())
                if (model := _gpu_in_sentence(text, m.start(), m.end())) is not None:
                    yield Stated(i + 1, "gpu_model", model, text.strip())
        for m in _TOO_OLD.finditer(text):
            if re.search(r"\byour\b", m.group(0), re.I) or re.search(r"\byour\s+(?:\w+\s+){0,2}$", text[:m.start()], re.I):
                continue  # "the NVIDIA driver on your system is too old": a program's message (or advice) to the reader
            # (quotes=True: a quoted "driver is too old" is a program's message the writer cites, not their finding)
            if re.search(r"\b(?:was|were)\b", m.group(0), re.I) and _FIXED_SINCE.search(text, m.end()):
                continue  # "the driver was too old; I updated it and now it works": a past problem now fixed
            if grammar.said(text, m.start(), m.end()) and not grammar.in_code(text, m.start()):
                yield Stated(i + 1, "driver_too_old", m.group(0), text.strip())
                if (model := _gpu_in_sentence(text, m.start(), m.end())) is not None:
                    yield Stated(i + 1, "gpu_model", model, text.strip())
                break


# --- the CUDA packages of one environment -------------------------------------------------------------------------
# A row of a package listing: conda list's "name  version  build  channel", mamba's "+ name version ...", pip list's
# "name  version", pip freeze's "name==version".
_LIST_ROW = re.compile(r"^\s*(?:[+]\s+)?(?P<name>[A-Za-z][\w.-]*)\s{2,}(?P<version>\d+(?:\.\d+)*)(?:\s|$)|^\s*(?P<fname>[A-Za-z][\w.-]*)==(?P<fversion>\d+(?:\.\d+)*)\s*$")


def cuda_package_rows(lines: list[str]) -> list[list[tuple[int, str, str, str]]]:
    """Each package listing's rows that name a package with a version: (line, name, version, text), one list per listing (rows within 40 lines of each other)."""
    listings: list[list[tuple[int, str, str, str]]] = []
    last = -100
    for i, raw in enumerate(lines):
        text = raw[:_MAX_LINE]
        if not text or "cu" not in text.lower():
            continue
        m = _LIST_ROW.match(text)
        if m is None:
            continue
        name = m.group("name") or m.group("fname")
        version = m.group("version") or m.group("fversion")
        if i - last > 40 or not listings:
            listings.append([])
        listings[-1].append((i + 1, name, version, text.strip()))
        last = i
    return listings


# --- a framework's version and the CUDA's, said together ------------------------------------------------------------
_FRAMEWORK_SAID = re.compile(r"\b(?P<fw>tf|tensorflow|torch|pytorch)(?:[-_ ]gpu)?\s*(?:version|ver\.?|v)?\s*(?:is|=|==|:)?\s*[`'\"]?v?(?P<v>\d+\.\d+(?:\.\d+)?)\b(?![-.]?\d)", re.I)
_CUDA_SAID = re.compile(r"\bcuda\s*(?:toolkit\s*)?(?:version)?\s*(?:is|=|==|:)?\s*[`'\"]?v?(?P<v>\d{1,2}\.\d)(?:\.\d+)?\b(?!\s*(?:driver|runtime\s+version\s+is\s+insufficient))", re.I)


def framework_and_cuda_said(text: str) -> tuple[str, str, str] | None:
    """(framework, its version, the CUDA version) the writer states together in one sentence ("tf version is `2.1.0` and cuda version is `10.2`"), asserted, or None."""
    text = text[:_MAX_LINE]
    low = text.lower()
    if "cuda" not in low or grammar.program_line(text):
        return None
    for fw in _FRAMEWORK_SAID.finditer(text):
        left, right = grammar.sentence_at(text, fw.start(), fw.end())
        cuda = _CUDA_SAID.search(text, left, right)
        if cuda is None:
            continue
        if not (grammar.said(text, fw.start(), fw.end(), quotes=False) and grammar.said(text, cuda.start(), cuda.end(), quotes=False)):
            continue
        if re.search(r"\b(?:built|compiled|requires?|needs?|wants?|supports?|for)\b", text[min(fw.end(), cuda.start()):max(fw.start(), cuda.start())], re.I):
            continue  # "torch 2.1 is built for CUDA 12.1", "tensorflow 2.1 requires CUDA 10.1": what the build wants, not what is installed
        framework = {"tf": "tensorflow", "pytorch": "torch"}.get(fw.group("fw").lower(), fw.group("fw").lower())
        return framework, fw.group("v"), cuda.group("v")
    return None
