"""The loader's search path of the platform the log shows, in a library cause's advice (accnoticed, session 37).

The library causes' general advice and check (knowledge/causes.toml) name Linux's loader: LD_LIBRARY_PATH, ldconfig,
``find /``. On Windows the loader searches PATH (and, for a Python 3.8+ extension's DLLs, only the folders given to
os.add_dll_directory); on macOS no CUDA exists for current frameworks (10.2 was its last release), so no path variable is
the answer. Where the log shows the platform (``LogFacts.platform_name``), each finding of a library cause whose fix or
check carries the cause's Linux text gets the platform's own (``knowledge.causes.platform_advice``, the one decision); a
rule's or signature's own words stay as they are.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from whygpu.model import Finding


def platform_findings(findings: list[Finding], facts: Any) -> list[Finding]:
    """``findings`` with the platform's advice and check in place of Linux's, where the log shows Windows or macOS."""
    system = facts.platform_name()
    if system not in ("windows", "darwin") or not findings:
        return findings
    from whygpu.knowledge.causes import cause_advice, cause_advice_any, cause_check, platform_advice

    out = []
    for f in findings:
        own = platform_advice(f.cause, system) if f.fix else None
        if own is None:
            out.append(f)
            continue
        fix = f.fix
        for linux in {cause_advice_any(f.cause), cause_advice(f.cause)}:
            if linux and linux in fix:
                fix = fix.replace(linux, own[0])
        check = cause_check(f.cause)
        if check and check in fix:
            fix = fix.replace(check, own[1])
        out.append(f if fix == f.fix else replace(f, fix=fix))
    return out
