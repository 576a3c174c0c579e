"""``whygpu lint``: placeholder until the lint capability lands (its helper replaces this module)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    sub.add_parser("lint", help="(lint: in progress)")


def run(args: argparse.Namespace) -> int:
    from whygpu.errors import UserError

    raise UserError("'whygpu lint' is not available in this build yet")
