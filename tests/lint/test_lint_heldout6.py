"""A class found on the sixth held-out corpus (bench/lint_corpus.toml, set held-out-6), rebuilt as minimal scripts of
our own: a DataLoader that feeds no model (a one-batch peek, a statistics pass) is not a GPU left waiting."""

from __future__ import annotations

from pathlib import Path

from lint_cases import write

from whygpu.lint.engine import lint
from whygpu.lint.policy import LintConfig

CONFIG = LintConfig(azureml_schema=False)

HEAD = (
    "import os\nimport torch\nfrom PIL import Image\nfrom torch.utils.data import DataLoader, Dataset\n"
    "from torchvision import transforms\n\n\n"
    "class Photos(Dataset):\n"
    "    def __init__(self, folder, transform):\n"
    "        self.files, self.folder, self.transform = sorted(os.listdir(folder)), folder, transform\n\n"
    "    def __getitem__(self, index):\n"
    "        return self.transform(Image.open(os.path.join(self.folder, self.files[index]))), 0\n\n"
    "    def __len__(self):\n"
    "        return len(self.files)\n\n\n"
    "tf = transforms.Compose([transforms.RandomResizedCrop(64), transforms.ToTensor()])\n"
    "model = torch.nn.Linear(10, 2).to('cuda')\n"
    "opt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
)
TRAIN = (
    "train_loader = DataLoader(Photos('train', tf), batch_size=64)\n"
    "for x, y in train_loader:\n"
    "    loss = model(x.to('cuda')).sum()\n"
    "    loss.backward()\n"
    "    opt.step()\n"
)


def _py009_lines(root: Path, script: str) -> list[int]:
    report = lint(["."], config=CONFIG, cwd=write(root, {"train.py": script}))
    return sorted(f.location.line for f in report.findings if f.id == "PY009" and f.location)


def _line_of(script: str, text: str) -> int:
    return next(number for number, line in enumerate(script.splitlines(), 1) if text in line)


def test_a_statistics_pass_and_a_one_batch_peek_are_not_reported(tmp_path: Path) -> None:
    # rasbt/deeplearning-models' shape: a mean/std pass over the images (batches only reduced), the training loader,
    # then a loader read for one batch to plot predictions.
    script = (
        HEAD
        + "stats_loader = DataLoader(Photos('train', tf), batch_size=5000)\n"
        + "means = []\nfor i, batch in enumerate(stats_loader, 0):\n    means.append(batch[0].numpy().mean(axis=(0, 2, 3)))\n"
        + TRAIN
        + "peek_loader = DataLoader(Photos('train', tf), batch_size=64, shuffle=True)\n"
        + "for features, targets in peek_loader:\n    break\n"
        + "predictions = model(features[:8].to('cuda'))\n"
    )
    assert _py009_lines(tmp_path, script) == [_line_of(script, "train_loader = DataLoader")]


def test_a_rebound_name_is_judged_per_binding(tmp_path: Path) -> None:
    # The same name bound first to a statistics loader, then to the training loader: the second still warns.
    script = (
        HEAD
        + "loader = DataLoader(Photos('train', tf), batch_size=5000)\n"
        + "for batch, _ in loader:\n    print(batch.mean())\n"
        + TRAIN.replace("train_loader", "loader")
    )
    lines = _py009_lines(tmp_path, script)
    assert lines == [_line_of(script, "loader = DataLoader(Photos('train', tf), batch_size=64)")]


def test_loaders_that_feed_a_model_still_warn(tmp_path: Path) -> None:
    # A batch handed to a helper (no .to in the loop), a loader passed to a function, and the plain training loop.
    script = (
        HEAD
        + "def step(x):\n    loss = model(x.to('cuda')).sum()\n    loss.backward()\n    opt.step()\n\n\n"
        + "helper_loader = DataLoader(Photos('train', tf), batch_size=64)\n"
        + "for x, _ in helper_loader:\n    step(x)\n"
        + "def evaluate(loader):\n    return [model(x.to('cuda')) for x, _ in loader]\n\n\n"
        + "valid_loader = DataLoader(Photos('valid', tf), batch_size=64)\n"
        + "evaluate(valid_loader)\n"
        + TRAIN
    )
    expected = sorted(_line_of(script, f"{name} = DataLoader") for name in ("helper_loader", "valid_loader", "train_loader"))
    assert _py009_lines(tmp_path, script) == expected
