"""acckmod (session 32): the NVIDIA kernel module's state, from the machine's lines and the writer's words (LOG480-LOG482),
and a versioned driver-API symbol missing as DRIVER_TOO_OLD.

Real lines carry their public source; the rest are written from the form the program prints (the kernel's module loader,
DKMS's dkms.in, lspci, ls, kmod) or from the way a writer words the state, not pasted from a corpus log.
"""

from __future__ import annotations

import pytest

from log_text import codes, facts, finding_codes, first_cause, report
from whygpu.explain import explain_text
from whygpu.explain.kmodule import module_states, said_states
from whygpu.knowledge.kernel_module import line_message, module_state, states
from whygpu.model import Finding

# --- the knowledge layer: every state has a cause, a fix, a deciding check and a source ---------------------------------


def test_every_state_names_a_cause_a_check_and_a_source() -> None:
    from whygpu.knowledge.causes import cause_meaning

    assert {s.id for s in states()} >= {"not_built", "headers_missing", "unknown_symbols", "secure_boot", "not_loaded",
                                         "uvm_not_loaded", "nouveau", "version_mismatch", "gpu_unsupported", "kernel_updated"}
    for state in states():
        assert cause_meaning(state.cause)
        assert state.source.startswith("https://")
        assert "`" in state.decide  # the one command that decides
        assert "None" not in state.fix and "None" not in state.decide
        assert "<" not in state.fix and "<" not in state.decide  # no placeholder left for the reader to fill


@pytest.mark.parametrize(("line", "state"), [
    # https://github.com/linux-surface/linux-surface/issues/374
    ("[  641.188429] nvidia_uvm: Unknown symbol radix_tree_preloads (err -2)", "unknown_symbols"),
    ("nvidia: Unknown symbol drm_open (err 0)", "unknown_symbols"),
    ("Error! Bad return status for module build on kernel: 6.4.1-zen1-1-zen (x86_64)", "not_built"),
    ("Error! Your kernel headers for kernel 5.4.0-42-generic cannot be found.", "headers_missing"),
    ("DKMS module 'nvidia-367.35' failed to build, please check /var/lib/dkms", "not_built"),
    ("make[2]: *** [scripts/Makefile.build:271: /var/lib/dkms/nvidia/470.57.02/build/nvidia/nv-mmap.o] Error 1", "not_built"),
    ("Loading of unsigned module is rejected", "secure_boot"),
    ("\tKernel driver in use: nouveau", "nouveau"),
    ("ls: cannot access '/dev/nvidia*': No such file or directory", "not_loaded"),
    ("NVIDIA kernel module missing. Falling back to nouveau.", "not_built"),
])
def test_the_machine_s_lines_name_a_state(line: str, state: str) -> None:
    found = line_message(line)
    assert found is not None and found[0].state == state


def test_a_dkms_message_counts_only_beside_an_nvidia_module() -> None:
    nvidia = ["Building initial module for 5.15.0-56-generic", "Error! Bad return status for module build on kernel: 5.15.0-56-generic (x86_64)",
              "Consult /var/lib/dkms/nvidia/470.161.03/build/make.log for more information."]
    wifi = ["Building initial module for 5.15.0-56-generic", "Error! Bad return status for module build on kernel: 5.15.0-56-generic (x86_64)",
            "Consult /var/lib/dkms/rtl8821ce/v5.5.2/build/make.log for more information."]
    assert [s.state for _, s, _ in module_states(nvidia)] == ["not_built"]
    assert not list(module_states(wifi))


@pytest.mark.parametrize(("lines", "empty"), [
    (["$ lsmod | grep nvidia", "$ nvidia-smi"], True),
    (["$ lsmod | grep nvidia", "```"], True),
    (["# lsmod |grep nvidia", "# # yum list cuda-drivers"], True),
    (["$ lsmod | grep nvidia"], True),
    (["$ lsmod | grep nvidia", "nvidia_uvm           1437696  0", "nvidia              56504320  220 nvidia_uvm"], False),
    (["$ dmesg | grep -i nvidia", "[    4.601234] NVRM: loading NVIDIA UNIX x86_64 Kernel Module  535.54.03"], False),
])
def test_an_empty_lsmod_is_read_only_when_nothing_follows(lines: list[str], empty: bool) -> None:
    assert any(s.how == "empty" for _, s, _ in module_states(lines)) is empty


