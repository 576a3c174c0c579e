"""accnotice (session 32): six readings earlier branches noticed wrong or missing, each with real lines from public threads
(the thread's URL beside each), a case where the reading speaks and one where it stays quiet."""

from __future__ import annotations

from tests.log_text import codes, facts, finding_codes, report

from whygpu.explain import grammar
from whygpu.explain import where as where_ran
from whygpu.explain.versionfacts import built_found
from whygpu.knowledge.cuda_versions import cuda_from_code

# --- 1. docker compose's prefix: the lines are the container's -------------------------------------------------------

# https://github.com/matatonic/openedai-images-flux/issues/7: a service with a container_name is printed behind the name
# alone, and compose says the container exited.
OPENEDAI = """\
openedai-images-flux  | Traceback (most recent call last):
openedai-images-flux  |   File "/app/images.py", line 417, in <module>
openedai-images-flux  |     if get_cuda_compute_capability()[0] >= 8:
openedai-images-flux  |   File "/app/images.py", line 412, in get_cuda_compute_capability
openedai-images-flux  |     device = torch.cuda.current_device()
openedai-images-flux  |   File "/usr/local/lib/python3.11/site-packages/torch/cuda/__init__.py", line 314, in _lazy_init
openedai-images-flux  |     torch._C._cuda_init()
openedai-images-flux  | RuntimeError: No CUDA GPUs are available
openedai-images-flux exited with code 1
"""


def _in_container(text: str) -> bool:
    from whygpu.explain.logfacts import FactReader

    reader = FactReader()
    reader.read_text("t", text)
    reader.read_packaging("t", text)
    return bool(reader.facts.in_container)


def test_a_compose_service_printed_behind_its_container_name_is_a_container() -> None:
    assert where_ran.compose_service_lines(OPENEDAI.splitlines())[0][1] == "openedai-images-flux"
    assert _in_container(OPENEDAI)
    assert codes(OPENEDAI)[0] == "CONTAINER_NO_GPU"


def test_a_name_and_a_bar_without_compose_is_a_table_not_a_container() -> None:
    # The same rows without compose's own line about the container: a two-column table reads the same way.
    rows = "\n".join(OPENEDAI.splitlines()[:-1])
    assert where_ran.compose_service_lines(rows.splitlines()) == []
    table = "Package        | Version\ntorch          | 2.1.0\nnumpy          | 1.26.4\ntorchvision    | 0.16.0\n"
    assert where_ran.compose_service_lines(table.splitlines()) == []
    # pytest-xdist's worker tags are no compose prefix (https://github.com/pytest-dev/pytest-xdist, its -v output).
    xdist = "[gw1] [ 50%] PASSED tests/test.py::TestGroup2::test_val_2@group2\n[gw0] [100%] PASSED tests/test.py::TestGroup1::test_val_1@group1\n"
    assert not _in_container(xdist)


def test_an_empty_line_of_a_replica_is_still_its_prefix() -> None:
    lines = ["trainer-1  | Epoch 1", "trainer-1  |", "trainer-1  | RuntimeError: No CUDA GPUs are available"]
    assert where_ran.compose_service_lines(lines) == [(1, "trainer-1")]


def test_docker_compose_up_typed_is_a_container_but_advice_to_run_it_is_not() -> None:
    # (constructed: compose's own command line, https://docs.docker.com/reference/cli/docker/compose/up/, typed at a prompt)
    typed = "$ docker compose -f docker-compose.gpu.yml up --build\nRuntimeError: No CUDA GPUs are available\n"
    assert facts(typed).in_container
    advised = "You should run docker compose up -d again.\nRuntimeError: No CUDA GPUs are available\n"
    assert not facts(advised).in_container


# --- 2. nvidia-smi run inside a pod or container from the host --------------------------------------------------------

# https://github.com/Azure/AKS/issues/1271: a shell entered in the pod, nvidia-smi typed there.
AKS = """\
# kubectl exec -it samples-tf-mnist-demo-gf4zs sh
#
# nvidia-smi
sh: 27: nvidia-smi: not found
# find / -name nvidia-smi
"""
# https://github.com/NVIDIA/gpu-operator/issues/695: nvidia-smi exec'd in a pod, its table after kubectl's notices.
OPERATOR = """\
kubectl -n gpu-operator exec -it nvidia-dcgm-exporter-z2h9r  nvidia-smi
kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.
Defaulted container "nvidia-dcgm-exporter" out of: nvidia-dcgm-exporter, toolkit-validation (init)
Thu Apr 11 10:13:36 2024
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |
"""
# https://github.com/microsoft/pai/issues/4359: docker exec into a container's shell, nvidia-smi missing there.
PAI = """\
> ubuntu@server3:~$ sudo docker exec -it 50dd3dbe948c /bin/bash
> root@server3:~/drivers# nvidia-smi
> bash: nvidia-smi: command not found
"""


