"""Every rule whygpu knows, from all families (doctor, lint, deep, preflight, fleet, explain, monitor), for ``whygpu rule`` and SARIF."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from whygpu.model import RuleDoc, RuleInfo
from whygpu.rules.interface import Rule

# Each family module exposes ``RULES: list[Rule]``; listing them here is the explicit registration.
FAMILIES = (
    "whygpu.rules.registry", "whygpu.lint.registry", "whygpu.rules.deep", "whygpu.rules.target", "whygpu.fleet.rules",
    "whygpu.explain.rules", "whygpu.monitor.rules",
)

# The one list of codes that were used once and must never be given to another rule, of every
# family (doctor, lint, deep, explain), with what replaced them.
REMOVED_CODES: dict[str, str] = {
    "LOG-INFER-DRIVER-CUDA": "replaced by LOG102 log-driver-older-than-build (the driver's CUDA against what the build wants)",
    "DF000": "dockerfile-unparseable: a Dockerfile whygpu cannot read is listed under 'not checked', not a GPU cause",
    "DEP000": "dependency-file-unparseable: a dependency file or entry whygpu cannot read is listed under 'not checked'",
    "AML000": "azureml-yaml-invalid: an Azure ML file whygpu or azure-ai-ml cannot read is listed under 'not checked'",
    "PY000": "python-unparseable: a script or notebook cell whygpu cannot parse is listed under 'not checked'",
    "LOG-PT-CPU-VERSION": "replaced by the log facts' reading of a torch version's local tag (explain/logfacts.py installed_view: not a version pip removed or another package requires), judged by the doctor's CPU-build rule",
    "LOG-CUDA-ERROR-NAME": "replaced by LOG-GPU-STATUS (every library's status codes, knowledge/gpu_status.toml): it read CUDA error names, code that mentions them included",
    "LOG-CUDA-ERROR-MESSAGE": "replaced by LOG-GPU-STATUS (every library's status codes, knowledge/gpu_status.toml): it read a hand-written list of CUDA error texts",
    "LOG-APP-XFORMERS-CPU-TORCH": "replaced by the log facts' reading of the installed torch that xFormers names in '(you have X)' (explain/logfacts.py installed_view), judged by the doctor's CPU-build rule: one reading per version string",
}


def all_rules() -> list[Rule[Any]]:
    """Every registered rule of every family that is installed, in code order."""
    rules: list[Rule[Any]] = []
    for name in FAMILIES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        rules.extend(module.RULES)
    return sorted(rules, key=lambda r: r.code)


def removed_codes() -> dict[str, str]:
    """Every retired code of every family with why (``REMOVED_CODES``, the one list): never to be reused."""
    return dict(sorted(REMOVED_CODES.items()))


def rule_infos(codes: Iterable[str]) -> list[RuleInfo]:
    """What a report carries about the rules with these codes (unknown codes are left out)."""
    wanted = set(codes)
    return [rule.info() for rule in all_rules() if rule.code in wanted]


def find_rule(code_or_slug: str) -> Rule[Any] | None:
    """The rule with this code (case-insensitive) or slug."""
    wanted = code_or_slug.strip().lower()
    for rule in all_rules():
        if rule.code.lower() == wanted or rule.slug == wanted:
            return rule
    return None


def cause_line(cause: str, doc: RuleDoc) -> str:
    """The cause a rule names, or, where each line decides it, the causes it can name."""
    if not doc.causes:
        return cause
    return "decided by each line: " + ", ".join(doc.causes)


def describe(rule: Rule[Any]) -> str:
    """The rule's documentation in its fixed shape."""
    doc = rule.doc
    lines = [
        f"{rule.code} {rule.slug}",
        f"cause: {cause_line(rule.cause, doc)}    severity: {rule.severity.value}",
        "",
        "What it checks:",
        f"  {doc.what}",
        "",
        "Why it matters:",
        f"  {doc.why}",
        "",
        "Example:",
        *(f"  {line}" for line in doc.example.splitlines()),
        "",
        "Fix:",
        *(f"  {line}" for line in doc.fix.splitlines()),
    ]
    if doc.limits:
        lines += ["", "Known limits:", f"  {doc.limits}"]
    if doc.references:
        lines += ["", "References:", *(f"  {ref}" for ref in doc.references)]
    return "\n".join(lines) + "\n"
