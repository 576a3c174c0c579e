"""The rule-out decision (knowledge/ruleouts.toml): facts a log shows move a cause down, the report says which, and nothing moves without one."""

from __future__ import annotations

import json

import pytest

from whygpu.explain import explain_text, to_report
from whygpu.explain.logfacts import FactReader, LogFacts
from whygpu.explain.ruleout import FACTS, rank, shown_facts
from whygpu.knowledge.ruleouts import (
    against,
    driver_new_enough,
    fact_names,
    order_by_effect,
    ranked_against,
    ruleouts,
)


def _causes(log: str) -> list[str]:
    return [c.code for c in to_report(explain_text(log)).causes]


def test_every_row_names_a_fact_the_reader_reads_and_a_cause() -> None:
    from whygpu.knowledge.causes import cause_meaning

    assert fact_names() <= set(FACTS)
    for row in ruleouts():
        assert row.effect in ("rules_out", "demotes")
        assert row.source.startswith("https://")
        assert cause_meaning(row.cause)


def test_ranking_keeps_order_and_moves_demoted_then_ruled_out_last() -> None:
    assert order_by_effect(["A", "B", "C", "D"], {"A": "rules_out", "B": "demotes"}) == ["C", "D", "B", "A"]
    order, moved = ranked_against(["FRAMEWORK_CPU_BUILD", "CUDNN_MISSING", "CUDA_LIBS_MISMATCH"], {"cuda_build", "cudnn_present"})
    assert order == ["CUDA_LIBS_MISMATCH", "CUDNN_MISSING", "FRAMEWORK_CPU_BUILD"]
    assert moved["FRAMEWORK_CPU_BUILD"].effect == "rules_out" and moved["CUDNN_MISSING"].effect == "demotes"
    # Nothing shown: nothing moves.
    assert ranked_against(["FRAMEWORK_CPU_BUILD", "NO_GPU"], set()) == (["FRAMEWORK_CPU_BUILD", "NO_GPU"], {})
    # A fact about another cause moves none of these.
    assert against("FRAMEWORK_CPU_BUILD", {"driver_answers"}) is None


@pytest.mark.parametrize(
    ("driver", "wanted", "expected"),
    [("12.4", ["12.3"], True), ("12.4", ["12.4", "11.8"], True), ("12.2", ["12.4"], False), ("11.4", ["12.1"], False),
     ("12.4", [], False)],
)
def test_driver_new_enough_only_when_every_wanted_cuda_is_at_most_the_drivers(driver: str, wanted: list[str], expected: bool) -> None:
    assert driver_new_enough(driver, wanted) is expected


def test_an_empty_log_shows_no_fact() -> None:
    assert shown_facts(LogFacts()) == {}


# --- a CPU build cannot lead where the log shows a CUDA build -------------------------------------------------------

def _lead(log: str) -> object:
    return next(f for f in explain_text(log).findings if f.id == "LOG104" and f.alternative_to is None)


def test_a_cuda_wheel_version_rules_out_the_cpu_build() -> None:
    lead = _lead("pip list: torch 2.1.0+cu121\nThe GPU is not used, training runs on the CPU.\n")
    assert lead.cause != "FRAMEWORK_CPU_BUILD"  # type: ignore[attr-defined]
    assert "CUDA build" in lead.extra["ranked_lower"]["FRAMEWORK_CPU_BUILD"]  # type: ignore[attr-defined]
    # The lead says what it passed over, and the line that showed it is evidence.
    assert "(FRAMEWORK_CPU_BUILD ranked lower: the framework reports a CUDA build)" in lead.title  # type: ignore[attr-defined]
    assert any("torch 2.1.0+cu121" in line for line in lead.evidence)  # type: ignore[attr-defined]


def test_a_plain_version_leaves_the_cpu_build_first() -> None:
    lead = _lead("pip list: torch 2.1.0\nThe GPU is not used, training runs on the CPU.\n")
    assert lead.cause == "FRAMEWORK_CPU_BUILD" and "ranked_lower" not in lead.extra  # type: ignore[attr-defined]
    log = ">>> import torch\n>>> torch.__version__\n'2.1.0'\n>>> torch.cuda.is_available()\nFalse\n"
    assert _causes(log)[:1] == ["FRAMEWORK_CPU_BUILD"]


