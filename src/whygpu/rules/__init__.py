"""Rules: pure checks over a snapshot (or a parsed file) that produce findings."""
