"""Devices, platforms and builds as a log shows them: containers started without the GPU, a program's own count
of the GPUs it found, and the messages whose meaning depends on them; each class fires on lines that mean it
and stays quiet without them.

The lines are written from what each message means (its source is named beside the reader or the signature),
not copied from a corpus case; docs/explain-accuracy.md ("Session 17 (branch acc8b)") says which cases of
which set each class fixed and broke.
"""

from __future__ import annotations

from log_text import codes as _codes
from log_text import facts as _facts
from log_text import report as _report

# --- a container started without the GPU, and the driver missing inside it ------------------------

_NO_LIBCUDA = (
    "W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcuda.so.1'; "
    "dlerror: libcuda.so.1: cannot open shared object file: No such file or directory\n"
    "W tensorflow/stream_executor/cuda/cuda_driver.cc:269] failed call to cuInit: UNKNOWN ERROR (303)\n"
)


def test_driver_missing_inside_a_container_started_without_the_gpu_is_the_container() -> None:
    for launch in ("$ docker run -it --rm -v /data:/data my-image python train.py\n",
                   "singularity exec my-image.sif python train.py\n"):
        report = _report(launch + _NO_LIBCUDA)
        first = report.causes[0]
        assert first.code == "CONTAINER_NO_GPU", launch
        assert first.confidence.value == "high", launch
        assert "driver the runtime would have mounted in is missing" in first.title


def test_driver_missing_with_the_gpu_given_or_no_launch_shown_stays_the_driver() -> None:
    # The same lines without any container: the driver (or the GPU) is missing on the machine.
    assert _codes(_NO_LIBCUDA)[:1] == ["DRIVER_MISSING"]
    # Started with the GPU: the launch line explains nothing, LOG103 stays quiet.
    report = _report("$ docker run --gpus all -it my-image python train.py\n" + _NO_LIBCUDA)
    assert "LOG103" not in [f for c in report.causes for f in c.findings]


def test_a_bare_launch_without_the_driver_missing_stays_medium() -> None:
    report = _report("$ docker run -it my-image python train.py\n>>> torch.cuda.is_available()\nFalse\n")
    assert report.causes[0].code == "CONTAINER_NO_GPU"
    assert report.causes[0].confidence.value == "medium"


def test_a_bare_launch_does_not_explain_the_images_own_library_failures() -> None:
    # The image's CUDA libraries load with or without --gpus: an undefined symbol between them is the image's.
    launch = "$ docker run -it my-image:v1 python -c 'import cuml'\n"
    symbol = "ImportError: /opt/conda/lib/libcublas.so.11: undefined symbol: cublasLtGetStatusString, version libcublasLt.so.11\n"
    report = _report(launch + symbol)
    assert report.causes[0].code == "CUDA_LIBS_MISMATCH"
    assert "LOG103" not in [f for c in report.causes for f in c.findings]
    # What a container without the GPU does cause (no device) keeps the launch line's reading.
    report = _report(launch + "RuntimeError: CUDA error: no CUDA-capable device is detected\n")
    assert "LOG103" in [f for c in report.causes for f in c.findings]


def test_docker_exec_enters_a_running_container_and_says_nothing_about_the_gpu() -> None:
    # `docker exec` takes no --gpus: the GPU is given when the container is created.
    facts = _facts("$ docker exec -it 4a162a13f695 python -c 'import torch'\n")
    assert facts.in_container
    assert not facts.docker_run_without_gpus and not facts.docker_run_with_gpus
    # `singularity exec` starts the container and takes --nv itself: still a launch.
    assert _facts("singularity exec image.sif python run.py\n").docker_run_without_gpus
    assert _facts("docker run -it image python run.py\n").docker_run_without_gpus


# --- a program's own count of the GPUs it found ----------------------------------------------------

