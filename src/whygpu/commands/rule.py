"""``whygpu rule CODE``: a rule's documentation (doctor, deep and lint rules), or what a cause code means."""

from __future__ import annotations

import argparse

# Not ``typing`` itself: ``whygpu --help`` imports every command module, and typing costs as much
# as argparse. mypy reads any ``TYPE_CHECKING`` name as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def register(sub: Any) -> None:
    """Add the ``rule`` sub-command."""
    parser = sub.add_parser(
        "rule",
        help="show a rule's documentation, or what a cause code means",
        description=(
            "Show what a rule checks, why it matters, an example and the fix (a rule code such as HW001, or its "
            "slug); or, for a cause code such as NO_GPU, what the cause means, the rules that report it and the "
            "usual fixes."
        ),
    )
    parser.add_argument("code", nargs="?", help="rule code (e.g. HW001), slug, or cause code (e.g. NO_GPU); omit to list every rule")
    from whygpu.commands.common import add_color_option

    add_color_option(parser)


def _styled(text: str, color: bool) -> str:
    """The documentation with its first line (the code) and its section headings in the report's styles."""
    if not color:
        return text
    import io

    from rich.console import Console
    from rich.markup import escape

    from whygpu.render.text import THEME

    buffer = io.StringIO()
    console = Console(file=buffer, theme=THEME, force_terminal=True, color_system="standard", highlight=False,
                      emoji=False, soft_wrap=True)
    for number, line in enumerate(text.rstrip("\n").splitlines()):
        if number == 0:
            console.print(f"[cause.code]{escape(line)}[/]")
        elif line.endswith(":") and not line.startswith(" "):
            console.print(f"[detail.key]{escape(line)}[/]")
        else:
            console.print(escape(line))
    return buffer.getvalue()


def describe_cause(code: str) -> str:
    """A cause code's meaning, every rule and log signature that reports it (by code), and the usual fixes."""
    from whygpu.explain.catalogue import catalogue
    from whygpu.knowledge.causes import cause_advice, cause_meaning
    from whygpu.rules.catalogue import all_rules

    rules = [r for r in all_rules() if r.cause == code]
    signatures = [s for s in catalogue().signatures if s.cause == code and s.kind == "failure"]
    possible = [s for s in catalogue().signatures if code in s.also and s.cause != code]
    lines = [f"{code}", f"  {cause_meaning(code)}", "", "Reported by these rules (whygpu rule CODE for each):"]
    if rules:
        width = max(8, *(len(r.code) for r in rules))
        lines += [f"  {r.code:{width}} {r.slug:45} {r.severity.value}" for r in rules]
    else:
        lines.append("  (no doctor, deep or lint rule reports it)")
    if signatures or possible:
        lines += ["", "Log lines that 'whygpu explain' reads as this cause:"]
        lines += [f"  {s.id:28} {s.title}" for s in signatures]
        lines += [f"  {s.id:28} {s.title} (possible)" for s in possible]
    fixes: list[str] = []
    hint = cause_advice(code)
    if hint:
        fixes.append(hint)
    for rule in rules:
        if rule.severity.value == "info":
            continue
        first = rule.doc.fix.strip().splitlines()[0] if rule.doc.fix.strip() else ""
        # A rule's fix documentation opens with a sentence or with an example file; only sentences read as fixes.
        if first[:1].isupper() and first.endswith(".") and "the cause it" not in first and first not in fixes:
            fixes.append(first)
    if fixes:
        lines += ["", "Usual fixes (whygpu prints the exact one for the versions it finds):"]
        lines += [f"  - {fix}" for fix in fixes[:6]]
    return "\n".join(lines) + "\n"


def _closest(wanted: str) -> list[str]:
    """The known rule codes, slugs and cause codes nearest to ``wanted``."""
    import difflib

    from whygpu.knowledge.causes import cause_codes
    from whygpu.rules.catalogue import all_rules

    names = {c: c for c in cause_codes()}
    for rule in all_rules():
        names[rule.code] = rule.code
        names[rule.slug] = rule.slug
    by_key = {name.lower(): name for name in names}
    found = difflib.get_close_matches(wanted.lower(), list(by_key), n=3, cutoff=0.6)
    return [by_key[f] for f in found]


def run(args: argparse.Namespace) -> int:
    """Print the rule list, a rule's documentation, or a cause's description."""
    from whygpu.commands.common import emit, use_color
    from whygpu.errors import UserError
    from whygpu.knowledge.causes import is_cause_code
    from whygpu.rules.catalogue import all_rules, describe, find_rule

    if not args.code:
        rules = all_rules()
        width = max(8, *(len(r.code) for r in rules))
        emit("\n".join(f"{r.code:{width}} {r.slug:45} {r.cause}" for r in rules))
        return 0
    found = find_rule(args.code)
    if found is not None:
        emit(_styled(describe(found), use_color(args)))
        return 0
    if is_cause_code(args.code.strip().upper()):
        emit(_styled(describe_cause(args.code.strip().upper()), use_color(args)))
        return 0
    from whygpu.rules.catalogue import removed_codes

    retired = removed_codes().get(args.code.strip().upper())
    if retired is not None:
        emit(f"{args.code.strip().upper()} was removed: {retired}")
        return 0
    near = _closest(args.code.strip())
    hint = f"; did you mean {' or '.join(near)}?" if near else " (run 'whygpu rule' to list rules; cause codes are in docs/causes.md)"
    raise UserError(f"no rule or cause code {args.code!r}{hint}")
