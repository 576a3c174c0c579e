"""Messages from the layers below the framework (kernel module, kmod/DKMS, driver tools, container stack, clouds).

Each message is read by what the program that prints it tests: it fires on the program's wordings and stays quiet
on a near miss (the same words about another module, another VM family, a healthy outcome, prose about them).
The lines are written from the programs' sources, not copied from corpus cases.
"""

from __future__ import annotations

from log_text import codes as _codes
from log_text import report as _report
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- the NVIDIA kernel module (NVRM) ------------------------------------------------------------------------


def test_the_module_naming_a_client_of_another_version_is_a_driver_mismatch() -> None:
    log = ("[   12.1] NVRM: API mismatch: the client 'nvidia-smi' (pid 3311)\n"
           "               NVRM: has the version 560.35.03, but this kernel module has\n"
           "               NVRM: the version 555.58.02.  Please make sure that this\n")
    assert _codes(log)[0] == "DRIVER_MISMATCH"
    # The module loading its own version is not a mismatch.
    assert _codes("NVRM: loading NVIDIA UNIX x86_64 Kernel Module  560.35.03  Release Build\n") == []


def test_a_gpu_outside_the_driver_release_is_unsupported_and_outranks_the_summary() -> None:
    log = ("NVRM: The NVIDIA GPU 0000:65:00.0 (PCI ID: 10de:2b85)\n"
           "NVRM: installed in this system is not supported by the\n"
           "NVRM: NVIDIA 535.183.01 driver release.\n"
           "NVRM: The NVIDIA probe routine failed for 1 device(s).\n"
           "NVRM: None of the NVIDIA devices were initialized.\n")
    causes = _codes(log)
    assert causes[0] == "GPU_NOT_SUPPORTED" and "DRIVER_TOO_OLD" in causes[:3]
    # The older wording with the release on the same line.
    assert _codes("NVRM: in this system is not supported by the 304.137 NVIDIA Linux\n")[0] == "GPU_NOT_SUPPORTED"
    # The open modules' refusal ("by open") is another reading, not this one.
    assert "LOG-PLAT-NVRM-GPU-NOT-SUPPORTED" not in _ids("NVRM: installed in this system is not supported by open\n")


def test_open_modules_on_a_gpu_without_gsp_need_the_proprietary_modules() -> None:
    log = ("NVRM: The NVIDIA GPU 0000:01:00.0 (PCI ID: 10de:1c03)\n"
           "NVRM: installed in this system is not supported by open\n"
           "NVRM: nvidia.ko because it does not include the required GPU\n"
           "NVRM: System Processor (GSP).\n")
    assert _codes(log)[0] == "DRIVER_MISSING"
    assert "LOG-PLAT-NVRM-OPEN-NO-GSP" in _ids(log)
    # Words about GSP firmware that are not the refusal.
    assert _codes("NVRM: GPU0 GSP firmware version 560.35.03 loaded\n") == []


def test_the_probe_summary_alone_says_no_gpu_was_initialised_but_never_outranks_its_reason() -> None:
    assert _codes("[  5.2] NVRM: None of the NVIDIA devices were initialized.\n")[0] == "DRIVER_MISSING"
    assert _codes("NVRM: No NVIDIA devices probed.\n")[0] == "DRIVER_MISSING"
    with_reason = ("NVRM: GPU 0000:3b:00.0: RmInitAdapter failed! (0x26:0x56:1474)\n"
                   "NVRM: GPU 0000:3b:00.0: rm_init_adapter failed, device minor number 0\n"
                   "NVRM: The NVIDIA probe routine failed for 1 device(s).\n")
    assert _codes(with_reason)[0] == "GPU_FAULT"
    # A probe that initialised its devices prints nothing of this kind.
    assert _codes("NVRM: The NVIDIA probe routine was called for 2 device(s).\n") == []


def test_an_unassigned_pci_window_is_a_platform_fault() -> None:
    log = ("NVRM: This PCI I/O region assigned to your NVIDIA device is invalid:\n"
           "NVRM: BAR1 is 0M @ 0x0 (PCI:0000:0a:00.0)\n")
    assert _codes(log)[0] == "GPU_FAULT"
    # The kernel's own BAR bookkeeping for a working device is not this message.
    assert _codes("pci 0000:01:00.0: BAR 1: assigned [mem 0x6000000000-0x67ffffffff 64bit pref]\n") == []


