"""Generates docs/rules.md from the rules' own documentation, so the docs cannot drift from the code."""

from __future__ import annotations

from whygpu.rules.catalogue import all_rules, removed_codes

_FAMILIES = (
    ("HW", "Hardware"), ("DRV", "Driver"), ("CTR", "Containers"), ("CUDA", "CUDA libraries"), ("DNN", "cuDNN"),
    ("FW", "Framework builds"), ("ENV", "Environment variables"), ("BUSY", "GPU in use"), ("FAULT", "GPU faults"),
    ("DEEP", "Deep probe (--deep)"), ("TGT", "Preflight (--target)"), ("DF", "lint: Dockerfiles"), ("DEP", "lint: conda, requirements, pyproject"),
    ("AML", "lint: Azure ML YAML"), ("PY", "lint: Python and notebooks"), ("LOG", "Logs (explain)"),
    ("FLEET", "Fleets (fleet)"), ("MON", "Running jobs (monitor)"),
)


def _family(code: str) -> str:
    prefix = code.split("-", 1)[0].rstrip("0123456789")
    return next((name for p, name in _FAMILIES if p == prefix), "Other")


def render_rules_markdown() -> str:
    """Every registered rule, grouped by family, in the fixed documentation shape."""
    out = [
        "# whygpu rules",
        "",
        "Generated from the rules' own documentation by `python -m whygpu.rules.docgen`; do not edit by hand.",
        "`whygpu rule CODE` prints the same text.",
        "",
    ]
    current = None
    for rule in all_rules():
        family = _family(rule.code)
        if family != current:
            out += [f"## {family}", ""]
            current = family
        doc = rule.doc
        cause = f"Cause `{rule.cause}`" if not doc.causes else "Cause decided by each line: " + ", ".join(f"`{c}`" for c in doc.causes)
        out += [f"### {rule.code} `{rule.slug}`", "", f"{cause}, severity {rule.severity.value}.", ""]
        out += [f"**What it checks.** {doc.what}", "", f"**Why it matters.** {doc.why}", ""]
        out += ["**Example.**", "", "```", *doc.example.splitlines(), "```", ""]
        out += ["**Fix.**", "", "```", *doc.fix.splitlines(), "```", ""]
        if doc.limits:
            out += [f"**Known limits.** {doc.limits}", ""]
        if doc.references:
            out += ["**References.** " + ", ".join(f"<{ref}>" for ref in doc.references), ""]
    removed = removed_codes()
    if removed:
        out += ["## Removed codes", "", "Never given to another rule.", ""]
        out += [f"- **{code}** {why}" for code, why in removed.items()]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(render_rules_markdown())
