"""accupdate (session 37): the writer's account that the GPU went unused after an update, with what was updated.

Real lines carry their public source. Each reading has a case where it speaks and one where it stays quiet.
"""

from __future__ import annotations

from tests.log_text import codes, facts, finding_codes, first_cause

from whygpu.explain.updatechange import update_change_said
from whygpu.knowledge.update_change import thing_updated, update_change_cause

# https://github.com/Comfy-Org/ComfyUI/issues/8484
APP_CPU = ("The problem I encountered is that when I upgrade COMFYUI and its dependencies using the \"update_comfyui_1d_python_deependencies. bat\" "
           "file in the \"update\" folder, by default, the original torch torch torch vision torch studio three dependencies will be uninstalled "
           "and only the CPU version will be reinstalled.")

# https://github.com/oobabooga/textgen/issues/5527
APP_LOST = ("After webui update, gpu is not used anymore. I don't remember old version number or date, but it did say one_click.py was "
            "modified. webui was working on gpu before update, no computer restart or anything in-between.")

# https://github.com/tensorflow/tensorflow/issues/8734
DRIVER = ("I believe the issue was that an automatic unattended NVIDIA GPU driver update that ran in the background broke everything, "
          "because the K520 GPUs in the AWS g2.2xlarge instances were too old and incompatible with whatever driver version updater tried to install.")

# https://github.com/rocker-org/ml/issues/28
DRIVER_LINE = ("After upgrading the nvidia drivers on the host (e.g. with `apt-get upgrade`), `nvidia` tasks will fail to run due to driver "
               "mistmatch, e.g.:\n $ nvidia-smi\nFailed to initialize NVML: Driver/library version mismatch\n")

# https://github.com/ollama/ollama/issues/8199
RELEASES = ("The old ollama version (0.1.14) works well with the same other things, but after I upgraded the ollama from 0.1.14 to 0.5.4, "
            "the everything goes very slow.")


def test_program_update_that_reinstalled_the_cpu_build() -> None:
    change = update_change_said(APP_CPU)
    assert change is not None and change.kind == "app" and change.effect == "cpu_build"
    assert first_cause(APP_CPU) == "FRAMEWORK_CPU_BUILD"
    assert "LOG740" in finding_codes(APP_CPU)


def test_program_update_that_left_the_gpu_unused() -> None:
    change = update_change_said(APP_LOST)
    assert change is not None and change.kind == "app" and change.effect == "gpu_lost"
    assert "LOG740" in finding_codes(APP_LOST)
    assert codes(APP_LOST)[:2] == ["FRAMEWORK_CPU_BUILD", "FRAMEWORK_INSTALL_BROKEN"]


def test_driver_update_means_the_module_left_loaded() -> None:
    change = update_change_said(DRIVER)
    assert change is not None and change.kind == "driver" and change.effect == "broke"
    assert first_cause(DRIVER) == "DRIVER_MISMATCH"
    assert "LOG740" in finding_codes(DRIVER)


def test_quiet_where_a_line_names_the_cause() -> None:
    assert first_cause(DRIVER_LINE) == "DRIVER_MISMATCH"
    assert [s.value.kind for s in facts(DRIVER_LINE).update_change] == ["driver"]
    assert "LOG740" not in finding_codes(DRIVER_LINE)


def test_releases_before_and_after_but_no_effect_is_no_reading() -> None:
    change = update_change_said(RELEASES)
    assert change is not None and (change.before, change.after, change.kind, change.effect) == ("0.1.14", "0.5.4", "app", "onset")
    assert "LOG740" not in finding_codes(RELEASES)  # "very slow" alone: nothing says the GPU went unused


def test_quiet_on_questions_remedies_and_working_updates() -> None:
    for text in ("Should I update my driver?",
                 "I updated drivers, changing to older llamacpp backends does not help",  # https://github.com/janhq/jan/issues/7121
                 "After updating, everything works fine.",
                 "Please update to the latest version, then run it on the GPU."):
        assert update_change_said(text) is None or "LOG740" not in finding_codes(text), text


def test_quiet_where_the_gpu_is_shown_at_work() -> None:
    text = APP_LOST + "\nUsing device: cuda:0 (NVIDIA GeForce RTX 3060)\n"
    assert "LOG740" not in finding_codes(text)


def test_kernel_update_is_left_to_log481() -> None:
    # https://wiki.keldo.uk/content/askubuntu.com_en_all_2024-10/a/1009726
    text = "See Ubuntu bug: 4.4.0-116 Kernel update on 2/21 breaks Nvidia drivers (on 14.04 and 16.04)."
    assert "LOG740" not in finding_codes(text)


def test_the_knowledge_decision() -> None:
    assert thing_updated("unattended-upgrades upgraded libnvidia-common-460") == "driver"
    assert thing_updated("after sudo dnf upgrade") == "system"
    assert thing_updated("after updating the webui") == "app"
    assert update_change_cause("driver", platform="windows") is None
    assert update_change_cause("kernel", platform="linux") is None
    app_win = update_change_cause("app", platform="windows")
    assert app_win is not None and app_win.cause == "FRAMEWORK_CPU_BUILD"
    app_linux = update_change_cause("app", platform="linux")
    assert app_linux is not None and app_linux.cause == "FRAMEWORK_INSTALL_BROKEN"
    torch_win = update_change_cause("framework", platform="windows", framework="torch")
    assert torch_win is not None and torch_win.cause == "FRAMEWORK_CPU_BUILD"
    torch_linux = update_change_cause("framework", platform="linux", framework="torch")
    assert torch_linux is not None and "DRIVER_TOO_OLD" in torch_linux.also and "None" not in torch_linux.decides
    said = update_change_cause("framework", platform="linux", framework="torch", cpu_said=True)
    assert said is not None and said.cause == "FRAMEWORK_CPU_BUILD"
