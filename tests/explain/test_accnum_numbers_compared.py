"""Two numbers a line compares, with no error word (accnum, session 31; explain/errorwords.compared, LOG435).

A program that checks the machine prints its need of one subject (the driver, CUDA, cuDNN, the GPU's compute capability)
beside the value it found. The numbers decide: the reading fires only where the machine's value is below the need, in
either order, on one line or two adjacent lines; the subject names the cause. Every line here is composed from the
formats programs print (docs/explain-accuracy.md, session 31), with made-up program names: none is a corpus line or a
user's paste. Quiet: a need that is met, a question, advice or a plan, a package tool's line, numbers of two subjects,
a vendor's driver that is not NVIDIA's.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from log_text import report as _report
from whygpu.explain import errorwords

# (line, subject the comparison is of, the need, the machine's value)
BELOW = (
    ("Required: driver version >= 575 (CUDA >= 12.9) Detected: 550.127.05 (CUDA 12.4)", "driver", "575", "550.127.05"),
    ("gridsim needs a minimum driver version of 560 and CUDA version 12.6. Your driver version is 535.104.05", "driver", "560", "535.104.05"),
    ("Detected NVIDIA display driver 531.18. The required driver version is 536.40 or later.", "driver", "536.40", "531.18"),
    ("gridsim requires a minimum driver version of 560 and CUDA 12.6. The driver version gridsim detected is: 12.2", "driver", "560", "12.2"),
    ("fp8 kernels are only supported on GPUs with compute capability of at least 8.9. Your NVIDIA A10G GPU has compute capability 8.6.", "gpu", "8.9", "8.6"),
    ("GPU compute capability 6.1 is below the minimum required 7.0; falling back to CPU", "gpu", "7.0", "6.1"),
    ("The compute capability of device 1 is '5.0' which is lesser than the minimum supported of '6.0'", "gpu", "6.0", "5.0"),
    ("meshkit supports devices of CUDA capability >= 7.5 only, but your device is of CUDA capability 7.0", "gpu", "7.5", "7.0"),
    ("minimum required CUDA 12.1, found 11.8", "cuda", "12.1", "11.8"),
    ("Found unsuitable CUDA version \"11.4\", but required is at least \"11.8\"", "cuda", "11.8", "11.4"),
    ("expected cuDNN >= 8.9 but got 8.6", "cudnn", "8.9", "8.6.0"),
)


@pytest.mark.parametrize(("line", "subject", "wanted", "found"), BELOW)
def test_the_numbers_put_the_machine_below_the_need(line: str, subject: str, wanted: str, found: str) -> None:
    both = errorwords.compared(line)
    assert both is not None and not both.met, line
    assert both.subject == subject
    assert both.wanted == wanted
    assert both.found.startswith(found.rstrip(".0")) or both.found == found


def test_a_driver_floor_against_the_cuda_the_driver_runs_is_the_drivers() -> None:
    # Driver 560 runs CUDA 12.6 (knowledge/cuda.toml); the machine's driver runs 12.2: below, and the driver's.
    both = errorwords.compared("toolx requires a minimum NVIDIA driver version of 560. The driver version toolx detected is: 12.2")
    assert both is not None and not both.met and both.noun == "driver"
    # Driver 560 against a driver that runs CUDA 12.8: met.
    met = errorwords.compared("toolx requires a minimum NVIDIA driver version of 560. The driver version toolx detected is: 12.8")
    assert met is not None and met.met


MET = (
    "RuntimeError: corekit only support CUDA 10.0 or higher, but got CUDA version: 12.8",
    "Required: driver version >= 550 (CUDA >= 12.4) Detected: 560.35.03 (CUDA 12.6)",
    "fp8 kernels are only supported on GPUs with compute capability of at least 8.9. Your NVIDIA H100 GPU has compute capability 9.0.",
    "minimum required CUDA 11.8, found 12.1",
    "expected cuDNN 8.9 but got 8.9",
)


@pytest.mark.parametrize("line", MET)
def test_a_need_that_is_met_is_no_error(line: str) -> None:
    both = errorwords.compared(line)
    assert both is not None and both.met, line
    assert errorwords.comparisons([line]) == []


def test_the_numbers_overrule_a_too_old_reading_of_the_same_line() -> None:
    # The words say "only ... or higher"; the numbers say the need is met: neither the words reader nor LOG435 speaks.
    line = "RuntimeError: corekit only support CUDA 10.0 or higher, but got CUDA version: 12.8"
    assert errorwords.readings([line]) == []
    assert _codes(line + "\n") == []
    # The same words with a CUDA below the floor are still read.
    assert errorwords.readings(["RuntimeError: corekit only support CUDA 12.0 or higher, but got CUDA version: 11.8"])


QUIET = (
    # a question, advice, a plan, a package tool's line
    "Does it require driver >= 535 if my driver is 470?",
    "If your driver is older than 525 you should install driver 535 or newer",
    "pip install 'nvidia-cudnn-cu12>=9.1' (currently 8.9.7)",
    "Requirement already satisfied: nvidia-cudnn-cu12>=8.9 in ./venv/lib/python3.11/site-packages (9.1.0.70)",
    # numbers of two subjects: a driver floor and a CUDA toolkit that is no driver version
    "gridsim requires a minimum driver version of 560; CUDA toolkit 12.4 found",
    # only the need, no value of the machine
    "Requires NVIDIA driver 535 or newer and a GPU with compute capability 7.0 or higher.",
    # another vendor's driver
    "- Current driver version (32.0.203.242) is not the required version 32.0.203.240",
    # a value that is no value of the subject
    "Insufficient NVIDIA driver version, Required 378.66, Installed 0.0",
)


@pytest.mark.parametrize("line", QUIET)
def test_quiet(line: str) -> None:
    both = errorwords.compared(line)
    assert both is None or both.met, line
    assert errorwords.comparisons([line]) == []


def test_two_adjacent_lines_the_subject_named_above() -> None:
    lines = ["Outdated cuDNN installation found.", "Minimum supported: 9100", "Installed version: 8907"]
    found = errorwords.comparisons(lines)
    assert len(found) == 1
    both = found[0][2]
    assert (both.subject, both.wanted, both.found, both.met) == ("cudnn", "9.1.0", "8.9.7", False)
    # The same two lines with the installed one newer: quiet.
    assert errorwords.comparisons(["Outdated cuDNN installation found.", "Minimum supported: 9100", "Installed version: 9300"]) == []


def test_log435_names_the_subjects_cause_and_stays_below_a_signature() -> None:
    report = _report("Starting gridsim 2.1\nRequired: driver version >= 575 (CUDA >= 12.9) Detected: 550.127.05 (CUDA 12.4)\n")
    assert [f.id for f in report.findings][:1] == ["LOG435"]
    assert _codes("Starting gridsim 2.1\nRequired: driver version >= 575 (CUDA >= 12.9) Detected: 550.127.05 (CUDA 12.4)\n")[:1] == ["DRIVER_TOO_OLD"]
    assert _codes("fp8 kernels are only supported on GPUs with compute capability of at least 8.9. Your NVIDIA A10G GPU has compute capability 8.6.\n")[:1] == ["GPU_NOT_SUPPORTED"]
    assert _codes("minimum required CUDA 12.1, found 11.8\n")[:1] == ["CUDA_LIBS_MISMATCH"]
    # A signature's reading of the log stands: the driver's own status code is read by the status table, not LOG435.
    log = ("Required: driver version >= 575 Detected: 550.127.05\n"
           "RuntimeError: CUDA driver version is insufficient for CUDA runtime version\n")
    assert "LOG435" not in [f.id for f in _report(log).findings]


def test_log435_is_quiet_where_the_gpu_is_in_use() -> None:
    log = ("fp8 kernels are only supported on GPUs with compute capability of at least 8.9. Your NVIDIA A10G GPU has compute capability 8.6.\n"
           "I tensorflow/core/common_runtime/gpu/gpu_device.cc:1635] Created device /job:localhost/replica:0/task:0/device:GPU:0 with "
           "21458 MB memory:  -> device: 0, name: NVIDIA A10G, pci bus id: 0000:00:1e.0, compute capability: 8.6\n")
    assert "LOG435" not in [f.id for f in _report(log).findings]


def test_the_drivers_ptx_compiler_names_the_driver() -> None:
    # The driver's JIT names its input "ptxas application ptx input": PTX newer than the driver reads -> the driver is old.
    jit = "ptxas application ptx input, line 9; fatal   : Unsupported .version 8.7; current version is '8.5'\n"
    assert _codes(jit)[:2] == ["DRIVER_TOO_OLD", "CUDA_LIBS_MISMATCH"]
    # A ptxas run on a file is the toolkit's: its reading stands (LOG-PTXAS-VERSION).
    tool = "ptxas /tmp/kern_0a1b.ptx, line 5; fatal   : Unsupported .version 8.7; current version is '8.5'\n"
    assert _codes(tool)[:1] == ["CUDA_LIBS_MISMATCH"]


SMI_HEADER = "| NVIDIA-SMI {v}                 Driver Version: {v}         CUDA Version: {c}     |\n"


def test_a_driver_floor_alone_is_completed_by_the_logs_driver() -> None:
    line = "[gridsim] Invalid NVIDIA driver version. Minimum is 536.40 / Please install the latest NVIDIA drivers!\n"
    assert errorwords.driver_floor(line.strip()) == "536.40"
    below = SMI_HEADER.format(v="531.18", c="12.1") + line
    report = _report(below)
    assert [f.id for f in report.findings][:1] == ["LOG435"]
    assert _codes(below)[:1] == ["DRIVER_TOO_OLD"]
    # The log's driver meets the floor: quiet; no driver in the log: quiet; two drivers: not sure, quiet.
    assert "LOG435" not in [f.id for f in _report(SMI_HEADER.format(v="545.29.06", c="12.3") + line).findings]
    assert "LOG435" not in [f.id for f in _report(line).findings]
    two = SMI_HEADER.format(v="531.18", c="12.1") + SMI_HEADER.format(v="545.29.06", c="12.3") + line
    assert "LOG435" not in [f.id for f in _report(two).findings]


def test_a_driver_floor_with_more_numbers_or_in_prose_is_not_alone() -> None:
    assert errorwords.driver_floor("Requires NVIDIA driver 535 or newer and CUDA 12.2") is None
    assert errorwords.driver_floor("I think it requires NVIDIA driver 535 or newer") is None
    assert errorwords.driver_floor("Does it require NVIDIA driver 535 or newer?") is None
