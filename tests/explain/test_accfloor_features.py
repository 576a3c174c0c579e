"""accfloor (session 34): a feature's hardware floor as one reading (explain/featfloor.py, explain/featfloorrules.py LOG550-LOG551,
knowledge/feature_floors.toml). Real lines carry their public source."""

from __future__ import annotations

from tests.log_text import codes, facts, finding_codes, first_cause

from whygpu.explain import explain_text
from whygpu.explain.featfloor import feature_floor
from whygpu.knowledge.feature_floors import (
    architecture_floor,
    feature_of,
    floor_verdict,
    gpu_capabilities,
)

# https://github.com/percent4/embedding_model_exp/issues/3
TF32 = "ValueError: --tf32 requires Ampere or a newer GPU arch, cuda>=11 and torch>=1.7"
# https://github.com/NVIDIA/TransformerEngine/issues/15 (an RTX 4090, 8.9)
TE_FP8 = "AssertionError: Device compute capability 9.x required for FP8 execution."
# https://github.com/1038lab/ComfyUI-QwenVL/issues/28
QWEN_FP8 = ("ERROR: FP8 models require a GPU with Compute Capability 8.9 or higher (e.g., RTX 4090). Your GPU's capability is 8.6. "
            "Please select a non-FP8 model.")
# https://github.com/bitsandbytes-foundation/bitsandbytes/issues/118 (a Tesla P40) and /187 (an A100)
INT8 = "ERROR: Your GPU does not support Int8 Matmul!"
# https://github.com/Dao-AILab/flash-attention/issues/1485
FLASH = "RuntimeError: FlashAttention only supports Ampere GPUs or newer."


def test_knowledge_floor_decisions() -> None:
    assert architecture_floor("Ampere") == ("Ampere", "8.0")
    assert architecture_floor("ada lovelace") == ("Ada Lovelace", "8.9")
    assert architecture_floor("Rubin-like") is None
    feature = feature_of("Your setup doesn't support bf16/gpu")
    assert feature is not None and feature.id == "bf16" and feature.floor == "8.0"
    assert floor_verdict("8.0", gpu_capabilities("Tesla V100-SXM2-32GB")) == "below"
    assert floor_verdict("8.0", gpu_capabilities("NVIDIA A100-SXM4-80GB")) == "meets"
    assert floor_verdict("8.0", ()) == "unknown"
    assert floor_verdict("8.0", ("7.5", "8.6")) == "unknown"


def test_reader_reads_floor_said_as_capability_or_architecture() -> None:
    claim = feature_floor(TF32)
    assert claim is not None and (claim.feature, claim.floor, claim.said_as) == ("tf32", "8.0", "architecture")
    claim = feature_floor(TE_FP8)
    assert claim is not None and (claim.feature, claim.floor, claim.said_as) == ("fp8", "9.0", "capability")
    claim = feature_floor(QWEN_FP8)
    assert claim is not None and (claim.floor, claim.machine_cc) == ("8.9", "8.6")
    claim = feature_floor(INT8)
    assert claim is not None and (claim.feature, claim.floor, claim.said_as) == ("int8_matmul", "7.5", "table")
    claim = feature_floor("UserWarning: You will need a GPU with NVIDIA Pascal or newer architecture")
    assert claim is not None and (claim.feature, claim.floor) == ("", "6.0")


def test_reader_stays_quiet_for_prose_code_and_docs() -> None:
    assert feature_floor("Note: FlashAttention only supports Ampere GPUs or newer, see README.") is None
    assert feature_floor('    raise ValueError("--tf32 requires Ampere or a newer GPU arch, cuda>=11 and torch>=1.7")') is None
    assert feature_floor("Does FlashAttention require Ampere or newer?") is None
    assert feature_floor("INFO: bf16 enabled on NVIDIA A100 (Ampere)") is None


def test_below_floor_fires_high_with_the_features_fallback() -> None:
    text = "CudaDeviceProperties(name='Tesla V100-DGXS-32GB', major=7, minor=0, total_memory=32508MB, multi_processor_count=80)\n" + TF32
    assert first_cause(text) == "GPU_NOT_SUPPORTED"
    assert "LOG550" in finding_codes(text)
    assert first_cause(QWEN_FP8) == "GPU_NOT_SUPPORTED"
    assert first_cause("my rtx4090 under nvidia docker has the same issue.\n" + TE_FP8) == "GPU_NOT_SUPPORTED"


def test_unknown_gpu_the_refusal_decides() -> None:
    assert first_cause(TF32) == "GPU_NOT_SUPPORTED"
    assert "LOG550" in finding_codes(TF32)


def test_gpu_shown_meeting_the_floor_is_not_gpu_not_supported() -> None:
    # https://github.com/Dao-AILab/flash-attention/issues/1485: an A800 (8.0) with the FlashAttention refusal
    a800 = "【RuntimeError: FlashAttention only supports Ampere GPUs or newer. 】on A800"
    assert "GPU_NOT_SUPPORTED" not in codes(a800)
    assert "GPU_NOT_SUPPORTED" in codes(FLASH)  # the signature's reading stands where no GPU is shown
    a100 = INT8 + "\n|   0  NVIDIA A100-SXM...  Off  | 00000000:01:00.0 Off |                    0 |"
    assert first_cause(a100) != "GPU_NOT_SUPPORTED"
    assert "LOG551" in {f.id for f in explain_text(a100).findings}
    rtx = "My hardware (24GB RTX 4090 GPU) and software meet the requirements\n" + TF32
    assert "GPU_NOT_SUPPORTED" not in codes(rtx)


def test_no_gpu_seen_leaves_the_refusal_to_ranking() -> None:
    # https://github.com/gensyn-ai/rl-swarm/issues/148: the same refusal where the program saw no GPU at all
    text = ("UserWarning: CUDA initialization: CUDA unknown error - this may be due to an incorrectly set up environment. "
            "Setting the available devices to be zero.\n" + TF32)
    assert "LOG550" not in finding_codes(text)


def test_facts_hold_the_refusal_and_the_gpus_beside() -> None:
    seen = facts("GPU: Tesla V100S\n" + FLASH)
    assert [s.value.feature for s in seen.feature_floor_said] == ["flash_attention"]
    assert ("7.0",) in [s.value for s in seen.gpus_beside_floors]
    assert not facts("GPU: Tesla V100S, all fine").feature_floor_said


def test_a_warning_the_program_went_on_from_stays_quiet() -> None:
    # https://github.com/facebookresearch/sam2/issues/219 (a negative: the program disables the feature and runs other kernels)
    sam2 = ('"c:\\Python312\\segment-anything-2\\sam2\\modeling\\sam\\transformer.py:23: UserWarning: Flash Attention is disabled as '
            'it requires a GPU with Ampere (8.0) CUDA capability.')
    assert "LOG550" not in finding_codes(sam2)
    assert "LOG550" not in finding_codes("WARNING: bf16 requires an Ampere GPU or newer; falling back to fp16\nUsing device: cuda:0 (Tesla T4)")
    # cuDF's import warning beside a GPU below its floor (a Tesla K80, 3.7) speaks: the GPU shown decides
    cudf = ("UserWarning: You will need a GPU with NVIDIA Pascal or newer architecture\nDetected GPU 0: Tesla K80\n"
            "Detected Compute Capability: 3.7")
    assert first_cause(cudf) == "GPU_NOT_SUPPORTED" and "LOG550" in finding_codes(cudf)