def test_lightning_finding_no_gpu_for_the_ones_requested_is_torch_finding_none() -> None:
    facts = _facts("pytorch_lightning.utilities.exceptions.MisconfigurationException: You requested GPUs: [0]\n"
                   " But your machine only has: []\n")
    assert [s.value for s in facts.gpu_answer.get("torch", [])] == [False]
    # Other GPU ids than the ones asked for: a wrong choice of GPU, not "no GPU".
    assert not _facts("You requested gpu: [2]\n But your machine only has: [0, 1]\n").gpu_answer


def test_a_gpu_count_of_zero_is_the_named_framework_finding_none() -> None:
    facts = _facts("import torch\nNumber of GPUs: 0\nNumber of CPUs: 32\n")
    assert [s.value for s in facts.gpu_answer.get("torch", [])] == [False]
    # No framework named: the program's words that it found none, for LOG104 to rank.
    assert _facts("Temp directory: /tmp\nNumber of GPUs: 0\n").stated_unused
    # A GPU counted, a count of ten, or a version number: nothing.
    for line in ("Number of GPUs: 1\n", "Number of GPUs: 10\n", "number of gpus: 0.5 per trial\n"):
        facts = _facts("import torch\n" + line)
        assert not facts.gpu_answer and not facts.stated_unused, line


def test_a_count_of_zero_inside_a_container_ranks_the_container_first() -> None:
    log = ("$ docker exec -it 4a162a13f695 head logs/ts_log.log\n"
           "Temp directory: /home/model-server/tmp\nNumber of GPUs: 0\nNumber of CPUs: 32\n")
    assert _codes(log)[:1] == ["CONTAINER_NO_GPU"]


# --- WSL2: CUDA finding no device -------------------------------------------------------------------

_WSL = "Linux DESKTOP-1 5.15.133.1-microsoft-standard-WSL2 #1 SMP Thu Oct 5 21:02:42 UTC 2023 x86_64 GNU/Linux\n"
_NO_DEVICE = "CudaSupportError: Error at driver init: Call to cuInit results in CUDA_ERROR_NO_DEVICE (100)\n"


def test_no_device_inside_wsl2_is_another_libcuda_found_first() -> None:
    causes = _report(_WSL + _NO_DEVICE).causes
    assert causes[0].code == "CUDA_LIBS_NOT_ON_PATH" and "/usr/lib/wsl/lib" in causes[0].fix
    # A Linux driver installed inside WSL is the other reading, listed.
    assert "DRIVER_MISMATCH" in [c.code for c in causes[:3]]
    # The runtime's message form too.
    assert _codes(_WSL + "RuntimeError: CUDA error: no CUDA-capable device is detected\n")[:1] == ["CUDA_LIBS_NOT_ON_PATH"]


def test_no_device_off_wsl_or_with_other_readings_stays_as_it_was() -> None:
    # Native Linux: CUDA_VISIBLE_DEVICES hiding the GPU stays first.
    assert _codes("Linux host 6.8.0-45-generic #45-Ubuntu SMP x86_64 GNU/Linux\n" + _NO_DEVICE)[:1] == ["GPU_HIDDEN"]
    # On WSL2 with the GPUs hidden, in a container, or with nvidia-smi failing: their readings, not this one.
    for extra in ("CUDA_VISIBLE_DEVICES=-1\n", "$ docker run -it my-image python train.py\n",
                  "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
                  "Make sure that the latest NVIDIA driver is installed and running.\n"):
        report = _report(_WSL + extra + _NO_DEVICE)
        assert "LOG145" not in [f for c in report.causes for f in c.findings], extra
    # WSL2 without a no-device answer: nothing of this rule.
    assert "LOG145" not in [f for c in _report(_WSL + ">>> torch.cuda.is_available()\nFalse\n").causes for f in c.findings]


# --- the kernel module finding no device to drive ---------------------------------------------------

