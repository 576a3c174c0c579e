"""The explicit list of lint rules (a test checks unique codes, docs, and a firing and a clean example for each).

Codes are stable and never reused. DF: Dockerfile; DEP: conda, requirements and pyproject;
AML: Azure ML YAML; PY: Python scripts and notebooks. A removed rule's code goes in ``REMOVED``.
"""

from __future__ import annotations

from typing import Any

from whygpu.lint import rules_azureml, rules_deps, rules_dockerfile, rules_python
from whygpu.rules.interface import Rule

RULES: list[Rule[Any]] = [
    *rules_dockerfile.RULES,
    *rules_deps.RULES,
    *rules_azureml.RULES,
    *rules_python.RULES,
]

# Codes of rules that were removed: never to be given to another rule (the one list of every family).
from whygpu.rules.catalogue import REMOVED_CODES as REMOVED  # noqa: E402

__all__ = ["REMOVED", "RULES"]
