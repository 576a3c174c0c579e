"""accnodriver (session 36): the machine's NVIDIA GPU, present or absent, as the log shows it, and the one decision between
NO_GPU, DRIVER_MISSING and CONTAINER_NO_GPU it makes (knowledge/gpu_presence.toml, explain/presence.py, applied by
explain/contplace.presence_ranked where a driver-side reading is ranked, by LOG580 and by the no-device status prior).

Each sign has a case where it decides and one where it stays quiet: a sign of the other side beside it, lspci filtered to
VGA rows, a question, a GPU instance type.
"""

from __future__ import annotations

from log_text import codes, facts, first_cause, report
from whygpu.explain.presence import machine_signs, read_line
from whygpu.knowledge.gpu_presence import cpu_instance_family, presence_verdict, ranked_by_presence

# SageMaker's endpoint on a CPU instance type (https://github.com/aws/sagemaker-python-sdk/issues/440).
SAGEMAKER_DEPLOY = "predictor = estimator.deploy(initial_instance_count=1, instance_type='ml.m4.xlarge')"
LIBCUDA = "ImportError: libcuda.so.1: cannot open shared object file: No such file or directory"
# PyTorch's answer with no loadable libcuda (https://github.com/pytorch/vision/issues/1566).
PT_NO_DRIVER = ("AssertionError: \nFound no NVIDIA driver on your system. Please check that you\n"
                "have an NVIDIA GPU and installed a driver from\nhttp://www.nvidia.com/Download/index.aspx")
# lspci on a laptop with Intel graphics only (https://github.com/ChrisTitusTech/ArchTitus/issues/95).
INTEL_ROW = "00:02.0 VGA compatible controller: Intel Corporation HD Graphics 620 (rev 02)"
# lspci on a laptop with Intel graphics and an NVIDIA GPU (https://github.com/dracula/tmux/issues/272).
HYBRID = ("$ lspci | grep -iP 'VGA|3D'\n"
          "00:02.0 VGA compatible controller: Intel Corporation Iris Plus Graphics G7 (rev 07)\n"
          "06:00.0 3D controller: NVIDIA Corporation GP108M [GeForce MX250] (rev a1)")
# nvidia-smi not found on a host (https://github.com/open-edge-platform/anomalib/issues/584 shows the line).
SMI_MISSING = "$ nvidia-smi\nbash: nvidia-smi: command not found"


# --- the knowledge layer's one decision ---------------------------------------------------------------------------------

def test_the_verdict_by_the_signs_shown() -> None:
    assert presence_verdict(("cpu_instance",)).gpu == "absent"
    assert presence_verdict(("other_adapters_only", "cpu_machine")).gpu == "absent"
    assert presence_verdict(("nvidia_adapter",)).gpu == "present"
    assert presence_verdict(("driver_shown", "nvidia_model")).gpu == "present"
    # Signs of both sides, or of neither, decide nothing: the verdict says what would.
    for kinds in (("cpu_machine", "nvidia_model"), ()):
        verdict = presence_verdict(kinds)
        assert verdict.gpu == "unknown" and not verdict.ranking
        assert "lspci | grep -i nvidia" in verdict.decide and "nvidia-smi" in verdict.decide
        assert "/proc/driver/nvidia/version" in verdict.decide
    assert presence_verdict(("no_such_sign",)).gpu == "unknown"


def test_cpu_instance_families() -> None:
    assert cpu_instance_family("ml.m4.xlarge") == "m4"
    assert cpu_instance_family("m5.large") == "m5"
    assert cpu_instance_family("ml.t2.medium") == "t2"
    assert cpu_instance_family("ml.p3.2xlarge") is None  # a GPU family
    assert cpu_instance_family("g4dn.xlarge") is None
    assert cpu_instance_family("model.large") is None


def test_the_ranking_orders_only_the_three_causes_left_open() -> None:
    absent, present = presence_verdict(("cpu_instance",)), presence_verdict(("nvidia_adapter",))
    assert ranked_by_presence(absent, ("CONTAINER_NO_GPU", "DRIVER_MISSING", "NO_GPU")) == ("NO_GPU", "CONTAINER_NO_GPU", "DRIVER_MISSING")
    assert ranked_by_presence(present, ("NO_GPU", "DRIVER_MISSING", "CONTAINER_NO_GPU")) == ("DRIVER_MISSING", "CONTAINER_NO_GPU", "NO_GPU")
    # Another cause keeps its slot; NO_GPU is never added where the reading did not leave it open.
    assert ranked_by_presence(absent, ("FRAMEWORK_CPU_BUILD", "DRIVER_MISSING", "NO_GPU")) == ("FRAMEWORK_CPU_BUILD", "NO_GPU", "DRIVER_MISSING")
    assert ranked_by_presence(absent, ("DRIVER_MISSING", "CONTAINER_NO_GPU")) is None
    assert ranked_by_presence(presence_verdict(()), ("NO_GPU", "DRIVER_MISSING")) is None


# --- the readers --------------------------------------------------------------------------------------------------------

