"""accprec (session 31): what is not the run's cause stays quiet.

Lines written from each message's format (the add-ons' sources cited in knowledge/optional_addons.toml) and from the shapes
in which a requirement is stated; no corpus text.
"""

from __future__ import annotations

import pytest

from log_text import facts
from whygpu.explain import explain_text
from whygpu.explain.statements import requirement_value
from whygpu.knowledge.addons import addon_failure, addons


def _result(text: str):  # type: ignore[no-untyped-def]
    return explain_text(text, source="report.txt")


def _lead(text: str) -> str | None:
    blocking = [f for f in _result(text).findings if f.severity.name != "INFO"]
    return blocking[0].cause if blocking else None


# --- 1. an optional add-on's failure -------------------------------------------------------------------------------

BNB = ("/opt/venv/lib/python3.11/site-packages/bitsandbytes/cextension.py:31: UserWarning: The installed version of bitsandbytes "
       "was compiled without GPU support. 8-bit optimizers, 8-bit multiplication, and GPU quantization are unavailable.\n")
XFORMERS = ("WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for: PyTorch 2.3.1 with CUDA 1201 "
            "(you have 2.4.0+cu124)\n")

RUN_ON_GPU = [
    "Loading checkpoint shards: 100%|#####| 3/3\nmodel loaded on cuda:0\n",
    "Running on cuda:0\n",
    "Using device: cuda\nstep 10 | loss 3.21\n",
]


@pytest.mark.parametrize("addon_line", [BNB, XFORMERS])
@pytest.mark.parametrize("gpu_line", RUN_ON_GPU)
def test_an_add_ons_failure_beside_a_run_on_the_gpu_leads_nothing(addon_line: str, gpu_line: str) -> None:
    result = _result(addon_line + gpu_line)
    assert _lead(addon_line + gpu_line) is None
    assert result.gpu_used is not False
    noted = [f for f in result.findings if f.extra.get("optional_addon")]
    assert all(f.severity.name == "INFO" and f.blocks_gpu is False for f in noted)


def test_without_evidence_of_the_gpu_the_add_ons_line_still_ranks() -> None:
    # bitsandbytes' own thread: its line is the finding (the labelled positives' base rate).
    assert _lead(BNB) is not None
    assert _result(BNB).gpu_used is False


def test_a_framework_of_the_cpu_named_in_the_add_ons_lines_is_not_the_add_ons() -> None:
    # "(you have 2.2.0+cpu)": the PyTorch installed is a CPU build, a framework fact the add-on's line only carries.
    text = ("WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for:\n"
            "    PyTorch 2.2.0+cu121 with CUDA 1201 (you have 2.2.0+cpu)\n")
    assert _lead(text) == "FRAMEWORK_CPU_BUILD"


def test_the_table_knows_each_add_on_by_its_own_line_only() -> None:
    assert {a.name for a in addons()} >= {"xFormers", "bitsandbytes", "Triton", "FlashAttention", "NVIDIA Apex", "TensorRT"}
    assert addon_failure("W tensorflow/compiler/tf2tensorrt/utils/py_utils.cc:38] TF-TRT Warning: Could not find TensorRT") is not None
    assert addon_failure("Warning:  apex was installed without --cuda_ext.  FusedAdam will be unavailable.") is not None
    # The framework's own failures are no add-on's.
    assert addon_failure("Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file") is None
    assert addon_failure("Torch not compiled with CUDA enabled") is None


def test_a_cpu_placement_is_no_run_on_the_gpu() -> None:
    for line in ("model loaded on cpu\n", "model.to('cuda')\n", "Is the model loaded on cuda:0?\n", "device = torch.device('cuda')\n"):
        assert not facts(line).run_on_cuda, line
    assert facts("Moving model to cuda:1\n").run_on_cuda


# --- 2. a requirement is not the machine's value --------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "This program needs a CUDA-Enabled GPU (with at least compute capability 2.0).",
    "The renderer requires an NVIDIA card with a minimum compute capability of 3.0",
    "You need a GPU with compute capability 3.5 or higher.",
    "Supported: GPUs of compute capability 5.0 and above",
    "compute capability 3.7 is required by this build",
    "FlashAttention needs sm_80",
])
def test_a_requirement_gives_no_compute_capability_of_the_gpu(line: str) -> None:
    assert not facts(line + "\n").compute_capability


@pytest.mark.parametrize(("line", "value"), [
    ("my GTX 1070 has compute capability 6.1", "6.1"),
    ("minimum compute capability 3.5 required, found compute capability 3.0", "3.0"),
    ("the tool needs compute capability 3.5, but mine has compute capability 3.0", "3.0"),
    ("Device 0: Quadro K2000, compute capability 3.0", "3.0"),
])
def test_the_machines_own_value_beside_a_requirement_is_still_read(line: str, value: str) -> None:
    assert [s.value for s in facts(line + "\n").compute_capability] == [value]


