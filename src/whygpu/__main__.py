"""Lets ``python -m whygpu`` run the command-line tool."""

from whygpu.cli import entry

entry()
