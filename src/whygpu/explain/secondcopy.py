"""What a log shows of a framework's second copy: two distributions of one native library (accsecond, session 36).

ONNX Runtime's NuGet packages (knowledge/second_copies.toml) ship one file name, ``onnxruntime.dll`` /
``libonnxruntime.so``, in a CPU build (Microsoft.ML.OnnxRuntime) and a CUDA build (Microsoft.ML.OnnxRuntime.Gpu, and its
.Windows/.Linux parts); a project that references both, or one that requires the CPU package (an older
Microsoft.ML.OnnxTransformer), gets whichever file is copied last. Two readings, each one line:

- the runtime's words that a function only the GPU build exports is not in the library it loaded: .NET's
  ``EntryPointNotFoundException: Unable to find an entry point named 'OrtSessionOptionsAppendExecutionProvider_CUDA' in
  DLL 'onnxruntime'`` (and its translations: "无法在 DLL“onnxruntime”中找到名为“...”的入口点"), the loader's "undefined
  symbol: OrtSessionOptionsAppendExecutionProvider_CUDA"; not the provider's own status "OrtSessionOptionsAppendExecution
  Provider_Cuda: Failed to load shared library" (the GPU build loaded, its CUDA libraries did not);
- the distributions a line names as referenced or installed: a ``<PackageReference Include="...">`` row, a name with its
  release ("Microsoft.ML.OnnxRuntime.Gpu (1.0.1)", "ML.OnnxRuntime 0.5.1"), the writer's words ("installed the NuGet
  package Microsoft.ML.OnnxRuntime.Gpu", "has a dependency with ML.OnnxRuntime"); not the managed assembly a stack trace
  or an exception's Source names (``Source=Microsoft.ML.OnnxRuntime``, ``Microsoft.ML.OnnxRuntime.NativeMethods``,
  ``Microsoft.ML.OnnxRuntime.dll``), and not a name in a question, advice or a condition.

What they mean together is ``knowledge.second_copies.copies_in_conflict``; explain.secondcopyrules speaks it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whygpu.explain import grammar

__all__ = ["ENTRY_NEEDLE", "NAME_NEEDLES", "entry_missing", "named_packages"]

# Cheap gates: a line is tried for the entry point only with this substring, for names only with one of these.
ENTRY_NEEDLE = "appendexecutionprovider_"
NAME_NEEDLES = ("ml.onnxruntime", "ml.onnxtransformer")

# The runtime's words that the function was not found in the library it loaded.
_MISSING = re.compile(r"entry\s*point|入口点|undefined\s+symbol|symbol\s+lookup\s+error|procedure\s+could\s+not\s+be\s+(?:located|found)"
                      r"|EntryPointNotFound|could\s+not\s+find\s+(?:the\s+)?(?:symbol|function)", re.I)
_LOAD_FAILED = re.compile(r"failed\s+to\s+load|LoadLibrary\s+failed|cannot\s+open\s+shared", re.I)


@lru_cache(maxsize=1)
def _symbols() -> re.Pattern[str]:
    from whygpu.knowledge.second_copies import entry_points

    return re.compile(r"(?<!\w)(" + "|".join(re.escape(s) for s in sorted(entry_points(), key=len, reverse=True)) + r")(?!\w)")


def entry_missing(text: str) -> str | None:
    """The GPU-only function ``text`` says was not found in the library loaded, or None."""
    if len(text) > 2000:
        return None
    m = _symbols().search(text)
    if m is None or _MISSING.search(text) is None or _LOAD_FAILED.search(text) is not None:
        return None
    return m.group(1)


@lru_cache(maxsize=1)
def _names() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every distribution and requirer name (the "Microsoft." prefix optional, any letter case), and the
    canonical name of each lower-cased spelling without the prefix."""
    from whygpu.knowledge.second_copies import distributions, requirers

    canonical: dict[str, str] = {}
    for name in [d.name for d in distributions() if d.manager == "nuget"] + [r.name for r in requirers() if r.manager == "nuget"]:
        canonical[name.lower().removeprefix("microsoft.")] = name
    alternatives = "|".join(re.escape(k) for k in sorted(canonical, key=len, reverse=True))
    # Not the managed assembly's members or file (".NativeMethods", ".dll"): no dot-and-letter after the name.
    return re.compile(r"(?<![\w.])(?:microsoft\.)?(" + alternatives + r")(?![\w]|\.[A-Za-z])", re.I), canonical


# What shows the name is the managed assembly or code, not a package: an exception's Source, a stack frame, a using.
_NOT_A_PACKAGE_BEFORE = re.compile(r"(?:\bSource\s*[=:]\s*|\bat\s+|在\s*|\busing\s+|\bnamespace\s+)[`'\"]?$", re.I)
# The words that make it a package: a PackageReference or PackageVersion row, a release after it, or an install verb,
# a dependency or a reference before it in its sentence.
_PACKAGE_ROW = re.compile(r"<Package(?:Reference|Version)\b[^>]*Include\s*=\s*[\"']$", re.I)
_RELEASE_AFTER = re.compile(r"[`'\"*]*\s*(?:\(|:|\bv(?:ersion)?\.?\s*|=+\s*|,\s*|\s)\s*v?\d+\.\d+")
_PACKAGE_WORDS = re.compile(r"\b(?:install(?:ed|ing|s)?|add(?:ed|ing)?|referenc(?:e|ed|es|ing)|depend(?:s|ed|ing|ency|encies)?|nuget|package"
                            r"|using|uses|have|has|had|together|both|with|and)\b", re.I)
_PACKAGE_AFTER = re.compile(r"[`'\"*]*\s+(?:(?:has|have|had)\s+an?\s+dependenc|(?:depends|required|requires|pulls|pulled|brings|brought)\b"
                            r"|(?:is|was|are|were|got|gets)\s+(?:also\s+)?(?:installed|referenced|added)|(?:nuget\s+)?packages?\b)", re.I)
_REMOVED = re.compile(r"\b(?:uninstall(?:ed|ing)?|remov(?:e|ed|ing)|replac(?:e|ed|ing)|instead\s+of|not|without|rather\s+than)\b", re.I)


def named_packages(text: str) -> list[str]:
    """The distributions and requirers ``text`` names as referenced or installed, by their canonical names."""
    if len(text) > 4000:
        return []
    pattern, canonical = _names()
    out: list[str] = []
    for m in pattern.finditer(text):
        name = canonical.get(m.group(1).lower())
        if name is None or name in out:
            continue
        before = text[max(0, m.start() - 40):m.start()]
        if _NOT_A_PACKAGE_BEFORE.search(before):
            continue
        left, right = grammar.sentence_at(text, m.start(), m.end())
        if grammar.asked(text, left, right, m.start(), m.end()) or grammar.advised(text, left, m.start(), m.end()) \
                or grammar.supposed(text, left, right, m.start(), m.end()):
            continue
        clause = text[left:m.start()]
        if _REMOVED.search(re.split(r"[,;]|\b(?:but|and|then)\b", clause)[-1]):
            continue  # "uninstall Microsoft.ML.OnnxRuntime", "instead of ...": said gone, not present
        if _PACKAGE_ROW.search(before) or _RELEASE_AFTER.match(text, m.end()) or _PACKAGE_AFTER.match(text, m.end()) or _PACKAGE_WORDS.search(clause):
            out.append(name)
    return out
