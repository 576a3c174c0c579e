"""What downstream programs (apps on a framework) print when their work did not go to the GPU, read from their source.

A line whose code tests only where the model ended up is the framework's "no GPU" answer: whygpu says the GPU went
unused and ranks the causes (never silent, never a cause the line cannot know). A line whose code tests more names that
cause. Each fires in the program's wording and stays quiet on a near miss; lines are written from the programs' source.
"""

from __future__ import annotations

from log_text import codes, report
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- openai-whisper ------------------------------------------------------------------------------------------


def test_whisper_falling_back_from_fp16_says_the_gpu_went_unused_without_naming_a_cause_it_cannot_know() -> None:
    # Ranked as "unused, no line says why" beside a GPU; alone, a CPU run (accnoticed41: explain.cpumode).
    assert _cpu_mode_line("/venv/lib/site-packages/whisper/transcribe.py:114: UserWarning: FP16 is not supported on CPU; "
                          "using FP32 instead\n  warnings.warn(\"FP16 is not supported on CPU; using FP32 instead\")\n")
    # With the platform and the PyTorch version shown, the same ranking as any other "torch has no GPU" answer.
    assert codes("torch 2.1.0\n" + _GPU + "UserWarning: FP16 is not supported on CPU; using FP32 instead\n")[0] == "FRAMEWORK_CPU_BUILD"


def test_whisper_on_the_cpu_while_cuda_is_available_is_the_callers_choice() -> None:
    text = ("UserWarning: Performing inference on CPU when CUDA is available\n"
            "UserWarning: FP16 is not supported on CPU; using FP32 instead\n")
    assert codes(text) == ["CODE_FORCES_CPU"]


def test_whisper_lines_that_do_not_say_the_model_is_on_the_cpu_stay_quiet() -> None:
    # Whisper's own progress and its English-only notice say nothing about the device.
    assert explain_text("Detecting language using up to the first 30 seconds. Use `--language` to specify the language\n"
                        "Detected language: English\n").gpu_used is None
    # Code that silences the warning is not the warning.
    assert report('warnings.filterwarnings("ignore", message="FP16 is not supported on GPU")\n').causes == []


# --- xFormers ------------------------------------------------------------------------------------------------


def test_xformers_naming_a_cpu_torch_as_the_installed_one_is_a_cpu_build() -> None:
    text = ("WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for:\n"
            "    PyTorch 2.0.1+cu118 with CUDA 1108 (you have 2.0.1+cpu)\n"
            "    Python  3.10.11 (you have 3.10.11)\n")
    assert codes(text)[0] == "FRAMEWORK_CPU_BUILD"


def test_xformers_built_for_another_cuda_torch_does_not_say_pytorch_is_a_cpu_build() -> None:
    text = ("WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for:\n"
            "    PyTorch 2.1.0+cu121 with CUDA 1201 (you have 2.1.0+cu118)\n")
    assert "LOG-APP-XFORMERS-CPU-TORCH" not in _ids(text)
    assert "FRAMEWORK_CPU_BUILD" not in codes(text)


# --- lines that say only that the work went to the CPU: the framework's "no GPU" answer ----------------------


def _unused_without_cause(text: str) -> bool:
    """True when whygpu says the GPU went unused and ranks causes through LOG104 alone (no cause it cannot know)."""
    result = explain_text(text)
    return result.gpu_used is False and {f.id for f in result.findings} == {"LOG104"}


# accnoticed41 (session 41): a program that runs on the CPU as a mode of its own (its signature's cpu_mode) answers for torch
# only where the log shows a GPU or a wish for one (explain.cpumode); the tests below give it an issue template's GPU line.
_GPU = "GPU: NVIDIA GeForce RTX 3060\n"


def _cpu_mode_line(text: str) -> bool:
    """True when ``text`` beside a GPU reads as an unused GPU (``_unused_without_cause``) and alone says nothing."""
    alone = explain_text(text)
    return _unused_without_cause(_GPU + text) and alone.findings == [] and alone.gpu_used is None


