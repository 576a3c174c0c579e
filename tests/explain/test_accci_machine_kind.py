"""The machine's kind from its context (accci, session 33): a hosted CI runner, a docker build step, a build sandbox, read
once (knowledge/machine_kinds.toml) by explain from the log's lines and by the doctor from the CI system's job variables."""

from __future__ import annotations

import re

import pytest
from tests.log_text import codes, facts, finding_codes, first_cause

from builders import cpu_vm, torch_build
from fakeroot import add_running_system, tree_machine
from whygpu.collect.platform import collect_platform
from whygpu.diagnose import diagnose
from whygpu.facts import Unavailable
from whygpu.knowledge import load
from whygpu.knowledge.machine_kinds import (
    gpu_shown_sign,
    kind_from_environment,
    kind_markers,
    machine_without_gpu,
    raw_kind_markers,
)

# --- the knowledge table -------------------------------------------------------------------------------------------


def test_every_marker_matches_its_example_and_holds_its_needle() -> None:
    data = load("machine_kinds")
    kinds = {row["id"] for row in data["kind"]}
    for row in data["marker"]:
        assert row["kind"] in kinds
        assert row["source"].startswith("https://")
        assert row["needle"] == row["needle"].lower()
        example = row["example"]
        if row.get("raw"):
            assert [m.kind for m, _ in raw_kind_markers(example)] == [row["kind"]]
        else:
            assert row["needle"] in example.lower(), row
            assert row["kind"] in [m.kind for m, _ in kind_markers(example)], row


def test_every_kind_has_a_cause_fix_check_and_source() -> None:
    for row in load("machine_kinds")["kind"]:
        assert row["cause"] in ("NO_GPU", "CONTAINER_NO_GPU", "GPU_HIDDEN")
        assert row["gpu"] in ("none", "hidden", "unknown")
        assert row["fix"] and row["check"] and row["source"].startswith("https://")
        assert "None" not in row["fix"] and "?" not in row["fix"]


def test_a_build_step_outranks_the_ci_system_it_runs_on_and_a_hosted_row_an_undecided_one() -> None:
    decided = machine_without_gpu(["github_actions", "docker_build"], [])
    assert decided is not None and decided[0].id == "docker_build" and decided[1]
    decided = machine_without_gpu(["github_actions", "github_hosted"], [])
    assert decided is not None and decided[0].id == "github_hosted" and decided[1]
    decided = machine_without_gpu(["github_actions"], [])
    assert decided is not None and decided[0].id == "github_actions" and not decided[1]
    assert machine_without_gpu(["github_hosted"], ["ci"]) is None
    assert machine_without_gpu([], []) is None


def test_gpu_runner_labels_and_the_default_runtime_are_gpus_shown() -> None:
    assert gpu_shown_sign("    runs-on: [self-hosted, linux, gpu]") == ("ci", "self-hosted")
    assert gpu_shown_sign("Requested labels: linux.g5.4xlarge.nvidia.gpu") is not None
    assert gpu_shown_sign('    "default-runtime": "nvidia",') == ("image_build", '"default-runtime": "nvidia')
    assert gpu_shown_sign("runs-on: ubuntu-latest") is None


# --- the doctor: the CI system's job variables ----------------------------------------------------------------------


@pytest.mark.parametrize(("environ", "kind"), [
    ({"GITHUB_ACTIONS": "true", "RUNNER_ENVIRONMENT": "github-hosted"}, "github_hosted"),
    ({"GITHUB_ACTIONS": "true", "RUNNER_ENVIRONMENT": "self-hosted"}, "github_actions"),
    ({"TRAVIS": "true", "CI": "true"}, "travis"),
    ({"GITLAB_CI": "true", "CI_RUNNER_DESCRIPTION": "3-blue.saas-linux-small-amd64.runners-manager.gitlab.com/default"}, "gitlab_hosted"),
    ({"GITLAB_CI": "true", "CI_RUNNER_DESCRIPTION": "lab-a100-runner"}, "gitlab_ci"),
    ({"TF_BUILD": "True", "AGENT_NAME": "Azure Pipelines 3"}, "azure_hosted"),
    ({"TF_BUILD": "True", "AGENT_NAME": "gpu-agent-01"}, "azure_pipelines"),
    ({"AGENT_NAME": "Hosted Agent"}, None),  # without TF_BUILD: not a pipeline's variable
    ({"CIRCLECI": "true"}, "circleci"),
    ({"BUILDKITE": "true"}, "buildkite"),
    ({"CI": "true"}, None),
    ({}, None),
])
def test_the_ci_system_from_its_job_variables(environ: dict[str, str], kind: str | None) -> None:
    found = kind_from_environment(environ)
    assert (found[0] if found else None) == kind


def test_the_collector_reads_the_kind_from_the_machines_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    add_running_system(tmp_path)
    platform = collect_platform(tree_machine(tmp_path, {"GITHUB_ACTIONS": "true", "RUNNER_ENVIRONMENT": "github-hosted"}))
    assert platform.machine_kind == "github_hosted"
    outside = collect_platform(tree_machine(tmp_path, {"HOME": "/root"})).machine_kind
    assert isinstance(outside, Unavailable)


