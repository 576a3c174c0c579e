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


# --- docker compose's service prefix places a line inside a container -----------------------------------------------


def test_a_compose_service_prefix_places_the_failure_inside_its_container() -> None:
    text = ("trainer-1  | Traceback (most recent call last):\n"
            "trainer-1  | RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU "
            "and installed a driver from http://www.nvidia.com/Download/index.aspx\n")
    assert _codes(text)[:1] == ["CONTAINER_NO_GPU"]
    # Compose v1's "name_1" prefix, read from the lines as written (the normaliser takes it off for the other readers).
    from whygpu.explain.logfacts import FactReader

    reader = FactReader()
    reader.read_packaging("t", "api_1    | loading model\napi_1    | torch.cuda.is_available(): False\n")
    assert [s.where for s in reader.facts.in_container] == ["t:1"]
    # Without the prefix the same message has no container to speak of.
    assert _codes(text.replace("trainer-1  | ", ""))[:1] != ["CONTAINER_NO_GPU"]


def test_a_table_row_with_a_numbered_name_is_no_compose_prefix() -> None:
    from whygpu.explain import where

    # One row alone, and rows of different names, as a summary table prints them.
    assert where.compose_service_lines(["layer_1 | 128 | relu"]) == []
    assert where.compose_service_lines(["dense_1 | 64", "dense_2 | 10"]) == []
    assert where.compose_service_lines(["web-1  | up", "web-1  | ready"]) == [(1, "web-1")]


# --- nvidia-smi missing where the kernel module is loaded ----------------------------------------------------------


_MODULE = ("$ cat /proc/driver/nvidia/gpus/0000:3b:00.0/information\nModel:           Tesla T4\n"
           "GPU UUID:        GPU-0a1b2c3d-1111-2222-3333-444455556666\nGPU Firmware:    535.161.08\n")


def test_nvidia_smi_missing_beside_a_loaded_kernel_module_means_a_container_without_the_driver() -> None:
    for missing in ("root@job:/work# nvidia-smi\nbash: nvidia-smi: command not found\n",
                    "sh: 1: nvidia-smi: not found\n"):
        got = _codes(missing + _MODULE)
        assert got[:1] == ["CONTAINER_NO_GPU"] and "DRIVER_MISSING" in got, missing


def test_nvidia_smi_missing_alone_or_beside_a_gpu_launch_is_not_this_reading() -> None:
    assert "LOG103" not in _ids("bash: nvidia-smi: command not found\n")
    launched = "$ docker run --gpus all -it myorg/trainer:1.0 bash\n" + "bash: nvidia-smi: command not found\n" + _MODULE
    assert not any(f.id == "LOG103" and "kernel driver is loaded" in f.title for f in explain_text(launched).findings)
    # The module's fields on a healthy machine say nothing against it.
    assert _codes(_MODULE) == []


# --- the NGC images' banner under WSL2 when the container was given the GPU -----------------------------------------


_BANNER = ("WARNING: The NVIDIA Driver was not detected.  GPU functionality will not be available.\n"
           "   Use the NVIDIA Container Toolkit to start this container with GPU support.\n")


def test_the_ngc_banner_under_wsl2_with_the_gpu_requested_is_quiet() -> None:
    wsl = ("Ubuntu 22.04 on WSL2 (kernel 5.15.133.1-microsoft-standard-WSL2)\n"
           "$ docker run --gpus all --rm -it nvcr.io/nvidia/pytorch:24.01-py3\n" + _BANNER)
    assert "CONTAINER_NO_GPU" not in _codes(wsl)


def test_the_ngc_banner_fires_without_the_gpu_requested_or_off_wsl() -> None:
    bare = "$ docker run --rm -it nvcr.io/nvidia/pytorch:24.01-py3\n" + _BANNER
    assert _codes(bare)[:1] == ["CONTAINER_NO_GPU"]
    wsl_bare = "Ubuntu 22.04 on WSL2 (kernel 5.15.133.1-microsoft-standard-WSL2)\n" + bare
    assert _codes(wsl_bare)[:1] == ["CONTAINER_NO_GPU"]
    assert _codes(_BANNER)[:1] == ["CONTAINER_NO_GPU"]