def test_ultralytics_selecting_the_cpu_is_an_unused_gpu_and_its_cuda_line_is_not() -> None:
    assert _cpu_mode_line("Ultralytics YOLOv8.1.0 \U0001f680 Python-3.11.5 torch-2.1.2 CPU (AMD Ryzen 7 5800X 8-Core Processor)\n")
    assert _cpu_mode_line("YOLOv5 \U0001f680 v7.0-72-g064365d Python-3.10.9 torch-1.13.1 CPU\n")
    gpu = explain_text("Ultralytics YOLOv8.1.0 \U0001f680 Python-3.11.5 torch-2.1.2+cu121 CUDA:0 (NVIDIA GeForce RTX 4090, 24210MiB)\n")
    assert gpu.gpu_used is not False and gpu.findings == []
    # A CPU named elsewhere on an Ultralytics line (the setup summary) is not the device line.
    assert explain_text("Setup complete \u2705 (8 CPUs, 31.3 GB RAM, 120.4/250.0 GB disk)\n").gpu_used is None


def test_sentence_transformers_choosing_the_cpu_by_itself_is_an_unused_gpu() -> None:
    assert _cpu_mode_line("2024-05-01 10:00:00 - Use pytorch device_name: cpu\n")
    assert _cpu_mode_line("Use pytorch device: cpu\n")
    assert explain_text("Use pytorch device_name: cuda\n").gpu_used is not False


def test_lightning_cuda_accelerator_not_available_is_an_unused_gpu_but_mps_is_not_about_cuda() -> None:
    assert _unused_without_cause("MisconfigurationException: `CUDAAccelerator` can not run on your system since the "
                                 "accelerator is not available. The following accelerator(s) is available and can be "
                                 "passed into `accelerator` argument of `Trainer`: ['cpu'].\n")
    assert _unused_without_cause("pytorch_lightning.utilities.exceptions.MisconfigurationException: GPUAccelerator can not "
                                 "run on your system since the accelerator is not available.\n")
    assert explain_text("MisconfigurationException: `MPSAccelerator` can not run on your system since the accelerator "
                        "is not available.\n").gpu_used is None


def test_accelerate_fp16_on_the_cpu_is_an_unused_gpu_but_on_mps_or_xla_it_is_not() -> None:
    assert _unused_without_cause("ValueError: fp16 mixed precision requires a GPU (not 'cpu').\n")
    assert _unused_without_cause("    raise ValueError(\"fp16 mixed precision requires a GPU\")\nValueError: fp16 mixed precision requires a GPU\n")
    for other in ("mps", "xla"):
        assert explain_text(f"ValueError: fp16 mixed precision requires a GPU (not '{other}').\n").gpu_used is None
    # Advice that quotes the error inside a sentence is not the error.
    assert explain_text("note: if ``ValueError: fp16 mixed precision requires a GPU`` is occurred, answer 0\n").gpu_used is None


def test_transformers_quantizer_finding_no_gpu_is_an_unused_gpu() -> None:
    assert _unused_without_cause("RuntimeError: No GPU found. A GPU is needed for quantization.\n")


def test_text_generation_webui_falling_back_to_cpu_mode_is_an_unused_gpu() -> None:
    assert _unused_without_cause("Warning: torch.cuda.is_available() returned False.\nThis means that no GPU has been "
                                 "detected.\nFalling back to CPU mode.\n")
    # Its lines on the GPU path say nothing of the kind.
    assert explain_text("Loading llama-7b...\nLoaded the model in 4.12 seconds.\n").gpu_used is None


def test_invokeai_choosing_the_cpu_device_is_an_unused_gpu() -> None:
    assert _cpu_mode_line(">> GFPGAN Initialized\n>> Using device_type cpu\n")
    assert explain_text(">> Using device_type cuda\n").gpu_used is not False


