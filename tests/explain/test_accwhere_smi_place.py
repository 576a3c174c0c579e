"""accwhere (session 32): where a failing nvidia-smi ran, and a Kubernetes node shown advertising GPUs.

1. LOG-SMI-NO-DRIVER ("couldn't communicate with the NVIDIA driver") read as the container's wherever the log named one. The
   place of the call (explain/where.py smi_no_driver_place) now decides: on the host itself (a host prompt before any container
   is started, or "on the host nvidia-smi says") the host's driver is first (DRIVER_MISSING); inside a container (its own
   prompt, `kubectl exec ... nvidia-smi`) CONTAINER_NO_GPU stays first; an unknown place keeps the container's ranking.
2. LOG-K8S-INSUFFICIENT-GPU with a node shown advertising nvidia.com/gpu (Allocatable, or Capacity without Allocatable) ranks
   GPU_BUSY first (the GPUs exist and are taken), CONTAINER_NO_GPU second; without one, the ranking stays.

Each log is real lines with their thread's URL; where lines of two threads are joined, the comment says so.
"""

from __future__ import annotations

from log_text import codes, facts
from whygpu.explain.where import smi_no_driver_place

_FAILED = ("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
           "Make sure that the latest NVIDIA driver is installed and running.")

# Host prompt: https://github.com/GoogleCloudPlatform/compute-gpu-installation/pull/18 ("$ nvidia-smi" and its failure, after a
# kernel upgrade); the container started after it: the title of https://github.com/NVIDIA/nvidia-container-toolkit/issues/260.
# Joined here (constructed order: the host's nvidia-smi first, then the docker run).
HOST_PROMPT = f"""$ nvidia-smi
{_FAILED}

sudo docker run --rm --gpus all nvidia/cuda:11.0-base nvidia-smi
"""

# Inside the container: https://github.com/ameli/manylinux-cuda/issues/5 (the container's own prompt, its 12-hex id).
INSIDE_PROMPT = f"""when I start a container "docker run -it sameli/manylinux2014_x86_64_cuda_12.3" and run nvida-smi command inside it fails with the following message, am I missing something here?

[root@24c96d985c30 /]# nvidia-smi
{_FAILED}
"""

# docker run typed first, then "$ nvidia-smi" in the container's terminal (https://github.com/mattshma/bigdata/issues/108):
# the prompt comes after a container was started, so its place is not shown; the container's ranking stays.
AFTER_RUN = f"""`sudo docker run -v /usr/bin:/usr/local/nvidia/bin -v /usr/lib64/nvidia:/usr/local/nvidia/lib -p 8888:8888 MY_DOCKER_IMAGE`
```
$ nvidia-smi
{_FAILED}
```
"""


def test_host_prompt_before_the_container_ranks_the_host_driver_first() -> None:
    assert [p for _, p, _ in smi_no_driver_place(HOST_PROMPT.splitlines())] == ["host"]
    ranked = codes(HOST_PROMPT)
    assert ranked[0] == "DRIVER_MISSING"
    assert "CONTAINER_NO_GPU" in ranked[1:3]


def test_host_said_in_words_ranks_the_host_driver_first() -> None:
    # The writer's words place the call (constructed sentence around the real message of ci-for-research/self-hosted-runners#40),
    # the container started before them.
    text = f"docker run --gpus all nvidia/cuda:11.0-base nvidia-smi fails. On the host nvidia-smi says: {_FAILED}\n"
    assert [p for _, p, _ in smi_no_driver_place(text.splitlines())] == ["host"]
    assert codes(text)[0] == "DRIVER_MISSING"


def test_inside_the_container_stays_the_container() -> None:
    assert [p for _, p, _ in smi_no_driver_place(INSIDE_PROMPT.splitlines())] == ["inside"]
    assert codes(INSIDE_PROMPT)[0] == "CONTAINER_NO_GPU"


def test_exec_into_a_pod_stays_the_container() -> None:
    text = f"$ kubectl exec -it gpu-pod -- nvidia-smi\n{_FAILED}\n"  # the exec form of accnotice's reading (constructed)
    assert [p for _, p, _ in smi_no_driver_place(text.splitlines())] == ["inside"]
    assert codes(text)[0] == "CONTAINER_NO_GPU"


def test_place_not_shown_keeps_todays_ranking() -> None:
    assert smi_no_driver_place(AFTER_RUN.splitlines()) == []
    assert codes(AFTER_RUN)[0] == "CONTAINER_NO_GPU"


def test_host_words_with_the_container_between_do_not_place_it_on_the_host() -> None:
    text = f"nvidia-smi works on the host, but inside the container nvidia-smi prints: {_FAILED}\n"
    assert [p for _, p, _ in smi_no_driver_place(text.splitlines()) if p == "host"] == []


def test_a_question_about_the_host_does_not_place_it() -> None:
    text = f"docker run --gpus all img nvidia-smi\n{_FAILED}\nShould I check nvidia-smi on the host?\n"
    assert smi_no_driver_place(text.splitlines()) == []


# https://github.com/NVIDIA/k8s-device-plugin/issues/165 (title and the node's description, rows as posted).
K8S_ADVERTISING = """0/3 nodes are available: 3 insufficient nvidia.com/gpu.
Addresses:
  InternalIP:  140.124.44.9
  Hostname:    k8s-node1
Capacity:
 cpu:                4
 ephemeral-storage:  960317832Ki
 hugepages-2Mi:      0
 memory:             16408544Ki
 nvidia.com/gpu:     1
 pods:               110
Allocatable:
 cpu:                4
 ephemeral-storage:  885028912506
 hugepages-2Mi:      0
 memory:             16306144Ki
 nvidia.com/gpu:     1
 pods:               110
"""


def test_insufficient_gpu_beside_an_advertising_node_ranks_gpus_taken_first() -> None:
    assert [s.value for s in facts(K8S_ADVERTISING).k8s_gpu_advertised()] == ["1"]
    ranked = codes(K8S_ADVERTISING)
    assert ranked[:2] == ["GPU_BUSY", "CONTAINER_NO_GPU"]


def test_insufficient_gpu_alone_keeps_todays_ranking() -> None:
    # https://github.com/NVIDIA/k8s-device-plugin/issues/33 (its title line alone).
    assert codes("0/1 nodes are available: 1 Insufficient nvidia.com/gpu\n")[0] == "CONTAINER_NO_GPU"


def test_gpus_capacity_but_none_allocatable_is_not_advertising() -> None:
    # The device plugin found the GPU and marked it unhealthy (LOG190's reading); constructed from #165's rows.
    text = K8S_ADVERTISING.replace("Allocatable:\n cpu:                4\n ephemeral-storage:  885028912506\n hugepages-2Mi:      0\n memory:             16306144Ki\n nvidia.com/gpu:     1",
                                   "Allocatable:\n cpu:                4\n ephemeral-storage:  885028912506\n hugepages-2Mi:      0\n memory:             16306144Ki\n nvidia.com/gpu:     0")
    assert facts(text).k8s_gpu_advertised() == []
    assert codes(text)[0] != "GPU_BUSY"