# --- what fixed it: the driver capabilities of a compose device, a success stated as an ability ---------------------


def test_a_fix_to_the_driver_capabilities_or_stated_as_an_ability_confirms_the_container() -> None:
    from whygpu.explain.remedies import stated_remedies

    for said in ("I was able to fix this by putting `utility` and `compute` next to `gpu` in the device capabilities of the compose file.",
                 "We managed to solve it with NVIDIA_DRIVER_CAPABILITIES=compute,utility in the service environment.",
                 "Finally I was able to get it working by starting the container with --gpus all."):
        assert [r.cause for r in stated_remedies(said)] == ["CONTAINER_NO_GPU"], said


def test_ability_and_capability_words_that_state_no_fix_are_not_read() -> None:
    from whygpu.explain.remedies import stated_remedies

    for said in ("Was anybody able to fix this by adding --gpus all?",
                 "I was not able to fix it by adding --gpus all.",
                 "I could fix it by adding --gpus all, but the image is shared.",
                 "If you were able to fix it with the utility capability, please tell us.",
                 "The device reports compute capability 8.6."):
        assert [r.cause for r in stated_remedies(said)] == [], said
    assert [r.cause for r in stated_remedies("I was able to fix it by rebuilding for compute capability 8.6.")] != ["CONTAINER_NO_GPU"]


# --- inside a container (its short id as the host name) the driver's library missing ----------------------------------


def test_a_program_reporting_the_containers_short_id_as_host_name_places_it_inside() -> None:
    from log_text import facts as _facts

    assert _facts("I0312 cuda_diagnostics.cc:121] hostname: 4f0c9a7be21d\n").in_container
    for not_an_id in ("hostname: gpu-node-17\n", "hostname: 123456789012\n", "hostname: 4f0c9a7be21d-worker\n"):
        assert not _facts(not_an_id).in_container, not_an_id


def test_tensorflow_1_dso_line_with_an_unset_library_path_is_read() -> None:
    got = _codes("I tensorflow/stream_executor/dso_loader.cc:99] Couldn't open CUDA library libcuda.so.1. LD_LIBRARY_PATH:\n")
    assert got[:1] == ["DRIVER_MISSING"]


def test_the_driver_library_missing_inside_a_container_means_it_was_not_given_the_gpu() -> None:
    inside = ("root@9c2f0e71ab34:/srv# python train.py\n"
              "E0312 dso_loader.cc] Could not load dynamic library 'libcuda.so.1'; dlerror: libcuda.so.1: cannot open shared object file: No such file or directory\n")
    assert _codes(inside)[:1] == ["CONTAINER_NO_GPU"]
    compose = ("worker-1  | starting\n"
               "worker-1  | OSError: libnvidia-ml.so.1: cannot open shared object file: No such file or directory\n")
    assert _codes(compose)[:1] == ["CONTAINER_NO_GPU"]


def test_the_driver_library_missing_where_a_container_is_only_named_or_was_given_the_gpu_stays_the_drivers() -> None:
    line = "E0312 dso_loader.cc] Could not load dynamic library 'libcuda.so.1'; dlerror: libcuda.so.1: cannot open shared object file: No such file or directory\n"
    named = "I do not use docker, this is a plain Ubuntu host.\n" + line
    assert _codes(named)[:1] == ["DRIVER_MISSING"]
    advised = "Someone said to try `docker run --gpus all` instead, but this is the host:\n" + line
    assert _codes(advised)[:1] == ["DRIVER_MISSING"]
    given = "$ docker run --gpus all -it --rm myorg/app:2.0\nroot@9c2f0e71ab34:/srv# python train.py\n" + line
    assert not any(f.id == "LOG103" and "user-space is missing" in f.title for f in explain_text(given).findings)


# --- TensorFlow's native import failing in a GPU image; the launch typed at a prompt -----------------------------------

