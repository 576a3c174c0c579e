"""accbroken (session 34): a broken or changed install, read by what its lines mean.

Real lines carry their public source. Each reading has a case where it speaks and one where it stays quiet.
"""

from __future__ import annotations

from tests.log_text import codes, facts, finding_codes, first_cause

# --- pip fetching tensorflow-gpu as a source archive: the 2.12.0 placeholder (LOG-PIP-TF-GPU-STUB-ARCHIVE) -------------------

# https://github.com/tensorflow/tensorflow/issues/62613
STUB = """when i run this command " pip install tensorflow-gpu"
it give me error
Collecting tensorflow-gpu
  Using cached tensorflow-gpu-2.12.0.tar.gz (2.6 kB)
  Preparing metadata (setup.py) ... error
  error: subprocess-exited-with-error
"""


def test_tf_gpu_source_archive_is_the_placeholder() -> None:
    assert first_cause(STUB) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG-PIP-TF-GPU-STUB-ARCHIVE" in finding_codes(STUB)


def test_tf_gpu_wheel_is_not_the_placeholder() -> None:
    text = "Collecting tensorflow-gpu==2.10.0\n  Using cached tensorflow_gpu-2.10.0-cp39-cp39-win_amd64.whl (455.9 MB)\n"
    assert "LOG-PIP-TF-GPU-STUB-ARCHIVE" not in finding_codes(text)


# --- pip 1.4's wording of "no matching distribution" (LOG-PIP-NO-DISTRIBUTION) ----------------------------------------------

# https://github.com/lsa-pucrs-old/acerta-abide/issues/3
OLD_PIP = """Downloading/unpacking tensorflow-gpu (from -r requirements.txt (line 4))
  Could not find any downloads that satisfy the requirement tensorflow-gpu (from -r requirements.txt (line 4))
Cleaning up...
No distributions at all found for tensorflow-gpu (from -r requirements.txt (line 4))
"""


def test_old_pip_no_distribution() -> None:
    assert first_cause(OLD_PIP) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG-PIP-NO-DISTRIBUTION" in finding_codes(OLD_PIP)


def test_no_distribution_of_another_package_stays_quiet() -> None:
    assert "LOG-PIP-NO-DISTRIBUTION" not in finding_codes("No distributions at all found for requests==0.0.1\n")


# --- PyTorch's mangled C++ symbol pasted without the library before it (LOG-PT-EXT-TORCH-ABI's head) -----------------------


def test_torch_abi_symbol_without_the_file() -> None:
    # https://github.com/pytorch/audio/issues/3335 (the title)
    text = "undefined symbol: _ZNK5torch8autograd4Node4nameB5cxx11Ev\n"
    assert first_cause(text) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG-PT-EXT-TORCH-ABI" in finding_codes(text)


def test_other_cxx_symbol_is_not_torch_abi() -> None:
    assert "LOG-PT-EXT-TORCH-ABI" not in finding_codes("undefined symbol: _ZN5boost6system16generic_categoryEv\n")


# --- tf.device('/cpu:0') as one item of a with-list (the tf-device-cpu pin, LOG400) -----------------------------------------

# https://github.com/lengstrom/fast-style-transfer/issues/165
WITH_LIST = """I have question about codes In src/optimize.py,

`with tf.Graph().as_default(), tf.device('/cpu:0'), tf.Session() as sess:`

I Thought it is meant to training on the CPU (I mean using cpu). And if I run this code, It only use GPU Memory and doesn't use its processing power.
So I erase the 'tf.device ' part  and It work fine.
"""


def test_tf_device_cpu_in_a_with_list() -> None:
    assert first_cause(WITH_LIST) == "CODE_FORCES_CPU"
    assert "LOG400" in finding_codes(WITH_LIST)


def test_tf_device_gpu_in_a_with_list_is_no_cpu_pin() -> None:
    text = WITH_LIST.replace("/cpu:0", "/gpu:0")
    assert "LOG400" not in finding_codes(text)


