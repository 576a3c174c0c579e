"""Session 40, accprec40: false alarms on runs that used the GPU or chose the CPU on purpose. Each reading has a case where
it still speaks and one where it now stays quiet.

- The writer's own documented CPU setting that no words of theirs question (EasyOCR's ``gpu=False`` for a report about an
  empty result): the CPU is the run they asked for (explain.cpuchoice.setting_unquestioned, knowledge/cpu_choice.toml
  [[asks]]); and where the CPU is the writer's goal the report does not say the GPU is unusable.
- A commented-out ``os.environ["CUDA_VISIBLE_DEVICES"] = ""`` is code that did not run (LOG-CODE-CVD).
- The writer's "can't train ... on two 2080Ti" on the line that names CUDA's out-of-memory error is the allocator's failure
  on the GPU, not the GPU going unused (LogFacts.counted_unused).
- "should not use GPU" (an expectation) is not a report that the GPU went unused (grammar.advised).
"""

from __future__ import annotations

from log_text import codes, facts, report
from whygpu.explain import grammar
from whygpu.explain.cpuchoice import setting_unquestioned
from whygpu.knowledge.cpu_choice import asks_gpu

# https://github.com/JaidedAI/EasyOCR/issues/1340 (a run on the CPU the writer chose; the report is an empty result).
EASYOCR_EMPTY = (
    "Using CPU. Note: This module is much faster with a GPU.\n\n"
    "It is bug or something wrong with my cpu why its giving me empty output?\n\n"
    "import easyocr\n"
    "reader = easyocr.Reader(['en', 'hi'], gpu=False)\n"
    "results = reader.readtext(image_rgb)\n"
    "Result:\n"
    "Using CPU. Note: This module is much faster with a GPU.\n"
)
# The same setting where the writer asks about the GPU (the form of https://github.com/OpenNMT/OpenNMT-py/issues/1042).
EASYOCR_ASKED = (
    "reader = easyocr.Reader(['en'], gpu=False)\n"
    "Using CPU. Note: This module is much faster with a GPU.\n"
    "It only runs on the CPU and my GPU is not used, why?\n"
)
# https://github.com/jax-ml/jax/issues/20710 (corpus negatives): the line is commented out; the run used two GPUs.
CVD_COMMENTED = 'import os\n# os.environ["CUDA_VISIBLE_DEVICES"] = "" # Uncomment to run on CPU, in which case the code works\nimport jax\n'
CVD_SET = 'import os\nos.environ["CUDA_VISIBLE_DEVICES"] = ""\nimport jax\nthe GPU is not used\n'
# https://github.com/NVIDIA/NeMo/issues/183 (corpus negatives).
NEMO_OOM = ("I have a question about training big model. I can train jasper12x1SEP on a 1080Ti GPU. I can't train jasper15x5SEP "
            "on two 2080Ti GPU , which error is CUDA out of memory. How can I use two 2080Ti to train?\n")
# https://github.com/davisking/dlib/issues/1447 (corpus negatives), under the template's "Expected Behavior".
DLIB_EXPECTED = "## Expected Behavior\nGPU detection should not use GPU for 100%\n"


def test_asks_gpu_reads_words_not_code() -> None:
    assert asks_gpu("It only runs on the CPU and my GPU is not used")
    assert asks_gpu("transcription is very slow")
    assert not asks_gpu("reader = easyocr.Reader(['en'], gpu=False)")
    assert not asks_gpu("print(torch.cuda.is_available())")
    assert not asks_gpu("why its giving me empty output?")


def test_setting_unquestioned_skips_the_programs_notice() -> None:
    assert setting_unquestioned(EASYOCR_EMPTY.split("\n"))
    assert not setting_unquestioned(EASYOCR_ASKED.split("\n"))


def test_an_unquestioned_setting_names_no_cause_and_no_unusable_gpu() -> None:
    assert "CODE_FORCES_CPU" not in codes(EASYOCR_EMPTY)
    assert facts(EASYOCR_EMPTY).cpu_is_goal()
    assert report(EASYOCR_EMPTY).verdict.gpu_usable is not False


def test_a_questioned_setting_is_still_the_cause() -> None:
    assert codes(EASYOCR_ASKED)[:1] == ["CODE_FORCES_CPU"]
    assert not facts(EASYOCR_ASKED).cpu_is_goal()


def test_a_commented_out_visible_devices_line_is_not_read() -> None:
    assert "CODE_FORCES_CPU" not in codes(CVD_COMMENTED)
    assert "CODE_FORCES_CPU" in codes(CVD_SET)


def test_words_on_the_out_of_memory_line_are_not_the_gpu_unused() -> None:
    seen = facts(NEMO_OOM)
    assert seen.stated_unused and seen.out_of_memory
    assert not seen.counted_unused()
    assert codes(NEMO_OOM) == []
    # Without the out-of-memory error on the line the same words still count.
    assert facts("I can't train jasper15x5SEP on two 2080Ti GPU.\n").counted_unused()


def test_an_expectation_is_not_a_report() -> None:
    line = "GPU detection should not use GPU for 100%"
    start = line.find("not use GPU")
    assert not grammar.said(line, start, start + len("not use GPU"))
    line = "I could not use my GPU"
    start = line.find("not use my GPU")
    assert grammar.said(line, start, start + len("not use my GPU"))
    assert not facts(DLIB_EXPECTED).counted_unused()


# https://github.com/RVC-Project/Retrieval-based-Voice-Conversion-WebUI/issues/1482 (corpus negatives): the machine list's
# CPU line names AMD; the GPU is an RTX 3060.
MACHINE_CPU_AMD = "显卡：RTX3060 6G\n内存：24G\nCPU：AMD R7 5800H\n"


def test_a_cpu_labelled_line_names_no_gpu_vendor() -> None:
    assert "amd" not in {s.value for s in facts(MACHINE_CPU_AMD).gpu_vendor}
    assert "GPU_NOT_SUPPORTED" not in codes(MACHINE_CPU_AMD)
    # The same maker on a GPU's line is still read.
    assert "amd" in {s.value for s in facts("GPU: AMD Radeon RX 6800\n").gpu_vendor}
    assert "amd" in {s.value for s in facts("CPU: Intel i7, GPU: AMD Radeon RX 580\n").gpu_vendor}
