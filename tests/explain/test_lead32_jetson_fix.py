"""One fix builder for the Jetson (lead, session 32): a log from a Jetson whose PyTorch has no Tegra CUDA gets the board's
install (NVIDIA's Jetson wheel for its JetPack), the same text the doctor gives a Jetson machine; the same log without the
board's signs keeps PyTorch's own index."""

from __future__ import annotations

from log_text import report

# The board's release file (L4T's own format) and a cuNNN wheel from PyTorch's index, as Jetson users paste them
# (https://github.com/dusty-nv/jetson-containers/issues/391 has the same pair).
RELEASE = "# R35 (release), REVISION: 4.1, GCID: 33958178, BOARD: t186ref, EABI: aarch64, DATE: Tue Aug  1 19:57:35 UTC 2023\n"
INSTALL = """$ pip3 install torch --index-url https://download.pytorch.org/whl/cu121
Successfully installed torch-2.3.1+cu121
$ python3 -c "import torch; print(torch.__version__, torch.cuda.is_available())"
2.3.1+cu121 False
"""


def _fix(text: str) -> str:
    causes = report(text).causes
    assert causes and causes[0].code == "FRAMEWORK_CPU_BUILD", [c.code for c in causes]
    return causes[0].fix


def test_a_jetson_log_gets_the_boards_install() -> None:
    fix = _fix("$ cat /etc/nv_tegra_release\n" + RELEASE + INSTALL)
    assert "PyTorch for Jetson built for JetPack 5.1.2 (L4T 35.4.1)" in fix
    assert "--index-url" not in fix


def test_a_jetpack_named_in_words_gives_its_l4t() -> None:
    fix = _fix("Jetson Orin Nano with JetPack 6.0\n" + INSTALL)
    assert "JetPack 6.0 (L4T 36.3" in fix


def test_the_same_log_off_a_jetson_keeps_pytorchs_index() -> None:
    text = "Ubuntu 22.04, RTX 3060\n" + INSTALL.replace("+cu121", "+cpu").replace("/whl/cu121", "/whl/cpu")
    fix = _fix(text)
    assert "Jetson" not in fix
    assert "--index-url https://download.pytorch.org/whl/cu" in fix
