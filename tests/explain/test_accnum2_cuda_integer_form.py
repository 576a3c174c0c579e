"""CUDA's integer version form, and a driver's value in CUDA's form, where a program compares versions (accnum2, session 34).

``cudaDriverGetVersion``/``cudaRuntimeGetVersion`` give ``1000*major + 10*minor`` (11020 = 11.2), and programs print it raw
("CUDA driver version is 11020, expected at least 11040", Isaac Gym). "CUDA driver version" with a value in CUDA's form is
the CUDA release the driver supports, not a driver version like 470.82; a plain "is" before the first number is the
machine's value. Quiet: a need that is met, a driver release (470.82) against a CUDA floor it runs, numbers that are not
versions (ports, sizes, build numbers), an integer no CUDA release bears.
"""

from __future__ import annotations

import pytest

from log_text import first_cause
from whygpu.explain import errorwords
from whygpu.knowledge.cuda_versions import cuda_release_code


def test_the_integer_form_is_read_strictly() -> None:
    assert cuda_release_code("11020") == "11.2"
    assert cuda_release_code(12040) == "12.4"
    assert cuda_release_code("8000") == "8.0"
    # not CUDA's form: a last digit other than 0, too short, too old, an xFormers code, a date, a port
    for value in ("11021", "1201", "6050", "1100", "20240101", "80", "443"):
        assert cuda_release_code(value) is None, value


BELOW = (
    # Isaac Gym's warning (https://github.com/4DVLab/DexGrasp-Anything/issues/5)
    ("warning : CUDA driver version is 11020, expected at least 11040.", "11.4", "11.2"),
    ("CUDA driver version found: 11.2, required at least 11.4", "11.4", "11.2"),
    ("The CUDA driver version is 10020; the minimum required is 11000", "11.0", "10.2"),
    # NVIDIA Warp's format (https://github.com/NVIDIA/warp/issues/672), with a driver that reports a CUDA below the floor
    ("The minimum required CUDA driver version is 12.0, but the installed CUDA driver version is 11.4.", "12.0", "11.4"),
)


@pytest.mark.parametrize(("line", "wanted", "found"), BELOW)
def test_a_driver_cuda_below_the_floor_is_the_driver(line: str, wanted: str, found: str) -> None:
    both = errorwords.compared(line)
    assert both is not None and not both.met, line
    assert (both.subject, both.wanted, both.found, both.of_driver) == ("cuda", wanted, found, True)
    assert both.noun == "driver"


def test_the_isaac_gym_warning_is_an_old_driver_in_the_whole_report() -> None:
    assert first_cause("warning : CUDA driver version is 11020, expected at least 11040.\n") == "DRIVER_TOO_OLD"


def test_a_driver_release_against_a_cuda_floor_is_judged_by_the_driver_table() -> None:
    # 418.67 runs CUDA 10.1 at most: below an 11.4 floor; 470.82 runs 11.4: met, so quiet
    low = errorwords.compared("CUDA driver version is 418.67, required at least 11.4")
    assert low is not None and not low.met and low.noun == "driver"
    high = errorwords.compared("CUDA driver version is 470.82, required at least 11.4")
    assert high is not None and high.met
    assert first_cause("CUDA driver version is 470.82, required at least 11.4\n") is None


QUIET = (
    "warning : CUDA driver version is 12020, expected at least 11040.",  # met
    "CUDA driver version found: 12.4, required at least 11.8",  # met
    "listening port is 8080, required at least 8000",  # no subject of ours
    "CUDA build is 11021, expected at least 11041",  # not CUDA's integer form
    "CUDA memory pool is 16000, required at least 24000",  # no CUDA release bore 16.0 / 24.0
    "Minimum required CUDA version is 11.4",  # a need alone
    # Warp with no driver at all: cudaDriverGetVersion gives 0, no CUDA release (the missing driver is another reading's)
    "The minimum required CUDA driver version is 12.0, but the installed CUDA driver version is 0.0.",
)


@pytest.mark.parametrize("line", QUIET)
def test_quiet(line: str) -> None:
    both = errorwords.compared(line)
    assert both is None or both.met, line
    if "0.0." not in line:
        assert first_cause(line + "\n") is None, line


def test_is_after_a_need_word_is_not_the_machine() -> None:
    # "the minimum required version is 11.4": the "is" follows a need's word, so 11.4 is the need, not the machine's
    both = errorwords.compared("Installed CUDA version: 11.2; the minimum required version is 11.4")
    assert both is not None and (both.wanted, both.found) == ("11.4", "11.2")
    assert errorwords.compared("the minimum required CUDA version is 11.4 and 11.2 is supported") is None
