"""accdeclare (session 37): what a project's dependency declaration put in place (explain.declared, LOG730, LOG731)."""

from __future__ import annotations

from tests.log_text import codes, facts, finding_codes, first_cause

from whygpu.knowledge.cpu_packages import declared_twin_cpu, gpu_marker_for, twin_overlay_cause

# https://github.com/microsoft/onnxruntime-extensions/issues/404
OVERLAY = ("When I install the onnxruntime-extensions package, it depends on onnxruntime, so it installs that wheel. If I had already "
           "installed onnxruntime-gpu then onnxruntime installs in the same directory overwriting it, and then the GPU execution "
           "providers are unavailable.")
# https://github.com/pmcheng/rsna-pneumonia/issues/1
DECLARED_TF1 = ("I just realized in your file: requirements.txt, requires tensorflow==1.9.0 (tensorflow for cpu usage only) for the "
                "system environment.\nBut I look through your code, that I found gpu setting is enabled for training stage.")
# https://github.com/tensorflow/text/issues/28
INSTALL_REQUIRES = ("Please fix setup.py to allow tensorflow-gpu:\n\nOld: \ninstall_requires=[\n        'tensorflow==2.0.0b0',\n   ],\n\n"
                    "New:\ninstall_requires=[\n        'tensorflow-gpu >=2.0.0b0',\n ],")
# https://github.com/PaddlePaddle/PaddleClas/issues/268
PADDLE_CHECK = "2020-09-08 09:14:59 ERROR: You are using paddlepaddle cpu version! Please try to install paddlepaddle-gpu to run model on GPU."


def test_knowledge_overlay_and_declared_twin() -> None:
    ort, tf, torch = gpu_marker_for("onnxruntime"), gpu_marker_for("tensorflow"), gpu_marker_for("torch")
    assert ort is not None and tf is not None and torch is not None
    assert twin_overlay_cause(ort) == "FRAMEWORK_INSTALL_BROKEN"
    assert twin_overlay_cause(torch) is None  # one distribution name: a reinstall replaces it
    assert declared_twin_cpu(tf, release="1.9.0").cpu is True
    assert declared_twin_cpu(tf, release="2.4.1").cpu is False
    assert declared_twin_cpu(tf).cpu is None  # no release: 2.1 and later carry CUDA
    assert declared_twin_cpu(torch).cpu is None  # PyPI's torch: a CUDA build on Linux


def test_overlay_said_reads_install_broken() -> None:
    assert codes(OVERLAY)[:1] == ["FRAMEWORK_INSTALL_BROKEN"]
    assert facts(OVERLAY).twin_overlay
    assert first_cause("The package installs onnxruntime over onnxruntime-gpu, so only CPUExecutionProvider is left.") == "FRAMEWORK_INSTALL_BROKEN"


def test_overlay_quiet_on_advice_condition_and_torch() -> None:
    assert not facts("Do not install onnxruntime on top of onnxruntime-gpu.").twin_overlay
    assert not facts("If onnxruntime installs in the same directory as onnxruntime-gpu, uninstall it.").twin_overlay
    # torch has one distribution name: a reinstall replaces it (LOG395's), no overlay
    assert "LOG730" not in finding_codes("pip installs torch over torch+cu121, so the GPU is missing.")


def test_declared_twin_with_cpu_release() -> None:
    assert first_cause(DECLARED_TF1) == "FRAMEWORK_CPU_BUILD"
    assert "LOG731" in finding_codes(DECLARED_TF1)
    said = "Our requirements.txt pins onnxruntime==1.15.0, not onnxruntime-gpu, so only CPUExecutionProvider is available."
    assert first_cause(said) == "FRAMEWORK_CPU_BUILD"


def test_declared_twin_quiet_where_not_decided_or_asked() -> None:
    # TensorFlow 2.x's tensorflow carries CUDA: no release and no CPU words decide nothing
    assert "LOG731" not in finding_codes("Fix the requirement in setup.py to be tensorflow-gpu rather than tensorflow.")
    assert "LOG731" not in finding_codes("Should the requirements use onnxruntime-gpu rather than onnxruntime?")
    assert "LOG731" not in finding_codes('simply "tensorflow" installs both CPU and GPU versions. as the requirements are now it downloads TF twice')
    # a release whose plain package carries CUDA, though named "CPU" by the writer: not decided
    assert "LOG731" not in finding_codes("requirements.txt requires tensorflow==2.4.1 (cpu only) but I want the GPU")


def test_declaration_item_needs_the_gpu_build_named() -> None:
    assert first_cause(INSTALL_REQUIRES) == "FRAMEWORK_CPU_BUILD"
    alone = "install_requires=[\n        'tensorflow==2.0.0b0',\n   ],\nthe GPU is not used"
    assert "LOG731" not in finding_codes(alone)
    # pip freeze's bare rows are not a declaration
    assert not facts("tensorflow==1.14.0\ntensorflow-gpu==1.14.0").declared_twin


def test_paddle_toolkit_check_message() -> None:
    assert first_cause(PADDLE_CHECK) == "FRAMEWORK_CPU_BUILD"
    assert first_cause("2020-07-23 09:22:17,124-ERROR: Config use_gpu cannot be set as true while you are using paddlepaddle cpu version !") == "FRAMEWORK_CPU_BUILD"
    assert first_cause("2020-09-08 09:14:59 INFO: use_gpu : True") != "FRAMEWORK_CPU_BUILD"



def test_declared_twin_over_a_gpu_build_already_there_is_an_overlay() -> None:
    # https://github.com/gradienthealth/gradient_decode_dicom/issues/3
    said = ("On my Ubuntu machine when installing via pip, due to the *install_requires* of setup.py it installs the cpu version of "
            "tensorflow even when tensorflow-gpu is already present.")
    assert facts(said).twin_overlay and not facts(said).declared_twin
    assert first_cause(said) == "FRAMEWORK_INSTALL_BROKEN"
