"""Every alternative a log rule gives is a warning of low confidence that blocks nothing (judge.alternative_hit).

Session 38's review found two alternatives built by hand with their rule's ERROR severity: LOG146's Intel GPU beside
NO_GPU and LOG145's Linux driver inside WSL2 beside CUDA_LIBS_NOT_ON_PATH. Both now go through the one builder.
"""

from __future__ import annotations

from tests.log_text import report

from whygpu.model import Confidence, Severity

# https://github.com/pytorch/pytorch/issues/39028
INTEL_ONLY = (
    "I am not using NVIDIA GPU , but i have Intel HD graphics 4000.\n"
    "  File \"C:\\2dtodepth\\prog\\models\\pix2pix_model.py\", line 114, in init\n"
    "    new_model.cuda(), device_ids=range(torch.cuda.device_count()))\n"
    "AssertionError: Torch not compiled with CUDA enabled\n"
)

# https://github.com/NVIDIA/cuml/issues/6218
WSL2_NO_DEVICE = (
    "[BUG] Cannot find GPU in WSL2\n"
    "  File \"/mnt/c/Users/Hongb/Documents/Git/hm-cuml/.venv/lib/python3.12/site-packages/numba_cuda/numba/cuda/cudadrv/driver.py\", "
    "line 258, in ensure_initialized\n"
    "numba.cuda.cudadrv.error.CudaSupportError: Error at driver init: Call to cuInit results in CUDA_ERROR_NO_DEVICE (100)\n"
)


def _alternatives(text: str, rule: str) -> list:
    return [f for f in report(text).findings if f.id == rule and f.alternative_to]


def test_intel_gpu_alternative_is_a_warning_beside_no_gpu() -> None:
    alts = _alternatives(INTEL_ONLY, "LOG146")
    assert [a.cause for a in alts] == ["GPU_NOT_SUPPORTED"]
    assert alts[0].severity is Severity.WARNING and alts[0].confidence is Confidence.LOW
    assert alts[0].alternative_to == "NO_GPU" and not alts[0].blocks_gpu
    assert alts[0].title.startswith("Possible instead: an Intel GPU")


def test_wsl2_linux_driver_alternative_is_a_warning() -> None:
    alts = _alternatives(WSL2_NO_DEVICE, "LOG145")
    assert [a.cause for a in alts] == ["DRIVER_MISMATCH"]
    assert alts[0].severity is Severity.WARNING and alts[0].confidence is Confidence.LOW
    assert alts[0].alternative_to == "CUDA_LIBS_NOT_ON_PATH" and not alts[0].blocks_gpu


def test_no_alternative_where_the_rule_does_not_fire() -> None:
    # The same WSL2 line with nvidia-smi failing too: the driver is not reached and LOG145 steps aside.
    text = WSL2_NO_DEVICE + "$ nvidia-smi\nNVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"
    assert _alternatives(text, "LOG145") == []
    # Intel graphics beside an NVIDIA card the framework found: not the machine's only GPU.
    beside = "My laptop has Intel UHD Graphics 630 and an NVIDIA GeForce GTX 1650.\n>>> torch.cuda.is_available()\nTrue\n"
    assert _alternatives(beside, "LOG146") == []


def test_a_fact_rules_alternative_comes_before_a_generic_lines_beside_the_same_cause() -> None:
    # LOG146 (HIGH, read from the writer's words) and PyTorch's "Found no NVIDIA driver" line (MEDIUM) both lead with
    # NO_GPU; the surer rule's alternative (an Intel GPU) ranks before the generic line's (driver, container).
    r = report("I have Intel HD graphics 4000, no NVIDIA card\nRuntimeError: Found no NVIDIA driver on your system.\n")
    codes = [c.code for c in r.causes]
    assert codes[:2] == ["NO_GPU", "GPU_NOT_SUPPORTED"]
    # Without the writer's Intel graphics the generic line's own alternatives keep their order.
    plain = [c.code for c in report("RuntimeError: Found no NVIDIA driver on your system.\n").causes]
    assert plain == ["NO_GPU", "DRIVER_MISSING", "CONTAINER_NO_GPU"]
    assert codes[2:4] == ["DRIVER_MISSING", "CONTAINER_NO_GPU"]
