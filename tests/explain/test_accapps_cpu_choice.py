"""The application's own choice of the CPU (session 22, branch accapps): LOG280 (CODE_FORCES_CPU) and LOG281 (the
llama.cpp family's CPU library loaded although CUDA was asked for, FRAMEWORK_CPU_BUILD).

Every line is written here from the class (other programs' and writers' phrasing of the same fact); none is copied from
a corpus case. Each reading has cases where it fires and cases where it stays quiet: a question, a condition, the
fallback idiom, advice, a commented-out line, a run the writer says is on the CPU on purpose.
"""

from __future__ import annotations

from log_text import codes as _codes
from whygpu.explain import appcpu, explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- llama.cpp family: offload setting --------------------------------------------------------------------------------


def test_llama_family_command_lines_with_no_gpu_layers_read_as_the_program_choosing_the_cpu() -> None:
    for text in (
        "$ ./llama-cli -m models/mistral-7b.Q4_K_M.gguf -ngl 0 -p 'hello'\nllama_model_loader: loaded meta data\nthe GPU sits idle\n",
        "./llama-server --model phi3.gguf --n-gpu-layers 0 --port 8080\nprompt eval is very slow\n",
        "C:\\llm> koboldcpp.exe --usecublas normal 0 --gpulayers 0 --model mythomax.gguf\nit only uses the cpu\n",
        "python3 koboldcpp.py --model tiefighter.gguf --usecublas\ngeneration is slow, the card is not used\n",
        "llm = Llama(model_path='./zephyr.gguf', n_gpu_layers=0, n_ctx=4096)\nno VRAM is used\n",
    ):
        assert "LOG280" in _ids(text), text
        assert _codes(text)[0] == "CODE_FORCES_CPU", text


def test_llama_family_offload_stays_quiet_with_layers_asked_advice_or_auto_layers() -> None:
    for text in (
        "$ ./llama-cli -m models/mistral-7b.Q4_K_M.gguf -ngl 35 -p 'hello'\n",
        "./llama-server --model phi3.gguf --n-gpu-layers 99\n",
        "python3 koboldcpp.py --model tiefighter.gguf --usecublas --gpulayers 43\n",
        "Should I pass -ngl 0 to keep it on the CPU?\n",  # a question, not a command line
        "If you have no GPU, use --n-gpu-layers 0 so that everything stays on the CPU.\n",  # advice in a sentence
        "# llm = Llama(model_path='./zephyr.gguf', n_gpu_layers=0)\nllm = Llama(model_path='./zephyr.gguf', n_gpu_layers=-1)\n",
        "python3 koboldcpp.py --model tiefighter.gguf --usecublas\nAuto Recommended GPU Layers: 33\n",
        "./llama-cli -m model.gguf -ngl 0\nI run it on the CPU on purpose to compare speeds.\n",
    ):
        assert "LOG280" not in _ids(text), text


# --- llama.cpp family: the backend library loaded ---------------------------------------------------------------------


def test_koboldcpp_cpu_library_loaded_while_cuda_was_asked_reads_as_the_cpu_build() -> None:
    for text in (
        "python koboldcpp.py --usecublas lowvram --gpulayers 20 --model x.gguf\nInitializing dynamic library: koboldcpp_default.so\n",
        "koboldcpp.exe --noavx2 --usecublas --gpulayers 10\nAttempting to use non-avx2 compatibility library.\nInitializing dynamic library: koboldcpp_noavx2.dll\n",
        "Namespace(model='m.gguf', usecublas=['normal', '0'], gpulayers=30)\nInitializing dynamic library: koboldcpp_failsafe.dll\n",
    ):
        assert "LOG281" in _ids(text), text
        assert _codes(text)[0] == "FRAMEWORK_CPU_BUILD", text


def test_koboldcpp_library_line_stays_quiet_for_the_cuda_library_or_no_cuda_asked() -> None:
    for text in (
        "python koboldcpp.py --usecublas normal --gpulayers 99 --model x.gguf\nInitializing dynamic library: koboldcpp_cublas.so\n",
        "python koboldcpp.py --model x.gguf\nInitializing dynamic library: koboldcpp_openblas.so\n",  # a CPU run, nothing asked
        "koboldcpp.exe --useclblast 0 0 --gpulayers 20\nInitializing dynamic library: koboldcpp_clblast.dll\n",
        "Namespace(model='m.gguf', usecublas=None, gpulayers=0)\nInitializing dynamic library: koboldcpp_default.dll\n",
    ):
        assert "LOG281" not in _ids(text), text


# --- platform set to the CPU by a call -------------------------------------------------------------------------------


def test_calls_that_set_the_platform_to_the_cpu_read_as_code_forcing_the_cpu() -> None:
    for text in (
        "import jax\njax.config.update('jax_platform_name', 'cpu')\nprint(jax.devices())\n[CpuDevice(id=0)]\n",
        'from jax import config\nconfig.update("jax_platform_name", "cpu")\ntraining is as slow as before\n',
        "import numpyro\nnumpyro.set_platform('cpu')\nmcmc.run(rng_key) takes an hour although I have an A100\n",
        'numpyro.set_platform(platform="cpu")\nnumpyro.set_host_device_count(4)\n',
    ):
        assert "LOG280" in _ids(text), text
        assert _codes(text)[0] == "CODE_FORCES_CPU", text