_NATIVE = ('Traceback (most recent call last):\n'
           '  File "/usr/local/lib/python3.6/dist-packages/tensorflow/python/pywrap_tensorflow.py", line 58, in <module>\n'
           '    from tensorflow.python.pywrap_tensorflow_internal import *\n'
           '  File "/usr/local/lib/python3.6/dist-packages/tensorflow/python/pywrap_tensorflow_internal.py", line 28, in <module>\n'
           '    _pywrap_tensorflow_internal = swig_import_helper()\n'
           '[...]\n')


def test_tensorflows_native_import_failing_in_a_gpu_image_without_the_gpu_is_the_container() -> None:
    for image in ("I use the tensorflow/tensorflow:1.12.0-gpu-py3 image.\n",
                  "FROM nvidia/cuda:9.0-cudnn7-runtime-ubuntu16.04\n",
                  "The job runs in nvcr.io/nvidia/tensorflow:19.01-py3.\n"):
        assert _codes(image + _NATIVE)[:1] == ["CONTAINER_NO_GPU"], image


def test_tensorflows_native_import_failing_elsewhere_is_not_this_reading() -> None:
    # No GPU image: nothing says which library, nor that it ran in a container.
    assert "CONTAINER_NO_GPU" not in _codes(_NATIVE)
    # The image started with the GPU: the failure is another one.
    given = "$ docker run --gpus all -it tensorflow/tensorflow:1.12.0-gpu-py3 python\n" + _NATIVE
    assert not any("native library failed to load" in f.title for f in explain_text(given).findings)
    # The library named: its own reading decides.
    named = "FROM nvidia/cuda:9.0-cudnn7-runtime-ubuntu16.04\n" + _NATIVE + "ImportError: libcublas.so.10.0: cannot open shared object file: No such file or directory\n"
    assert not any("native library failed to load" in f.title for f in explain_text(named).findings)


def test_the_launch_typed_at_a_prompt_is_the_one_that_ran() -> None:
    text = ("The documented way is:\n\n`docker run --gpus all --rm -it -p 8080:8080 acme/translator`\n\n"
            "What I ran:\n[root@box ~]# docker run --rm -it -p 8080:8080 acme/translator\n" + _NATIVE)
    assert _codes(text)[:1] == ["CONTAINER_NO_GPU"]
    # Both at a prompt: the launch with the GPU is shown run too, so neither is taken as the failing one.
    both = "$ docker run --gpus all --rm acme/translator\n$ docker run --rm acme/translator\n" + _NATIVE
    assert not any(f.id == "LOG103" and "was given no GPU" in f.title for f in explain_text(both).findings)


def test_the_toolkits_check_with_the_gpu_does_not_stand_for_the_programs_launch() -> None:
    text = ("$ docker run --rm --gpus all nvidia/cuda:12.2.0-base-ubuntu22.04 nvidia-smi\n(the GPU table prints fine)\n"
            "$ docker run --rm -it acme/trainer:3.1 python train.py\n"
            "E0312 dso_loader.cc] Could not load dynamic library 'libcuda.so.1'; dlerror: libcuda.so.1: cannot open shared object file: No such file or directory\n")
    assert _codes(text)[:1] == ["CONTAINER_NO_GPU"]


# --- the GPU given without the compute capability ----------------------------------------------------------------------

_NO_CUDA = ">>> torch.cuda.is_available()\nFalse\n"


@pytest.mark.parametrize("setting", [
    "    environment:\n      - NVIDIA_DRIVER_CAPABILITIES=utility\n",
    "$ nerdctl run --rm -it --gpus capabilities=utility,device=0 acme/llm:1.2 python\n",
    "            capabilities: [utility, video]\n",
])
def test_driver_capabilities_without_compute_mean_the_gpu_was_given_without_cuda(setting: str) -> None:
    got = _codes(setting + _NO_CUDA)
    assert got[:1] == ["CONTAINER_NO_GPU"], setting
    smi = setting + "| NVIDIA-SMI 550.54.15    Driver Version: 550.54.15    CUDA Version: N/A |\n"
    assert _codes(smi)[:1] == ["CONTAINER_NO_GPU"], setting


