"""accplat (session 29): platform and install facts in words and installers' output (explain/platfacts.py, platrules.py).

Each reading fires in several wordings written from the message's format or the fact's meaning, and stays quiet where
the words are asked, supposed, advised, negated or about something else.
"""

from __future__ import annotations

import pytest
from tests.log_text import codes, facts, finding_codes, first_cause

from whygpu.explain import platfacts
from whygpu.knowledge.gcp import gcp_accelerator_gpu, gcp_machine_gpu
from whygpu.knowledge.jax import cuda_jaxlib_not_found
from whygpu.knowledge.python_layouts import release_without_windows_gpu

# --- 1. a GPU machine named beside the runtime's "no device" answer --------------------------------------------------


@pytest.mark.parametrize("text", [
    "cudaGetDeviceCount returned 100 -> no CUDA-capable device is detected\nThe instance is a p3.2xlarge.",
    "Our job on an ml.g5.2xlarge endpoint fails: RuntimeError: CUDA error: no CUDA-capable device is detected",
    "gcloud compute instances create box --machine-type=g2-standard-8 --zone=us-east1-b\n"
    "cudaErrorNoDevice: no CUDA-capable device is detected",
    "Cluster made with --worker-accelerator type=nvidia-tesla-t4,count=1\n"
    "deviceQuery: cudaGetDeviceCount returned 100 -> no CUDA-capable device is detected",
    "The node does have an A100.\nCUDA error: no CUDA-capable device is detected",
])
def test_a_gpu_machine_named_reads_the_no_device_answer_as_the_driver_first(text: str) -> None:
    assert first_cause(text) == "DRIVER_MISSING"


@pytest.mark.parametrize("text", [
    # no machine named: the base rate (no GPU) stays first
    "cudaGetDeviceCount returned 100 -> no CUDA-capable device is detected",
    # the machine named only in a question
    "Does a p3.2xlarge have a GPU?\ncudaGetDeviceCount returned 100 -> no CUDA-capable device is detected",
    # a GPU the writer says the machine does not have
    "I have no A100 here.\ncudaGetDeviceCount returned 100 -> no CUDA-capable device is detected",
    # a CPU instance type
    "on a c5.2xlarge: cudaGetDeviceCount returned 100 -> no CUDA-capable device is detected",
])
def test_without_a_gpu_machine_the_no_device_answer_keeps_its_base_rate(text: str) -> None:
    assert first_cause(text) == "NO_GPU"


def test_a_visibility_setting_still_decides_on_a_gpu_machine() -> None:
    text = ("export CUDA_VISIBLE_DEVICES=3\non a p3.2xlarge instance:\n"
            "cudaGetDeviceCount returned 100 -> no CUDA-capable device is detected")
    assert first_cause(text) == "GPU_HIDDEN"


def test_cloud_machine_tables() -> None:
    assert gcp_machine_gpu("a2-highgpu-1g") == "A100"
    assert gcp_machine_gpu("g2-standard-4") == "L4"
    assert gcp_machine_gpu("n1-standard-8") is None
    assert gcp_accelerator_gpu("nvidia-tesla-t4") == "Tesla T4"
    assert gcp_accelerator_gpu("nvidia-nonesuch") is None
    assert platfacts.cloud_gpu_machines("we run on g4dn.xlarge nodes") == ["g4dn.xlarge"]
    assert platfacts.cloud_gpu_machines("we run on m5.xlarge nodes") == []


# --- 2. driver facts in words ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "The GKE installer puts driver version 535.104.05 on the nodes, and our CUDA 13 based images fail with an insufficient driver error.",
    "The daemonset installs driver 535. The RAPIDS image needs CUDA 13.0 and every job fails.",
    "nvidia-driver-470 is what the AMI ships; the container is built with CUDA 12.4 and the GPU is not used.",
    "The nodes have driver version 470. This release requires CUDA 12.1, and training falls back to the CPU.",
])
def test_a_driver_stated_older_than_the_cuda_said_needed_is_too_old(text: str) -> None:
    assert first_cause(text) == "DRIVER_TOO_OLD"
    assert "LOG102" in finding_codes(text)


@pytest.mark.parametrize("text", [
    # a driver new enough for the CUDA said needed
    "The nodes run driver 580.65.06 and our CUDA 13 based images fail.",
    # the CUDA in a question
    "The daemonset installs driver 535. Does the image need CUDA 13?",
    # the CUDA negated
    "The daemonset installs driver 535; the image is not built with CUDA 13.",
])
def test_no_driver_too_old_without_a_cuda_it_cannot_run(text: str) -> None:
    assert "LOG102" not in finding_codes(text)


def test_driver_branch_and_cuda_words_are_read() -> None:
    assert platfacts.driver_branch_said("the daemonset installs driver 535 on every node") == ["535"]
    assert platfacts.driver_branch_said("we pinned nvidia-driver-470-server") == ["470"]
    assert platfacts.driver_branch_said("it uses the R550 driver") == ["550"]
    assert platfacts.driver_branch_said("Is driver 535 enough?") == []
    assert platfacts.cuda_said_needed("CUDA 12.8-based wheels crash at import") == ["12.8"]
    assert platfacts.cuda_said_needed("the image requires CUDA >= 12.6") == ["12.6"]
    assert platfacts.cuda_said_needed("if the image needs CUDA 13, update the driver") == []


