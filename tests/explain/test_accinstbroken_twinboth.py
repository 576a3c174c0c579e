"""accinstbroken (session 38): a framework's GPU distribution and its plain twin said installed together (explain.twinboth,
LOG775), judged by knowledge.cpu_packages.twin_overlay_cause."""

from __future__ import annotations

from tests.log_text import facts, finding_codes, first_cause

from whygpu.explain.twinboth import both_said

# https://github.com/bourdakos1/Core-ML-Custom-Object-Detection/issues/2
IGNORED = ("When there is tensorflow installed, tensorflow-gpu is ignored. Then the time for training slows down significantly. The "
           "difference between tensorflow and tensorflow-gpu training rate is almost an order of magnitude.")
# https://github.com/rlworkgroup/garage/issues/251
OVERRIDE = "If both are installed, tensorflow will override tensorflow_gpu."
# https://github.com/mmartial/ComfyUI-Nvidia-Docker/issues/121
INTERFERING = "For some reason `onnxruntime` AND `onnxruntime-gpu` interfering."
# https://github.com/danielgatis/rembg/issues/600 (a guess, later confirmed: read only as a guess)
GUESS = "## Update: it seems like onnxruntime_gpu either wasnt installed or was installed alongside regular onnxruntime"


def test_both_said_reads_the_writers_forms() -> None:
    for text, framework in ((IGNORED, "tensorflow"), (OVERRIDE, "tensorflow"), (INTERFERING, "onnxruntime"),
                            ("pip list shows both onnxruntime and onnxruntime-gpu.", "onnxruntime"),
                            ("I had both tensorflow and tensorflow-gpu installed, training runs on the CPU.", "tensorflow"),
                            ("The image has tensorflow-gpu installed alongside tensorflow 1.13.1.", "tensorflow"),
                            ("paddlepaddle shadows paddlepaddle-gpu in this env.", "paddle")):
        said = both_said(text)
        assert said is not None and said.framework == framework, text


def test_both_said_quiet_on_questions_advice_removal_and_others() -> None:
    for text in (GUESS,
                 "Make sure you don't have both tensorflow and tensorflow-gpu installed.",
                 "Do you have both tensorflow and tensorflow-gpu installed?",
                 "I uninstalled both tensorflow and tensorflow-gpu and reinstalled tensorflow-gpu, still no GPU.",
                 "You should not install onnxruntime alongside onnxruntime-gpu.",
                 "If tensorflow is installed, tensorflow-gpu is ignored.",
                 "TensorFlow and tensorflow-gpu are both great.",
                 "Check whether both onnxruntime and onnxruntime-gpu are installed.",
                 "I installed tensorflow-gpu along with keras.",
                 "Do tensorflow and tensorflow-gpu conflict?",
                 "tensorflow and tensorflow-gpu do not conflict.",
                 # https://github.com/0bserver07/One-Hundred-Layers-Tiramisu/issues/7 (a question; the cause was the loader path)
                 "Why do we need to install both tensorflow-gpu as well as tensorflow?"):
        assert both_said(text) is None, text
    # torch and jax have no second distribution of one folder: not read
    assert both_said("I have torch+cu121 installed alongside torch 2.3.0.") is None


def test_log775_leads_with_install_broken() -> None:
    assert first_cause(IGNORED) == "FRAMEWORK_INSTALL_BROKEN"
    # acctwins (session 39): the one fact shows both names installed, so LOG133 judges the pair (LOG775 steps aside)
    assert finding_codes(IGNORED) & {"LOG133", "LOG775"}
    assert any(t.value.pair for t in facts(INTERFERING).twins_together)
    assert first_cause(INTERFERING) == "FRAMEWORK_INSTALL_BROKEN"


def test_log775_quiet_with_gpu_in_use_or_only_a_guess() -> None:
    in_use = ("Created TensorFlow device (/job:localhost/replica:0/task:0/device:GPU:0 with 10000 MB memory) -> physical GPU (device: 0, "
              "name: GeForce GTX 1080 Ti, pci bus id: 0000:01:00.0, compute capability: 6.1)\nI have onnxruntime-gpu installed alongside onnxruntime.")
    assert "LOG775" not in finding_codes(in_use)
    assert "LOG775" not in finding_codes(GUESS)