def test_a_half_precision_kernel_missing_on_the_cpu_means_the_model_ran_on_the_cpu() -> None:
    for op in ("slow_conv2d_cpu", "addmm_impl_cpu_", "addmm_impl_cpu"):
        assert _cpu_mode_line(f"RuntimeError: \"{op}\" not implemented for 'Half'\n")
    # A kernel missing for another dtype, or not a CPU kernel, says nothing about the device.
    assert explain_text("RuntimeError: \"nll_loss_forward_reduce_cuda_kernel_2d_index\" not implemented for 'Int'\n").gpu_used is None


def test_diffusers_moving_a_float16_pipeline_to_the_cpu_is_the_programs_own_move_not_an_answer_that_the_gpu_is_missing() -> None:
    # accfirst (session 22): DiffusionPipeline.to() warns on the caller's own .to("cpu") (programs do it on purpose to free
    # VRAM), so the line alone names no cause; with PyTorch's own answer beside it LOG104 still ranks the causes.
    line = ("Pipelines loaded with `torch_dtype=torch.float16` cannot run with `cpu` device. It is "
            "not recommended to move them to `cpu` as running them will fail.\n")
    alone = explain_text(line)
    assert alone.findings == [] and alone.gpu_used is not False
    assert _unused_without_cause(">>> torch.cuda.is_available()\nFalse\n" + line)
    assert explain_text("Pipelines loaded with `dtype=torch.float16` cannot run with `mps` device.\n").gpu_used is None


def test_an_app_line_beside_a_line_showing_the_gpu_in_use_is_not_read_as_unused() -> None:
    # The same program reaching the GPU elsewhere in the log (PyTorch's own device answer) wins.
    text = ">>> torch.cuda.is_available()\nTrue\nUse pytorch device_name: cpu\n"
    assert explain_text(text).gpu_used is not False


# --- lines whose code tests the cause ---------------------------------------------------------------------------


def test_comfyui_in_cpu_mode_was_started_with_the_cpu_flag() -> None:
    text = "Total VRAM 16384 MB, total RAM 32768 MB\nSet vram state to: DISABLED\nDevice: cpu\n"
    assert codes(text)[0] == "CODE_FORCES_CPU"
    for state in ("NORMAL_VRAM", "LOW_VRAM", "HIGH_VRAM", "SHARED"):
        assert codes(f"Set vram state to: {state}\n") == []


def test_darknet_printing_that_the_gpu_is_not_used_is_a_cpu_build() -> None:
    assert codes(" GPU isn't used \nmini_batch = 1, batch = 1, time_steps = 1, train = 0\n") == ["FRAMEWORK_CPU_BUILD"]
    # The same words in a sentence are the user's, not darknet's line.
    assert "LOG-APP-DARKNET-CPU-BUILD" not in _ids("I noticed the GPU isn't used when training\n")


def test_mxnet_asking_for_a_cuda_build_is_a_cpu_build() -> None:
    line = "  what():  [10:00:00] src/storage/storage.cc:119: Compile with USE_CUDA=1 to enable GPU usage\n"
    assert codes(line) == ["FRAMEWORK_CPU_BUILD"]
    assert codes("[10:00:00] src/engine/engine.cc:55: MXNet start using engine: ThreadedEnginePerDevice\n") == []


def test_an_extension_compiled_without_gpu_support_is_a_cpu_build_of_that_extension() -> None:
    for line in ("RuntimeError: Not compiled with GPU support\n",
                 "RuntimeError: DeformConv is not compiled with GPU support (deform_conv_forward_cuda at mmcv/ops/csrc/deform_conv.cpp:48)\n",
                 "RuntimeError: Not compiled with CUDA support\n",
                 "RuntimeError: nms_impl: implementation for device cuda:0 not found.\n"):
        assert codes(line)[0] == "FRAMEWORK_CPU_BUILD", line
    # llama.cpp's own line about GPU offload, and a user's guess about torch, are not an extension's error.
    assert "LOG-APP-EXT-NOT-COMPILED-GPU" not in _ids("warning: not compiled with GPU offload support, --gpu-layers option will be ignored\n")
    assert "LOG-APP-EXT-NOT-COMPILED-GPU" not in _ids("it seems the pytorch i installed was not compiled with cuda support\n")
    assert "LOG-APP-MMCV-NO-CUDA-IMPL" not in _ids("RuntimeError: nms_impl: implementation for device cpu not found.\n")