def test_a_pip_tensorflow_release_with_cuda_on_linux_rules_out_the_cpu_build() -> None:
    log = ("Ubuntu 22.04\n$ pip install tensorflow==2.10.0\n"
           ">>> tf.config.list_physical_devices('GPU')\n[]\n")
    causes = _causes(log)
    assert causes and causes[0] != "FRAMEWORK_CPU_BUILD"


def test_a_pip_tensorflow_release_without_cuda_leaves_the_cpu_build_first() -> None:
    # 1.14's plain tensorflow package had no CUDA code (tensorflow-gpu had).
    log = "Ubuntu 18.04\n$ pip install tensorflow==1.14.0\n>>> tf.test.is_gpu_available()\nFalse\n"
    assert "FRAMEWORK_CPU_BUILD" in _causes(log)[:1]


def test_a_cuda_call_that_failed_shows_a_cuda_build() -> None:
    log = ("E external/xla/xla/stream_executor/cuda/cuda_driver.cc:268] failed call to cuInit: CUDA_ERROR_UNKNOWN: unknown error\n"
           "No GPU/TPU found, falling back to CPU. (Set TF_CPP_MIN_LOG_LEVEL=0 and rerun for more info.)\n")
    report = to_report(explain_text(log))
    assert report.causes[0].code != "FRAMEWORK_CPU_BUILD"
    lowered = next(c for c in report.causes if c.code == "FRAMEWORK_CPU_BUILD")
    assert "CUDA" in lowered.ranked_lower and "cuInit" in lowered.ranked_lower
    assert json.loads(json.dumps(report.to_json()))["causes"][-1]["ranked_lower"] == lowered.ranked_lower


def test_the_fallback_alone_leaves_the_cpu_build_first() -> None:
    log = "No GPU/TPU found, falling back to CPU. (Set TF_CPP_MIN_LOG_LEVEL=0 and rerun for more info.)\n"
    report = to_report(explain_text(log))
    assert report.causes[0].code == "FRAMEWORK_CPU_BUILD"
    assert all(not c.ranked_lower for c in report.causes)


def test_a_cuda_build_only_asked_for_rules_nothing_out() -> None:
    log = ("$ pip install jaxlib==0.4.7+cuda11.cudnn82 -f https://storage.googleapis.com/jax-releases/jax_cuda_releases.html\n"
           "No GPU/TPU found, falling back to CPU.\n")
    assert _causes(log)[:1] == ["FRAMEWORK_CPU_BUILD"]


def test_the_frameworks_own_statement_keeps_its_place() -> None:
    # Two environments: a CUDA wheel named in one, "not compiled with CUDA" from the one that ran.
    log = "torch 2.1.0+cu121\nAssertionError: Torch not compiled with CUDA enabled\n"
    assert _causes(log)[:1] == ["FRAMEWORK_CPU_BUILD"]


# --- the driver and the container ------------------------------------------------------------------------------------

_SMI = "| NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |\n"


def _facts(log: str) -> dict[str, object]:
    from whygpu.explain.logfacts import FactReader

    reader = FactReader()
    reader.read_text("<text>", log)
    return shown_facts(reader.facts)


def test_the_hosts_nvidia_smi_does_not_rule_out_a_container_without_the_gpu() -> None:
    log = "The GPU is not detected inside the docker container.\n" + _SMI
    assert "gpu_in_container" not in _facts(log) and "driver_answers" in _facts(log)
    assert "CONTAINER_NO_GPU" in _causes(log)[:1]


def test_nvidia_smi_inside_a_container_given_the_gpu_rules_it_out() -> None:
    given = "$ docker run --rm --gpus all nvidia/cuda:12.4.0-base-ubuntu22.04 nvidia-smi\n" + _SMI
    assert "gpu_in_container" in _facts(given)
    # ... but not when the log also starts a container without the GPU: that may be the one that failed.
    assert "gpu_in_container" not in _facts(given + "$ docker run --rm myimage python train.py\n")
    # nvidia-smi answering before the container is started says nothing about the container.
    assert "gpu_in_container" not in _facts(_SMI + "$ docker run --rm --gpus all myimage nvidia-smi\n")


