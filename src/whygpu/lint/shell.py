"""Splitting shell command lines (Dockerfile RUN, notebook ``!`` lines) into simple commands, with shlex."""

from __future__ import annotations

import shlex

_SHELL_SPLIT = {"&&", "||", ";", "|", "&", "\n"}


def split_commands(text: str) -> list[list[str]]:
    """Split a shell command line into simple commands (at ``&&``, ``||``, ``;``, ``|``), each as words."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    try:
        tokens = list(lexer)
    except ValueError:
        tokens = text.split()
    commands: list[list[str]] = [[]]
    for token in tokens:
        if token in _SHELL_SPLIT or token in ("(", ")", "{", "}"):
            commands.append([])
        else:
            commands[-1].append(token)
    return [c for c in commands if c]
