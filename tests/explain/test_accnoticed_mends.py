"""Session 37 (branch accnoticed): precise mends noticed by earlier sessions.

Each reading has a case where it speaks and one where it stays quiet; real lines carry their public source.
"""

from __future__ import annotations

from tests.log_text import facts, report

from whygpu.explain import _head_text, explain_text, grammar
from whygpu.explain.ccsupport import names_build_targets
from whygpu.explain.cudafloor import framework_cuda_floors
from whygpu.explain.logfacts import FactReader, LogFacts
from whygpu.explain.normalize import form_emphasis_off, unwrap


def _said(text: str, words: str) -> bool:
    start = text.index(words)
    return grammar.said(text, start, start + len(words))


def _head_facts(text: str) -> LogFacts:
    """The facts the fact reader takes from ``text`` as explain hands it the head (each line unwrapped)."""
    reader = FactReader()
    reader.read_text("t", _head_text([line.encode() + b"\n" for line in text.split("\n")]))
    return reader.facts


# --- 2. a question states nothing; an observation reported in a reproduction step does -------------------------------

def test_a_hypothetical_wh_question_asserts_nothing() -> None:
    # acckernel (session 36) noticed it of "Why would I get 'no kernel image is available' on a GTX 1080?".
    assert not _said("Why would I get no kernel image is available on a GTX 1080?", "no kernel image")
    assert not _said("how could it run on the CPU?", "run on the CPU")


def test_a_question_presupposing_its_content_still_asserts_it() -> None:
    assert _said("Why is torch not using my GPU?", "torch not using my GPU")
    assert _said("Why wouldn't torch use the GPU?", "torch use the GPU")  # a negated modal: it does not


def test_a_yes_no_question_opening_a_later_clause_asserts_nothing() -> None:
    assert not _said("The GPU is idle, is it because the driver is not installed?", "the driver is not installed")
    assert _said("The GPU is idle, and the driver is not installed.", "the driver is not installed")


def test_a_reproduction_step_reports_what_was_seen() -> None:
    # https://github.com/skypilot-org/skypilot/issues/3651 (a reproduction step's "Confirm that ..."): the observation.
    step = "3. Confirm that CUDA drivers indeed does not exist by `ssh qwen && nvidia-smi`"
    assert _said(step, "CUDA drivers indeed does not exist")
    # https://github.com/tensorflow/tensorflow/issues/36476: "Observe that" reports what the writer saw.
    observed = "3. Observe that CPU devices are found, but GPU devices are not"
    assert _said(observed, "CPU devices are found")
    # In prose, a request to confirm stays a request.
    assert not _said("Please confirm that the drivers are not installed.", "the drivers are not installed")


# --- 3. a build's -gencode list (CMake's ';'-joined form) is the build's targets, never the GPU's capability -----------

# https://github.com/open-mmlab/mmdetection/issues/4139 (torch.__config__.show()'s line)
NVCC_FLAGS = ("  - NVCC architecture flags: -gencode;arch=compute_37,code=sm_37;-gencode;arch=compute_50,code=sm_50;-gencode;"
              "arch=compute_60,code=sm_60;-gencode;arch=compute_61,code=sm_61;-gencode;arch=compute_70,code=sm_70;-gencode;"
              "arch=compute_75,code=sm_75;-gencode;arch=compute_37,code=compute_37")


def test_cmake_gencode_list_is_the_builds_not_the_gpus() -> None:
    read = facts(NVCC_FLAGS)
    assert read.compute_capability == []
    assert read.build_archs and "sm_75" in read.build_archs[0].value
    assert names_build_targets(NVCC_FLAGS)


def test_a_gpu_capability_stated_is_still_read() -> None:
    line = "Device 0: NVIDIA GeForce GTX 1080, compute capability 6.1"
    assert [s.value for s in facts(line).compute_capability] == ["6.1"]
    assert not names_build_targets(line)


# --- 5. markdown emphasis in an issue form's label and value ------------------------------------------------------