def test_one_decision_for_every_quantity() -> None:
    line = "This build requires CUDA 11.8; I have CUDA 12.1 installed"
    assert requirement_value(line, line.index("11.8"), line.index("11.8") + 4)
    assert not requirement_value(line, line.index("12.1"), line.index("12.1") + 4)
    line = "cuDNN 8.1 is needed"
    assert requirement_value(line, line.index("8.1"), line.index("8.1") + 3)


def test_a_floor_beside_a_working_gpu_is_no_unsupported_gpu() -> None:
    text = ("I run the photogrammetry tool on a GTX 1080 with driver 385.54.\n"
            "The tool says: This program needs a CUDA-Enabled GPU (with at least compute capability 2.0).\n")
    assert "GPU_NOT_SUPPORTED" not in [f.cause for f in _result(text).findings]
    # A GPU truly below the need: the machine's own capability stated is still read.
    text = "Found device 0 with properties: name: GeForce GT 430 compute capability: 2.1\nThe program needs compute capability 3.0 or higher.\n"
    assert [s.value for s in facts(text).compute_capability] == ["2.1"]


# --- 3. a condition in mid-sentence ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The notice shows up in the last cell if the notebook is started on a machine with no GPU.",
    "The library quietly uses the CPU in case no CUDA device is found.",
    "The script prints a warning unless a GPU is visible to it.",
])
def test_a_condition_in_mid_sentence_is_no_finding(text: str) -> None:
    from whygpu.explain import grammar

    for words in ("no GPU", "uses the CPU", "no CUDA device is found", "a GPU is visible"):
        if words in text:
            start = text.index(words)
            assert not grammar.said(text, start, start + len(words))


@pytest.mark.parametrize(("text", "words"), [
    ("It crashes if I start it from the terminal, and then the training runs on the CPU.", "runs on the CPU"),
    ("Even if I set the device explicitly the model runs on the CPU.", "runs on the CPU"),
    ("I would be glad if anyone knows why torch does not use the GPU.", "does not use the GPU"),
])
def test_the_writers_own_finding_beside_a_condition_is_still_said(text: str, words: str) -> None:
    from whygpu.explain import grammar

    start = text.index(words)
    assert grammar.said(text, start, start + len(words))


# --- 4. memory exhausted on a small card ----------------------------------------------------------------------------

OOM = "RuntimeError: include/gpu_memory.h:590 cuMemSetAccess(base, n_bytes, &desc, 1) failed with error CUDA_ERROR_OUT_OF_MEMORY\n"


@pytest.mark.parametrize("card", [
    "GPU: NVIDIA GeForce MX130 (2 GB)\n",
    "I am on a laptop with a GTX 1050 with 2GB memory.\n",
    "The card has 2GB VRAM.\n",
])
def test_memory_exhausted_on_a_named_small_card_is_no_busy_gpu(card: str) -> None:
    assert "GPU_BUSY" not in [f.cause for f in _result(card + OOM).findings]


def test_memory_exhausted_with_memory_held_stays_busy() -> None:
    # accneg41 (session 41): without the card's size or memory shown held, cuMemSetAccess's failure is no longer GPU_BUSY:
    # the driver's virtual-memory calls are an allocator growing its pool while the job runs (explain.infer, _POOL_GROWTH),
    # the job's own demand; only memory shown held elsewhere keeps the reading of another process holding it.
    assert _lead(OOM) != "GPU_BUSY"
    held = ("GPU: NVIDIA GeForce RTX 3060 (12 GB)\n" + OOM +
            "|  0  NVIDIA GeForce RTX 3060   Off | 00000000:01:00.0 Off |  N/A |\n"
            "| 30%   45C    P2    60W / 170W |  11800MiB / 12288MiB |     0%      Default |\n")
    assert _lead(held) == "GPU_BUSY"


def test_the_cards_memory_is_read_beside_the_card_only() -> None:
    assert facts("NVIDIA GeForce GTX 750 Ti with 2 GB of VRAM\n").card_memory
    assert facts("RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 1.95 GiB total capacity; 1.2 GiB already allocated)\n").card_memory
    assert not facts("The machine has 16 GB of system RAM and an i7 CPU.\n").card_memory
    assert not facts("Downloading model.safetensors: 4.2 GB\n").card_memory


def test_a_contrast_after_a_mid_sentence_if_is_the_main_clause_again() -> None:
    from whygpu.explain import grammar

    text = "I was trying to check if there is a CUDA device but I get this error"
    start = text.index("I get this error")
    assert grammar.said(text, start, len(text))
