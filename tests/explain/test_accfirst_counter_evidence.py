"""accfirst (session 22): the log's own word that the GPU works, against the generic "the GPU went unused" reading (LOG104).

Every text here is written from the class (varied wording, other programs' phrasing, other languages), not copied
from a corpus case: the corpus (holdout20's negatives among them) measures the class.
"""

from __future__ import annotations

import pytest

from whygpu.explain import explain_text, works

NO_GPU_CAUSES = {"FRAMEWORK_CPU_BUILD", "NO_GPU", "DRIVER_MISSING", "DRIVER_TOO_OLD", "CONTAINER_NO_GPU", "GPU_NOT_SUPPORTED",
                 "CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH", "GPU_HIDDEN", "CUDNN_MISSING"}


def _causes(text: str) -> list[str]:
    return [f.cause for f in explain_text(text, source="report.txt").findings]


WORKS = [
    "Running `torch.cuda.is_available()` returns True on this box.",
    "tf.test.is_gpu_available() gives True",
    "The GPU works fine inside the container.",
    "the gpu is being used, nvtop shows it",
    "Inference runs fine on the GPU.",
    "It trains well on cuda.",
    "I noticed it's using 7.5 GB of my VRAM.",
    "The VRAM is completely full.",
    "I can see the GPU is being utilized.",
    "tensorflow detects my RTX card",
    "显存占满了，但是速度很慢",
    "la GPU funciona bien con el programa",
    "die GPU wird erkannt",
    "GPU работает, но медленно",
    "GPUは認識されています",
]


@pytest.mark.parametrize("text", WORKS)
def test_a_statement_that_the_gpu_works_is_read_in_its_wordings(text: str) -> None:
    assert works.gpu_works(text) is not None


NOT_WORKS = [
    "Does the GPU work?",                                     # a question
    "Is torch.cuda.is_available() True for you?",
    "If the GPU is used, the log prints cuda:0.",             # a condition
    "When I run it in debug mode the GPU works.",             # a circumstance: another run
    "The GPU doesn't work.",                                  # negated
    "it seems like no GPU is used",
    "torch.cuda.is_available() returns False",
    "PyTorch detects CUDA available: False",                  # a label whose value says no
    "After reinstalling torch the GPU works now.",            # a remedy's outcome (explain.remedies)
    "It worked on the GPU a week ago.",                       # a state that is over
    "The GPU works on my other PC.",                          # another machine
    "My GPU works fine in games.",                            # another program
    "PyTorch+CUDA works fine but not Numba",                  # another framework, and a contrast taken back
    "TensorFlow detects the GPU, but execution fails with an XLA error.",
    "When I run nvidia-smi it detects my gpu",                # the driver's tool, not the framework
    "    if torch.cuda.is_available() returns True:",          # code
    "la GPU no funciona",
    "die GPU funktioniert nicht",
    "GPU не работает",
    "显存没有占满",
    "Set the GPU memory allocation flags before using the GPU memory growth option.",
]


@pytest.mark.parametrize("text", NOT_WORKS)
def test_a_question_condition_negation_or_another_run_is_not_a_statement_that_the_gpu_works(text: str) -> None:
    assert works.gpu_works(text) is None


SUSPECTED_BESIDE_WORKS = [
    "I don't think my models run on the gpu. Though I noticed it is using all of the VRAM.",
    "It doesn't seem to find the GPU, even though `torch.cuda.is_available()` returns True.",
    "Maybe it is not using the GPU? The GPU is being used at 30% in nvtop.",
]


@pytest.mark.parametrize("text", SUSPECTED_BESIDE_WORKS)
def test_a_suspicion_that_the_gpu_is_unused_is_answered_by_the_log_saying_it_works(text: str) -> None:
    assert _causes(text) == []


ASSERTED_BESIDE_WORKS = [
    "The model does not run on the GPU, it runs on the CPU. Another model in the same code runs fine on the GPU.",
    "The VRAM is completely full. But the training runs on the CPU only.",
]


@pytest.mark.parametrize("text", ASSERTED_BESIDE_WORKS)
def test_the_gpu_unused_said_as_a_fact_beside_it_working_leaves_only_placement_or_idling(text: str) -> None:
    causes = _causes(text)
    assert causes[:1] == ["CODE_FORCES_CPU"]
    assert not set(causes) & NO_GPU_CAUSES


UNUSED_ALONE = [
    "I don't think the models are using my GPU.",
    "The training runs on the CPU only.",
    "The training runs on the CPU only. When I run it in debug mode the GPU works.",
]


@pytest.mark.parametrize("text", UNUSED_ALONE)
def test_without_the_logs_word_that_the_gpu_works_the_generic_reading_still_ranks_its_causes(text: str) -> None:
    causes = _causes(text)
    assert causes and causes[0] in NO_GPU_CAUSES


def test_one_tensor_placed_on_the_cpu_is_not_the_gpu_unused() -> None:
    line = "warning: tensor 'output_norm.weight' cannot be used with preferred buffer type CUDA_Host, using CPU instead"
    assert works.partial(line, "using CPU instead")
    assert _causes(line) == []
    assert not works.partial("The model loads, but the training is using CPU instead", "using CPU instead")
    assert _causes("The model loads, but the training is using CPU instead.") != []


def test_a_statement_naming_another_framework_is_not_this_frameworks_answer() -> None:
    assert works.of_other_framework("PyTorch sees the GPU", "jax")
    assert not works.of_other_framework("PyTorch sees the GPU", "torch")
    assert not works.of_other_framework("the GPU is being used", "jax")