def test_the_doctor_says_a_hosted_runner_has_no_gpu() -> None:
    snapshot = cpu_vm(torch_build("2.5.1+cu124", cuda="12.4"))
    snapshot.platform.machine_kind = "github_hosted"
    finding = next(f for f in diagnose(snapshot).findings if f.id == "HW001")
    assert "GitHub-hosted" in finding.title and "no GPU" in finding.title
    assert "GPU runner" in finding.fix
    assert any("github_hosted" in e for e in finding.evidence)


@pytest.mark.parametrize("kind", ["github_actions", "circleci", None])
def test_the_doctor_keeps_its_words_where_the_runner_may_have_a_gpu(kind: str | None) -> None:
    snapshot = cpu_vm(torch_build("2.5.1+cu124", cuda="12.4"))
    if kind is not None:
        snapshot.platform.machine_kind = kind
    finding = next(f for f in diagnose(snapshot).findings if f.id == "HW001")
    assert finding.title == "This machine has no NVIDIA GPU"


# --- explain: a hosted CI runner (LOG510) ---------------------------------------------------------------------------

# The 'Set up job' block of a GitHub-hosted runner as the runner prints it (https://github.com/actions/runner-images).
HOSTED = """Current runner version: '2.317.0'
Operating System
  Ubuntu
  22.04.4
  LTS
Runner Image
  Image: ubuntu-22.04
  Version: 20240609.1.0
  Included Software: https://github.com/actions/runner-images/blob/ubuntu22/20240609.1/images/ubuntu/Ubuntu2204-Readme.md
Runner Image Provisioner
  2.0.369.1
##[group]Run pytest tests/
"""
INSUFFICIENT = "E   RuntimeError: CUDA error: CUDA driver version is insufficient for CUDA runtime version\n"
NO_DRIVER = ("E   RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a "
             "driver from http://www.nvidia.com/Download/index.aspx\n")


def test_a_driver_too_old_on_a_hosted_runner_is_no_gpu() -> None:
    text = HOSTED + INSUFFICIENT
    assert first_cause(text) == "NO_GPU"
    assert "LOG510" in finding_codes(text)
    assert "DRIVER_TOO_OLD" in codes(text)[:3]  # the message's own reading follows
    seen = facts(text).machine_kind
    hosted = next(s for s in seen if s.value == "github_hosted")
    assert re.fullmatch(r"t:\d+", hosted.where)


def test_without_the_runner_shown_the_driver_reading_stays_first() -> None:
    assert first_cause("##[group]Run pytest tests/\n" + INSUFFICIENT) == "DRIVER_TOO_OLD"
    assert "LOG510" not in finding_codes("##[group]Run pytest tests/\n" + INSUFFICIENT)


@pytest.mark.parametrize("shown", [
    "Requested labels: linux-gpu-t4-4-core\n",
    "Runner name: 'ci-gpu-runner-02'\n",
    "| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2     |\n",
    "Our jobs run on a self-hosted runner.\n",
])
def test_quiet_where_the_runner_shows_a_gpu(shown: str) -> None:
    text = HOSTED + shown + INSUFFICIENT
    assert "LOG510" not in finding_codes(text)
    assert first_cause(text) == "DRIVER_TOO_OLD"


def test_quiet_without_a_gpu_unavailable_message() -> None:
    text = HOSTED + "E   ImportError: libcudnn.so.8: cannot open shared object file: No such file or directory\n"
    assert not {"LOG510", "LOG513"} & finding_codes(text)
    assert first_cause(text) != "NO_GPU"
    assert finding_codes(HOSTED + "===== 12 passed in 3.21s =====\n") == set()


def test_travis_in_the_writers_words_and_not_in_a_question() -> None:
    # The writer's words (https://github.com/SyneRBI/SIRF-SuperBuild/issues/553): "Travis doesn't have a GPU run-time".
    said = "The GPU tests fail on Travis:\n20: Error: CUDA error 35: CUDA driver version is insufficient for CUDA runtime version.\n"
    assert first_cause(said) == "NO_GPU" and "LOG510" in finding_codes(said)
    asked = "Should I run the tests on Travis?\nRuntimeError: CUDA error: CUDA driver version is insufficient for CUDA runtime version\n"
    assert "LOG510" not in finding_codes(asked)


def test_a_ci_job_whose_runner_is_not_shown_offers_no_gpu_as_the_alternative() -> None:
    # A GitHub Actions job log's time stamps (https://github.com/pytorch/pytorch/issues/79851).
    text = ("2022-06-19T16:56:33.8428169Z C++ exception with description \"CUDA error: CUDA driver version is insufficient "
            "for CUDA runtime version\n")
    ranked = codes(text)
    assert ranked[0] == "DRIVER_TOO_OLD" and "NO_GPU" in ranked
    assert "LOG513" in finding_codes(text)
    assert "LOG513" not in finding_codes(INSUFFICIENT)


# --- explain: a docker build step (LOG511) ---------------------------------------------------------------------------

