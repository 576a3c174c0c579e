"""accunify (session 26): each compatibility decision is one function of the knowledge layer, asked by lint and explain
alike. These pin each decision a case each way, and that the callers ask it (their answer follows the function's)."""

from __future__ import annotations

import pytest

from whygpu.knowledge.torch import (
    torch_first_release_for_python,
    torch_python_support,
    torch_release,
)

# --- which PyTorch releases serve a Python: knowledge/torch.toml [[python]] ----------------------------------------------


@pytest.mark.parametrize(
    ("version", "python", "support"),
    [
        ("2.4.1", "3.12", "supported"),  # the matrix lists 3.12 from 2.4
        ("2.2.0", "3.12", "wheels"),  # "(3.12 experimental)": PyPI has cp312 wheels, pip installs it
        ("1.13.1", "3.11.4", "wheels"),  # Linux cp311 wheels the matrix does not list
        ("2.1.2", "3.12", "none"),  # no cp312 wheel of 2.1
        ("2.5.0", "3.8", "none"),  # 3.8 was dropped after 2.4
        ("1.12.1", "3.6", "none"),  # a Python older than every row
        ("2.14.0", "3.16", "none"),  # newer than every row
        ("1.8.0", "3.9", None),  # a release older than every [[release]] row: not judged
    ],
)
def test_how_a_torch_release_serves_a_python(version: str, python: str, support: str | None) -> None:
    assert torch_python_support(version, python) == support


def test_the_first_release_for_a_python_answers_the_question_asked() -> None:
    assert torch_first_release_for_python("3.12") == "2.2.0"  # the first wheel
    assert torch_first_release_for_python("3.12", supported=True) == "2.4"  # the first the matrix supports
    assert torch_first_release_for_python("3.10", supported=True) is None  # supported since before the tabled releases


def test_a_releases_python_range_is_derived_from_the_python_rows() -> None:
    release = torch_release("2.5.0")
    assert release is not None
    assert (release.python_min, release.python_max, release.python_wheels_max) == ("3.9", "3.12", "3.13")


# --- whether a plain install gets the CPU build: knowledge/cpu_packages.toml [[plain_install]] ---------------------------


def test_a_plain_jax_install_gets_the_cpu_build_a_cuda_extra_does_not() -> None:
    from whygpu.knowledge.cpu_packages import plain_install_cpu_build

    build = plain_install_cpu_build("jax", "pip", spec="==0.4.30")
    assert build is not None and build.cpu is True
    # pip compares extras normalized (PEP 685): lint hands "cuda12-local", a command writes "cuda12_local"
    assert plain_install_cpu_build("jax", "pip", extras="[cuda12-local]") is None
    assert plain_install_cpu_build("jax", "pip", extras="cuda12_local") is None
    assert plain_install_cpu_build("jax", "pip", sources=("https://storage.googleapis.com/jax-releases/jax_cuda_releases.html",)) is None
