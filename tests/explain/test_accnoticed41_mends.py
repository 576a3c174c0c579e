"""accnoticed41 (session 41): what session 41's branches noticed and did not mend, each in the module that owns it, with a
case where it fires and one where it stays quiet (real lines, their public sources in the comments)."""

from __future__ import annotations

import pytest

from log_text import codes, report
from whygpu.explain.cpumode import gpu_named_lines
from whygpu.explain.cudashown import cuda_shown_said
from whygpu.explain.programbuilds import found_stated
from whygpu.explain.reported import apple_silicon
from whygpu.knowledge.visibility import visible_devices_show_one
from whygpu.model import Confidence

# --- 1. CUDA_VISIBLE_DEVICES that keeps GPU 0 hides nothing (knowledge.visibility) ---------------------------------------

# https://github.com/MaartenGr/BERTopic/issues/843 (the description): four GPUs, "0" chosen, the writer says the GPU is unused.
BERTOPIC_843 = """bertopic may do not use gpu on my machine
I write my code as follow and want to use gpu to speed up BERTopic. I have seen " The GPU is automatically used", but it seems like that the number of GPU processes on my server is not increasing. Can you give some suggestions?
By the way, there are four graphics cards on the server, do I need to specify it to run properly on the GPU? I have used `os.environ["CUDA_VISIBLE_DEVICES"]="0"`, but it doesn't seem to work either.
"""

# https://github.com/thuml/Autoformer/issues/25 (the description): the run script's id 1 on a one-GPU machine.
AUTOFORMER_25 = """export CUDA_VISIBLE_DEVICES=1 disables CUDA
I noticed though that on systems with 1 GPU, by default the scripts train on CPU. This is due to the bash files containing

`export CUDA_VISIBLE_DEVICES=1`
"""


@pytest.mark.parametrize(("value", "shows"), [("0", True), ("0,1", True), ("0,5", True), ("1", False), ("3,2,1,0", False),
                                              ("", False), ("-1", False), ("none", False), ("$GPU", False),
                                              ("GPU-8932f937-d72c-4106-c12f-20bd9faed9f6", False)])
def test_a_value_that_keeps_gpu_0(value: str, shows: bool) -> None:
    assert visible_devices_show_one(value) is shows


def test_code_choosing_gpu_0_forces_nothing_onto_the_cpu() -> None:
    first = report(BERTOPIC_843).causes[0]
    assert not (first.code == "CODE_FORCES_CPU" and first.confidence is Confidence.MEDIUM)


def test_an_id_past_a_one_gpu_machine_still_hides_it() -> None:
    assert codes(AUTOFORMER_25)[:1] == ["GPU_HIDDEN"]


def test_code_that_sets_an_empty_value_still_forces_the_cpu() -> None:
    assert codes(BERTOPIC_843.replace('="0"', '=""'))[:1] == ["CODE_FORCES_CPU"]


# --- 2. A program's own CPU line answers for torch only where the log shows a GPU or a wish for one (explain.cpumode) -------

# https://github.com/matheusbach/legen/issues/2 (the description): whisper's warning on a CPU run, no GPU anywhere.
LEGEN_2 = """UserWarning: FP16 is not supported on CPU; using FP32 instead
Hi, when i try to transcribe big files this error message appears to me: "UserWarning: FP16 is not supported on CPU; using FP32 instead". How can I fix this problem, please?
"""

# https://github.com/dsymbol/decipher/issues/8 (the description): the same warning beside the writer's RTX 3060 (a CPU torch).
DECIPHER_8 = """So I have a 3060 and a core i9-12900kf and when im using decipher im getting the error:  UserWarning: FP16 is not supported on CPU; using FP32 instead
  warnings.warn("FP16 is not supported on CPU; using FP32 instead")
"""

# https://github.com/mmguero/monkeyplug/issues/4 (the description): the warning and the wish in other words.
MONKEYPLUG_4 = """A warning upon first running the `whisper` model clued me in to it not using hardware acceleration:

> UserWarning: FP16 is not supported on CPU; using FP32 instead
"""