def test_modprobe_no_such_device_is_a_machine_without_a_gpu_to_drive() -> None:
    causes = _codes("$ sudo modprobe nvidia\nmodprobe: ERROR: could not insert 'nvidia': No such device\n")
    assert causes[0] == "NO_GPU" and "DRIVER_MISSING" in causes[:3]
    # The module's other refusals are other causes (Secure Boot, a module built for another kernel).
    for line in ("modprobe: ERROR: could not insert 'nvidia': Key was rejected by service\n",
                 "modprobe: ERROR: could not insert 'nvidia_uvm': Unknown symbol in module, or unknown parameter (see dmesg)\n",
                 "modprobe: ERROR: could not insert 'nvme': No such device\n"):
        assert "NO_GPU" not in _codes(line)[:1], line


# --- older GPUs the log names, judged by their compute capability -----------------------------------

def test_older_boards_are_known_by_their_compute_capability() -> None:
    from whygpu.knowledge.gpus import gpu_in_text

    for printed, cc in (("Quadro FX 2800M", "1.1"), ("GeForce GTX 580", "2.0"), ("NVIDIA GeForce GTX 680", "3.0"),
                        ("GeForce GTX 780M", "3.0"), ("GeForce GTX 780", "3.5"), ("Quadro K4000", "3.0")):
        model = gpu_in_text(printed)
        assert model is not None and model.compute_capability == cc, printed


def test_a_board_below_every_current_cuda_is_not_supported_and_a_newer_one_is_quiet() -> None:
    line = "tensorflow-gpu on Windows 10, GPU: {gpu}, CUDA v8.0\nF tensorflow/core/common_runtime/gpu/gpu_init.cc: Check failed: no GPU device\n"
    report = _report(line.format(gpu="GeForce GTX 480"))
    assert report.causes and report.causes[0].code == "GPU_NOT_SUPPORTED"
    assert "2.0" in report.causes[0].title
    report = _report(line.format(gpu="GeForce GTX 1050 Ti"))
    assert "LOG110" not in [f for c in report.causes for f in c.findings]


# --- the GPU named in other words: against CJK text, a Radeon model number, Intel's integrated graphics --

def test_gpu_names_written_against_cjk_text_are_read() -> None:
    # In a str pattern \b is Unicode-aware: no edge between 持 and A. The names must still be read.
    assert [s.value for s in _facts("请问是不是不支持AMD显卡？").gpu_vendor] == ["amd"]
    assert [s.value for s in _facts("我的显卡GeForce GTX 1060很慢").gpu_model] == ["GeForce GTX 1060"]
    # A CPU's name stays a CPU's.
    assert not _facts("我的电脑是AMD64架构, AMD Ryzen 7 5800X").gpu_vendor


def test_an_amd_card_named_beside_a_cpu_build_is_not_supported_first() -> None:
    log = "我是AMD 6600XT显卡\nAssertionError: Torch not compiled with CUDA enabled\n"
    assert _codes(log)[:2] == ["GPU_NOT_SUPPORTED", "FRAMEWORK_CPU_BUILD"]
    # The maker alone (no model, no "graphics card"): the CPU build keeps the lead.
    assert _codes("AMD\nAssertionError: Torch not compiled with CUDA enabled\n")[:1] == ["FRAMEWORK_CPU_BUILD"]


def test_intel_integrated_graphics_alone_is_a_machine_without_an_nvidia_gpu() -> None:
    for line in ("My laptop only has Intel(R) UHD Graphics 620\n", "I have Intel HD graphics 4000, no NVIDIA card\n",
                 "using a Laptop with Intel i5 Graphics card\n"):
        causes = _codes(line + "RuntimeError: Found no NVIDIA driver on your system.\n")
        assert causes[0] == "NO_GPU" and "GPU_NOT_SUPPORTED" in causes[:3], line
    # Intel's discrete Arc board: not "no GPU" (its own plugin is the way), LOG107 keeps it.
    report = _report("GPU: Intel Arc A770\n>>> torch.cuda.is_available()\nFalse\n")
    assert report.causes[0].code == "GPU_NOT_SUPPORTED"
    # Integrated graphics beside an NVIDIA GPU (a laptop with both): nothing of this rule.
    report = _report("Intel UHD Graphics 630 and NVIDIA GeForce RTX 3060 Laptop GPU\n>>> torch.cuda.is_available()\nFalse\n")
    assert "LOG146" not in [f for c in report.causes for f in c.findings]


