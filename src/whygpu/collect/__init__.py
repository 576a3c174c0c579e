"""Collectors: the only code (with the CLI) that reads the machine; each fills one part of the snapshot."""