def test_the_bus_fault_is_read_as_people_repeat_it() -> None:
    assert _codes("my GPU has fallen off of the bus twice today\n") == ["GPU_FAULT"]
    assert _codes("the card fell off the table\n") == []


# --- kmod, DKMS, the driver installer and tools ----------------------------------------------------------


def test_secure_boot_refusing_the_nvidia_module_is_a_driver_not_loaded() -> None:
    for line in ("modprobe: ERROR: could not insert 'nvidia': Key was rejected by service\n",
                 "modprobe: ERROR: could not insert 'nvidia_uvm': Required key not available\n",
                 "insmod: ERROR: could not insert module ./nvidia.ko: Key was rejected by service\n",
                 "ERROR: The kernel module failed to load. Secure boot is enabled on this system, so this is likely "
                 "because it was not signed by a key that is trusted by the kernel.\n"):
        assert _codes(line) == ["DRIVER_MISSING"], line
        assert "LOG-PLAT-MODULE-SECURE-BOOT" in _ids(line), line
    # Another module refused under Secure Boot says nothing about the GPU.
    assert _codes("modprobe: ERROR: could not insert 'vboxdrv': Key was rejected by service\n") == []


def test_a_module_built_for_another_kernel_is_a_driver_not_loaded() -> None:
    for line in ("insmod: ERROR: could not insert module /lib/modules/6.8.0-40-generic/updates/dkms/nvidia.ko: "
                 "Unknown symbol in module\n",
                 "modprobe: ERROR: could not insert 'nvidia_drm': Exec format error\n",
                 "[  3.1] nvidia: disagrees about version of symbol module_layout\n"):
        causes = _codes(line)
        assert causes[0] == "DRIVER_MISSING" and "DRIVER_MISMATCH" in causes, line
    assert _codes("modprobe: ERROR: could not insert 'it87': Unknown symbol in module, or unknown parameter (see dmesg)\n") == []
    # No device to bind stays the reading it had (NO_GPU first), not this one.
    assert "LOG-PLAT-MODULE-WRONG-KERNEL" not in _ids("modprobe: ERROR: could not insert 'nvidia': No such device\n")


def test_an_nvidia_module_that_cannot_be_found_or_started_is_a_driver_not_loaded() -> None:
    for line in ("modprobe: ERROR: ../libkmod/libkmod-module.c:838 kmod_module_insert_module() could not find module by name='nvidia_uvm'\n",
                 "modprobe: ERROR: could not insert 'nvidia': Input/output error\n",
                 "modprobe: ERROR: could not insert 'nvidia_470_uvm': Operation not permitted\n",
                 "nvidia-docker-plugin | 2017/06/24 18:23:36 Error: Could not load UVM kernel module. Is nvidia-modprobe installed?\n"):
        assert _codes(line) == ["DRIVER_MISSING"], line
    # Already loaded is no failure; another module's failure is not the GPU's.
    assert _codes("modprobe: ERROR: could not insert 'nvidia': File exists\n") == []
    assert _codes("modprobe: ERROR: could not insert 'snd_hda_intel': Input/output error\n") == []
    assert _codes("modprobe: ERROR: could not find module by name='v4l2loopback'\n") == []
    # A reason with a reading of its own keeps it.
    assert "LOG-PLAT-MODULE-NOT-LOADED" not in _ids("modprobe: ERROR: could not insert 'nvidia': Key was rejected by service\n")
    assert _codes("modprobe: ERROR: could not insert 'nvidia': No such device\n")[0] == "NO_GPU"


def test_a_failed_dkms_build_of_the_nvidia_module_is_a_driver_missing() -> None:
    log = ("Error! Bad return status for module build on kernel: 6.11.0-9-generic (x86_64)\n"
           "Consult /var/lib/dkms/nvidia/550.120/build/make.log for more information.\n")
    assert _codes(log) == ["DRIVER_MISSING"]
    assert _codes("dpkg: error processing package nvidia-dkms-550 (--configure):\n") == ["DRIVER_MISSING"]
    # Another module's failed build is not the GPU's.
    assert _codes("Consult /var/lib/dkms/v4l2loopback/0.12.7/build/make.log for more information.\n") == []


