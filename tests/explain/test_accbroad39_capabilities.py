"""accbroad39 (session 39): a device request's capabilities that name a driver capability other than compute.

Docker joins the driver capabilities of a device request (``docker run --gpus``, compose's ``capabilities: [...]``) into
NVIDIA_DRIVER_CAPABILITIES and leaves ``gpu`` out of it (moby daemon/nvidia_linux.go): ``[gpu, utility]`` is utility
alone, nvidia-smi without libcuda; ``[gpu]`` alone leaves the image's own value (knowledge.driver_capabilities).
"""

from __future__ import annotations

from tests.log_text import facts, finding_codes, first_cause, report

from whygpu.knowledge.driver_capabilities import compute_given

# mudler/LocalAI#11973 (https://github.com/mudler/LocalAI/issues/11973): the compose example's capabilities, and what the
# container then lacked.
LOCALAI = """Docker Desktop 29.7.2 (Compose 5.5.1) on Windows 11, WSL2 kernel `6.18.33.2-microsoft-standard-WSL2`, x86_64. NVIDIA RTX 5070 Ti, driver 616.92.
    # deploy:
    #   resources:
    #     reservations:
    #       devices:
    #         - driver: nvidia
    #           count: 1
    #           capabilities: [gpu, utility]
With `capabilities: [gpu, utility]`, the container gets only the utility driver libraries. `docker inspect` shows `"Capabilities":[["gpu","utility"]]`, and `/usr/lib/x86_64-linux-gnu` contains `libnvidia-ml.so.1` and `libdxcore.so` but no `libcuda.so.1`. `nvidia-smi` works inside the container, so the setup looks fine, but every CUDA backend fails to start with `ImportError: libcuda.so.1: cannot open shared object file`.
"""

# A compose service with the same failure on Linux (the form of docker/compose#8569's first example).
COMPOSE = """services:
  test:
    image: nvidia/cuda:12.2.0-base-ubuntu22.04
    deploy:
      resources:
        reservations:
          devices:
          - driver: nvidia
            count: 1
            capabilities: [gpu, utility]
test_1  | ImportError: libcuda.so.1: cannot open shared object file: No such file or directory
"""


def test_the_decision_reads_gpu_as_no_driver_capability() -> None:
    assert compute_given({"gpu", "utility"}) is False
    assert compute_given({"utility"}) is False
    assert compute_given({"gpu", "video"}) is False
    assert compute_given({"gpu"}) is None  # the image's own NVIDIA_DRIVER_CAPABILITIES holds
    assert compute_given({"gpu", "compute", "utility"}) is True
    assert compute_given({"all"}) is True
    assert compute_given({"gpu", "something"}) is None  # not a capability list


def test_gpu_beside_utility_is_read_as_leaving_out_compute() -> None:
    assert facts(COMPOSE).capabilities_without_compute
    assert facts(LOCALAI).capabilities_without_compute


def test_libcuda_missing_in_a_container_given_only_utility_is_the_container() -> None:
    assert first_cause(LOCALAI) == "CONTAINER_NO_GPU"
    assert first_cause(COMPOSE) == "CONTAINER_NO_GPU"
    assert "LOG103" in finding_codes(COMPOSE)


def test_gpu_alone_leaves_the_image_value_and_is_not_read() -> None:
    alone = COMPOSE.replace("[gpu, utility]", "[gpu]")
    assert not facts(alone).capabilities_without_compute
    with_compute = COMPOSE.replace("[gpu, utility]", "[gpu, compute, utility]")
    assert not facts(with_compute).capabilities_without_compute


def test_a_container_given_compute_is_not_said_to_lack_it() -> None:
    # The device request gives compute: no finding says the container lacks the compute capability.
    with_compute = COMPOSE.replace("[gpu, utility]", "[gpu, compute, utility]")
    titles = [f.title for f in report(with_compute).findings]
    assert not any("without the compute capability" in t for t in titles)
    assert any("without the compute capability" in f.title for f in report(COMPOSE).findings)
