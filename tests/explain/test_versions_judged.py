"""Versions and hardware a log shows in any program's wording, judged by the knowledge layer (accversions, session 20).

Readers (explain/versionfacts.py): a build's version beside the version found (LOG191), the toolkit's stub libcuda
loaded (LOG192), the dynamic loader's "=> not found" (LOG-LDD-NOT-FOUND), the driver's CUDA beside a program's
runtime, and compute capabilities in more printed forms (judged by LOG110). Each fires on lines written from what
the class means, in several programs' wordings, and stays quiet on a question, advice, code, versions that fit, a
file merely listed, and a healthy run. docs/explain-accuracy.md ("Session 20 (branch accversions)") has the effect.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from log_text import facts as _facts
from log_text import report as _report
from whygpu.explain import versionfacts
from whygpu.knowledge.cuda_versions import build_fits_found, cudnn_version_text
from whygpu.knowledge.libraries import stub_driver_library_causes


def _rule_ids(log: str) -> set[str]:
    return {f.id for f in _report(log).findings}


# (line, library, built, found, found_library): composed in the wordings of several programs.
BUILT_FOUND = (
    ("WARNING: The installed Foo is compiled with CUDNN 8.2, but CUDNN version in your machine is 8.0, which may cause problems.",
     "cudnn", "8.2", "8.0", "cudnn"),
    ("E0101 12:00:00.000000 1 dnn.cc:9] Loaded runtime CuDNN library: 7.1.4 but source was compiled with: 7.2.1.",
     "cudnn", "7.2.1", "7.1.4", "cudnn"),
    ("[12:00:01] src/common/cuda_utils.cc:1: cuDNN lib mismatch: linked-against version 7605 != compiled-against version 8005.",
     "cudnn", "8.0.5", "7.6.5", "cudnn"),
    ("RuntimeError: cuDNN version incompatibility: the extension was compiled against (9, 1, 0) but found runtime version (8, 9, 7)",
     "cudnn", "9.1.0", "8.9.7", "cudnn"),
    ("INFO renderer: cuDNN compiled version: 8902, runtime version: 8500", "cudnn", "8.9.2", "8.5.0", "cudnn"),
    ("myapp: built with CUDA 11.2 but found CUDA runtime 10.2 installed", "cuda", "11.2", "10.2", "cuda"),
    ("xgboost: this binary was built with CUDA 12.4; the driver on this machine supports CUDA 11.8", "cuda", "12.4", "11.8", "driver"),
)


@pytest.mark.parametrize(("line", "library", "built", "found", "found_library"), BUILT_FOUND)
def test_built_and_found_read_in_any_wording(line: str, library: str, built: str, found: str, found_library: str) -> None:
    pair = versionfacts.built_found(line)
    assert pair is not None, line
    assert (pair.library, pair.built, pair.found, pair.found_library) == (library, built, found, found_library)


@pytest.mark.parametrize("line", [
    "Was TensorFlow compiled with cuDNN 8.1 but my machine has 8.0?",  # a question
    "Make sure the cuDNN you have is 8.1 since TF 2.5 was built with cuDNN 8.1",  # advice
    'print(f"compiled with cuDNN {built} but found {found}")',  # code
    "if compiled_with_cudnn != 7600 and found_runtime != 7605:",  # a condition
    "Torch was compiled with CUDA 11.8 but no GPU was found",  # one version only
    "Successfully installed torch-2.1.0 built for CUDA 12.1",  # one version, no found side
    # another library's own versions (cuSOLVER's), under a line that names CUDA elsewhere
    "Unable to initialize backend 'cuda': Found cuSOLVER version 11000, but the program was built against version 11400.",
])
def test_built_and_found_quiet(line: str) -> None:
    assert versionfacts.built_found(line) is None


def test_cudnn_version_codes_and_tuples() -> None:
    assert [cudnn_version_text(v) for v in ("7605", "90100", "(8, 9, 2)", "8.2", "build7")] == ["7.6.5", "9.1.0", "8.9.2", "8.2", None]


def test_build_fits_found_is_the_knowledge_decision() -> None:
    assert build_fits_found("cudnn", "8.2", "8.0") == (False, "CUDNN_MISMATCH")
    assert build_fits_found("cudnn", "8.1", "8.9.7") == (True, "CUDNN_MISMATCH")
    assert build_fits_found("cuda", "10.1", "10.0") == (False, "CUDA_LIBS_MISMATCH")
    assert build_fits_found("cuda", "11.8", "11.2") == (True, "CUDA_LIBS_MISMATCH")
    assert build_fits_found("driver", "12.4", "11.8") == (False, "DRIVER_TOO_OLD")
    assert build_fits_found("driver", "10.0", "10.1") == (True, "DRIVER_TOO_OLD")


_GPU_IN_USE = "2020-01-01 12:00:00.1: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1304] Created TensorFlow device (/job:localhost/replica:0/task:0/device:GPU:0 with 10000 MB memory) -> physical GPU (device: 0, name: GeForce GTX 1080 Ti, pci bus id: 0000:01:00.0, compute capability: 6.1)"


def test_cudnn_built_found_mismatch_leads() -> None:
    log = ("W0101 12:00:00.1 1 device_context.cc:1] WARNING: device: 0. The installed Foo is compiled with CUDNN 8.2, "
           "but CUDNN version in your machine is 8.0, which may cause serious incompatible bug.\n")
    assert _codes(log)[:1] == ["CUDNN_MISMATCH"]


def test_cuda_built_found_mismatch_leads() -> None:
    log = "W0101 12:00:00.1 1 init.cc:1] The installed Foo is compiled with CUDA 10.1, but CUDA runtime version in your machine is 10.0\n"
    assert _codes(log)[:1] == ["CUDA_LIBS_MISMATCH"]


@pytest.mark.parametrize("log", [
    # versions that fit: a newer cuDNN minor of the same major, a CUDA minor of the same major (from 11 on)
    "W0101 12:00:00.1 1 a.cc:1] The installed Foo is compiled with CUDNN 8.1, but CUDNN version in your machine is 8.9\n",
    "W0101 12:00:00.1 1 a.cc:1] The installed Foo is compiled with CUDA 11.8, but CUDA runtime version in your machine is 11.2\n",
    # a mismatch printed in a run that shows the GPU in use
    "[WARNING] cuDNN lib mismatch: linked-against version 8005 != compiled-against version 8100.\n" + _GPU_IN_USE + "\n",
])
def test_built_found_quiet_in_the_log(log: str) -> None:
    assert not {"CUDNN_MISMATCH", "CUDA_LIBS_MISMATCH", "DRIVER_TOO_OLD"} & set(_codes(log))


# The driver's CUDA beside a program's runtime on one line.
def test_driver_runtime_pair_judged() -> None:
    assert versionfacts.driver_runtime("  CUDA Driver Version / Runtime Version          9.0 / 10.0") == ("9.0", "10.0")
    assert versionfacts.driver_runtime("Please NOTE: device: 0, CUDA Capability: 61, Driver API Version: 10.1, Runtime API Version: 10.0") == ("10.1", "10.0")
    log = "Detected 1 CUDA Capable device(s)\n  CUDA Driver Version / Runtime Version          9.0 / 10.0\n"
    assert _codes(log)[:1] == ["DRIVER_TOO_OLD"]
    fits = "Detected 1 CUDA Capable device(s)\n  CUDA Driver Version / Runtime Version          10.1 / 10.0\n"
    assert "DRIVER_TOO_OLD" not in _codes(fits)
    # the runtime is the printing program's own, not what the framework wants
    assert _facts(fits).cuda_wanted == []


_HEALTHY_SMI = """\
+-----------------------------------------------------------------------------+
| NVIDIA-SMI 525.85.12    Driver Version: 525.85.12    CUDA Version: 12.0     |
|-------------------------------+----------------------+----------------------+
| GPU  Name        Persistence-M| Bus-Id        Disp.A | Volatile Uncorr. ECC |
|   0  NVIDIA GeForce ...  Off  | 00000000:01:00.0 Off |                  N/A |
| 30%   40C    P2    90W / 350W |   8000MiB / 24576MiB |     95%      Default |
+-----------------------------------------------------------------------------+
|    0   N/A  N/A      1234      C   python                           7990MiB |
+-----------------------------------------------------------------------------+
pciBusID: 0000:01:00.0 name: GeForce RTX 3090 computeCapability: 8.6
torch.cuda.get_device_capability() (8, 6)
"""


def test_healthy_nvidia_smi_table_and_device_lines_stay_clean() -> None:
    assert _codes(_HEALTHY_SMI) == []


# The stub libcuda loaded instead of the driver's.
@pytest.mark.parametrize("line", [
    "\tlibcuda.so.1 => /usr/local/cuda-11.8/lib64/stubs/libcuda.so.1 (0x00007f0000000000)",
    "OSError: /opt/cuda/12.2/targets/x86_64-linux/lib/stubs/libcuda.so: undefined symbol: cuDevicePrimaryCtxRelease",
    "DEBUG loader: loaded /usr/local/cuda/lib64/stubs/libcuda.so",
])
def test_stub_libcuda_loaded_fires(line: str) -> None:
    assert versionfacts.stub_libcuda(line)
    causes = _codes(line + "\n")
    assert causes[:1] == [stub_driver_library_causes()[0]] == ["CUDA_LIBS_NOT_ON_PATH"]


@pytest.mark.parametrize("log", [
    "$ find / -name 'libcuda.so*'\n/usr/local/cuda/lib64/stubs/libcuda.so\n/usr/lib/x86_64-linux-gnu/libcuda.so.1\n",  # listed on disk
    "export LD_LIBRARY_PATH=/usr/local/cuda/lib64/stubs:$LD_LIBRARY_PATH\n",  # a path variable, nothing loaded
    "\tlibcuda.so.1 => /usr/lib/x86_64-linux-gnu/libcuda.so.1 (0x00007f0000000000)\n",  # the driver's own
])
def test_stub_libcuda_quiet(log: str) -> None:
    assert _facts(log).libcuda_stub == []
    assert "CUDA_LIBS_NOT_ON_PATH" not in _codes(log)


# ldd's "=> not found": the soname judged against the CUDA the log shows installed.
def test_ldd_not_found_judged_against_installed_cuda() -> None:
    log = ("Cuda compilation tools, release 12.2, V12.2.140\n"
           "$ ldd site-packages/foo/_ext.so | grep cu\n"
           "\tlibcublas.so.11 => not found\n\tlibcudart.so.11.0 => not found\n")
    assert _codes(log)[:1] == ["CUDA_LIBS_MISMATCH"]


@pytest.mark.parametrize("log", [
    "\tlibpng16.so.16 => not found\n",  # not a CUDA library
    "\tlibcudart.so.11.0 => /usr/local/cuda/lib64/libcudart.so.11.0 (0x00007f0000000000)\n",  # resolved
])
def test_ldd_quiet(log: str) -> None:
    assert _codes(log) == []


# Compute capabilities in more printed forms, judged by LOG110 against the build's minimum.
@pytest.mark.parametrize(("line", "cc"), [
    ("name: GeForce GT 730 major: 3 minor: 5 memoryClockRate(GHz): 0.9", "3.5"),
    ("pciBusID: 0000:01:00.0 name: Quadro P1000 computeCapability: 6.1", "6.1"),
    ("  CUDA Capability Major/Minor version number:    2.1", "2.1"),
    ("W0101 device_context.cc:1] Please NOTE: device: 0, CUDA Capability: 52, Driver API Version: 11.2", "5.2"),
    (">>> torch.cuda.get_device_capability(0) (3, 0)", "3.0"),
    ("my card is a GTX 960 (CC 5.2)", "5.2"),
])
def test_compute_capability_forms(line: str, cc: str) -> None:
    assert versionfacts.compute_capabilities(line) == [cc]


@pytest.mark.parametrize("line", ["version (1, 2)", "CC=gcc-9 CXX=g++-9", "libfoo major: 1 minor: 2", "capability (13, 7)"])
def test_compute_capability_forms_quiet(line: str) -> None:
    assert versionfacts.compute_capabilities(line) == []


def test_old_gpu_from_device_properties_is_judged() -> None:
    log = ("name: GeForce GTX 480 major: 2 minor: 0 memoryClockRate(GHz): 1.4\n"
           "Num GPUs Available:  0\n")
    assert _codes(log)[:1] == ["GPU_NOT_SUPPORTED"]
    newer = log.replace("GTX 480 major: 2 minor: 0", "GTX 1060 major: 6 minor: 1")
    assert "GPU_NOT_SUPPORTED" not in _codes(newer)


# A GPU model against the minimum of the framework the log names: its version's, JAX's plugins', or with no version
# shown, every tabled release's (only where the log shows the GPU unused or failing).
def test_gpu_below_every_pytorch_binary_when_no_version_is_shown() -> None:
    unused = "My GPU is a GeForce GTX 680.\n>>> import torch\n>>> torch.cuda.is_available()\nFalse\n"
    assert _codes(unused)[:1] == ["GPU_NOT_SUPPORTED"]
    # nothing shows the GPU unused or failing: an older release or a source build may run it
    named = "My GPU is a GeForce GTX 680.\n>>> import torch\n>>> torch.cuda.get_device_name(0)\n'GeForce GTX 680'\n"
    assert "GPU_NOT_SUPPORTED" not in _codes(named)
    # a GPU every release supports
    assert "LOG110" not in _rule_ids(unused.replace("GTX 680", "GTX 1060"))


def test_gpu_below_the_jax_plugins_floor() -> None:
    log = ("jax==0.7.2\njax-cuda12-pjrt==0.7.2\njax-cuda12-plugin==0.7.2\njaxlib==0.7.2\n"
           "GPU: NVIDIA GeForce GTX 750 Ti\n>>> jax.devices()\n[CpuDevice(id=0)]\n")
    assert _codes(log)[:1] == ["GPU_NOT_SUPPORTED"]
    assert "LOG110" not in _rule_ids(log.replace("GTX 750 Ti", "GTX 1060"))


def test_board_suffix_is_part_of_the_model() -> None:
    seen = [s.value for s in _facts("GPU: NVIDIA GeForce GTX 750 Ti and an RTX 2060 SUPER\n").gpu_model]
    assert seen == ["NVIDIA GeForce GTX 750 Ti", "RTX 2060 SUPER"]


# `pip show` blocks, read as the listing rows they are.
def test_pip_show_blocks_are_installed_versions() -> None:
    log = "$ pip show torch\nName: torch\nVersion: 2.2.1+cu118\nSummary: Tensors and Dynamic neural networks\n"
    seen = _facts(log)
    assert [s.value for s in seen.versions["torch"]] == ["2.2.1+cu118"]
    assert [s.value for s in seen.build_cuda["torch"]] == ["11.8"]
    wheel = _facts("Name: nvidia-cudnn-cu11\nVersion: 8.7.0.84\n")
    assert [s.value for s in wheel.pip_cuda_wheels["cudnn"]] == ["8.7.0.84"]
    # the same Version line twice: two distributions, both read
    both = _facts("Name: tensorflow-gpu\nVersion: 1.14.0\nName: tensorflow\nVersion: 1.14.0\n")
    assert {s.value for s in both.distributions["tensorflow"]} == {"tensorflow-gpu", "tensorflow"}


@pytest.mark.parametrize("log", [
    "Name: torch\nSummary: Tensors\nVersion: 2.2.1+cu118\n",  # not pip show's adjacent lines
    "Name: my-experiment\nVersion: 2.2.1\n",  # a distribution no reader knows
    "Name: torch\n\nVersion: 2.2.1+cu118\n",  # not adjacent
])
def test_pip_show_quiet(log: str) -> None:
    assert not _facts(log).versions.get("torch")


# The driver's version from its kernel module's line when nvidia-smi is not shown, against the build's CUDA (LOG102).
def test_kernel_module_version_judged_against_the_build() -> None:
    log = ("NVRM version: NVIDIA UNIX x86_64 Kernel Module  418.87.00  Thu Aug  8 15:37:36 CDT 2019\n"
           "torch 2.1.0+cu121\n>>> torch.cuda.is_available()\nFalse\n")
    assert _codes(log)[:1] == ["DRIVER_TOO_OLD"]
    newer = log.replace("418.87.00", "535.104.05")
    assert "LOG102" not in _rule_ids(newer)


# A cloud machine named by its size, whose GPU the knowledge tables know (Azure's VM sizes), judged like a GPU model.
def test_azure_vm_size_gpu_judged_against_the_build() -> None:
    log = ("az ml compute create --name gpu-cluster --size Standard_NC6 --type AmlCompute\n"
           "torch 2.1.0+cu121\n>>> torch.cuda.is_available()\nFalse\n")
    found = [f for f in _report(log).findings if f.id == "LOG110"]
    # below the floor of CUDA 12, which the +cu121 build was made for (knowledge/cuda.toml [[architecture]])
    assert found and "Standard_NC6" in found[0].evidence[0] and "3.7 is below 5.0" in found[0].title
    assert "LOG110" not in _rule_ids(log.replace("Standard_NC6 ", "Standard_NC6s_v3 "))


def test_ec2_instance_gpu_judged_against_the_build() -> None:
    log = "Running on an AWS p2.xlarge instance\ntorch 2.1.0+cu121\n>>> torch.cuda.is_available()\nFalse\n"
    assert _codes(log)[:1] == ["GPU_NOT_SUPPORTED"]
    assert "LOG110" not in _rule_ids(log.replace("p2.xlarge", "g4dn.xlarge"))  # a T4 (7.5) the build supports
    assert _facts("Should I move this job to a p2.xlarge?\n").ec2_instance == []  # a question
    assert _facts("c5.xlarge and t3.2xlarge workers\n").ec2_instance == []  # no GPU family the table knows


def test_every_ec2_family_names_a_gpu_the_gpu_table_knows() -> None:
    from whygpu.knowledge._util import table_rows
    from whygpu.knowledge.gpus import gpu_in_text

    for row in table_rows("aws", "instance_family"):
        model = gpu_in_text(row["gpu_model"])
        assert model is not None and model.compute_capability, row
        assert row["source"].startswith("https://aws.amazon.com/")
