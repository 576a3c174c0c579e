"""accinstall (session 37): a framework install not whole (a module every release ships said missing, LOG695) or not
consistent (pip's resolver conflict between JAX's own packages, LOG696), PyPI's and an installer's words on tensorflow-gpu."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause
from whygpu.explain.pkgparts import part_missing, resolver_pairs
from whygpu.knowledge.package_parts import part_missing_cause, skew_cause

# https://github.com/cupy/cupy/issues/7907
CUPY_PART = """Was able to import `cupy`, but unable to import `cupy.cuda`
Traceback (most recent call last):
  File "<stdin>", line 1, in <module>
ModuleNotFoundError: No module named 'cupy.cuda'
"""

# https://github.com/jax-ml/jax/issues/7760
JAX_DEPENDS = """I am installing the jax using the following command:
'pip install --upgrade "jax[cuda111]" jaxlib==0.1.67 -f https://storage.googleapis.com/jax-releases/jax_releases.html'
it gives me the following error:
jax depends on jaxlib@ https://storage.googleapis.com/jax-releases/cuda111/jaxlib-0.1.67+cuda111-cp38-none-manylinux2010_x86_64.whl
I am using cuda 11.4 with python 3.8.10"""

# https://github.com/sokrypton/ColabFold/issues/250
JAX_CANNOT = """$ pip install -q "jax[cuda11_cudnn805]>=0.3.8,<0.4" -f https://storage.googleapis.com/jax-releases/jax_releases.html
ERROR: Cannot install jax[cuda]==0.3.10, jax[cuda]==0.3.11 and jax[cuda]==0.3.9 because these package versions have conflicting dependencies.
ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/user_guide/#fixing-conflicting-dependencies"""

# https://github.com/googlecolab/colabtools/issues/5187: add-ons left behind by `pip install tensorflow==2.15` on Colab
ADDON_SKEW = """I have already run !pip install tensorflow==2.15.
ERROR: pip's dependency resolver does not currently take into account all the packages that are installed. This behaviour is the source of the following dependency conflicts.
tensorflow-text 2.18.1 requires tensorflow<2.19,>=2.18.0, but you have tensorflow 2.15.0.post1 which is incompatible.
tf-keras 2.18.0 requires tensorflow<2.19,>=2.18, but you have tensorflow 2.15.0.post1 which is incompatible."""


def test_a_module_every_release_ships_said_missing_is_an_install_not_whole() -> None:
    assert part_missing("ModuleNotFoundError: No module named 'cupy.cuda'") == ("cupy", "cuda")
    assert [s.value for s in facts(CUPY_PART).pkg_part_missing] == [("cupy", "cuda")]
    assert first_cause(CUPY_PART) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG695" in finding_codes(CUPY_PART)


def test_torch_c_missing_from_a_source_checkout_reads_the_same() -> None:
    # https://github.com/pytorch/pytorch/issues/788
    text = ">>> import torch\n  File \".../pytorch/torch/__init__.py\", line 46, in <module>\n    from torch._C import *\nModuleNotFoundError: No module named 'torch._C'\n"
    assert "LOG695" in finding_codes(text)


def test_a_module_only_some_releases_have_stays_quiet() -> None:
    # tensorflow.contrib left TensorFlow in 2.0: the code wants another release, the install is not damaged.
    text = "ModuleNotFoundError: No module named 'tensorflow.contrib'\n"
    assert part_missing_cause("tensorflow", "contrib") is None
    assert not facts(text).pkg_part_missing
    assert "LOG695" not in finding_codes(text)
    # nor a package that is not a framework's
    assert "LOG695" not in finding_codes("ModuleNotFoundError: No module named 'xformers.ops'\n")


def test_pips_conflict_between_jax_and_jaxlib_is_an_inconsistent_install() -> None:
    assert resolver_pairs("jax depends on jaxlib@ https://storage.googleapis.com/x.whl") == [("jax", "jaxlib")]
    assert codes(JAX_DEPENDS)[:1] == ["FRAMEWORK_INSTALL_BROKEN"]
    assert "LOG696" in finding_codes(JAX_DEPENDS)


def test_no_release_of_jax_cuda_could_be_fitted() -> None:
    assert resolver_pairs(JAX_CANNOT.splitlines()[1]) == [("jax", "jax")]
    assert first_cause(JAX_CANNOT) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG696" in finding_codes(JAX_CANNOT)


def test_an_add_ons_skew_stays_quiet() -> None:
    skew = skew_cause("tf-keras", "tensorflow")
    assert skew is not None and not skew.blocks
    assert [s.value for s in facts(ADDON_SKEW).pkg_resolver_pair] == [("tensorflow-text", "tensorflow"), ("tf-keras", "tensorflow")]
    assert "LOG696" not in finding_codes(ADDON_SKEW)
    # torchvision pinned to another torch: the add-on breaks, not torch's GPU use
    text = "ERROR: torchvision 0.6.0 has requirement torch==1.5.0, but you'll have torch 1.6.0.dev20200413 which is incompatible."
    assert "LOG696" not in finding_codes(text)


def test_prose_and_cuda_library_conflicts_are_not_a_family_skew() -> None:
    assert resolver_pairs("torchvision depends on torch, so install both") == []
    assert resolver_pairs("Keras depends on the installation order of tensorflow modules") == []
    line = ('torch 2.1.1 requires nvidia-cudnn-cu12==8.9.2.26; platform_system == "Linux", but you have nvidia-cudnn-cu12 9.5.1.17 '
            "which is incompatible.")
    assert skew_cause(*resolver_pairs(line)[0]) is None


def test_pypi_words_on_tensorflow_gpu() -> None:
    # https://github.com/aliutkus/speechmetrics/issues/36
    text = "From their pypi page:\n> tensorflow-gpu has been removed. Please install tensorflow instead.\n"
    assert first_cause(text) == "FRAMEWORK_INSTALL_BROKEN"
    assert first_cause("tensorflow-gpu was removed from our requirements last year\n") is None


def test_an_installer_that_found_no_version() -> None:
    # https://github.com/tensorflow/tensorflow/issues/60241
    assert "FRAMEWORK_INSTALL_BROKEN" in codes("No version 2.12.0 of the tensorflow-gpu was found.\n")
    assert codes("No version 2.12.0 of the pandas was found.\n") == []


def test_using_cuda_with_a_release_is_not_the_device_in_use() -> None:
    # "I am using cuda 11.4" names the toolkit (https://github.com/jax-ml/jax/issues/7760); "Using cuda device" is the device.
    assert "FRAMEWORK_INSTALL_BROKEN" in codes(JAX_DEPENDS)
    assert codes("Using cuda device\nepoch 1 loss 0.3\n") == []
