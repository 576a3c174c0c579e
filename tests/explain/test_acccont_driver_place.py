"""acccont (session 34): a driver-side answer read with the place the job ran (explain/contplace.py, explain/contrules.py,
knowledge/driver_reach.toml).

Each reading has a case where it speaks and cases where it stays as it was: a container given the GPU, a host, a driver
version shown that is too old, nvidia-smi failing on the host itself, Windows.
"""

from __future__ import annotations

import pytest

from log_text import codes, facts, finding_codes, first_cause, report
from whygpu.explain.contplace import driver_place
from whygpu.knowledge.driver_reach import DriverPlace, answer_of, driver_answer_reading

# The runtime's answer as faster-whisper printed it (https://github.com/SYSTRAN/faster-whisper/issues/1229).
INSUFFICIENT = "RuntimeError: CUDA failed with error CUDA driver version is insufficient for CUDA runtime version"
# PyTorch's answer without a loadable libcuda (https://github.com/pytorch/vision/issues/1566).
PT_NO_DRIVER = ("AssertionError: \nFound no NVIDIA driver on your system. Please check that you\n"
                "have an NVIDIA GPU and installed a driver from\nhttp://www.nvidia.com/Download/index.aspx")


# --- the knowledge layer's one decision ---------------------------------------------------------------------------------

def test_the_answers_are_named_by_signature_status_and_fact() -> None:
    assert answer_of(status="cudaErrorInsufficientDriver") == "insufficient"
    assert answer_of(signature="LOG-PT-NO-DRIVER") == "libcuda_unloadable"
    assert answer_of(fact="smi_not_found") == "smi_absent"
    assert answer_of(signature="LOG-GPU-STATUS", status="cudaErrorNoDevice") is None


def test_the_decision_by_place_and_driver() -> None:
    inside = driver_answer_reading("insufficient", DriverPlace("container"))
    assert inside is not None and inside.ranking[0] == "CONTAINER_NO_GPU"
    # A driver shown that runs the runtime's CUDA agrees; an older one, or one beside an unnamed runtime, keeps its reading.
    runs = driver_answer_reading("insufficient", DriverPlace("container", "550.54.14", "12.2", True))
    assert runs is not None and runs.ranking[0] == "CONTAINER_NO_GPU"
    assert driver_answer_reading("insufficient", DriverPlace("container", "418.87.00", "10.2", True)) is None
    assert driver_answer_reading("insufficient", DriverPlace("container", "565.77", None, True)) is None
    assert driver_answer_reading("insufficient", DriverPlace("host")) is None
    assert driver_answer_reading("insufficient", DriverPlace("")) is None
    host = driver_answer_reading("smi_absent", DriverPlace("host"))
    assert host is not None and host.ranking[0] == "DRIVER_MISSING"
    assert driver_answer_reading("smi_absent", DriverPlace("host", driver_loaded=True)) is None
    assert driver_answer_reading(None, DriverPlace("container")) is None


# --- the place ----------------------------------------------------------------------------------------------------------

def test_the_place_of_a_log() -> None:
    assert driver_place(facts("I run it in a docker container on my server.\n" + INSUFFICIENT)).place == "container"
    assert driver_place(facts("$ nvidia-smi\nbash: nvidia-smi: command not found")).place == "host"
    # A launch with the GPU shown: the container was given it, the place does not decide.
    assert driver_place(facts("$ docker run --gpus all -it img python x.py\n" + INSUFFICIENT)).place == ""
    # nvidia-smi failing on the host itself: the host's driver, whatever container the log names.
    host_smi = ("user@box:~$ nvidia-smi\n"
                "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n"
                "user@box:~$ docker run -it myimage python -c 'import torch'\n" + PT_NO_DRIVER)
    assert driver_place(facts(host_smi)).place != "container"
    # Native Windows is not a Linux host.
    assert driver_place(facts("OS: Windows 11\n'nvidia-smi' is not recognized as an internal or external command")).place == ""


def test_container_words_in_other_languages() -> None:
    # https://github.com/PaddlePaddle/Paddle/issues/55845 (进入容器之后: "after entering the container")
    text = "然而我尝试安装了这两个版本的docker paddle，进入容器之后均出现了“You are using GPU version Paddle, but your CUDA device is not set properly”"
    assert driver_place(facts(text)).place == "container"
    assert first_cause(text) == "CONTAINER_NO_GPU"