# BuildKit's plain progress (https://github.com/NVIDIA/nvidia-docker/issues/1734 shows the "#0 0.895" lines).
BUILDKIT = """#8 [3/7] RUN python warmup.py
#8 0.895 Traceback (most recent call last):
#8 0.895 RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver from http://www.nvidia.com/Download/index.aspx
ERROR: failed to solve: process "/bin/sh -c python warmup.py" did not complete successfully: exit code: 1
"""


def test_a_build_step_without_the_gpu_is_the_containers() -> None:
    assert first_cause(BUILDKIT) == "CONTAINER_NO_GPU"
    assert "LOG511" in finding_codes(BUILDKIT)
    assert any(s.value == "docker_build" for s in facts(BUILDKIT).machine_kind)


def test_the_build_steps_own_line_outranks_a_run_with_gpus_elsewhere() -> None:
    text = "I can start it with `docker run --gpus all -it myimage`, but the build fails:\n" + BUILDKIT
    assert "LOG511" in finding_codes(text)
    # A message that is not on a build step's own line, beside a run with the GPU: not the step's.
    other = "$ docker run --gpus all -it myimage python train.py\n" + NO_DRIVER + "#8 [3/7] RUN pip install -r requirements.txt\n"
    assert "LOG511" not in finding_codes(other)


def test_quiet_where_the_daemons_default_runtime_is_nvidia() -> None:
    text = '{\n    "default-runtime": "nvidia",\n    "runtimes": {"nvidia": {"path": "nvidia-container-runtime"}}\n}\n' + BUILDKIT
    assert "LOG511" not in finding_codes(text)


def test_the_writers_words_of_a_docker_build() -> None:
    # https://github.com/yuh-zha/AlignScore/issues/19
    text = "However, during the Docker build process, I got this error saying\n" + NO_DRIVER
    assert first_cause(text) == "CONTAINER_NO_GPU" and "LOG511" in finding_codes(text)
    advice = "You should not load the model during the docker build? I get:\n" + NO_DRIVER
    assert "LOG511" not in finding_codes(advice)


# --- explain: a build sandbox (LOG512) -------------------------------------------------------------------------------

BAZEL = """(cd /home/u/.cache/bazel/_bazel_u/0f1e/sandbox/linux-sandbox/12/execroot/_main && exec env - TEST_TARGET=//gpu:kernel_test)
CUDA error: no CUDA-capable device is detected
"""


def test_a_bazel_sandbox_hides_the_gpu() -> None:
    assert first_cause(BAZEL) == "GPU_HIDDEN"
    assert "LOG512" in finding_codes(BAZEL)


def test_quiet_where_the_test_runs_unsandboxed() -> None:
    assert "LOG512" not in finding_codes("bazel test --spawn_strategy=local //gpu:kernel_test\n" + BAZEL)
    assert "LOG512" not in finding_codes("(cd /home/u/.cache/bazel/_bazel_u/0f1e/sandbox/linux-sandbox/12/execroot/_main)\n"
                                         "[  PASSED  ] 3 tests.\n")


def test_a_nix_build_hides_the_gpu() -> None:
    text = ("building '/nix/store/pdgr35jnbrxn8pajknjwarglb59jpj4x-python3.9-alphapose.drv'...\n"
            "RuntimeError: CUDA error: no CUDA-capable device is detected\n")
    assert first_cause(text) == "GPU_HIDDEN" and "LOG512" in finding_codes(text)


def test_a_run_shown_using_the_gpu_is_never_reread() -> None:
    text = HOSTED + "Using device: cuda:0 (NVIDIA A10G)\nEpoch 1/10 loss 0.31\n"
    assert not {"LOG510", "LOG511", "LOG512", "LOG513"} & finding_codes(text)


def test_the_writers_contrast_of_sandboxed_and_not_is_the_failure_itself_in_a_cuda_log() -> None:
    # https://github.com/bazelbuild/bazel/issues/1640
    text = "Here is a test of a C++ library that uses CUDA. `bazel run` succeeds, while `bazel test` fails.\n"
    assert first_cause(text) == "GPU_HIDDEN" and "LOG512" in finding_codes(text)
    # The same words in a log that names neither CUDA nor the GPU: some other test failure.
    plain = "A test of a Java library. `bazel run` succeeds, while `bazel test` fails.\n"
    assert "LOG512" not in finding_codes(plain)


def test_beside_a_build_steps_own_output_the_writers_later_words_are_not_the_steps() -> None:
    # https://github.com/pyro-ppl/numpyro/issues/1455: the build failed on pip; "reverting to CPU" was said of a later run.
    text = ("#6 3.235 ERROR: Could not find a version that satisfies the requirement jaxlib>=0.1.65 (from versions: none)\n"
            "Now it installs, but it is no longer using GPU and is reverting to CPU.\n")
    assert "LOG511" not in finding_codes(text)
    # BuildKit's time with one decimal after 100 s ("#0 920.0 ..."): the step's own line.
    step = "#0 920.0 AssertionError: Torch is not able to use GPU; add --skip-torch-cuda-test to COMMANDLINE_ARGS variable to disable this check\n"
    assert any(s.value == "docker_build" for s in facts(step).machine_kind)