def test_a_framework_listing_a_gpu_rules_out_no_gpu_and_no_driver() -> None:
    # PyTorch sees the GPU on the machine where JAX fell back to the CPU: the GPU and its driver are there.
    log = (">>> import torch, jax\n>>> torch.cuda.is_available()\nTrue\n"
           "WARNING:absl:No GPU/TPU found, falling back to CPU. (Set TF_CPP_MIN_LOG_LEVEL=0 and rerun for more info.)\n")
    report = to_report(explain_text(log))
    codes = [c.code for c in report.causes]
    assert codes[:2] == ["FRAMEWORK_CPU_BUILD", "CUDA_LIBS_MISSING"]
    # accrank3: an alternative the line leaves open that a fact rules out is not listed at all (as LOG104 drops it),
    # and the reason is the row's (explain.rules.alternatives_earned).
    assert "DRIVER_MISSING" not in codes and "NO_GPU" not in codes
    reader = FactReader()
    reader.read_text("<text>", log)
    _, moved = rank(["DRIVER_MISSING"], reader.facts)
    assert moved["DRIVER_MISSING"][0].effect == "rules_out" and "lists a GPU" in moved["DRIVER_MISSING"][0].why
    assert "gpu_listed" not in _facts(">>> torch.cuda.is_available()\nFalse\n")


def test_the_text_report_says_what_moved_a_cause() -> None:
    from whygpu.render.text import render_text

    log = ("E cuda_driver.cc:268] failed call to cuInit: CUDA_ERROR_UNKNOWN: unknown error\n"
           "No GPU/TPU found, falling back to CPU.\n")
    text = render_text(to_report(explain_text(log)), color=False)
    assert "ranked lower: the program loaded or tried to load CUDA" in text


# --- pip's nvidia-*-cuNN wheels: what a framework runs with only where it loads them --------------------------------

def _wheels(text: str) -> dict[str, list[str]]:
    from whygpu.explain.logfacts import FactReader

    reader = FactReader()
    reader.read_text("<text>", text)
    return {k: [s.value for s in v] for k, v in reader.facts.pip_cuda_wheels.items()}


@pytest.mark.parametrize(
    ("line", "expected"),
    [("nvidia-cudnn-cu12         8.9.7.29", {"cudnn": ["8.9.7.29"]}),
     ("nvidia-cuda-runtime-cu11  11.8.89", {"cuda-runtime": ["11.8.89"]}),
     ("  + nvidia-cudnn-cu12==9.10.1.4", {"cudnn": ["9.10.1.4"]}),
     ("Successfully installed jax-0.4.30 nvidia-cudnn-cu12-9.5.1.17", {"cudnn": ["9.5.1.17"]}),
     ("torch 2.1.1 requires nvidia-cudnn-cu12==8.9.2.26, but you have nvidia-cudnn-cu12 9.5.1.17 which is incompatible.",
      {"cudnn": ["9.5.1.17"]})],
)
def test_a_wheel_shown_installed_is_read(line: str, expected: dict[str, list[str]]) -> None:
    assert _wheels(line) == expected


@pytest.mark.parametrize(
    "line",
    ["pip install nvidia-cudnn-cu11==8.6.0.163",  # asked for, not shown installed
     "jax 0.4.33 needs nvidia-cudnn-cu12 9.5.1.17",  # what another package wants
     "Do I need nvidia-cudnn-cu12 9.1 for this?"],
)
def test_a_wheel_only_asked_for_or_talked_about_is_not_read(line: str) -> None:
    assert _wheels(line) == {}


def test_which_frameworks_load_the_wheels_is_the_knowledge_layers() -> None:
    from whygpu.knowledge.ruleouts import loads_pip_cuda_wheels

    assert loads_pip_cuda_wheels("tensorflow", "2.15.0") is True
    assert loads_pip_cuda_wheels("tensorflow", "2.12.0") is False
    assert loads_pip_cuda_wheels("torch", "2.1.1") is True
    assert loads_pip_cuda_wheels("tensorflow", None) is None
    assert loads_pip_cuda_wheels("mxnet", "1.9.1") is None


_DLOPEN = ("W tensorflow/tsl/platform/default/dso_loader.cc:66] Could not load dynamic library 'libcudnn.so.8'; "
           "dlerror: libcudnn.so.8: cannot open shared object file: No such file or directory\n")


