"""Session 31 (accspec): a spec or launch command pasted in a log, read for the GPU request it lacks, through the one
reading lint uses too (knowledge.gpu_specs).

Specs are written from each format's documentation (Compose's gpu-support page, Kubernetes' scheduling-gpus page, KServe's
custom-predictor and KubeRay's GPU pages, MLflow Projects' docker_env, k3s's GPU page) and the failures from the programs'
own messages; beside each, the near misses that must stay quiet: the spec asks for the GPU, the GPU is shown inside the
container, a fragment, another distribution, a launch continued onto a line that holds --gpus.
"""

from __future__ import annotations

from log_text import codes, facts, finding_codes

_NO_GPUS = "RuntimeError: No CUDA GPUs are available\n"
_NO_DRIVER = ("RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a "
              "driver from http://www.nvidia.com/Download/index.aspx\n")

_ISVC = """apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: summarizer
spec:
  predictor:
    containers:
      - name: kserve-container
        image: registry.example/summarizer:1.2
        resources:
          limits:
            cpu: "4"
            memory: 16Gi
"""

_POD_K3S = """Cluster: k3s v1.30.2+k3s1, one node with an RTX 4090, device plugin installed.
apiVersion: v1
kind: Pod
metadata:
  name: check
spec:
  restartPolicy: Never
  containers:
    - name: check
      image: pytorch/pytorch:2.4.0-cuda12.4-cudnn9-runtime
      command: ["python", "check.py"]
      resources:
        limits:
          nvidia.com/gpu: 1

"""


def test_a_serving_workload_without_a_gpu_request_is_the_container_not_given_the_gpu() -> None:
    text = _ISVC + "\n$ kubectl logs summarizer-predictor-0\n" + _NO_GPUS
    assert codes(text)[0] == "CONTAINER_NO_GPU"
    assert "LOG103" in finding_codes(text)


def test_the_same_workload_asking_for_the_gpu_stays_quiet() -> None:
    text = _ISVC.replace('            memory: 16Gi\n', '            memory: 16Gi\n            nvidia.com/gpu: "1"\n') + _NO_GPUS
    assert "LOG103" not in finding_codes(text)


def test_the_gpu_shown_inside_the_container_keeps_the_spec_quiet() -> None:
    text = _ISVC + "nvidia-smi works inside the container and shows the GPU, but the model server logs:\n" + _NO_GPUS
    assert "LOG103" not in finding_codes(text)


def test_a_fragment_of_resources_is_not_read_as_the_spec() -> None:
    text = "my values.yaml has\nresources:\n  limits:\n    cpu: 2\n    memory: 4Gi\n" + _NO_GPUS
    got = facts(text)
    assert not got.manifest_without_gpus and "LOG103" not in finding_codes(text)


def test_an_mlflow_docker_env_without_gpus_is_read() -> None:
    text = ("name: train\n\ndocker_env:\n  image: example/train:cuda12\n\nentry_points:\n  main:\n    command: python train.py\n\n"
            + _NO_DRIVER)
    assert [m.value for m in facts(text).manifest_without_gpus] == ["mlflow"]
    assert codes(text)[0] == "CONTAINER_NO_GPU"


def test_on_k3s_a_gpu_pod_without_the_runtime_class_runs_without_the_driver() -> None:
    text = _POD_K3S + "$ kubectl logs check\n" + _NO_DRIVER
    assert codes(text)[0] == "CONTAINER_NO_GPU"
    assert "LOG445" in finding_codes(text)


def test_the_runtime_class_or_the_default_runtime_or_another_distribution_keeps_it_quiet() -> None:
    failing = "$ kubectl logs check\n" + _NO_DRIVER
    with_class = _POD_K3S.replace("  restartPolicy: Never\n", "  runtimeClassName: nvidia\n  restartPolicy: Never\n")
    assert "LOG445" not in finding_codes(with_class + failing)
    default = _POD_K3S + "The agent runs with --default-runtime nvidia.\n"
    assert "LOG445" not in finding_codes(default + failing)
    kubeadm = _POD_K3S.replace("k3s v1.30.2+k3s1", "kubeadm v1.30.2")
    assert "LOG445" not in finding_codes(kubeadm + failing)
    # No failure shown: the pod's spec alone decides nothing.
    assert "LOG445" not in finding_codes(_POD_K3S)


def test_a_docker_run_continued_onto_a_line_with_gpus_is_a_launch_with_the_gpu() -> None:
    text = ("$ docker run --rm -it \\\n    --shm-size=8g \\\n    --gpus all \\\n    example/train:latest python train.py\n"
            "Traceback (most recent call last):\n" + _NO_GPUS)
    got = facts(text)
    assert got.docker_run_with_gpus and not got.docker_run_without_gpus
    bare = text.replace("    --gpus all \\\n", "")
    got = facts(bare)
    assert got.docker_run_without_gpus and not got.docker_run_with_gpus


def test_a_sagemaker_algorithm_on_a_cpu_instance_is_no_gpu() -> None:
    text = ("ClientError: An error occurred (ValidationException) when calling the CreateTrainingJob operation: Instance type "
            "ml.m5.2xlarge is not supported by algorithm semantic-segmentation; only GPU instances are supported.\n")
    assert codes(text)[0] == "NO_GPU"
    assert "LOG-PLAT-SAGEMAKER-CPU-INSTANCE" in finding_codes(text)
    # A CPU instance the algorithm accepts: nothing to read.
    assert "LOG-PLAT-SAGEMAKER-CPU-INSTANCE" not in finding_codes("Training on ml.m5.2xlarge finished; 3 epochs.\n")


def test_the_writers_word_that_k3s_pods_need_the_runtime_class_is_read() -> None:
    text = ("Kubeflow runs on a k3s cluster and GPU test pods work. Notebooks get a GPU selected in the form, yet in the notebook\n"
            "torch.cuda.is_available() returns False\n"
            "On k3s the pods need to have runtimeClassName: nvidia set, and the notebook pods are created without it.\n")
    assert "LOG445" in finding_codes(text)
    assert codes(text)[0] == "CONTAINER_NO_GPU"
    added = text.replace("On k3s the pods need to have runtimeClassName: nvidia set, and the notebook pods are created without it.",
                         "I added runtimeClassName: nvidia to the notebook pods on k3s.")
    assert "LOG445" not in finding_codes(added)
    asked = text.replace("On k3s the pods need to have runtimeClassName: nvidia set, and the notebook pods are created without it.",
                         "Do k3s pods need runtimeClassName: nvidia?")
    assert "LOG445" not in finding_codes(asked)


def test_the_launch_mlflow_logs_for_a_docker_env_project_is_read() -> None:
    line = ("2024/03/01 10:00:00 INFO mlflow.projects.backend.local: === Running command 'docker run --rm -v /home/u/mlruns:/mlflow/tmp/mlruns "
            "-e MLFLOW_RUN_ID=0123abcd -e MLFLOW_EXPERIMENT_ID=0 train-image:latest python train.py' in run with ID '0123abcd' === \n")
    got = facts(line + _NO_GPUS)
    assert got.docker_run_without_gpus and not got.docker_run_with_gpus
    assert codes(line + _NO_GPUS)[0] == "CONTAINER_NO_GPU"
    with_gpus = line.replace("docker run --rm", "docker run --rm --gpus all")
    got = facts(with_gpus + _NO_GPUS)
    assert got.docker_run_with_gpus and not got.docker_run_without_gpus