def test_nvidia_smi_missing_in_a_pod_shell_is_the_pods() -> None:
    seen = facts(AKS)
    assert [s.value for s in seen.smi_answer_inside] == ["absent"]
    assert seen.in_container and seen.smi_missing_inside
    assert codes(AKS)[0] == "CONTAINER_NO_GPU"
    assert [s.value for s in facts(PAI).smi_answer_inside] == ["absent"]


def test_nvidia_smi_table_after_kubectl_exec_is_the_pods_gpu() -> None:
    seen = facts(OPERATOR)
    assert [s.value for s in seen.smi_answer_inside] == ["table"]
    assert seen.stated_smi_in_container
    # with the framework then finding no GPU, the pod's not given the GPU is ruled out
    text = "$ kubectl exec -it gpu-pod -- nvidia-smi\n" + OPERATOR.splitlines()[-2] + "\n" + OPERATOR.splitlines()[-1] + "\n>>> torch.cuda.is_available()\nFalse\n"
    assert "CONTAINER_NO_GPU" not in codes(text)


def test_nvml_unknown_error_inside_a_pod_reads_as_the_containers() -> None:
    # https://github.com/Project-HAMi/HAMi/issues/1520 (its title: a pod's nvidia-smi reports "Failed to initialize NVML:
    # Unknown Error"; the exec line is the command such a check runs)
    inside = "$ kubectl exec -it gpu-pod -- nvidia-smi\nFailed to initialize NVML: Unknown Error\n"
    assert codes(inside)[0] == "CONTAINER_NO_GPU"
    # The same error with nothing placing nvidia-smi inside a container: the signature's own ranking stands.
    bare = "$ nvidia-smi\nFailed to initialize NVML: Unknown Error\n"
    assert not facts(bare).smi_answer_inside
    assert codes(bare)[0] == "GPU_FAULT"


def test_a_host_prompt_running_nvidia_smi_is_not_inside_a_container() -> None:
    # https://github.com/Project-HAMi/HAMi/issues/248 (the node's nvidia-smi, beside the pods' failure)
    host = "root@10-3-8-171:/# nvidia-smi\nMon Apr  8 08:51:14 2024\n| NVIDIA-SMI 535.129.03             Driver Version: 535.129.03   CUDA Version: 12.2     |\n"
    assert not facts(host).smi_answer_inside
    advised = "Try kubectl exec -it gpu-pod -- nvidia-smi to check.\nFailed to initialize NVML: Unknown Error\n"
    assert not facts(advised).smi_answer_inside


# --- 3. xFormers' "(you have 2.2.0+cu121)" is torch's release, "CUDA 1201" is 12.1 ------------------------------------

def test_xformers_build_line_is_not_a_cuda_mismatch() -> None:
    # https://github.com/facebookresearch/xformers/issues/1250
    line = "    PyTorch 2.6.0+cu118 with CUDA 1107 (you have 2.6.0+cu118)"
    assert built_found(line) is None
    one_line = "WARNING[XFORMERS]: xFormers can't load C++/CUDA extensions. xFormers was built for: PyTorch 2.1.2+cu121 with CUDA 1201 (you have 2.2.0+cu121)"
    assert built_found(one_line) is None
    assert "LOG191" not in finding_codes(one_line)
    seen = facts(one_line)
    assert [s.value for s in seen.versions["torch"]] == ["2.2.0+cu121"]
    assert [s.value for s in seen.build_cuda["torch"]] == ["12.1"]


def test_xformers_line_with_a_cpu_torch_names_the_cpu_build() -> None:
    # https://github.com/open-mmlab/PIA/issues/30 (the title, one line)
    line = "xFormers can't load C++/CUDA extensions. xFormers was built for: PyTorch 2.1.2+cu121 with CUDA 1201 (you have 2.1.2+cpu)"
    assert codes(line)[0] == "FRAMEWORK_CPU_BUILD"
    assert "LOG191" not in finding_codes(line)


def test_a_build_and_found_pair_still_speaks() -> None:
    # LOG191's own example (https://github.com/PaddlePaddle/Paddle/issues/17977) and CUDA's own integer code
    paddle = "The installed Paddle is compiled with CUDNN 7.4, but CUDNN version in your machine is 7.0, which may cause serious incompatible bug."
    pair = built_found(paddle)
    assert pair is not None and (pair.built, pair.found) == ("7.4", "7.0")
    assert cuda_from_code("1201") == "12.1" and cuda_from_code("1108") == "11.8"
    assert cuda_from_code("11040") == "11.4" and cuda_from_code("9020") == "9.2"


# --- 4. "still ... after reinstalling": the problem stayed, nothing was fixed ------------------------------------------

def test_a_problem_that_stayed_after_a_reinstall_is_no_remedy() -> None:
    # https://github.com/facefusion/facefusion/issues/256 (labelled corpus: CUDA_LIBS_MISMATCH) and
    # https://github.com/pytorch/pytorch/issues/100120
    for line in ("Reinstalled everything and still getting the same error",
                          "i am working with Python 3.9.16 and torch 2.0 on windows 10 and still trying to figure out why I am still getting "
                 "the same error message torch.cuda.is_available() False"):
        assert not facts(line).stated_remedy
        assert "LOG180" not in finding_codes("torch.cuda.is_available() returns False\n" + line)


