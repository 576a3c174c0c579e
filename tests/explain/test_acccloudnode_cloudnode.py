"""acccloudnode (session 36): a cloud or cluster GPU node and its driver (explain/cloudnode.py reads the facts,
knowledge.gpu_presence.node_reading decides, explain/cloudnoderules.py applies it: LOG685 DRIVER_MISSING, LOG686
CONTAINER_NO_GPU, LOG687 DRIVER_TOO_OLD from the writer's words that the driver does not run a CUDA release).

Each reading has a case where it speaks and one where it stays quiet: a question, a condition, the GPU in use, a machine
shown without a GPU, the driver shown on the node, a driver header that disagrees with the words.
"""

from __future__ import annotations

from log_text import facts, finding_codes, first_cause
from whygpu.explain import cloudnode
from whygpu.knowledge.gpu_presence import driver_installer, node_reading, node_resource_counted_by

# An AMI built with the driver installer, then nvidia-smi on the instance (https://github.com/azavea/raster-vision/issues/233).
AMI_NO_DRIVER = ("When building the AMI, the `install-nvidia-drivers.sh` fails with base AMI `'ami-9109beee` (latest deep learning ami) "
                 "and Nvidia drivers 384.125. But, when I start an instance with the resulting AMI, running `nvidia-smi` reports "
                 "that the drivers aren't installed.")
# GKE's driver installer crash-looping (https://github.com/GoogleCloudPlatform/cos-gpu-installer/issues/45).
GKE_INSTALLER = ("- Create a GKE cluster with \"GPU Accelerated Computing\" template, and confirm that the pool has GPU accelerators.\n"
                 "- Wait for a couple of minutes, then you'd see an error \"Back-off 20s restarting failed container=nvidia-driver-installer "
                 "pod=nvidia-driver-installer-z7ht8_kube-system(b362cd39-f621-11e9-8e02-42010a8000d2): CrashLoopBackOff\" on Init containers section.\n"
                 "- Node pool page's Resource summary shows GPU Capacity as zero.")
# The GPU Operator's driver daemonset with none ready (https://github.com/NVIDIA/gpu-operator/issues/593).
OPERATOR_ROWS = ("NAME                                   DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE\n"
                 "nvidia-device-plugin-daemonset         5         5         5       5            5           nvidia.com/gpu.deploy.device-plugin=true   171m\n"
                 "nvidia-driver-daemonset                1         1         0       0            0           nvidia.com/gpu.deploy.driver=true          171m\n"
                 "The driver pods never become ready on the GPU node in our kubernetes cluster.")
# A node with the driver working and no GPU listed (https://github.com/NVIDIA/k8s-device-plugin/issues/834).
NODE_DRIVER_WORKS = ("when i describe node, there is no gpu resource, why\n"
                     "Capacity:\n  cpu:                48\n  ephemeral-storage:  574137520Ki\n  memory:             263603720Ki\n  pods:               110\n"
                     "Allocatable:\n  cpu:                48\n  memory:             263501320Ki\n  pods:               110\n"
                     "1. I have installed nvidia driver\n"
                     "| NVIDIA-SMI 535.183.01             Driver Version: 535.183.01   CUDA Version: 12.2     |\n"
                     "|   0  Tesla P4                       Off | 00000000:86:00.0 Off |                    0 |")
# An A10 node pool on AKS (https://github.com/Azure/AKS/issues/3104).
AKS_GRID = ("az aks nodepool add --resource-group myrscgrp --cluster-name mycluster --name a10gpu --node-count 1 "
            "--node-vm-size standard_nv12ads_a10_v5 --mode user\n"
            "we unblocked this, but note that AKS does not currently install GRID drivers, only CUDA drivers, so you would need to do that your own right now.")


# --- the knowledge layer's one decision ---------------------------------------------------------------------------------

def test_the_node_reading_by_the_driver_shown() -> None:
    absent = node_reading("present", driver_absent=True, driver_shown=False, none_advertised=False)
    assert absent is not None and absent.cause == "DRIVER_MISSING" and "nvidia-smi" in absent.decide
    shown = node_reading("unknown", driver_absent=False, driver_shown=True, none_advertised=True)
    assert shown is not None and shown.cause == "CONTAINER_NO_GPU"
    # A machine shown without a GPU is the presence decision's; both sides shown, or neither, decide nothing; the driver
    # shown with GPUs advertised is no trouble of the node's.
    assert node_reading("absent", driver_absent=True, driver_shown=False, none_advertised=True) is None
    assert node_reading("present", driver_absent=True, driver_shown=True, none_advertised=True) is None
    assert node_reading("present", driver_absent=False, driver_shown=False, none_advertised=True) is None
    assert node_reading("present", driver_absent=False, driver_shown=True, none_advertised=False) is None


def test_who_counts_a_node_resource_and_the_installers() -> None:
    assert node_resource_counted_by("alpha.kubernetes.io/nvidia-gpu") == "driver"
    assert node_resource_counted_by("nvidia.com/gpu") == "plugin"
    assert node_resource_counted_by("example.com/fpga") is None
    assert driver_installer("kubectl logs -n kube-system ds/nvidia-driver-installer -c nvidia-driver-installer") == "nvidia-driver-installer"
    assert driver_installer("kubectl logs -n kube-system ds/nvidia-device-plugin-daemonset") is None


# --- the readers ----------------------------------------------------------------------------------------------------------

