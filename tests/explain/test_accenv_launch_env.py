"""The launching context that differs (session 26, accenv): the same program said to work started from a shell and to
fail where it is started otherwise (an IDE, a server's R or Jupyter session, a service, sudo, a batch job), and the GPU
hidden by a launcher or a program.

Each reading fires on lines written from what the statement or the message means (the launchers' documented
environments, knowledge/launchers.toml [[env_context]]) and stays quiet on a near miss: the same words negated, advice,
a condition, the same error in both places, a place named with no contrast.
"""

from __future__ import annotations

import pytest

from log_text import codes as _codes
from whygpu.explain.works import launch_env_differs
from whygpu.knowledge.libraries import library_failure_cause


@pytest.mark.parametrize(("words", "place"), [
    ("It works in the terminal but not when I run it from PyCharm.", "jetbrains-ide"),
    ("I can import tensorflow without problems from a shell, however in Spyder 5 I get the error below.", "spyder"),
    ("Under RStudio Server the package fails to load libcublas, although bare R on the same machine is able to use the GPU.", "rstudio"),
    ("The script runs fine from the command line.\nAs a systemd service it fails with ImportError: libcudart.so.12", "systemd"),
    ("Running it manually works. But the cron job says libcudnn.so.8 cannot be opened.", "cron"),
    ("Everything works as my user, but with sudo python3 main.py the library is not found.", "sudo"),
    ("The launch.json run in VS Code crashes while it works in the terminal.", "vscode"),
    ("The JupyterHub notebook cannot load libcublasLt.so.12 whereas the same code works fine in an ssh session.", "jupyter"),
    ("On the login node it works fine, but the sbatch job errors with libcudart.so.11.0 missing.", "batch-job"),
])
def test_a_program_that_works_from_a_shell_and_fails_in_another_launcher_is_read(words: str, place: str) -> None:
    found = launch_env_differs(words)
    assert found is not None and found[0].id == place


@pytest.mark.parametrize("words", [
    "It does not work in the terminal either, nor in PyCharm.",
    "I use PyCharm. The terminal shows the same error.",
    "Try running it from the terminal instead of PyCharm.",
    "If it works in terminal but not in PyCharm, set LD_LIBRARY_PATH in the run configuration.",
    "I installed it with sudo pip install tensorflow and it works fine in the terminal.",
    "Works fine in terminal and in PyCharm too.",
    "I ran sudo apt install cuda. Then in the terminal everything works fine.",
    "In the terminal I get the error libcudart.so.10.0 not found, same in PyCharm.",
    "It works fine in Jupyter.",
])
def test_no_such_statement_is_read_where_there_is_no_contrast_of_a_working_shell(words: str) -> None:
    assert launch_env_differs(words) is None