def test_an_extension_built_for_another_cuda_than_pytorch_is_a_broken_install() -> None:
    for ext in ("torch_scatter", "torch_sparse", "TorchAudio"):
        line = (f"RuntimeError: Detected that PyTorch and {ext} were compiled with different CUDA versions. PyTorch has "
                f"CUDA version 12.1 and {ext} has CUDA version 11.8. Please reinstall the {ext} that matches your PyTorch install.\n")
        assert codes(line) == ["FRAMEWORK_INSTALL_BROKEN"]
    # A minor-version warning is not raised as this error.
    assert codes("UserWarning: Detected that PyTorch and Extension have a minor version mismatch.\n") == []


def test_building_a_cuda_extension_without_a_toolkit_names_the_missing_toolkit() -> None:
    for line in ("OSError: CUDA_HOME environment variable is not set. Please set it to your CUDA install root.\n",
                 "deepspeed.ops.op_builder.builder.MissingCUDAException: CUDA_HOME does not exist, unable to compile CUDA op(s)\n",
                 "UserWarning: CUDA was not found on the system, please set the CUDA_HOME or the CUDA_PATH environment variable or add NVCC to your system PATH. The extension compilation will fail.\n"):
        assert codes(line)[:2] == ["CUDA_LIBS_MISSING", "CUDA_LIBS_NOT_ON_PATH"], line
    assert codes("export CUDA_HOME=/usr/local/cuda-12.1\n") == []


def test_a_toolkit_of_another_cuda_than_pytorchs_build_is_a_library_mismatch() -> None:
    assert codes("RuntimeError: The detected CUDA version (12.1) mismatches the version that was used to compile\n"
                 "PyTorch (11.8). Please make sure to use the same CUDA versions.\n") == ["CUDA_LIBS_MISMATCH"]
    assert codes(">- DeepSpeed Op Builder: Installed CUDA version 11.8 does not match the version torch was compiled "
                 "with 12.1, unable to compile cuda/cpp extensions without a matching cuda version.\n") == ["CUDA_LIBS_MISMATCH"]
    # DeepSpeed accepting a minor difference is a note, not an error.
    assert codes("Installed CUDA version 12.2 does not match the version torch was compiled with 12.1 but since the "
                 "APIs are compatible, accepting this combination\n") == []


def test_spacy_reaching_no_gpu_leads_with_its_missing_cupy_and_names_the_alternatives() -> None:
    got = codes("ValueError: GPU is not accessible. Was the library installed correctly?\n")
    assert got[0] == "FRAMEWORK_CPU_BUILD"
    assert {"FRAMEWORK_INSTALL_BROKEN", "DRIVER_MISSING"} & set(got)
    assert codes("spacy.prefer_gpu() returned True\n") == []


def test_paddle_cpu_package_asked_for_the_gpu_is_a_cpu_build() -> None:
    for line in ("ValueError: The device should not be 'gpu', since PaddlePaddle is not compiled with CUDA\n",
                 "Cannot use GPU because you have installed CPU version PaddlePaddle.\n"):
        assert codes(line) == ["FRAMEWORK_CPU_BUILD"]
    assert codes("ValueError: The device should not be 'xpu', since PaddlePaddle is not compiled with XPU\n") == []


def test_bitsandbytes_failing_its_cuda_setup_despite_the_gpu_leads_with_the_loader_path() -> None:
    text = ("RuntimeError:\n        CUDA Setup failed despite GPU being available. Please run the following command to get "
            "more information:\n\n        python -m bitsandbytes\n")
    got = codes(text)
    assert got[0] == "CUDA_LIBS_NOT_ON_PATH" and "CUDA_LIBS_MISSING" in got
    # Its own banner and a healthy setup say nothing.
    assert codes("===================================BUG REPORT===================================\n"
                 "CUDA SETUP: Loading binary /venv/lib/python3.10/site-packages/bitsandbytes/libbitsandbytes_cuda118.so...\n") == []