@pytest.mark.parametrize(("sentence", "state", "failing"), [
    ("After upgrading my kernel, CUDA stopped working.", "kernel_updated", True),
    ("after a dnf kernel update the NVIDIA module failed to load", "not_loaded", False),
    ("CUDA is now broken on kernel 5.9+.", "kernel_updated", True),
    ("The nvidia module is not loaded after boot.", "not_loaded", False),
    ("nvidia_uvm is not loaded, so CUDA fails.", "uvm_not_loaded", False),
    ("nouveau is still loaded even though I blacklisted it.", "nouveau", False),
    ("I just installed nvidia-driver-535 and now nvidia-smi could not communicate with the driver.", "reboot_pending", True),
])
def test_the_writer_s_words_name_a_state(sentence: str, state: str, failing: bool) -> None:
    said = {s.state: s for s in said_states(sentence)}
    assert state in said
    if state in ("kernel_updated", "reboot_pending"):
        assert said[state].failing is failing


@pytest.mark.parametrize("sentence", [
    "Does a kernel update break the nvidia driver?",
    "If the nvidia module fails to load after a kernel update, run sudo dkms autoinstall.",
    "I did not update the kernel.",
    "You should update the kernel headers first.",
])
def test_questions_advice_and_denials_name_no_state(sentence: str) -> None:
    assert not [s for s in said_states(sentence) if s.state != "kernel_updated" or s.failing]


# --- the rules, on whole reports ------------------------------------------------------------------------------------


def test_an_unknown_symbol_of_the_uvm_module_is_the_driver_missing() -> None:
    text = "torch.cuda.is_available() returns False\n[  641.188429] nvidia_uvm: Unknown symbol radix_tree_preloads (err -2)\n"
    assert first_cause(text) == "DRIVER_MISSING"
    assert "LOG480" in finding_codes(text)


def test_kernel_lines_beside_a_working_gpu_stay_quiet() -> None:
    text = ("[  641.188429] nvidia_uvm: Unknown symbol radix_tree_preloads (err -2)\n>>> torch.cuda.is_available()\nTrue\n"
            ">>> torch.cuda.get_device_name(0)\n'NVIDIA GeForce RTX 3090'\nTraining on cuda:0, GPU utilization 98%\n")
    assert "LOG480" not in finding_codes(text)


def test_benign_nvrm_lines_stay_quiet() -> None:
    text = ("$ sudo dmesg | grep -i nvidia\n[    4.512345] nvidia: loading out-of-tree module taints kernel.\n"
            "[    4.512399] nvidia: module verification failed: signature and/or required key missing - tainting kernel\n"
            "[    4.601234] NVRM: loading NVIDIA UNIX x86_64 Kernel Module  535.54.03  Tue Jun  6 22:20:39 UTC 2023\n"
            "[    4.700001] nvidia-modeset: Loading NVIDIA Kernel Mode Setting Driver for UNIX platforms  535.54.03\n")
    assert codes(text) == []


def test_a_wifi_driver_s_dkms_failure_stays_quiet() -> None:
    text = ("Error! Your kernel headers for kernel 5.17.0-1020-oem cannot be found.\n"
            "Please install the linux-headers-5.17.0-1020-oem package or use the --kernelsourcedir option to tell DKMS where it's located.\n")
    assert codes(text) == []


def test_nouveau_bound_to_the_gpu_in_lspci() -> None:
    text = ("01:00.0 VGA compatible controller: NVIDIA Corporation TU106 [GeForce RTX 2060] (rev a1)\n"
            "\tKernel driver in use: nouveau\n\tKernel modules: nvidiafb, nouveau, nvidia_drm, nvidia\n")
    assert first_cause(text) == "DRIVER_MISSING"
    cause = report(text).causes[0]
    assert "blacklist nouveau" in " ".join(f.fix for f in cause_findings(text))
    assert cause.code == "DRIVER_MISSING"


def test_an_empty_lsmod_before_a_false_answer_is_the_module_not_loaded() -> None:
    text = "$ lsmod | grep nvidia\n$ python -c 'import torch; print(torch.cuda.is_available())'\nFalse\n"
    assert first_cause(text) == "DRIVER_MISSING"
    assert "LOG480" in finding_codes(text)
    loaded = "$ lsmod | grep nvidia\nnvidia_uvm 1437696 0\nnvidia 56504320 220 nvidia_uvm\n$ python -c 'import torch; print(torch.cuda.is_available())'\nFalse\n"
    assert "LOG480" not in finding_codes(loaded)


