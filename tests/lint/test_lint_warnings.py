"""Warning precision (session 19): classes of warnings that were false on real projects, rebuilt as minimal scripts of
our own from what the code means; each class has a case where the rule fires and one where it stays quiet."""

from __future__ import annotations

from pathlib import Path

import pytest
from lint_cases import write

from whygpu.lint.engine import lint
from whygpu.lint.policy import LintConfig

CONFIG = LintConfig(azureml_schema=False)

# A PyTorch step loop on the GPU; each case adds the lines of one iteration after the step.
TORCH_LOOP = (
    "import logging\nimport torch\n\nlog = logging.getLogger(__name__)\n"
    "model = torch.nn.Linear(8, 1).to('cuda')\nopt = torch.optim.Adam(model.parameters())\n"
    "total, history = 0.0, []\n"
    "for step, (x, y) in enumerate(batches):\n"
    "    loss = ((model(x.to('cuda')) - y.to('cuda')) ** 2).mean()\n"
    "    aux = loss.detach() * 0.5\n"
    "    opt.zero_grad()\n    loss.backward()\n    opt.step()\n"
)


def _py008(root: Path, files: dict[str, str]) -> list[tuple[int, str]]:
    """(line, severity) of each PY008 finding on these files."""
    report = lint(["."], config=CONFIG, cwd=write(root, files))
    return sorted((f.location.line, f.severity.value) for f in report.findings if f.id == "PY008" and f.location)


def _line(script: str, text: str) -> int:
    return next(number for number, line in enumerate(script.splitlines(), 1) if text in line)


@pytest.mark.parametrize(
    "iteration",
    [
        # Shown every step: print, a logging call, a progress bar, a live plot, a formatted string.
        "    print(f'step {step}: loss {loss.detach().cpu().item():.4f}')\n",
        "    log.info('loss %.4f', loss.detach().cpu())\n",
        "    bar.set_postfix(loss=float(loss.detach().cpu()))\n",
        # The copy reaches what is shown through names assigned in the loop.
        "    current = loss.detach().cpu()\n    shown = round(float(current), 4)\n    print('loss', shown)\n",
        "    history.append(loss.detach().cpu())\n    curve = {'loss': history}\n    live_plot.update(curve)\n",
        "    message = 'loss {:.4f}'.format(loss.detach().cpu().item())\n    sink(message)\n",
        # A second copy of a tensor the iteration already copied (for the progress bar) waits for nothing.
        "    print('loss', loss.detach().cpu())\n    total += loss.detach().cpu()\n",
        "    seen = loss.item()\n    total += loss.data.cpu()\n",
        # The step already waits every iteration (aux.item() waits for all the work queued before it, the backward
        # and the optimizer step included): a copy of a tensor computed before that read waits for nothing more.
        "    seen = aux.item()\n    total += loss.detach().cpu()\n",
        "    running = loss.item()\n    kept.append(y.cpu())\n    kept.append(aux.cpu())\n",
        # The step shows the loss every iteration; another tensor computed before that copy is finished by it.
        "    print('loss', loss.detach().cpu())\n    history.append(aux.cpu())\n",
        # PyTorch's Tensor.numpy() converts only a tensor already on the host (here the batch before its move).
        "    labels = y.numpy()\n",
    ],
)
def test_transfers_a_step_already_needs_are_quiet(tmp_path: Path, iteration: str) -> None:
    assert _py008(tmp_path, {"train.py": TORCH_LOOP + iteration}) == []


@pytest.mark.parametrize(
    ("iteration", "reported"),
    [
        # Kept on the host each step only to be shown every N steps: the copy each step is avoidable.
        ("    total += loss.detach().cpu()\n    if step % 100 == 0:\n        log.info('loss %.4f', total / 100)\n", "total += "),
        # Stored for after the loop, nothing of it shown per step (a host-only print does not need the GPU).
        ("    history.append(loss.detach().cpu())\n    print('step', step)\n", "history.append"),
        # A read earlier in the step does not finish work queued after it: a tensor computed after the read is new work.
        ("    seen = aux.item()\n    extra = model(x.to('cuda')).sum()\n    history.append(extra.detach().cpu())\n", "history.append"),
        # A read only under a condition is not a wait of every step.
        ("    if step > 10:\n        seen = aux.item()\n    total += loss.detach().cpu()\n", "total += "),
        # A read in a loop nested in the step (not every iteration of it) is not the step's own wait.
        ("    for part in parts:\n        seen = part.item()\n    total += loss.detach().cpu()\n", "total += "),
        # numpy(force=True) copies a CUDA tensor to the host first.
        ("    history.append(loss.detach().numpy(force=True))\n", "history.append"),
    ],
)
def test_transfers_a_step_could_avoid_still_warn(tmp_path: Path, iteration: str, reported: str) -> None:
    script = TORCH_LOOP + iteration
    assert _py008(tmp_path, {"train.py": script}) == [(_line(script, reported), "warning")]


def test_two_reported_copies_are_one_wait_and_both_warn(tmp_path: Path) -> None:
    # Keeping both on the GPU removes the step's wait; the second copy (after the first) is part of it, not finished by it.
    script = TORCH_LOOP + "    history.append(loss.detach().cpu())\n    history.append(aux.cpu())\n"
    expected = [(_line(script, "history.append(loss"), "warning"), (_line(script, "history.append(aux"), "warning")]
    assert _py008(tmp_path, {"train.py": script}) == expected


