"""Which Python distribution a Windows log shows (accwin39, session 39): a path of the Microsoft Store's package
(``...\\WindowsApps\\PythonSoftwareFoundation.Python.3.11_...``, ``...\\Packages\\PythonSoftwareFoundation.Python.3.10_...``),
the embeddable package (ComfyUI portable's ``python_embeded``), or the writer naming it ("Python 3.10 (Microsoft Store)").
The patterns are knowledge/loader_search.toml [[python_distribution]]'s; what a distribution means for a DLL is decided by
``knowledge.loader_search.by_name_search_cause``.
"""

from __future__ import annotations

__all__ = ["HINT", "python_distribution"]

# Quick tests before the expressions (lower case).
HINT = ("pythonsoftwarefoundation", "store", "python_embe", "-embed-", "embeddable")


def python_distribution(text: str) -> str | None:
    """The id of the Python distribution a line shows by a path or names in words, or None."""
    from whygpu.knowledge.loader_search import python_distributions

    for row in python_distributions():
        if row.path.search(text) or row.words.search(text):
            return row.id
    return None
