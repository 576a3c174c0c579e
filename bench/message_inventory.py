"""Prints docs/message-inventory.md's table: each GPU message of bench/message_inventory.tsv run through ``whygpu explain``.

Usage (from the repository root, with ``PYTHONPATH=$PWD/src``)::

    python3 bench/message_inventory.py > /tmp/table.md    # then paste it over the table in the doc

Each row of the TSV is: the program that prints the message, its source file and versions, and one
real form of the message. The last column is what ``explain`` reads from that line alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

from whygpu.explain import explain_text, to_report

TSV = Path(__file__).with_name("message_inventory.tsv")


def row(who: str, where: str, line: str) -> str:
    """One table row: the message and what ``explain`` does with it."""
    result = explain_text(line + "\n")
    report = to_report(result)
    ids = sorted({f.id for f in result.findings})
    codes = [c.code for c in report.causes][:3]
    if codes:
        what = f"{', '.join(ids)} -> {' > '.join(codes)}"
    elif result.gpu_used:
        what = f"{', '.join(ids) or 'positive'}: GPU in use"
    else:
        context = result.details.get("context") or []
        what = "read as context (" + ", ".join(context) + ")" if context else "not a cause (quiet)"
    message = line.replace("|", "\\|")
    if len(message) > 150:
        message = message[:147] + "..."
    return f"| {who} | {where} | `{message}` | {what} |"


def main() -> int:
    """Print the table."""
    print("| from | printed by (source, versions) | message (one real form) | what `whygpu explain` does |")
    print("|---|---|---|---|")
    for raw in TSV.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            who, where, line = raw.split("\t", 2)
            print(row(who, where, line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