def test_the_driver_installer_and_tools_report_no_working_module() -> None:
    for line in ("ERROR: Unable to load the kernel module 'nvidia.ko'.  This happens most frequently when this kernel "
                 "module was built against the wrong or improperly configured kernel sources\n",
                 "ERROR: The Nouveau kernel driver is currently in use by your system.  This driver is incompatible "
                 "with the NVIDIA driver\n",
                 "ERROR: Unable to find the kernel source tree for the currently running kernel.\n",
                 "ERROR: NVIDIA driver is not loaded\n",
                 "nvidia-persistenced[812]: Failed to query NVIDIA devices. Please ensure that the NVIDIA device files "
                 "(/dev/nvidia*) exist, and that user 0 has read and write permissions for those files.\n"):
        assert _codes(line)[0] == "DRIVER_MISSING", line
    # The tools working (or a plain warning from them) is quiet.
    assert _codes("WARNING: Unable to find a suitable destination to install 32-bit compatibility libraries.\n") == []


def test_fabric_manager_of_another_version_is_a_driver_mismatch() -> None:
    for line in ("nv-fabricmanager[2231]: fabric manager NVIDIA GPU driver interface version 535.161.08 don't match "
                 "with driver version 535.183.01. Please update with matching NVIDIA driver package.\n",
                 "fabric manager NVIDIA GPU driver interface version 570.86.15 doesn't match with driver version "
                 "570.124.06. Please update with the matching NVIDIA driver package.\n"):
        assert _codes(line) == ["DRIVER_MISMATCH"], line
    assert _codes("nv-fabricmanager[2231]: Successfully configured all the available NVSwitches to route GPU NVLink traffic.\n") == []


# --- device nodes and the container stack -------------------------------------------------------------------


def test_a_missing_nvidia_device_node_on_the_host_is_the_driver_not_loaded() -> None:
    for node in ("/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidiactl"):
        line = (f'docker: Error response from daemon: error gathering device information while adding custom device '
                f'"{node}": no such file or directory.\n')
        assert _codes(line) == ["DRIVER_MISSING"], line
    # Another device missing is not the GPU's.
    assert _codes('Error response from daemon: error gathering device information while adding custom device '
                  '"/dev/ttyUSB0": no such file or directory\n') == []


def test_an_unresolvable_cdi_device_is_a_container_without_the_gpu() -> None:
    for line in ("Error: setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=all\n",
                 "Error: crun: setting up CDI devices: unresolvable CDI devices nvidia.com/gpu=0\n",
                 "failed to inject CDI devices: unresolvable CDI devices management.nvidia.com/gpu=GPU-0f3a\n"):
        assert _codes(line) == ["CONTAINER_NO_GPU"], line
    # Another vendor's CDI device is not an NVIDIA GPU.
    assert _codes("Error: setting up CDI devices: unresolvable CDI devices amd.com/gpu=all\n") == []


def test_the_toolkit_failing_to_set_up_the_container_is_a_container_without_the_gpu() -> None:
    for line in ("stderr: nvidia-container-cli: container error: cgroup subsystem devices not found: unknown.\n",
                 'docker: Error response from daemon: OCI runtime create failed: exec: "nvidia-container-runtime-hook": '
                 'executable file not found in $PATH: unknown.\n',
                 'starting container process caused "exec: \\"nvidia-smi\\": executable file not found in $PATH"\n',
                 "unknown flag: --gpus\nSee 'docker run --help'.\n"):
        assert _codes(line) == ["CONTAINER_NO_GPU"], line
    # The same exec error for another program, and an unknown flag that is not --gpus, are not about the GPU.
    assert _codes('starting container process caused "exec: \\"python\\": executable file not found in $PATH"\n') == []
    assert _codes("unknown flag: --gpu-memory\n") == []


def test_the_kubernetes_device_plugin_without_nvml_or_devices_is_a_container_without_the_gpu() -> None:
    log = ("2024/03/01 10:00:00 Failed to initialize NVML: could not load NVML library.\n"
           "2024/03/01 10:00:00 If this is a GPU node, did you set the docker default runtime to `nvidia`?\n")
    assert _codes(log)[0] == "CONTAINER_NO_GPU"
    assert _codes("E0123 16:54:07.2 1 factory.go:119] If this is a GPU node, did you configure the NVIDIA Container Toolkit?\n")[0] == "CONTAINER_NO_GPU"
    assert _codes("I0601 09:21:25.1 1 main.go:416] No devices found. Waiting indefinitely.\n")[0] == "CONTAINER_NO_GPU"
    # The plugin's other lines (it starts, registers devices) say nothing against the GPU.
    assert _codes("I0601 09:21:25.1 1 server.go:195] Registered device plugin for 'nvidia.com/gpu' with Kubelet\n") == []


