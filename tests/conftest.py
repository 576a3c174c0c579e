"""Suite-wide set-up: point the real-environment tests at the venvs that .ci/build-venvs builds.

The README's test command builds them in ``.venvs/`` (or ``$WHYGPU_VENV_DIR``); the realenv tests
read ``WHYGPU_TEST_TF_VENV`` / ``WHYGPU_TEST_TORCH_VENV``, set here when not set already.
"""

from __future__ import annotations

import os
from pathlib import Path

_VENVS = Path(os.environ.get("WHYGPU_VENV_DIR", Path(__file__).resolve().parents[1] / ".venvs"))
for _var, _name in (("WHYGPU_TEST_TF_VENV", "tf221"), ("WHYGPU_TEST_TORCH_VENV", "torchcpu")):
    if _var not in os.environ and (_VENVS / _name / "bin" / "python").exists():
        os.environ[_var] = str(_VENVS / _name)
