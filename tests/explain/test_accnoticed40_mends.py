"""Mends noticed in session 39 (accnoticed40, session 40): text-generation-webui's offload setting (LOG805,
knowledge/inference_offload.toml), MATLAB's own driver-too-old message (LOG-MATLAB-DRIVER-TOO-OLD), GKE nodes created
without a GPU (LOG806, knowledge/gcp.toml [[gke_create]]; LOG795 quiet there), and nvidia/cudagl's tags read as the CUDA
images' (knowledge/image_libraries.toml [[repository]])."""

from __future__ import annotations

from log_text import codes, facts, finding_codes
from whygpu.knowledge.gcp import gke_pool_without_gpu

# --- 1. text-generation-webui's n-gpu-layers ----------------------------------------------------------------------------
# The shape of LocalAI-586's report (its maintainer: the layers setting), said of text-generation-webui.
TEXTGEN = "Despite building with cuBLAS, text-generation-webui still uses only my CPU by the looks of it.\n"


def test_textgen_webui_is_a_program_of_the_family() -> None:
    assert [s.value for s in facts(TEXTGEN).offload_program] == ["text-generation-webui"]
    assert "LOG805" in finding_codes(TEXTGEN)
    assert codes(TEXTGEN)[0] == "CODE_FORCES_CPU"


def test_textgen_webui_quiet_where_the_layers_were_given() -> None:
    given = TEXTGEN + "python server.py --model model.gguf --n-gpu-layers 35\n"
    assert "LOG805" not in finding_codes(given)
    assert "LOG805" not in finding_codes(TEXTGEN + "n-gpu-layers: 40\n")


# --- 2. MATLAB's "The CUDA driver was found, but it is too old" ---------------------------------------------------------
# https://github.com/MouseLand/Kilosort/issues/241 (the maintainer: upgrade the driver for the MATLAB release)
KILOSORT_241 = """>> kilosort
There is a problem with the CUDA driver or with this GPU device. Be sure that you have a supported GPU and that the latest driver is installed.

Error in ksFilter (line 15)
    dataRAW = gpuArray(buff);

Caused by:
    The CUDA driver was found, but it is too old. The CUDA driver on your system supports CUDA version 5.5. The required CUDA version
    is 7.5 or greater.
"""


def test_matlab_driver_too_old_reads_driver_too_old() -> None:
    assert "LOG-MATLAB-DRIVER-TOO-OLD" in finding_codes(KILOSORT_241)
    assert codes(KILOSORT_241)[0] == "DRIVER_TOO_OLD"


def test_matlab_message_only_in_its_own_words() -> None:
    asked = "Will MATLAB say the CUDA driver is too old if I install CUDA 11?\n"
    assert "LOG-MATLAB-DRIVER-TOO-OLD" not in finding_codes(asked)


# --- 3. GKE nodes created without a GPU ---------------------------------------------------------------------------------
# https://github.com/kubeflow/katib/issues/1915 (a cluster of n1-standard-2 nodes, no GPU node pool; TensorFlow found no
# libcuda). The cuInit line is left out: with it, a signature's own reading already kept LOG795 quiet.
KATIB_1915 = """I am trying to create a kubeflow pipeline that tunes the hyper parameters of a model in tensorflow using katib on GKE clusters. I created a cluster using the below commands

CLUSTER_NAME="kubeflow-pipelines-standalone-v2"
ZONE="us-central1-a"
MACHINE_TYPE="n1-standard-2"
NODES_NUM=1

gcloud container clusters create $CLUSTER_NAME --zone $ZONE --machine-type $MACHINE_TYPE --scopes $SCOPES --num-nodes $NODES_NUM

2022-07-13 07:03:46.213980: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcuda.so.1'; dlerror: libcuda.so.1: cannot open shared object file: No such file or directory; LD_LIBRARY_PATH: /usr/local/nvidia/lib:/usr/local/nvidia/lib64
"""


def test_gke_cluster_without_accelerator_reads_no_gpu_not_a_library_place() -> None:
    assert [s.value for s in facts(KATIB_1915).gke_nodes_without_gpu] == ["n1-standard-2"]
    found = finding_codes(KATIB_1915)
    assert "LOG806" in found and "LOG795" not in found
    assert codes(KATIB_1915)[0] == "NO_GPU"


def test_gke_pool_with_an_accelerator_decides_nothing() -> None:
    gpu = KATIB_1915.replace("--num-nodes $NODES_NUM", "--num-nodes $NODES_NUM --accelerator type=nvidia-tesla-t4,count=1")
    assert facts(gpu).gke_nodes_without_gpu == []
    assert "LOG806" not in finding_codes(gpu)
    # A GPU node pool shown beside the CPU cluster: the pods may run there.
    pool = KATIB_1915 + "gcloud container node-pools create gpu-pool --cluster $CLUSTER_NAME --accelerator type=nvidia-tesla-t4,count=1\n"
    assert "LOG806" not in finding_codes(pool)


def test_gke_pool_knowledge() -> None:
    assert gke_pool_without_gpu("container clusters create", flags=frozenset(), machine_type=None) == "e2-medium"
    assert gke_pool_without_gpu("container node-pools create", flags=frozenset({"--machine-type"}), machine_type="g2-standard-8") is None
    assert gke_pool_without_gpu("container node-pools create", flags=frozenset({"--machine-type"}), machine_type="") is None
    assert gke_pool_without_gpu("container clusters create-auto", flags=frozenset(), machine_type=None) is None


def test_a_machine_type_the_log_does_not_show_decides_nothing() -> None:
    unknown = KATIB_1915.replace('MACHINE_TYPE="n1-standard-2"\n', "")
    assert facts(unknown).gke_nodes_without_gpu == []


# --- 4. nvidia/cudagl tags ----------------------------------------------------------------------------------------------


def test_cudagl_tag_is_a_cuda_image_tag() -> None:
    f = facts("FROM nvidia/cudagl:11.3.0-devel-ubuntu20.04\n")
    assert [s.value for s in f.cuda_image] == ["11.3.0-devel-ubuntu20.04"]


def test_other_nvidia_paths_are_not_cuda_images() -> None:
    assert facts("/usr/lib/python3/site-packages/nvidia/cuda_runtime/lib/libcudart.so.12\n").cuda_image == []
    assert facts("docker pull nvidia/cudagl-base\n").cuda_image == []


# --- 5. a finding's "build of" as a typed field ------------------------------------------------------------------------
# https://github.com/ok-robot/ok-robot/issues/4 (GroundingDINO's extension built without CUDA)
GDINO = """  File "/home/hs/miniconda3/envs/grasp-env/lib/python3.9/site-packages/groundingdino/models/GroundingDINO/ms_deform_attn.py", line 53, in forward
    output = _C.ms_deform_attn_forward(
NameError: name '_C' is not defined
"""


def test_an_extensions_findings_carry_the_build_they_are_about() -> None:
    from log_text import report

    found = [f for f in report(GDINO).findings if f.id == "LOG850"]
    assert found and all(f.build_of == "GroundingDINO" for f in found)
    assert found[0].to_json()["extra"]["build_of"] == "GroundingDINO"
    # The framework's own findings carry none: they are judged by the framework's build.
    assert all(f.build_of is None for f in report(TEXTGEN).findings)
    # torch's CUDA build says nothing of the extension's own build (the ranking reads build_of, not the scope's words).
    assert codes("torch 2.0.1+cu117\ntorch.cuda.is_available(): True\n" + GDINO)[0] == "FRAMEWORK_CPU_BUILD"