def test_the_cpu_line_alone_is_a_cpu_run() -> None:
    got = report(LEGEN_2)
    assert got.causes == [] and got.verdict.gpu_usable is not False


@pytest.mark.parametrize("text", [DECIPHER_8, MONKEYPLUG_4])
def test_the_cpu_line_beside_a_gpu_or_a_wish_answers_for_torch(text: str) -> None:
    assert codes(text)[:1] == ["FRAMEWORK_CPU_BUILD"]


def test_a_program_that_prints_only_when_the_gpu_was_asked_is_not_gated() -> None:
    # https://github.com/huggingface/autotrain-advanced/issues/754: transformers' quantizer (no cpu_mode): its own answer.
    assert codes("RuntimeError: No GPU found. A GPU is needed for quantization.\n") != []


@pytest.mark.parametrize(("text", "named"), [("So I have a 3060 and a core i9", True), ("not using hardware acceleration", True),
                                             ("torch 2.1.0+cu121", True), ("When using the CPU with the medium model", False),
                                             ("FP16 is not supported on CPU; using FP32 instead", False)])
def test_gpu_named_in_any_words(text: str, named: bool) -> None:
    assert bool(gpu_named_lines(text)) is named


# --- 3. A writer's statement that a CPU build was installed (explain.statements.cpu_build_said) ---------------------------

# https://github.com/ai4d-iasc/trixie/issues/73 (the description).
TRIXIE_73 = ("The wiki page [Jobs Conda Pytorch](https://github.com/ai4d-iasc/trixie/wiki/Jobs-conda-pytorch) has this line "
             "that currently only installs cpu versions of pytorch:\n")


@pytest.mark.parametrize("text", [TRIXIE_73,
                                  # https://github.com/NRCan/geo-deep-learning/issues/490 (the description)
                                  "Conda environments built from our environment.yml install a cpu version of pytorch even on machines with GPU.\n",
                                  # https://github.com/torchgeo/torchgeo/issues/529 (the description)
                                  "Conda installation (tested on Ubuntu 20.04) installs a cpu version of pytorch and torchvision.\n"])
def test_a_cpu_build_said_installed(text: str) -> None:
    assert codes(text)[:1] == ["FRAMEWORK_CPU_BUILD"]


@pytest.mark.parametrize("text", ["If you run this it will install the cpu version\n", "Does pip install the cpu version by default?\n"])
def test_a_cpu_build_planned_or_asked_is_not_installed(text: str) -> None:
    assert "FRAMEWORK_CPU_BUILD" not in codes(text)


# --- 4. A build's CUDA, or one asked of a maintainer, is not the machine's (explain.cudashown) -----------------------------

# https://github.com/vllm-project/vllm/issues/1807 (the description).
VLLM_1807 = ("Since the latest vllm (0.2.2) for cuda11.8 is built with torch 2.1.0 (which is incompatible with cuda 11.8)， "
             "could you please release a vllm.whl that is built with torch 2.0.1 and py39 ?")


@pytest.mark.parametrize("text", [VLLM_1807, "please release a build for CUDA 12.1", "We need the wheel for CUDA 12.1"])
def test_a_builds_cuda_is_not_the_machines(text: str) -> None:
    assert cuda_shown_said(text) is None


@pytest.mark.parametrize(("text", "shown"), [
    # (an HPC module that loads that CUDA: the machine's)
    ("Deep Learning stack for Cuda 11.2 loaded", "Cuda 11.2"),
    ("torch compiled with CUDA 11.8 but I have CUDA 12.1 installed", "CUDA 12.1"),
    ("I installed cuda 11.0 and cuDNN8.0.1 RC2 for cuda11.0", "I installed cuda"),
])
def test_the_machines_cuda_beside_a_build(text: str, shown: str) -> None:
    assert cuda_shown_said(text) == shown


# --- 5. An instruction to install the Toolkit is not the machine's (grammar.instructed, asked by found_stated) --------------