def test_apptainer_finding_no_driver_files_is_a_host_without_the_driver() -> None:
    for line in ("WARNING: Could not find any nv files on this host!\n",
                 "INFO:    Could not find any nv libraries on this host!\n"):
        causes = _codes(line)
        assert causes[0] == "DRIVER_MISSING" and "NO_GPU" in causes, line
    # The same check for AMD's ROCm is not about an NVIDIA GPU.
    assert _codes("WARNING: Could not find any rocm files on this host!\n") == []


# --- clouds: no GPU machine ---------------------------------------------------------------------------------


def test_a_gpu_family_quota_is_no_gpu_and_a_cpu_family_quota_is_quiet() -> None:
    for line in ("azure_error_message:Operation could not be completed as it results in exceeding approved "
                 "standardNCSv3Family Cores quota. Additional details - Deployment Model: Resource Manager\n",
                 "(QuotaExceeded) Operation could not be completed as it results in exceeding approved Standard "
                 "NDASv4_A100 Family Cores quota.\n",
                 "The specified subscription has a Standard NCADSA100v4 Family vCPU quota of 0 and cannot accomodate "
                 "for at least 1 requested managed compute nodes which maps to 24 vCPUs.\n"):
        assert _codes(line) == ["NO_GPU"], line
    for line in ("Operation could not be completed as it results in exceeding approved standardDSv3Family Cores quota.\n",
                 "Operation could not be completed as it results in exceeding approved Total Regional Cores quota.\n",
                 "Operation could not be completed as it results in exceeding approved Standard NP Family Cores quota.\n"):
        assert _codes(line) == [], line


def test_gcp_gpu_quota_and_colab_backend_are_no_gpu() -> None:
    for line in ("ERROR: (gcloud.compute.instances.create) Could not fetch resource:\n - Quota 'NVIDIA_A100_GPUS' exceeded.  Limit: 0.0 in region us-central1.\n",
                 " - Quota 'GPUS_ALL_REGIONS' exceeded. Limit: 0.0 globally.\n",
                 "The following quota metrics exceed quota limits: aiplatform.googleapis.com/custom_model_training_nvidia_t4_gpus\n",
                 "Cannot connect to GPU backend\nYou cannot currently connect to a GPU due to usage limits in Colab.\n"):
        assert _codes(line)[0] == "NO_GPU", line
        assert _report(line).verdict.gpu_usable is False
    # A CPU quota, and a Colab session that got its GPU, are quiet.
    assert _codes(" - Quota 'CPUS' exceeded. Limit: 24.0 in region us-central1.\n") == []
    assert _codes("Connected to Python 3 Google Compute Engine backend (GPU)\n") == []


# --- NVIDIA's container images: the start-up check ------------------------------------------------------------


def test_the_images_cuda_check_is_read_through_the_cuda_status_it_names() -> None:
    banner = "ERROR: The NVIDIA Driver is present, but CUDA failed to initialize.  GPU functionality will not be available.\n"
    assert _codes(banner + "   [[ System has unsupported display driver / cuda driver combination (error 803) ]]\n")[0] == "DRIVER_MISMATCH"
    # 804 in an image that ships CUDA's forward-compatibility package: the host driver is too old for the image's CUDA
    # (accrank3, knowledge/priors.toml [[status_prior]]).
    assert _codes(banner + "   [[ Forward compatibility was attempted on non supported HW (error 804) ]]\n")[0] == "DRIVER_TOO_OLD"
    assert "LOG-PLAT-NGC-CUDA-INIT-FAILED" in _ids(banner + "   [[ System not yet initialized (error 802) ]]\n")
    # The banner alone names no status (quiet, as before); the script's MIG hint is not a status line.
    assert _codes(banner) == []
    assert _codes("   [[ Possible MIG misconfiguration detected ]]\n") == []


def test_the_images_gpu_range_check_names_an_unsupported_gpu() -> None:
    log = ("WARNING: Detected NVIDIA GeForce RTX 5090 GPU, which is not yet supported in this version of the container\n"
           "ERROR: No supported GPU(s) detected to run this container\n")
    assert _codes(log)[0] == "GPU_NOT_SUPPORTED"
    assert _codes("ERROR: Detected Tesla K80 GPU, which is not supported by this container\n") == ["GPU_NOT_SUPPORTED"]
    # Alone, "no supported GPU" also lists the container not given one.
    assert "CONTAINER_NO_GPU" in _codes("ERROR: No supported GPU(s) detected to run this container\n")[:3]
    # A newer minor of the image's top architecture still runs: quiet.
    assert _codes("WARNING: Detected NVIDIA H200 GPU, which may not yet be supported in this version of the container\n") == []


