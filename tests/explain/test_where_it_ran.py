"""Where the work ran, read as facts (session 20, acccontainer): container launch lines, the launchers' own
messages, what the GPU was shared with.

Each reader fires on lines written from the launchers' grammar (docker/podman/nerdctl, Singularity/Apptainer)
and stays quiet on a near miss: prose naming the command, advice, a question, a healthy launch.
"""

from __future__ import annotations

from log_text import codes as _codes
from log_text import facts as _facts
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- a GPU option written after the image (run as the container's command) -----------------------------------


def test_a_gpu_option_run_as_the_containers_command_means_no_gpu_was_given() -> None:
    # Singularity's exec action is a POSIX shell script: dash names the word it could not run.
    sing = "$ singularity exec my.sif --nv python3 train.py\n/.singularity.d/actions/exec: 9: exec: --nv: not found\n"
    assert _codes(sing)[0] == "CONTAINER_NO_GPU"
    # runc starting a command that is not in the image (docker run IMAGE --gpus all).
    runc = ('docker: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container '
            'process caused: exec: "--gpus": executable file not found in $PATH: unknown.\n')
    assert _codes(runc)[0] == "CONTAINER_NO_GPU"
    # The old runtime option in the same place.
    assert "LOG-PLAT-CTR-GPU-FLAG-AS-COMMAND" in _ids('exec: "--runtime=nvidia": executable file not found in $PATH\n')


def test_other_commands_not_found_in_a_container_are_not_a_gpu_option() -> None:
    # Any other missing program, and the GPU option written where the launcher reads it.
    assert "LOG-PLAT-CTR-GPU-FLAG-AS-COMMAND" not in _ids('exec: "python": executable file not found in $PATH: unknown.\n')
    assert "LOG-PLAT-CTR-GPU-FLAG-AS-COMMAND" not in _ids("/.singularity.d/actions/exec: 9: exec: --bind: not found\n")
    assert _codes("$ singularity exec --nv my.sif python3 train.py\nEpoch 1/10 loss 0.52\n") == []


# --- a launch line is the command that ran, not prose naming it, advice or a question ---------------------------


def test_a_launch_line_at_a_prompt_is_read_with_or_without_the_gpu() -> None:
    assert [s.value for s in _facts("$ docker run --rm -it ubuntu:22.04 bash\n").docker_run_without_gpus] == ["--rm -it ubuntu:22.04 bash"]
    assert _facts("user@host:~$ nerdctl run --gpus all -it nvcr.io/nvidia/pytorch:24.01-py3\n").docker_run_with_gpus
    assert _facts("When I start it with `podman run --device nvidia.com/gpu=all img` it fails.\n").docker_run_with_gpus


def test_the_command_named_in_prose_advised_or_asked_about_is_not_a_launch() -> None:
    for line in ("The CUDA enabled docker run using the new toolkit is:\n",
                 "It went away after adding the flag to the docker run command.\n",
                 "Inside singularity shell, the programme cannot find the card.\n"):
        read = _facts(line)
        assert not read.docker_run_without_gpus and not read.docker_run_with_gpus, line
    for line in ("Try `docker run --gpus all myimage` instead.\n",
                 "You need to start it as docker run --runtime=nvidia myimage\n",
                 "Should I use podman run --device nvidia.com/gpu=all myimage?\n",
                 "I would recommend singularity exec --nv image.sif python run.py\n"):
        read = _facts(line)
        assert not read.docker_run_with_gpus and not read.docker_run_without_gpus, line


# --- inside a container: NVML refused by the operating system, the device nodes absent ---------------------------


def test_nvml_blocked_by_the_operating_system_inside_a_container() -> None:
    log = ("$ docker run --rm --gpus all nvidia/cuda:12.4.1-base-ubuntu22.04 nvidia-smi\n"
           "Failed to initialize NVML: GPU access blocked by the operating system\n")
    assert _codes(log)[0] == "CONTAINER_NO_GPU"
    # Said of a container in the user's words, the same.
    said = "In the podman container nvidia-smi prints: Failed to initialize NVML: GPU access blocked by the operating system\n"
    assert _codes(said)[:1] == ["CONTAINER_NO_GPU"]


def test_nvml_blocked_by_the_operating_system_outside_a_container_is_not_a_container() -> None:
    # In WSL2 or a GPU-PV virtual machine the same text is the host's, not a container's.
    log = ("Linux box 5.15.167.4-microsoft-standard-WSL2 #1 SMP x86_64 GNU/Linux\n"
           "$ nvidia-smi\nFailed to initialize NVML: GPU access blocked by the operating system\n")
    assert "CONTAINER_NO_GPU" not in _codes(log)[:1]


def test_the_gpu_device_nodes_absent_inside_a_container() -> None:
    log = ("$ podman run --rm -it --device nvidia.com/gpu=all docker.io/library/ubuntu bash\n"
           "root@0f3a9c2b7d11:/# ls /dev/nvidia*\n"
           "ls: cannot access '/dev/nvidia*': No such file or directory\n")
    assert _codes(log)[0] == "CONTAINER_NO_GPU"
    said = "$ apptainer exec --contain --nv tf.sif python train.py\nthe /dev/nvidia0 device is missing in there\n"
    assert _codes(said)[0] == "CONTAINER_NO_GPU"


def test_the_device_nodes_absent_on_a_host_a_question_or_the_daemon_are_not_read_as_a_container() -> None:
    assert "CONTAINER_NO_GPU" not in _codes("$ ls /dev/nvidia*\nls: cannot access '/dev/nvidia*': No such file or directory\n")
    assert not _facts("Why is /dev/nvidia0 missing inside the container?\n").device_nodes_missing
    assert not _facts("If /dev/nvidia0 does not exist, load the module first.\n").device_nodes_missing
    daemon = ('docker: Error response from daemon: error gathering device information while adding custom device '
              '"/dev/nvidia-uvm": no such file or directory.\n')
    assert not _facts(daemon).device_nodes_missing
    # A healthy container listing its device nodes.
    ok = "$ docker run --rm --gpus all ubuntu ls /dev/nvidia0 /dev/nvidiactl\n/dev/nvidia0\n/dev/nvidiactl\n"
    assert _codes(ok) == []


# --- a shell prompt whose host is a container's short id ---------------------------------------------------------


def test_a_prompt_on_a_containers_short_id_host_places_the_log_in_a_container() -> None:
    assert _facts("root@5e85f82cd11c:/workspace# python train.py\n").in_container
    assert _facts("appuser@0a1b2c3d4e5f:~$ nvidia-smi\n").in_container


def test_a_prompt_on_an_ordinary_host_or_a_hex_word_elsewhere_is_not_a_container() -> None:
    assert not _facts("root@gpu-server-01:~# python train.py\n").in_container
    assert not _facts("user@123456789012:~$ python train.py\n").in_container  # digits only: a numbered host
    assert not _facts("commit 5e85f82cd11c by root@example.org: python fixes\n").in_container


# --- manifests: a compose file's services, a Kubernetes workload -------------------------------------------------

_UNUSED = ">>> torch.cuda.is_available()\nFalse\n"


def test_a_compose_service_without_a_gpu_request_with_the_gpu_unused() -> None:
    compose = ("```yaml\nservices:\n  trainer:\n    image: nvcr.io/nvidia/pytorch:24.01-py3\n    command: python fit.py\n"
               "    volumes:\n      - ./data:/data\n```\n")
    assert _codes(compose + _UNUSED)[0] == "CONTAINER_NO_GPU"
    assert [s.value for s in _facts(compose).manifest_without_gpus] == ["compose"]


def test_a_kubernetes_workload_without_a_gpu_limit_with_the_gpu_unused() -> None:
    pod = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: infer\nspec:\n  containers:\n  - name: infer\n"
           "    image: myrepo/infer:gpu\n    resources:\n      limits:\n        memory: 8Gi\n"
           "\nThe pod starts but onnxruntime only lists CPUExecutionProvider.\n")
    read = _facts(pod)
    assert [s.value for s in read.manifest_without_gpus] == ["kubernetes"] and not read.manifest_with_gpus
    assert _codes(pod + "$ kubectl exec infer -- nvidia-smi\nbash: nvidia-smi: command not found\n")[0] == "CONTAINER_NO_GPU"


