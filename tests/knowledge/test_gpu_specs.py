"""knowledge.gpu_specs (session 31, accspec): one reading of whether a spec or a launch command asks for the GPU, shared by
lint and explain. Every spec here is written from the spec's documented format (Compose's gpu-support page, Kubernetes'
scheduling-gpus page, KServe's and KubeRay's GPU pages, MLflow Projects' docker_env), not pasted from a report."""

from __future__ import annotations

import pytest

from whygpu.knowledge.gpu_specs import continued_command, launch_gives_gpu, manifests, requests_in

COMPOSE_CPU = """services:
  worker:
    image: example/trainer:cuda12
    command: python train.py
    volumes:
      - ./data:/data
"""

COMPOSE_GPU = COMPOSE_CPU + """    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              count: 1
              capabilities: [gpu]
"""

K8S_CPU = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: infer
spec:
  template:
    spec:
      containers:
        - name: infer
          image: example/infer:latest
          resources:
            limits:
              cpu: "2"
              memory: 8Gi
"""


def _kinds(text: str) -> list[tuple[str, bool]]:
    return [(m.kind, m.gpu) for m in manifests(text.splitlines())]


def test_a_compose_service_without_a_reservation_asks_for_no_gpu() -> None:
    assert _kinds(COMPOSE_CPU) == [("compose", False)]
    assert _kinds(COMPOSE_GPU) == [("compose", True)]
    assert _kinds(COMPOSE_CPU + "    gpus: all\n") == [("compose", True)]
    assert _kinds(COMPOSE_CPU + "    runtime: nvidia\n") == [("compose", True)]


@pytest.mark.parametrize(("limits", "gpu"), [
    ('              nvidia.com/gpu: 1\n', True),
    ('              "nvidia.com/gpu": "2"\n', True),
    ('              nvidia.com/mig-1g.10gb: 1\n', True),
    ('              nvidia.com/gpu: {{ .Values.gpus }}\n', True),
    ('              amd.com/gpu: 1\n', True),   # another vendor's GPU: not a spec without any GPU
    ('              nvidia.com/gpu: 0\n', False),  # zero GPUs asks for none
    ('', False),
])
def test_a_kubernetes_workload_asks_for_the_gpu_only_in_its_resources(limits: str, gpu: bool) -> None:
    assert _kinds(K8S_CPU + limits) == [("kubernetes", gpu)]


def test_a_node_selector_or_toleration_is_not_a_gpu_request() -> None:
    text = K8S_CPU.replace("      containers:", "      nodeSelector:\n        nvidia.com/gpu.present: \"true\"\n      tolerations:\n"
                                                "        - key: nvidia.com/gpu\n          operator: Exists\n      containers:")
    assert _kinds(text) == [("kubernetes", False)]


def test_serving_and_ray_kinds_are_workloads() -> None:
    isvc = """apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llm
spec:
  predictor:
    model:
      modelFormat:
        name: huggingface
      resources:
        limits:
          cpu: "4"
          memory: 16Gi
"""
    assert _kinds(isvc) == [("kubernetes", False)]
    ray = """apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: rc
spec:
  workerGroupSpecs:
    - groupName: gpu
      template:
        spec:
          containers:
            - name: ray-worker
              image: rayproject/ray:2.9.0-gpu
              resources:
                limits:
                  nvidia.com/gpu: 1
"""
    assert _kinds(ray) == [("kubernetes", True)]


def test_fragments_and_unknown_kinds_are_not_read() -> None:
    assert _kinds("resources:\n  limits:\n    cpu: 1\n    memory: 2Gi\n") == []
    assert _kinds("kind: ConfigMap\ndata:\n  containers: none\n") == []
    # A serving kind without containers or a resources block: its request may sit in the part not pasted.
    assert _kinds("kind: InferenceService\nmetadata:\n  name: x\nspec:\n  predictor:\n    model:\n      storageUri: s3://m\n") == []
    # A compose file without a service that runs an image or a build.
    assert _kinds("services:\n  x:\n    environment:\n      - A=1\n") == []


def test_an_mlflow_docker_env_asks_for_the_gpu_only_when_told() -> None:
    project = "name: train\n\ndocker_env:\n  image: example/train:gpu\n  volumes: [\"/data:/data\"]\n\nentry_points:\n  main:\n    command: python train.py\n"
    assert _kinds(project) == [("mlflow", False)]
    assert _kinds(project.replace("  volumes:", "  run_params: [[\"--gpus\", \"all\"]]\n  volumes:")) == [("mlflow", True)]


def test_a_launch_with_its_continued_lines_is_one_command() -> None:
    lines = ["$ docker run --rm -it \\", "    -v /data:/data \\", "    --gpus all \\", "    example/train python train.py", "done"]
    whole = continued_command(lines, 0)
    assert "--gpus all" in whole and "done" not in whole
    assert continued_command(["docker run img", "--gpus all"], 0) == "docker run img"
    assert launch_gives_gpu("docker", whole) is True
    assert launch_gives_gpu("docker", "--rm -it example/train python train.py") is False
    assert launch_gives_gpu("podman", "--device nvidia.com/gpu=all img") is True
    assert launch_gives_gpu("docker", "-e NVIDIA_VISIBLE_DEVICES=void img") is False
    assert launch_gives_gpu("nvidia-docker", "img") is True
    assert launch_gives_gpu("singularity", "--nv image.sif") is True


def test_lint_reads_only_the_intent_rows() -> None:
    text = "environment:\n  - NVIDIA_VISIBLE_DEVICES=all\nresources:\n  limits:\n    amd.com/gpu: 1\n"
    assert [row.id for row, _ in requests_in(text)] == ["nvidia-visible-devices", "k8s-other-accelerator"]
    assert requests_in(text, intent_only=True) == []
    assert [row.id for row, _ in requests_in("#SBATCH --gres=gpu:1\n", intent_only=True)] == ["slurm-gpu"]


def test_lint_reads_a_launch_with_its_continued_lines() -> None:
    script = "#!/bin/sh\ndocker run --rm \\\n  -v $PWD:/work \\\n  --gpus all \\\n  example/train python train.py\n"
    found = requests_in(script, intent_only=True)
    assert [row.id for row, _ in found] == ["docker-gpus"]
    # The match keeps the text's offsets: its line is the launch's first.
    assert script.count("\n", 0, found[0][1].start()) + 1 == 2
    assert requests_in("docker run --rm \\\n  example/train python train.py\n", intent_only=True) == []