def test_tensorflow_numpy_in_the_step_loop_still_warns(tmp_path: Path) -> None:
    # A TensorFlow tensor's .numpy() copies from the GPU and waits for it, with no .cpu() before it.
    script = (
        "import tensorflow as tf\n\nmodel = make_model()\nopt = tf.keras.optimizers.Adam()\nseen = []\n"
        "for x, y in dataset:\n"
        "    with tf.GradientTape() as tape:\n        loss = loss_fn(y, model(x))\n"
        "    grads = tape.gradient(loss, model.trainable_variables)\n"
        "    opt.apply_gradients(zip(grads, model.trainable_variables))\n"
        "    seen.append(loss.numpy())\n"
    )
    files = {"train.py": script, "Dockerfile": "FROM tensorflow/tensorflow:2.15.0-gpu\nCOPY train.py .\n"}
    assert _py008(tmp_path, files) == [(_line(script, "seen.append"), "warning")]


# A project whose training images are decoded and augmented per sample (PY009's subject), trained on the GPU.
PHOTOS = (
    "import torch\nfrom torch.utils.data import DataLoader, TensorDataset\nfrom torchvision import datasets, transforms\n\n"
    "augment = transforms.Compose([transforms.RandomResizedCrop(96), transforms.ToTensor()])\n"
    "photos = datasets.ImageFolder('photos', transform=augment)\n"
    "model = torch.nn.Linear(96, 2).to('cuda')\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
)


def _py009(root: Path, script: str) -> list[int]:
    report = lint(["."], config=CONFIG, cwd=write(root, {"train.py": script}))
    return sorted(f.location.line for f in report.findings if f.id == "PY009" and f.location and f.severity.value != "info")


def test_a_loader_over_tensors_in_memory_is_quiet_beside_one_that_decodes(tmp_path: Path) -> None:
    # TensorDataset indexes tensors already in memory: nothing per sample for workers to take over.
    script = (
        PHOTOS
        + "features = torch.randn(512, 96)\ntargets = torch.randint(0, 2, (512,))\n"
        + "cached = DataLoader(TensorDataset(features, targets), batch_size=32, shuffle=True)\n"
        + "train = DataLoader(photos, batch_size=32, shuffle=True)\n"
        + "for loader in (cached, train):\n    for x, y in loader:\n"
        + "        loss = model(x.to('cuda')).sum()\n        loss.backward()\n        opt.step()\n"
    )
    assert _py009(tmp_path, script) == [_line(script, "train = DataLoader")]


def test_a_dataset_class_bound_with_partial_is_judged_by_its_own_getitem(tmp_path: Path) -> None:
    # A script that decodes photos for one loader and builds another over a Dataset class of its own through
    # functools.partial: the second class only indexes a tensor it made in memory, so its loader is quiet.
    light = (
        "from functools import partial\n"
        "class Reverse(torch.utils.data.Dataset):\n    def __init__(self, n, size):\n"
        "        self.data = torch.randint(n, (size, 16))\n    def __len__(self):\n        return len(self.data)\n"
        "    def __getitem__(self, i):\n        return self.data[i], torch.flip(self.data[i], dims=(0,))\n"
        "make = partial(Reverse, 10)\n"
        "sequences = DataLoader(make(5000), batch_size=64, shuffle=True)\n"
        "train = DataLoader(photos, batch_size=32, shuffle=True)\n"
        "for loader in (sequences, train):\n    for x, y in loader:\n"
        "        loss = model(x.to('cuda')).sum()\n        loss.backward()\n        opt.step()\n"
    )
    script = PHOTOS + light
    assert _py009(tmp_path / "light", script) == [_line(script, "train = DataLoader")]
    # The same partial over a class that augments each sample in __getitem__ is reported.
    heavy = PHOTOS + light.replace("return self.data[i], torch.flip", "return transforms.RandomResizedCrop(96)(self.data[i]), torch.flip")
    assert _py009(tmp_path / "heavy", heavy) == [_line(heavy, "sequences = DataLoader"), _line(heavy, "train = DataLoader")]


def test_a_loader_read_once_for_one_batch_is_quiet_but_not_one_read_every_step(tmp_path: Path) -> None:
    # ``next(iter(loader))`` once: the per-sample work runs once, before training, not between GPU steps.
    once = PHOTOS + "everything = DataLoader(photos, batch_size=len(photos))\nimages, labels = next(iter(everything))\n"
    assert _py009(tmp_path / "once", once) == []
    # The same read inside the step loop runs the decoding for every step.
    every_step = (
        PHOTOS
        + "stream = DataLoader(photos, batch_size=32, shuffle=True)\n"
        + "for step in range(1000):\n    x, y = next(iter(stream))\n"
        + "    loss = model(x.to('cuda')).sum()\n    loss.backward()\n    opt.step()\n"
    )
    assert _py009(tmp_path / "every", every_step) == [_line(every_step, "stream = DataLoader")]


@pytest.mark.parametrize(
    ("val_workers", "reported"),
    [
        # The program passes num_workers=0 to its other loader: no workers is its author's choice where it runs.
        ("num_workers=0", False),
        # Workers chosen for the other loader, or nothing said anywhere: the default 0 of the training loader is reported.
        ("num_workers=4", True),
        ("shuffle=False", True),
    ],
)
def test_a_loader_without_workers_beside_one_given_workers(tmp_path: Path, val_workers: str, reported: bool) -> None:
    script = (
        PHOTOS
        + "train = DataLoader(photos, batch_size=32, shuffle=True)\n"
        + f"val = DataLoader(photos, batch_size=32, {val_workers})\n"
        + "for x, y in train:\n    loss = model(x.to('cuda')).sum()\n    loss.backward()\n    opt.step()\n"
        + "for x, y in val:\n    print(model(x.to('cuda')).sum().item())\n"
    )
    train_line = _line(script, "train = DataLoader")
    assert (train_line in _py009(tmp_path, script)) is reported