def test_a_package_pair_the_doctor_flags_is_no_cause_where_the_log_says_the_gpu_works_and_nothing_unused() -> None:
    listing = "- tensorflow == 1.14.0\n- tensorflow-gpu == 1.14.0\n"
    assert "FRAMEWORK_INSTALL_BROKEN" in _causes(listing)
    assert _causes(listing + "Inference runs fine on the GPU.\n") == []
    # The GPU said unused beside the statement: the doctor's reading stays.
    assert "FRAMEWORK_INSTALL_BROKEN" in _causes(listing + "Inference runs fine on the GPU. tensorflow.test.is_gpu_available() returns False\n")


def test_the_container_start_up_warning_is_no_cause_where_the_run_had_gpus_and_the_log_says_the_gpu_works_inside() -> None:
    banner = ("$ docker run --gpus all --rm nvcr.io/nvidia/pytorch:23.05-py3 python train.py\n"
              "WARNING: The NVIDIA Driver was not detected.  GPU functionality will not be available.\n")
    assert _causes(banner)[:1] == ["CONTAINER_NO_GPU"]
    assert _causes(banner + "Still, the GPU is being used inside the container, nvtop shows the process.\n") == []
    # Without --gpus the launch gave no GPU, whatever the reporter believes.
    bare = banner.replace("--gpus all ", "")
    assert _causes(bare + "Still, the GPU is being used inside the container.\n")[:1] == ["CONTAINER_NO_GPU"]


SAME_EITHER_DEVICE = [
    "It takes about 12 seconds either I am using CPU or GPU.",
    "Whether I run it on GPU or CPU, one epoch takes 40 minutes.",
    "No matter if I use the CPU or the GPU the speed is 3 it/s.",
]


@pytest.mark.parametrize("text", SAME_EITHER_DEVICE)
def test_a_run_timed_the_same_on_cpu_or_gpu_is_the_gpu_no_faster_not_the_gpu_unused(text: str) -> None:
    assert works.same_either_device(text) is not None
    assert _causes(text) == ["GPU_UNDERUSED"]


@pytest.mark.parametrize("text", [
    "Should I use CPU or GPU? It takes 10 s.",               # a question, then a time of no run named
    "Does it take 10 s whether on CPU or GPU?",
    "It is faster on GPU than on CPU either way, 10 s.",     # a comparison: LOG210's own reading
    "I can train it on CPU or GPU.",                          # no time or speed
])
def test_a_device_disjunction_without_a_run_timed_the_same_is_no_statement_of_speed(text: str) -> None:
    assert works.same_either_device(text) is None


def test_cpu_as_one_side_of_cpu_or_gpu_is_not_the_gpu_unused_but_cpu_alone_is() -> None:
    assert works.either_device("either I am using CPU or GPU", "using CPU")
    assert works.either_device("it does the same whether on the GPU or on CPU", "on CPU")
    assert not works.either_device("it is using CPU and not the GPU", "using CPU")


def test_lead_decided_needs_twice_the_next_count_over_three_cases() -> None:
    from whygpu.knowledge.priors import lead_decided

    row = {"counts": {"A": 10, "B": 6, "C": 1}}
    decided, said = lead_decided(row, "A", ["B", "C"])
    assert not decided and said == "A 10, B 6 of 17 labelled logs like this one"
    assert lead_decided({"counts": {"A": 16, "B": 2}}, "A", ["B"])[0]
    assert not lead_decided({"counts": {"A": 2}}, "A", [])[0]   # too few cases to single anything out
    assert lead_decided({}, "A", ["B"]) == (True, "")             # a row without counts says nothing of them


def test_the_generic_reading_says_when_the_counts_do_not_single_out_its_lead() -> None:
    from whygpu.model import Confidence

    words = explain_text("The GPU is not used during training.", source="report.txt").findings[0]
    assert words.id == "LOG104" and "do not single it out" in words.title and words.confidence is Confidence.LOW
    # PyTorch's answer: its row's counts put the CPU build first, but not at two thirds of the row's logs (acccpu, session 34:
    # knowledge.priors.lead_decided), so the report says so and the check decides.
    torch = explain_text(">>> torch.cuda.is_available()\nFalse\n", source="report.txt").findings[0]
    assert torch.cause == "FRAMEWORK_CPU_BUILD" and "single it out" in torch.title and torch.confidence is Confidence.LOW
    # A line that decides (the script's own CUDA_VISIBLE_DEVICES) is no base rate: nothing is added either.
    code = explain_text("os.environ['CUDA_VISIBLE_DEVICES'] = '3'\nThe GPU is not used during training.\n", source="x").findings[0]
    assert "single it out" not in code.title


def test_a_row_with_too_few_counts_names_its_lead_the_first_to_check_not_the_likeliest() -> None:
    from whygpu.knowledge.priors import undecided_words

    word, note = undecided_words({"counts": {"A": 0, "B": 1}}, "A", "A 0, B 1 of 1 labelled logs like this one")
    assert word == "First to check" and "ordered by what the answer means" in note
    word, note = undecided_words({"counts": {"A": 2, "B": 0}}, "A", "A 2, B 0 of 2 labelled logs like this one")
    assert word == "First to check" and "too few labelled logs to single it out" in note and "answer means" not in note
    word, note = undecided_words({"counts": {"A": 3, "B": 2}}, "A", "A 3, B 2 of 5 labelled logs like this one")
    assert word == "Likeliest" and "do not single it out" in note
    # ONNX Runtime's providers answer: its row (one labelled log) orders by what the answer means.
    ort = explain_text("ort.get_available_providers() shows only CPUExecutionProvider\n", source="report.txt").findings[0]
    assert ort.id == "LOG104" and "First to check" in ort.title and "Likeliest" not in ort.title