@pytest.mark.parametrize("setting", [
    "NVIDIA_DRIVER_CAPABILITIES=compute,utility\n",
    "NVIDIA_DRIVER_CAPABILITIES: all\n",
    "            capabilities: [gpu]\n",
    "The card's compute capabilities: [8.6]\n",
])
def test_capabilities_with_compute_or_the_cuda_sense_of_the_word_are_not_this_reading(setting: str) -> None:
    assert not any("without the compute capability" in f.title for f in explain_text(setting + _NO_CUDA).findings), setting
    # Without any failure, a utility-only setting is a monitoring container's, not a problem.
    assert _codes("NVIDIA_DRIVER_CAPABILITIES=utility\n$ nvidia-smi -L\nGPU 0: NVIDIA L4 (UUID: GPU-12)\n") == []


# --- quiet: what names a container without showing it went without the GPU ------------------------------------------


@pytest.mark.parametrize("text", [
    # a Dockerfile discussed, built, no failure
    "FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04\nRUN pip install torch==2.4.0\n"
    "Step 2/2 : RUN pip install torch==2.4.0\nSuccessfully built 3f2a9c1d7e55\n",
    # a CPU image run on purpose, its work done
    "$ docker run --rm -v $PWD:/w python:3.11-slim python /w/preprocess.py\nwrote 1200 rows to out.csv\n",
    # a question about the flag
    "Should I start the image with --gpus all, or is the runtime option enough?\n",
    # a compose service prefix on a healthy run
    "api-1  | Loading model on cuda:0\napi-1  | Model ready, 2.1 GiB on NVIDIA L4\n",
])
def test_container_words_without_a_failure_stay_quiet(text: str) -> None:
    assert _codes(text) == [], text


# --- the runtime starting nvidia-smi as the container's command and not finding it ----------------------------------


@pytest.mark.parametrize("line", [
    'docker: Error response from daemon: OCI runtime create failed: runc create failed: unable to start container process: '
    'exec: "nvidia-smi": executable file not found in $PATH: unknown.\n',
    "Error: crun: executable file `nvidia-smi` not found in $PATH: No such file or directory\n",
])
def test_nvidia_smi_missing_as_the_containers_command_means_the_runtime_did_not_mount_it(line: str) -> None:
    assert _codes(line)[:1] == ["CONTAINER_NO_GPU"], line


def test_another_command_missing_in_the_container_is_not_the_drivers() -> None:
    assert "LOG-PLAT-CTR-NO-SMI-INJECTED" not in _ids('exec: "python3": executable file not found in $PATH: unknown\n')
    assert "LOG-PLAT-CTR-NO-SMI-INJECTED" not in _ids("Is `nvidia-smi` supposed to be found in $PATH inside the image?\n")


# --- a launch without the GPU explains the driver-side answers it causes -------------------------------------------


def test_a_launch_without_the_gpu_outranks_the_driver_too_old_answer_it_causes() -> None:
    answer = "RuntimeError: CUDA error: CUDA driver version is insufficient for CUDA runtime version\n"
    bare = "$ docker run --rm -it acme/trainer:2.0 python train.py\n" + answer
    assert _codes(bare)[:2] == ["CONTAINER_NO_GPU", "DRIVER_TOO_OLD"]
    # Given the GPU, the answer is the driver's own: too old for the image's CUDA.
    given = "$ docker run --rm --gpus all -it acme/trainer:2.0 python train.py\n" + answer
    assert _codes(given)[:1] == ["DRIVER_TOO_OLD"]
    # acccont (session 34): inside a container whose launch is not shown and no driver version shown, the container's first
    # (knowledge/driver_reach.toml counts the corpus: CONTAINER_NO_GPU 3, DRIVER_TOO_OLD 1); with a driver shown too old for
    # the image's CUDA, the driver's own reading stands.
    inside = "root@3fa9b2c1d0e4:/app# python train.py\n" + answer
    assert _codes(inside)[:2] == ["CONTAINER_NO_GPU", "DRIVER_TOO_OLD"]
    old = "FROM nvidia/cuda:11.8.0-runtime-ubuntu22.04\nDriver Version: 418.87.00\nroot@3fa9b2c1d0e4:/app# python train.py\n" + answer
    assert _codes(old)[:1] == ["DRIVER_TOO_OLD"]
