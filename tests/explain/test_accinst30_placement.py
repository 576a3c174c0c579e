"""accinst (session 30): where the program's own pasted code puts its model (explain.placement, LOG430).

Code written here from what PyTorch and Hugging Face's loaders do (a module built on the CPU until moved), not pasted
from any report: each shape of a model left on the CPU (never moved while the inputs are, moved only in a commented-out
line, created and used with the framework answering True), and the quiet shapes (moved live, placed by a library or a
loader's argument, TensorFlow code, the line said added back, code given as advice, the framework answering False).
"""

from __future__ import annotations

import pytest

from log_text import facts, finding_codes, first_cause
from whygpu.explain.placement import code_blocks, gpu_found_said, unplaced_model


def _fenced(*lines: str, tag: str = "python") -> str:
    return "\n".join([f"```{tag}", *lines, "```"])


NEVER_MOVED_INPUTS_MOVED = _fenced(
    "import torch",
    "from transformers import AutoModelForSeq2SeqLM, AutoTokenizer",
    "tok = AutoTokenizer.from_pretrained('t5-small')",
    "model = AutoModelForSeq2SeqLM.from_pretrained('t5-small')",
    "batch = tok(texts, return_tensors='pt').to('cuda')",
    "out = model.generate(**batch)",
)
COMMENTED = _fenced(
    "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')",
    "model = TinyNet()",
    "# model.to(device)",
    "for x, y in loader:",
    "    loss = crit(model(x.to(device)), y.to(device))",
    tag="",
)
REGISTRY = _fenced(
    "from segment_anything import SamPredictor, sam_model_registry",
    "sam = sam_model_registry['vit_b'](checkpoint='ckpt.pth')",
    "predictor = SamPredictor(sam)",
    "predictor.set_image(img)",
)


def test_a_model_never_moved_while_its_inputs_are_is_read() -> None:
    found = unplaced_model("The GPU is not used.\n" + NEVER_MOVED_INPUTS_MOVED)
    assert found is not None and found.name == "model" and found.kind == "never_moved" and found.inputs_moved


def test_a_commented_out_move_is_read_with_its_line() -> None:
    found = unplaced_model("Slow training.\n" + COMMENTED)
    assert found is not None and found.kind == "commented" and found.line == "# model.to(device)" and found.number == 5


def test_a_fragment_that_does_not_parse_whole_is_read_line_by_line() -> None:
    text = _fenced("    net = ResNetModel(num_classes=10)", "    for imgs, labels in train_loader:", "            imgs = imgs.cuda()",
                   "            out = net(imgs)", "    %timeit net(imgs)")
    found = unplaced_model(text)
    assert found is not None and found.name == "net" and found.inputs_moved


def test_unfenced_statements_are_a_block() -> None:
    text = "I run this:\nimport torchvision\nmodel = torchvision.models.resnet50(weights='DEFAULT')\nout = model(x.cuda())\nand it is slow."
    assert code_blocks(text) and unplaced_model(text) is not None


@pytest.mark.parametrize("text", [
    _fenced("model = TinyNet().to(device)", "out = model(x.to(device))"),
    _fenced("net = ResNetModel()", "net.eval()", "net.cuda()", "y = net(x)"),
    _fenced("model = AutoModelForCausalLM.from_pretrained(name, device_map='auto')", "out = model.generate(**inputs.to('cuda'))"),
    _fenced("model = AutoModelForSequenceClassification.from_pretrained('bert-base-uncased')", "trainer = Trainer(model=model, args=args)", "trainer.train()"),
    _fenced("model = TinyNet()", "model, opt = accelerator.prepare(model, opt)", "out = model(x.cuda())"),
    _fenced("import tensorflow as tf", "model = TinyModel()", "model.fit(x, y)"),
    _fenced("out = model(batch.to('cuda'))"),  # the model's creation is not shown
    _fenced("model_cpu = TinyNet()", "model_gpu = TinyNet().cuda()", "a = model_cpu(x)", "b = model_gpu(x.cuda())"),
    _fenced("pipe = pipeline('text-generation', model=name, device=0)", "print(pipe('hi'))"),
])
def test_placement_shown_or_done_by_a_library_is_quiet(text: str) -> None:
    assert unplaced_model(text) is None


def test_a_line_said_added_back_is_quiet() -> None:
    assert unplaced_model("I had this:\n" + COMMENTED + "\nI uncommented the line and now it trains on the GPU.") is None


def test_code_given_as_advice_is_quiet() -> None:
    assert unplaced_model("GPU not used. Someone said you should try this:\n" + _fenced("model = TinyNet()", "out = model(x.cuda())")) is None


def test_a_shell_block_is_not_python() -> None:
    assert code_blocks(_fenced("model = TinyNet()", "out = model(x.cuda())", tag="bash")) == []


@pytest.mark.parametrize(("line", "said"), [
    ("It's replying true for `torch.cuda.is_available()`, but the GPU is at 1%.", True),
    ("I get True from tf.test.is_gpu_available()", True),
    ("torch.cuda.is_available() returns True", True),
    ("It doesn't return true for torch.cuda.is_available()", False),
    ("Does it return true for torch.cuda.is_available()?", False),
])
def test_the_framework_answering_true_in_either_order(line: str, said: bool) -> None:
    assert (gpu_found_said(line) is not None) is said


def test_the_report_names_the_code_first() -> None:
    assert first_cause("Training is slow and nvidia-smi shows no process.\n" + COMMENTED) == "CODE_FORCES_CPU"
    assert "LOG430" in finding_codes("The GPU is not used.\n" + NEVER_MOVED_INPUTS_MOVED)
    assert first_cause("Segment anything does not use the GPU.\n" + REGISTRY + "\nIt's replying true for `torch.cuda.is_available()`.") == "CODE_FORCES_CPU"


def test_a_model_never_moved_with_nothing_asking_for_the_gpu_is_not_reported() -> None:
    # neither inputs moved nor the GPU shown found: the move may be in code not shown
    assert facts("Slow.\n" + REGISTRY).code_unplaced
    assert "LOG430" not in finding_codes("Slow.\n" + REGISTRY)


def test_the_framework_answering_false_leaves_the_code_out() -> None:
    text = "torch.cuda.is_available() returns False\n" + COMMENTED
    assert "LOG430" not in finding_codes(text)


def test_the_gpu_in_use_leaves_the_code_out() -> None:
    text = COMMENTED + "\n| 0 NVIDIA GeForce RTX 3090 |  12000MiB / 24576MiB | 97% Default |\nUsing device: cuda:0"
    assert first_cause(text) != "CODE_FORCES_CPU"


def test_a_model_class_by_name_counts_only_in_torch_code() -> None:
    # another library's *Model class chooses its device itself (faster-whisper's WhisperModel picks CUDA on its own)
    text = _fenced("from faster_whisper import WhisperModel", "model = WhisperModel('large-v3')", "segments, info = model.transcribe('a.wav')")
    assert unplaced_model(text) is None
    assert unplaced_model(_fenced("import torch", "model = TinyModel()", "out = model(x)")) is not None