def test_transformers_trainer_refusing_fp16_off_cuda_is_an_unused_gpu() -> None:
    for line in ("ValueError: FP16 Mixed precision training with AMP or APEX (`--fp16`) and FP16 half precision evaluation "
                 "(`--fp16_full_eval`) can only be used on CUDA or MLU devices or NPU devices or certain XPU devices (with IPEX).\n",
                 "ValueError: Mixed precision training with AMP or APEX (`--fp16`) and FP16 evaluation can only be used on CUDA devices.\n"):
        assert _unused_without_cause(line)
    # A help text that says the same of a flag is not the error.
    assert explain_text("  --fp16  Whether to use fp16 (mixed) precision instead of 32-bit\n").gpu_used is None


def test_flash_attention_on_a_gpu_before_ampere_is_an_unsupported_gpu() -> None:
    assert codes("RuntimeError: FlashAttention only supports Ampere GPUs or newer.\n") == ["GPU_NOT_SUPPORTED"]
    # Its dtype check is about the tensors, not the GPU.
    assert codes("RuntimeError: FlashAttention only support fp16 and bf16 data type\n") == []


def test_torch_compile_refusing_an_old_gpu_is_an_unsupported_gpu_unless_it_fell_back_to_eager() -> None:
    line = ("RuntimeError: Found NVIDIA GeForce GTX 1070 which is too old to be supported by the triton GPU compiler, which "
            "is used as the backend. Triton only supports devices of CUDA Capability >= 7.0, but your device is of CUDA capability 6.1\n")
    assert codes(line) == ["GPU_NOT_SUPPORTED"]
    worker = ("(VllmWorkerProcess pid=62) ERROR 12-26 16:20:28 multiproc_worker_utils.py:236] RuntimeError: Found Tesla P100-PCIE-16GB "
              "which is too old to be supported by the triton GPU compiler, which is used as the backend.\n")
    assert codes(worker) == ["GPU_NOT_SUPPORTED"]
    # suppress_errors turns it into a warning and the model runs eagerly on the GPU.
    warned = ("[2024-06-18 23:38:49,504] torch._dynamo.convert_frame: [WARNING] RuntimeError: Found NVIDIA GeForce GTX TITAN X "
              "which is too old to be supported by the triton GPU compiler, which is used as the backend.\n")
    assert "LOG-APP-INDUCTOR-GPU-TOO-OLD" not in _ids(warned)


def test_xformers_without_cuda_kernels_is_a_broken_xformers_install() -> None:
    text = ("NotImplementedError: No operator found for `memory_efficient_attention_forward` with inputs:\n"
            "`cutlassF` is not supported because:\n    xFormers wasn't build with CUDA support\n")
    got = codes(text)
    assert got[0] == "FRAMEWORK_INSTALL_BROKEN" and "FRAMEWORK_CPU_BUILD" in got
    # An operator refused only for its dtype says nothing about the build.
    assert codes("`flshattF` is not supported because:\n    dtype=torch.float32 (supported: {torch.bfloat16, torch.float16})\n") == []


def test_the_same_programs_choosing_the_gpu_show_it_in_use() -> None:
    for line in ("Use pytorch device_name: cuda\n", ">> Using device_type cuda\n"):
        assert explain_text(line).gpu_used is True, line


def test_an_ultralytics_cuda_line_of_an_older_run_does_not_hide_the_cpu_run_beside_it() -> None:
    both = ("Ultralytics YOLOv8.0.53 Python-3.9.1 torch-1.8.1 CUDA:0 (NVIDIA GeForce RTX 3070, 8192MiB)\n"
            "Ultralytics YOLOv8.0.54 Python-3.10.6 torch-2.0.0 CPU (Intel Core i7-9700K)\n")
    assert explain_text(both).gpu_used is False
