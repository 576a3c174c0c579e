"""accvoice41 (session 41): consumer voice/face programs' packaged NVIDIA releases, and CTranslate2's float16 refusal in code
that hands it the device PyTorch chose."""

from __future__ import annotations

import json
from pathlib import Path

from whygpu.explain.logfacts import FactReader
from whygpu.knowledge.cuda_build import packaged_build
from whygpu.knowledge.programs import torch_device_frame


def _facts(text: str):
    reader = FactReader()
    reader.read_text("log", text)
    return reader.facts


def _causes(text: str) -> list[str]:
    from whygpu.explain import explain_text, to_report

    return [c.code for c in to_report(explain_text(text)).causes]


# --- packaged releases (knowledge/cuda_build.toml [[packaged_build]]) ---------------------------------------------------

def test_packaged_build_names_the_nvidia_archives_only() -> None:
    # Names as the download pages write them (w-okada/voice-changer discussions/1478, RVC's release updated1006v2,
    # GPT-SoVITS's releases).
    assert packaged_build("MMVCServerSIO_win_onnxgpu-cuda_v.1.5.3.18a.zip") is not None
    assert packaged_build("vcclient_win_cuda_2.0.76-beta.zip") is not None
    assert packaged_build("https://huggingface.co/lj1995/VoiceConversionWebUI/resolve/main/RVC1006Nvidia.7z") is not None
    assert packaged_build("GPT-SoVITS-v2pro-20250604-nvidia50.7z") is not None
    # The archives for AMD/Intel, no GPU or the Mac are not CUDA builds, whatever "-cuda" their names carry.
    assert packaged_build("MMVCServerSIO_win_onnxdirectML-cuda_v.1.5.3.18a.zip") is None
    assert packaged_build("MMVCServerSIO_mac_onnxcpu-nocuda_v.1.5.3.17b.zip") is None
    assert packaged_build("RVC1006AMD_Intel.7z") is None
    assert packaged_build("GPT-SoVITS-v2pro-20250604.7z") is None


# A report in voice-changer's issue template: https://github.com/w-okada/voice-changer/issues/479 (corpus holdout109; the
# driver update fixed it).
_CASE = Path(__file__).parent / "corpus" / "holdout109" / "gh-w-okada-voice-changer-479.json"
_NVIDIA = "MMVCServerSIO_win_onnxgpu-cuda_v.1.5.3.9a"


def _report() -> str:
    text = str(json.loads(_CASE.read_text(encoding="utf-8"))["log"])
    assert _NVIDIA in text
    return text


def test_nvidia_archive_makes_cpu_build_unlikely() -> None:
    assert [s.value for s in _facts(_report()).packaged_cuda_build] == ["MMVCServerSIO_win_onnxgpu-cuda"]
    causes = _causes(_report())
    assert causes[0] == "DRIVER_TOO_OLD"
    assert causes.index("FRAMEWORK_CPU_BUILD") > 0


def test_directml_archive_or_a_question_reads_nothing() -> None:
    # The same report naming the archive for AMD GPUs or no GPU (DirectML): no CUDA build is suggested.
    directml = _report().replace(_NVIDIA, "MMVCServerSIO_win_onnxdirectML-cuda_v.1.5.3.9a")
    assert not _facts(directml).packaged_cuda_build
    assert _causes(directml)[0] == "FRAMEWORK_CPU_BUILD"
    asked = "Should I download MMVCServerSIO_win_onnxgpu-cuda_v.1.5.3.18a.zip or the other one?"
    assert not _facts(asked).packaged_cuda_build


# --- CTranslate2's float16 refusal where PyTorch chose the device (knowledge/programs.toml [[torch_device]]) -------------

# The traceback's form is that of Coqui TTS's XTTS fine-tuning formatter (TTS/demos/xtts_ft_demo/utils/formatter.py,
# `device = "cuda" if torch.cuda.is_available() else "cpu"`), as carried by xtts-webui (daswer123/xtts-webui issue 7).
_REFUSED = """GPU: Nvidia {gpu}.
Traceback (most recent call last):
  File "C:\\xtts-webui\\scripts\\utils\\formatter.py", line 77, in format_audio_list
    asr_model = WhisperModel(whisper_model, device=device, compute_type="float16")
  File "C:\\xtts-webui\\venv\\lib\\site-packages\\faster_whisper\\transcribe.py", line 130, in __init__
    self.model = ctranslate2.models.Whisper(
ValueError: Requested float16 compute type, but the target device or backend do not support efficient float16 computation.
"""


def test_frame_of_code_that_hands_over_torchs_device() -> None:
    assert torch_device_frame('  File "C:\\x\\formatter.py", line 77, in format_audio_list') is not None
    assert torch_device_frame("asr_model = WhisperModel(whisper_model, device=device)") is None