def test_a_kernel_update_then_the_gpu_failing_is_the_module_not_built() -> None:
    text = "CUDA is now broken on kernel 5.9+. torch.cuda.is_available() returns False since I updated the kernel to 5.9.1."
    assert first_cause(text) == "DRIVER_MISSING"
    assert "LOG481" in finding_codes(text)
    fixes = " ".join(f.fix for f in cause_findings(text))
    assert "dkms status" in fixes and "uname -r" in fixes


def test_a_kernel_update_with_the_gpu_working_stays_quiet() -> None:
    text = "I updated the kernel to 6.5 yesterday and everything works fine, torch.cuda.is_available() returns True."
    assert "LOG481" not in finding_codes(text)
    assert codes(text) == []


def test_a_kernel_update_question_stays_quiet() -> None:
    assert codes("Does a kernel update break the nvidia driver? Should I run dkms autoinstall after every kernel upgrade?") == []


def test_the_module_state_in_words() -> None:
    assert first_cause("The nvidia module is not loaded after boot. tensorflow lists no GPU.") == "DRIVER_MISSING"
    assert "LOG482" in finding_codes("The nvidia module is not loaded after boot. tensorflow lists no GPU.")
    assert "LOG482" not in finding_codes("Is the nvidia module not loaded? tensorflow lists no GPU.")


def test_a_driver_install_then_smi_failing_in_words_is_a_reboot() -> None:
    text = ("I just installed nvidia-driver-535 with apt, and now nvidia-smi says it couldn't communicate with the NVIDIA driver. "
            "torch.cuda.is_available() gives False.")
    assert first_cause(text) == "DRIVER_MISSING"
    assert "Reboot" in " ".join(f.fix for f in cause_findings(text))
    assert "LOG482" not in finding_codes("I just installed nvidia-driver-535 with apt and it works: torch.cuda.is_available() gives True.")


def test_secure_boot_in_lower_case() -> None:
    # https://github.com/facebookresearch/deepmask/issues/49
    text = "\"ERROR: could not insert 'nvidia_367_uvm': required key not available\" will be happened"
    assert first_cause(text) == "DRIVER_MISSING"
    assert "LOG-PLAT-MODULE-SECURE-BOOT" in finding_codes(text)


def test_the_module_state_fact_is_read() -> None:
    read = facts("after upgrading to kernel 5.3.12, dmesg | grep NVIDIA shows nothing")
    assert {s.value.state for s in read.kernel_module} >= {"kernel_updated", "not_loaded"}


# --- a driver-API entry point with a version suffix, undefined in any object ----------------------------------------


@pytest.mark.parametrize("line", [
    # https://github.com/trexminer/T-Rex/issues/95
    "/home/rik/Downloads/trex/t-rex: symbol lookup error: /home/rik/Downloads/trex/t-rex: undefined symbol: cuDevicePrimaryCtxSetFlags_v2",
    "ImportError: /usr/local/lib/python3.8/dist-packages/torch/lib/libtorch_cuda.so: undefined symbol: cuDevicePrimaryCtxSetFlags_v2",
    # https://github.com/trexminer/T-Rex/issues/118
    "The procedure entry point cuDevicePrimaryCtxReset_v2 could not be located in the dynamic link library nvcuda.dll",
])
def test_a_versioned_driver_api_symbol_missing_is_the_driver_too_old(line: str) -> None:
    assert first_cause(line) == "DRIVER_TOO_OLD"


@pytest.mark.parametrize("line", [
    "ImportError: libfoo.so: undefined symbol: cudaGetDriverEntryPointByVersion, version libcudart.so.12",
    "ImportError: libtorch_cuda.so: undefined symbol: cublasLtMatmul_v2",
    "ImportError: libkvikio.so: undefined symbol: cuFileDriverOpen_v2",
])
def test_other_cuda_symbols_are_not_the_driver_s(line: str) -> None:
    assert first_cause(line) != "DRIVER_TOO_OLD"


def cause_findings(text: str) -> list[Finding]:
    """The findings behind the report's first cause (their fixes), not the alternatives."""
    first = first_cause(text)
    return [f for f in explain_text(text).findings if f.cause == first and f.alternative_to is None]


def test_module_state_lookup() -> None:
    assert module_state("secure_boot").cause == "DRIVER_MISSING"
    assert module_state("version_mismatch").cause == "DRIVER_MISMATCH"
    assert module_state("gpu_unsupported").cause == "GPU_NOT_SUPPORTED"
