"""accadvice40 (session 40): what a log says against what the machine has: an instruction is no installed fact
(explain.grammar.instructed), words a quote's attribution gives to someone else are not the log (explain.pasted), a cuDNN
archive judged against JAX's builds too (knowledge.cudnn_archive), a GPU past its last driver branch named in the fix, and
WSL1 as DRIVER_MISSING."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause
from whygpu.explain import grammar
from whygpu.explain.pasted import others_quoted

# https://github.com/sweeptosher/umamusume-sweepy/issues/9 (Paddle's own dynamic_loader note, pasted in the issue)
PADDLE_NOTE = (
    "W0201 04:41:48.625404 23704 dynamic_loader.cc:285] Note: [Recommend] copy cudnn into CUDA installation directory.\n"
    " For instance, download cudnn-10.0-windows10-x64-v7.6.5.32.zip from NVIDIA's official website,\n"
    "then, unzip it and copy it into C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v10.0\n"
    "You should do this according to your CUDA installation directory and CUDNN version.\n")
# https://github.com/microsoft/onnxruntime/issues/17510 (a report whose first sentence drops its subject)
ORT_NARRATIVE = "Install cuda11.8, cuDNN8.5.0.96, and onnxruntime-gpu==1.15.\nBut could not locate zlibwapi.dll\n"
# https://github.com/facebookresearch/detectron2/issues/1416
DETECTRON_NARRATIVE = (
    'Detectron2 performed on the CPU with a "Torch not compiled with CUDA enabled" error\n'
    "Configure Detectron2 environment on a computer without GPU graphics card. After the configuration is OK, run the "
    "following code.\n")


def _cuda_installed(text: str) -> list[str]:
    return [s.value for s in facts(text).cuda_installed]


def test_an_install_guides_path_is_no_cuda_installed() -> None:
    assert "10.0" not in _cuda_installed(PADDLE_NOTE)
    # The same path in the writer's own listing is the machine's.
    assert _cuda_installed("C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v10.0\\bin\\cudart64_100.dll") == ["10.0"]


def test_the_readers_obligation_yields_no_installed_version() -> None:
    for advice in ("You need to install CUDA 11.8 and cuDNN 8.6.", "Make sure you have CUDA 11.2 installed.",
                   "Please install CUDA 11.2 and cuDNN 8.1 first."):
        seen = facts(advice)
        assert not seen.cuda_installed and not seen.cudnn_installed, advice
        assert not seen.found_stated.get("cuda") and not seen.cuda_shown_said, advice
    seen = facts("I have CUDA 11.8 and cuDNN 8.6 installed.")
    assert [s.value for s in seen.cuda_installed] == ["11.8"] and [s.value for s in seen.cudnn_installed] == ["8.6"]


def test_an_advised_install_command_is_no_package_installed() -> None:
    advised = facts("You should pip install tensorflow-gpu==2.10 instead.")
    assert not advised.tf_packages_installed and not advised.versions.get("tensorflow")
    ran = facts("pip install tensorflow-gpu==2.10")
    assert [s.value for s in ran.tf_packages_installed] == ["tensorflow-gpu"]
    assert [s.value for s in ran.versions["tensorflow"]] == ["2.10"]


def test_a_subjectless_report_is_not_an_instruction() -> None:
    # A bare verb with nothing that marks an instruction is the writer's own narrative.
    assert _cuda_installed(ORT_NARRATIVE) == ["11.8"]
    # https://github.com/pytorch/pytorch/issues/144433 ("install torch=2.6.0" under "Describe the bug")
    assert [s.value for s in facts("install torch=2.6.0").versions.get("torch", [])] == ["2.6.0"]
    # A reproduction step keeps its version.
    assert _cuda_installed("1. Install CUDA 11.2\n2. Run the script") == ["11.2"]
    # Outside installed facts the obligation alone decides: the writer's machine in a bare verb's sentence stays theirs.
    assert first_cause(DETECTRON_NARRATIVE) == "NO_GPU"


def test_instructed_is_the_grammar_decision() -> None:
    line = "then, unzip it and copy it into C:\\CUDA\\v10.0"
    assert grammar.instructed(line, line.index("10.0"), line.index("10.0") + 4)
    line = "Just install CUDA 11.2 and cuDNN 8.1"
    assert grammar.instructed(line, line.index("11.2"), line.index("11.2") + 4)
    line = "Installing CUDA 11.2 fixed it"
    assert not grammar.instructed(line, line.index("11.2"), line.index("11.2") + 4)
    line = "I installed CUDA 11.2 but it fails."
    assert not grammar.instructed(line, line.index("11.2"), line.index("11.2") + 4)


# https://github.com/udacity/dog-project/issues/18 (the README's words quoted)
README_QUOTED = (
    "I am using TensorFlow with GPU support on my local machine.\nThe README states:\n\n"
    "> (Optional) If you plan to install TensorFlow with GPU support on your local machine, follow the guide to install "
    "the necessary NVIDIA software on your system.\n")
# https://github.com/conda-forge/jax-feedstock/issues/162 (the writer's own command, after "according to the docs:")
OWN_COMMAND = ("> I installed JAX according to the docs:\n> ```\n> conda install jaxlib=*=*cuda* jax cuda-nvcc -c conda-forge -c nvidia\n"
               "> ```\n")


def test_a_documents_quote_is_someone_elses() -> None:
    assert "(Optional)" not in others_quoted(README_QUOTED)
    assert facts(README_QUOTED).others_words
    # "I installed JAX according to the docs:" is the writer's sentence: the command under it stays theirs.
    assert others_quoted(OWN_COMMAND) == OWN_COMMAND
    assert others_quoted("as @jane said: install CUDA 11.2").rstrip() == "as @jane said:"
    assert others_quoted("the error says: CUDA driver version is insufficient") == "the error says: CUDA driver version is insufficient"


def test_a_signature_inside_someone_elses_quote_is_not_this_logs() -> None:
    # nvidia/nvidia-docker's "CUDA driver version is insufficient for CUDA runtime version" (the runtime's own message)
    quoted = ("My training runs fine on the GPU now.\n\n@jane wrote:\n"
              "> CUDA driver version is insufficient for CUDA runtime version\n")
    assert codes(quoted) == []
    own = quoted.replace("@jane wrote:", "The error says:")
    assert "LOG-GPU-STATUS" in finding_codes(own)


# A CUDA jaxlib of Google's wheel index names the CUDA and cuDNN it loads from the system
# (https://storage.googleapis.com/jax-releases/jax_cuda_releases.html); cuDNN's archive names the CUDA it was built for.
_JAX_OLD = ("pip install jaxlib==0.3.25+cuda11.cudnn82 -f https://storage.googleapis.com/jax-releases/jax_cuda_releases.html\n"
            "I installed cudnn-{archive}-linux-x64-v8.2.1.32\nthe GPU is not used\n")


def test_a_cudnn_archive_for_another_cuda_beside_a_cuda_jaxlib() -> None:
    assert "LOG835" in finding_codes(_JAX_OLD.format(archive="10.2"))
    assert "LOG835" not in finding_codes(_JAX_OLD.format(archive="11.3"))


def test_pytorchs_binaries_carry_their_own_cudnn() -> None:
    from whygpu.knowledge.cudnn_archive import build_loads_system_cudnn

    assert build_loads_system_cudnn("torch", "1.8.1+cu111") is None
    assert build_loads_system_cudnn("jax", "0.3.25+cuda11.cudnn82") == "11"
    assert build_loads_system_cudnn("jax", "0.4.30") is None
    assert build_loads_system_cudnn("tensorflow", "1.13.1") == "10.0"
    text = "torch 1.8.1+cu111\nI installed cudnn-10.2-linux-x64-v8.2.1.32\nthe GPU is not used\n"
    assert "LOG835" not in finding_codes(text)


# https://github.com/microsoft/WSL/issues/5554 (the WSL1 kernel's release string)
_WSL1 = ("Linux DESKTOP-1 4.4.0-19041-Microsoft #488-Microsoft Mon Sep 01 13:43:00 PST 2020 x86_64 x86_64 x86_64 GNU/Linux\n"
         "torch.cuda.is_available() returns False\n")


def test_wsl1_is_the_driver_missing_not_a_machine_without_a_gpu() -> None:
    assert first_cause(_WSL1) == "DRIVER_MISSING"
    assert "LOG111" in finding_codes(_WSL1)
    assert "LOG111" not in finding_codes(_WSL1.replace("4.4.0-19041-Microsoft", "5.15.90.1-microsoft-standard-WSL2"))