def test_form_labels_in_emphasis_are_read() -> None:
    # The forms of https://github.com/pytorch/pytorch/issues (bug template's "- PyTorch Version (e.g., 1.0):") and
    # TensorFlow's ("**TensorFlow version (use command below)**:") with the markers GitHub renders bold.
    assert form_emphasis_off("**TensorFlow version:** 2.12.0") == "TensorFlow version: 2.12.0"
    assert form_emphasis_off("- **Tensorflow version (use command below)**: 2.12.0") == "- Tensorflow version (use command below): 2.12.0"
    assert form_emphasis_off("* __PyTorch version__: 2.1.0+cpu") == "* PyTorch version: 2.1.0+cpu"
    assert form_emphasis_off("- PyTorch version (GPU?): **2.0.1+cpu** (False)") == "- PyTorch version (GPU?): 2.0.1+cpu (False)"
    read = _head_facts("**Is CUDA available**: False\n- PyTorch version (GPU?): **2.0.1+cpu** (False)")
    assert read.gpu_answer.get("torch") and read.cuda_build.get("torch")
    assert [s.value for s in _head_facts("**Python version:** 3.10").python] == ["3.10"]


def test_a_dunder_name_and_bold_prose_are_not_form_labels() -> None:
    assert unwrap("torch.__version__: 2.1.0", reader=True) == "torch.__version__: 2.1.0"
    assert form_emphasis_off("__init__: 2") == "__init__: 2"
    assert form_emphasis_off("**bold** sentence here: no") == "**bold** sentence here: no"


# --- 1. a framework's CUDA floor said in words, beside the driver shown ---------------------------------------------

def test_a_frameworks_cuda_said_in_words_is_its_builds() -> None:
    # https://github.com/skypilot-org/skypilot/issues/2751: "the latest pytorch supporting only CUDA 11.8+" (as rendered; the
    # thread writes "CUDA 11.8+" as a markdown link).
    assert [b.cuda for b in framework_cuda_floors("the latest pytorch supporting only CUDA 11.8+")] == ["11.8"]
    assert [b.cuda for b in framework_cuda_floors("TensorFlow 2.12 requires CUDA >= 11.8")] == ["11.8"]
    assert framework_cuda_floors("Does TensorFlow 2.12 require CUDA 11.8?") == []
    assert framework_cuda_floors("the RTX 3090 needs CUDA >= 11.1") == []  # the GPU's floor, not a framework's
    assert framework_cuda_floors("torch 2.1 requires CUDA driver >= 525") == []  # a driver's floor


# The acccloudnode held-out thread's words (https://github.com/actions/partner-runner-images/issues/172: "PyTorch 2.11
# switches to cuda 13.0 by default") beside an nvidia-smi header of a CUDA 12 driver.
FLOOR_LOG = """PyTorch 2.11 switches to cuda 13.0 by default.
| NVIDIA-SMI 535.104.05             Driver Version: 535.104.05   CUDA Version: 12.2     |
torch.cuda.is_available() returns False"""


def test_a_framework_floor_above_the_drivers_cuda_major_is_driver_too_old() -> None:
    ids = [(f.id, f.cause) for f in explain_text(FLOOR_LOG).findings]
    assert ("LOG540", "DRIVER_TOO_OLD") in ids


def test_a_framework_floor_the_driver_runs_under_minor_compatibility_says_nothing() -> None:
    # TensorFlow's install page asks driver 450.80.02 or newer for every CUDA 11 build: a CUDA 11.4 driver runs 11.8's.
    log = FLOOR_LOG.replace("PyTorch 2.11 switches to cuda 13.0 by default.", "PyTorch 2.x needs CUDA 11.8 or later").replace("CUDA Version: 12.2", "CUDA Version: 11.4")
    assert "LOG540" not in [f.id for f in explain_text(log).findings]


# --- 6. a conda-installed CPU build: conda's form first -------------------------------------------------------------

# https://github.com/pytorch/pytorch/issues/33469 (collect_env's conda row), with the CPU build string conda's pytorch
# channel gives its CPU package.
CONDA_CPU = """PyTorch version: 1.4.0
Is CUDA available: No
[conda] pytorch                   1.4.0               py3.7_cpu_0    pytorch"""


