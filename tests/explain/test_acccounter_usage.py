"""accounter (session 23): counter-evidence and usage before a no-GPU cause.

The log's word that the GPU works, tied to the program it is about; the GPU's use given as a small share or the CPU named
as what it waits for (GPU_UNDERUSED); the program's own code named as what keeps the work on the CPU (CODE_FORCES_CPU); a
CPU run made on purpose beside a GPU run. Every text is written from the class in several wordings, not copied from a
corpus case (the corpus measures the class).
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, statements, to_report, utilread, works
from whygpu.explain.logfacts import FactReader, LogFacts
from whygpu.knowledge.utilisation import GPU, thresholds

NO_GPU_CAUSES = {"FRAMEWORK_CPU_BUILD", "NO_GPU", "DRIVER_MISSING", "DRIVER_TOO_OLD", "CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH",
                 "CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISSING"}


def _ranked(text: str) -> list[str]:
    """The causes of the report, ranked as the report ranks them (after the facts that demote or rule out)."""
    return [c.code for c in to_report(explain_text(text, source="report.txt")).causes]


def _facts(text: str) -> LogFacts:
    reader = FactReader()
    reader.read_text("report.txt", text)
    return reader.facts


# --- the program a statement is about -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "words", "before", "program"), [
    ("TensorFlow works fine on GPU.", "works fine on GPU", "", "tensorflow"),
    ("PyTorch still works fine on the GPU.", "works fine on the GPU", "", "torch"),
    ("ComfyUI is still not using the GPU", "not using the GPU", "", "comfyui"),
    ("dlib recognizes gpu / face_recognition is not using it.", "gpu / face_recognition is not using it", "", "face_recognition"),
    ("the gpu gets detected by dlib in python.", "the gpu gets detected", "", "dlib"),
    ("it does not use my GPU.", "does not use my GPU", "$ sudo apt-get install tensorflow-model-server\nmy_server --port=9000", "my_server"),
    ("it does not use my GPU.", "does not use my GPU", "I installed it with pip install tensorflow-gpu", "tensorflow"),
    ("it does not use my GPU.", "does not use my GPU", "python train.py --epochs 3", None),      # the run's own script
    ("The training runs on the CPU only.", "runs on the CPU", "", None),
    ("the computation is done on CPU instead of GPU", "done on CPU", "", None),
    ("但是tensorflow_model_server没有使用GPU", "没有使用GPU", "", "tensorflow_model_server"),
    ("la app ComfyUI no usa la GPU", "no usa la GPU", "", "comfyui"),
])
def test_a_statement_names_the_program_it_is_about(line: str, words: str, before: str, program: str | None) -> None:
    assert works.program_of(line, words, before) == program


def test_one_program_is_one_whatever_its_package_is_called_and_an_unnamed_subject_is_this_run() -> None:
    assert works.same_program("tensorflow", "tensorflow")
    assert works.same_program(works.program_of("Keras works fine on GPU.", "works fine on GPU"), "tensorflow")
    assert works.same_program(None, "tensorflow_model_server")
    assert not works.same_program("tensorflow", "tensorflow_model_server")


WORKS_OF_ANOTHER_PROGRAM = [
    "I have tensorflow-gpu installed. TensorFlow works fine on GPU.\nWhen I serve my model with:\n"
    "tensorflow_model_server --port=9000 --model_config_file=models.txt\nit does not use my GPU.",
    "PyTorch detects my RTX card. But ComfyUI does not use the GPU at all.",
    "The gpu gets detected by dlib. However face_recognition does not use the GPU.",
]


@pytest.mark.parametrize("text", WORKS_OF_ANOTHER_PROGRAM)
def test_the_gpu_working_for_one_program_is_no_answer_to_another_program_not_using_it(text: str) -> None:
    facts = _facts(text)
    assert facts.stated_gpu_works_other and not facts.stated_gpu_works
    causes = _ranked(text)
    assert causes and causes[0] != "CODE_FORCES_CPU"


WORKS_OF_THE_SAME_RUN = [
    "Training works fine on the GPU. But the evaluation loop runs on the CPU only.",
    "PyTorch detects my RTX card, but it does not use the GPU when training.",
    "TensorFlow works fine on GPU. Yet TensorFlow does not use the GPU for this model.",
]


@pytest.mark.parametrize("text", WORKS_OF_THE_SAME_RUN)
def test_the_gpu_working_for_the_same_program_still_answers_its_unused_statement(text: str) -> None:
    facts = _facts(text)
    assert facts.stated_gpu_works and not facts.stated_gpu_works_other
    assert not set(_ranked(text)[:1]) & NO_GPU_CAUSES


# --- more wordings of "the GPU works" -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "I run it on a cloud notebook and the GPU is detected and available, however the package doesn't seem to use it.",
    "CUDA is available.",
    "My GPU is correctly recognised.",
    "The GPU is detected, but not used.",
    "the model gets correctly loaded on GPU",
    "The weights are loaded into VRAM.",
    "When I run `torch.cuda.is_available()` it shows `true`.",
    "I did the basic torch.cuda.is_available(), and it said True.",
    "When I run `torch.cuda.is_available()` it shows `true`. In this project it returns `RuntimeError: no GPU`",
])
def test_the_gpu_found_or_the_model_placed_on_it_is_a_statement_that_it_works(text: str) -> None:
    assert works.gpu_works(text) is not None


@pytest.mark.parametrize("text", [
    "Is the GPU detected?",
    "If the GPU is available, the script prints cuda:0.",
    "When I run nvidia-smi the GPU is detected.",          # the driver's tool: the machine, not the framework
    "The GPU is detected but training fails with an error.",
    "The model is not loaded on the GPU.",
    "When I run `torch.cuda.is_available()` it shows `False`.",
    "The GPU is not detected.",
])
def test_a_question_a_condition_a_failure_or_a_negation_is_no_statement_that_it_works(text: str) -> None:
    assert works.gpu_works(text) is None


def test_the_frameworks_query_true_in_the_writers_environment_puts_the_programs_own_code_before_a_hidden_gpu() -> None:
    failure = "RuntimeError: No CUDA GPUs are available\n"
    assert _ranked(failure)[:1] == ["GPU_HIDDEN"]
    said = "When I run `torch.cuda.is_available()` it shows `true`. In this project it fails:\n" + failure
    causes = _ranked(said)
    assert causes[0] == "CODE_FORCES_CPU"
    assert not set(causes[:1]) & NO_GPU_CAUSES


# --- the GPU's use given as a small share, or the CPU as what it waits for (GPU_UNDERUSED) --------------------------------

@pytest.mark.parametrize("text", [
    "After the first token the GPU usage is always around 2%, so an answer takes ten minutes.",
    "It was using the GPU the whole time, it only uses about 5% of the GPU.",
    "The GPU sits at around 4% while the job runs.",
    "GPU utilization stays at 3% during training.",
    "GPU使用率一直在2%左右，训练很慢",
    "el uso de la GPU está en 3% todo el tiempo",
])
def test_a_small_share_of_gpu_use_is_read(text: str) -> None:
    # accutil2 (session 31): every number of utilisation is read by explain/utilread.py (the bound is utilisation.toml's low_share).
    assert any(r.subject == GPU and 0 < r.high <= thresholds()["low_share"] for r, _ in utilread.said(text))


@pytest.mark.parametrize("text", [
    "GPU utilization stays at about 60%.",            # not called low by itself
    "Does it use 5% of the GPU?",                     # a question
    "If the GPU is at 3%, increase num_workers.",     # a condition
    "It uses 5% of the GPU memory.",                  # memory, not use
    "CUDA使用率100% GPU使用率2%",                      # the CUDA engine's share beside the 3D engine's
    "the GPU was at 3% before I fixed the loader, now it is at 90%",
])
def test_a_share_that_is_not_low_asked_supposed_of_memory_or_over_is_not_read(text: str) -> None:
    assert not any(r.subject == GPU and 0 < r.high <= thresholds()["low_share"] for r, _ in utilread.said(text))


def test_a_small_share_names_the_gpu_idle_except_on_windows_without_a_cuda_monitor() -> None:
    text = "The GPU usage is always around 2% while it generates.\n"
    assert _ranked(text) == ["GPU_UNDERUSED"]
    # Windows' Task Manager graphs the 3D engine: the share says nothing of CUDA there.
    assert _ranked("OS: Windows 10\n" + text) == []
    assert _ranked("OS: Windows 10\nIn nvidia-smi the GPU usage is always around 2% while it generates.\n") == ["GPU_UNDERUSED"]


@pytest.mark.parametrize("text", [
    "The gpu is fast, but the cpu is slow.",
    "The CPU is the bottleneck here.",
    "Training is bottlenecked by the CPU.",
    "The dataloader uses only a single process, and the GPU waits for each batch.",
    "CPU是瓶颈，GPU一直在等数据",
    "GPU很快但CPU很慢",
])
def test_the_cpu_named_as_what_the_gpu_waits_for_is_the_gpu_underused(text: str) -> None:
    assert statements.underused(text) is not None
    assert _ranked(text) == ["GPU_UNDERUSED"]


@pytest.mark.parametrize("text", [
    "Is the CPU the bottleneck?",
    "If the CPU is the bottleneck, raise num_workers.",
    "The CPU is fast, but the GPU is slow.",
])
def test_a_question_a_condition_or_the_other_way_round_is_not_the_cpu_bottleneck(text: str) -> None:
    assert statements._cpu_bound(text) is None


# --- the program's own code named (CODE_FORCES_CPU) ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The model is never moved to CUDA, so it defaults to CPU.",
    "I forgot to call model.to(device), that's why it runs on the CPU.",
    "Nevermind, the computation ran on the CPU: there was a typo in my code.",
    "CUDA works fine in all my other projects, but this script runs on the CPU.",
    "模型没有放到GPU上，所以一直在CPU上运行",
])
def test_the_programs_own_code_named_puts_code_forces_cpu_first(text: str) -> None:
    assert works.code_keeps_cpu(text) is not None
    causes = _ranked(text)
    assert causes[:1] == ["CODE_FORCES_CPU"]


@pytest.mark.parametrize("text", [
    "Did you forget to move the model to the GPU?",
    "If the model is not moved to the GPU, it runs on the CPU.",
    "Make sure there is no typo in the code.",
    "The model is moved to CUDA before training.",
])
def test_a_question_advice_a_condition_or_a_placement_done_names_no_code_fault(text: str) -> None:
    assert works.code_keeps_cpu(text) is None


def test_without_the_code_named_the_generic_reading_still_ranks_no_gpu_causes() -> None:
    causes = _ranked("The training runs on the CPU only.")
    assert causes and causes[0] in NO_GPU_CAUSES


# --- a CPU run made on purpose beside a GPU run ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "when dlib does not use cuda, the result is: 0.23 s per call",
    "If the GPU is not used, one epoch takes 3 hours.",
    "when the model does not use the GPU: 10 s per step",
])
def test_the_condition_of_a_cpu_run_whose_result_follows_is_not_the_gpu_unused(text: str) -> None:
    assert statements.unused(text) is None


@pytest.mark.parametrize("text", [
    "When I run it the GPU is not used.",
    "When I train it does not use the GPU, it uses the CPU.",
    "When training it does not use the GPU, only the CPU.",
])
def test_the_gpu_unused_in_the_main_clause_after_a_scene_is_still_read(text: str) -> None:
    assert statements.unused(text) is not None


@pytest.mark.parametrize("text", [
    "NumPy took 59 s (understandable because NumPy doesn't use GPU acceleration).",
    "pandas does not use the GPU, so that part is slow.",
    "scikit-learn doesn't use the GPU.",
])
def test_a_cpu_only_library_not_using_the_gpu_says_nothing_of_the_run(text: str) -> None:
    assert not _facts(text).stated_unused
    assert _facts(text.replace("NumPy", "JAX").replace("pandas", "JAX").replace("scikit-learn", "JAX")).stated_unused


COMPARISON = """I compare the CPU and the GPU on a small network.