def test_a_wheel_of_another_major_beside_a_tensorflow_that_does_not_load_it_claims_no_mismatch() -> None:
    # TensorFlow 2.12 never loads pip's cuDNN 9 wheel: the wheel says nothing about the cuDNN it loads.
    old = to_report(explain_text("tensorflow                2.12.0\nnvidia-cudnn-cu12         9.1.0.70\n" + _DLOPEN))
    assert "cuDNN 9" not in old.causes[0].title
    # TensorFlow 2.15 loads it: another major is a mismatch.
    new = to_report(explain_text("tensorflow                2.15.0\nnvidia-cudnn-cu12         9.1.0.70\n" + _DLOPEN))
    assert new.causes[0].code == "CUDNN_MISMATCH" and "cuDNN 9.1.0.70" in new.causes[0].title


def test_a_wheel_of_the_wanted_major_off_the_path_of_an_older_tensorflow_is_a_library_off_the_path() -> None:
    report = to_report(explain_text("tensorflow                2.12.0\nnvidia-cudnn-cu11         8.6.0.163\n" + _DLOPEN))
    assert report.causes[0].code == "CUDA_LIBS_NOT_ON_PATH"
    assert "does not load by itself" in report.causes[0].title


# --- a cuDNN file the writer says is in a folder: a cuDNN on disk -----------------------------------------------------

def _files(text: str) -> dict[str, list[str]]:
    from whygpu.explain.logfacts import FactReader

    reader = FactReader()
    reader.read_text("<text>", text)
    return {k: [s.value for s in v] for k, v in reader.facts.library_files.items()}


@pytest.mark.parametrize(
    ("text", "name", "path"),
    [("The file is at /opt/venv/lib/python3.10/site-packages/nvidia/cudnn/lib/libcudnn_cnn_infer.so.8 on my machine.",
      "libcudnn_cnn_infer.so.8", "/opt/venv/lib/python3.10/site-packages/nvidia/cudnn/lib/libcudnn_cnn_infer.so.8"),
     ("I looked in `D:\\envs\\asr\\Lib\\site-packages\\torch\\lib` and found `cudnn_adv_infer64_8.dll` there",
      "cudnn_adv_infer64_8.dll", "D:\\envs\\asr\\Lib\\site-packages\\torch\\lib\\cudnn_adv_infer64_8.dll"),
     ("Loading fails. But libcudnn.so.9 sits in /usr/local/cuda-12.4/lib64 already", "libcudnn.so.9", "/usr/local/cuda-12.4/lib64/libcudnn.so.9")],
)
def test_a_cudnn_file_said_to_be_in_a_folder_is_on_disk(text: str, name: str, path: str) -> None:
    assert _files(text) == {name: [path]}


@pytest.mark.parametrize(
    "text",
    ["Is libcudnn.so.8 supposed to be in /usr/local/cuda/lib64?",  # a question
     "Please copy cudnn64_8.dll to C:\\tools\\cuda\\bin",  # advice
     "If cudnn64_8.dll is in C:\\tools\\cuda\\bin it should load",  # a condition
     "There is no libcudnn_ops_infer.so.8 or libcudnn_ops_infer.so.9 in /usr/lib/x86_64-linux-gnu",  # a lack, both files
     "I saw `cudnn_ops64_9.dll` in `C:\\a\\b\\lib` instead of `cudnn_ops64_8.dll`",  # only the 9 is there
     "OSError: /usr/lib/x86_64-linux-gnu/libcudnn.so.8: cannot open shared object file",  # a failure
     "I tensorflow/stream_executor/platform/default/dso_loader.cc:53] Successfully opened dynamic library libcudnn.so.8"],
)
def test_a_cudnn_file_not_said_to_be_there_is_not_read(text: str) -> None:
    files = _files(text)
    if "instead of" in text:
        assert list(files) == ["cudnn_ops64_9.dll"]
    else:
        assert files == {}


def test_a_cudnn_of_another_major_said_on_disk_makes_the_failure_a_mismatch() -> None:
    log = ("Could not locate cudnn_ops_infer64_8.dll. Please make sure it is in your library path!\n"
           "Looking in `venv\\Lib\\site-packages\\torch\\lib` I only see `cudnn_ops_infer64_9.dll`.\n")
    report = to_report(explain_text(log))
    assert report.causes[0].code == "CUDNN_MISMATCH"
