"""accdevid (session 35): a program that refuses a GPU another layer sees (explain.devlayers' DeviceLayer fact,
knowledge.device_refusals' refusal_cause, LOG605-LOG607). Real lines carry their public source."""

from __future__ import annotations

import pytest

from log_text import facts, finding_codes, first_cause
from whygpu.knowledge.device_refusals import refusal_cause, refusals

# https://github.com/microsoft/CNTK/issues/1235
CNTK_SMI_SAID = (
    "I have deployed a DSVM (NC6 with GPU) on Azure with Deep Learning Toolkit installed - so it should be all set with cntk-py34 "
    "enviroments. The gpu (Tesla K80) looks ok, when checking with nvidia-smi.exe. I'm getting this in Python indeed:\n"
    "RuntimeError: Specified GPU device id (0) is invalid.\n"
)
CNTK_REFUSAL = "ValueError: Specified GPU device id (0) is invalid.\n"  # https://github.com/microsoft/CNTK/issues/3278
# https://github.com/microsoft/CNTK/issues/2460
CNTK_OLD_GPU = (
    'C:\\>python -c "import cntk; cntk.logging.set_trace_level(2); cntk.all_devices()"\n'
    '                Device[0]: cores = 448; computeCapability = 2.0; type = "Tesla S2050"; total memory = 2637MB; free memory = 2637 MB\n'
    '                Device[1]: cores = 448; computeCapability = 2.0; type = "Tesla S2050"; total memory = 2637MB; free memory = 2637 MB\n'
    "ValueError: Specified GPU device id (0) is invalid.\n"
)
# https://github.com/microsoft/CNTK/issues/1835 (the build banner says GPU; the nvidia-smi row shortened)
CNTK_GPU_BUILD = (
    "\t\tBuild target: GPU\n"
    "| NVIDIA-SMI 375.39                 Driver Version: 375.39                    |\n"
    "|   0  GeForce GTX 1080    Off  | 0000:01:00.0      On |                  N/A |\n"
    "ValueError: Specified GPU device id (0) is invalid.\n"
)
# https://github.com/funakoshi2718/funakoshi-miner/issues/6
MINER = (
    "it could not be run, and appeared the error \"CUDA error 'invalid device ordinal' at line 61\"\n"
    "I have one GPU, and I tried different command lines, such as \"funakoshiMiner.exe -l eu1-zcash.flypool.org:3333 -u "
    "tMyWalletAddress.rig1 -p x -f log.txt -cd 0 1 2\", but always was not able to run.\n"
)
# https://github.com/google/automl/issues/111
TF_RANGE = "InvalidArgumentError: Invalid device ordinal value (1). Valid range is [0, 0]. while setting up XLA_GPU_JIT device number 1\n"
# https://github.com/JeanLucPons/VanitySearch/issues/59
VANITY = "with cuda 11 version i get this error with rtx 2070 : GPUEngine: invalid device ordinal\n"
# https://github.com/tensorflow/tensorflow/issues/32793 (two GPUs listed, no number asked)
SMI_TWO = (
    "|   0  GeForce GTX 760     On   | 00000000:01:00.0 N/A |                  N/A |\n"
    "|   1  GeForce RTX 207...  On   | 00000000:02:00.0 Off |                  N/A |\n"
    "cudaCheckError() failed : invalid device ordinal\n"
)


def test_layer_facts_name_the_program_and_what_it_shows() -> None:
    layers = [s.value for s in facts(CNTK_SMI_SAID).device_layer]
    assert [(d.layer, d.program, d.sees) for d in layers] == [("writer", "nvidia-smi", True), ("refusal", "cntk", False)]
    assert layers[1].index == 0 and layers[1].refusal == "cntk-device-id"
    tf = facts(TF_RANGE).device_layer[0].value
    assert (tf.program, tf.index, tf.count) == ("tensorflow", 1, 1)
    listed = [s.value for s in facts(CNTK_OLD_GPU).device_layer if s.value.sees]
    assert [(d.program, d.count, d.capability) for d in listed] == [("cntk", 1, "2.0"), ("cntk", 2, "2.0")]
    rows = [s.value for s in facts(SMI_TWO).device_layer if s.value.layer == "nvidia-smi"]
    assert max(d.count for d in rows) == 2


