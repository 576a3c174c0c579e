"""accnoticed39 (session 39): six mends the session's branches noticed (docs/explain-accuracy.md, Session 39 sections)."""

from __future__ import annotations

from log_text import codes, first_cause

# https://github.com/slackr31337/wyoming-whisper-gpu/issues/12 (a GT 710, Kepler: driver 470 at most, CUDA 11; the image's
# faster-whisper carries CUDA 12).
_GT710 = (
    'I am trying to build your "wyoming-whisper-gpu" on my system with Opensuse-15.6 and Nvidia Graphics: Geforce GT 710. '
    "Here, I am getting following error while starting docker container.\n"
    '  File "/app/lib/python3.10/site-packages/faster_whisper/transcribe.py", line 634, in __init__\n'
    "    self.model = ctranslate2.models.Whisper(\n"
    "RuntimeError: CUDA failed with error CUDA driver version is insufficient for CUDA runtime version\n"
)


def test_kepler_gpu_under_a_cuda12_program_is_the_gpus_limit() -> None:
    ranked = codes(_GT710)
    assert ranked[0] == "GPU_NOT_SUPPORTED"
    assert "DRIVER_TOO_OLD" in ranked[:3]


def test_a_current_gpu_in_the_same_container_keeps_the_containers_reading() -> None:
    assert first_cause(_GT710.replace("Geforce GT 710", "GeForce RTX 3060")) == "CONTAINER_NO_GPU"


def test_a_kepler_gpu_under_a_program_its_driver_runs_is_not_the_gpus_limit() -> None:
    from whygpu.knowledge.driver_reach import DriverPlace, driver_answer_reading

    kepler11 = DriverPlace(place="container", runtime_cuda="11.2", gpu_last_branch="470")
    kepler12 = DriverPlace(place="container", runtime_cuda="12", gpu_last_branch="470")
    r11, r12 = driver_answer_reading("insufficient", kepler11), driver_answer_reading("insufficient", kepler12)
    assert r11 is not None and r11.ranking[0] == "CONTAINER_NO_GPU"
    assert r12 is not None and r12.ranking[0] == "GPU_NOT_SUPPORTED"


def test_the_newest_branch_a_gpu_name_can_take() -> None:
    from whygpu.knowledge.gpus import gpu_in_text, model_last_driver_branch

    assert model_last_driver_branch(gpu_in_text("GeForce GT 710")) == "470"
    assert model_last_driver_branch(gpu_in_text("GeForce GT 730")) == "470"  # Fermi 390 or Kepler 470
    assert model_last_driver_branch(gpu_in_text("GeForce RTX 3060")) is None
