"""An alternative earns its place: not listed where a fact of the log rules it out, and said with what would show it (session 20, accrank3)."""

from __future__ import annotations

import pytest

from log_text import codes, report
from whygpu.knowledge.causes import cause_check, cause_codes

# The CUDA runtime's "driver too old" answer, as two programs print it: its line leaves the driver missing and a
# container without the GPU open too.
INSUFFICIENT = [
    "RuntimeError: CUDA error: CUDA driver version is insufficient for CUDA runtime version\n",
    "F0101 10:00:00.000 device.cc:42] Check failed: e == cudaSuccess (35 vs. 0) CUDA driver version is insufficient for CUDA runtime version\n",
]
SMI = "| NVIDIA-SMI 418.87.01    Driver Version: 418.87.01    CUDA Version: 10.1     |\n"


@pytest.mark.parametrize("line", INSUFFICIENT)
def test_an_alternative_the_log_rules_out_is_not_listed(line: str) -> None:
    # Alone, the line leaves a missing driver open.
    assert "DRIVER_MISSING" in codes(line)
    # nvidia-smi answering with its driver shows the driver is installed and loaded (knowledge/ruleouts.toml).
    assert "DRIVER_MISSING" not in codes(SMI + line)
    assert codes(SMI + line)[0] == "DRIVER_TOO_OLD"


def test_a_fact_that_only_names_the_driver_in_prose_rules_nothing_out() -> None:
    # The user's words naming a version are not the driver answering (no nvidia-smi header): the alternative stays.
    assert "DRIVER_MISSING" in codes("I think my driver is 418.87 but not sure.\n" + INSUFFICIENT[0])


@pytest.mark.parametrize("line", INSUFFICIENT)
def test_each_alternative_says_what_would_show_it(line: str) -> None:
    causes = report(line).causes
    assert len(causes) > 1
    for cause in causes[1:]:
        assert cause.title.startswith("Possible instead: ")
        assert "What would show it instead: " + cause_check(cause.code) in cause.fix
    # The cause given first is not an alternative and carries no such line.
    assert "What would show it instead" not in causes[0].fix


def test_every_cause_has_a_check_that_names_a_command_or_what_to_look_for() -> None:
    for code in cause_codes():
        check = cause_check(code)
        assert check and check[-1] == "." and ("`" in check or "script" in check), code