def test_refusal_on_a_float16_gpu_is_torchs_answer_false() -> None:
    facts = _facts(_REFUSED.format(gpu="RTX 3060 (12GB)"))
    assert [s.value for s in facts.gpu_answer.get("torch", [])] == [False]
    assert _causes(_REFUSED.format(gpu="RTX 3060 (12GB)"))[0] == "FRAMEWORK_CPU_BUILD"


def test_refusal_on_a_gpu_below_the_floor_stays_the_gpus() -> None:
    # Pascal GeForce (6.1) has no efficient float16 in CTranslate2 (src/cuda/utils.cc): LOG316's reading, not PyTorch's answer.
    facts = _facts(_REFUSED.format(gpu="GTX 1070"))
    assert not facts.gpu_answer.get("torch")
    assert _causes(_REFUSED.format(gpu="GTX 1070"))[0] == "GPU_NOT_SUPPORTED"


def test_refusal_without_the_frame_or_without_a_gpu_reads_no_answer() -> None:
    bare = "My GPU is an RTX 3060.\nValueError: Requested float16 compute type, but the target device or backend do not support efficient float16 computation.\n"
    assert not _facts(bare).gpu_answer.get("torch")
    no_gpu = _REFUSED.replace("GPU: Nvidia {gpu}.\n", "")
    assert not _facts(no_gpu).gpu_answer.get("torch")


def test_other_failures_in_the_same_frame_read_no_answer() -> None:
    # A CUDA library missing while format_audio_list transcribes (daswer123/xtts-webui issue 4): the device was the GPU.
    text = ('GPU: Nvidia RTX 3060.\n  File "C:\\xtts-webui\\scripts\\utils\\formatter.py", line 111, in format_audio_list\n'
            "    segments = list(segments)\nRuntimeError: Library cublas64_11.dll is not found or cannot be loaded\n")
    assert not _facts(text).gpu_answer.get("torch")


def test_whisperx_command_line_hands_over_torchs_device_unless_given() -> None:
    # whisperx/__main__.py: --device defaults to "cuda" if torch.cuda.is_available() else "cpu".
    frame = '  File "C:\\venv\\Lib\\site-packages\\whisperx\\__main__.py", line 90, in cli'
    refusal = "ValueError: Requested float16 compute type, but the target device or backend do not support efficient float16 computation."
    text = f"RTX 4070 here.\n> whisperx audio.mp3 --compute_type float16\nTraceback (most recent call last):\n{frame}\n{refusal}\n"
    assert [s.value for s in _facts(text).gpu_answer.get("torch", [])] == [False]
    chosen = text.replace("--compute_type float16", "--compute_type float16 --device cpu")
    assert not _facts(chosen).gpu_answer.get("torch")


def test_refusal_on_a_mac_is_no_gpu() -> None:
    # The form of whisperX issue 229: macOS, `whisperx inputfile.wav`, CTranslate2's refusal (its macOS build has no CUDA).
    refusal = "ValueError: Requested float16 compute type, but the target device or backend do not support efficient float16 computation."
    mac = f"I am testing WhisperX 3.1.0 with macOS 12.5.1 and Python 3.10.11\n`whisperx inputfile.wav`\n{refusal}\n"
    assert _causes(mac)[:1] == ["NO_GPU"]
    assert "NO_GPU" not in _causes(mac.replace("macOS 12.5.1", "Windows 11"))


# --- voice-changer's start-up line (knowledge/device_lines.toml voice-changer-gpu-num-zero) -----------------------------

def test_gpu_num_zero_is_torch_counting_no_device() -> None:
    # server/voice_changer/VoiceChangerManager.py prints torch.cuda.device_count() as GPU_NUM (the form quoted in
    # w-okada/voice-changer issue 388's answer).
    zero = "GPU: RTX 2070 SUPER\nVoiceChanger Initialized (GPU_NUM:0, mps_enabled:False)\n"
    assert _causes(zero)[0] == "FRAMEWORK_CPU_BUILD"
    # A GPU counted, or a Mac running on MPS, says nothing.
    assert not _causes(zero.replace("GPU_NUM:0", "GPU_NUM:1"))
    assert not _causes("VoiceChangerV2 Initialized (GPU_NUM(cuda):0, mps_enabled:True, onnx_device:CPU)\n")


def test_gpu_num_zero_in_the_nvidia_archive_points_at_the_driver() -> None:
    text = ("vc client version number: MMVCServerSIO_win_onnxgpu-cuda_v.1.5.3.9a\nGPU: GTX 1050 (Laptop)\n"
            "VoiceChanger Initialized (GPU_NUM:0, mps_enabled:False)\n")
    causes = _causes(text)
    assert "FRAMEWORK_CPU_BUILD" not in causes[:1] and "DRIVER_TOO_OLD" in causes
    # The same start-up line without the NVIDIA archive named: PyTorch's "no GPU", the CPU-only build first.
    assert _causes(text.replace("MMVCServerSIO_win_onnxgpu-cuda_v.1.5.3.9a", "1.5.3.9a"))[0] == "FRAMEWORK_CPU_BUILD"
