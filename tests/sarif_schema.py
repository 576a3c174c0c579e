"""The SARIF 2.1.0 schema subset every SARIF test validates against (lint, doctor, explain)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA: dict[str, Any] = json.loads((Path(__file__).parent / "sarif-2.1.0-subset.schema.json").read_text())


def validate_sarif(document: Any, *, formats: bool = True) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``document`` is a valid SARIF 2.1.0 log (URIs checked with ``formats``)."""
    checker = jsonschema.FormatChecker() if formats else None
    jsonschema.Draft7Validator(SCHEMA, format_checker=checker).validate(document)