def test_writer_count_and_the_number_asked() -> None:
    fa = facts(MINER)
    assert [s.value.count for s in fa.device_layer if s.value.layer == "writer"] == [1]
    assert [s.value for s in fa.device_asked] == ["2"]
    assert [s.value for s in facts("torchrun --nproc_per_node=8 train.py\n").device_asked] == ["7"]
    assert not [s for s in facts("Should I buy only one GPU or two?\n").device_layer if s.value.layer == "writer"]
    assert [s.value.count for s in facts("The server has 8 GPUs.\n").device_layer] == [8]
    assert not facts("I have a 4 GB GPU.\n").device_layer


def test_an_ordinal_refused_on_a_one_gpu_machine_is_a_number_it_lacks() -> None:
    assert first_cause(MINER) == "GPU_HIDDEN"
    assert "LOG605" in finding_codes(MINER)
    assert "LOG605" in finding_codes(TF_RANGE)


def test_a_refusal_without_the_count_stays_with_the_existing_readings() -> None:
    assert first_cause(VANITY) is None
    assert "LOG605" not in finding_codes(SMI_TWO)  # several GPUs shown, no number asked


def test_a_number_past_a_shown_count_of_several_gpus() -> None:
    text = SMI_TWO + "python train.py --device_id 3\n"
    assert "LOG605" in finding_codes(text)
    assert "LOG605" not in finding_codes(SMI_TWO + "python train.py --device_id 1\n")


def test_cntk_refusing_a_gpu_nvidia_smi_sees_is_a_cpu_build() -> None:
    assert first_cause(CNTK_SMI_SAID) == "FRAMEWORK_CPU_BUILD"
    assert "LOG606" in finding_codes(CNTK_SMI_SAID)


@pytest.mark.parametrize("text", [
    CNTK_REFUSAL,  # nothing shows the GPU seen elsewhere
    CNTK_GPU_BUILD,  # a GPU build of CNTK
    CNTK_SMI_SAID.replace("looks ok, when checking with nvidia-smi.exe", "is not shown by nvidia-smi"),
])
def test_cntk_refusal_quiet(text: str) -> None:
    assert not {"LOG606", "LOG607"} & finding_codes(text)


def test_cntk_refusing_a_gpu_below_its_floor() -> None:
    assert first_cause(CNTK_OLD_GPU) == "GPU_NOT_SUPPORTED"
    assert "LOG607" in finding_codes(CNTK_OLD_GPU)


def test_refusal_cause_decides_from_the_layers() -> None:
    rows = {r.id: r for r in refusals()}
    cuda, cntk = rows["cuda-invalid-ordinal"], rows["cntk-device-id"]
    assert refusal_cause(cuda, None, 1, False).cause == "GPU_HIDDEN"  # type: ignore[union-attr]
    assert refusal_cause(cuda, None, 2, True) is None
    assert refusal_cause(cuda, 2, 2, False).cause == "GPU_HIDDEN"  # type: ignore[union-attr]
    assert refusal_cause(cuda, 0, None, True) is None
    assert refusal_cause(cntk, 0, None, True).cause == "FRAMEWORK_CPU_BUILD"  # type: ignore[union-attr]
    assert refusal_cause(cntk, 0, None, False) is None
    assert refusal_cause(cntk, 0, 2, True, ("2.0",)).cause == "GPU_NOT_SUPPORTED"  # type: ignore[union-attr]
    assert refusal_cause(cntk, 0, 1, True, (), listed_by_program=True) is None
    assert refusal_cause(cntk, 1, None, True) is None  # a number past an unknown count
