"""accnoticed38 (session 38): pip's conflict report showing both twins installed; a program's "X found the GPU, Y did not" line."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause, report

# https://github.com/apple/turicreate/issues/3405 (the maintainer: "you have both tensorflow and tensorflow-gpu installed")
TURI = """ERROR: pip's dependency resolver does not currently take into account all the packages that are installed. This behaviour is the source of the following dependency conflicts.
tensorflow-probability 0.12.2 requires gast>=0.3.2, but you have gast 0.3.0 which is incompatible.
tensorflow-gpu 2.2.0 requires gast==0.3.3, but you have gast 0.3.0 which is incompatible.
tensorflow-gpu 2.2.0 requires h5py<2.11.0,>=2.10.0, but you have h5py 3.1.0 which is incompatible.
tensorflow 2.5.0 requires gast==0.4.0, but you have gast 0.3.0 which is incompatible.
tensorflow 2.5.0 requires tensorboard~=2.5, but you have tensorboard 2.2.0 which is incompatible.
"""
# https://github.com/wangshub/RL-Stock/issues/6 (pip < 20.3's form; only the GPU distribution is shown)
ONE = """ERROR: tensorflow-gpu 1.15.2 has requirement gast==0.2.2, but you'll have gast 0.3.3 which is incompatible.
ERROR: tensorflow-gpu 1.15.2 has requirement tensorboard<1.16.0,>=1.15.0, but you'll have tensorboard 1.14.0 which is incompatible.
"""
# https://github.com/snapotter-hq/SnapOtter/issues/490
SPLIT = """AI tools run on **CPU instead of GPU**. The sidecar logs the fallback:
[python] GPU detected by torch but CUDAExecutionProvider not available in onnxruntime -- install onnxruntime-gpu for GPU acceleration
[python] No GPU detected, processing on CPU
"""


def test_conflict_report_shows_both_twins_installed() -> None:
    assert "LOG775" in finding_codes(TURI)
    assert first_cause(TURI) == "FRAMEWORK_INSTALL_BROKEN"


def test_conflict_report_of_one_distribution_is_not_both() -> None:
    assert not any(t.value.pair for t in facts(ONE).twins_together)
    assert "LOG775" not in finding_codes(ONE)


def test_conflict_rows_of_other_packages_are_not_twins() -> None:
    text = TURI.replace("tensorflow-gpu 2.2.0", "tensorflow-probability 0.12.2")
    assert not any(t.value.pair for t in facts(text).twins_together)


def test_split_line_gives_each_framework_its_answer() -> None:
    seen = facts(SPLIT).gpu_answer
    assert [s.value for s in seen["torch"]] == [True]
    assert [s.value for s in seen["onnxruntime"]] == [False]
    ranked = codes(SPLIT)[:3]
    assert "CONTAINER_NO_GPU" not in ranked and "NO_GPU" not in ranked and "DRIVER_TOO_OLD" not in ranked
    # acctwins (session 39): LOG104 ranks onnxruntime's causes against the facts the report does; the CPU build is then
    # said ranked lower in its title rather than offered as an alternative
    title = next(f.title for f in report(SPLIT).findings if f.id == "LOG104")
    assert "FRAMEWORK_CPU_BUILD" in ranked or "FRAMEWORK_CPU_BUILD ranked lower" in title


def test_split_line_asked_is_not_read() -> None:
    text = "Why is the GPU detected by torch but CUDAExecutionProvider not available in onnxruntime?"
    assert "onnxruntime" not in facts(text).gpu_answer


# https://github.com/escontra/viper_rl/issues/8 (JAX's error wrapped onto a second line, without its XlaRuntimeError prefix)
JAX_WRAPPED = """UnfilteredStackTrace: jaxlib.xla_extension.XlaRuntimeError: FAILED_PRECONDITION:
DNN library initialization failed. Look at the errors above for more details.
JAX Version: 0.4.13
JAXlib Version: 0.4.13+cuda11.cudnn86
- I verified that the GPU is accessible using `torch.cuda.is_available()`: returns True.
"""


def _headline(text: str) -> str:
    from log_text import report

    return report(text).causes[0].title


def test_shared_dnn_message_in_a_jax_log_names_jax() -> None:
    assert "LOG-TF-DNN-NOT-FOUND" not in finding_codes(JAX_WRAPPED)
    assert "LOG-JAX-DNN-INIT-FAILED" in finding_codes(JAX_WRAPPED)
    assert "JAX" in _headline(JAX_WRAPPED) and "TensorFlow" not in _headline(JAX_WRAPPED)


def test_shared_dnn_message_in_a_tensorflow_log_names_tensorflow() -> None:
    text = "import tensorflow as tf\n2023-05-01 10:00:00.000: E tensorflow/compiler/xla/stream_executor DNN library initialization failed\n"
    assert "LOG-TF-DNN-NOT-FOUND" in finding_codes(text)
    assert "TensorFlow" in _headline(text)


def test_shared_dnn_message_in_a_log_of_both_keeps_the_shared_reading() -> None:
    text = "import tensorflow as tf\nimport jax\nDNN library initialization failed\n"
    assert "LOG-TF-DNN-NOT-FOUND" in finding_codes(text)


# https://github.com/pyro-ppl/numpyro/issues/1455
NUMPYRO = """#6 3.235 ERROR: Could not find a version that satisfies the requirement jaxlib>=0.1.65 (from numpyro[cuda111]) (from versions: none)
#6 3.244 ERROR: No matching distribution found for jaxlib>=0.1.65 (from numpyro[cuda111])
yes that install but it is giving the warning.
also it looks like it is no longer using GPU and is reverting to CPU.
"""


def test_gpu_build_not_found_then_run_without_gpu_is_the_cpu_build() -> None:
    assert codes(NUMPYRO)[:2] == ["FRAMEWORK_CPU_BUILD", "FRAMEWORK_INSTALL_BROKEN"]


def test_gpu_build_not_found_alone_is_the_failed_install() -> None:
    assert first_cause(NUMPYRO.split("yes that")[0]) == "FRAMEWORK_INSTALL_BROKEN"


def test_plain_package_not_found_then_cpu_is_not_read_as_cpu_build() -> None:
    text = NUMPYRO.replace(" (from numpyro[cuda111])", "")
    assert first_cause(text) == "FRAMEWORK_INSTALL_BROKEN"


# https://github.com/mboudiaf/pytorch-meta-dataset/issues/21 (one release of both: the same files; the thread is a pin)
SAME_RELEASE = """ERROR: pip's dependency resolver does not currently take into account all the packages that are installed. This behaviour is the source of the following dependency conflicts.
tensorflow 2.11.0 requires absl-py>=1.0.0, but you have absl-py 0.11.0 which is incompatible.
tensorflow-gpu 2.11.0 requires absl-py>=1.0.0, but you have absl-py 0.11.0 which is incompatible.
"""


def test_conflict_report_of_one_release_with_gpu_code_is_not_read() -> None:
    assert not any(t.value.pair for t in facts(SAME_RELEASE).twins_together)


def test_cpu_build_asked_about_is_not_a_run_without_gpu() -> None:
    # https://github.com/ArtLabss/tennis-tracking/issues/16
    text = """ERROR: Could not find a version that satisfies the requirement torch==1.9.0+cu102 (from versions: 1.4.0, 1.5.0, 1.9.0)
ERROR: No matching distribution found for torch==1.9.0+cu102
Is `cu` for cuda?  In which case can I run this with another CPU only version of Torch?"""
    assert first_cause(text) == "FRAMEWORK_INSTALL_BROKEN"


def test_jax_failure_beside_a_cudnn_release_at_odds_is_not_two_frameworks_memory() -> None:
    # https://github.com/apple/axlearn/issues/858 (torch and jax in one environment, each run on its own)
    import json
    from pathlib import Path

    case = Path(__file__).parent / "corpus" / "holdout10" / "gh-apple-axlearn-858.json"
    text = json.loads(case.read_text())["log"]
    assert "LOG355" not in finding_codes(text)
    assert first_cause(text) == "CUDNN_MISMATCH"