def test_the_driver_said_absent_and_not() -> None:
    assert cloudnode.driver_absent_said("running `nvidia-smi` reports that the drivers aren't installed.") is not None
    assert cloudnode.driver_absent_said("this problem is happening due driver not installed properly.") is not None
    assert cloudnode.driver_absent_said("note that AKS does not currently install GRID drivers, only CUDA drivers") is not None
    # A question, a condition, advice: nothing asserted.
    assert cloudnode.driver_absent_said("Is the NVIDIA driver not installed on the node?") is None
    assert cloudnode.driver_absent_said("If the NVIDIA driver is not installed, install it with the extension.") is None
    # PyTorch's own message is a program's line, read by the signatures.
    assert cloudnode.driver_absent_said("RuntimeError: Found no NVIDIA driver on your system.") is None


def test_a_reproduction_step_that_reports_what_was_seen() -> None:
    # "Observe that ..." in a list of steps is the writer's observation (https://github.com/microsoft/azurelinux/issues/9013
    # reports the same state in prose).
    assert cloudnode.driver_absent_said("3. Observe that the NVIDIA drivers are missing on the VM") is not None
    assert cloudnode.driver_absent_said("3. Make sure that the NVIDIA drivers are not missing") is None


def test_an_installer_failing_and_one_ready() -> None:
    rows = OPERATOR_ROWS.splitlines()
    assert cloudnode.installer_failed(rows[2]) is not None
    assert cloudnode.installer_failed(rows[1]) is None  # the device plugin's row, all ready
    ready = "nvidia-driver-daemonset                1         1         1       1            1           nvidia.com/gpu.deploy.driver=true   171m"
    assert cloudnode.installer_failed(ready) is None
    got = facts(GKE_INSTALLER)
    assert got.driver_installer_failed and got.node_gpu_zero


def test_a_section_without_a_gpu_row_and_the_kubelets_own_count() -> None:
    got = facts(NODE_DRIVER_WORKS)
    assert [s.value for s in got.node_gpu_zero][:1] == ["unlisted"]
    kubelet = facts("Capacity:\n alpha.kubernetes.io/nvidia-gpu:  0\n cpu:  6\n memory:  57703980Ki\n pods:  110\nThe GPU node in our kubernetes cluster (Standard_NC6).")
    assert [s.value for s in kubelet.node_gpu_zero] == ["alpha.kubernetes.io/nvidia-gpu"]
    assert not facts("Capacity:\n cpu:  6\n memory:  57703980Ki\n nvidia.com/gpu:  1\n pods:  110\n").node_gpu_zero


# --- the rules ------------------------------------------------------------------------------------------------------------

def test_log685_a_gpu_node_without_its_driver() -> None:
    for text in (AMI_NO_DRIVER, GKE_INSTALLER, OPERATOR_ROWS, AKS_GRID):
        assert "LOG685" in finding_codes(text), text
        assert first_cause(text) == "DRIVER_MISSING", text
    kubelet = "Deployed on Standard_NC6 agents.\nCapacity:\n alpha.kubernetes.io/nvidia-gpu:  0\n cpu:  6\n memory:  57703980Ki\n pods:  110"
    assert first_cause(kubelet) == "DRIVER_MISSING"


def test_log685_quiet_where_the_gpu_works_or_the_machine_has_none() -> None:
    # TensorFlow's own line that it created the GPU device (tensorflow/core/common_runtime/gpu/gpu_device.cc).
    used = AMI_NO_DRIVER + ("\nI tensorflow/core/common_runtime/gpu/gpu_device.cc:1525] Created device "
                            "/job:localhost/replica:0/task:0/device:GPU:0 with 14644 MB memory:  -> device: 0, name: Tesla T4")
    assert "LOG685" not in finding_codes(used)
    # No cloud or cluster and no GPU machine: a writer's words alone are not this reading.
    assert "LOG685" not in finding_codes("My laptop: the NVIDIA driver is not installed yet, I will do it tomorrow.")
    # A CPU-only instance type: no driver to install (NO_GPU, the presence decision's).
    cpu = "We run on an m5.xlarge instance in EC2 and the NVIDIA drivers are not installed on it."
    assert "LOG685" not in finding_codes(cpu)


def test_log686_the_driver_works_and_no_gpu_listed() -> None:
    assert "LOG686" in finding_codes(NODE_DRIVER_WORKS)
    assert first_cause(NODE_DRIVER_WORKS) == "CONTAINER_NO_GPU"
    listed = NODE_DRIVER_WORKS.replace("  pods:               110\nAllocatable", "  nvidia.com/gpu:     1\n  pods:               110\nAllocatable")
    listed = listed.replace("  memory:             263501320Ki\n  pods", "  memory:             263501320Ki\n  nvidia.com/gpu:     1\n  pods")
    assert "LOG686" not in finding_codes(listed)


def test_log687_the_driver_said_short_of_a_release() -> None:
    # The writer's words with nvidia-smi's header that agrees (the reading's shape; SkyPilot's Azure image,
    # https://github.com/skypilot-org/skypilot/issues/2751, is the corpus case).
    text = ("| NVIDIA-SMI 470.82.01    Driver Version: 470.82.01    CUDA Version: 11.4     |\n"
            "The image's nvidia driver does not support CUDA 12.1, and the torch wheels we install are cu121.")
    assert "LOG687" in finding_codes(text) and first_cause(text) == "DRIVER_TOO_OLD"
    got = facts(text)
    assert [s.value for s in got.driver_short_of] == ["12.1"] and [s.value for s in got.driver_cuda] == ["11.4"]
    # The header disagrees with the words (the driver runs 12.2): nothing decided.
    newer = text.replace("470.82.01", "535.104.05").replace("CUDA Version: 11.4", "CUDA Version: 12.2")
    assert "LOG687" not in finding_codes(newer)