# --- 5. nvidia-smi's "CUDA Version" is the driver's ----------------------------------------------------------------------

def test_nvidia_smis_cuda_version_named_with_it_is_the_drivers() -> None:
    # https://github.com/pytorch/pytorch/issues/85332
    text = ("nvidia-smi:NVIDIA-SMI 450.51.05    Driver Version: 450.51.05    CUDA Version: 11.0 \n"
            "nvcc -V:Cuda compilation tools, release 10.2, V10.2.89\n")
    seen = facts(text)
    assert [s.value for s in seen.driver_cuda] == ["11.0"]
    assert [s.value for s in seen.cuda_installed] == ["10.2"]


def test_the_field_alone_after_nvidia_smi_is_the_drivers() -> None:
    # https://github.com/pytorch/pytorch/issues/100120 ("... and nvidia-smi shows" and the header on the next line)
    text = "still getting the same error message torch.cuda.is_available() False and nvidia-smi shows\n| NVIDIA-SMI 516.25       Driver Version: 516.25       CUDA Version: 11.7\n"
    assert [s.value for s in facts(text).driver_cuda] == ["11.7"]
    # The header's last field alone on its line after nvidia-smi was named (the same field as the thread's header prints it).
    alone = "still getting the same error message torch.cuda.is_available() False and nvidia-smi shows\nCUDA Version: 11.7\n"
    seen = facts(alone)
    assert [s.value for s in seen.driver_cuda] == ["11.7"]
    assert not seen.cuda_installed
    said = "nvidia-smi shows CUDA Version: 12.2 but nvcc says Cuda compilation tools, release 11.8, V11.8.89"
    seen = facts(said)
    assert [s.value for s in seen.driver_cuda] == ["12.2"]
    assert [s.value for s in seen.cuda_installed] == ["11.8"]


def test_the_field_after_nvidia_smi_named_without_its_output_stays_the_installed() -> None:
    # nvidia-smi named on the line before, but not as what printed the field (a template's list; constructed).
    seen = facts("- GPU: RTX 3090 (driver from nvidia-smi 535)\n- CUDA Version: 11.8\n")
    assert not seen.driver_cuda
    assert [s.value for s in seen.cuda_installed] == ["11.8"]
    # and after "nvidia-smi says", before TensorFlow's loader line (https://github.com/tensorflow/tensorflow/issues/55492's line)
    said = ("I ran nvidia-smi and it says\nCUDA Version: 11.4\n"
            "W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudart.so.11.0'; "
            "dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory\n")
    seen = facts(said)
    assert [s.value for s in seen.driver_cuda] == ["11.4"] and not seen.cuda_installed


def test_a_templates_cuda_version_without_nvidia_smi_stays_the_installed() -> None:
    # An issue template's field with no nvidia-smi near it (https://github.com/tensorflow/tensorflow/issues/55492: "CUDA/cuDNN version:11.4")
    seen = facts("- Installed using virtualenv? pip? conda?:conda\n- CUDA/cuDNN version:11.4\n")
    assert not seen.driver_cuda


def test_a_torch_version_answer_names_its_cuda() -> None:
    # The REPL's answer carries the wheel's CUDA; with nvidia-smi's 12.2 the driver is new enough for cu121.
    text = ("| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2 |\n>>> import torch\n"
            ">>> torch.cuda.is_available()\nFalse\n>>> torch.__version__\n'2.1.0+cu121'\n")
    assert [s.value for s in facts(text).build_cuda["torch"]] == ["12.1"]
    assert codes(text)[0] != "DRIVER_TOO_OLD"


# --- 6. a quotation mark touching the first word --------------------------------------------------------------------

def test_a_quotation_mark_touching_the_first_word_is_a_quotation() -> None:
    # grammar.quoted_from reads it as quoted; grammar.quoted keeps it the writer's report of the message they got.
    for text, word in (('I keep getting "No GPU found, using CPU instead" every time', "No"),
                       ("The app prints 'CUDA not available, falling back to CPU' on start", "CUDA")):
        assert grammar.quoted_from(text, text.index(word))
        assert grammar.quoted(text, text.index(word) + 3)
    # The program's message quoted that way is still read as what the run printed (facechain's message,
    # https://github.com/modelscope/facechain/issues/3 "CUDA is not available.", quoted in a sentence of the writer's).
    assert facts('I\'m getting "CUDA is not available." every time I run it').stated_unused


def test_an_apostrophe_in_prose_opens_no_quotation() -> None:
    for text, word in (("It's running on the CPU", "running"), ("the users' GPUs are not used", "GPUs"),
                       ("it's 'CUDA not available' again", "again")):
        assert not grammar.quoted(text, text.index(word))
        assert not grammar.quoted_from(text, text.index(word))
    assert report("It's running on the CPU since the users' GPUs are busy with another job.").causes is not None
