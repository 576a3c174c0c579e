"""``whygpu rule CODE``: print a rule's documentation (doctor and lint rules alike)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser("rule", help="show a rule's documentation", description="Show what a rule checks, why it matters, an example and the fix.")
    parser.add_argument("code", nargs="?", help="rule code (e.g. HW001) or slug; omit to list every rule")


def run(args: argparse.Namespace) -> int:
    from whygpu.commands.common import emit
    from whygpu.errors import UserError
    from whygpu.rules.catalogue import all_rules, describe, find_rule

    if not args.code:
        emit("\n".join(f"{r.code:8} {r.slug:45} {r.cause}" for r in all_rules()))
        return 0
    found = find_rule(args.code)
    if found is None:
        from whygpu.rules.catalogue import removed_codes

        retired = removed_codes().get(args.code.strip().upper())
        if retired is not None:
            emit(f"{args.code.strip().upper()} was removed: {retired}")
            return 0
        raise UserError(f"no rule with code or slug {args.code!r} (run 'whygpu rule' to list them)")
    emit(describe(found))
    return 0
