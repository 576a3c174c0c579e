"""Who chose the CPU, and where (session 35, acccode): explain.cpuchoice's fact, knowledge.cpu_choice.verdict, LOG610 and
the quiet kept where the CPU is the writer's own goal."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause
from whygpu.knowledge.cpu_choice import (
    CODE,
    SAID,
    CpuChoice,
    choice_said,
    choice_shown,
    cpu_wanted,
    verdict,
)

# https://github.com/zhijian-yang/SurrealGAN/issues/8
SURREALGAN = (
    "@zhijian-yang Sorry to bother you. While running the example code, I noticed the GPU wasn't utilized. Upon reviewing the "
    "code, I found that it defaults to running on the CPU. Is that correct?"
)
# https://github.com/idreesshaikh/Autonomous-Driving-in-Carla-using-Deep-Reinforcement-Learning/issues/7
CARLA = (
    "Why can't agents train using gpu?\n\nI see the torch. device ('cpu ') in your code. I tried to modify it to torch. device "
    "('cuda: 0'), but it doesn't seem to work. \nmy torch.cuda.is_available() returns true."
)
# https://github.com/natashaklingenbrunn/Transformer-Time-Series-Forecasting/issues/9
HARDCODED = "I set device to cuda and default also to cuda but it runs on cpu. Further inspection shows .cpu() hardcoded across the scrips."
# https://github.com/shirayu/whispering/issues/76
WHISPERING = (
    "Got error :\ntranscriber._set_dtype:35 WARNING -> FP16 is not supported on CPU; using FP32 instead\n\nwhen running :\n"
    "whispering --language fr --model tiny --device cpu\n\nWould be interesting to add argument --fp16 \nto make it work on cpu."
)
# https://github.com/jax-ml/jax/issues/7468
JAX_MEMORY = (
    "I've noticed that jax uses a small amount (137 MiB) of GPU memory, even when the platform is set to `cpu`. \n\n```python\n"
    "import jax\njax.config.update(\"jax_platform_name\", \"cpu\")\n\njax.numpy.zeros(100_000) + 1   # uses 137 MiB on every GPU\n```"
)
# https://github.com/google/flax/pull/472
FLAX = (
    "This change hides GPUs from TensorFlow to avoid it from grabbing GPU\nmemory (see issue #445).\n[...]\nimport tensorflow as tf\n"
    "+tf.config.experimental.set_visible_devices([], \"GPU\")"
)
# https://github.com/microsoft/onnxruntime/issues/1942
ORT = (
    "I inference my model in onnxruntime on a cpu + gpu device, I hope it only use cpu for inference to test the performance, "
    "but it always use gpu automaticly. How can I use only cpu."
)


def test_writer_says_the_code_defaults_to_cpu() -> None:
    assert [s.value.form for s in facts(SURREALGAN).cpu_choice] == ["code-defaults-to-cpu"]
    assert first_cause(SURREALGAN) == "CODE_FORCES_CPU"
    assert "LOG610" in finding_codes(SURREALGAN)


def test_asked_whether_the_code_defaults_to_cpu_is_not_said() -> None:
    asked = "Does this code default to running on the CPU?"
    assert not facts(asked).cpu_choice
    assert "LOG610" not in finding_codes(asked)


def test_cpu_device_named_in_the_code_with_the_gpu_found() -> None:
    assert first_cause(CARLA) == "CODE_FORCES_CPU"
    assert "LOG610" in finding_codes(CARLA)


def test_hard_coded_cpu_call() -> None:
    assert first_cause(HARDCODED) == "CODE_FORCES_CPU"


def test_unconditional_device_line_beside_available_true() -> None:
    text = "print(torch.cuda.is_available())\nTrue\ndevice = torch.device('cpu')\nmodel = Net().to(device)\nthe GPU is not used at all"
    assert [s.value.where for s in facts(text).cpu_choice] == [CODE]
    assert "LOG610" in finding_codes(text)


def test_fallback_idiom_and_branch_are_not_a_choice() -> None:
    text = "if torch.cuda.is_available():\n    device = 'cuda'\nelse:\n    device = 'cpu'\nprint(torch.cuda.is_available())\nTrue\nthe GPU is not used"
    assert not [s for s in facts(text).cpu_choice if s.value.where == CODE]
    one_line = "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')"
    assert choice_shown(one_line) is None
    assert "LOG610" not in finding_codes(text)


def test_unconditional_device_line_without_the_gpu_found_decides_nothing() -> None:
    text = "device = torch.device('cpu')\nthe GPU is not used"
    assert "LOG610" not in finding_codes(text)


def test_map_location_cpu_is_not_a_choice() -> None:
    assert choice_shown("state = torch.load(path, map_location='cpu')") is None
    assert choice_shown("checkpoint = torch.load('model.pt', map_location=torch.device('cpu'))") is None


def test_cpu_chosen_on_purpose_keeps_every_reading_quiet() -> None:
    assert codes(WHISPERING) == []
    assert codes(JAX_MEMORY) == []
    assert codes(FLAX) == []
    assert codes(ORT) == []


def test_without_the_wish_the_setting_still_speaks() -> None:
    # The same command line without the writer's wish for the CPU: the documented setting pins it (LOG400).
    text = "whispering --language fr --model tiny --device cpu\nit only runs on the CPU, the GPU is not used"
    assert first_cause(text) == "CODE_FORCES_CPU"


def test_wish_for_the_gpu_is_not_a_wish_for_the_cpu() -> None:
    for text in ("How do I use the GPU instead of the CPU?", "how can I run it on gpu rather than on cpu?",
                 "I want to train on the GPU, not on the CPU"):
        assert cpu_wanted(text) is None, text


def test_wished_forms() -> None:
    assert cpu_wanted("How can I use only cpu.") is not None
    assert cpu_wanted("so I want to use CPU on there machines.") is not None
    assert cpu_wanted("the GPU memory is used while the device is changed to 'cpu' in inference.py.") is not None
    # https://github.com/BrikerMan/Kashgari/issues/65
    assert cpu_wanted("Predict时不用GPU，怎么设置？") is not None


def test_said_forms() -> None:
    found = choice_said("Yes, the code is based on CPU")
    assert found is not None and found[0].form == "code-written-for-cpu"
    assert choice_said("my code runs on the CPU") is None
    assert choice_said("the GPU is not used by the code") is None


def test_verdict_decides_in_one_place() -> None:
    wanted = CpuChoice(form="want-cpu", where=SAID, owner="writer", wanted=True)
    said = CpuChoice(form="code-defaults-to-cpu", where=SAID, owner="program", wanted=False)
    shown = CpuChoice(form="torch-device-cpu-assigned", where=CODE, owner="program", wanted=False)
    assert verdict([said, wanted], gpu_found=True, gpu_in_use=False).decision == "quiet"
    assert verdict([said], gpu_found=False, gpu_in_use=False).decision == "cause"
    assert verdict([said], gpu_found=False, gpu_in_use=True).decision == "none"
    assert verdict([shown], gpu_found=True, gpu_in_use=False).decision == "cause"
    assert verdict([shown], gpu_found=False, gpu_in_use=False).decision == "none"
    assert verdict([], gpu_found=True, gpu_in_use=False).decision == "none"


# https://github.com/sktime/pytorch-forecasting/issues/541
FORECASTING = (
    "In tft tutorial tft predict is called on TemporalFusionTransformer. For the object returned by method from_dataset, the "
    "device attributes are default to \"cpu\". If I call predict method on it, the computation will be performed on CPU instead of GPU."
)
# https://github.com/ObscureAintSecure/TalkTrack/issues/50
TALKTRACK = "## Problem\n\n`app/transcription/diarizer.py` loads the pyannote pipeline but never moves it to a GPU:\n"


def test_library_object_defaults_to_cpu_and_pipeline_never_moved() -> None:
    assert first_cause(FORECASTING) == "CODE_FORCES_CPU"
    assert first_cause(TALKTRACK) == "CODE_FORCES_CPU"
    assert "LOG610" in finding_codes(TALKTRACK)


def test_never_moved_asked_or_other_object_is_not_said() -> None:
    assert choice_said("does it load the pipeline but never move it to a GPU?") is None or "LOG610" not in finding_codes(
        "does it load the pipeline but never move it to a GPU?")
    assert choice_said("I never moved to a GPU machine") is None


# https://github.com/aschampion/diluvian/issues/11
DILUVIAN = (
    "However, \"diluvian fill\" would always end up running on the CPU because CUDA_VISIBLE_DEVICES was being overwritten and the "
    "470 isn't suitable."
)
# https://github.com/manishsoni1908/Mobilenet-ssd-keras/issues/10
MOBILENET = (
    "If I run python and import tensorflow, it sees my gpu fine. But when I run training or inferencing with this code, it does not:\n"
    "2020-01-19 11:16:48.866550: E tensorflow/stream_executor/cuda/cuda_driver.cc:318] failed call to cuInit: CUDA_ERROR_NO_DEVICE: "
    "no CUDA-capable device is detected"
)


def test_program_overwrites_visible_devices() -> None:
    assert first_cause(DILUVIAN) == "CODE_FORCES_CPU"
    # Overwritten to pick another GPU, with no CPU run: not this reading.
    assert "LOG610" not in finding_codes("CUDA_VISIBLE_DEVICES was overwritten by my launcher so it picks GPU 1 instead of GPU 0")


def test_framework_sees_the_gpu_but_not_this_program() -> None:
    assert first_cause(MOBILENET) == "CODE_FORCES_CPU"
    # Without the contrast the cuInit error keeps its own reading.
    alone = MOBILENET.split("\n", 1)[1]
    assert first_cause(alone) != "CODE_FORCES_CPU"
    assert choice_said("it sees my gpu fine, and with this code it works too") is None