def test_a_conda_installed_cpu_build_leads_with_conda() -> None:
    causes = report(CONDA_CPU).causes
    assert causes and causes[0].code == "FRAMEWORK_CPU_BUILD"
    fix = causes[0].fix
    assert fix.startswith("conda installed it") and "pytorch=*=cuda*" in fix and "What decides" in fix and "pip install" in fix


def test_a_pip_installed_cpu_build_leads_with_pip() -> None:
    causes = report("PyTorch version: 2.1.0+cpu\nIs CUDA available: False").causes
    assert causes and causes[0].code == "FRAMEWORK_CPU_BUILD"
    assert "conda" not in causes[0].fix and "pip install" in causes[0].fix


# --- 7. the loader's path of the platform the log shows --------------------------------------------------------------

# https://github.com/tensorflow/tensorflow/issues/34736 (TensorFlow 2.1 on Windows, its DLL not found)
WINDOWS_DLL = ("- OS Platform and Distribution (e.g., Linux Ubuntu 16.04): Windows 10 1909\n"
               "2019-12-01 20:12:55.597639: W tensorflow/stream_executor/platform/default/dso_loader.cc:55] Could not load dynamic "
               "library 'cudart64_101.dll'; dlerror: cudart64_101.dll not found")


def test_a_windows_library_cause_names_path_not_ld_library_path() -> None:
    causes = report(WINDOWS_DLL).causes
    path = [c for c in causes if c.code == "CUDA_LIBS_NOT_ON_PATH"]
    assert path and "LD_LIBRARY_PATH" not in path[0].fix and "PATH" in path[0].fix


def test_a_linux_library_cause_keeps_ld_library_path() -> None:
    line = WINDOWS_DLL.replace("Windows 10 1909", "Ubuntu 18.04").replace("cudart64_101.dll", "libcudart.so.10.1").replace(
        "not found", "cannot open shared object file: No such file or directory")
    causes = report(line).causes
    path = [c for c in causes if c.code == "CUDA_LIBS_NOT_ON_PATH"]
    assert path and ("LD_LIBRARY_PATH" in path[0].fix or "ldconfig" in path[0].fix)


# --- 8. a mapping row's cheap cue covers every form its framework pattern reads ----------------------------------------

# https://github.com/AI-Hypercomputer/maxtext/issues/3433 (its title's "[Distributed]" tag is taken off as a log prefix)
MAXTEXT_3433 = """[Distributed] hardware=gpu does not correctly configure process-per-node mode with Slurm

if `CUDA_VISIBLE_DEVICES` is not set explicitly then this falls through to auto-detection, which assumes process-per-GPU mode on Slurm. The result is that only the 0th GPU on each node is used.

srun --container-image=...--container-remap-root sh -c 'CUDA_VISIBLE_DEVICES=0,1,2,3,4,5,6,7 NNODES=2 NODE_RANK=${SLURM_PROCID} JAX_COORDINATOR_PORT=2222 JAX_COORDINATOR_IP=... python3 -m maxtext.trainers.pre_train.train ... hardware=gpu ici_fsdp_parallelism=8 ...'
will work"""


def test_jax_under_slurm_is_read_when_its_only_distributed_word_was_a_title_tag() -> None:
    causes = report(MAXTEXT_3433).causes
    assert causes and causes[0].code == "GPU_HIDDEN" and "LOG669" in causes[0].findings


def test_jax_one_device_words_without_a_scheduler_stay_quiet() -> None:
    text = MAXTEXT_3433.replace("Slurm", "the cluster").replace("srun ", "run ").replace("SLURM_PROCID", "RANK")
    assert "LOG669" not in [f for c in report(text).causes for f in c.findings]


# --- 4. a user's home folder named "docker-user" is no container ---------------------------------------------------

def test_a_home_folder_name_is_no_container() -> None:
    # https://github.com/NVIDIA/data-science-stack/issues/7
    line = ("###NV### Sun Apr  5 20:22:14 UTC 2020 #### Command: jupyter-lab --no-browser --ip=0.0.0.0 "
            "--notebook-dir=/home/docker-user/data-science-stack-2.2.2")
    assert facts(line).container_named == []
    assert [s.value for s in facts("cd /home/ubuntu && docker run --gpus all img").container_named] == ["docker"]
