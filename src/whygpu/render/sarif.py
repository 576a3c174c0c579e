"""SARIF 2.1.0 for code scanning (GitHub, Azure DevOps): one run, the rules' docs, one result per finding."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from whygpu.version import __version__

if TYPE_CHECKING:
    from whygpu.model import NotChecked, Report, RuleInfo

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/whygpu/whygpu"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_LINT_PREFIXES = ("DF", "DEP", "AML", "PY")


def render_sarif(report: Report) -> str:
    """The report as a SARIF 2.1.0 log; suppressed lint findings are kept as results with an inSource suppression."""
    rules_by_code = {r.code: r for r in report.rules}
    used = [f.id for f in report.findings] + [str(s.get("id")) for s in _suppressed(report)]
    if report.subject_kind == "files":
        codes = sorted(c for c in rules_by_code if c.startswith(_LINT_PREFIXES))
    else:
        codes = []
    for code in used:
        if code not in codes and code in rules_by_code:
            codes.append(code)
    index = {code: i for i, code in enumerate(codes)}
    results = [_result(f.to_json(), index, None) for f in report.findings]
    results += [_result(s, index, str(s.get("reason", ""))) for s in _suppressed(report)]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "whygpu",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(rules_by_code[c]) for c in codes],
            }
        },
        "invocations": [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "warning", "message": {"text": note}} for note in report.notes
                ] + [_not_checked(entry) for entry in report.not_checked],
            }
        ],
        "results": results,
        "properties": {
            "subject": report.subject_kind,
            "verdict": {"gpu_usable": report.verdict.gpu_usable, "summary": report.verdict.summary},
            "causes": [c.code for c in report.causes],
        },
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _not_checked(entry: NotChecked) -> dict[str, Any]:
    """A file whygpu could not read: a notification at its place, never a result (it is no GPU problem)."""
    uri, relative = _uri(entry.path)
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    return {
        "level": "note",
        "message": {"text": f"not checked: {entry.reason}"},
        "descriptor": {"id": "not-checked"},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact, "region": {"startLine": max(entry.line, 1), "startColumn": max(entry.column, 1)}}}
        ],
    }


def _suppressed(report: Report) -> list[dict[str, Any]]:
    value = report.details.get("suppressed") if isinstance(report.details, dict) else None
    return [s for s in value if isinstance(s, dict)] if isinstance(value, list) else []


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    doc = rule.doc
    help_text = f"{doc.what}\n\nWhy it matters: {doc.why}\n\nExample:\n{doc.example}\n\nFix:\n{doc.fix}"
    if doc.limits:
        help_text += f"\n\nKnown limits: {doc.limits}"
    markdown = (
        f"{doc.what}\n\n**Why it matters.** {doc.why}\n\n**Example**\n\n```\n{doc.example}\n```\n\n"
        f"**Fix**\n\n```\n{doc.fix}\n```\n"
        + (f"\n**Known limits.** {doc.limits}\n" if doc.limits else "")
        + ("\n**References**\n\n" + "\n".join(f"- {ref}" for ref in doc.references) + "\n" if doc.references else "")
    )
    descriptor: dict[str, Any] = {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": doc.what},
        "fullDescription": {"text": doc.why},
        "help": {"text": help_text, "markdown": markdown},
        "defaultConfiguration": {"level": _LEVEL[rule.severity.value]},
        "properties": {"tags": [rule.cause, "gpu"], "cause": rule.cause},
    }
    if doc.causes:
        descriptor["properties"] = {"tags": [*doc.causes, "gpu"], "causes": list(doc.causes)}
    if doc.references:
        descriptor["helpUri"] = doc.references[0]
    return descriptor


def _uri(file: str) -> tuple[str, bool]:
    """A URI for a shown path: relative paths stay relative to the source root, absolute ones become file URIs."""
    if file.startswith("/"):
        return "file://" + quote(file), False
    return quote(file), True


def _result(finding: dict[str, Any], index: dict[str, int], suppression: str | None) -> dict[str, Any]:
    code = str(finding.get("id", ""))
    title = str(finding.get("title", ""))
    fix = str(finding.get("fix", ""))
    evidence = [str(e) for e in finding.get("evidence", [])]
    extra = finding.get("extra") if isinstance(finding.get("extra"), dict) else {}
    assert isinstance(extra, dict)
    text = title if title.endswith(".") else title + "."
    if fix:
        text += f" Fix: {fix}"
    result: dict[str, Any] = {
        "ruleId": code,
        "level": _LEVEL.get(str(finding.get("severity")), "warning"),
        "message": {"text": text},
        "properties": {
            "cause": finding.get("cause"),
            "confidence": finding.get("confidence"),
            "evidence": evidence,
        },
    }
    if code in index:
        result["ruleIndex"] = index[code]
    file = extra.get("file")
    if isinstance(file, str) and file:
        uri, relative = _uri(file)
        artifact: dict[str, Any] = {"uri": uri}
        if relative:
            artifact["uriBaseId"] = "%SRCROOT%"
        region: dict[str, Any] = {"startLine": max(int(extra.get("line", 1) or 1), 1)}
        column = extra.get("column")
        if isinstance(column, int) and column >= 1:
            region["startColumn"] = column
        result["locations"] = [{"physicalLocation": {"artifactLocation": artifact, "region": region}}]
        # Stable across edits that move the line: the rule, the file and the text of the line.
        anchor = evidence[0].split(": ", 1)[-1] if evidence else title
        digest = hashlib.sha256(f"{code}\0{file}\0{anchor}".encode()).hexdigest()[:32]
        result["partialFingerprints"] = {"whygpuFinding/v1": digest}
    if suppression is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": suppression}]
    return result
