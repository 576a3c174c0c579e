"""Suite-wide set-up: no test may reach the real metadata service, and the realenv tests find their venvs.

Any machine or child process built from this process's environment sends IMDS requests to a
closed loopback port unless a test points ``WHYGPU_IMDS_URL`` at its own fake server on 127.0.0.1.
The README's test command builds the venvs in ``.venvs/`` (or ``$WHYGPU_VENV_DIR``); the realenv
tests read ``WHYGPU_TEST_TF_VENV`` / ``WHYGPU_TEST_TORCH_VENV``, set here when not set already.
"""

from __future__ import annotations

import os
from pathlib import Path

CLOSED_LOOPBACK_IMDS = "http://127.0.0.1:9"
os.environ["WHYGPU_IMDS_URL"] = CLOSED_LOOPBACK_IMDS

# A machine a test builds with its own environment (without WHYGPU_IMDS_URL) falls back to the
# module's default: in this process that default is the closed loopback port too, never the real
# link-local address.
import whygpu.collect.interface as _interface  # noqa: E402

_interface.DEFAULT_IMDS_URL = CLOSED_LOOPBACK_IMDS

_VENVS = Path(os.environ.get("WHYGPU_VENV_DIR", Path(__file__).resolve().parents[1] / ".venvs"))
for _var, _name in (("WHYGPU_TEST_TF_VENV", "tf221"), ("WHYGPU_TEST_TORCH_VENV", "torchcpu")):
    if _var not in os.environ and (_VENVS / _name / "bin" / "python").exists():
        os.environ[_var] = str(_VENVS / _name)
