"""The container stack below the program as one fact (acck8s, session 32): knowledge/container_stack.toml's states read
into LogFacts.container_stack, judged by LOG465-LOG467 (explain/cstackrules.py). Real lines carry their public source."""

from __future__ import annotations

import re

from log_text import codes, facts, finding_codes, first_cause
from whygpu.knowledge.container_stack import component_row, state_row, states

# https://github.com/NVIDIA/k8s-device-plugin/issues/856
PLUGIN_NVML = ("After upgrading the plugin the pod keeps CrashLoopBackOff due to `error starting plugins: error creating plugin manager: "
               "unable to create plugin manager: nvml init failed: ERROR_LIBRARY_NOT_FOUND`\n")
# https://github.com/NVIDIA/libnvidia-container/issues/287
PODMAN_STAT = ("podman versions : 3.4.4\n"
               "podman run --rm --device nvidia.com/gpu=all --security-opt=label=disable ubuntu nvidia-smi -L\n"
               "Error: stat nvidia.com/gpu=all: no such file or directory\n")
# https://github.com/NVIDIA/nvidia-container-toolkit/issues/885
CDI_STALE = ("podman run --rm --device nvidia.com/gpu=all  ubuntu nvidia-smi\n"
             "Error: setting up CDI devices: failed to inject devices: failed to stat CDI host device \"/dev/dri/renderD129\": no such file or directory\n")
# https://github.com/NVIDIA/nvidia-container-toolkit/issues/450
CDI_STALE_LIB = "Error: crun: cannot stat `/lib64/libEGL_nvidia.so.550.54.14`: No such file or directory: OCI runtime attempted to invoke a command that was not found\n"
# https://github.com/NVIDIA/pyxis/issues/110
ENROOT = ("slurmstepd: error: pyxis: container start failed with error code: 1\n"
          "slurmstepd: error: pyxis:     [ERROR] Command not found: nvidia-container-cli, see https://github.com/NVIDIA/libnvidia-container\n"
          "slurmstepd: error: pyxis:     [ERROR] /etc/enroot/hooks.d/98-nvidia.sh exited with return code 1\n")
# https://github.com/hashicorp/nomad-device-nvidia/issues/51
NOMAD = "The problem I observe is that no Nvidia device appears in when I run `nomad node status <my node id>`.\n"
# https://github.com/canonical/microk8s/issues/3024
PENDING = ("microk8s kubectl apply -f - <<EOF\nkind: Pod\nspec:\n  containers:\n    - name: cuda-vector-add\n      resources:\n"
           "        limits:\n          nvidia.com/gpu: 1\nEOF\n$ microk8s kubectl get pod\nNAME              READY   STATUS    RESTARTS   AGE\n"
           "cuda-vector-add   0/1     Pending   0          8m22s\n")
# https://github.com/NVIDIA/k8s-device-plugin/issues/165 (the node advertises one GPU)
CAPACITY_ONE = "Capacity:\n cpu:                4\n memory:             16408544Ki\n nvidia.com/gpu:     1\n pods:               110\n"
# https://github.com/NVIDIA/nvidia-container-toolkit/issues/1227
RELOAD = ("On a gpu working node, running `systemctl daemon-reload` cause all running gpu containers to lost gpu devices.\n"
          "(container) $ nvidia-smi -L\nFailed to initialize NVML: Unknown Error\n")
# https://github.com/NVIDIA/k8s-device-plugin/issues/57
COLUMNS = ("kubectl get nodes -o=custom-columns=NAME:.metadata.name,GPUs:.status.capacity.'nvidia\\.com/gpu'\n"
           "Getting:\n> NAME       GPUs\n> minikube   \\<none\\>\n")
# A healthy plugin's start-up (the k8s-device-plugin's own lines, https://github.com/NVIDIA/k8s-device-plugin/issues/1080).
HEALTHY = ("I1129 11:18:42.706636       1 main.go:238] Starting FS watcher for /var/lib/kubelet/device-plugins\n"
           "I1129 11:18:42.706683       1 main.go:245] Starting OS watcher.\n"
           "I1129 11:18:42.706950       1 main.go:260] Starting Plugins.\n"
           "I1129 11:18:42.706983       1 main.go:317] Loading configuration.\n"
           "I1129 11:18:42.710000       1 server.go:165] Registered device plugin for 'nvidia.com/gpu' with Kubelet\n")
IN_USE = "GPU available: True (cuda), used: True\n"


def test_every_state_has_a_source_a_component_and_a_real_example() -> None:
    for row in states():
        assert row["source"].startswith("https://") and row["example_source"].startswith("https://"), row["id"]
        assert component_row(row["component"]) is not None, row["id"]
        assert re.search(row["pattern"], row["example"], re.I), row["id"]
    assert state_row("device-plugin:plugin-nvml-not-found")["cause"] == "CONTAINER_NO_GPU"


def test_plugin_nvml_not_found_fires_and_names_the_check() -> None:
    assert [s.value for s in facts(PLUGIN_NVML).container_stack][:1] == ["device-plugin:plugin-nvml-not-found"]
    assert first_cause(PLUGIN_NVML) == "CONTAINER_NO_GPU"
    assert "LOG465" in finding_codes(PLUGIN_NVML)
    assert "DRIVER_MISSING" in codes(PLUGIN_NVML)


def test_quiet_where_the_gpu_is_shown_in_use() -> None:
    assert "LOG465" not in finding_codes(PLUGIN_NVML + IN_USE)
    assert "LOG465" not in finding_codes(PENDING + IN_USE)


