"""Batch schedulers and shared clusters (session 36, accsched): LOG666-LOG669 (explain.schedjob, knowledge.schedulers)."""

from __future__ import annotations

from log_text import codes, facts, finding_codes, first_cause
from whygpu.knowledge.schedulers import decide, directive_named, node_state_said, place_said

# https://github.com/aws/aws-parallelcluster/issues/5085
HEAD_NODE = """Head node: c5.2xlarge
Compute nodes: g4dn.metal (T4 GPUs)
I can install OpenMM with miniconda on the head node, but when I run a test to see if OpenMM works, I get the following error:
python -m openmm.testInstallation
3 CUDA - Error computing forces with CUDA platform
CUDA platform error: Error initializing CUDA: CUDA_ERROR_NO_DEVICE (100) at /home/conda/feedstock_root/build_artifacts/openmm_1675115856424/work/platforms/cuda/src/CudaContext.cpp:140
"""


def test_a_run_on_the_head_node_with_no_device_is_no_gpu() -> None:
    assert "place:login-node:ran" in [s.value for s in facts(HEAD_NODE).sched_job]
    assert first_cause(HEAD_NODE) == "NO_GPU"
    assert "LOG666" in finding_codes(HEAD_NODE)


def test_the_head_node_without_a_no_device_failure_is_not_read() -> None:
    text = "I can install OpenMM with miniconda on the head node and submit jobs from there to the g4dn compute nodes."
    assert "LOG666" not in finding_codes(text)


def test_a_denied_or_supposed_login_node_is_not_read() -> None:
    assert place_said("I am not running this on the login node, it is inside an sbatch job") is None
    assert place_said("if you run it on the login node it will fail") is None
    assert place_said("The login node does not contain any GPUs") is not None


def test_a_login_node_lack_beside_a_submitted_job_only_ranks() -> None:
    text = ("The login node does not contain any GPUs, so I submitted it with sbatch.\n#SBATCH --gres=gpu:1\n"
            "RuntimeError: No CUDA GPUs are available\n")
    assert first_cause(text) != "NO_GPU"


def test_a_login_node_quiet_where_the_gpu_was_used() -> None:
    text = ("The login node does not contain any GPUs, so I submitted with srun.\n"
            "Epoch 1: 100%|##########| 500/500 [00:10<00:00, 48.2it/s] Using device: cuda:0 (NVIDIA A100-SXM4-40GB)\n")
    assert "LOG666" not in finding_codes(text)


# https://github.com/cBio/cbio-cluster/issues/39
def test_a_node_that_lost_a_gpu_is_gpu_fault() -> None:
    text = "gpu-2-12 has lost a GPU\n[chodera@gpu-2-12 Ro 08-2750]$ nvidia-smi"
    assert node_state_said("gpu-2-12 has lost a GPU") is not None
    assert first_cause(text) == "GPU_FAULT"
    assert "LOG667" in finding_codes(text)


# https://github.com/ai4d-iasc/trixie/issues/92
def test_a_job_failing_on_one_node_with_memory_is_gpu_busy() -> None:
    text = ("each time I submit a job on `cn119` I get an CUDA error about failing to allocate memory.  "
            "The same job on a different node works fine.")
    ranked = codes(text)
    assert ranked[0] == "GPU_BUSY"
    assert "GPU_FAULT" in ranked


def test_a_job_failing_on_one_node_without_memory_is_gpu_fault_first() -> None:
    text = "each time I submit a job on cn119 it crashes with an illegal instruction. The same job on a different node works fine."
    assert decide("node_state", "node-only-fails", gpu_in_use=False).cause == "GPU_FAULT"  # type: ignore[union-attr]
    assert codes(text)[:1] == ["GPU_FAULT"]


def test_a_lost_gpu_words_in_other_senses_are_not_read() -> None:
    assert node_state_said("I lost all my GPU memory stats when the job ended") is None
    assert node_state_said("the job is short on GPU memory") is None


# https://github.com/cBio/cbio-cluster/issues/220
def test_another_users_job_on_the_gpu_is_gpu_busy() -> None:
    text = ("If I request a gpu using qlogin -l gpus=1 I do indeed get an online session on a node that has gpus.\n"
            "theano refuses to start a job on the gpu citing a memory error. it simply means the device/gpu is not available "
            "because someone else is running a job on it and it is blocked from access.")
    assert first_cause(text) == "GPU_BUSY"
    # One meaning, one decision (session 37): another user's job on the GPU is knowledge.occupancy's holder, judged by LOG665.
    assert "LOG665" in finding_codes(text) and "LOG667" not in finding_codes(text)


# https://github.com/NVIDIA/deepops/issues/1102
PER_TASK = """#SBATCH --nodes=1
#SBATCH --ntasks=4
#SBATCH --gpus-per-task=1
will result in only the last process receiving a GPU
"PROCID=2: No devices found."
"PROCID=1: GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-02348a17-a825-300c-0336-48e33d0dadb2)"
"""


def test_a_per_task_binding_beside_no_device_is_gpu_hidden() -> None:
    assert [r.id for r in directive_named("#SBATCH --gpus-per-task=1")] == ["slurm-gpus-per-task"]
    assert first_cause(PER_TASK) == "GPU_HIDDEN"
    assert "LOG668" in finding_codes(PER_TASK)


def test_a_per_job_request_beside_no_device_is_not_a_binding() -> None:
    text = "#SBATCH --gres=gpu:1\n#SBATCH --ntasks=4\nPROCID=2: No devices found."
    assert "LOG668" not in finding_codes(text)


def test_a_per_task_binding_without_a_sign_is_quiet() -> None:
    assert "LOG668" not in finding_codes("#SBATCH --ntasks=4\n#SBATCH --gpus-per-task=1\nsrun python train.py\nEpoch 1 done")


# https://github.com/jax-ml/jax/issues/16788
JAX_SLURM = """import jax
jax.distributed.initialize()
print(jax.devices(), jax.local_devices())
#SBATCH --nodes=2
#SBATCH --gpus=4
srun python distributed.py
0,1
[gpu(id=0), gpu(id=1)] [gpu(id=0)]
So each of the two hosts only contributes one local device.
"""


def test_jax_slurm_one_device_per_process_is_gpu_hidden() -> None:
    assert first_cause(JAX_SLURM) == "GPU_HIDDEN"
    assert "LOG669" in finding_codes(JAX_SLURM)


def test_jax_one_device_words_without_slurm_are_quiet() -> None:
    text = "import jax\njax.distributed.initialize()\nSo each of the two hosts only contributes one local device.\n"
    assert "LOG669" not in finding_codes(text)


def test_signs_alone_record_nothing() -> None:
    assert facts("RuntimeError: No CUDA GPUs are available").sched_job == []
