"""The container runtimes' and orchestrators' own words that a container was not given the GPU (session 22, acccont).

Each reader is tried on lines written from the class (the program's format string filled in other ways, other
layouts a reporter pastes or retypes) and on near misses that must stay quiet: a healthy run, prose about the
mechanism, another library's "file too short".
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- Docker's "could not select device driver %q with capabilities: %v" in every form it is printed or retyped ------


@pytest.mark.parametrize("line", [
    # the CLI's own line, other drivers and capability lists the format string prints
    'docker: Error response from daemon: could not select device driver "" with capabilities: [[gpu]].\n',
    'Error response from daemon: could not select device driver "nvidia" with capabilities: [[gpu compute utility]]\n',
    'failed to start service: could not select device driver "cdi" with capabilities: [[gpu] [nvidia]]\n',
    # an API client that named no capability, behind its own prefix
    'Job exited: Error: could not select device driver "" with capabilities: []\n',
    # retyped without the quoted driver, inside backticks in a sentence
    "Starting the stack fails with `could not select device driver with capabilities: [[gpu]]` every time.\n",
    # the line a terminal wrapped
    'docker: Error response from daemon: could not select device\ndriver "" with capabilities: [[gpu]].\n',
    # cut after the core
    "compose up -> Error response from daemon: could not select device driver\n",
])
def test_the_daemons_device_driver_message_in_any_form_means_no_gpu_runtime(line: str) -> None:
    assert _codes(line)[:1] == ["CONTAINER_NO_GPU"], line


@pytest.mark.parametrize("text", [
    "The daemon selects a device driver from the capabilities the request names.\n",
    "$ docker run --rm --gpus all nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi -L\nGPU 0: NVIDIA A10 (UUID: GPU-1234)\n",
    'could not select device "gpu0" for the job\n',
])
def test_near_misses_of_the_device_driver_message_stay_quiet(text: str) -> None:
    assert "CONTAINER_NO_GPU" not in _codes(text), text


# --- the NVIDIA device plugin's "could not load NVML library" -------------------------------------------------------


@pytest.mark.parametrize("line", [
    "2021/03/02 10:11:12 Failed to initialize NVML: could not load NVML library.\n",
    "nvidia-device-plugin-daemonset-x7k2p: failed to start nvml with error:  could not load NVML library\n",
    "E0302 gpu-feature-discovery: could not load NVML library\n",
])
def test_the_device_plugin_without_nvml_means_the_node_runtime_does_not_pass_the_driver(line: str) -> None:
    got = _codes(line)
    assert got[:1] == ["CONTAINER_NO_GPU"] and "DRIVER_MISSING" in got, line


def test_nvml_loaded_by_the_device_plugin_is_quiet() -> None:
    healthy = ("2021/03/02 10:11:12 Loading NVML\n2021/03/02 10:11:12 Starting FS watcher.\n"
               "2021/03/02 10:11:12 Registered device plugin for 'nvidia.com/gpu' with Kubelet\n")
    assert "LOG-CTR-K8S-NVML-NOT-LOADED" not in _ids(healthy)
    assert "LOG-CTR-K8S-NVML-NOT-LOADED" not in _ids("The plugin could load the NVML library after the runtime change.\n")


# --- an empty libcuda.so.1: the runtime's mount point, left empty ---------------------------------------------------


@pytest.mark.parametrize("line", [
    "ImportError: /usr/lib/x86_64-linux-gnu/libcuda.so.1: file too short\n",
    "./server: error while loading shared libraries: libcuda.so.1: file too short\n",
    "OSError: /usr/lib64/libcuda.so.1: file too short\n",
])
def test_an_empty_libcuda_means_the_container_was_started_without_the_gpu(line: str) -> None:
    assert _codes(line)[:1] == ["CONTAINER_NO_GPU"], line


def test_another_library_too_short_is_not_the_drivers_placeholder() -> None:
    for line in ("/app/server: error while loading shared libraries: /lib/x86_64-linux-gnu/libcurl.so.4: file too short\n",
                 "ImportError: /opt/venv/lib/libcudnn.so.9: file too short\n"):
        assert "LOG-CTR-EMPTY-LIBCUDA" not in _ids(line), line