def test_the_statement_decides_a_failed_library_load_before_any_version() -> None:
    # Another CUDA shown installed would read as another release wanted; the shell's run loaded it, so it is there.
    plain = library_failure_cause("CUDA_LIBS_MISSING", ("CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), file="libcudart.so.11.0",
                                  wanted="11.0", cuda_installed=["10.1"])
    told = library_failure_cause("CUDA_LIBS_MISSING", ("CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), file="libcudart.so.11.0",
                                 wanted="11.0", cuda_installed=["10.1"], tags=frozenset({"launch_env"}))
    assert plain.cause == "CUDA_LIBS_MISMATCH"
    assert told.cause == "CUDA_LIBS_NOT_ON_PATH" and told.basis == "launch_env"
    cudnn = library_failure_cause("CUDNN_MISSING", ("CUDNN_MISMATCH", "CUDA_LIBS_NOT_ON_PATH"), file="libcudnn.so.8",
                                  tags=frozenset({"launch_env"}))
    assert cudnn.cause == "CUDA_LIBS_NOT_ON_PATH"
    # A family without the path among its causes is not the statement's to decide.
    assert library_failure_cause("DRIVER_MISSING", (), tags=frozenset({"launch_env"})).basis != "launch_env"


LOAD = "ImportError: libcublas.so.11: cannot open shared object file: No such file or directory\n"


def test_a_library_failure_in_an_ide_that_works_from_the_terminal_ranks_the_path_first() -> None:
    told = "The same script works in the terminal, but in PyCharm it fails:\n" + LOAD
    assert _codes(told)[0] == "CUDA_LIBS_NOT_ON_PATH"


def test_a_library_failure_named_with_an_ide_but_no_working_shell_keeps_its_own_reading() -> None:
    # The library's own failure, without a shell's run that loaded it, leaves the family to the counted base rates.
    assert _codes("I run this in PyCharm and get an error:\n" + LOAD) == _codes(LOAD)
    # The statement alone, with nothing failing to load, is no cause.
    assert _codes("It works in the terminal but not when I run it from PyCharm.\n") == []


def test_tensorflow_1_dso_message_retyped_with_a_full_stop_is_read() -> None:
    # dso_loader.cc: "Couldn't open CUDA library <file>. LD_LIBRARY_PATH: <value>"; a writer retypes the colon as a stop.
    assert _codes("Couldn't open CUDA library libcudnn.so. LD_LIBRARY_PATH. \n") != []
    assert _codes("Couldn't open CUDA library libcudnn.so. LD_LIBRARY_PATH: /usr/local/cuda/lib64\n") != []
    assert _codes("Couldn't open CUDA library libcudnn.so. LD_LIBRARY_PATH is set in my bashrc\n") == []


# --- a launcher or program that hides the GPUs ---------------------------------------------------------------------

RAY_ACTOR = "import ray\nray.init(num_gpus=1)\n\n@ray.remote\nclass Worker:\n    def run(self):\n        return torch.zeros(1).cuda()\n"
NO_GPUS = "RuntimeError: No CUDA GPUs are available\n"


def _rule_ids(text: str) -> set[str]:
    from whygpu.explain import explain_text

    return {f.id for f in explain_text(text).findings}


def test_a_ray_task_or_actor_that_requested_no_gpu_and_found_none_is_read_as_hidden() -> None:
    # Ray sets the worker's CUDA_VISIBLE_DEVICES from num_gpus: none requested leaves it empty.
    assert "LOG330" in _rule_ids(RAY_ACTOR + NO_GPUS)
    assert _codes(RAY_ACTOR + NO_GPUS)[0] == "GPU_HIDDEN"
    # A worker's own process title in a traceback, and the writer's word that the variable reached the task empty.
    told = ("ray.exceptions.RayTaskError(RuntimeError): ray::Trainer.train() (pid=4242, ip=10.0.0.2)\n"
            "Inside the trainer CUDA_VISIBLE_DEVICES is always set to an empty string, so TensorFlow lists no GPU.\n")
    assert "LOG330" in _rule_ids(told)


def test_ray_given_the_gpu_or_without_a_no_device_answer_is_not_read() -> None:
    asked = RAY_ACTOR.replace("@ray.remote\n", "@ray.remote(num_gpus=1)\n")
    assert "LOG330" not in _rule_ids(asked + NO_GPUS)
    assert "LOG330" not in _rule_ids(RAY_ACTOR)  # nothing failed
    assert "LOG330" not in _rule_ids(NO_GPUS)  # no Ray
    # An unset variable outside a launcher shows every GPU; a question about it asserts nothing.
    assert "LOG330" not in _rule_ids(RAY_ACTOR + "Is CUDA_VISIBLE_DEVICES empty inside the actor?\n")


def test_a_commented_out_assignment_of_the_variable_is_not_the_scripts_code() -> None:
    from log_text import facts as _facts

    assert _facts('os.environ["CUDA_VISIBLE_DEVICES"] = "0"\n').code_sets_visible_devices
    assert not _facts('# os.environ["CUDA_VISIBLE_DEVICES"] = "0"\n').code_sets_visible_devices
    assert not _facts('Works if you uncomment `# os.environ["CUDA_VISIBLE_DEVICES"] = "0"`.\n').code_sets_visible_devices


def test_torch_load_onto_a_device_beyond_the_visible_count_is_read_as_hidden() -> None:
    # torch/serialization.py validate_cuda_device: the storage's device index against torch.cuda.device_count().
    line = ("RuntimeError: Attempting to deserialize object on CUDA device 3 but torch.cuda.device_count() is 2. "
            "Please use torch.load with map_location to map your storages to an existing device.\n")
    assert _codes(line)[0] == "GPU_HIDDEN"
    # The other branch of the same check (no CUDA at all) is not this reading.
    assert "LOG-PT-DESERIALIZE-DEVICE-BEYOND" not in _rule_ids(
        "RuntimeError: Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False.\n")


def test_a_lower_case_users_home_is_not_macos() -> None:
    from log_text import facts as _facts

    linux = '  File "/users/alice/conda/envs/tf/lib/python3.7/site-packages/ray/worker.py", line 1515, in get\n'
    mac = '  File "/Users/alice/miniconda3/lib/python3.11/site-packages/torch/cuda/__init__.py", line 284, in _lazy_init\n'
    assert _facts(linux).platform_name() != "darwin"
    assert _facts(mac).platform_name() == "darwin"
