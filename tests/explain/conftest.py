"""Options for the explain tests: ``--update-golden`` (or WHYGPU_UPDATE_GOLDEN=1) rewrites the golden files."""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False, help="rewrite tests/explain/golden/*")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden")) or os.environ.get("WHYGPU_UPDATE_GOLDEN") == "1"