@pytest.mark.parametrize("line", ["First install CUDA Toolkit 12.2", "Please install CUDA Toolkit 12.2",
                                  "You should install CUDA Toolkit 12.2 before running it"])
def test_an_instruction_names_no_installed_toolkit(line: str) -> None:
    assert found_stated(line) == []


def test_a_bare_verb_stays_the_writers_report() -> None:
    # grammar.instructed: a bare verb with no mark of instruction is a report that drops its subject ("Install cuda11.8,
    # cuDNN8.5.0.96, and onnxruntime-gpu==1.15. But could not locate zlibwapi.dll", microsoft/onnxruntime#17510).
    assert found_stated("Install CUDA Toolkit 12.2, then the wheel. But it could not load the provider.") == [("cuda", "12.2")]


# --- 6. No Python package's fix for a program that is not Python (explain.programfix) --------------------------------------

# https://github.com/qupath/qupath-extension-djl/issues/46 (the corpus case's description, shortened).
DJL_MISREAD = """RTX 5090 (Blackwell/sm_120) not detected - DJL falls back to CPU

QuPath 0.7.0, DJL pytorch-engine 0.36.0, PyTorch 2.7.1
GPU: NVIDIA GeForce RTX 5090 (Blackwell, compute capability sm_120 / 12.0)

DJL fails to detect the RTX 5090 GPU correctly. The log shows:

    No matching cuda flavor for win-x86_64 found: cu065
"""


def test_a_binding_gets_no_pip_command() -> None:
    first = report(DJL_MISREAD).causes[0]
    assert first.code == "FRAMEWORK_CPU_BUILD"
    assert "PYTORCH_FLAVOR" in first.fix and "pip install" not in first.fix


def test_a_python_cpu_build_keeps_its_pip_command() -> None:
    # https://github.com/ultralytics/ultralytics/issues/8869: a +cpu torch under Ultralytics.
    first = report("Ultralytics YOLOv8.0.196  Python-3.10.5 torch-2.2.1+cpu CPU (12th Gen Intel Core(TM) i5-12600KF)\n").causes[0]
    assert first.code == "FRAMEWORK_CPU_BUILD" and "pip install" in first.fix


# --- 7. An ARM Mac is an Apple-silicon Mac (explain.reported.apple_silicon) -------------------------------------------------

# https://github.com/MaartenGr/BERTopic/issues/1526 (the description).
BERTOPIC_1526 = """Can BERTopic.fit_transform be accelerated with GPU support?
I am new to BERTopic. When I run
```
from bertopic import BERTopic
topic_model = BERTopic()
topics, probs = topic_model.fit_transform(docs)
```
all the processing happens on my CPU.
I am working on an ARM Mac with a built-in GPU, therefore not a CUDA device.
"""


@pytest.mark.parametrize("text", ["I am working on an ARM Mac with a built-in GPU", "I have a MacBook with ARM chip", "My macbook (arm64) runs it"])
def test_an_arm_mac_is_apple_silicon(text: str) -> None:
    assert apple_silicon(text) is not None


@pytest.mark.parametrize("text", ["The arm64 mac build of the package is missing", "I run it on an aarch64 Linux server",
                                  "Mac M1 users should use mps"])
def test_no_arm_mac_of_the_writers(text: str) -> None:
    assert apple_silicon(text) is None


def test_an_apple_silicon_machine_is_gpu_not_supported() -> None:
    assert codes(BERTOPIC_1526)[:1] == ["GPU_NOT_SUPPORTED"]


def test_whisper_told_to_use_the_cpu_with_no_gpu_anywhere_is_a_cpu_run() -> None:
    # https://github.com/shirayu/whispering/issues/76 (the description; the maintainer: "That is not an error. With
    # `--device cpu`, FP32 is used.")
    text = ("Got error :\ntranscriber._set_dtype:35 WARNING -> FP16 is not supported on CPU; using FP32 instead\n\nwhen running :\n"
            "whispering --language fr --model tiny --device cpu\n")
    assert codes(text) == []
