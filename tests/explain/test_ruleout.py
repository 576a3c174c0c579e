"""The rule-out decision (knowledge/ruleouts.toml): facts a log shows move a cause down, the report says which, and nothing moves without one."""

from __future__ import annotations

import json

import pytest

from whygpu.explain import explain_text, to_report
from whygpu.explain.logfacts import LogFacts
from whygpu.explain.ruleout import FACTS, shown_facts
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
    lowered = {c.code: c.ranked_lower for c in report.causes if c.ranked_lower}
    assert "lists a GPU" in lowered["DRIVER_MISSING"]
    assert "gpu_listed" not in _facts(">>> torch.cuda.is_available()\nFalse\n")


def test_the_text_report_says_what_moved_a_cause() -> None:
    from whygpu.render.text import render_text

    log = ("E cuda_driver.cc:268] failed call to cuInit: CUDA_ERROR_UNKNOWN: unknown error\n"
           "No GPU/TPU found, falling back to CPU.\n")
    text = render_text(to_report(explain_text(log)), color=False)
    assert "ranked lower: the program loaded or tried to load CUDA" in text
