"""``whygpu explain``: placeholder until the explain capability lands (its helper replaces this module)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    sub.add_parser("explain", help="(explain: in progress)")


def run(args: argparse.Namespace) -> int:
    from whygpu.errors import UserError

    raise UserError("'whygpu explain' is not available in this build yet")