def test_rootless_device_rules_are_a_container_without_the_gpu() -> None:
    line = ("stderr: Auto-detected mode as 'legacy'\nnvidia-container-cli: mount error: failed to add device rules: "
            "unable to find any existing device filters attached to the cgroup: bpf_prog_query(BPF_CGROUP_DEVICE) "
            "failed: operation not permitted: unknown.\n")
    assert _codes(line) == ["CONTAINER_NO_GPU"]
    assert _codes("bpftool: bpf_prog_query(BPF_CGROUP_DEVICE) failed: operation not permitted\n") == []


def test_a_sagemaker_gpu_instance_without_quota_is_no_gpu() -> None:
    for line in ("ResourceLimitExceeded: An error occurred (ResourceLimitExceeded) when calling the CreateEndpoint "
                 "operation: The account-level service limit 'ml.g5.2xlarge for endpoint usage' is 0 Instances\n",
                 "The requested resource training-job/ml.p4d.24xlarge is not available in this region\n"):
        assert _codes(line) == ["NO_GPU"], line
    # A CPU instance type's limit says nothing about a GPU.
    assert _codes("The account-level service limit 'ml.m5.xlarge for endpoint usage' is 0 Instances\n") == []


def test_missing_gsp_firmware_is_an_incomplete_driver() -> None:
    line = "[    4.2] nvidia 0000:65:00.0: Direct firmware load for nvidia/570.86.10/gsp_ga10x.bin failed with error -2\n"
    assert _codes(line) == ["DRIVER_MISSING"]
    # Another device's firmware, and an error other than "no such file", are not this reading.
    assert _codes("iwlwifi 0000:00:14.3: Direct firmware load for iwlwifi-so-a0-gf-a0-86.ucode failed with error -2\n") == []
    assert "LOG-PLAT-GSP-FIRMWARE-MISSING" not in _ids(
        "nvidia 0000:01:00.0: Direct firmware load for nvidia/570.86.10/gsp_ga10x.bin failed with error -4\n")


def test_kubernetes_without_the_nvidia_runtime_is_a_container_without_the_gpu() -> None:
    for line in ('Error creating: pods "trainer-0" is forbidden: pod rejected: RuntimeClass "nvidia" not found\n',
                 "Warning  FailedCreatePodSandBox  kubelet  Failed to create pod sandbox: rpc error: code = Unknown "
                 'desc = failed to get sandbox runtime: no runtime for "nvidia" is configured\n'):
        assert _codes(line) == ["CONTAINER_NO_GPU"], line
    # Another runtime class missing is not about the GPU.
    assert _codes('pods "nginx" is forbidden: pod rejected: RuntimeClass "kata" not found\n') == []


def test_no_capacity_for_a_gpu_instance_type_is_no_gpu() -> None:
    line = ("An error occurred (InsufficientInstanceCapacity) when calling the RunInstances operation: We currently "
            "do not have sufficient p4d.24xlarge capacity in the Availability Zone you requested (us-east-1a).\n")
    assert _codes(line) == ["NO_GPU"]
    assert _codes("We currently do not have sufficient c5n.18xlarge capacity in the Availability Zone you requested (us-east-1a).\n") == []


def test_a_gpu_left_to_a_legacy_driver_branch_is_unsupported() -> None:
    log = ("[   5.1] NVRM: The NVIDIA GeForce GTX 750 Ti GPU installed in this system is\n"
           "            NVRM:  supported through the NVIDIA 470.xx Legacy drivers. Please\n"
           "            NVRM:  visit http://www.nvidia.com/object/unix.html for more\n"
           "            NVRM:  information.  The 550.54.15 NVIDIA driver will ignore\n"
           "            NVRM:  this GPU.  Continuing probe...\n"
           "[   5.1] NVRM: No NVIDIA GPU found.\n")
    causes = _codes(log)
    assert causes[0] == "GPU_NOT_SUPPORTED" and "DRIVER_MISSING" in causes[:3]
    # The legacy branch named as advice, not by the driver, is not the message.
    assert "LOG-PLAT-NVRM-LEGACY-GPU" not in _ids("Legacy GPUs are supported through special legacy drivers.\n")