@pytest.mark.parametrize("text", [
    "import torch; print(torch.cuda.is_available())\nFalse\nWith sudo it works and prints True, as my own user it prints False.",
    "torch only sees the GPU when I run it with sudo.\ntorch.cuda.is_available() returns False",
    "As a regular user the GPU is not found, but root can use it.\nRuntimeError: No CUDA GPUs are available",
    "NVIDIA: could not open the device file /dev/nvidiactl (Permission denied).\nRuntimeError: No CUDA GPUs are available",
    "I was not in the video group.\ntorch.cuda.is_available() is False",
    "It works if I run it as root; as myself torch.cuda.is_available() is False.",
    "sudo python train.py uses the GPU, but python train.py runs on the CPU.",
    "The GPU is only visible to root.\nRuntimeError: No CUDA GPUs are available",
])
def test_the_gpu_reachable_as_root_only_is_hidden(text: str) -> None:
    assert first_cause(text) == "GPU_HIDDEN"
    assert "LOG410" in finding_codes(text)


@pytest.mark.parametrize("text", [
    "Should I run it with sudo?\ntorch.cuda.is_available() returns False",
    "Try running it with sudo.\ntorch.cuda.is_available() returns False",
    "sudo apt install nvidia-driver-535\ntorch.cuda.is_available() returns False",
    "sudo pip install torch\ntorch.cuda.is_available() returns False",
    "We tried sudo, still False.\ntorch.cuda.is_available() returns False",
    "Running it as root does not help either.\ntorch.cuda.is_available() returns False",
])
def test_sudo_named_otherwise_is_not_root_only(text: str) -> None:
    assert "LOG410" not in finding_codes(text)


@pytest.mark.parametrize("text", [
    "Since the upgrade the init script fails: yarn cannot find GPU resources and nvidia-smi does not work.",
    "After the kernel update nvidia-smi isn't working anymore and training falls back to CPU.",
    "We cannot run nvidia-smi on the new nodes; the job finds no GPU.",
    "On the new image nvidia-smi returns an error and TensorFlow lists no GPU.",
])
def test_nvidia_smi_said_failing_reads_as_the_driver_missing(text: str) -> None:
    assert first_cause(text) == "DRIVER_MISSING"
    assert "LOG411" in finding_codes(text)


@pytest.mark.parametrize("text", [
    "nvidia-smi works fine, but the job finds no GPU.",
    "If nvidia-smi does not work, reinstall the driver. The job finds no GPU.",
    "Does nvidia-smi fail for you too? The job finds no GPU.",
    # nvidia-smi's own message decides (the mismatch)
    "nvidia-smi fails with:\nFailed to initialize NVML: Driver/library version mismatch",
])
def test_nvidia_smi_words_quiet_where_they_do_not_say_it_fails_now(text: str) -> None:
    assert "LOG411" not in finding_codes(text)


# --- 3. install facts -----------------------------------------------------------------------------------------------


def test_pinned_cuda_jaxlib_reading() -> None:
    # pip's list holds the pinned release's plain version: the platform has it, its CUDA build was not on the index
    assert cuda_jaxlib_not_found("0.3.25", ["0.3.20", "0.3.22", "0.3.25"], None) == "FRAMEWORK_INSTALL_BROKEN"
    # pip's list holds +cuda versions: JAX's CUDA index was read
    assert cuda_jaxlib_not_found("0.4.20", ["0.4.1+cuda11.cudnn86", "0.4.2+cuda11.cudnn86"], None) == "FRAMEWORK_INSTALL_BROKEN"
    # PyPI's Windows list (plain, from 0.4.13)
    assert cuda_jaxlib_not_found("0.4.10", ["0.4.13", "0.4.14", "0.4.16"], None) == "FRAMEWORK_CPU_BUILD"
    assert cuda_jaxlib_not_found("0.4.10", None, "windows") == "FRAMEWORK_CPU_BUILD"
    assert cuda_jaxlib_not_found("0.4.10", None, "linux") == "FRAMEWORK_INSTALL_BROKEN"
    assert cuda_jaxlib_not_found("0.4.10", None, None) is None


@pytest.mark.parametrize("text", [
    "Step 4/9 : RUN pip install jax[cuda] -f https://storage.googleapis.com/jax-releases/jax_releases.html\n"
    "ERROR: Could not find a version that satisfies the requirement jaxlib==0.3.25+cuda11.cudnn82 (from jax[cuda]) (from versions: 0.3.20, 0.3.22, 0.3.24, 0.3.25)\n"
    "ERROR: No matching distribution found for jaxlib==0.3.25+cuda11.cudnn82",
    "ERROR: Could not find a version that satisfies the requirement jaxlib==0.4.20+cuda12.cudnn89 (from versions: 0.4.1+cuda11.cudnn86, 0.4.2+cuda11.cudnn86, 0.4.3+cuda11.cudnn86)",
])
def test_a_pinned_cuda_jaxlib_the_index_does_not_serve_is_a_broken_install(text: str) -> None:
    assert first_cause(text) == "FRAMEWORK_INSTALL_BROKEN"
    assert 'jax[cuda12]' in str(report_fix(text))


