"""Lead's mends after session 35's sealed batch was opened: a writer's "not used" read from a monitor blind to CUDA work
(LOG631), and a conda pin that weighs nothing (tests/explain/test_accnotcpu_cuda_build.py). Real lines carry their source."""

from __future__ import annotations

from log_text import codes, report

# https://github.com/AUTOMATIC1111/stable-diffusion-webui/issues/16843 (negatives26: the collaborator judged the GPU in use)
TASK_MANAGER = ("When using stable diffusion, the gpu of my rtx 3060 is not used, and when opening task manager, it does not "
                "appear when extracting images that it is being used\n")


def _ids(text: str) -> set[str]:
    return {f.id for f in report(text).findings}


def test_a_writer_reading_task_manager_alone_gets_no_cause_and_the_check_that_decides() -> None:
    r = report(TASK_MANAGER)
    assert [c.code for c in r.causes] == []
    assert r.verdict.gpu_usable is None
    finding = next(f for f in r.findings if f.id == "LOG631")
    assert "Task Manager" in finding.title and "Cuda" in (finding.fix or "")


def test_a_framework_answer_beside_task_manager_keeps_the_ranking() -> None:
    text = TASK_MANAGER + ">>> import torch\n>>> torch.cuda.is_available()\nFalse\n"
    assert "LOG631" not in _ids(text)
    assert codes(text)[0] == "FRAMEWORK_CPU_BUILD"


def test_a_failure_line_beside_task_manager_speaks_instead() -> None:
    text = TASK_MANAGER + ("W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library "
                           "'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory\n")
    assert "LOG631" not in _ids(text)
    assert codes(text)


def test_the_writer_words_without_a_blind_monitor_are_still_ranked() -> None:
    text = "When using stable diffusion, the gpu of my rtx 3060 is not used\n"
    assert "LOG631" not in _ids(text)
    assert codes(text)


# LOG231 (noticed by accprose): PyTorch's is_available() stays True on a GPU its build has no code for, so where that answer
# False is the only trouble shown, the GPU's age is low; a kernel that found no code for the device keeps it high.
NEW_GPU = "torch 2.1.2+cu118\nGPU: NVIDIA GeForce RTX 5090\n"


def _log231(text: str) -> str | None:
    return next((f.confidence.value for f in report(text).findings if f.id == "LOG231" and f.alternative_to is None), None)


def test_a_gpu_outside_the_build_beside_is_available_false_alone_is_low() -> None:
    assert _log231(NEW_GPU + ">>> torch.cuda.is_available()\nFalse\n") == "low"


def test_a_gpu_outside_the_build_beside_no_kernel_image_is_high() -> None:
    assert _log231(NEW_GPU + "RuntimeError: CUDA error: no kernel image is available for execution on the device\n") == "high"
