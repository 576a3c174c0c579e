"""Logs that show the GPU unused are never silent: the user's words in several forms and languages, a CPU build
said in words, and the classes read beside them; each fires on lines that mean it and stays quiet without them.

The lines are written from what each statement or message means (not copied from a corpus case);
docs/explain-accuracy.md ("Session 16") says which cases of which set each class fixed and broke.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from log_text import facts as _facts
from log_text import report as _report
from whygpu.explain import explain_text, to_report

# --- the GPU unused, in the user's words ---------------------------------------------------------

UNUSED_SAID = (
    "My GPU isn't getting used at all, training with PyTorch takes hours.",
    "The GPU is attached to the VM but it is not being used by my PyTorch script.",
    "After the upgrade of torch the GPU became invisible to my training script.",
    "torch keeps falling back to CPU no matter what I install.",
    "when I call torch.cuda.is_available() it always returns False",
    "the torch.cuda.is_available() check in my job script returned False",
    "device: cpu",
    "No GPUs detected, PyTorch will run on the processor",
    # Other languages reporters write in.
    "我的电脑有显卡，但是 torch 没有使用GPU，训练很慢",
    "torch 训练的时候用的是CPU，不知道为什么",
    "torch 설치 후에도 GPU를 사용하지 않습니다",
    "torch で学習すると GPUが認識されない",
    "torch не видит GPU после установки",
    "torch no detecta la GPU en mi equipo",
    "o torch não reconhece a GPU",
    # The framework's answer reported in prose, in those languages and with a common typo.
    "运行 torch.cuda.is_available() 返回 False",
    "torch.cuda.is_avaliable()이 False로 반환됩니다",
    "torch.cuda.is_available() が False を返します",
    "my torch.cuda.is_avaliable() always returns False",
)


@pytest.mark.parametrize("line", UNUSED_SAID)
def test_the_gpu_unused_said_in_words_is_read_and_never_silent(line: str) -> None:
    facts = _facts(line + "\n")
    assert facts.stated_unused, line
    report = _report(line + "\n")
    assert report.verdict.gpu_usable is False
    assert report.causes and report.causes[0].code == "FRAMEWORK_CPU_BUILD"  # PyTorch's base rate leads


UNUSED_NOT_NOW = (
    # A state that is over.
    "It was not using the GPU before, now it does after reinstalling torch.",
    "Previously torch fell back to CPU; fixed now with the cu121 wheel.",
    # Utilisation dropping between epochs: the GPU is used.
    "GPU utilisation drops to 0% between epochs while the loader refills.",
    # Runs fine on the CPU when the GPU is not asked for: no statement that the GPU is unused.
    "不使用GPU时可以运行",
    "torch.cuda.is_available() should return True",
    "the fallback to CPU happens only when no GPU exists",
    "torch.cuda.is_available() 返回 True",
    "torch.cuda.is_available()이 True로 반환됩니다",
)


@pytest.mark.parametrize("line", UNUSED_NOT_NOW)
def test_statements_not_about_the_gpu_unused_now_stay_quiet(line: str) -> None:
    assert not _facts(line + "\n").stated_unused, line
    report = _report(line + "\n")
    assert report.verdict.gpu_usable is not False
    assert not report.causes


@pytest.mark.parametrize("line", ("if torch.cuda.is_available() is False: device = 'cpu'", "    assert torch.cuda.is_available() is False"))
def test_a_condition_in_code_is_not_an_answer(line: str) -> None:
    facts = _facts(line + "\n")
    assert not facts.stated_unused and not facts.gpu_unused(), line
    # The same expression answered is one, and so is an assert reported in prose.
    assert _facts("torch.cuda.is_available() is False\n").gpu_unused()
    assert _facts("> assert torch.cuda.is_available() is returning False\n").gpu_unused()


@pytest.mark.parametrize("line", (
    "if torch.cuda.is_available() is False: device = 'cpu'",
    "    assert torch.cuda.is_available() is False",
    "    if not torch.cuda.is_available() is False:",
))
def test_the_is_available_signature_reads_no_condition_in_code(line: str) -> None:
    # LOG-PT-IS-AVAILABLE-FALSE reads PyTorch's answer; the same words as a condition in code say nothing.
    result = explain_text(line + "\n")
    assert "LOG-PT-IS-AVAILABLE-FALSE" not in [f.id for f in result.findings], line
    assert not to_report(result).causes and result.gpu_used is not False, line


@pytest.mark.parametrize("line", (
    "torch.cuda.is_available() is False",
    "torch.cuda.is_available(): False",
    "I checked and torch.cuda.is_available() returns False on this machine",
    "if torch.cuda.is_available() is False: print('no gpu') ... and my run printed torch.cuda.is_available() -> False",
))
def test_the_is_available_signature_reads_the_answer(line: str) -> None:
    # The answer is read (by the signature, or by LOG104 when the fact reader ranks the causes).
    result = explain_text(line + "\n")
    assert result.gpu_used is False and to_report(result).causes, line


def test_a_run_that_used_the_gpu_stays_clean_beside_an_earlier_complaint() -> None:
    text = ("Earlier my GPU was not detected; now it is.\n"
            ">>> torch.cuda.is_available()\nTrue\n")
    report = _report(text)
    assert not report.causes and report.verdict.gpu_usable is not False


# --- a CPU build said in words ---------------------------------------------------------------------

CPU_BUILD_SAID = (
    "Running pip install torch on the new aarch64 node resulted in the CPU version of torch.",
    "On the login node the CPU-only PyTorch is installed by conda.",
    "conda solved the environment and I can see the cpuonly version being installed",
    "pip 安装的 torch 默认是 cpu版本",
    "설치된 torch가 CPU 버전입니다",
)


@pytest.mark.parametrize("line", CPU_BUILD_SAID)
def test_a_cpu_build_said_in_words_is_named(line: str) -> None:
    assert _facts(line + "\n").stated_cpu_build, line
    assert _codes(line + "\n")[:1] == ["FRAMEWORK_CPU_BUILD"]


@pytest.mark.parametrize("line", (
    "I installed the CUDA version of torch from the cu121 index.",
    "The GPU version of the package resulted in a faster run.",
    "CPU usage is at 100% on every core.",
))
def test_other_builds_or_cpu_words_are_not_a_cpu_build(line: str) -> None:
    assert not _facts(line + "\n").stated_cpu_build, line


# --- messages read in more of their forms ---------------------------------------------------------


def test_lightning_saying_no_gpu_is_pytorch_finding_none() -> None:
    for line in ("lightning.fabric.utilities.exceptions.MisconfigurationException: GPUs requested but none are available.",
                 "MisconfigurationException: No supported gpu backend found!"):
        facts = _facts("import pytorch_lightning as pl\n" + line + "\n")
        assert [s.value for s in facts.gpu_answer.get("torch", [])] == [False], line
        assert _report("import pytorch_lightning as pl\n" + line + "\n").verdict.gpu_usable is False
    # Lightning's start-up line with a GPU found is not the same answer.
    assert _facts("GPU available: True (cuda), used: True\n").gpu_answer.get("torch")[0].value is True  # type: ignore[index]
    assert not _facts("Set gpus=0 if no GPUs are requested.\n").gpu_answer


def test_jax_short_unknown_backend_message_is_a_cpu_only_jaxlib() -> None:
    assert _codes("RuntimeError: Unknown backend gpu\n")[:1] == ["FRAMEWORK_CPU_BUILD"]
    # Another backend's name is not the GPU's.
    assert not _codes("RuntimeError: Unknown backend tpu\n")


def test_the_container_runtime_requirement_quoted_without_its_prefix_is_the_driver_too_old() -> None:
    assert _codes("requirement error: unsatisfied condition: cuda >= 12.4\n")[:1] == ["DRIVER_TOO_OLD"]
    # A brand or driver term failing means no alternative of the image's requirement held (the
    # message inventory's LOG-CTR-CLI-REQUIRE-DRIVER reads it); a line naming no condition says nothing.
    assert _codes("requirement error: unsatisfied condition: brand = tesla\n")[:1] == ["DRIVER_TOO_OLD"]
    assert not _codes("the requirement error is gone after the driver update, all conditions satisfied\n")


def test_nvidia_smi_failing_with_a_typographic_apostrophe_is_read() -> None:
    for quote in ("'", "\u2019", "\u2018"):
        line = f"NVIDIA-SMI has failed because it couldn{quote}t communicate with the NVIDIA driver.\n"
        assert _codes(line)[:1] == ["DRIVER_MISSING"], quote
    assert not _codes("NVIDIA-SMI has failed because it could communicate with the NVIDIA driver.\n")


# --- "no GPU visible" family: base rates per message and platform -----------------------------------


def test_the_unversioned_libcuda_failing_is_likeliest_off_the_path() -> None:
    codes = _codes("OSError: libcuda.so: cannot open shared object file: No such file or directory\n")
    assert codes[0] == "CUDA_LIBS_NOT_ON_PATH" and "DRIVER_MISSING" in codes
    # The soname itself failing keeps the driver first.
    line = ("W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcuda.so.1'; "
            "dlerror: libcuda.so.1: cannot open shared object file: No such file or directory\n")
    assert _codes(line)[0] != "CUDA_LIBS_NOT_ON_PATH"


NO_DRIVER = "RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver\n"


def test_pytorch_finding_no_driver_is_likeliest_no_gpu_off_wsl_and_the_driver_in_wsl() -> None:
    codes = _codes(NO_DRIVER)
    assert codes[0] == "NO_GPU" and "DRIVER_MISSING" in codes
    wsl = "Linux version 5.15.153.1-microsoft-standard-WSL2 (root@host)\n"
    assert _codes(wsl + NO_DRIVER)[0] == "DRIVER_MISSING"
    assert _codes("docker run --rm -it pytorch/pytorch python train.py\n" + NO_DRIVER)[0] == "CONTAINER_NO_GPU"


# --- LOG104's rows, recounted -----------------------------------------------------------------------

ASKED = "import torch\nMy PyTorch training does not use the GPU.\n"


def test_the_gpu_unused_inside_a_container_ranks_the_container_first() -> None:
    for context in ("I run the training inside a docker container built from our image.\n",
                    "The Azure ML job runs my entry script on a GPU compute.\n",
                    "docker run --rm -it -v /data:/data myimage bash\n"):
        codes = _codes(context + ASKED)
        assert codes[0] == "CONTAINER_NO_GPU", context
        # The host's driver below the image's CUDA stays listed (a bare `docker run` is LOG103's alone).
        assert "DRIVER_TOO_OLD" in codes or context.startswith("docker run")
    cause = _report("Inside the container:\n" + ASKED).causes[0]
    assert "nvidia-smi inside the container" in cause.fix


def test_the_gpu_unused_without_a_container_or_with_one_given_the_gpu_keeps_the_build_first() -> None:
    assert _codes(ASKED)[0] == "FRAMEWORK_CPU_BUILD"
    assert _codes("docker run --gpus all --rm -it myimage bash\n" + ASKED)[0] == "FRAMEWORK_CPU_BUILD"


def test_tensorflow_finding_no_gpu_with_no_line_saying_why_ranks_by_the_counted_row() -> None:
    codes = _codes(">>> import tensorflow as tf\n>>> tf.config.list_physical_devices('GPU')\n[]\n")
    assert codes[0] == "FRAMEWORK_CPU_BUILD"
    assert "CUDA_LIBS_MISMATCH" in codes


# --- more of the frameworks' and tools' own words ---------------------------------------------------


def test_grad_scaler_disabling_itself_is_pytorch_finding_no_cuda() -> None:
    line = ("C:\\Python39\\lib\\site-packages\\torch\\cuda\\amp\\grad_scaler.py:115: UserWarning: "
            "torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.\n")
    assert [s.value for s in _facts(line).gpu_answer.get("torch", [])] == [False]
    assert _codes(line)[:1] == ["FRAMEWORK_CPU_BUILD"]
    assert not _facts("scaler = torch.cuda.amp.GradScaler(enabled=True)\n").gpu_answer


def test_a_user_saying_a_framework_does_not_support_their_cuda_is_a_mismatch() -> None:
    assert _codes("TensorFlow 1.5 doesn't support CUDA 9.1 yet, so the import fails.\n")[:1] == ["CUDA_LIBS_MISMATCH"]
    assert _codes("jaxlib does not support cuDNN 8.0 on this machine\n")[:1] == ["CUDNN_MISMATCH"]
    # Support for something else, or CUDA without a version, is not a version mismatch.
    assert not _facts("TensorFlow doesn't support Python 3.12 yet\n").stated_incompatible
    assert not _facts("torch does not support CUDA graphs for this op\n").stated_incompatible


def test_singularity_without_nv_is_a_container_not_given_the_gpu() -> None:
    unused = "The GPU is not used by the job.\n"
    report = _report("singularity exec alphafold.sif python run_alphafold.py --use_gpu_relax=true\n" + unused)
    assert report.causes[0].code == "CONTAINER_NO_GPU" and "--nv" in report.causes[0].fix
    assert "CONTAINER_NO_GPU" not in _codes("apptainer exec --nv alphafold.sif python run.py\n" + unused)[:1]
    assert "CONTAINER_NO_GPU" not in _codes("singularity exec --nvccli image.sif python run.py\n" + unused)[:1]


def test_kubernetes_nodes_that_list_no_gpu_rank_the_container_side_first() -> None:
    for line in ("kubectl describe node gpu-1: Capacity and Allocatable do not list nvidia.com/gpu\n",
                 "After the helm install the GPUs do not show up on the AKS node pool\n",
                 "There is no gpu listed under capacity on the kubernetes node\n"):
        assert _codes(line)[:1] == ["CONTAINER_NO_GPU"], line
    # The plugin deployed and the GPU listed: nothing said unused.
    assert not _codes("kubectl describe node gpu-1 lists nvidia.com/gpu: 1 under Allocatable\n")


def test_a_cpu_machine_named_beside_the_gpu_unused_puts_no_gpu_first() -> None:
    text = "The endpoint was deployed on the CPU instance and the container does not provide access to the GPU.\n"
    assert _codes(text)[:1] == ["NO_GPU"]
    # A CPU build said beside it keeps the build first (the environment was made on a CPU node).
    built = "The environment was created on a CPU-only node, so the CPU-only PyTorch is installed; the GPU is not used.\n"
    assert _codes(built)[:1] == ["FRAMEWORK_CPU_BUILD"]


def test_ollama_start_up_lines_name_the_build_and_the_driver() -> None:
    assert _codes('level=INFO source=payload_common.go:146 msg="Dynamic LLM libraries [cpu_avx cpu_avx2 cpu]"\n')[:1] == ["FRAMEWORK_CPU_BUILD"]
    assert not _codes('level=INFO source=payload_common.go:146 msg="Dynamic LLM libraries [cpu_avx cuda_v11 cpu]"\n')
    smi = "routes.go:797: warning: gpu support may not be enabled, check that you have installed GPU drivers: nvidia-smi command failed\n"
    assert _codes(smi)[:1] == ["DRIVER_MISSING"]
    assert _codes("docker run -d -v ollama:/root/.ollama ollama/ollama\n" + smi)[:1] == ["CONTAINER_NO_GPU"]


@pytest.mark.parametrize("line", (
    "I don't think torch is using my GPU, training is slow",
    "my RTX 4090 GPU is completely ignored and all is processed by the CPU",
))
def test_hedged_or_indirect_statements_that_the_gpu_is_unused_are_read(line: str) -> None:
    assert _facts(line + "\n").stated_unused, line


@pytest.mark.parametrize("line", (
    "I don't think the GPU matters much here",
    "warnings about the GPU are ignored by default",
    "the data loading is processed by the CPU workers while the GPU trains",
))
def test_other_words_near_gpu_stay_quiet(line: str) -> None:
    assert not _facts(line + "\n").stated_unused, line


# --- batch schedulers: a job that asked for no GPU ---------------------------------------------------

ASK = 'python -c "import torch; print(torch.cuda.is_available())"\n'


def test_a_job_without_a_gpu_request_is_the_gpu_hidden_by_the_scheduler() -> None:
    # The same check outside the job finds the GPU; inside it does not.
    report = _report(ASK + "# True\n" + "srun " + ASK + "# False\n")
    assert report.causes[0].code == "GPU_HIDDEN" and report.causes[0].confidence.value == "high"
    assert "--gres=gpu:1" in report.causes[0].fix and "CUDA_VISIBLE_DEVICES" in report.causes[0].fix
    # A job script without a request, and the GPU unused inside it.
    script = "#!/bin/bash\n#SBATCH --job-name=train\n#SBATCH --time=02:00:00\npython train.py\nGPU available: False, used: False\n"
    assert _codes(script)[:1] == ["GPU_HIDDEN"]
    assert _codes("$ qsub -l walltime=1:00:00 job.sh\nMy PyTorch job does not use the GPU.\n")[:1] == ["GPU_HIDDEN"]


@pytest.mark.parametrize("text", (
    "srun --gres=gpu:1 " + ASK + "# False\n",
    "#SBATCH --gpus=2\n#SBATCH --time=1:00:00\npython train.py\nGPU available: False, used: False\n",
    "srun -p gpu-a100 " + ASK + "# False\n",
    "$ bsub -gpu \"num=1\" python train.py\nMy PyTorch job does not use the GPU.\n",
    # The GPU found inside the job.
    "srun " + ASK + "# True\n",
    # Prose naming the command is not the job's command line.
    "I submit the job with sbatch as usual.\n" + ASK + "# False\n",
))
def test_a_job_that_requests_a_gpu_or_finds_one_is_not_the_scheduler(text: str) -> None:
    assert "LOG117" not in {f.id for f in _report(text).findings}


# --- GPU_BUSY from the out-of-memory message's own numbers -------------------------------------------

OOM_NEW = ("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 64.00 MiB. GPU 0 has a total capacity of "
           "{total} GiB of which {free} MiB is free. {procs}Of the allocated memory {alloc} GiB is allocated by PyTorch, "
           "and 120.00 MiB is reserved by PyTorch but unallocated.\n")
OOM_OLD = ("RuntimeError: CUDA out of memory. Tried to allocate 64.00 MiB (GPU 0; {total} GiB total capacity; {alloc} GiB "
           "already allocated; {free} MiB free; {reserved} GiB reserved in total by PyTorch)\n")


def test_memory_held_by_another_process_is_read_from_the_oom_numbers() -> None:
    # From 2.1: the process's whole use stated, and another process listed with the rest.
    other = OOM_NEW.format(total="39.39", free="9.06", alloc="7.80",
                           procs="Process 4411 has 30.10 GiB memory in use. Including non-PyTorch memory, this process has 9.20 GiB memory in use. ")
    report = _report(other)
    assert report.causes[0].code == "GPU_BUSY" and "30.2 of 39.4 GiB" in report.causes[0].title
    # Without the process's whole use (2.1+ without that sentence, or before 2.1: "already allocated",
    # "reserved in total by PyTorch"), memory outside PyTorch's allocator may be the same process's (its
    # context, library workspaces, another framework in it): claimed only where the card was full and the allocator
    # held little of it (accbusy, session 26: knowledge.gpus.memory_held_elsewhere), at medium confidence.
    full = _report(OOM_NEW.format(total="23.65", free="5.00", alloc="4.00", procs=""))
    assert full.causes[0].code == "GPU_BUSY" and "PyTorch's allocator" in full.causes[0].title
    assert _codes(OOM_OLD.format(total="15.78", alloc="2.50", free="3.19", reserved="2.75"))[:1] == ["GPU_BUSY"]
    # The allocator holding half the card or more: the rest may be its own process's; nothing is claimed.
    assert "GPU_BUSY" not in _codes(OOM_NEW.format(total="23.65", free="5.00", alloc="12.50", procs=""))
    assert "GPU_BUSY" not in _codes(OOM_OLD.format(total="15.78", alloc="8.50", free="3.19", reserved="8.75"))


def test_an_oom_whose_numbers_fit_the_process_own_use_stays_quiet() -> None:
    # The job itself holds the memory: a model or batch too large, not a busy GPU.
    assert "GPU_BUSY" not in _codes(OOM_NEW.format(total="23.65", free="2.06", alloc="22.80",
                                                   procs="Including non-PyTorch memory, this process has 23.50 GiB memory in use. "))
    assert "GPU_BUSY" not in _codes(OOM_NEW.format(total="23.65", free="2.06", alloc="21.90", procs=""))
    assert "GPU_BUSY" not in _codes(OOM_OLD.format(total="15.78", alloc="14.56", free="3.19", reserved="14.71"))
    # The context and cuBLAS/cuDNN workspaces of a big process stay within the margin.
    assert "GPU_BUSY" not in _codes(OOM_OLD.format(total="79.15", alloc="66.00", free="40.00", reserved="68.00"))


# --- the loader's path decided by the user's own A/B -------------------------------------------------

TF_ASK = "python -c \"import tensorflow as tf; print(tf.config.list_physical_devices('GPU'))\""


def test_the_gpu_found_only_with_ld_library_path_on_the_command_line_is_the_path() -> None:
    text = (TF_ASK + "  # displays []\n"
            "LD_LIBRARY_PATH=$CONDA_PREFIX/lib " + TF_ASK + "  # displays [PhysicalDevice(name='/physical_device:GPU:0', device_type='GPU')]\n")
    report = _report(text)
    assert report.causes[0].code == "CUDA_LIBS_NOT_ON_PATH" and report.causes[0].confidence.value == "high"
    assert "activate.d" in report.causes[0].fix


def test_the_variable_without_a_difference_in_the_answers_is_not_the_path() -> None:
    # Set on both runs, or the GPU found either way: no A/B.
    both = ("LD_LIBRARY_PATH=/usr/local/cuda/lib64 " + TF_ASK + "  # displays []\n"
            "LD_LIBRARY_PATH=$CONDA_PREFIX/lib " + TF_ASK + "  # displays [PhysicalDevice(name='/physical_device:GPU:0', device_type='GPU')]\n")
    assert "LOG119" not in {f.id for f in _report(both).findings}
    found = "LD_LIBRARY_PATH=$CONDA_PREFIX/lib " + TF_ASK + "  # displays [PhysicalDevice(name='/physical_device:GPU:0', device_type='GPU')]\n"
    assert not _codes(found)
    # An empty answer written as a comment is read as the answer it is.
    assert [s.value for s in _facts(TF_ASK + "  # displays []\n").gpu_answer["tensorflow"]] == [False]


def test_the_tensorflow_cpu_package_row_follows_the_knowledge_of_each_release() -> None:
    from whygpu.knowledge.priors import unused_prior as unused_row

    cpu_row = unused_row("tensorflow", "linux", "1.14.0")
    assert "pip_gpu" in cpu_row and cpu_row["causes"][0] == "FRAMEWORK_CPU_BUILD"
    assert unused_row("tensorflow", "linux", "2.0.1") is cpu_row
    assert unused_row("tensorflow", "linux", "1.15.3") is cpu_row
    # 1.15.0's plain tensorflow carried the GPU build, as 2.1 and later do.
    assert "pip_gpu" not in unused_row("tensorflow", "linux", "1.15.0")
    assert "pip_gpu" not in unused_row("tensorflow", "linux", "2.4.1")
    assert "pip_gpu" not in unused_row("tensorflow", "linux", None)


# --- precision classes found on the held-out negatives2 set (session 16) -------------------------


def test_an_unticked_template_option_says_nothing_of_the_system() -> None:
    # WSL's issue template lists both versions; only the ticked one is the reporter's.
    template = "### WSL Version\n\n- [X] WSL 2\n- [ ] WSL 1\n"
    assert [s.value for s in _facts(template).platform] == ["wsl2"]
    assert [s.value for s in _facts("- [x] WSL 1\n- [ ] WSL 2\n").platform] == ["wsl1"]
    # The kernel string or the version said in prose still counts.
    assert [s.value for s in _facts("I am on WSL 1 with Ubuntu\n").platform][:1] == ["wsl1"]


@pytest.mark.parametrize("line", (
    "nvidia-smi inside Ubuntu cannot see GPU usage, but it runs the CUDA samples.",
    "I cannot see GPU-Util in nvidia-smi inside the container.",
    "The dashboard can't see GPU memory usage for this job.",
    # What a monitor lists of the GPU (negatives23, gpu-operator-629: the driver lists no process of another PID namespace).
    'Cannot see gpu process using "nvidia-smi" in container,but I can see it on host',
    "nvidia-smi does not show GPU processes inside the pod.",
    "I run a gpu program in the container, it runs normally but I can't see it in processes inside container.",
))
def test_not_seeing_a_gpu_measure_is_not_the_gpu_unseen(line: str) -> None:
    assert not _facts(line + "\n").stated_unused, line


@pytest.mark.parametrize("line", ("My script cannot see the GPU.", "TensorFlow does not detect my GPU at all.",
                                  "My RTX 3060 is installed but TensorFlow cannot see it."))
def test_not_seeing_the_gpu_is_still_read(line: str) -> None:
    assert _facts(line + "\n").stated_unused, line


def test_what_others_might_think_is_not_the_reporter_saying_the_gpu_is_unused() -> None:
    text = "The warning is technically true, but users may think that the GPU isn't being used.\n"
    assert not _facts(text).stated_unused
    # The reporter's own belief is a statement.
    assert _facts("I think that the GPU isn't being used.\n").stated_unused


@pytest.mark.parametrize("text", (
    "This confuses the user into believing the GPU is not working, when it really is.",
    "The log line misleads people to think the GPU is not being used.",
    "nvidia-smi shows 0% so it looks like the GPU is not used, but it actually is (the kernels are short).",
))
def test_a_statement_about_a_misleading_message_is_not_the_gpu_unused(text: str) -> None:
    assert not _facts(text + "\n").stated_unused, text


def test_the_gpu_unused_said_plainly_beside_a_contrast_is_still_read() -> None:
    # A contrast that does not take the statement back leaves it standing.
    assert _facts("The GPU is not being used, but the CPU is at 100%.\n").stated_unused