# --- a CUDA compiler that does not know the GPU's architecture ---------------------------------------

def test_compilers_refusing_the_gpus_architecture_mean_the_gpu_is_outside_the_build() -> None:
    for line in ("ptxas fatal   : Value 'sm_120' is not defined for option 'gpu-name'",
                 "ptxas fatal : Program with .target 'sm_90a' cannot be compiled to future architecture",
                 "LLVM ERROR: PTX version 8.4 does not support target 'sm_100a'. Minimum required PTX version is 8.6",
                 "RuntimeError: nvrtc: error: invalid value for --gpu-architecture (-arch)"):
        causes = _codes(line + "\n")
        assert causes[:2] == ["GPU_NOT_SUPPORTED", "CUDA_LIBS_MISMATCH"], line


def test_other_compiler_options_and_versions_say_nothing_about_the_gpu() -> None:
    for line in ("ptxas fatal   : Value 'foo' is not defined for option 'opt-level'",
                 "nvrtc: error: invalid value for --std",
                 "ptxas fatal : Unresolved extern function 'cudaGetParameterBufferV2'",
                 "PTX version 8.7 supports targets up to sm_120a"):
        assert "GPU_NOT_SUPPORTED" not in _codes(line + "\n"), line


# --- a GPU newer than the TensorFlow release runs on -------------------------------------------------

def test_two_digit_compute_capabilities_and_joined_names_are_read() -> None:
    facts = _facts("My RTX 5000 series GPU (compute capability 12.0) and an sm_100 node\nGPU: RTX5080 16gb\n")
    assert [s.value for s in facts.compute_capability] == ["12.0", "10.0"]
    # "RTX 5000 series" is a family of boards, not the Quadro RTX 5000; "RTX5080" is the RTX 5080.
    from whygpu.knowledge.gpus import gpu_in_text

    models = [gpu_in_text(s.value) for s in facts.gpu_model]
    assert [(m.name, m.compute_capability) for m in models if m] == [("GeForce RTX 5080", "12.0")]


def test_tensorflow_wheels_known_to_fail_on_blackwell() -> None:
    from whygpu.knowledge.tensorflow import tensorflow_fails_on, tensorflow_runs_on

    assert tensorflow_fails_on("2.20.0", "12.0") and tensorflow_fails_on("2.21.0.dev20250722", "12.0")
    assert tensorflow_runs_on("2.18.0", "12.0")[0] is False
    # The same wheels on Ada run their own kernels; a release outside the known range is not claimed.
    assert tensorflow_fails_on("2.20.0", "8.9") is None and tensorflow_runs_on("2.20.0", "8.9")[0] is True
    assert tensorflow_fails_on("2.22.0", "12.0") is None
    assert tensorflow_fails_on("2.16.1", "12.0") is None


def test_tensorflow_on_a_gpu_its_wheels_fail_on_is_not_supported() -> None:
    log = ("### TensorFlow version\n2.20\n### GPU model and memory\nGeForce RTX 5070 Ti, 16 GB\n"
           "W tensorflow/compiler/mlir/tools/kernel_gen/tf_gpu_runtime_wrappers.cc:40] 'cuModuleLoadData(&module, data)' "
           "failed with 'CUDA_ERROR_INVALID_PTX'\n")
    report = _report(log)
    assert report.causes[0].code == "GPU_NOT_SUPPORTED" and "LOG147" in report.causes[0].findings
    # The same release on an Ada card, or TensorFlow 2.3 on a 5.0 card (its list has no sm_50, but labelled
    # reports of it were other causes): LOG147 stays quiet.
    for other in (log.replace("RTX 5070 Ti", "RTX 4070"),
                  log.replace("2.20", "2.3.1").replace("GeForce RTX 5070 Ti", "GeForce GTX 960M")):
        assert "LOG147" not in [f for c in _report(other).causes for f in c.findings]



