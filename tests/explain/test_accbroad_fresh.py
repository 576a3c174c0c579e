"""Session 37, branch accbroad: readings mended from a fresh batch of real threads whygpu had not seen.

The container runtime's driver service failing ("driver (rpc) error: failed to process request") is ranked, not decided:
public threads settle it as a missing driver library, a driver the toolkit needed newer, or persistence mode
(LOG-CTR-CLI-DRIVER-RPC); the runtime's own "driver not loaded" stays the decided DRIVER_MISSING (LOG-CTR-CLI-DRIVER).

Real lines carry their public source beside them.
"""

from __future__ import annotations

from log_text import codes, report
from whygpu.explain import explain_text
from whygpu.model import Confidence


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- the container runtime's driver service ---------------------------------------------------------------------------

# https://github.com/OE4T/meta-tegra/pull/1456 (the driver's libcuda.so.1 not loadable on a Jetson image)
RPC_TEGRA = "root@jetson-agx-xavier-devkit:~# nvidia-container-cli -d log info\nnvidia-container-cli: initialization error: driver error: failed to process request\n"
# https://github.com/NVIDIA/nvidia-container-toolkit/issues/556 (the maintainer: usually persistence mode not enabled)
RPC_PERSIST = "nvidia-container-cli: initialization error: driver rpc error: failed to process request: unknown.\n"
# https://github.com/NVIDIA/nvidia-docker/issues/1252 (the OCI hook's wrapping of the same line)
RPC_HOOK = (
    'docker: Error response from daemon: OCI runtime create failed: container_linux.go:349: starting container process caused '
    '"process_linux.go:449: container init caused \\"process_linux.go:432: running prestart hook 1 caused \\\\\\"error running hook: '
    'exit status 1, stdout: , stderr: nvidia-container-cli: initialization error: driver error: failed to process request\\\\\\\\n\\\\\\"\\"": unknown.\n'
)
# https://github.com/HonuRobotics/dockwater/pull/10 (the runtime names the state: the driver is not loaded)
NOT_LOADED = "stderr: nvidia-container-cli: initialization error: nvml error: driver not loaded: unknown\n"


def test_driver_service_failure_is_ranked_with_what_would_decide() -> None:
    for text in (RPC_TEGRA, RPC_PERSIST, RPC_HOOK):
        assert "LOG-CTR-CLI-DRIVER-RPC" in _ids(text), text
        assert "LOG-CTR-CLI-DRIVER" not in _ids(text), text
        ranked = codes(text)
        assert ranked[0] == "DRIVER_MISSING", text
        assert "DRIVER_TOO_OLD" in ranked[:3], text  # nvidia-docker #1137 was fixed by a newer driver
        first = report(text).causes[0]
        assert first.confidence is Confidence.MEDIUM, text  # not decided: the line does not say which step failed
        assert "nvidia-container-cli -k -d /dev/tty info" in first.fix, text
        assert "persistence mode" in first.fix, text


def test_the_runtime_naming_the_state_stays_decided() -> None:
    ids = _ids(NOT_LOADED)
    assert "LOG-CTR-CLI-DRIVER" in ids and "LOG-CTR-CLI-DRIVER-RPC" not in ids
    first = report(NOT_LOADED).causes[0]
    assert first.code == "DRIVER_MISSING" and first.confidence is Confidence.HIGH


def test_driver_service_words_without_the_runtime_stay_quiet() -> None:
    for text in (
        "Our RPC server failed to process request 42 from the driver thread.\n",  # another program's words
        "Why would nvidia-container-cli fail with driver rpc errors after an upgrade?\n",  # a question, no runtime line
    ):
        assert "LOG-CTR-CLI-DRIVER-RPC" not in _ids(text), text


# --- a framework's own reason for registering no GPU ---------------------------------------------------------------------

# https://github.com/tensorflow/tensorflow/issues/88348 shape: TensorFlow's official container (CUDA 12.3 for a TF that wants
# 12.5+). TensorFlow prints "Cannot dlopen some GPU libraries" only after the driver listed a GPU
# (tensorflow/core/common_runtime/gpu/gpu_device.cc: the device loop, then MaybeTryDlopenGPULibraries), so a container not
# given the GPU, no GPU or no driver is not what this log says, whatever a container's row ranks first.
TF_CONTAINER_DLOPEN = (
    "Can you please update official Tensorflow Docker containers starting version 2.18.0?\n"
    "W0000 00:00:1740763678.575642 2218885 gpu_device.cc:2340] Cannot dlopen some GPU libraries. Please make sure the missing "
    "libraries mentioned above are installed properly if you would like to use GPU. Follow the guide at "
    "https://www.tensorflow.org/install/gpu for how to download and setup the required libraries for your platform.\n"
    "Skipping registering GPU devices...\n"
    "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]\n"
)
# The same answer with no reason line: the container's row ranks (the prior stays).
TF_CONTAINER_SILENT = (
    "Can you please update official Tensorflow Docker containers starting version 2.18.0?\n"
    ">>> tf.config.list_physical_devices()\n"
    "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]\n"
)


def test_the_frameworks_own_reason_line_sets_the_causes_ranked() -> None:
    ranked = codes(TF_CONTAINER_DLOPEN)
    assert ranked[0].startswith("CUDA_LIBS_"), ranked
    assert not {"CONTAINER_NO_GPU", "NO_GPU", "DRIVER_MISSING"} & set(ranked[:3]), ranked
    first = report(TF_CONTAINER_DLOPEN).causes[0]
    assert "no line says why" not in first.title
    assert "some CUDA libraries did not load" in first.title
    assert "TF_CPP_MAX_VLOG_LEVEL=1" in first.fix and "--gpus all" not in first.fix


def test_without_the_reason_line_the_platform_row_still_ranks() -> None:
    ranked = codes(TF_CONTAINER_SILENT)
    assert ranked[0] == "CONTAINER_NO_GPU", ranked
    assert "no line says why" in report(TF_CONTAINER_SILENT).causes[0].title


# --- a driver named as a program's need is not the machine's driver ----------------------------------------------------

# https://github.com/OCR-D/ocrd_all/pull/270 (the image needs driver 470; the writer's machines have 440 and 465)
OCRD_FLOOR = (
    "It seems that the choice `nvidia/cuda:11.3.1-cudnn8-runtime-ubuntu18.04` as base image now requires at least "
    "nvidia-driver-470 on the host system. I have 440 and 465 on systems available to me, neither of them can work the image.\n"
)


def test_a_driver_floor_is_not_read_as_the_machines_driver() -> None:
    from log_text import facts
    from whygpu.explain.platfacts import driver_branch_said

    assert "470" not in [s.value for s in facts(OCRD_FLOOR).driver_stated]
    for text in ("This image needs driver 525 or newer.", "driver 535+ is required for CUDA 12.2", "Minimum driver 450 needed."):
        assert driver_branch_said(text) == [], text


def test_the_machines_driver_said_plainly_is_still_read() -> None:
    from whygpu.explain.platfacts import driver_branch_said

    assert driver_branch_said("I am on driver 470 and it fails.") == ["470"]
    assert driver_branch_said("the daemonset installs driver 535") == ["535"]
    assert driver_branch_said("Minimum driver 450 needed; mine is driver 440.") == ["440"]
