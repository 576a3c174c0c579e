"""accrdp (session 34): a program run in a session that keeps the GPU from it: a Windows Remote Desktop session, or a
virtual machine with only its hypervisor's display adapter (explain.remotesession, LOG585, knowledge/remote_session.toml).

Real lines carry their public source. Each reading has a case where it speaks and one where it stays quiet.
"""

from __future__ import annotations

from tests.log_text import codes, facts, finding_codes, first_cause, report

from whygpu.knowledge.remote_session import session_cause

# https://github.com/cbuchner1/CudaMiner/issues/102
MINER = """When starting up miner over remote desktop I get this error message:

Unable to query CUDA driver version! Is an nVidia driver installed?

 Using Win8.1 x64
"""

# https://github.com/microsoft/CNTK/issues/1841
CNTK = """We have set up an Remote GPU machine and I want to access it using MS remote desktop from my laptop. While running TransferLearning.py it says "Specified device id (0) is invalid".
"""

# https://github.com/BOINC/boinc/issues/913
BOINC = """In Windows Vista on x64:

Connecting to a system via Remote Desktop (rather than through the primary display) and launching the Boinc Manager (as is normally done on said login) prevents BOINC from detecting any CUDA devices.
"""

# https://github.com/nengo/nengo-1.4/issues/391
NENGO = """In my case this occurs if I try to remote desktop to my work computer, which creates its own environment without access to the GPU or something like that.  If you then try to run Nengo, you get the error message

no CUDA-capable device is detected
"""

# https://github.com/CorentinJ/Real-Time-Voice-Cloning/issues/152 (shortened)
VBOX = """Ubuntu 18.04 running w/8GB RAM in VirtualBox on Windows 10.
THCudaCheck FAIL file=/pytorch/aten/src/THC/THCGeneral.cpp line=50 error=38 : no CUDA-capable device is detected
"""


def test_remote_desktop_words_with_the_device_unseen() -> None:
    for text in (MINER, CNTK, BOINC, NENGO):
        assert first_cause(text) == "GPU_HIDDEN", text
        assert "LOG585" in finding_codes(text)


def test_the_session_outranks_the_same_line_read_as_no_gpu() -> None:
    # Without the Remote Desktop words, "no CUDA-capable device" is read as no GPU; with them, the session leads.
    assert first_cause("no CUDA-capable device is detected\n") != "GPU_HIDDEN"
    assert first_cause(NENGO) == "GPU_HIDDEN"
    lead = report(NENGO).causes[0]
    assert "tscon" in lead.fix and "Use hardware graphics adapters" in lead.fix
    assert "None" not in lead.fix


def test_remote_desktop_quiet_without_the_gpu_unseen() -> None:
    assert "LOG585" not in finding_codes("I run the training over remote desktop every night.\n")


def test_remote_alone_is_not_remote_desktop() -> None:
    # SSH to a remote server, Jupyter on a remote GPU machine: no Remote Desktop session.
    ssh = "I connect to a remote server over SSH and get: no CUDA-capable device is detected\n"
    jupyter = "Running a Jupyter notebook on our remote GPU machine, torch.cuda.is_available() returns False\n"
    for text in (ssh, jupyter):
        assert not facts(text).remote_session
        assert "LOG585" not in finding_codes(text)


def test_remote_desktop_asked_advised_or_working_is_quiet() -> None:
    asked = "Does CUDA work over RDP? no CUDA-capable device is detected\n"
    advice = "Use VNC instead of remote desktop.\nno CUDA-capable device is detected\n"
    works = "I use RDP and the GPU works fine.\n"
    chrome = "I am using Chrome Remote Desktop.\nno CUDA-capable device is detected\n"
    for text in (asked, advice, works, chrome):
        assert not facts(text).remote_session, text
        assert "LOG585" not in finding_codes(text)


def test_remote_desktop_with_the_gpu_in_use_is_quiet() -> None:
    text = ("I connect over remote desktop.\n"
            "2021-01-01 10:00:00.000000: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1510] Created device "
            "/job:localhost/replica:0/task:0/device:GPU:0 with 9631 MB memory:  -> device: 0, name: NVIDIA GeForce RTX 3080, "
            "pci bus id: 0000:01:00.0, compute capability: 8.6\n")
    assert "LOG585" not in finding_codes(text)


def test_virtualbox_guest_without_a_gpu() -> None:
    assert first_cause(VBOX) == "NO_GPU"
    assert "LOG585" in finding_codes(VBOX)
    assert facts(VBOX).remote_session[0].value.kind == "vm"


def test_hypervisor_adapter_by_name() -> None:
    listing = "Name\nMicrosoft Hyper-V Video\n\nRuntimeError: No CUDA GPUs are available\n"
    assert "LOG585" in finding_codes(listing)
    assert first_cause(listing) == "NO_GPU"


def test_hypervisor_adapter_beside_an_nvidia_gpu_is_quiet() -> None:
    # GPU partitioning or passthrough: the guest lists the NVIDIA GPU beside the hypervisor's adapter.
    listing = "Name\nMicrosoft Hyper-V Video\nNVIDIA GeForce RTX 3060\n\nRuntimeError: No CUDA GPUs are available\n"
    assert "LOG585" not in finding_codes(listing)


def test_a_vm_question_is_quiet() -> None:
    # https://github.com/pjreddie/darknet/issues/1881
    text = 'My question is the same as the title: "Can I have CUDA support for darknet on a VMware Virtual Machine that runs Ubuntu 18.04 "\n'
    assert codes(text) == []
    assert "LOG585" not in finding_codes("Can I use VirtualBox with CUDA? no CUDA-capable device is detected\n")


def test_the_decision_per_kind() -> None:
    rdp, vm = session_cause("rdp"), session_cause("vm")
    assert rdp is not None and rdp.cause == "GPU_HIDDEN"
    assert vm is not None and vm.cause == "NO_GPU"
    assert session_cause("ssh") is None
