"""One decision for "the writer chose the CPU on purpose" (session 35, acconpurpose): explain.appcpu's own lists
(``on_purpose``, asked of a whole log by the CPU-notice, fallback, zero-count and LOG280 readers; ``gpu_taken_away``, asked
of one line by the CUDA_VISIBLE_DEVICES reader, LOG400's pins and LOG212) are retired into knowledge/cpu_choice.toml's
[[wanted]] rows; the readers ask LogFacts.cpu_is_goal (knowledge.cpu_choice.cpu_goal, the decision verdict makes first) or
knowledge.cpu_choice.wanted_on. For each retired list a case that still fires and one that stays quiet through it."""

from __future__ import annotations

from log_text import facts, finding_codes
from whygpu.explain import appcpu
from whygpu.knowledge._util import table_rows
from whygpu.knowledge.cpu_choice import SAID, CpuChoice, cpu_goal, cpu_wanted, verdict, wanted_on

NOTICE = "No CUDA device found, the model will run on CPU.\n"
ZERO = "Number of GPUs available: 0\n"
JAX_PIN = "jax.config.update('jax_platform_name', 'cpu')\nthe GPU is not used, it runs on the CPU only\n"
DETECT = "python detect.py --weights best.pt --source video.mp4 --device cpu"
UNUSED = "\nit only runs on the CPU, the GPU is not used"
SAMPLER = ("print(torch.cuda.is_available()) in train.py gives True, but inside the sampler module "
           "(after `from pkg.samplers import *`) it prints False")
# https://github.com/ageitgey/face_recognition/issues/604 (corpus holdout24): a wish for the CPU beside a hiding setting that
# then fails; the setting stays the cause (GPU_HIDDEN), so a "run" row is not asked of the setting's line.
FACE_604 = ("I just want to use cpu to run the codes. When I ran my code by  CUDA_VISIBLE_DEVICES=\"\" python xxx.py, I got a "
            "error said that \"RuntimeError: Error while calling cudaGetDevice(&the_device_id)\"")


def test_the_lists_are_gone_from_appcpu() -> None:
    for name in ("on_purpose", "gpu_taken_away", "_ON_PURPOSE", "_GPU_TAKEN_AWAY"):
        assert not hasattr(appcpu, name), name


def test_the_retired_forms_are_rows_with_sources() -> None:
    rows = {str(r["id"]): r for r in table_rows("cpu_choice", "wanted")}
    for ident in ("cpu-on-purpose", "gpu-taken-away", "setting-for-cpu-run"):
        assert str(rows[ident]["source"]).startswith("https://"), ident
        assert wanted_on(str(rows[ident]["example"])), ident


# --- on_purpose (a whole log): the CPU notice, the fallback, the printed zero count, LOG280 ---------------------------


def test_a_cpu_notice_is_read_and_quiet_where_the_cpu_is_the_goal() -> None:
    assert facts(NOTICE).cpu_notice
    quiet = facts("I run it on the CPU on purpose, to time the CPU path.\n" + NOTICE)
    assert quiet.cpu_is_goal() and not quiet.cpu_notice


def test_on_purpose_words_about_something_else_no_longer_quiet_the_notice() -> None:
    # The old list read "intentionally" anywhere in the log; the row asks for the CPU (or the variable) in the sentence.
    seen = facts("I intentionally upgraded the driver yesterday.\n" + NOTICE)
    assert not seen.cpu_is_goal() and seen.cpu_notice


def test_a_printed_zero_count_is_read_and_quiet_where_the_cpu_is_the_goal() -> None:
    assert any(s.value is False for v in facts(ZERO).gpu_answer.values() for s in v) or facts(ZERO).printed_no_gpu
    quiet = facts("I meant it to run on the CPU.\n" + ZERO)
    assert quiet.cpu_is_goal()
    assert not quiet.printed_no_gpu and not any(s.value is False for v in quiet.gpu_answer.values() for s in v)


def test_log280_fires_and_is_settled_by_the_one_decision() -> None:
    assert {"LOG280", "LOG400"} <= finding_codes(JAX_PIN)
    text = JAX_PIN + "I run it on the CPU on purpose, to time the CPU path."
    seen = facts(text)
    assert seen.app_cpu_choice  # the setting is still read (it explains the log's other lines) ...
    assert verdict((s.value for s in seen.cpu_choice), gpu_found=False, gpu_in_use=False).decision == "quiet"
    assert not {"LOG280", "LOG400"} & finding_codes(text)  # ... and the judge's settle keeps CODE_FORCES_CPU quiet


# --- gpu_taken_away (one line): the CUDA_VISIBLE_DEVICES reader, LOG400's pins, LOG212 --------------------------------


def _cvd(text: str) -> list[str]:
    return [s.value for s in facts(text).environment.get("CUDA_VISIBLE_DEVICES", [])]


def test_a_hiding_variable_is_read_unless_the_writer_took_the_gpu_away() -> None:
    assert _cvd("export CUDA_VISIBLE_DEVICES=-1\nNo CUDA GPUs are available") == ["-1"]
    assert _cvd("I have disabled the GPU using export CUDA_VISIBLE_DEVICES=-1\nNo CUDA GPUs are available") == []
    assert _cvd("CUDA_VISIBLE_DEVICES=-1 python train.py   # for a CPU-only baseline\nNo CUDA GPUs are available") == []


def test_a_wish_for_the_cpu_beside_the_setting_leaves_the_setting_read() -> None:
    assert _cvd(FACE_604) == [""]
    assert "ENV001" in finding_codes(FACE_604)


def test_log400_fires_and_is_quiet_where_the_setting_is_for_a_cpu_comparison() -> None:
    assert "LOG400" in finding_codes(DETECT + UNUSED)
    assert "LOG400" not in finding_codes(DETECT + " to compare against the CPU" + UNUSED)
    assert "LOG400" not in finding_codes("We hid the GPUs: " + DETECT + UNUSED)


def test_log212_fires_and_is_quiet_where_the_writer_hid_the_gpu_there() -> None:
    assert "LOG212" in finding_codes(SAMPLER + ".")
    assert "LOG212" not in finding_codes(SAMPLER + ", since I hid the GPUs there to compare with the CPU.")


# --- the knowledge layer's scopes --------------------------------------------------------------------------------------


def test_scopes_keep_a_setting_purpose_to_its_line_and_a_wish_to_the_run() -> None:
    baseline = "CUDA_VISIBLE_DEVICES=-1 for a CPU-only baseline"
    assert wanted_on(baseline) and cpu_wanted(baseline) is None  # "setting": asked of the line only
    assert cpu_wanted(FACE_604) is not None and not wanted_on(FACE_604)  # "run": the goal, not the setting's purpose
    both = "I have disabled the GPU using export CUDA_VISIBLE_DEVICES=-1"
    assert wanted_on(both) and cpu_wanted(both) is not None
    for text in ("It is not on purpose that it runs on the CPU.", "How do I force it to run on GPU instead of CPU?",
                 "the example forces the whole notebook to run on the CPU"):
        assert cpu_wanted(text) is None, text


def test_cpu_goal_is_the_first_decision_of_verdict() -> None:
    wish = CpuChoice(form="cpu-on-purpose", where=SAID, owner="writer", wanted=True)
    said = CpuChoice(form="cpu-hard-coded", where=SAID, owner="program", wanted=False)
    assert cpu_goal([said, wish]) == wish
    assert cpu_goal([said]) is None
    assert verdict([said, wish], gpu_found=True, gpu_in_use=False).decision == "quiet"
