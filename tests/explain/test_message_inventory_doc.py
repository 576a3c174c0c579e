"""docs/message-inventory.md's table is what bench/message_inventory.py prints today, so it cannot go stale."""

from __future__ import annotations

import os
from types import ModuleType

import bench_scripts


def _inventory() -> ModuleType:
    return bench_scripts.load("message_inventory")


def test_the_docs_table_is_what_explain_says_today() -> None:
    inventory = _inventory()
    if os.environ.get("WHYGPU_UPDATE_GOLDEN") == "1":
        inventory.main(["message_inventory.py", "--write"])
    text = inventory.DOC.read_text(encoding="utf-8")
    start, end = inventory.doc_table(text)
    assert text[start:end] == inventory.table(), "run: python3 bench/message_inventory.py --write"


def test_the_table_is_found_between_its_header_and_the_next_blank_line() -> None:
    inventory = _inventory()
    text = f"# t\n\nintro\n\n{inventory.HEADER}\n|---|\n| a | b |\n\n## next\n"
    start, end = inventory.doc_table(text)
    assert text[start:end] == f"{inventory.HEADER}\n|---|\n| a | b |\n"
    assert text[end:] == "\n## next\n"