# --- the runtime's "insufficient" inside a container --------------------------------------------------------------------

def test_insufficient_inside_a_container_not_given_the_gpu_is_the_containers() -> None:
    text = "When trying to install/run faster-whisper in a docker on my unraid server I get\n" + INSUFFICIENT
    assert codes(text)[:2] == ["CONTAINER_NO_GPU", "DRIVER_TOO_OLD"]


def test_insufficient_with_the_driver_running_the_images_cuda_is_the_containers() -> None:
    text = ("I start the container from nvidia/cuda:12.2.0-runtime-ubuntu22.04 in docker compose.\n"
            "Driver Version: 550.54.14\n" + INSUFFICIENT)
    assert first_cause(text) == "CONTAINER_NO_GPU"


@pytest.mark.parametrize("text", [
    # An old driver shown (the writer's sentence: https://github.com/NVIDIA/hpc-container-maker/issues/239)
    "I'm running a singularity container. The version of the driver installed on the compute nodes in the GPU partition is "
    "418.87.00. I built my container from nvidia/cuda:10.2-devel-ubuntu18.04.\n" + INSUFFICIENT,
    # A driver shown beside a runtime the log does not name
    "I run it in a docker container. Nvidia Driver Version: 565.77\n" + INSUFFICIENT,
    # On a host
    "Ubuntu 20.04, driver 418.56\n" + INSUFFICIENT,
    # A container given the GPU
    "$ docker run --gpus all -it myimage python app.py\n" + INSUFFICIENT,
])
def test_insufficient_keeps_the_drivers_reading(text: str) -> None:
    assert first_cause(text) == "DRIVER_TOO_OLD"


def test_the_driver_version_in_a_sentence() -> None:
    seen = facts("According to our sysadmin, \"The version of the driver installed on the compute nodes in the GPU partition "
                 "is 418.87.00.  That is sufficient for CUDA versions up to and including 10.1.\"")
    assert [s.value for s in seen.driver_stated] == ["418.87.00"]


# --- libcuda not loadable inside a container ----------------------------------------------------------------------------

def test_found_no_driver_inside_a_container_is_the_containers() -> None:
    text = "We build torchvision in a docker container, which doesn't have access to the GPU:\n" + PT_NO_DRIVER
    assert first_cause(text) == "CONTAINER_NO_GPU"
    assert first_cause(PT_NO_DRIVER) != "CONTAINER_NO_GPU"  # on a host, its own ranking


def test_a_container_given_the_gpu_that_sees_it_stays_quiet() -> None:
    text = ("$ docker run --gpus all -it pytorch/pytorch bash\n"
            "root@3f2a1b4c5d6e:/workspace# python -c 'import torch; print(torch.cuda.is_available())'\nTrue")
    assert codes(text) == []


# --- LOG580: nvidia-smi missing on a host -------------------------------------------------------------------------------

HOST_SMI = ("$ nvidia-smi\nbash: nvidia-smi: command not found\n"
            "$ python -c 'import torch; print(torch.cuda.is_available())'\nFalse")


def test_log580_nvidia_smi_missing_on_a_host_is_the_driver_not_installed() -> None:
    assert first_cause(HOST_SMI) == "DRIVER_MISSING"
    assert "LOG580" in finding_codes(HOST_SMI)
    assert "NO_GPU" in codes(HOST_SMI)


@pytest.mark.parametrize("text", [
    # Inside a container (its prompt on the short id): LOG103's reading
    "root@3f2a1b4c5d6e:/workspace# nvidia-smi\nbash: nvidia-smi: command not found\n"
    "root@3f2a1b4c5d6e:/workspace# python -c 'import torch; print(torch.cuda.is_available())'\nFalse",
    # The kernel module shown loaded (https://github.com/dstackai/dstack/issues/1356)
    "root@host:/workflow# nvidia-smi\nbash: nvidia-smi: command not found\n$ cat /proc/driver/nvidia/gpus/0000:07:00.0/information\n"
    "Model:           NVIDIA A10\nGPU Firmware:    535.129.03",
    # Windows' PATH question
    "C:\\Users\\me> nvidia-smi\n'nvidia-smi' is not recognized as an internal or external command,",
    # A question
    "why is nvidia-smi not found?",
])
def test_log580_stays_quiet(text: str) -> None:
    assert "LOG580" not in finding_codes(text)


