"""Session 36 (accquiet): never silent where the writer's words or a cut message show the GPU unused.

Real lines carry their public source. Each reading has a case where it speaks and one where it stays quiet.
"""

from __future__ import annotations

import pytest

from log_text import codes, facts, first_cause
from whygpu.explain.cpuplaced import placed_unused

# --- the work placed on the CPU or kept off the GPU, in the writer's words (explain/cpuplaced.py) -----------------------

SAID_UNUSED = [
    # https://github.com/pyannote/pyannote-audio/issues/1475
    ("to my code does not allocate the pipeline to the GPU anymore.", "not allocate the pipeline to the GPU"),
    # https://github.com/chidiwilliams/buzz/issues/587
    ("Now when its more stable, I still see uber low speeds caused by not loading models to GPU and use that hardware (RTX4090 btw) for processing.",
     "not loading models to GPU"),
    # https://github.com/ollama/ollama/issues/17290
    ("Ollama versions v0.30.0 through v0.32.1 (latest tested) load models entirely onto CPU regardless of model size, model architecture, or configuration",
     "load models entirely onto CPU"),
    # https://github.com/erew123/alltalk_tts/issues/104
    ("the extension launches successfully but automatically launches the voice model in CPU mode.", "launches the voice model in CPU mode"),
    # https://github.com/bionic-gpt/bionic-gpt/issues/103
    ("None of my 2 GPUs are used (from a nVidia T1000)", "None of my 2 GPUs are used"),
    # https://github.com/dmlc/xgboost/issues/5052
    ("Params['tree_method'] = 'gpu_hist' But gpu shows that no threads use gpu and training is very slow", "no threads use gpu"),
    # https://github.com/DeepLabCut/DeepLabCut/issues/2465
    ("I've trained many models with no issues but since this Friday all of sudden GPU stop being utilized.", "GPU stop being utilized"),
    # https://github.com/qdrant/fastembed/issues/247
    ("Have tried it fastembed-gpu in collab and it doesn't seem to be using GPU (only the CPU mem usage is increasing, GPU is remaining 0)",
     "doesn't seem to be using GPU"),
    # https://github.com/seanghay/uvr-mdx-infer/issues/2
    ("It is using my CPU and not my GPU.", "using my CPU and not my GPU"),
]


@pytest.mark.parametrize(("line", "words"), SAID_UNUSED)
def test_placement_words_read_as_the_gpu_unused(line: str, words: str) -> None:
    m = placed_unused(line)
    assert m is not None and m.group(0) == words
    assert facts(line).stated_unused  # these words, or the listed phrases' reading of the same line


NOT_SAID = [
    "Load the model on CPU first, then move it to the GPU.",            # an instruction
    "You can load the model onto CPU to save VRAM.",                    # advice
    "If none of the GPUs are used, the job falls back to the CPU.",     # a condition
    "Does it load the model into CPU memory first?",                    # a question
    "I want to offload layers to the GPU.",                             # a wish
    "It loads the weights to CPU and then copies them to the GPU.",     # the work goes on to the GPU
    # https://github.com/szilard/GBM-perf/issues/4 (a negative: data copied back, not the work placed)
    "the GPU version is also transferring back data to the CPU after each iteration",
]


@pytest.mark.parametrize("line", NOT_SAID)
def test_placement_words_that_say_nothing_of_this_run(line: str) -> None:
    assert placed_unused(line) is None
    assert not facts(line).stated_unused


def test_the_unused_words_are_ranked_with_what_decides() -> None:
    # https://github.com/pyannote/pyannote-audio/issues/1475: only the writer's words; LOG104 ranks the causes (low confidence).
    text = "I've been testing out today the new pyannote 3.0.0 but it seems that adding\npipeline.to(torch.device(\"cuda\"))\nto my code does not allocate the pipeline to the GPU anymore."
    assert codes(text)
    assert codes(text)[0] == "FRAMEWORK_CPU_BUILD"


def test_none_of_the_gpus_used_is_not_the_gpu_working() -> None:
    # https://github.com/bionic-gpt/bionic-gpt/issues/103: "GPUs are used" inside "None of ..." is not the GPU at work.
    assert not facts("None of my 2 GPUs are used (from a nVidia T1000)").stated_gpu_works
    assert facts("All of my 2 GPUs are used during training").stated_gpu_works


def test_a_negated_gpu_run_is_not_the_gpu_side_of_a_comparison() -> None:
    # https://github.com/matterport/Mask_RCNN/issues/1739
    text = "I already set GPU_COUNT to 2 but it did not run on GPU. It Just run on CPU. COuld you please help me fix it?"
    assert [s.value for s in facts(text).stated_unused] == ["run on CPU"]
    # A GPU run the contrast states stays one side of a comparison, also where a word of it merely ends in -nt.
    assert not facts("It runs fine on the CPU, but on GPU it is twice as fast").stated_unused
    # https://github.com/Lightning-AI/pytorch-lightning/issues/14446 (a negative: training runs on the GPU)
    assert not facts("Under these conditions, current metric is on GPU and the best model metric inside the callback is on CPU.").stated_unused


def test_a_program_line_that_it_chose_the_cpu() -> None:
    # https://github.com/Tongyi-MAI/Z-Image/issues/79 (the title, the program's own device line)
    assert facts("Chosen device: cpu").stated_unused
    assert not facts("Chosen device: cuda").stated_unused


# --- CUDA's "no kernel image" cut where a title or a paste ends (LOG-CUDA-KERNEL-IMAGE) -----------------------------------

@pytest.mark.parametrize("text", [
    # https://github.com/Acly/krita-ai-diffusion/issues/2426
    "CUDA error: no kernel image is available\n\nKrita AI Diffusion Plugin Diagnostics\n-------------------------------------\nPlugin Version: 1.49.0",
    # https://github.com/warpem/miss-alignment/issues/107
    "CUDA error: no kernel image available\n[...]\nProbably of note is the fact that our system is using the newer RTX PRO 5000 Blackwell cards",
])
def test_cut_kernel_image_message_is_read(text: str) -> None:
    assert first_cause(text) == "GPU_NOT_SUPPORTED"


def test_kernel_image_words_without_the_message_stay_quiet() -> None:
    assert first_cause("The kernel image is available on the download page.") is None
