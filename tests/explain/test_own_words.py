"""The reporters' own words, session 19 (accwords): the GPU's usage said to be none, the GPU idle for its input, the
machine without an NVIDIA GPU, and when the words are asserted (a verb of seeming, a negated verb, a supposition).

Every sentence here is written from what the part of the grammar means, in varied wording (not copied from a
corpus case); each part has sentences where it fires and sentences where it stays quiet.
docs/explain-accuracy.md ("Session 19 (branch accwords)") says what each part fixed and broke on each set.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from log_text import facts as _facts
from log_text import report as _report
from whygpu.explain import statements

# --- the GPU's usage quantified by "no": nothing ran on it -----------------------------------------------

NO_USE = (
    "nvidia-smi shows no GPU usage at all while the script runs",
    "There is no load on the GPU during inference.",
    "I see no usage of the GPU in nvidia-smi",
    "no noticeable GPU utilization whatsoever",
    "Looked at nvtop: GPU usage: none",
    "No NVIDIA GPU detected on this laptop",
    "torch detects only the CPU device",
    "on checking with jax.devices() I get to see only the CPU",
    "训练时没有任何GPU占用",
    "нет нагрузки на GPU вообще",
    "видеокарта вообще не нагружается",
    "no hay uso de la GPU",
    "after the update only the CPU device is listed",
    "the framework only recognizes CPU devices now",
    "I expected a GPU device but I'm seeing the CPU instead",
    "in jax.devices() the GPU device is missing",
    "The GPU is detected but not used",
    "nothing runs on the GPU during training",
    "none of the work goes to the GPU",
    "the GPU sits completely idle while the CPU is at 100%",
    "my GPU is doing nothing the whole run",
    "zero GPU activity during inference",
    "the model is not moved to the GPU",
    "llama.cpp is not offloading any layers to the GPU",
)
NO_USE_QUIET = (
    "Is there no GPU usage at all?",            # a question
    "If there is no GPU utilization, increase the batch size.",  # a condition
    "What if no GPU is detected?",               # a supposition
    "Suppose there is no GPU usage, what then",
    "Previously there was no GPU usage, but after updating the driver it is fixed now.",  # over
    "Task Manager shows no GPU usage, but nvidia-smi shows 90%",  # Task Manager graphs 3D, not CUDA
    "no GPU usage info is shown in the dashboard",  # the measure missing, not the GPU idle
    "No GPU required for inference.",
    "the devices listed are only the CPU and the GPU",
    "only the CPU and the GPU are listed",
    "If the GPU is missing, reinstall the driver",
    "the GPU memory is missing after the crash",
    "the GPU disappeared from nvidia-smi while training at 95C",  # a fault's sign, left to the signatures
    "the GPU is completely idle between epochs, as expected",    # idle part of the time
    "what is the reason for the zero GPU use ratio?",             # a reading
    "Is the GPU doing nothing?",
    "If nothing runs on the GPU, check the driver",
    "Make sure the model is moved to the GPU",
    "I doubt that it runs on the CPU",
)


@pytest.mark.parametrize("line", NO_USE)
def test_no_use_of_the_gpu_is_the_gpu_unused(line: str) -> None:
    assert _facts(line + "\n").stated_unused, line


@pytest.mark.parametrize("line", NO_USE_QUIET)
def test_no_use_asked_supposed_or_of_a_measure_stays_quiet(line: str) -> None:
    facts = _facts(line + "\n")
    assert not facts.stated_unused and not facts.stated_underused, line


def test_no_use_alone_says_the_gpu_is_unused_and_ranks_the_causes() -> None:
    report = _report("Running the torch training script, there is no GPU utilization at all.\n")
    assert report.verdict.gpu_usable is False
    assert report.causes and report.causes[0].code == "FRAMEWORK_CPU_BUILD"  # PyTorch's base rate leads
    assert len(report.causes) >= 2


def test_a_reading_of_zero_alone_is_no_statement() -> None:
    # A number is a reading: most labelled runs that give only "GPU-Util 0" used the GPU (see statements.py). (Session 24:
    # a zero said to hold only "most of the time" is a GPU busy the rest of it: UNDERUSED below.)
    for line in ("GPU usage at 0% during training", "the Volatile GPU-Util is always 0", "GPU使用率为0"):
        facts = _facts(line + "\n")
        assert not facts.stated_unused and not facts.stated_underused, line
        report = _report(line + "\n")
        assert report.verdict.gpu_usable is not False and not report.causes, line


# --- the GPU idle for its input -------------------------------------------------------------------------

UNDERUSED = (
    "the GPU is in extremely low utilization throughout training",
    "I noticed one GPU is always at very low usage",
    "really low usage of the GPU while the model trains",
    "the data loader is slow, so GPU utilization stays at 0% most of the time",
    "GPU util sits at 0% between steps because preprocessing is done on the CPU",
    "the input pipeline is the bottleneck and GPU usage is zero between batches",
    "GPU利用率一直很低",
    "数据加载太慢，GPU利用率为0",
    "only 3% GPU utilization while training",
    "the Volatile GPU-Util is 0 most of the time",  # session 24: a zero that comes and goes
)
UNDERUSED_QUIET = (
    "How to fix low usage of the GPU?",          # a question
    "I want to know why one GPU has low usage?",
    "the Dataloader is fast and GPU usage is 95%",  # the input named, the GPU busy
    "GPU usage is 0% before the data loader starts",  # a zero before the work
    "GPU使用率2%",                                 # a number, no cause of idling
    "only 40% of the GPU memory is used",           # memory, not work
    "only 90% of the GPU is used",                  # most of it
    "Is only 5% of the GPU used?",
    # accutil2 (session 31): a share called small with no run, CPU or memory tied to it decides nothing (4 GPU_UNDERUSED,
    # 4 GPU-used negatives and 1 CPU build among the labelled logs: knowledge/utilisation.py).
    "most of the time only 2% of the GPU is busy",
)


@pytest.mark.parametrize("line", UNDERUSED)
def test_low_or_zero_use_with_its_input_named_is_the_gpu_underused(line: str) -> None:
    facts = _facts(line + "\n")
    # (accutil2: a number of utilisation is decided by knowledge.utilisation.decide, words by statements.)
    assert (facts.stated_underused or facts.utilisation_decision().kind == "underused") and not facts.stated_unused, line
    assert _codes(line + "\n") == ["GPU_UNDERUSED"], line


@pytest.mark.parametrize("line", UNDERUSED_QUIET)
def test_low_use_asked_or_a_bare_number_stays_quiet(line: str) -> None:
    assert statements.underused(line) is None, line
    assert _facts(line + "\n").utilisation_decision().kind != "underused", line


# --- the machine without an NVIDIA GPU ----------------------------------------------------------------

NO_GPU = (
    "I don't own a dedicated graphics card.",
    "We do not have any NVIDIA GPUs on our cluster nodes",
    "Our server has no GPU.",
    "My PC doesn't have a discrete GPU, so torch.cuda.is_available() is False",
    "There is no graphics card in my machine",
    "I only have integrated graphics on this laptop",
    "it turns out I didn't have a CUDA capable GPU at all",
    "我的笔记本没有独立显卡",
    "у меня нет видеокарты nvidia",
    "no tengo tarjeta gráfica",
    "このPCにはGPUがありません",
    "노트북에는 GPU가 없습니다",
    "je n'ai pas de GPU sur ce portable",
    "não tenho placa de vídeo",
)
NO_GPU_QUIET = (
    "I don't have a GPU to reproduce this, sorry.",    # a helper's reason not to test
    "I don't have a GPU myself, so I could not check it.",
    "I don't have an NVIDIA GPU at hand right now.",
    "If you don't have a graphics card, use the Colab runtime.",  # a condition, said to anyone
    "Do you have a GPU?",
    "Don't have a GPU? Use CPU mode.",
    "I don't have a GPU with more than 8GB",           # a GPU that exists
    "I don't have a GPU that supports CUDA 12",
    "I didn't have a GPU before, now I have a 3090 and it works.",  # over
    "The laptop I used earlier had no GPU; this one has an RTX 4070 and it's fine now.",
    "GPUがない場合はCPUで動きます",                     # a condition, in Japanese
    "如果电脑没有独立显卡，就用CPU版本",                # a condition, in Chinese
    # Keras's own warning says the same of "this machine": a program's message, the signatures' to read.
    "The dtype policy mixed_float16 may run slowly because this machine does not have a GPU.",
)


@pytest.mark.parametrize("line", NO_GPU)
def test_a_machine_said_to_have_no_gpu_is_no_gpu_first(line: str) -> None:
    facts = _facts(line + "\n")
    assert facts.cpu_machine and facts.stated_unused, line
    report = _report(line + "\n")
    assert report.verdict.gpu_usable is False
    assert report.causes and report.causes[0].code == "NO_GPU", (line, [c.code for c in report.causes])


@pytest.mark.parametrize("line", NO_GPU_QUIET)
def test_no_gpu_said_for_another_reason_or_not_now_stays_quiet(line: str) -> None:
    assert statements.no_gpu(line) is None, line
    assert not _facts(line + "\n").cpu_machine, line


# --- when the words are asserted ----------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    # "to" after a verb of seeming is what the writer saw; after a wish, what they want.
    ("It seems to be running on the CPU only.", True),
    ("the model appears to use only the CPU", True),
    ("It turned out to be running on the CPU the whole time", True),
    ("I want to run it on the CPU", False),
    ("I need to run it on the CPU for testing.", False),
    # The words' own verb negated before them say the opposite.
    ("It does not run on the CPU, it runs on the GPU.", False),
    ("the model no longer runs on the CPU", False),
    ("I am sure it is not using only the CPU", False),
    ("I want it to not run on the CPU.", False),
    ("It runs on the CPU, not the GPU", True),
    ("torch is not using my GPU", True),
    # A clause opened by "without a GPU" says what happens then.
    ("Without a GPU the script uses the CPU.", False),
    ("I ran it and without warning it fell back to the CPU", True),
    # "one" as the number of GPUs, not people in general; "one should" is advice.
    ("one GPU is not detected after the upgrade", True),
    ("one should not use the GPU for this", False),
    ("users should not run it on the CPU", False),
    # A causative's participle says what happened; a wish to cause it does not.
    ("the missing cuSPARSE ends up causing JAX to fall back to CPU execution", True),
    ("I want to force it to run on the CPU", False),
    # "than" before a number is a quantity, "rather than" says where the work went; a comparison of the two is none.
    ("only my CPU is running, and GPU memory is at more than 200mb", True),
    ("it runs on the CPU rather than the GPU", True),
    ("training on the CPU is slower than on the GPU", False),
    # "no GPU" with a participle of use after a verb of seeming; a perfect between the negation and the verb.
    ("honestly no GPU seems to be used at all", True),
    ("if no GPU is used, the CPU path is taken", False),
    ("keras does not appear to have recognised my GPU", True),
    ("keras does not appear to have any problem, the GPU works", False),
    # Trouble with seeing the GPU, or with getting it used, is the GPU unused; an error while using it is not.
    ("I keep having issues with Ubuntu recognising my GPU", True),
    ("having difficulty getting jax to use the GPU on the cluster", True),
    ("There are no issues with detecting the GPU", False),
    ("Did you have any trouble detecting the GPU?", False),
    ("I had trouble detecting the GPU before, but now it works.", False),
    ("I get an error when using GPUs with batch size 64", False),
    # A politeness "if" belongs to the request; a condition on the words does not.
    ("torch couldn't use my GPU at all, please help if you can", True),
    ("it runs on the CPU if you have no GPU", False),
    ("It falls back to the CPU if you can't find a GPU", False),
    # The GPU as the modifier of another noun is not the GPU unseen: what a monitor lists of it.
    ("nvtop doesn't show GPU processes properly inside the container", False),
    ("the dashboard does not list GPU info for this node", False),
    ("nvtop doesn't show my GPU at all inside the container", True),
    ("the node does not list any nvidia.com/gpu under capacity", True),
    # A Chinese question particle asks its own clause.
    ("训练的时候一直是用的CPU，是不是哪里没有设置呢？", True),
    ("是不是只用了CPU呢？", False),
])
def test_assertion_of_the_words(line: str, expected: bool) -> None:
    assert (statements.unused(line) is not None) is expected, line


def test_a_program_line_is_left_to_the_signatures() -> None:
    # The reporter's prose reads; the same words as a program's exception are the signatures' (and the answers').
    assert statements.unused("Trying to use CUDA, but CUDA is not available.") is not None
    assert statements.unused_statement("AssertionError: Trying to use CUDA, but CUDA is not available.") is None
    assert statements.no_gpu("ERROR: no_gpu_check: I don't have a GPU") is None


# --- a GPU that is not NVIDIA's, named by the user ------------------------------------------------------

@pytest.mark.parametrize("line", (
    "I use an RX 7900 XTX with torch and it runs on the CPU",
    "my card is an RX 6500M and torch.cuda.is_available() is False",
))
def test_a_radeon_named_by_its_model_is_an_amd_gpu_cuda_cannot_use(line: str) -> None:
    assert [s.value for s in _facts(line + "\n").gpu_vendor] == ["amd"], line
    assert _codes(line + "\n")[0] == "GPU_NOT_SUPPORTED", line


@pytest.mark.parametrize("line", ("RX 1500 bytes, TX 300 bytes", "RX packets 1234  bytes 5678", "I have an RTX 3060 and torch runs on the CPU"))
def test_network_counters_and_nvidia_names_are_no_radeon(line: str) -> None:
    assert "amd" not in [s.value for s in _facts(line + "\n").gpu_vendor], line


def test_a_laptop_with_only_intels_graphics_has_no_nvidia_gpu() -> None:
    line = "my laptop only has Intel UHD Graphics 620\n"
    assert _facts(line).cpu_machine
    assert _codes(line)[0] == "NO_GPU"


# --- the ranking with only the user's words -------------------------------------------------------------

_LIBRARY_LINE = ("[E:onnxruntime:Default, provider_bridge_ort.cc:1480 TryGetProviderInfo_CUDA] Failed to load library "
                 "libonnxruntime_providers_cuda.so with error: libcublasLt.so.11: cannot open shared object file: No such file or directory\n")


def test_the_users_words_alone_do_not_outrank_a_failure_line() -> None:
    # "No GPU utilization" says only that the GPU went unused; the library line says why.
    assert _codes("There is no GPU utilization at all while the job runs.\n" + _LIBRARY_LINE) == _codes(_LIBRARY_LINE)


def test_a_machine_named_without_a_gpu_outranks_a_failure_line() -> None:
    # The machine named as one without a GPU is more than the library line says.
    assert _codes("I don't have a graphics card in this machine.\n" + _LIBRARY_LINE)[0] == "NO_GPU"


# --- a CPU-only build, in more forms ---------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("it turns out jaxlib is not compiled for GPU", True),
    ("uv sync defaults to the [cpu] version of torch builds", True),
    ("conda says I installed pytorch-cpu instead of the cuda build", True),
    ("TensorFlow was not built for compute capability 9.0", False),     # one architecture's kernels
    ("this wheel is not compiled for your GPU architecture", False),
    ("Make sure it doesn't default to the cpu version", False),        # advice
    ("Do not install pytorch-cpu", False),
])
def test_more_forms_of_a_cpu_build_obtained(line: str, expected: bool) -> None:
    assert (statements.cpu_build(line) is not None) is expected, line
