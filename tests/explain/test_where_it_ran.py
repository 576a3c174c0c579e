"""Where the work ran, read as facts (session 20, acccontainer): container launch lines, the launchers' own
messages, what the GPU was shared with.

Each reader fires on lines written from the launchers' grammar (docker/podman/nerdctl, Singularity/Apptainer)
and stays quiet on a near miss: prose naming the command, advice, a question, a healthy launch.
"""

from __future__ import annotations

from log_text import codes as _codes
from log_text import facts as _facts
from whygpu.explain import explain_text


def _ids(text: str) -> set[str]:
    return {f.id for f in explain_text(text).findings}


# --- a GPU option written after the image (run as the container's command) -----------------------------------


def test_a_gpu_option_run_as_the_containers_command_means_no_gpu_was_given() -> None:
    # Singularity's exec action is a POSIX shell script: dash names the word it could not run.
    sing = "$ singularity exec my.sif --nv python3 train.py\n/.singularity.d/actions/exec: 9: exec: --nv: not found\n"
    assert _codes(sing)[0] == "CONTAINER_NO_GPU"
    # runc starting a command that is not in the image (docker run IMAGE --gpus all).
    runc = ('docker: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container '
            'process caused: exec: "--gpus": executable file not found in $PATH: unknown.\n')
    assert _codes(runc)[0] == "CONTAINER_NO_GPU"
    # The old runtime option in the same place.
    assert "LOG-PLAT-CTR-GPU-FLAG-AS-COMMAND" in _ids('exec: "--runtime=nvidia": executable file not found in $PATH\n')


def test_other_commands_not_found_in_a_container_are_not_a_gpu_option() -> None:
    # Any other missing program, and the GPU option written where the launcher reads it.
    assert "LOG-PLAT-CTR-GPU-FLAG-AS-COMMAND" not in _ids('exec: "python": executable file not found in $PATH: unknown.\n')
    assert "LOG-PLAT-CTR-GPU-FLAG-AS-COMMAND" not in _ids("/.singularity.d/actions/exec: 9: exec: --bind: not found\n")
    assert _codes("$ singularity exec --nv my.sif python3 train.py\nEpoch 1/10 loss 0.52\n") == []
