"""The hardware, driver and versions a log states (acchw, session 22: explain/hwstated.py, explain/hwrules.py LOG260-LOG263).

Every line here is written for the test from the class it stands for (varied wording and layouts, other templates'
phrasing), not copied from a report. Each reader fires where its statement is asserted of the writer's own machine now,
and stays quiet on a question, a condition, advice, a past problem now fixed, another machine, a program's message and
a healthy run.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, hwstated, to_report
from whygpu.knowledge.cuda import cuda_package_major, cuda_packages_mixed
from whygpu.knowledge.gpus import stated_hardware_cause


def _causes(text: str) -> list[str]:
    return [c.code for c in to_report(explain_text(text)).causes]


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.value) for s in hwstated.hardware_statements(text.split("\n"))]


FAILURE = "RuntimeError: CUDA error: no CUDA-capable device is detected"

# --- the machine's hardware -------------------------------------------------------------------------------------

NO_GPU_STATED = [
    "Which hardware do you run on?\n- [x] CPU only\n- [ ] NVIDIA GPU\n- [ ] AMD GPU",
    "Are you using a GPU?\n* [X] No, CPU\n* [ ] Yes, NVIDIA",
    "**Environment**\n - OS: Ubuntu 22.04\n - GPU: none\n",
    "| GPU | N/A (CPU) |",
    "GPU model and memory: no GPU",
    "Environment:\n- Python 3.10\n- no GPU\n",
    "* CPU-only machine",
    "We ran the job on one of our CPU only nodes, the GPU partition was full.",
    "This happens on my laptop, which is CPU-only.",
    "I am testing this on a CPU node of the cluster.",
    "I checked `lspci | grep -i nvidia` and it returned nothing.",
    "$ lspci | grep -i nvidia\n(no output at all)",
    "- 显卡：无",
    "グラフィックボード: なし",
    "- Tarjeta gráfica: ninguna (solo CPU)",
]


@pytest.mark.parametrize("text", NO_GPU_STATED)
def test_no_gpu_stated_is_read(text: str) -> None:
    assert ("no_gpu", "none") in _kinds(text)


NO_GPU_QUIET = [
    "Do I need a GPU for this, or does a CPU-only machine do?",
    "If you are on a CPU-only node, set device='cpu'.",
    "You can run it on a CPU node as well.",
    "It works on the GPU node but fails on the CPU node.",
    "I used to run this on a CPU only node; now it runs on an A100.",
    "No GPU found, falling back to CPU",  # a program's line, not an environment item
    "- [ ] No GPU\n- [x] NVIDIA",  # the unchecked box
    "GPU: NVIDIA RTX 4090",
    "$ lspci | grep -i nvidia\n01:00.0 VGA compatible controller: NVIDIA Corporation GA102 [GeForce RTX 3090]\nbut it says nothing in torch",
]


@pytest.mark.parametrize("text", NO_GPU_QUIET)
def test_no_gpu_quiet(text: str) -> None:
    assert ("no_gpu", "none") not in _kinds(text)


VENDOR_STATED = [
    ("Are you using a GPU?\n- [ ] No\n- [ ] NVIDIA\n- [x] AMD\n- [ ] Intel", "amd"),
    ("Which GPU?\n- [ ] NVIDIA\n- [✓] Intel Arc", "intel"),
    ("- GPU: AMD Radeon RX 7900 XTX", "amd"),
    ("Graphics card: Apple M2 Max", "apple"),
    ("GPU model and memory: Intel UHD Graphics 620", "intel-integrated"),
    ("I'm using an integrated Intel GPU, the laptop has nothing else.", "intel-integrated"),
    ("- 显卡：AMD Radeon RX 6700", "amd"),
    ("We are currently using AMD graphics on that box.", "amd"),
]


@pytest.mark.parametrize("text,vendor", VENDOR_STATED)
def test_vendor_stated_is_read(text: str, vendor: str) -> None:
    assert ("vendor", vendor) in _kinds(text)


VENDOR_QUIET = [
    "Are you using a GPU?\n- [ ] AMD\n- [x] NVIDIA",
    "If you have an AMD GPU, install the ROCm build.",
    "Does it work if I'm using an Intel GPU?",
    "My laptop has Intel graphics but the desktop has an RTX 3060.",
]


@pytest.mark.parametrize("text", VENDOR_QUIET)
def test_vendor_quiet(text: str) -> None:
    assert not [k for k in _kinds(text) if k[0] == "vendor" and k[1] != "nvidia"]


def test_stated_hardware_cause_follows_causes_md() -> None:
    assert stated_hardware_cause("none") == "NO_GPU"
    assert stated_hardware_cause("amd") == "GPU_NOT_SUPPORTED"
    assert stated_hardware_cause("intel") == "GPU_NOT_SUPPORTED"
    assert stated_hardware_cause("apple") == "GPU_NOT_SUPPORTED"
    # the counted reading of integrated graphics (knowledge.gpus: 5 NO_GPU, 1 GPU_NOT_SUPPORTED)
    assert stated_hardware_cause("intel-integrated") == "NO_GPU"
    assert stated_hardware_cause("nvidia") is None


def test_no_gpu_stated_outranks_a_driver_reading() -> None:
    log = ("Environment:\n - OS: Rocky 9\n - No GPU\n\n"
           "E external/xla/xla/stream_executor/cuda/cuda_driver.cc:152] failed call to cuInit: UNKNOWN ERROR (303)")
    assert _causes(log)[0] == "NO_GPU"


def test_checked_maker_outranks_the_insufficient_driver_status() -> None:
    log = ("onnxruntime::CudaCall CUDA failure 35: CUDA driver version is insufficient for CUDA runtime version\n\n"
           "Which graphics card do you have?\n- [ ] NVIDIA\n- [x] AMD Radeon\n- [ ] None")
    assert _causes(log)[0] == "GPU_NOT_SUPPORTED"


def test_no_gpu_stated_quiet_without_a_failure_and_with_an_nvidia_gpu_shown() -> None:
    assert _causes("Environment:\n- OS: Debian 12\n- No GPU\n\nThe plot axis labels overlap.") == []
    shown = ("- No GPU\n"
             "| NVIDIA-SMI 550.54.14    Driver Version: 550.54.14    CUDA Version: 12.4     |\n" + FAILURE)
    assert "NO_GPU" not in [c for c in _causes(shown)][:1] or "LOG260" not in str(explain_text(shown).findings)
    assert not [f for f in explain_text(shown).findings if f.id == "LOG260"]


# --- the driver -------------------------------------------------------------------------------------------------

def _driver(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.value) for s in hwstated.driver_statements(text.split("\n"))]


def test_driver_version_and_gpu_in_the_writers_sentence() -> None:
    said = _driver("The VM image ships NVIDIA driver 450.80.02, and the instance has an A10G.")
    assert ("driver_version", "450.80.02") in said
    assert ("gpu_model", "A10G") in said
    assert ("driver_version", "470.57.02") in _driver("$ modinfo nvidia | grep ^version\nversion:        470.57.02")
    # a driver version is no model number ("driver 410.48" is no Quadro 410)
    assert not [k for k in _driver("I have cuda 10 and driver version 410.48 installed") if k[0] == "gpu_model"]


DRIVER_TOO_OLD = [
    "I think my NVIDIA driver is outdated.",
    "The reason is that the GPU driver is too old for the L4.",
    "Turns out the driver on the image is way too old.",
    "We have an out-of-date nvidia driver on these nodes.",
    "So yes, the report shows that the driver version is older.",
]
DRIVER_TOO_OLD_QUIET = [
    "Is my driver too old for CUDA 12?",
    "If your driver is too old, update it.",
    "The NVIDIA driver on your system is too old (found version 11040).",  # PyTorch's message to the reader
    'msg="Unable to load cudart" error="your nvidia driver is too old or missing"',
    "The driver was too old; I updated it and now it works fine.",
    "My driver is older than two years but works with CUDA 11.",
    "Is the driver older?",
]


@pytest.mark.parametrize("text", DRIVER_TOO_OLD)
def test_driver_said_too_old_is_read(text: str) -> None:
    assert any(k[0] == "driver_too_old" for k in _driver(text))


@pytest.mark.parametrize("text", DRIVER_TOO_OLD_QUIET)
def test_driver_said_too_old_quiet(text: str) -> None:
    assert not any(k[0] == "driver_too_old" for k in _driver(text))


def test_driver_older_than_the_gpu_is_driver_too_old_first() -> None:
    # An L4 (compute capability 8.9) needs CUDA 11.8's driver; R470 does not know it, so nvidia-smi finds nothing.
    log = ("We provisioned a g6 instance with an L4 but kept the old image, whose driver is 470.82.01.\n"
           "$ nvidia-smi\nNVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")
    result = explain_text(log)
    assert _causes(log)[0] == "DRIVER_TOO_OLD"
    assert any(f.id == "LOG261" for f in result.findings)


def test_driver_new_enough_for_the_gpu_stays_quiet() -> None:
    log = ("The instance has an A10G and driver 535.104.05.\n"
           "$ nvidia-smi\nNVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")
    assert not [f for f in explain_text(log).findings if f.id == "LOG261"]
    assert _causes(log)[0] == "DRIVER_MISSING"


# --- two CUDA majors in one listing ----------------------------------------------------------------------------

def test_cuda_package_majors() -> None:
    assert cuda_package_major("cudatoolkit", "10.2.89") == 10
    assert cuda_package_major("cuda-runtime", "12.1.0") == 12
    assert cuda_package_major("nvidia-cusparse-cu11", "11.7.4.91") == 11
    assert cuda_package_major("nvidia-cudnn-cu12", "9.1.0.70") == 12
    assert cuda_package_major("cupy", "12.3.0") is None
    assert cuda_packages_mixed([("nvidia-cublas-cu11", "11.10.3.66"), ("nvidia-cuda-runtime-cu12", "12.1.105")]) is not None
    assert cuda_packages_mixed([("nvidia-cublas-cu12", "12.1.3.1"), ("nvidia-cudnn-cu12", "8.9.2.26")]) is None


MIXED_LISTING = """\
# packages in environment at /opt/conda/envs/seg:
#
# Name                    Version                   Build  Channel
cuda-nvrtc                12.2.140             hd3aeb46_0    conda-forge
cudatoolkit               11.3.1               h9edb442_10   conda-forge
numpy                     1.24.4               py310ha4c1d20_0   conda-forge
"""


def test_two_cuda_majors_in_one_listing_outrank_the_kernel_image_reading() -> None:
    log = MIXED_LISTING + "\nRuntimeError: CUDA error: no kernel image is available for execution on the device\n"
    assert _causes(log)[0] == "CUDA_LIBS_MISMATCH"
    pip = ("$ pip freeze | grep nvidia\nnvidia-cublas-cu11==11.10.3.66\nnvidia-cudnn-cu11==8.5.0.96\n"
           "nvidia-cuda-runtime-cu12==12.1.105\n\nCould not load library libcudnn_cnn_infer.so.8. Error: libnvrtc.so: cannot open shared object file")
    assert "CUDA_LIBS_MISMATCH" in _causes(pip)[:3]


def test_one_cuda_major_or_a_healthy_run_stays_quiet() -> None:
    one = MIXED_LISTING.replace("cudatoolkit               11.3.1", "cudatoolkit               12.2.2")
    assert not [f for f in explain_text(one + "\n" + FAILURE).findings if f.id == "LOG263"]
    # two majors listed, but nothing failed and the GPU is not shown unused
    assert _causes(MIXED_LISTING + "\nEpoch 1/10 loss 0.53\n") == []


# --- a framework's version and the CUDA's, said together --------------------------------------------------------

SAID_TOGETHER = [
    ("my TF version is 2.3.0 and the CUDA version is 10.2", ("tensorflow", "2.3.0", "10.2")),
    ("Using tensorflow `2.4.1` with cuda `11.2`.", ("tensorflow", "2.4.1", "11.2")),
    ("pytorch version: 1.7.1, cuda version: 9.2", ("torch", "1.7.1", "9.2")),
]


@pytest.mark.parametrize("text,expected", SAID_TOGETHER)
def test_framework_and_cuda_said_together(text: str, expected: tuple[str, str, str]) -> None:
    assert hwstated.framework_and_cuda_said(text) == expected


@pytest.mark.parametrize("text", [
    "TensorFlow 2.3 is built for CUDA 10.1.",
    "Which CUDA version does tf 2.3.0 need, 10.1 or 10.2?",
    "If you use torch 1.7.1 with CUDA 9.2, pin the cu92 wheel.",
])
def test_framework_and_cuda_quiet(text: str) -> None:
    assert hwstated.framework_and_cuda_said(text) is None


def test_framework_and_cuda_judged_by_the_tested_builds() -> None:
    log = "my TF version is 2.3.0 and the CUDA version is 10.2\nGPU is not used at all during training"
    assert _causes(log)[0] == "CUDA_LIBS_MISMATCH"  # TensorFlow 2.3's tested build is CUDA 10.1 (LOG101)
    fits = "my TF version is 2.3.0 and the CUDA version is 10.1\nGPU is not used at all during training"
    assert "CUDA_LIBS_MISMATCH" not in _causes(fits)[:1]


def test_a_machine_where_something_was_built_is_not_where_it_runs() -> None:
    assert ("no_gpu", "none") not in _kinds("The image was built on a CPU-only node and then pushed.")


def test_a_mac_whose_gpu_is_named_has_a_gpu_cuda_cannot_use() -> None:
    unused = "\n>>> torch.cuda.is_available()\nFalse\n"
    radeon = "MacBook Pro 2019, macOS 12.6, graphics: AMD Radeon Pro 5500M" + unused
    assert _causes(radeon)[0] == "GPU_NOT_SUPPORTED"
    m2 = "I am on my M2 Pro MacBook and the GPU is not used at all." + unused
    assert _causes(m2)[0] == "GPU_NOT_SUPPORTED"
    # a Mac that names no GPU stays a machine without one for CUDA (LOG106)
    assert _causes("File \"/Users/ana/venv/lib/python3.11/site-packages/torch/cuda/__init__.py\"" + unused)[0] == "NO_GPU"


OWN_GPU = [
    ("we also have an old nvidia tesla m2090 in the box", "Tesla M2090"),
    ("I have a gtx 1070 and cuda 11.8", "GeForce GTX 1070"),
    ("The VM has an A10G attached.", "A10G"),
    ("my card is a quadro p4000", "Quadro P4000"),
    ("GPU: L40S 48GB", "L40S"),
]


@pytest.mark.parametrize("text,model", OWN_GPU)
def test_own_gpu_named_in_prose(text: str, model: str) -> None:
    found = hwstated.own_gpu_named(text)
    assert found is not None and found[0] == model


@pytest.mark.parametrize("text", [
    "Do you have an A100 to test on?",
    "If you have a T4, use fp16.",
    "I have 410 images in the folder",
    "I have 2 GPUs",
    "You should use an RTX 4090 for this.",
])
def test_own_gpu_quiet(text: str) -> None:
    assert hwstated.own_gpu_named(text) is None


def test_an_own_fermi_gpu_is_below_every_current_cuda() -> None:
    log = "i have an old nvidia quadro 4000 in this workstation and the GPU is not used by the program at all"
    assert _causes(log)[0] == "GPU_NOT_SUPPORTED"  # Quadro 4000: Fermi, compute capability 2.0 (LOG110)


def test_a_stated_driver_is_judged_against_the_build_cuda() -> None:
    # LOG102 with the driver the writer states: R440 runs CUDA up to 10.2, the +cu118 wheel wants 11.8.
    log = ("My nvidia driver version is 440.64 and I installed torch 2.0.1+cu118.\n"
           ">>> torch.cuda.is_available()\nFalse")
    assert _causes(log)[0] == "DRIVER_TOO_OLD"
    assert any(f.id == "LOG102" for f in explain_text(log).findings)
    fits = log.replace("440.64", "535.104.05")
    assert not any(f.id == "LOG102" for f in explain_text(fits).findings)


def test_a_fleet_listing_where_a_gpu_works_stays_quiet() -> None:
    # Two nodes listed: the old image's driver beside a newer GPU, but the job shows it ran on a GPU.
    log = ("node-a: NVIDIA A100-SXM4-40GB, driver 470.57.02\nnode-b: NVIDIA H100 80GB HBM3, driver 470.57.02\n"
           "Using device: cuda:0 (NVIDIA A100-SXM4-40GB)\nEpoch 1: 100%|██████████| 500/500 [01:02<00:00, 8.01it/s]\n")
    result = explain_text(log)
    assert not [f for f in result.findings if f.id in ("LOG260", "LOG261", "LOG262", "LOG263")]


def test_a_stated_driver_against_a_program_build_cuda() -> None:
    # PaddlePaddle's post118 wheel is built for CUDA 11 (knowledge/programs.toml); R440 runs CUDA up to 10.2, and CUDA 11's
    # minor-version compatibility starts at 450.80.02.
    log = ("pip install paddlepaddle-gpu==2.5.1.post118 -f https://www.paddlepaddle.org.cn/whl/linux/mkl/avx/stable.html\n"
           "Nvidia driver version: 440.33.01\n"
           "W0612 10:01:02.123456  4242 init.cc:181] Compiled with WITH_GPU, but no GPU found in runtime.\n")
    result = explain_text(log)
    assert any(f.id == "LOG102" for f in result.findings)
    assert _causes(log)[0] == "DRIVER_TOO_OLD"
    assert not any(f.id == "LOG102" for f in explain_text(log.replace("440.33.01", "470.82.01")).findings)
