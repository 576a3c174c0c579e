"""Prints docs/message-inventory.md's table: each GPU message of bench/message_inventory.tsv run through ``whygpu explain``.

Usage (from the repository root, with ``PYTHONPATH=$PWD/src``)::

    python3 bench/message_inventory.py            # prints the table
    python3 bench/message_inventory.py --write    # writes it over the table in docs/message-inventory.md

``tests/explain/test_message_inventory_doc.py`` checks that the doc's table is what this prints.

Each row of the TSV is: the program that prints the message, its source file and versions, and one
real form of the message. The last column is what ``explain`` reads from that line alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

from whygpu.explain import explain_text, to_report

TSV = Path(__file__).with_name("message_inventory.tsv")
DOC = Path(__file__).resolve().parents[1] / "docs" / "message-inventory.md"
HEADER = "| from | printed by (source, versions) | message (one real form) | what `whygpu explain` does |"


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


def table() -> str:
    """The whole table: its header, then one row per message of the TSV."""
    lines = [HEADER, "|---|---|---|---|"]
    for raw in TSV.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            who, where, line = raw.split("\t", 2)
            lines.append(row(who, where, line))
    return "\n".join(lines) + "\n"


def doc_table(text: str) -> tuple[int, int]:
    """Where the table stands in the doc's text: from its header line to the blank line after it."""
    start = text.index(HEADER)
    end = text.find("\n\n", start)
    return start, (len(text) if end == -1 else end + 1)


def main(argv: list[str]) -> int:
    """Print the table, or with ``--write`` put it in place in docs/message-inventory.md."""
    if argv[1:] == ["--write"]:
        text = DOC.read_text(encoding="utf-8")
        start, end = doc_table(text)
        DOC.write_text(text[:start] + table() + text[end:], encoding="utf-8")
        return 0
    sys.stdout.write(table())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
