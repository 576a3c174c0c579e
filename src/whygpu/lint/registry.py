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

# Codes of rules that were removed: never to be given to another rule.
REMOVED: dict[str, str] = {
    "DF000": "dockerfile-unparseable: a Dockerfile whygpu cannot read is listed under 'not checked', not a GPU cause",
    "DEP000": "dependency-file-unparseable: a dependency file or entry whygpu cannot read is listed under 'not checked'",
    "AML000": "azureml-yaml-invalid: an Azure ML file whygpu or azure-ai-ml cannot read is listed under 'not checked'",
    "PY000": "python-unparseable: a script or notebook cell whygpu cannot parse is listed under 'not checked'",
}