# --- memory: the out-of-memory numbers that cannot tell whose memory it is ---------------------------

def test_an_oom_without_the_process_whole_use_claims_no_other_process() -> None:
    old = ("torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.69 GiB (GPU 0; 14.56 GiB total capacity; "
           "649.97 MiB already allocated; 1.31 GiB free; 1.01 GiB reserved in total by PyTorch)\n")
    assert "GPU_BUSY" not in _codes(old)
    assert not _facts(old).oom_held_elsewhere


# --- a Linux NVIDIA driver installed inside WSL2 -----------------------------------------------------

def test_a_linux_driver_inside_wsl2_shadows_the_windows_one() -> None:
    for shown in ("$ dpkg -l | grep nvidia\nii  libnvidia-compute-535:amd64  535.183.01  amd64  NVIDIA libcompute package\n",
                  "$ sudo apt install cuda\nThe following NEW packages will be installed: cuda cuda-drivers cuda-drivers-550 nvidia-driver-550\n",
                  "$ ldconfig -p | grep libcuda\n\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1\n"):
        causes = _codes(_WSL + shown + ">>> torch.cuda.is_available()\nFalse\n")
        assert causes[:1] == ["DRIVER_MISMATCH"], shown


def test_a_linux_driver_off_wsl2_or_with_the_gpu_working_is_no_finding() -> None:
    pkg = "ii  nvidia-driver-535  535.183.01  amd64  NVIDIA driver metapackage\n"
    unused = ">>> torch.cuda.is_available()\nFalse\n"
    # On native Linux the driver package is the driver.
    native = _report("Linux host 6.8.0-45-generic #45-Ubuntu SMP x86_64 GNU/Linux\n" + pkg + unused)
    assert "LOG148" not in [f for c in native.causes for f in c.findings]
    # Inside WSL2 with the GPU working, or the Windows driver's own directory: nothing.
    assert "LOG148" not in [f for c in _report(_WSL + pkg + ">>> torch.cuda.is_available()\nTrue\n").causes for f in c.findings]
    assert not _facts("ls /usr/lib/wsl/lib/libcuda.so.1\n").linux_driver
    # A path the loader could not open is a file that is not there.
    assert not _facts("OSError: /usr/lib/x86_64-linux-gnu/libcuda.so.1: cannot open shared object file\n").linux_driver


# --- the GPU in an issue template's field, in the short forms reporters type -------------------------

def test_a_templates_gpu_field_names_the_gpu_by_its_number() -> None:
    for text, name in (("### GPU model and memory\n\n5070TI\n", "GeForce RTX 5070 Ti"),
                       ("- GPU model and memory: 1050ti 4 GB\n", "GeForce GTX 1050 Ti"),
                       ("### GPU model and memory\n4080 RTX\n", "GeForce RTX 4080")):
        assert [s.value for s in _facts(text).gpu_model] == [name], text
    # A size, "NA", another maker, or a number outside GeForce's series: nothing.
    for text in ("### GPU model and memory\n12G\n", "### GPU model and memory\nNA\n",
                 "- GPU model and memory: AMD Radeon RX 580, 8GB VRAM\n", "### GPU model and memory\n9999\n"):
        assert not _facts(text).gpu_model, text
    # The same number outside the field is no GPU ("we have 4080 samples").
    assert not _facts("we have 4080 samples\n").gpu_model


def test_a_blackwell_card_in_the_template_with_a_release_that_fails_on_it() -> None:
    log = "### TensorFlow version\n\n2.18\n\n### GPU model and memory\n\n5070TI\n\n### Current behavior?\n\nnot working\n"
    assert _codes(log)[:1] == ["GPU_NOT_SUPPORTED"]