def report_fix(text: str) -> str:
    from tests.log_text import report

    return report(text).causes[0].fix


@pytest.mark.parametrize("text", [
    "ERROR: Could not find a version that satisfies the requirement jaxlib==0.4.10+cuda11.cudnn86 (from versions: 0.4.13, 0.4.14, 0.4.16)\n"
    "ERROR: No matching distribution found for jaxlib==0.4.10+cuda11.cudnn86",
    "On Windows 11:\nERROR: No matching distribution found for jaxlib==0.4.10+cuda11.cudnn86",
])
def test_a_pinned_cuda_jaxlib_on_windows_stays_a_cpu_build(text: str) -> None:
    assert first_cause(text) == "FRAMEWORK_CPU_BUILD"


def test_bitsandbytes_release_table() -> None:
    assert release_without_windows_gpu("bitsandbytes", "0.41.1") is not None
    assert release_without_windows_gpu("bitsandbytes", "0.43.0") is None
    assert release_without_windows_gpu("bitsandbytes", "0.45.2") is None
    assert release_without_windows_gpu("torch", "0.41.1") is None


@pytest.mark.parametrize("text", [
    "OS: Windows 10\nbitsandbytes==0.40.2\npython -m bitsandbytes\nFalse",
    "Successfully installed bitsandbytes-0.41.1\n  File \"C:\\Users\\me\\venv\\Lib\\site-packages\\bitsandbytes\\cextension.py\", line 20\n"
    "CUDA Setup failed despite GPU being available.",
])
def test_an_old_bitsandbytes_on_native_windows_has_no_gpu_build(text: str) -> None:
    assert first_cause(text) == "FRAMEWORK_CPU_BUILD"
    assert "LOG412" in finding_codes(text)


@pytest.mark.parametrize("text", [
    "OS: Windows 10\nbitsandbytes==0.43.1\npython -m bitsandbytes\nFalse",
    "OS: Ubuntu 22.04\nbitsandbytes==0.40.2\npython -m bitsandbytes\nFalse",
    "OS: Windows 10\nbitsandbytes>=0.39\npython -m bitsandbytes\nFalse",
    "WSL2 Ubuntu on Windows 11, /mnt/c/Users/me/venv/lib/python3.10/site-packages\nbitsandbytes==0.40.2",
    "OS: Windows 10\nbitsandbytes==0.40.2\nloading C:\\env\\Lib\\site-packages\\bitsandbytes\\libbitsandbytes_cuda118.dll\nFalse",
])
def test_bitsandbytes_quiet_where_its_release_has_a_windows_build_or_the_platform_is_not_windows(text: str) -> None:
    assert "LOG412" not in finding_codes(text)


@pytest.mark.parametrize("text", [
    "AttributeError: module 'torch._C' has no attribute '_cuda_setDevice'",
    "    torch._C._cuda_getDeviceCount()\nAttributeError: module 'torch._C' has no attribute '_cuda_getDeviceCount'",
    'AttributeError: module "torch._C" has no attribute "_cuda_emptyCache"',
])
def test_torch_without_its_cuda_functions_is_a_cpu_build(text: str) -> None:
    assert first_cause(text) == "FRAMEWORK_CPU_BUILD"


@pytest.mark.parametrize("text", [
    "AttributeError: module 'torch._C' has no attribute '_jit_pass_foo'",
    "AttributeError: module 'torch' has no attribute 'compile'",
])
def test_other_missing_attributes_are_not_a_cpu_build(text: str) -> None:
    assert "FRAMEWORK_CPU_BUILD" not in codes(text)


# --- 4. the Windows platform from a traceback's paths ------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    '  File "C:\\sd\\venv\\Lib\\site-packages\\torch\\cuda\\__init__.py", line 284, in _lazy_init',
    "  File \"D:\\tools\\envs\\ml\\lib\\site-packages\\tensorflow\\__init__.py\", line 3",
    "E:\\ComfyUI\\.venv\\Scripts\\python.exe main.py",
    "{WindowsPath('/usr/local/cuda/lib64')}",
])
def test_a_drive_letter_environment_path_places_the_log_on_windows(text: str) -> None:
    assert facts(text).platform_name() == "windows"


@pytest.mark.parametrize("text", [
    '  File "/mnt/c/Users/me/venv/lib/python3.10/site-packages/torch/cuda/__init__.py", line 284',
    '  File "/home/me/venv/lib/python3.10/site-packages/torch/cuda/__init__.py", line 284',
    "Saved to C:\\data\\images\\out.png",
])
def test_other_paths_do_not_place_the_log_on_windows(text: str) -> None:
    assert facts(text).platform_name() != "windows"
