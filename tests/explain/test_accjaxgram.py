"""accjaxgram (session 40): one reader of the writer's grammar and one table per subject.

- explain/jaxbuild.py reads the writer's words of JAX's CPU build through explain.statements' one reader of a CPU-only build
  (``statements.cpu_build``, decided by ``cpu_build_said``) and its sentences, statements of fact and negation through
  explain.grammar (``sentences``, ``said``, ``negated``), instead of its own copies;
- explain/slowsaid.py decides "said as what happened" and "negated" through explain.grammar too;
- knowledge/extension_modules.toml is merged into knowledge/extension_builds.toml (one row per program with its own CUDA
  extension, read by LOG520 and LOG850 through knowledge/extension_builds.py).

Each reading has a case where it speaks and one where it stays quiet; real lines carry their public source."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause
from whygpu.explain import grammar, jaxbuild
from whygpu.knowledge.extension_builds import (
    extension_named,
    program_of_module,
    program_of_package,
    programs,
)


def _kinds(text: str) -> list[str]:
    return [sign.kind for _, sign, _ in jaxbuild.signs(text.splitlines())]


# --- JAX's CPU build in the writer's words, through statements' one reader ------------------------------------------

def test_any_form_of_the_cpu_build_reader_names_jaxs_install() -> None:
    for line in (
        "Jax is not compiled for GPU",  # https://github.com/Kaggle/docker-python/issues/1178
        "Running `poetry install` doesn't install Jax with cuda for me.",  # https://github.com/vwxyzjn/cleanba/issues/4
        # https://github.com/plusmultiply/taps3d/issues/3
        "which isn't too surprising since only the CPU version of JAX was installed in the script.",
        # https://github.com/jax-ml/jax/issues/14606
        "In the README, the provided conda installation step for CUDA-aware Jax sometimes pulls in a CPU-only build of jaxlib.",
    ):
        assert "said_cpu_install" in _kinds(line), line


def test_jaxs_reading_speaks_for_the_line_instead_of_the_generic_one() -> None:
    line = "Jax is not compiled for GPU"  # https://github.com/Kaggle/docker-python/issues/1178
    found = finding_codes(line)
    assert "LOG846" in found and "LOG112" not in found
    assert first_cause(line) == "FRAMEWORK_CPU_BUILD"


def test_asked_supposed_negated_or_guessed_cpu_build_is_quiet() -> None:
    for line in (
        "Does poetry install not install jax with cuda?",
        "If poetry doesn't install jax with cuda, install it yourself.",
        "Make sure poetry doesn't install jax with cuda.",
        "pip did not install the CPU version of jaxlib.",
        "I think jax has no GPU version.",
    ):
        assert "said_cpu_install" not in _kinds(line), line
        assert "LOG846" not in finding_codes(line), line


def test_another_frameworks_cpu_build_in_a_sentence_naming_jax_is_not_jaxs() -> None:
    assert "said_cpu_install" not in _kinds("pip installed the CPU version of torch, and jax works.")


def test_the_new_forms_read_any_frameworks_install() -> None:
    # https://github.com/talmolab/sleap-nn/pull/340
    line = ("Previously, `uv tool install sleap-nn[torch-cuda128]` didn't  install torch with cuda support on windows "
            "(Related issue: #307).")
    assert facts(line).stated_cpu_build
    assert "LOG112" in finding_codes(line)
    assert not facts("Can uv tool install not install torch with cuda support on windows?").stated_cpu_build


def test_loss_after_another_install_read_in_a_sentence_opened_by_when() -> None:
    # https://github.com/jax-ml/jax/issues/18032 (LOG847's own example: the private "when" rule left it unread)
    line = ("when I pip the torch(pip install torch) later, I can't use the jax with gpu, it remind me that cuda or "
            "cusolver's version is older than jax's")
    assert "wheels_replaced" in _kinds(line)
    assert "wheels_replaced" not in _kinds("Should I pip install torch after jax, or can I no longer use jax with the GPU then?")


def test_gpu_still_used_negated_inside_or_before_is_quiet() -> None:
    assert "gpu_still_used" in _kinds("When I run it, it still uses the GPU just fine.")
    for line in ("It is still not using the GPU.", "It doesn't still use the GPU.", "If it still uses the GPU, ignore the warning."):
        assert "gpu_still_used" not in _kinds(line), line


# --- the one negation decision ---------------------------------------------------------------------------------------

def test_a_word_ending_in_nt_is_no_negation() -> None:
    text = "which resulted in my data enhancement being extremely slow"
    at = text.index("extremely")
    assert not grammar.negated(text, 0, at, at + 9)
    text = "it doesnt use the gpu"
    assert grammar.negated(text, 0, text.index("use"), text.index("use") + 3)


def test_slow_run_after_a_noun_ending_in_nt_is_read() -> None:
    # https://github.com/ultralytics/ultralytics/issues/9843
    line = ("The other cpus were not utilized, which resulted in my data enhancement being extremely slow during the "
            "training.")
    assert facts(line).stated_slow_run
    assert not facts("The training is not extremely slow.").stated_slow_run


# --- one table for a program's own CUDA extension ------------------------------------------------------------------

def test_a_program_in_both_readings_is_one_row() -> None:
    mmcv = program_of_package("mmcv")
    assert mmcv is not None and program_of_module("mmcv._ext") == mmcv
    named = extension_named("mmcv-full")
    assert named is not None and named.name == mmcv.name
    assert mmcv.cpu_packages == ("mmcv<2.0", "mmcv-lite")


def test_programs_known_by_their_module_only_are_not_read_by_name() -> None:
    assert program_of_package("groundingdino") is not None
    assert extension_named("groundingdino") is None
    assert {p.name for p in programs()} >= {"GroundingDINO", "SAM 2", "apex", "mmcv", "detectron2", "PyTorch3D", "maskrcnn-benchmark"}


def test_a_rows_install_docs_stay_the_modules_source() -> None:
    apex = program_of_package("apex")
    assert apex is not None and apex.source == "https://github.com/NVIDIA/apex#linux"
    assert "FRAMEWORK_CPU_BUILD" in codes("ModuleNotFoundError: No module named 'mmcv._ext'")