# --- LOG575: the GPU stopped working after an install of another package ----------------------------------------------------

# https://github.com/ACEsuit/mace/issues/783
MACE = """I am using Python 3.10.0 with torch-1.13.0+cu117-cp310-cp310-linux_x86_64.whl (CUDA version).
However, after installing mace(version 0.3.9), it automatically installed torch-2.5.1-cp310-cp310-manylinux1_x86_64 instead.
After this, when I try to train a model, the device cannot use CUDA and only uses the CPU.
"""


def test_install_changed_framework_on_linux() -> None:
    assert first_cause(MACE) == "FRAMEWORK_INSTALL_BROKEN"
    assert "LOG575" in finding_codes(MACE)
    seen = facts(MACE).install_change
    assert seen and seen[0].value.package == "mace" and seen[0].value.framework == "torch"


def test_install_changed_torch_on_windows_is_the_cpu_build() -> None:
    # PyPI's torch on native Windows is the CPU build (knowledge.cpu_packages.plain_twin_cpu)
    # (the old build's +cu117 left out: a CUDA build shown makes the ranking demote FRAMEWORK_CPU_BUILD, knowledge/ruleouts.toml)
    text = (MACE.replace("torch-1.13.0+cu117-cp310-cp310-linux_x86_64.whl (CUDA version)", "a CUDA build of torch 1.13")
            .replace("manylinux1_x86_64", "win_amd64") + "C:\\Users\\me\\venv\\Lib\\site-packages\\torch\n")
    assert first_cause(text) == "FRAMEWORK_CPU_BUILD"
    assert "LOG575" in finding_codes(text)


# https://github.com/tensorflow/models/issues/10726
TF_MODELS = 'The thing is I can see my gpu devices when I do installation using following steps -> \n\nconda install -c conda-forge cudatoolkit=11.2 cudnn=8.1.0\nexport LD_LIBRARY_PATH=$LD_LIBRARY_PATH:$CONDA_PREFIX/lib/\npython3 -m pip install tensorflow\npython3 -c "import tensorflow as tf; print(tf.config.list_physical_devices(\'GPU\'))"\n\n------\n\n**But** as soon as I install using - pip install tf-models-official  \nand run \n\npython object_detection/builders/model_builder_tf2_test.py\n\nI get  error related to gpus-- Could not load dynamic library \'libcudart.so.11.0'


def test_onset_with_the_failure_after_it() -> None:
    assert "FRAMEWORK_INSTALL_BROKEN" in codes(TF_MODELS)
    assert "LOG575" in finding_codes(TF_MODELS)


def test_onset_with_the_failure_before_it_stays_quiet() -> None:
    lines = TF_MODELS.splitlines()
    text = "\n".join([lines[-1], *lines[:-1]]) + "\n"  # the failure pasted above the account
    assert "LOG575" not in finding_codes(text)


def test_install_of_the_framework_itself_stays_quiet() -> None:
    text = "After installing torch 2.1 with cu118, torch.cuda.is_available() returns False\n"
    assert "LOG575" not in finding_codes(text)


def test_install_of_cuda_or_the_driver_stays_quiet() -> None:
    text = "After installing CUDA 11.8 the GPU is not found and training only uses the CPU.\n"
    assert "LOG575" not in finding_codes(text)


def test_question_and_fixed_stay_quiet() -> None:
    assert "LOG575" not in finding_codes("Will torch still use the GPU after installing xformers? It only uses the CPU now.\n")
    assert "LOG575" not in finding_codes("After installing flash-attn it works fine now. torch.cuda.is_available() False earlier.\n")


def test_no_trouble_shown_stays_quiet() -> None:
    assert "LOG575" not in finding_codes("After installing mace, it installed torch 2.5.1 instead.\nTraining runs fine on the GPU.\n")