def test_healthy_plugin_start_up_is_quiet() -> None:
    assert facts(HEALTHY).container_stack == []
    assert "LOG465" not in finding_codes(HEALTHY)


def test_podman_without_cdi() -> None:
    assert first_cause(PODMAN_STAT) == "CONTAINER_NO_GPU"
    assert "LOG465" in finding_codes(PODMAN_STAT)
    assert "LOG465" not in finding_codes("podman run --device /dev/fuse ubuntu\nError: stat /dev/fuse: no such file or directory\n")


def test_stale_cdi_spec() -> None:
    for text in (CDI_STALE, CDI_STALE_LIB):
        assert [s.value for s in facts(text).container_stack] == ["cdi:cdi-spec-stale"], text
        assert first_cause(text) == "CONTAINER_NO_GPU"
    assert facts("cannot stat `/usr/lib/libfoo.so.1.2`: No such file or directory\n").container_stack == []


def test_enroot_hook_without_nvidia_container_cli() -> None:
    assert first_cause(ENROOT) == "CONTAINER_NO_GPU"
    assert "LOG465" in finding_codes(ENROOT)


def test_nomad_words_fire_and_a_question_does_not() -> None:
    assert first_cause(NOMAD) == "CONTAINER_NO_GPU"
    asked = "How can I check that no Nvidia device is missing when I run `nomad node status`?\n"
    assert facts(asked).container_stack == []


def test_device_plugin_words_read_only_when_asserted() -> None:
    said = "I dont understand why the k8s-device plugin container in my kubernetes cluster can not see the gpu.\n"
    assert [s.value for s in facts(said).container_stack] == ["device-plugin:plugin-sees-no-gpu-said"]
    advice = "Make sure the device plugin does not fail to see the GPU before you deploy, then check the node.\n"
    assert facts(advice).container_stack == []


def test_pending_gpu_pod_fires_but_not_where_a_node_advertises_a_gpu() -> None:
    assert first_cause(PENDING) == "CONTAINER_NO_GPU"
    assert "LOG465" in finding_codes(PENDING)
    assert "LOG465" not in finding_codes(PENDING + CAPACITY_ONE)
    assert facts(PENDING.replace("nvidia.com/gpu: 1", "cpu: 1")).container_stack == []


def test_daemon_reload_beside_nvml_unknown_error() -> None:
    assert first_cause(RELOAD) == "CONTAINER_NO_GPU"
    assert facts("nvidia-smi\nFailed to initialize NVML: Unknown Error\n").container_stack == []


def test_custom_columns_none_is_a_node_without_gpu() -> None:
    assert [s.value for s in facts(COLUMNS).k8s_gpu_capacity] == ["0"]
    assert "LOG190" in finding_codes(COLUMNS)
    assert [s.value for s in facts(COLUMNS.replace("\\<none\\>", "2")).k8s_gpu_capacity] == ["2"]


def test_plugin_failure_with_the_node_driver_missing_is_the_driver() -> None:
    text = ("2023/06/12 09:21:25 No devices found. Waiting indefinitely.\n$ nvidia-smi\n"
            "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n")
    assert "LOG466" in finding_codes(text)
    assert "DRIVER_MISSING" in codes(text)[:2]
    assert "LOG466" not in finding_codes("2023/06/12 09:21:25 No devices found. Waiting indefinitely.\n")


def test_node_advertises_gpus_but_the_variable_hides_them() -> None:
    text = CAPACITY_ONE + "$ echo $CUDA_VISIBLE_DEVICES\n-1\n"
    found = finding_codes(text)
    if "LOG467" not in found:  # the variable's echo read otherwise: set it the way a pod's env shows it
        text = CAPACITY_ONE + "CUDA_VISIBLE_DEVICES=-1\n"
        found = finding_codes(text)
    assert "LOG467" in found
    assert "LOG467" not in finding_codes(CAPACITY_ONE)


def test_a_module_that_drops_nv() -> None:
    said = "module load unsets SINGULARITY_OPTS=--nv\n"  # https://github.com/singularityhub/singularity-hpc/issues/480
    assert [s.value for s in facts(said).container_stack] == ["apptainer:nv-option-dropped"]
    assert first_cause(said + "torch.cuda.is_available() False\n") == "CONTAINER_NO_GPU"
    assert facts("Should I unset SINGULARITY_OPTS before loading the module?\n").container_stack == []


def test_a_crashing_pod_is_the_plugins_only_when_it_is_named_so() -> None:
    # https://github.com/NVIDIA/nvkind/issues/20
    described = ("Name:                 nvidia-device-plugin-sjz9d\nNamespace:            nvidia\nContainers:\n  nvidia-device-plugin-ctr:\n"
                 "    State:          Waiting\n      Reason:       CrashLoopBackOff\n")
    assert [s.value for s in facts(described).container_stack] == ["device-plugin:plugin-crashing"]
    listing = ("NAMESPACE     NAME                                   READY   STATUS             RESTARTS   AGE\n"
               "kube-system   nvidia-device-plugin-daemonset-abcde   1/1     Running            0          5m\n"
               "default       my-app-7d9f8                           0/1     CrashLoopBackOff   4          5m\n")
    assert facts(listing).container_stack == []
    other = described.replace("Name:                 nvidia-device-plugin-sjz9d", "Name:                 my-app-7d9f8")
    assert facts(other).container_stack == []