def test_log580_quiet_when_the_gpu_works() -> None:
    text = "bash: nvidia-smi: command not found\nUsing device: cuda:0\nEpoch 1: 100%|██████████| 50/50 [00:10<00:00]"
    assert "LOG580" not in finding_codes(text) or report(text).verdict.gpu_usable is not False


# --- nvidia-smi's message in the writer's words -------------------------------------------------------------------------

def test_nvidia_smi_cannot_communicate_in_words_is_the_driver() -> None:
    # https://github.com/elementary/os-patches/issues/155
    text = "Can't install drivers. `nvidia-smi` cannot communicate with drivers. I've tried `nvidia-driver-390`, `nvidia-driver-450`."
    assert first_cause(text) == "DRIVER_MISSING"
    assert first_cause("If nvidia-smi cannot communicate with the driver, reinstall it.") is None


# --- nvidia-smi not found in other programs' words; the module's state said of "the nvidia driver" ------------------------

@pytest.mark.parametrize("line", [
    "zsh: command not found: nvidia-smi",
    # Ubuntu's command-not-found handler (https://github.com/Qengineering/Jetson-Nano-Ubuntu-20-image/issues/80 prints it)
    "Command 'nvidia-smi' not found, but can be installed with:\nsudo apt install nvidia-utils-535",
    # Python's subprocess (https://github.com/peci1/nvidia-htop/issues/23)
    "FileNotFoundError: [Errno 2] No such file or directory: 'nvidia-smi': 'nvidia-smi'",
])
def test_nvidia_smi_not_found_in_other_words_on_a_host(line: str) -> None:
    assert facts(line).smi_not_found
    assert first_cause(line) == "DRIVER_MISSING"


def test_the_oci_runtimes_nvidia_smi_not_found_is_inside_a_container() -> None:
    # https://github.com/NVIDIA/nvidia-container-toolkit/issues/126
    line = ("Error: crun: executable file `nvidia-smi` not found in $PATH: No such file or directory: "
            "OCI runtime attempted to invoke a command that was not found")
    assert facts(line).smi_not_found
    assert "LOG580" not in finding_codes(line)


def test_the_driver_said_not_to_load_after_a_kernel_update() -> None:
    # https://github.com/Nobara-Project/nobara-core-packages/issues/62
    text = ("NVIDIA Driver Rebuild Failure After Kernel Update\nGetting into terminal works fine and kde error logs showed that "
            "there is no display server available and nvidia driver did not load after update.")
    assert first_cause(text) == "DRIVER_MISSING"
    assert first_cause("After the kernel update the nvidia driver did not load the model onto the GPU faster.") != "DRIVER_MISSING"


# --- LOG581: the nodes said to advertise no nvidia.com/gpu ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    # https://github.com/canonical/microk8s/issues/448
    "Standard K8s GPU pods don't get scheduled due to a lack of nvidia.com/gpu",
    # https://github.com/NVIDIA/k8s-device-plugin/issues/142
    "When I deploy this, I see no GPUs available with `kubectl get nodes "
    "-o=custom-columns=NAME:.metadata.name,GPUs:.status.capacity.'nvidia\\.com/gpu'`",
    "The plugin sets `nvidia.com/gpu: 0` on the node.",
])
def test_log581_nodes_said_to_advertise_no_gpu(text: str) -> None:
    assert "LOG581" in finding_codes(text)
    assert codes(text)[:2] == ["CONTAINER_NO_GPU", "DRIVER_MISSING"]


@pytest.mark.parametrize("text", [
    "0/1 nodes are available: 1 Insufficient nvidia.com/gpu.",  # the scheduler's event: its own signature
    "Why does the node show nvidia.com/gpu: 0 on the node?",
    # A condition (https://github.com/NVIDIA/k8s-device-plugin/issues/107)
    "If it's set to `runc`, the daemonset deploys but sees 0 graphics cards and thus sets ` nvidia.com/gpu:     0` on the node.",
    "resources:\n  limits:\n    nvidia.com/gpu: 0",
])
def test_log581_stays_quiet(text: str) -> None:
    assert "LOG581" not in finding_codes(text)