def test_manifests_that_ask_for_the_gpu_are_read_as_asking() -> None:
    reservation = ("services:\n  app:\n    image: ollama/ollama\n    deploy:\n      resources:\n        reservations:\n"
                   "          devices:\n            - driver: nvidia\n              count: all\n              capabilities: [gpu]\n")
    legacy = "version: '2.3'\nservices:\n  app:\n    image: tensorflow/tensorflow:latest-gpu\n    runtime: nvidia\n"
    limits = ("kind: Job\nspec:\n  template:\n    spec:\n      containers:\n      - name: t\n        image: t:1\n"
              "        resources:\n          limits:\n            nvidia.com/gpu: 1\n")
    for manifest in (reservation, legacy, limits):
        read = _facts(manifest)
        assert read.manifest_with_gpus and not read.manifest_without_gpus, manifest
        assert "CONTAINER_NO_GPU" not in _codes(manifest + _UNUSED)[:1]


def test_a_manifest_without_a_gpu_request_in_a_healthy_log_or_a_non_workload_stays_quiet() -> None:
    # The GPU is not shown unused: a CPU-only helper service next to a training job that runs.
    healthy = "services:\n  redis:\n    image: redis:7\nEpoch 1/10 - loss 0.41 - 12s/step\n"
    assert _codes(healthy) == []
    # A Service or ConfigMap has no containers: nothing to give a GPU to.
    assert not _facts("apiVersion: v1\nkind: Service\nspec:\n  ports:\n  - port: 80\n").manifest_without_gpus
    # "services:" in prose, not a compose file's services.
    assert not _facts("services:\nwe restart all services nightly\n").manifest_without_gpus


# --- the GPU used but waiting, in the user's words ----------------------------------------------------------------


def test_the_gpu_said_to_wait_for_data_is_used_but_idle() -> None:
    for line in ("With this repo my GPUs are sleeping most of the time during training.\n",
                 "The dataloader has become the bottleneck of training on our GPU.\n",
                 "I see a bottleneck in each epoch while the batches are being loaded onto the GPU.\n",
                 "nvidia-smi always shows low Volatile GPU-Util while train.py runs on the GPU.\n"):
        assert _facts(line).stated_underused, line
        assert _codes(line)[:1] == ["GPU_UNDERUSED"], line


def test_a_question_a_condition_advice_or_a_number_alone_is_not_read_as_underused() -> None:
    for line in ("Is the data loader the bottleneck on the GPU here?\n",
                 "If the dataloader is the bottleneck, raise num_workers so the GPU does not wait.\n",
                 "My GPU usage is only about 5% in Task Manager.\n",
                 "GPU-Util is 0% but the memory is allocated.\n",
                 "Expected: low usage of the GPU bus and of shared memory.\n"):
        assert not _facts(line).stated_underused, line