**CPU:**

UserWarning: No GPU/TPU found, falling back to CPU.
epoch time: 0.56

**GPU:**

$ nvprof python bench.py
epoch time: 1.39
"""


def test_a_no_gpu_message_printed_by_the_cpu_run_of_a_cpu_gpu_comparison_is_no_cause() -> None:
    assert _ranked(COMPARISON) == []
    # The same message with no GPU run beside it is the GPU run failing.
    alone = COMPARISON.split("**GPU:**")[0]
    assert _ranked(alone) != []
    # Under the GPU header the message is the GPU run's.
    swapped = COMPARISON.replace("**CPU:**", "**TMP:**").replace("**GPU:**", "**CPU:**").replace("**TMP:**", "**GPU:**")
    assert _ranked(swapped) != []


def test_sections_are_read_only_where_both_devices_head_one() -> None:
    lines = ["On CPU:", "Numpy took 58 s", "On GPU:", "Numpy took 59 s"]
    assert works.cpu_sections(lines) == [(1, 2)]
    assert works.cpu_sections(["CPU:", "took 5 s", "done"]) == []


@pytest.mark.parametrize("text", [
    "GPU is not working with the following message; the program just crashed!!",
    "My GPU is not working, it gives this error:",
])
def test_a_failure_that_points_at_its_message_is_not_the_gpu_unused(text: str) -> None:
    assert statements.unused(text) is None


def test_the_gpu_not_working_without_a_message_pointed_at_is_still_read() -> None:
    assert statements.unused("My GPU is not working.") is not None


def test_an_issue_templates_hardware_fields_are_no_cpu_and_gpu_runs() -> None:
    template = ["### OS", "Linux", "### GPU", "", "Nvidia", "", "### CPU", "", "Intel", "", "### Ollama version", "0.1.40"]
    assert works.cpu_sections(template) == []
    # A CPU run's section ends at the next header, whatever it names.
    assert works.cpu_sections(["CPU run:", "took 5 s", "### Environment", "x", "GPU run:", "took 1 s"]) == [(1, 2)]


@pytest.mark.parametrize("line", ['    print("GPU is available.")', "logger.info('No GPU available, using CPU')", 'echo("the GPU is not used")'])
def test_words_in_a_string_literal_of_code_are_what_it_would_print_not_a_statement(line: str) -> None:
    words = line.split("(", 1)[1].strip("\"')").rstrip(".")
    assert works.in_literal(line, words)
    assert works.gpu_works(line) is None
    assert not _facts(line).stated_unused


def test_the_same_words_outside_code_are_read() -> None:
    assert not works.in_literal("It prints: GPU is available.", "GPU is available")
    assert works.gpu_works("GPU is available.") is not None