def test_platform_calls_stay_quiet_commented_conditional_or_deliberate() -> None:
    for text in (
        "# jax.config.update('jax_platform_name', 'cpu')\nprint(jax.devices())\n",
        "if not gpu_ok: jax.config.update('jax_platform_name', 'cpu')\n",
        "numpyro.set_platform('gpu')\n",
        "numpyro.set_platform('cpu')  \nThe tests run on the CPU on purpose so that CI needs no GPU.\n",
    ):
        assert "LOG280" not in _ids(text), text


# --- a library whose documented default device is the CPU -------------------------------------------------------------


def test_ctranslate2_without_a_device_reads_as_the_cpu_default_when_the_gpu_is_available_or_the_run_is_on_cpu() -> None:
    for text in (
        'translator = ctranslate2.Translator("ende_ctranslate2/")\nThe translation runs on CPU only, nvidia-smi shows nothing.\n',
        "gen = ctranslate2.Generator(model_dir, compute_type='int8_float16')\n>>> torch.cuda.is_available()\nTrue\nbut generation uses the cpu\n",
    ):
        assert "LOG280" in _ids(text), text
        assert _codes(text)[0] == "CODE_FORCES_CPU", text


def test_ctranslate2_stays_quiet_with_a_device_or_with_nothing_said_of_the_run() -> None:
    for text in (
        'translator = ctranslate2.Translator("ende_ctranslate2/", device="cuda")\nThe translation runs on CPU only.\n',
        "gen = ctranslate2.Generator(model_dir, 'cuda')\nit uses the cpu\n",
        'translator = ctranslate2.Translator("ende_ctranslate2/")\nresults look fine\n',  # nothing says where it ran
        "device = 'cuda' if torch.cuda.is_available() else 'cpu'\ngen = ctranslate2.Generator(model_dir, device=device)\n",
    ):
        assert "LOG280" not in _ids(text), text


# --- the writer's diagnosis ------------------------------------------------------------------------------------------


def test_the_writers_diagnosis_that_the_platform_is_set_to_cpu_reads_as_code_forcing_the_cpu() -> None:
    for text in (
        "After importing the library the platform is set to 'cpu' by default, so my model never touches the GPU.\n",
        "I found that the default device was silently switched to cpu by the wrapper.\n",
        "Turns out the backend defaults to `cpu` in this package.\n",
    ):
        assert "LOG280" in _ids(text), text


def test_the_platform_words_stay_quiet_asked_supposed_or_advised() -> None:
    for text in (
        "Is the platform set to cpu by default?\n",
        "If the device is set to cpu, training will be slow.\n",
        "Make sure the platform is not set to cpu.\n",
        "device = 'cuda' if torch.cuda.is_available() else 'cpu'  # the device is set to cpu when there is no GPU\n",
    ):
        assert "LOG280" not in _ids(text), text


def test_the_fallback_idiom_is_never_the_programs_choice() -> None:
    line = "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')"
    assert list(appcpu.platform_calls([line])) == []
    assert list(appcpu.set_to_cpu_stated([line])) == []
    assert "LOG280" not in _ids(line + "\nmodel.to(device)\n")


def test_a_platform_call_under_the_writers_label_of_a_cpu_run_stays_quiet() -> None:
    for text in (
        "On the GPU the loss diverges.\nTo compare, on the CPU:\n```\nimport jax\njax.config.update('jax_platform_name', 'cpu')\n```\nthe loss converges.\n",
        "import jax\n# force the reference run onto cpu\njax.config.update('jax_platform_name', 'cpu')\n",
    ):
        assert "LOG280" not in _ids(text), text


def test_a_platform_pin_named_as_the_workaround_that_got_the_work_done_stays_quiet() -> None:
    # The writer moved a slow GPU run to the CPU and says the pin got it done: the GPU ran, the pin is their workaround.
    workaround = (
        "The sampling step times out after an hour on the A10 node.\n"
        "Switching with `numpyro.set_platform('cpu')` made the whole notebook finish in nine minutes.\n"
    )
    assert "CODE_FORCES_CPU" not in _codes(workaround)
    assert list(appcpu.platform_calls(["Putting jax.config.update('jax_platform_name', 'cpu') first fixes the hang for us."])) == []
    # The pin's removal named as the fix makes the pin the cause; and a pin in the program's code stays read.
    removed = "GPU sits at 0% during training.\nDeleting `jax.config.update('jax_platform_name', 'cpu')` from train.py fixed it.\n"
    assert list(appcpu.platform_calls(removed.splitlines())) != []
    assert list(appcpu.platform_calls(["jax.config.update('jax_platform_name', 'cpu')"])) != []
