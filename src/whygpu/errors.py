"""Exit codes and the one exception type that carries a user's mistake to the CLI."""

from __future__ import annotations

import enum

ISSUES_URL = "https://github.com/whygpu/whygpu/issues"


class ExitCode(enum.IntEnum):
    """The exit codes of the interface contract (PRODUCT.md)."""

    OK = 0
    PROBLEM_FOUND = 1
    BAD_INPUT = 2
    INTERNAL_ERROR = 3


class UserError(Exception):
    """Bad usage or unreadable input: the CLI prints the message as one line and exits 2."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)