def test_lspci_rows_and_instance_types_are_read() -> None:
    assert read_line(INTEL_ROW, INTEL_ROW.lower()) == [("display_adapter", "other")]
    row = "06:00.0 3D controller: NVIDIA Corporation GP108M [GeForce MX250] (rev a1)"
    assert read_line(row, row.lower()) == [("display_adapter", "nvidia")]
    # lspci -nn: the class and the vendor id (https://github.com/Antergos/nvidia-installer/issues/12).
    nn = "01:00.0 3D controller [0302]: NVIDIA Corporation Device [10de:1d12] (rev a1)"
    assert read_line(nn, nn.lower()) == [("display_adapter", "nvidia")]
    assert read_line("$ lspci | grep VGA", "$ lspci | grep vga") == [("display_adapter", "vga_filter")]
    assert read_line(SAGEMAKER_DEPLOY, SAGEMAKER_DEPLOY.lower()) == [("cpu_instance", "ml.m4.xlarge")]


def test_instance_types_out_of_context_or_asked_are_not_read() -> None:
    question = "Can I train on an ml.m5.xlarge instance?"
    assert read_line(question, question.lower()) == []
    plain = "the file weights.large was saved"
    assert read_line(plain, plain.lower()) == []
    gpu = "instance_type='ml.p3.2xlarge'"
    assert read_line(gpu, gpu.lower()) == []


def test_the_signs_from_the_facts() -> None:
    assert machine_signs(facts(INTEL_ROW)) == ("other_adapters_only",)
    assert "nvidia_adapter" in machine_signs(facts(HYBRID)) and "other_adapters_only" not in machine_signs(facts(HYBRID))
    # lspci filtered to VGA rows leaves a hybrid laptop's NVIDIA "3D controller" out: its Intel row alone says nothing.
    assert "other_adapters_only" not in machine_signs(facts("$ lspci | grep -i vga\n" + INTEL_ROW))
    assert machine_signs(facts(SAGEMAKER_DEPLOY)) == ("cpu_instance",)


# --- the readings that ask it -------------------------------------------------------------------------------------------

def test_libcuda_missing_on_a_cpu_instance_is_no_gpu_first() -> None:
    assert first_cause(SAGEMAKER_DEPLOY + "\n" + LIBCUDA) == "NO_GPU"
    assert first_cause(LIBCUDA) != "NO_GPU"
    assert first_cause("predictor = estimator.deploy(initial_instance_count=1, instance_type='ml.p3.2xlarge')\n" + LIBCUDA) != "NO_GPU"


def test_an_nvidia_gpu_on_the_bus_puts_no_gpu_last() -> None:
    assert codes(PT_NO_DRIVER)[0] == "NO_GPU"  # the signature's own order, where nothing decides
    shown = codes(PT_NO_DRIVER + "\n" + HYBRID)
    assert shown[0] == "DRIVER_MISSING" and shown.index("NO_GPU") > shown.index("DRIVER_MISSING")
    assert first_cause(PT_NO_DRIVER + "\n" + INTEL_ROW) == "NO_GPU"


def test_nvidia_smi_missing_on_a_machine_shown_without_an_nvidia_gpu() -> None:
    r = report(SMI_MISSING + "\n$ lspci\n" + INTEL_ROW)
    assert r.causes[0].code == "NO_GPU" and "LOG580" in r.causes[0].findings
    assert "without an NVIDIA GPU" in r.causes[0].title
    # Alone, or with lspci filtered to VGA rows, the driver not installed stays first.
    assert first_cause(SMI_MISSING) == "DRIVER_MISSING"
    assert first_cause(SMI_MISSING + "\n$ lspci | grep -i vga\n" + INTEL_ROW) == "DRIVER_MISSING"


def test_no_device_with_an_nvidia_row_is_the_driver_first() -> None:
    # The runtime's answer (https://github.com/BVLC/caffe/issues/4225) beside lspci's row of an NVIDIA device whose model lspci
    # does not name (https://github.com/mattshma/bigdata/issues/133): the GPU is on the bus, so the driver is first.
    line = "F0527 08:43:32.401912 27274 syncedmem.hpp:18] Check failed: error == cudaSuccess (38 vs. 0)  no CUDA-capable device is detected"
    row = "0000:5a:00.0 3D controller: NVIDIA Corporation Device 1db6 (rev a1)"
    assert first_cause(line + "\n" + row) == "DRIVER_MISSING"
    assert first_cause(line) == "NO_GPU"
    assert first_cause(line + "\n" + INTEL_ROW) == "NO_GPU"


def test_where_nothing_decides_the_check_that_would_is_named() -> None:
    unsure = report(LIBCUDA).causes[0]
    assert unsure.code == "DRIVER_MISSING" and "lspci | grep -i nvidia" in unsure.fix
    assert "/proc/driver/nvidia/version" in unsure.fix
    # Where the signs decide, the reading is ranked instead and the check is not added.
    decided = report(SAGEMAKER_DEPLOY + "\n" + LIBCUDA).causes[0]
    assert decided.code == "NO_GPU" and "/proc/driver/nvidia/version" not in decided.fix
    # A reading whose own check already asks lspci keeps its own words only.
    assert report(PT_NO_DRIVER).causes[0].fix.count("lspci") == 1
