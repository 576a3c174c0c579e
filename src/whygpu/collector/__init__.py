"""The self-contained collector (one standard-library file) and the recipes that run it on every node of a fleet."""
