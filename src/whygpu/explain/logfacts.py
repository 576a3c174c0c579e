"""Reads a log's lines into typed partial facts: what the log shows about the platform, the builds and the GPU.

A log knows little: every fact here is ``Unavailable("not shown in the log")`` until a line shows
it, and each value keeps the place (``file:line``) that showed it.  The facts are then judged by
the doctor's own rules (through :func:`log_snapshot`) and by the log rules in
``whygpu.explain.judge``, with the same knowledge tables.

The reader sees the head of each log (``HEAD_BYTES``): platform, versions, device lists and the
answers typed at a Python prompt are printed near the top, and the per-line cost of reading
every line of a 1 GB training log here would dwarf the scanner's.  It also rejoins lines that a
terminal or an issue tracker hard-wrapped, and hands those joined lines back for matching.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from whygpu import lazyre as re
from whygpu.explain import (
    answers,
    compared,
    errorwords,
    grammar,
    installstate,
    layout,
    normalize,
    remedies,
    reported,
    statements,
    versionfacts,
)
from whygpu.explain import appcpu as appcpu
from whygpu.explain import buildsaid as buildsaid
from whygpu.explain import condasolve as condasolve
from whygpu.explain import cudacode as cudacode
from whygpu.explain import cupyshown as cupyshown
from whygpu.explain import inferprog as inferprog
from whygpu.explain import labelwords as labelwords
from whygpu.explain import langbind as langbind
from whygpu.explain import launchdiff as launchdiff
from whygpu.explain import memleft as memleft
from whygpu.explain import memstart as memstart
from whygpu.explain import pasted as pasted
from whygpu.explain import pkgmanagers as pkgmanagers
from whygpu.explain import progmessages as progmessages
from whygpu.explain import programbuilds as programbuilds
from whygpu.explain import serving as serving
from whygpu.explain import slowsaid as slowsaid
from whygpu.explain import twintogether as twintogether
from whygpu.explain import utilread as utilread
from whygpu.explain import where as where_ran
from whygpu.explain import works as works
from whygpu.explain.extbuild import CUES as _EXT_CUES
from whygpu.explain.hiddenrun import gated as _hidden_run_gated  # acchidden (36), acccodecpu (37)
from whygpu.explain.pkgparts import PART_NEEDLE, SKEW_NEEDLES
from whygpu.facts import Fact, Unavailable
from whygpu.knowledge import container_stack, gpu_specs
from whygpu.knowledge.cpu_choice import wanted_on
from whygpu.knowledge.jetson import jetson_launcher, jetson_marker, l4t_releases
from whygpu.knowledge.launchers import env_context_cues
from whygpu.knowledge.machine_kinds import needles as machine_needles
from whygpu.knowledge.serving_images import floor_program as serving_floor_program
from whygpu.knowledge.utilisation import SAID, UNDERUSED, UNUSED, Decision, Reading, decide
from whygpu.redact import redact_text

if TYPE_CHECKING:
    from whygpu.explain.kmodule import KernelModuleSeen
    from whygpu.knowledge.cpu_packages import CondaVariant

T = TypeVar("T")

# How much of each log the fact reader sees (platform, versions and device answers come first).
HEAD_BYTES = 512 << 10
MAX_TEXT = 2000
# accutil (session 30): a monitor whose share is of CUDA work (nvidia-smi's GPU-Util, and gpustat, nvtop, nvitop, DCGM, GPU-Z
# and nvidia-smi dmon, which read the same NVML counters).
_UTIL_MONITOR = re.compile(r"nvidia-smi|nvidia smi|nvtop|nvitop|gpustat|dcgm|gpu-z", re.I)
# acckmod (session 32): a text holding none of these words shows no state of the NVIDIA kernel module (explain/kmodule.py).
_KMOD_HINT = re.compile(r"kernel|module|nouveau|dkms|lsmod|dmesg|/dev/nvidia|secure\s*boot|install|symvers|driver in use|unknown symbol|"
                        r"unsigned module|unavailable key|unattended", re.I)  # accsmall38: unattended-upgrades
# At most this many distinct lines holding a fact word are read per log (bounded time).
MAX_HOT_LINES = 2000
NOT_SHOWN = "not shown in the log"
FRAMEWORKS = ("tensorflow", "torch", "jax")


def unknown() -> Unavailable:
    """The value of every fact a log does not show."""
    return Unavailable(NOT_SHOWN, "log")


@dataclass(frozen=True)
class Seen(Generic[T]):
    """A value a log showed, with the place that showed it (``file:line``) and the line itself."""

    value: T
    where: str
    text: str = ""

    def evidence(self) -> str:
        """``file:line: text`` for a report (shortened; redacted by ``evidence``)."""
        shown = self.text if len(self.text) <= 240 else self.text[:239] + "…"
        return f"{self.where}: {shown}" if shown else self.where


# accrdp (session 34): the first substrings of a remote or virtual session and of a GPU said unseen (explain.remotesession).
# accmisc39 (session 39): the first substrings of tf.distribute's and tf.data's notices (knowledge.dist_notices.NEEDLES).
_DIST_NOTICE_GATE = ("sharding policy", "unshardable", "efficient allreduce", "then broadcast to")
_REMOTE_GATE = ("parallels", "remote", "rdp", "mstsc", "hyper-v", "vmware", "virtualbox", "virtual box", "detect", "found", "available", "query", "invalid", "missing", "recogni", "nvidia-smi")
# accinuse (session 35): the first substrings of a line that shows why an in-use GPU was believed idle (explain.inuse.GATE).
_INUSE_GATE = ("task manager", "taskmanager", "任务管理器", "タスクマネージャ", "no running processes", "libnvinfer", "tf-trt", "tensorrt",
               "cpu implementation", "using cpu", "on cpu", "uses cpu", "using the cpu", "on the cpu", "uses the cpu")
# accdevid (session 35): the first substrings of a device layer's line (explain.devlayers.NEEDLES) and of a smi table row.
_DEVLAYER_GATE = ("device", "gpu", "card", "cuda:", "nproc", "num_process", "-cd ", "build", "|")
# accsaid (session 29): the words of removing or replacing a build (explain.twinsaid.said_replaced's gate).
# accmedia (session 35): the log is read for the video codec libraries' signs only where it holds one of explain.videocodec's
# needles (kept here, not imported, so a log without them never loads the module).
_VIDEO_NEEDLES = ("nvenc", "cuvid", "nvidia-encode", "nvencodeapi", "unsupported device: cuda", "cuda not enabled", "gpu decoder support", "encodesession")
# accdeclare (session 37): explain.declared.NEEDLES (kept here, not imported, so a log without them never loads the module).
_DECLARE_GATE = ("requir", "setup.py", "depend", "pyproject", "on top of", "same dir", "same folder", "over ")
# accindex (session 38): explain.indexcfg.GATE and a printed torch version (kept here, not imported, so a log without them
# never loads the module).
_INDEX_GATE = ("index-url", "index_url", "looking in indexes", "torch-backend", "torch_backend", "find-links", "url =", "url=", "__version__",
               "index =")
_INDEX_SAID_GATE = ("conda-forge", "channel", "pypi", "index", "mirror", "source")
_NEVER_WORDS = ("not", "n't", "n’t", "never", "forgot", "neglected", "instead", "rather than")
_REPLACE_WORDS = ("uninstall", "remov", "replac", "overwr", "overrid", "downgrad", "swap", "rid of", "wipe", "wiping", "clobber", "kick", "delet", "instead of", "place of", "rather than")


def evidence(*seen: Seen[Any]) -> tuple[str, ...]:
    """A rule's evidence: each sighting's ``file:line: text``, redacted, once each in the order given (every rule module's one helper)."""
    return tuple(dict.fromkeys(redact_text(s.evidence()) for s in seen))


def _first(values: list[Seen[T]]) -> Fact[Seen[T]]:
    return values[0] if values else unknown()


@dataclass
class LogFacts:
    """Everything the log showed, each fact a list of sightings (empty: unknown, never "absent")."""

    # "windows", "linux", "wsl1", "wsl2", "darwin"
    platform: list[Seen[str]] = field(default_factory=list)
    # What the Python interpreter's own banner says it runs on ("... on linux", "on win32").
    interpreter_platform: list[Seen[str]] = field(default_factory=list)
    python: list[Seen[str]] = field(default_factory=list)
    # framework ("tensorflow", "torch", "jax") -> its version as printed, and its distribution.
    versions: dict[str, list[Seen[str]]] = field(default_factory=dict)
    distributions: dict[str, list[Seen[str]]] = field(default_factory=dict)
    # framework -> whether the build has CUDA (``is_built_with_cuda()``, ``torch.version.cuda``, +cpu).
    cuda_build: dict[str, list[Seen[bool]]] = field(default_factory=dict)
    # framework -> the CUDA version the build was made for ("11.8").
    build_cuda: dict[str, list[Seen[str]]] = field(default_factory=dict)
    # framework -> what it answered when asked for a GPU (False: no GPU, only CPU devices).
    gpu_answer: dict[str, list[Seen[bool]]] = field(default_factory=dict)
    # The CUDA versions shown installed (nvcc, a toolkit path, an image banner, the user's words).
    cuda_installed: list[Seen[str]] = field(default_factory=list)
    # The CUDA versions a build asked for (a library's soname or DLL name).
    cuda_wanted: list[Seen[str]] = field(default_factory=list)
    cudnn_installed: list[Seen[str]] = field(default_factory=list)
    # acctwins (session 39): the CUDA release a cuDNN archive said installed was built for ("cudnn-8.0-windows7-x64-v6.0": 8.0).
    cudnn_built_for_cuda: list[Seen[str]] = field(default_factory=list)
    # accadvice40 (session 40): lines (or their ends) a quote's attribution gives to someone else (explain.pasted.others_quoted):
    # a signature matched only there is not this log's.
    others_words: list[Seen[str]] = field(default_factory=list)
    driver_version: list[Seen[str]] = field(default_factory=list)
    # The highest CUDA version the driver supports (nvidia-smi's header, PyTorch's "found version").
    driver_cuda: list[Seen[str]] = field(default_factory=list)
    # A `docker run` without --gpus or the NVIDIA runtime; the NVIDIA images' "driver was not detected".
    docker_run_without_gpus: list[Seen[str]] = field(default_factory=list)
    docker_run_with_gpus: list[Seen[str]] = field(default_factory=list)
    container_banner_no_driver: list[Seen[str]] = field(default_factory=list)
    in_container: list[Seen[bool]] = field(default_factory=list)
    # accruntime (session 26): a container started by enroot or pyxis (srun --container-image); True where the launch
    # shows NVIDIA_VISIBLE_DEVICES set for it (explain/where.py enroot_launch).
    enroot_launch: list[Seen[bool]] = field(default_factory=list)
    # The log names a container or a managed job that runs in one ("inside the container", "the docker
    # image", Kubernetes, Singularity/Apptainer, an Azure ML job): the word, where it was said.
    container_named: list[Seen[str]] = field(default_factory=list)
    # A machine the log names as one without a GPU ("deployed on the CPU instance", "a CPU-only node").
    cpu_machine: list[Seen[str]] = field(default_factory=list)
    # A batch scheduler's command line or directive (srun, sbatch, salloc, qsub, bsub; #SBATCH, #PBS,
    # #BSUB), and those of them that request a GPU (--gres=gpu, --gpus, -G, ngpus=, bsub -gpu).
    scheduler_job: list[Seen[str]] = field(default_factory=list)
    scheduler_gpu: list[Seen[str]] = field(default_factory=list)
    # acclibs (session 23, explain/where.py): the writer's words that the job ran on a cluster's GPU partition or queue.
    gpu_partition_said: list[Seen[str]] = field(default_factory=list)
    # Tags of NVIDIA's CUDA images the log names ("12.2.0-base-ubuntu20.04").
    cuda_image: list[Seen[str]] = field(default_factory=list)
    # acccont (session 22, explain/where.py): a framework's GPU image named (tensorflow/tensorflow:*gpu, NGC's, nvidia/cuda),
    # and TensorFlow's native library failing to load (the traceback frames of that import, printed only when it raised).
    gpu_image: list[Seen[str]] = field(default_factory=list)
    # acccont (session 22, explain/where.py): driver capabilities set for a container without compute (only utility...).
    capabilities_without_compute: list[Seen[str]] = field(default_factory=list)
    # nvidia-smi's header with "CUDA Version: N/A" (the driver's libcuda not where nvidia-smi ran).
    smi_cuda_na: list[Seen[str]] = field(default_factory=list)
    tf_native_import_failed: list[Seen[str]] = field(default_factory=list)
    environment: dict[str, list[Seen[str]]] = field(default_factory=dict)
    azureml: list[Seen[str]] = field(default_factory=list)
    # Azure VM sizes the log names ("Standard_DS3_v2": a job's compute, an `az` command, a VM's metadata).
    vm_size: list[Seen[str]] = field(default_factory=list)
    # GPU makers the log names ("nvidia", "amd", "intel", "apple"), e.g. "AMD Radeon RX Vega 64".
    gpu_vendor: list[Seen[str]] = field(default_factory=list)
    # Library files the log shows on disk (a `locate`, `find` or `ls` line): file name -> path.
    library_files: dict[str, list[Seen[str]]] = field(default_factory=dict)
    # Library files a program could not load (from the signatures' library lines).
    library_failed: list[Seen[str]] = field(default_factory=list)
    # "CUDA out of memory" and the memory use nvidia-smi showed ("15514/16130" MiB).
    out_of_memory: list[Seen[str]] = field(default_factory=list)
    # PyTorch's out-of-memory message whose own numbers show memory held outside the failing process:
    # "<held> of <total> GiB" (knowledge.gpus.memory_held_elsewhere decides).
    oom_held_elsewhere: list[Seen[str]] = field(default_factory=list)
    # accprec (session 21): an allocator's failed request larger than the GPU's whole memory, which the allocator's
    # next line states ("failed to allocate <n> bytes" / "Free memory/Total memory: <f>/<t>"): "<n> of <t> bytes".
    oom_over_device: list[Seen[str]] = field(default_factory=list)
    # accstatus (session 24): in a log that names a failed allocation of GPU memory, the job's own work seen (an op's tensor,
    # a finished step: explain/memstart.py), and Paddle's out-of-memory whose numbers show the memory taken before the job
    # ("held": its allocator held next to nothing; "start": nothing free and no work seen). Judged by LOG275.
    work_ran: list[Seen[str]] = field(default_factory=list)
    # accprec (session 31): a program's line that the run's work went to a CUDA device ("Running on cuda:0", "model loaded on
    # cuda:0", "Using device: cuda"): evidence the run used the GPU for explain/optional.py (an add-on's failure beside it).
    run_on_cuda: list[Seen[str]] = field(default_factory=list)
    # accprec (session 31): the GPU's own memory size named beside it ("GeForce MX130 (2 GB)", "a GTX 750 with 1GB memory",
    # "2GB VRAM", PyTorch's "2.00 GiB total capacity"): with a failed allocation and nothing shown holding the memory, the job's
    # own demand on a card too small for it (explain/infer.py drops the status table's GPU_BUSY reading).
    card_memory: list[Seen[str]] = field(default_factory=list)
    oom_memory_taken: list[Seen[str]] = field(default_factory=list)
    gpu_memory: list[Seen[str]] = field(default_factory=list)
    # What the user wrote in their own words: the GPU not used, utilisation low.
    stated_unused: list[Seen[str]] = field(default_factory=list)
    stated_underused: list[Seen[str]] = field(default_factory=list)
    # accmisc (session 27): a GPU framework shown loaded in a process (an import in pasted code, a traceback frame inside
    # its package, TensorFlow's GPU device created with its memory), keyed by framework (knowledge/memory_prealloc.toml);
    # the settings that keep a framework from reserving the GPU's memory shown set; XLA's convolution autotuning failed.
    framework_in_process: dict[str, list[Seen[str]]] = field(default_factory=dict)
    # accort40 (session 40): a framework named only by package listing rows beside ONNX Runtime at work (explain.listedonly),
    # keyed by framework: not the program's runtime.
    listed_only: dict[str, list[Seen[str]]] = field(default_factory=dict)
    memory_setting_shown: list[Seen[str]] = field(default_factory=list)
    conv_autotune_failed: list[Seen[str]] = field(default_factory=list)
    # acccudnn (session 33): the GPU's free and total memory XLA prints beside a cuDNN handle it could not create
    # ("Memory usage: F bytes free, T bytes total."), as "F/T" in bytes (explain/cudnnrules.py, knowledge.cudnn.memory_taken).
    cudnn_memory: list[Seen[str]] = field(default_factory=list)
    # accmsg (session 22): the writer's words that other processes hold the GPU's memory, in a log that names an
    # out-of-memory error (explain/progmessages.py; judged by LOG270).
    stated_memory_held: list[Seen[str]] = field(default_factory=list)
    # accunder (session 35): the writer's words that the GPU's memory stays held after the run ended or while none of the
    # writer's processes runs, the value the form's id (explain/memleft.py, knowledge/memory_left.toml; judged by LOG625).
    memory_left_held: list[Seen[str]] = field(default_factory=list)
    # accfirst (session 22): the log's own word that the GPU works for this run ("its using all my VRAM",
    # "`torch.cuda.is_available()` yields True", "training works on gpu fine"; explain/works.py).
    stated_gpu_works: list[Seen[str]] = field(default_factory=list)
    # accounter (session 23): such statements about another program than every "unused" statement of the log ("TensorFlow
    # works fine on GPU" beside "tensorflow_model_server ... it does not use my GPU"): true of that program, no answer to
    # the unused one (explain.works.program_of); moved here from stated_gpu_works.
    stated_gpu_works_other: list[Seen[str]] = field(default_factory=list)
    # accounter: the writer's word that the program's own code keeps the work off the GPU ("the model is never moved to
    # CUDA", "there was a typo in my code", "CUDA works fine in all my other projects"; explain.works.code_keeps_cpu).
    stated_code_cpu: list[Seen[str]] = field(default_factory=list)
    # accwhere (session 25): the framework's GPU query said to answer True in one place of the program's code and False in
    # another ("True in train.py, False inside the sampler module"; explain.works.answer_differs), and the model's or a
    # tensor's device read by the writer as cpu ("print(self.device) -> cpu"; explain.works.device_said_cpu). LOG212.
    stated_answer_differs: list[Seen[str]] = field(default_factory=list)
    # accenv (session 26): the writer's word that the program works started from a shell and fails where it is started
    # otherwise, an IDE, a server's session, a service, sudo, a batch job ("works in terminal but not with PyCharm";
    # explain.works.launch_env_differs): the id of the place's row in knowledge/launchers.toml [[env_context]].
    stated_launch_env: list[Seen[str]] = field(default_factory=list)
    # accshellenv (session 36, explain.launchdiff): a loader variable (knowledge/launchers.toml [[loader_var]]) the writer says a
    # launcher other than the shell does not get ("eating DYLD_LIBRARY_PATH when calling ipython", "JupyterHub knows no
    # LD_LIBRARY_PATH"); with either statement, the log's first CUDA word and a module not found at all (another interpreter).
    launch_var_dropped: list[Seen[str]] = field(default_factory=list)
    launch_cuda_named: list[Seen[str]] = field(default_factory=list)
    launch_other_interpreter: list[Seen[str]] = field(default_factory=list)
    # accenv: Ray running the work (a worker's "ray::Task.method()" title, RayTaskError, @ray.remote, local_mode=True), a
    # task, actor or trial of it given GPUs (num_gpus > 0, resources_per_trial gpu, use_gpu=True), and the writer's word
    # that CUDA_VISIBLE_DEVICES reaches the work empty or not passed (explain/where.py). Judged by LOG330.
    ray_runs: list[Seen[str]] = field(default_factory=list)
    ray_gpus_asked: list[Seen[str]] = field(default_factory=list)
    stated_cvd_cleared: list[Seen[str]] = field(default_factory=list)
    # accinst (session 30): the writer's word that the same code uses the GPU without Ray (explain.where.ray_said).
    ray_works_without: list[Seen[str]] = field(default_factory=list)
    # accray40 (session 40): a Ray task or actor defined with no GPU request (explain.where.RAY_TASK_NO_GPUS); a Ray job named
    # (ray job submit, JobSubmissionClient, "job submission": RAY_JOB), its entrypoint given GPUs (RAY_JOB_GPUS), and the
    # writer's word that the GPU check fails when run as the job (ray_job_fails_said). Read by LOG330.
    ray_task_no_gpus: list[Seen[str]] = field(default_factory=list)
    ray_job: list[Seen[str]] = field(default_factory=list)
    ray_job_gpus: list[Seen[str]] = field(default_factory=list)
    ray_job_fails: list[Seen[str]] = field(default_factory=list)
    stated_device_cpu: list[Seen[str]] = field(default_factory=list)
    # accounter: the CPU run of a log laid out as a CPU/GPU comparison (a section headed CPU beside one headed GPU), as the
    # range of its lines "first-last" at where = "source:first" (explain.works.cpu_sections).
    cpu_run_section: list[Seen[str]] = field(default_factory=list)
    # accutil (session 30): the utilisation numbers of the run, from the writer's sentences and the monitors' output
    # (explain/utilread.py), decided by knowledge.utilisation.decide (LogFacts.utilisation_decision); and what that decision
    # weighs beside them: a CUDA monitor named, nvidia-smi unable to list processes (WSL2, a container). (The input side named
    # in a reading's sentence is the reading's own: Reading.input_named, accutil2.)
    utilisation: list[Seen[Reading]] = field(default_factory=list)
    util_cuda_monitor: list[Seen[str]] = field(default_factory=list)
    util_processes_hidden: list[Seen[str]] = field(default_factory=list)
    # accgbdt41 (session 41): a learner the log names that runs one step of each iteration on the GPU by design (LightGBM's
    # histograms: knowledge/utilisation.toml [[step_learner]]), weighed by the same decision.
    util_step_learner: list[Seen[str]] = field(default_factory=list)
    # accapps (session 22): the application's own choice of the CPU (explain/appcpu.py; judged by LOG280, LOG281):
    # a call or command line that puts the work on the CPU, and a CPU library the llama.cpp family loaded although
    # CUDA was asked for (value: the library), and its CUDA library loaded (the GPU backend is there).
    app_cpu_choice: list[Seen[str]] = field(default_factory=list)
    app_cpu_library: list[Seen[str]] = field(default_factory=list)
    app_cuda_library: list[Seen[str]] = field(default_factory=list)
    # accdevice (session 29): a documented setting that pins the CPU, set for the run (value: its row id in
    # knowledge/device_settings.toml; explain.appcpu.setting_pins; judged by LOG400).
    cpu_pin: list[Seen[str]] = field(default_factory=list)
    # accwords (session 33): a program's own line that it builds its CPU implementation (COLMAP's "Creating SIFT CPU feature
    # extractor"; knowledge/device_settings.toml [[cpu_work]]): the log showing CPU work, beside the option that chose it.
    cpu_work: list[Seen[str]] = field(default_factory=list)
    # acccode (session 35): who chose the CPU, and where (explain.cpuchoice; knowledge/cpu_choice.toml; judged by
    # knowledge.cpu_choice.verdict, reported by LOG610).
    cpu_choice: list[Seen[Any]] = field(default_factory=list)
    # accmedia (session 35): NVIDIA's video codec libraries (explain.videocodec; knowledge/video_codec.toml; judged by
    # knowledge.video_codec.verdict, reported by LOG640-LOG644): each sign (a CodecSign), the lines that show several encode
    # sessions at once, and a container configuration that gives it the video capability.
    video_codec: list[Seen[Any]] = field(default_factory=list)
    video_sessions: list[Seen[str]] = field(default_factory=list)
    video_capability: list[Seen[str]] = field(default_factory=list)
    # accwords (session 33): a program's own message that the run waits on its input (TensorFlow's profiler "Your program is
    # HIGHLY input-bound", Lightning's "does not have many workers which may be a bottleneck"; knowledge/utilisation.toml
    # [[input_message]]): the row's id.
    input_bound: list[Seen[str]] = field(default_factory=list)
    # The user's words that a CPU-only build was installed ("installed the cpu version").
    stated_cpu_build: list[Seen[str]] = field(default_factory=list)
    # accnogpu (session 23, explain/ownanswer.py): a program's own notice that its work runs on the CPU ("CPU is being used for
    # this transcription", "you are running medaka without a GPU"), read as the "no GPU" answer of the framework the log names;
    # and a package that is a CPU build by definition shown installed or in use (knowledge/cpu_packages.toml; judged by LOG290).
    cpu_notice: list[Seen[str]] = field(default_factory=list)
    # accfall (session 31): a program's own fallback to the CPU with too little free GPU memory for its own threshold as the
    # reason it gives (explain/fallback.py; value: the reason's words; judged by LOG450). Its other fallbacks (no GPU found,
    # or no reason given) are its "no GPU" answer, added to ``cpu_notice``.
    fallback_memory: list[Seen[str]] = field(default_factory=list)
    # accfall (session 31): an ONNX Runtime session shown on the CPU alone while the package's providers include CUDA or
    # TensorRT (explain/ortproviders.py; judged by LOG451). A CPU-only list of the package's providers, or a session's with
    # no list of the package's shown, is onnxruntime's "no GPU" answer about its package (``gpu_answer``).
    ort_session_cpu: list[Seen[str]] = field(default_factory=list)
    # accsetup (session 34): programs' own CUDA setup lines as marks of that layer's state (bitsandbytes' CUDA setup, xFormers'
    # torch it was built for: explain/setupstate.py; value a SetupMark; judged together by LOG555).
    program_setup: list[Seen[Any]] = field(default_factory=list)
    # accwords (session 28): the writer's words that the machine was suspended and resumed (statements.machine_resumed).
    resumed_said: list[Seen[str]] = field(default_factory=list)
    cpu_package: list[Seen[Any]] = field(default_factory=list)  # knowledge.cpu_packages.CpuPackage
    # accinstall (session 25): a framework's plain install shown run (explain/ownanswer.py plain_installs, a PlainInstallSeen),
    # in a log that shows no GPU build of it; judged by LOG291.
    plain_install: list[Seen[Any]] = field(default_factory=list)
    # Compute capabilities the log states ("cuda capability 2.1") and GPU models it names.
    compute_capability: list[Seen[str]] = field(default_factory=list)
    gpu_model: list[Seen[str]] = field(default_factory=list)
    # The lowest compute capability a framework build states it supports (PyTorch's own warning:
    # "Minimum and Maximum cuda capability supported by this version of PyTorch is (7.0) - (12.0)"; TensorFlow's
    # "The minimum required Cuda capability is 3.5").
    build_cc_min: dict[str, list[Seen[str]]] = field(default_factory=dict)  # keyed by framework
    # accfam41 (session 41): the highest compute capability a build states it holds code for (the top of PyTorch's range,
    # "(8.0) - (12.0)"): the top entry of its architecture list, not the list; judged by LOG235.
    build_cc_max: dict[str, list[Seen[str]]] = field(default_factory=dict)  # keyed by framework
    # accfam41 (session 41): a program whose defaults run one step on the GPU and the rest on the CPU (knowledge/utilisation.toml
    # [[cpu_steps]]), named in the log: the row's id; judged by LOG237.
    cpu_steps_named: list[Seen[str]] = field(default_factory=list)
    # acccc (session 23): programs whose GPU builds knowledge/programs.toml judges (Ollama's floor, CuPy on the installed CUDA),
    # named in the log; and the CUDA a container image's tag names ("2.4.2-gpu-cuda10.2-cudnn7.6": its build's CUDA).
    program_named: list[Seen[str]] = field(default_factory=list)
    # accinfer (session 39): the program of knowledge/programs.toml whose GPU build the log's program runs (CTranslate2 under
    # faster-whisper and whisperX; explain.inferprog), the first one named.
    build_program: list[Seen[str]] = field(default_factory=list)
    # accinfer (session 39): the llama.cpp family's offload setting read as typed facts (explain.inferprog.offload_facts):
    # the program named (its knowledge/inference_offload.toml row), a line or the writer's words that its build has CUDA,
    # and each offload count asked for or shown.
    offload_program: list[Seen[str]] = field(default_factory=list)
    offload_cuda: list[Seen[str]] = field(default_factory=list)
    offload_layers: list[Seen[str]] = field(default_factory=list)
    image_cuda: list[Seen[str]] = field(default_factory=list)
    # Code that sets CUDA_VISIBLE_DEVICES itself (os.environ[...] = ...), with the value.
    code_sets_visible_devices: list[Seen[str]] = field(default_factory=list)
    # Code (or the user's account of it) that picks a GPU by a number other than 0: an argparse
    # default, torch.device("cuda:1"), set_device(1), "gpu_device is set to 1 in main.py".
    code_selects_gpu: list[Seen[str]] = field(default_factory=list)
    # accnoticed41 (session 41): the first lines that name a GPU or CUDA in any words (explain.cpumode.gpu_named_lines): where a
    # CPU-mode program's line answers for its framework.
    gpu_named_words: list[Seen[str]] = field(default_factory=list)
    # PyTorch wheel indexes a pip command names ("cu122" from download.pytorch.org/whl/cu122).
    torch_index: list[Seen[str]] = field(default_factory=list)
    # accbuild: PyTorch's CPU wheel index named (download.pytorch.org/whl/cpu); judged with torch_index in _settle.
    torch_cpu_index: list[Seen[str]] = field(default_factory=list)
    # pip keeping what is installed ("Requirement already satisfied"): nothing new came.
    pip_already_satisfied: list[Seen[str]] = field(default_factory=list)
    # "nvidia-smi: command not found" (inside a container: the runtime did not inject it).
    smi_not_found: list[Seen[str]] = field(default_factory=list)
    # A Linux NVIDIA driver's pieces shown on the machine: its packages (nvidia-driver-NNN,
    # libnvidia-compute-NNN, nvidia-utils-NNN, cuda-drivers) or a libcuda in the distribution's library
    # directory. Inside WSL2, where only the Windows driver's /usr/lib/wsl/lib serves, that is a driver
    # that should not be there.
    linux_driver: list[Seen[str]] = field(default_factory=list)
    # The driver's user-space library (libcuda) and its kernel module, each with its own version
    # (TensorFlow's CUDA diagnostics print both when cuInit fails; NVRM names the module's).
    driver_library_version: list[Seen[str]] = field(default_factory=list)
    driver_kernel_version: list[Seen[str]] = field(default_factory=list)
    # CUDA library files a program loaded (TensorFlow's "Successfully opened dynamic library ...").
    library_loaded: list[Seen[str]] = field(default_factory=list)
    # An NVIDIA Jetson board (Nano, TX2, Xavier, Orin) or its Linux for Tegra / JetPack.
    jetson: list[Seen[str]] = field(default_factory=list)
    # accci (session 33): the kind of machine the log's context shows (knowledge/machine_kinds.toml: a hosted CI runner, a CI
    # system whose runner is not shown, a container image build step, a build sandbox), the kind id as value; and the
    # families ("ci", "image_build", "sandbox") a line shows with a GPU after all (a GPU runner label, a self-hosted
    # runner, the daemon's default runtime nvidia).
    machine_kind: list[Seen[str]] = field(default_factory=list)
    machine_gpu_shown: list[Seen[str]] = field(default_factory=list)
    # The writer's words that the work fails inside a kind and runs outside it ("`bazel run` works, `bazel test` fails") in a
    # log that names CUDA or the GPU: the failure itself (knowledge/machine_kinds.toml's `fails` rows).
    machine_kind_fails: list[Seen[str]] = field(default_factory=list)
    # The lines an image build step printed in the builders' own form (BuildKit's "#8 1.234 ...", "Step 7/12 : RUN"):
    # a message on one of them came from the build step, whatever `docker run --gpus` the log shows elsewhere.
    build_step_where: set[str] = field(default_factory=set)
    # The lines of a build step's own output (BuildKit's "#8 0.895 ..."), a subset of those: where the log shows such lines,
    # a message on another line was not printed by the step.
    build_output_where: set[str] = field(default_factory=set)
    # accjet (session 31): the Jetson releases a line names (knowledge.jetson.l4t_releases): the host's L4T or JetPack ("L4T
    # 32.6", "JetPack 4.6") and a container image's (an l4t tag, "nvcr.io/nvidia/l4t-ml:r34.1.0-py3" -> "L4T 34.1.0").
    l4t_host: list[Seen[str]] = field(default_factory=list)
    l4t_image: list[Seen[str]] = field(default_factory=list)
    # The Linux distribution and release the log names ("ubuntu 20.04").
    distro: list[Seen[str]] = field(default_factory=list)
    # The distribution's own CUDA toolkit package installed (``apt install nvidia-cuda-toolkit``).
    distro_cuda_package: list[Seen[str]] = field(default_factory=list)
    # TensorFlow packages a command or a package list shows installed together (tensorflow, tensorflow-gpu...).
    tf_packages_installed: list[Seen[str]] = field(default_factory=list)
    # A torch that pip or uv installed with no local version (+cuXYZ/+cpu) on it: the wheel came from PyPI.
    torch_from_pypi: list[Seen[str]] = field(default_factory=list)
    # onnxruntime packages a package list or an install line shows installed (onnxruntime, onnxruntime-gpu...).
    ort_packages_installed: list[Seen[str]] = field(default_factory=list)
    # acc8a: TensorFlow installed with its ``[and-cuda]`` extra, i.e. with pip's nvidia-* CUDA and cuDNN wheels.
    tf_and_cuda: list[Seen[str]] = field(default_factory=list)
    # The user's words that a CUDA or cuDNN version does not work with the framework: "cudnn" or "cuda".
    stated_incompatible: list[Seen[str]] = field(default_factory=list)
    # accfacts (session 25): the writer's words that a run waits for minutes at its start, then goes on
    # (explain.statements.slow_start): what a build without the GPU's architecture shows while the driver JIT-compiles PTX.
    stated_slow_start: list[Seen[str]] = field(default_factory=list)
    # accenvdump (session 37): the writer's words that a run is slow or takes very long, or that the CPU does the work at full
    # load (explain.slowsaid.slow_run).
    stated_slow_run: list[Seen[str]] = field(default_factory=list)
    # accenvdump (session 37): a CUDA call's failure as the runtime reports it ("cuda runtime error (11) : invalid argument",
    # "CUDA error: invalid argument", "CUDA_ERROR_INVALID_VALUE"), for the rules that need a failure beside a build and a GPU.
    cuda_call_failed: list[Seen[str]] = field(default_factory=list)
    # accfix (session 19): the reporter's words that an action worked or what the problem was ("adding --gpus all
    # fixed it", "it was the LD_LIBRARY_PATH"), each with the cause it confirms (explain/remedies.py).
    stated_remedy: list[Seen[remedies.StatedRemedy]] = field(default_factory=list)
    # accwords3 (session 21, explain/reported.py): the reporter's words that the GPU is no faster than the CPU (slower, the
    # same speed, idle while the CPU is busy, bound by the CPU or its input); a program whose GPU use is fixed when it is
    # built (knowledge/reported.toml: dlib, face_recognition); an old Windows the reporter runs, with the newest driver
    # NVIDIA published for it (judged by LOG102 as the driver's ceiling).
    stated_no_faster: list[Seen[str]] = field(default_factory=list)
    # accutil40 (session 40): the writer's words that a served model's responses are slow (explain.reported.served_latency): a
    # request's latency, which a GPU does not shorten without batching (LOG210's limit).
    served_latency_said: list[Seen[str]] = field(default_factory=list)
    built_gpu_program: list[Seen[str]] = field(default_factory=list)
    os_last_driver: list[Seen[str]] = field(default_factory=list)
    # accanswers (session 19): a program's own GPU check that failed, raised as an exception ("AssertionError: Trying to
    # use CUDA, but CUDA is not available."); read as the "no GPU" answer of the framework the log names (``_settle``).
    failed_check: list[Seen[str]] = field(default_factory=list)
    # accmsg (session 24, explain/buildsaid.py): a program's own words that its build has no GPU code (value: the
    # BuildSaid), that it has none for this GPU's architecture, and its printed count or list of GPUs that is zero or the
    # CPU alone (value: the words; read as the "no GPU" answer of the framework the log names, ``_failed_checks``).
    build_said_cpu: list[Seen[Any]] = field(default_factory=list)
    build_said_arch: list[Seen[Any]] = field(default_factory=list)
    printed_no_gpu: list[Seen[str]] = field(default_factory=list)
    build_said_gpu_variant: list[Seen[str]] = field(default_factory=list)  # the same program's GPU package named too
    # acccpu (session 32, explain/cpuapi.py): a program's CPU build shown by a GPU-only API missing from its module, a printed
    # build flag, or its own words that a GPU part is not in its build (value: the CpuApi); judged by LOG500.
    cpu_api: list[Seen[Any]] = field(default_factory=list)
    # accanswers: a Kubernetes node's extended resource rows (kubectl describe node, or the node's YAML): the number of
    # nvidia.com/gpu under Capacity (what the device plugin advertises) and under Allocatable (of those, the healthy ones).
    k8s_gpu_capacity: list[Seen[str]] = field(default_factory=list)
    k8s_gpu_allocatable: list[Seen[str]] = field(default_factory=list)
    # acccontainer (session 20, explain/where.py): NVML's "GPU access blocked by the operating system", and the
    # GPU's device nodes (/dev/nvidia*) shown absent where the work ran; judged with the container facts by LOG103.
    nvml_os_blocked: list[Seen[str]] = field(default_factory=list)
    device_nodes_missing: list[Seen[str]] = field(default_factory=list)
    # acccont (session 22): the kernel module's per-GPU fields shown (explain/where.py KERNEL_MODULE_FIELD): the driver's kernel side is loaded.
    driver_module_shown: list[Seen[str]] = field(default_factory=list)
    # acccontainer: a compose file's services or a Kubernetes workload pasted in the log, without or with a GPU request.
    manifest_without_gpus: list[Seen[str]] = field(default_factory=list)
    manifest_with_gpus: list[Seen[str]] = field(default_factory=list)
    # accspec (session 31): a Kubernetes workload asking for nvidia.com/gpu without runtimeClassName: nvidia (or the writer's
    # word that the pods need or lack it), the log naming k3s or RKE2 (whose containerd keeps runc the default), and the
    # NVIDIA runtime not shown made the default.
    pod_without_runtime_class: list[Seen[str]] = field(default_factory=list)
    # acck8s (session 32): the container stack's state below the program (knowledge/container_stack.toml): which component
    # (the device plugin, the scheduler, CDI, Podman, the container toolkit, enroot, Nomad, systemd's cgroups) is in which
    # state that gives no GPU, read from its own messages, from displays of it (a pod Pending, the plugin's pod crashing)
    # and from the writer's words; value "<component>:<state>" (knowledge.container_stack.state_row), judged by
    # explain/cstackrules.py.
    container_stack: list[Seen[str]] = field(default_factory=list)
    cri_distribution: list[Seen[str]] = field(default_factory=list)
    # acccontainer (session 25, explain/where.py): the writer's account of a launch or spec without its launcher's GPU request
    # ("I ran it without --nv", "the pod had no nvidia.com/gpu in its limits", "containerd's default runtime is runc"; value:
    # its row in knowledge/launchers.toml), and the writer's word that nvidia-smi answered inside the container.
    told_launch_without_gpu: list[Seen[str]] = field(default_factory=list)
    stated_smi_in_container: list[Seen[str]] = field(default_factory=list)
    # accruntime (session 26): the writer's word that nvidia-smi is missing inside the container, pod or Kubeflow job.
    smi_missing_inside: list[Seen[str]] = field(default_factory=list)
    # accnotice (session 32, explain/where.py smi_run_inside): what nvidia-smi printed when run inside a container or pod from
    # the host (`kubectl exec <pod> -- nvidia-smi`, `docker exec <c> nvidia-smi`): "table", "failed" or "absent".
    smi_answer_inside: list[Seen[str]] = field(default_factory=list)
    # accwhere (session 32, explain/where.py smi_no_driver_place): where an nvidia-smi that could not reach the driver ran,
    # "host" or "inside" (a container or pod), where the log shows it.
    smi_no_driver_place: list[Seen[str]] = field(default_factory=list)
    # accserve (session 28, explain/serving.py): a serving or framework image named with the variant it is (value: a
    # knowledge.serving_images.ImageVariant; a KServe predictor's runtimeVersion too), the writer's words that the image in
    # use or the default one is the CPU variant, and a GPU requested of Kubernetes (nvidia.com/gpu, a MIG profile).
    serving_image: list[Seen[Any]] = field(default_factory=list)
    serving_cpu_said: list[Seen[str]] = field(default_factory=list)
    serving_named: list[Seen[str]] = field(default_factory=list)
    gpu_resource_requested: list[Seen[str]] = field(default_factory=list)
    # accray40 (session 40): a serving program with a floor of compute capability named (value: a
    # knowledge.serving_images.GpuFloor), and the NGC releases the log shows (YY.MM); judged by LOG851.
    serving_floor: list[Seen[Any]] = field(default_factory=list)
    serving_release: list[Seen[str]] = field(default_factory=list)
    # Another framework (Theano) reporting the GPU it uses on the same machine.
    other_framework_gpu: list[Seen[str]] = field(default_factory=list)
    # accrank2 (session 19): a CUDA call that returned an error (cuInit, cudaGetDeviceCount: a status code read
    # by the signatures): the program ran CUDA code, which a CPU-only build has none of (knowledge/ruleouts.toml).
    cuda_called: list[Seen[str]] = field(default_factory=list)
    # accrank2: pip's CUDA and cuDNN wheels shown installed (a package list row, pip's "Successfully installed",
    # "but you have ..."): "cudnn" or "cuda-runtime" -> the wheel's version ("9.1.0.70", "12.4.99").
    pip_cuda_wheels: dict[str, list[Seen[str]]] = field(default_factory=dict)
    # acclex (session 19): a program's own error or warning line read by its words (explain.errorwords: a GPU-stack noun
    # and what is wrong with it), on lines no signature reads; judged by LOG185 only where no other reader named a cause.
    error_words: list[Seen[Any]] = field(default_factory=list)
    # accnum (session 31): a line's need and the machine's value of one subject, the machine's below it (explain.errorwords.
    # comparisons: "Required: driver version >= 580 ... Detected: 540.4.0"), judged by LOG435.
    numbers_compared: list[Seen[Any]] = field(default_factory=list)
    # accnum: a driver floor a line states alone ("Minimum is 458.00"), completed by LOG435 with the log's own driver version.
    driver_floor_said: list[Seen[str]] = field(default_factory=list)
    # accvocab (session 32): a compute capability need a line states with no machine capability on it or within a few lines
    # (explain.errorwords.capability_needs: "Only CUDA devices with SM 5.0 and higher are supported"), completed by LOG435 with
    # the GPU the log names (knowledge.gpus).
    capability_need_said: list[Seen[Any]] = field(default_factory=list)
    # accvocab: the capabilities of each NVIDIA GPU the log names (knowledge.gpus.gpu_in_text; several for a name sold with
    # several chips), recorded only where a capability need stands alone.
    gpus_named: list[Seen[tuple[str, ...]]] = field(default_factory=list)
    # accvers (session 33, explain.buildcuda): a build's CUDA release wherever the log writes it (an image's tag, a wheel's
    # +cuNNN, PyTorch's index, jax[cudaNN], conda's pins, the writer's "CUDA 12.8 build"), with its form; the driver's CUDA
    # said in words ("the host supported CUDA 12.6"); and, where a build's CUDA is shown, the capabilities of each NVIDIA
    # GPU the log names (knowledge.gpus). Judged by explain.buildcudarules (LOG540-LOG542).
    build_cuda_said: list[Seen[Any]] = field(default_factory=list)  # explain.buildcuda.BuildCuda
    driver_cuda_said: list[Seen[str]] = field(default_factory=list)
    gpus_beside_builds: list[Seen[tuple[str, ...]]] = field(default_factory=list)
    build_failure_said: list[Seen[str]] = field(default_factory=list)  # a line that says the run, image or GPU failed
    # acccpubuild (session 37, explain/gpuextra.py): a program's GPU extra or GPU requirements file shown installed.
    gpu_extra_installed: list[Seen[str]] = field(default_factory=list)
    # accvoice41 (session 41, explain/gpuextra.py): a program's packaged release for NVIDIA GPUs named as the one run.
    packaged_cuda_build: list[Seen[str]] = field(default_factory=list)
    # accversions (session 20): a line's version built with beside the version found (explain.versionfacts.built_found),
    # judged by explain.versionrules through the knowledge layer; a libcuda the program loaded from a toolkit's stubs/.
    built_found: list[Seen[Any]] = field(default_factory=list)
    # accbuilds (session 21, explain.programbuilds): the GPU builds of programs beside the frameworks (distribution, release,
    # variant), a cuDNN or CUDA said there in the forms other readers leave ("cuda12.4 cudnn9"), keyed "cudnn"/"cuda", and the
    # CUDA/cuDNN libraries or program GPU parts a line says failed to load.
    program_builds: list[Seen[Any]] = field(default_factory=list)  # explain.programbuilds.ProgramRelease
    # accext (session 33): the CUDA extension a tool's line names as what it builds, installs or runs (explain.extbuild; the
    # value is its name as knowledge/extension_builds.toml writes it), and the ones pip says it built or installed.
    extension_named: list[Seen[str]] = field(default_factory=list)
    extension_built: list[Seen[str]] = field(default_factory=list)
    cuda_home_none: list[Seen[bool]] = field(default_factory=list)
    found_stated: dict[str, list[Seen[str]]] = field(default_factory=dict)
    load_failed: list[Seen[str]] = field(default_factory=list)
    libcuda_stub: list[Seen[str]] = field(default_factory=list)
    # acccc (session 21): a line that says a compute capability is not supported, in any program's or the reporter's
    # wording (explain.ccsupport.capability_claims), judged by explain.ccrules (LOG230).
    cc_unsupported: list[Seen[Any]] = field(default_factory=list)
    # accunsup (session 26): a line that says no compatible (or supported) GPU was found (explain.ccsupport.no_compatible_gpu),
    # judged with the GPU the log names by explain.ccrules (LOG315).
    no_compatible_gpu: list[Seen[str]] = field(default_factory=list)
    # accarch (session 28): a CUDA tool the program says it ran from PATH (XLA's "Used ptxas at ptxas": a bare name, found in
    # none of its CUDA roots nor the framework's wheel): a toolkit installed apart from the framework (LOG230's tool claim).
    tool_from_path: list[Seen[str]] = field(default_factory=list)
    # accunsup: a compute type a program says the device cannot run (CTranslate2's "Requested float16 compute type, but the
    # target device or backend do not support ..."), judged against the GPU the log names by explain.ccrules (LOG316).
    compute_type_refused: list[Seen[str]] = field(default_factory=list)
    # accvoice41 (session 41): a traceback frame of a program's code that hands CTranslate2 the device PyTorch chose
    # (knowledge/programs.toml [[torch_device]]); with the refusal above on a GPU that runs the type, PyTorch's answer False.
    torch_device_frame: list[Seen[str]] = field(default_factory=list)
    # acccc: the architectures a build states it contains (PyTorch's "supports CUDA capabilities sm_50 ...", a
    # get_arch_list() answer; explain.ccsupport.build_arch_list), a tuple per line; judged against the GPU by LOG232.
    build_archs: list[Seen[Any]] = field(default_factory=list)
    # accversions: Amazon EC2 GPU instance types the log names as the machine ("p2.xlarge"): knowledge/aws.toml gives the GPU.
    ec2_instance: list[Seen[str]] = field(default_factory=list)
    # accpkg (session 21, explain/installstate.py): pip commands shown run that remove distributions of one import package
    # and then install its GPU build, repairing two installed together (knowledge.python_layouts.same_import_repair): the
    # GPU distribution installed, at the install line, and the removed distributions, at the removal's line.
    same_import_repair: list[Seen[str]] = field(default_factory=list)
    # accpairs (session 27): distributions of the [[same_import]] groups whose names decide a build (MXNet's mxnet and
    # mxnet-cu101, paddlepaddle and paddlepaddle-gpu) shown installed: a listing's row, an install command shown run, an
    # installer's output, the writer's words (explain.installstate.twin_members); judged by LOG370.
    twin_installed: list[Seen[str]] = field(default_factory=list)
    # acctwins (session 28): (add-on, release or None) for the add-ons that require a framework's CPU twin by its
    # distribution name (knowledge/python_layouts.toml [[requires_twin]]) shown installed, and (twin, release) for the
    # releases of plain tensorflow and onnxruntime pip's output prints; judged by LOG385.
    addon_installed: list[Seen[tuple[str, str | None]]] = field(default_factory=list)
    # accsaid (session 29): a GPU build replaced by its plain twin (the writer's words or an installer's output) and the
    # writer's words that the GPU build was never installed (explain.twinsaid.Replaced); judged by LOG395 and LOG396.
    gpu_build_replaced: list[Seen[Any]] = field(default_factory=list)
    gpu_build_not_installed: list[Seen[Any]] = field(default_factory=list)
    # accdeclare (session 37): a project's declaration said to name a framework's plain twin, and the twin said installed
    # over the GPU build with both left (explain.declared; knowledge.cpu_packages.declared_twin_cpu, twin_overlay_cause)
    declared_twin: list[Seen[Any]] = field(default_factory=list)
    twin_overlay: list[Seen[Any]] = field(default_factory=list)
    # accinstbroken (session 38): a GPU build and its plain twin said installed together; acctwins (session 39): the one fact of
    # every reading of it (explain.twintogether.TwinsTogether: the writer's words, pip's conflict report), judged by LOG775.
    twins_together: list[Seen[Any]] = field(default_factory=list)
    declared_gpu_named: list[Seen[Any]] = field(default_factory=list)  # the framework whose GPU build a declaration's line names
    # accindex (session 38): package index configuration (explain.indexcfg.IndexSeen: role, URL, the build it serves) and a
    # torch version printed beside torch.__version__ in the writer's example; judged by knowledge.package_index (LOG750-LOG751)
    package_index: list[Seen[Any]] = field(default_factory=list)
    uv_source: list[Seen[Any]] = field(default_factory=list)  # explain.indexcfg.SourceSeen: a uv source pinned under a marker (LOG752)
    index_cpu_said: list[Seen[str]] = field(default_factory=list)  # the writer's words that an index or channel gave the CPU build (LOG753)
    torch_printed: list[Seen[str]] = field(default_factory=list)
    # accinst (session 30): a model the program's own pasted code creates and uses and never moves to a device, or moves
    # only in a commented-out line (explain.placement.Placement); judged by LOG430.
    code_unplaced: list[Seen[Any]] = field(default_factory=list)
    # accmisc39 (session 39): the block holding that model is the whole program that ran (explain/wholecode.py; value the
    # model's name): with the writer's word that the run was on the CPU, LOG430 speaks.
    code_whole_program: list[Seen[str]] = field(default_factory=list)
    # and the writer's line that the framework's GPU query answered True (either order: explain.placement.gpu_found_said).
    code_gpu_found: list[Seen[str]] = field(default_factory=list)
    # acctwins (session 28): the date of the first line stamped with one ("2024-10-24 09:12:01.123456: W ...",
    # "[2024-10-24 09:12:01,123]"): the day the program ran, which dates a managed image's contents (LOG386).
    log_date: list[Seen[str]] = field(default_factory=list)
    # acctwins (session 28): a Kaggle notebook named (its name, /kaggle/working): a managed image of known cuDNN (LOG386).
    kaggle: list[Seen[str]] = field(default_factory=list)
    twin_release_shown: list[Seen[tuple[str, str]]] = field(default_factory=list)
    # accpairs (session 27): (library, wanted release, the writer's release said beside it or None): the CUDA or cuDNN
    # release the writer says a program wants (explain.versionfacts.stated_wanted); judged by LOG371.
    stated_wanted: list[Seen[tuple[str, str, str | None]]] = field(default_factory=list)
    # accretold (session 38): a program's message the writer retells ("it says that tensorflow works only with CUDA 9.0", "it
    # prompts that the driver version is too low"), where a typed fact was read from it: the program failed there, as a
    # pasted message would show (explain.grammar.retold; LOG371 and LOG262 speak on it as on a failure shown).
    retold_failure: list[Seen[str]] = field(default_factory=list)
    same_import_removed: list[Seen[str]] = field(default_factory=list)
    # accpkg: a package's Linux-only native library named at a native-Windows path (the package's name; LOG221).
    linux_build_on_windows: list[Seen[str]] = field(default_factory=list)
    # accplat (session 29, explain/platfacts.py): the machine's GPU named by the cloud machine it is (an EC2 type of a GPU
    # family, a Google Cloud GPU machine type or accelerator, a data-centre GPU the writer says it has); the GPU reachable
    # as root and not as the user (LOG410); the writer's words that nvidia-smi does not work (LOG411); a CUDA release the
    # writer ties to what fails (LOG102); pip not finding a pinned CUDA jaxlib, with the versions it found (pinned,
    # offered or None: knowledge.jax.cuda_jaxlib_not_found); a package release with no Windows GPU build (LOG412).
    cloud_gpu_machine: list[Seen[str]] = field(default_factory=list)
    # accnoticed40 (session 40): a gcloud command shown creating GKE nodes without a GPU (no --accelerator, no
    # accelerator-optimized machine type; explain.platfacts.gke_nodes_without_gpu): the nodes' machine type.
    gke_nodes_without_gpu: list[Seen[str]] = field(default_factory=list)
    root_only_gpu: list[Seen[str]] = field(default_factory=list)
    smi_said_failing: list[Seen[str]] = field(default_factory=list)
    cuda_said_needed: list[Seen[str]] = field(default_factory=list)
    jaxlib_cuda_unfound: list[Seen[tuple[str, tuple[str, ...] | None]]] = field(default_factory=list)
    windows_gpu_package: list[Seen[tuple[str, str]]] = field(default_factory=list)
    # ... and that package's own Windows library named (an unofficial Windows build's .dll): LOG412 stays quiet.
    windows_gpu_library: list[Seen[str]] = field(default_factory=list)
    # acchw (session 22, explain/hwstated.py): the machine stated to have no GPU at all (an issue template's checkbox or
    # field, an environment list item "- No GPU", the writer's CPU-only machine, an lspci that found no NVIDIA device);
    # a driver version the writer or `modinfo nvidia` states, and the writer's words that the driver is too old; two
    # CUDA majors in one environment's package listing ("cuda-nvcc 12 / cudatoolkit 11", the two rows as evidence).
    stated_no_gpu: list[Seen[str]] = field(default_factory=list)
    # accsaid (session 25): the writer's words that their run fails with an error ("running into errors with cuda support").
    stated_trouble: list[Seen[str]] = field(default_factory=list)
    # accxla (session 27): a CUDA toolkit compiler part (ptxas, libdevice, nvlink) the writer says is absent
    # (explain.toolchain.tool_missing_said); read by LOG350.
    stated_tool_missing: list[Seen[str]] = field(default_factory=list)
    # acclibs (session 29): the writer's words that no CUDA toolkit or CUDA libraries are installed
    # (explain.cudasaid.cuda_absent_said); a CUDA library's failure to load is then read as missing (knowledge.libraries).
    stated_cuda_absent: list[Seen[str]] = field(default_factory=list)
    # acconpath (session 38): the writer's words that the CUDA or cuDNN library the program cannot find is there all the same
    # ("even though I've properly installed them all": explain.presentsaid.library_present_said); a library's failure to load is
    # then read as off the loader's path (knowledge.libraries).
    stated_library_present: list[Seen[str]] = field(default_factory=list)
    # accsoname (session 34): the words of lines that show some CUDA installed (explain.cudashown.cuda_shown_said).
    cuda_shown_said: list[Seen[str]] = field(default_factory=list)
    # accsoname: CUDA runtime or math library files a line shows on disk (explain.cudashown.cuda_library_present).
    cuda_library_present: list[Seen[str]] = field(default_factory=list)
    # acckmod (session 32): the NVIDIA kernel module's states the log shows (explain.kmodule.module_states): the kernel's,
    # DKMS's, lspci's and ls's lines, an empty `lsmod | grep nvidia`, the writer's words; judged by LOG480-LOG482.
    kernel_module: list[Seen[KernelModuleSeen]] = field(default_factory=list)
    # accxla (session 27): a line (a program's or the writer's quote of it) that a build holds no code for the GPU ("no kernel
    # image is available", "invalid device function", CUDA_ERROR_NO_BINARY_FOR_GPU); LOG232 reads a build's flags with it.
    no_kernel_said: list[Seen[str]] = field(default_factory=list)
    stated_gpu_vendor: list[Seen[str]] = field(default_factory=list)
    driver_stated: list[Seen[str]] = field(default_factory=list)
    driver_said_too_old: list[Seen[str]] = field(default_factory=list)
    cuda_packages_mixed: list[Seen[str]] = field(default_factory=list)
    # accfloor (session 34): a program's line that refuses a feature below its hardware floor (explain.featfloor: bf16, TF32,
    # FlashAttention, FP8, int8 matmul, Triton, RAPIDS), and the capabilities of each NVIDIA GPU the log names beside one;
    # judged by explain.featfloorrules (LOG550, LOG551).
    feature_floor_said: list[Seen[Any]] = field(default_factory=list)
    gpus_beside_floors: list[Seen[tuple[str, ...]]] = field(default_factory=list)
    # accgbdt41 (session 41): a library whose floor is the whole library's (knowledge/feature_floors.toml ``whole``: RAPIDS)
    # named where no line refuses a feature; the value is the row's id, judged by LOG552 against gpus_beside_floors.
    library_floor_named: list[Seen[str]] = field(default_factory=list)
    # accbroken (session 34): the writer's account that the GPU stopped working after an install of another package
    # (explain.installchange.InstallChange); judged by LOG575.
    install_change: list[Seen[Any]] = field(default_factory=list)
    # accupdate (session 37): the writer's account that the GPU went unused after an update (explain.updatechange.UpdateChange:
    # what was updated, its releases, what it did); judged by LOG740.
    update_change: list[Seen[Any]] = field(default_factory=list)
    # accsched (session 34): a launcher's own list of the GPUs it gave the process shown empty (explain.launchlist: Ray's
    # ray.get_gpu_ids() [], RLlib's policy device list, Slurm's NoDevFiles), as the knowledge.launcher_lists row id; LOG595.
    launcher_list_empty: list[Seen[str]] = field(default_factory=list)
    # accsched (session 36): batch schedulers and shared clusters (explain.schedjob: a node without a GPU, one node's GPU
    # state, a scheduler's GPU directive, JAX's process-to-GPU mapping under Slurm, and the no-GPU signs beside them), as
    # "<table>:<row id>[:<how told>]" of knowledge.schedulers; LOG666-LOG669.
    sched_job: list[Seen[str]] = field(default_factory=list)
    # accrdp (session 34): the session the program ran in that keeps the GPU from it (explain.remotesession.RemoteSession: a
    # Remote Desktop session in the writer's words, a hypervisor's display adapter by name), and the words that a GPU went
    # unseen beside it (explain.remotesession.unseen); judged by LOG585.
    remote_session: list[Seen[Any]] = field(default_factory=list)
    gpu_unseen_said: list[Seen[str]] = field(default_factory=list)
    # accinuse (session 35): a line that shows why a user believed an in-use GPU idle (knowledge/inuse.toml [[belief]]: Task
    # Manager named, nvidia-smi's empty process list, one part of the work on the CPU, an optional library's warning), as the
    # row's kind (explain.inuse); judged by LOG630 with the decision that the GPU is in use.
    inuse_belief: list[Seen[str]] = field(default_factory=list)
    # accinuse: each kind of evidence that the GPU is in use (knowledge/inuse.toml [[evidence]]) -> one line of it, set once the
    # lines are read (explain.inuse.in_use: value the kind, text "file:line: text").
    inuse_shown: list[Seen[str]] = field(default_factory=list)
    # accbind (session 35): a deep-learning library used from another language (knowledge/bindings.toml): each line that
    # shows it, as (binding id, kind, detail) with kind "named", "cpu", "gpu", "no_cuda", "built_cpu", "flavour"
    # (explain.langbind), and the writer's words beside it ("cpu_only", "not_available", "elsewhere"); judged by LOG635
    # and LOG636 through knowledge.bindings.judge.
    binding_lines: list[Seen[tuple[str, str, str]]] = field(default_factory=list)
    binding_said: list[Seen[str]] = field(default_factory=list)
    # accsecond (session 36): a second copy of a framework's native library (explain.secondcopy): the GPU-only function the
    # runtime says it could not find in the library it loaded, and each distribution a line names as referenced or
    # installed (knowledge/second_copies.toml); judged by LOG655-LOG657 through knowledge.second_copies.copies_in_conflict.
    native_entry_missing: list[Seen[str]] = field(default_factory=list)
    native_packages_named: list[Seen[str]] = field(default_factory=list)
    # accinstall (session 37): a module of a framework's own package Python says does not exist, as (package, module), and two
    # packages pip's resolver names in one conflict, as (requirer, required) (explain.pkgparts; knowledge/package_parts.toml);
    # judged by LOG695-LOG696.
    pkg_part_missing: list[Seen[tuple[str, str]]] = field(default_factory=list)
    pkg_resolver_pair: list[Seen[tuple[str, str]]] = field(default_factory=list)
    # accdevid (session 35): each layer's view of the GPU (explain.devlayers.DeviceLayer: nvidia-smi's rows or -L list, a
    # program's own device list, the writer's count of GPUs, a program's refusal of a device number), and the highest device
    # number a command, config or code asks for (explain.devlayers.asked_in); judged by LOG605-LOG607.
    device_layer: list[Seen[Any]] = field(default_factory=list)
    # acchidden (session 36): a run that finds no CUDA device beside a layer that lists the GPU and how the run was started
    # (explain.hiddenrun; knowledge/visible_devices.toml; judged by knowledge.visible_devices.hidden_run_cause, LOG680), and
    # the lines that say nvidia-smi ran inside the container the log names.
    hidden_run: list[Seen[Any]] = field(default_factory=list)
    # accjax39 (session 39): what the log says about the build of JAX it installs, the CUDA wheels it shares with another
    # framework and the work it gives the GPU (explain.jaxbuild.JaxSign: plain_pin, said_cpu_install, wheels_replaced,
    # gpu_still_used, sequential; knowledge/jax_builds.toml); judged by LOG845-LOG847 (explain/jaxbuildrules.py), the
    # context tag jax_fallback_harmless (explain.infer) and LOG210's limit.
    jax_build_sign: list[Seen[Any]] = field(default_factory=list)
    hidden_run_inside: list[Seen[bool]] = field(default_factory=list)
    device_asked: list[Seen[str]] = field(default_factory=list)
    # accpkg (session 35): a package manager's sign (knowledge/package_managers.toml's id), a CUDA or driver library said
    # missing (explain.pkgmanagers.LibraryMissing), a line showing the host's NVIDIA driver, the writer's words that there is
    # no NVIDIA GPU, the first line naming torch (explain.pkgmanagers.package_lines); judged by LOG645-LOG647.
    pkg_manager: list[Seen[str]] = field(default_factory=list)
    pkg_library: list[Seen[Any]] = field(default_factory=list)
    pkg_host_driver: list[Seen[str]] = field(default_factory=list)
    pkg_no_nvidia: list[Seen[str]] = field(default_factory=list)
    pkg_torch: list[Seen[str]] = field(default_factory=list)
    # accconda (session 36): what conda installed (explain.condasolve.CondaRow: package, version, build string, channel, the
    # transaction's section), the solver's words that __cuda is missing, `conda info`'s virtual packages (the driver's CUDA of
    # __cuda, "" where none is listed), the writer's words that conda installed the CPU build; judged by LOG670-LOG674.
    conda_row: list[Seen[Any]] = field(default_factory=list)
    conda_no_cuda: list[Seen[str]] = field(default_factory=list)
    conda_virtual: list[Seen[str]] = field(default_factory=list)
    conda_cpu_said: list[Seen[str]] = field(default_factory=list)
    conda_where: list[Seen[str]] = field(default_factory=list)
    # Frameworks the log names at all (a word is enough): framework -> first line number.
    mentioned: dict[str, int] = field(default_factory=dict)
    # Lines a terminal or tracker wrapped, joined again: (source, first line number, joined text, the parts).
    joined: list[tuple[str, int, str, tuple[str, ...]]] = field(default_factory=list)
    # acccpu (session 34): a CuPy built for a CUDA release shown installed (cupy-cudaNNN, spaCy's [cudaNNN] extra): explain.cupyshown.
    cupy_installed: list[Seen[str]] = field(default_factory=list)
    # acccont (session 34): the writer's words that the nodes advertise no nvidia.com/gpu (explain.contplace.k8s_none_said).
    k8s_no_gpu_said: list[Seen[str]] = field(default_factory=list)
    # accnotcpu (session 35, explain/cudacode.py): lines a program printed from its own CUDA code (a CUDA source location, a
    # CUDA or cuDNN status returned, a framework's CUDA back end on its start): a CUDA build's (knowledge/cuda_build.toml).
    cuda_code_line: list[Seen[str]] = field(default_factory=list)
    # acclibpath (session 35): where the loader searches (explain.libpath): Python's "DLL load failed ...: The specified module
    # could not be found" (the extension module named), a program started under sudo, the user's LD_LIBRARY_PATH set or
    # echoed, the writer's words that the module was built from source.
    dll_module_not_found: list[Seen[str]] = field(default_factory=list)
    sudo_program_run: list[Seen[str]] = field(default_factory=list)
    loader_path_set: list[Seen[str]] = field(default_factory=list)
    source_build_said: list[Seen[str]] = field(default_factory=list)
    # the first line that names CUDA at all (any word with "cuda"), read only in a log with Python's DLL message above
    dll_cuda_named: list[Seen[str]] = field(default_factory=list)
    # accwinload (session 38): a DLL Windows' loader refused ("[WinError 1455] ... Error loading "...\\torch\\lib\\x.dll" or one of
    # its dependencies"): the system error code and the DLL's path (explain.winload); judged by LOG790/LOG791 with
    # knowledge.loader_search.windows_load_cause.
    win_load: list[Seen[Any]] = field(default_factory=list)
    # accwin39 (session 39): the Python distribution a path or the writer shows (explain.pydist: the Microsoft Store's, the
    # embeddable package); judged by LOG801 with knowledge.loader_search.by_name_search_cause.
    python_dist: list[Seen[str]] = field(default_factory=list)
    # accwin39 (session 39): the CUDA DLLs a wheel is said to lack (explain.wheellacks); judged by LOG802 with
    # knowledge.loader_search.wheel_lacks_cause.
    wheel_lacks: list[Seen[Any]] = field(default_factory=list)
    # accext39 (session 39): a program's own compiled extension module said missing (explain.extmodule: the value (program,
    # how): an import error, a NameError, its fallback warning), the program a traceback's path goes through, and torch's build
    # line that saw no GPU (the value the CUDA_HOME it shows); judged by LOG850 with knowledge.extension_builds.
    ext_module_missing: list[Seen[Any]] = field(default_factory=list)
    ext_program_path: list[Seen[str]] = field(default_factory=list)
    ext_build_no_gpu: list[Seen[str]] = field(default_factory=list)
    # accslow (session 36): who holds the GPU (explain/occupancy.py, knowledge/occupancy.toml; decided by
    # knowledge.occupancy.decide, judged by LOG665): the run's failure where it starts on the GPU (the value its kind: busy,
    # context, memory, handle), the writer's words that another process, program, user or kernel is on it (the value the
    # words), and a monitor's rows of GPUs with their compute mode (the value a knowledge.occupancy.ModeRow).
    start_failure: list[Seen[str]] = field(default_factory=list)
    holder_said: list[Seen[str]] = field(default_factory=list)
    compute_mode_row: list[Seen[Any]] = field(default_factory=list)
    # accnodriver (session 36): lspci's display adapter rows by maker ("nvidia", "other"; "vga_filter" for an lspci filtered
    # to VGA rows) and a cloud instance type of a family without a GPU (explain.presence; knowledge/gpu_presence.toml).
    display_adapter: list[Seen[str]] = field(default_factory=list)
    cpu_instance: list[Seen[str]] = field(default_factory=list)
    # acccloudnode (session 36): a cloud or cluster GPU node and its driver (explain/cloudnode.py; decided by
    # knowledge.gpu_presence.node_reading, applied by explain/cloudnoderules.py): the writer's words that the NVIDIA driver is
    # not on the machine, a driver installer failing, a node labelled as a GPU machine, a node counting no GPU (the value the
    # resource, or "unlisted"/"unnamed") and the cloud or cluster named.
    driver_absent_said: list[Seen[str]] = field(default_factory=list)
    driver_installer_failed: list[Seen[str]] = field(default_factory=list)
    gpu_node_label: list[Seen[str]] = field(default_factory=list)
    node_gpu_zero: list[Seen[str]] = field(default_factory=list)
    cloud_node_named: list[Seen[str]] = field(default_factory=list)
    # acccloudnode (session 36): a CUDA release the writer says the machine's driver does not run ("this version of nvidia
    # drivers does not support CUDA 11.8"; explain.reported.driver_said), judged by LOG687.
    driver_short_of: list[Seen[str]] = field(default_factory=list)
    # accbrought (session 38): how the framework was installed, for a library its own install brings (explain.brought):
    # "no_deps", "wheels_removed", "extra_left_out", "local_variant", "split_site_packages", "torch_preload".
    wheel_install: list[Seen[str]] = field(default_factory=list)
    # accsmall38 (session 38): a program's line giving the driver's CUDA version as 0 ("CUDA Toolkit 11.5, Driver 0.0", "the
    # installed CUDA driver version is 0.0": CUDA's answer when no driver is installed; explain.drivernone), judged by LOG765.
    driver_cuda_none: list[Seen[str]] = field(default_factory=list)
    # accmisc39 (session 39): tf.distribute's and tf.data's notices of a distributed run going (explain/distnotice.py; value
    # the notice's id in knowledge/dist_notices.toml): a version-only reading (LOG101, LOG102) stands aside for them.
    dist_notice: list[Seen[str]] = field(default_factory=list)
    # accdrvmount (session 38): the driver's libraries where a platform mounts them without the container toolkit, and the
    # CUDA compat package's libcuda on the loader's path (explain/drvmount.py; decided by knowledge.driver_mounts, applied by
    # explain/drvmountrules.py).
    mount_platform_named: list[Seen[str]] = field(default_factory=list)
    driver_lib_unfound: list[Seen[str]] = field(default_factory=list)
    driver_lib_at_mount: list[Seen[str]] = field(default_factory=list)
    search_path_without: list[Seen[str]] = field(default_factory=list)
    mount_absent_said: list[Seen[str]] = field(default_factory=list)
    mount_off_path_said: list[Seen[str]] = field(default_factory=list)
    compat_on_path: list[Seen[str]] = field(default_factory=list)
    driver_mismatch_failed: list[Seen[str]] = field(default_factory=list)

    def one(self, name: str) -> Fact[Seen[str]]:
        """The first sighting of a single-valued fact (``platform``, ``python``...), or unknown."""
        values: list[Seen[str]] = getattr(self, name)
        return _first(values)

    def cpu_is_goal(self, source: str | None = None) -> bool:
        """acconpurpose (session 35): whether the writer's words say the CPU is their goal (in ``source``, or anywhere):
        knowledge.cpu_choice.cpu_goal over the ``cpu_choice`` facts, the decision verdict makes first."""
        from whygpu.knowledge.cpu_choice import cpu_goal

        prefix = None if source is None else f"{source}:"
        return cpu_goal(s.value for s in self.cpu_choice if prefix is None or s.where.startswith(prefix)) is not None

    def in_cpu_run(self, where: str) -> bool:
        """accounter: whether ``where`` (``source:line``) lies in the CPU run of a log laid out as a CPU/GPU comparison
        (``cpu_run_section``, explain.works.cpu_sections)."""
        source, _, number = where.rpartition(":")
        if not number.isdigit():
            return False
        for seen in self.cpu_run_section:
            first, last = (int(n) for n in seen.value.split("-"))
            if seen.where.rpartition(":")[0] == source and first <= int(number) <= last:
                return True
        return False

    def utilisation_decision(self) -> Decision:
        """The one decision over the run's utilisation numbers (knowledge.utilisation.decide), or an empty one."""
        if not self.utilisation:
            return Decision("")
        return decide([s.value for s in self.utilisation], windows=self.platform_name() in ("windows", "wsl", "wsl1", "wsl2"),
                      cuda_monitor_named=bool(self.util_cuda_monitor), processes_hidden=bool(self.util_processes_hidden),
                      input_side=bool(self.input_bound),
                      learner=self.util_step_learner[0].value if self.util_step_learner else "")

    def on_jetson(self) -> bool:
        """accjet (session 31): whether the run was on an NVIDIA Jetson (its signs, and no discrete NVIDIA card named beside
        them): knowledge.jetson.runs_on_jetson, the one decision every Jetson reading asks."""
        from whygpu.knowledge.jetson import runs_on_jetson

        return runs_on_jetson([s.value for s in self.jetson], [s.value for s in self.gpu_model])

    def smi_no_driver_on_host(self) -> bool:
        """accwhere (session 32): whether the log shows nvidia-smi failing to reach the driver on the host itself and nowhere
        shows it failing so inside a container (explain/where.py smi_no_driver_place): the host's driver is not running."""
        places = {s.value for s in self.smi_no_driver_place}
        return places == {"host"}

    def k8s_gpu_advertised(self) -> list[Seen[str]]:
        """accwhere (session 32): the rows that show a Kubernetes node advertising GPUs: nvidia.com/gpu of 1 or more under
        Allocatable, or under Capacity where no Allocatable row is shown (an Allocatable 0 beside a Capacity above it is GPUs
        the device plugin marked unhealthy, LOG190's reading, not GPUs advertised)."""
        if self.k8s_gpu_allocatable:
            return [s for s in self.k8s_gpu_allocatable if s.value not in ("0", "")]
        return [s for s in self.k8s_gpu_capacity if s.value not in ("0", "")]

    def platform_name(self) -> str | None:
        """The platform the log shows: WSL wins over Windows (a WSL user names both)."""
        names = [s.value for s in self.platform]
        if "windows" in names and any(s.value == "linux" for s in self.interpreter_platform):
            # The interpreter itself says it runs on Linux, with Windows named elsewhere: Linux on a
            # Windows machine (WSL), not native Windows.
            names.append("wsl")
        for name in ("wsl1", "wsl2", "wsl", "colab", "darwin", "windows", "linux"):
            if name in names:
                return name
        return None

    def gpu_unused(self) -> list[Seen[bool]]:
        """Every answer in which a framework said it has no GPU, and the user's own words that it went unused."""
        answers = [s for values in self.gpu_answer.values() for s in values if s.value is False]
        return answers + [Seen(False, s.where, s.text) for s in self.counted_unused()]

    def counted_unused(self) -> list[Seen[str]]:
        """accfirst (session 22): the user's words that the GPU went unused, less those that are only their suspicion ("I don't
        think it uses my GPU") in a log that states the GPU works for the run (explain/works.py): the log's fact answers them.
        accwords40 (session 40): less, there too, a program's message that says it (a warning pasted, or restated as the
        issue's title): the program's answer from its own device test, not the writer's (works.program_said)."""
        # accprec40 (session 40): less the words said on the line that reports the GPU's memory running out ("I can't train
        # jasper15x5SEP on two 2080Ti GPU, which error is CUDA out of memory"): the failure they name is the framework's
        # allocator on the GPU, which only a CUDA build that reached a working device raises
        # (https://pytorch.org/docs/stable/notes/cuda.html#memory-management), not the GPU going unused.
        oom = {s.where for s in self.out_of_memory}
        stated = [s for s in self.stated_unused if s.where not in oom] if oom else self.stated_unused
        if not self.stated_gpu_works:
            return stated
        return [s for s in stated if not works.suspected(s.text, s.value) and not works.program_said(s.text)]

    def unused_by_framework(self) -> dict[str, list[Seen[bool]]]:
        """Per framework, the lines showing it did not use the GPU (the user's words go to the framework they name)."""
        out = {fw: [s for s in values if s.value is False] for fw, values in self.gpu_answer.items()}
        out = {fw: v for fw, v in out.items() if v}
        stated = self.counted_unused()
        if stated and not out:
            named = sorted(self.mentioned, key=lambda fw: self.mentioned[fw])
            target = named[0] if len(named) == 1 else "any"
            out[target] = [Seen(False, s.where, s.text) for s in stated]
        return out

    def gpu_seen(self) -> list[Seen[bool]]:
        """Every answer in which a framework listed a GPU."""
        return [s for values in self.gpu_answer.values() for s in values if s.value is True]

    def nvidia_tensorflow(self) -> bool:
        """True when the TensorFlow is NVIDIA's own build (nvidia-tensorflow), whose CUDA is not Google's tested build's."""
        return any(s.value == "nvidia-tensorflow" for s in self.distributions.get("tensorflow", []))

    def frameworks_shown(self) -> list[str]:
        """The frameworks the log names (by version, build or answer), in a fixed order."""
        shown = set(self.versions) | set(self.cuda_build) | set(self.gpu_answer) | set(self.build_cuda) | set(self.distributions)
        return [f for f in FRAMEWORKS if f in shown]

    def summary(self) -> dict[str, object]:
        """What the log showed, fact by fact, each value with its place (for ``-v`` and JSON details)."""
        out: dict[str, object] = {}
        for name, value in vars(self).items():
            if name in ("joined", "build_step_where", "build_output_where", "others_words", "gpu_named_words") or not value:
                continue
            if name == "mentioned":
                out[name] = dict(value)
                continue
            if isinstance(value, dict):
                shown = {k: [f"{s.value} ({s.where})" for s in v] for k, v in value.items() if v}
                if shown:
                    out[name] = shown
            else:
                out[name] = [f"{s.value} ({s.where})" for s in value]
        return out

    def add(self, name: str, value: object, where: str, text: str, key: str | None = None) -> None:
        """Record a sighting (at most a few per fact, first ones kept)."""
        target = getattr(self, name)
        if key is not None:
            target = target.setdefault(key, [])
        if len(target) < 8 and all(s.value != value for s in target):
            target.append(Seen(value, where, text[:MAX_TEXT]))


# ---------------------------------------------------------------------------------------------
# Line patterns.  Each says what a kind of line means; several may apply to one line.
# ---------------------------------------------------------------------------------------------

_VER = r"v?(\d+\.\d+(?:\.\d+)?(?:(?:rc|a|b|\.dev|\.post)\d+)?(?:\+[0-9A-Za-z.]+)?)"
_TF_DIST = r"(tensorflow(?:[-_ ](?:gpu|cpu|intel|macos|rocm))?|tf[-_]nightly)"
_TORCH_DIST = r"(torch|pytorch)"
_JAX_DIST = r"(jaxlib|jax)"

_FRAMEWORK_VERSION = [
    (name, re.compile(rf"(?<![\w/.-]){dist}(?:\s+(?:version|wheel|build|package)(?:\s+(?:for|of|is))?)?(?:\s*\(use command below\))?(?:\s*(?:===|==|=|:|-|\s)\s*|\s+|(?<=version)\s?\()'?{_VER}(?!\w|\.\w)", re.I))
    for name, dist in (("tensorflow", _TF_DIST), ("torch", _TORCH_DIST), ("jax", _JAX_DIST))
]
# "Successfully installed tensorflow-2.12.0", "tensorflow_gpu-2.3.0-cp37-...whl", "pytorch-2.0.1-py3.9_cpu_0"
_SITE_PACKAGES = re.compile(r"[\\/](?:site|dist)-packages[\\/](tensorflow|torch|jax|jaxlib)[\\/]", re.I)
# accmisc (session 27): the framework a process loads, three ways: an import statement of pasted code (at a line's start,
# after a REPL or notebook prompt; "import a, b as c" lists), a traceback frame inside an installed package, and
# TensorFlow's GPU device created with its memory ("Created device /job:localhost/replica:0/task:0/device:GPU:0 with
# 22302 MB memory", common_runtime/gpu/gpu_device.cc: TensorFlow has reserved that memory in this process).
_IMPORT_LINE = re.compile(r"^\s*(?:>>>\s*|\.\.\.\s*|In \[\d*\]:\s*)?(?:import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)|from\s+([\w.]+)\s+import\b)")
_FRAME_PACKAGE = re.compile(r"File \"[^\"]*[\\/](?:site|dist)-packages[\\/](\w+)[\\/]")
_TF_DEVICE_MEMORY = re.compile(r"Created (?:TensorFlow )?device /job:\w+/replica:\d+/task:\d+/device:GPU:\d+ with \d+ MB memory")
# The settings that keep a framework from reserving the GPU's memory (knowledge/memory_prealloc.toml's hide and grow).
_MEMORY_SETTING = re.compile(r"set_visible_devices\s*\(\s*\[\s*\]|set_memory_growth\s*\([^)]*True|allow_growth\s*=\s*True|TF_FORCE_GPU_ALLOW_GROWTH|XLA_PYTHON_CLIENT_(?:PREALLOCATE|MEM_FRACTION|ALLOCATOR)", re.I)
# XLA's convolution autotuner found no cuDNN algorithm that runs (gpu_conv_algorithm_picker.cc / conv_algorithm_picker.cc:
# "Failed to determine best cudnn convolution algorithm for: <hlo> Original error: ..."). Alone it has several causes (an
# allocation that failed, a cuDNN that does not work, an XLA bug); it is read here only for LOG355.
# acccudnn (session 33): XLA's cuda_dnn.cc after "Could not create cudnn handle": the GPU's memory at that moment.
_CUDNN_MEMORY = re.compile(r"Memory usage: (\d+) bytes free, (\d+) bytes total")
_CONV_AUTOTUNE_FAILED = re.compile(r"Failed to determine best cudnn convolution algorithm")
_PY_IN_PATH = re.compile(r"[\\/]python(\d\.\d+)[\\/](?:site|dist)-packages", re.I)
_PY_BANNER = re.compile(r"^Python (\d+\.\d+\.\d+)\b")
_PY_STATED = re.compile(r"\bPython(?: version)?\s*[:=]?\s*(\d\.\d+(?:\.\d+)?)\b", re.I)
_ON_PLATFORM = re.compile(r"\]\s*(?:::.*)?\bon (win32|linux|darwin)\b")
_WINDOWS = re.compile(r"\bWin(?:dows)?[ -]?(?:10|11|7|8(?:\.1)?|Server)\b|\bnative Windows\b|\bwin_amd64\b|\b[A-Z]:\\(?:Users|Program Files|ProgramData|Python\d*|Anaconda\d*|miniconda\d*|tools)\\"
                      # accplat (session 29): a drive-letter path into a Python environment's folders, which only a Windows
                      # Python lays out with backslashes ("C:\sd\venv\Lib\site-packages\torch\...", "D:\envs\x\Scripts\"):
                      # site-packages, Lib, Scripts, a venv or conda env, AppData (WSL's view of the same files is /mnt/c/...,
                      # with no drive letter); and pathlib's repr of a path, WindowsPath('...'), which only a Windows Python prints.
                      r"|(?<![\w/])[A-Z]:(?:\\{1,2}|/)(?:[^\\/\s\"'<>|:*?]{1,80}(?:\\{1,2}|/)){0,10}?(?:site-packages|Lib|Scripts|AppData|\.?venv|envs)(?:\\|/)"
                      r"|\bWindowsPath\(['\"]", re.I)
_WSL2 = re.compile(r"microsoft-standard-WSL2|\bWSL ?2\b|/usr/lib/wsl/lib", re.I)
# "Ubuntu 22.04.4 LTS (WSL)", "WSL Ubuntu 20.04", "Windows 11 (WSL)": a system named as WSL's.
_WSL_WITH_DISTRO = re.compile(r"\b(?:Ubuntu|Debian|openSUSE|Kali|Fedora|AlmaLinux|Windows)\b[^\n]{0,40}\bWSL\b|\bWSL\b[^\n]{0,20}\b(?:Ubuntu|Debian|openSUSE|Kali|Fedora|AlmaLinux|Windows)\b", re.I)
# Windows' drives as WSL mounts them ("/mnt/c/Users/...").
_WSL_MOUNT = re.compile(r"(?<![\w/.])/mnt/[a-z]/(?:Users|Program Files|ProgramData|Windows)/", re.I)
_DISTRO_RELEASE = re.compile(r"\b(Ubuntu|Debian)[ -]?(?:GNU/Linux )?(\d{2}\.\d{2}|\d{1,2})(?:\.\d+)?\b", re.I)
_WSL1 = re.compile(r"\b\d+\.\d+\.\d+-\d+-Microsoft\b|\bWSL ?1\b")
# acctwins (session 28): a record's time stamp at the start of a line (TensorFlow's and absl's "2024-10-24 09:12:01.123456:",
# onnxruntime's "2024-10-24 09:12:01.123 [W:onnxruntime...", Python logging's "2024-10-24 09:12:01,123", bracketed).
_LOG_DATE = re.compile(r"(?m)^[ \t]*\[?(20[12]\d)-(0[1-9]|1[0-2])-([0-2]\d|3[01])[ T]\d\d:\d\d:\d\d")
# acctwins (session 28): a Kaggle notebook: its name, or its working and input folders.
_KAGGLE = re.compile(r"\bKaggle\b|(?<![\w.-])/kaggle/(?:working|input|tmp)\b", re.I)
# acccudnn (session 33): the writers' spelling with two l's, where it names the service ("google collab", "collab notebook",
# "Collaboratory": googlecolab/colabtools#384, #3086); "collab" alone is a collaboration.
_COLAB = re.compile(r"\bgoogle\.colab\b|\bColab(?:oratory)?\b|\bgoogle collab\b|\bcollab notebook|\bCollaboratory\b|^/content/|\s/content/|%tensorflow_version\b", re.I)
# acchidden (session 36): systems listed as choices, slash- or comma-separated ("(Linux/macOS/Windows)").
_OS_CHOICES = re.compile(r"\b(?:linux|windows|mac ?os|osx)\s*[/,|]\s*(?:linux|windows|mac ?os|osx)\b", re.I)
_LINUX = re.compile(r"\b(?:\w*[Uu]buntu|Debian|CentOS|Red Hat|RHEL|Rocky Linux|Fedora|Arch Linux|Linux Mint)\b|\bx86_64-linux-gnu\b|\bmanylinux", re.I)
# accenv (session 26): macOS's home folders are under /Users, spelt with a capital (Apple's File System Programming Guide,
# https://developer.apple.com/library/archive/documentation/FileManagement/Conceptual/FileSystemProgrammingGuide/FileSystemOverview/FileSystemOverview.html);
# a lower-case /users/ is a Linux cluster's home tree.
# acccpu (session 34): an environment template's OS field naming the Mac ("- OS: mac 13.0", "OS: Mac") is the system too.
# accwords40 (session 40): also "Mac" with a macOS release after it ("Mac 12.4", "Mac 14.2.1": macOS 10.x to 15.x, then 26,
# https://en.wikipedia.org/wiki/MacOS_version_history).
_MACOS = re.compile(r"(?<![\w.])OS\s*[:：]\s*(?:\*\*\s*)?mac\b(?!\s*address)|\bMac\s+(?:1[0-5]|26)(?:\.\d{1,2}){1,2}(?![\d.]*\d)|\bmac ?OS(?: X)?\b|\bmacosx_\d+|\b(?:Apple|Mac) M\d\b|\bMac ?Book\b|\bApple silicon\b|(?<![A-Za-z]:)(?<![\w\\])(?<!WindowsPath\(')(?-i:/Users/)[\w.-]+/", re.I)
# "NVIDIA" alone is no sighting of an NVIDIA GPU: "Found no NVIDIA driver", "install the NVIDIA
# driver" and nvidia-smi's error name the maker on machines that have none.
# Word edges are ASCII letters and digits, not \b: in a str pattern \b is Unicode-aware, so a name written
# against Chinese, Japanese or Korean text ("不支持AMD显卡", "我的显卡是RTX3060") has no \b edge there.
# "Intel ... Graphics" with up to two words between ("Intel HD Graphics 4000", "Intel(R) UHD Graphics 620",
# "Intel Iris Xe Graphics", "Intel i5 Graphics") is the integrated GPU.
# accwords: a Radeon named by its model alone ("RX 6600 XT", "RX 580", "RX 6500M": AMD's RX numbering), not a
# network counter ("RX 1500 bytes").
# A line labelled as the CPU of a report's machine list (accprec40): "CPU: ...", "CPU：...", "Processor: ...", "处理器：...".
_CPU_LABEL = re.compile(r"^[\s>*|`-]*(?:cpu|processor|处理器|プロセッサ)\s*[:：]", re.I)
_VENDOR = re.compile(r"(?<![A-Za-z0-9_])(?:(AMD|Radeon|RX ?\d{3,4}(?: ?(?:XTX|XT|GRE|M|S)(?![A-Za-z0-9_]))?(?!\s*(?:bytes|packets|errors|dropped|B\b|KiB|MiB)))|(Intel)(?:(?:\(?R?\)?|®) ?(?:UHD|HD|Iris|Arc|Xe)\b|(?:\(R\)|®)?(?: [\w-]+){0,2} Graphics)|(NVIDIA (?:[AHLTVPK]\d{1,3}|A\d{4})(?![A-Za-z0-9_])|GeForce|Quadro|Tesla|RTX|GTX|TITAN))(?![A-Za-z0-9_])", re.I)
# A library file's path (an ``ls``/``find``/``where`` line; a Windows path may hold spaces, "Program
# Files"): a Linux soname, or a Windows DLL whose name carries a version
# (``knowledge.cuda_versions.parse_library_name`` decides: cudart64_110.dll, nvrtc64_112_0.dll).
_LIB_FILE = re.compile(r"^\s*(?:[-ld][-rwxst]{9}\S*\s.*?\s)?((?:/[^\s:]*|[A-Za-z]:\\[^:*?\"<>|]*?)[/\\]((?:lib[\w.+-]+\.so(?:\.\d+)*)|(?:\w+\.dll)))(?:\s+->\s+\S+)?\s*$")
_FAILED_REQUEST = re.compile(r"failed to allocate (\d+) bytes", re.I)
_FREE_TOTAL = re.compile(r"Free memory\s*/\s*Total memory:\s*(\d+)\s*/\s*(\d+)", re.I)
_OOM = re.compile(r"CUDA (?:error: )?out of memory|CUDA_ERROR_OUT_OF_MEMORY|RESOURCE_EXHAUSTED: Out of memory", re.I)
# PyTorch's out-of-memory message (c10/cuda/CUDACachingAllocator.cpp), before 2.1: "(GPU 0; 15.78 GiB
# total capacity; 14.56 GiB already allocated; 3.19 MiB free; 14.71 GiB reserved in total by PyTorch)"
# ("cached" in 1.x); from 2.1: "GPU 0 has a total capacity of 23.65 GiB of which 2.06 MiB is free.
# [Process N has X memory in use.] [Including non-PyTorch memory, this process has X memory in use.]
# Of the allocated memory A is allocated by PyTorch, and R is reserved by PyTorch but unallocated."
_SIZE = r"(\d+(?:\.\d+)?) ?(bytes|[KMGT]iB)"
_OOM_NEW = re.compile(r"GPU \d+ has a total capacity of " + _SIZE + r" of which " + _SIZE + r" is free\.")
_OOM_THIS = re.compile(r"this process has " + _SIZE + r" memory in use")
# accbusy (session 26): the allocator's own count where the process's whole use is not printed. 2.1+ without NVML's lines:
# "Of the allocated memory A is allocated by PyTorch, and R is reserved by PyTorch but unallocated." (the allocator holds
# A + R). Before 2.1: "(GPU 0; T total capacity; A already allocated; F free; R reserved in total by PyTorch)", in 1.x
# before 1.5 "...; F free; C cached)" (C: cached but unallocated, so the allocator holds A + C). An "allowed" share
# ("; 3.00 GiB allowed;", torch.cuda.set_per_process_memory_fraction) caps the process itself, so it is not read.
_OOM_ALLOCATOR = re.compile(r"Of the allocated memory " + _SIZE + r" is allocated by PyTorch, and " + _SIZE + r" is reserved by PyTorch but unallocated")
_OOM_OLD = re.compile(r"\(GPU \d+; " + _SIZE + r" total capacity; " + _SIZE + r" already allocated; " + _SIZE + r" free; "
                      r"(?:" + _SIZE + r" reserved in total by PyTorch|" + _SIZE + r" cached)")
_UNIT_GIB = {"bytes": 1 / (1 << 30), "KiB": 1 / (1 << 20), "MiB": 1 / 1024, "GiB": 1.0, "TiB": 1024.0}


def _gib(number: str, unit: str) -> float:
    return float(number) * _UNIT_GIB[unit]


def oom_held_elsewhere(text: str) -> tuple[float, float] | None:
    """(GiB held outside the process, the GPU's total GiB) from PyTorch's out-of-memory message, or None.

    PyTorch 2.1+'s form with NVML says how much the failing process holds in all ("this process has X
    memory in use"). Without it (the allocator's "reserved in total by PyTorch", "cached", or the
    allocated/reserved split) the memory outside PyTorch's allocator may be the same process's (its CUDA
    context, cuDNN/cuBLAS workspaces, another framework or CUDA library loaded beside torch), so
    ``knowledge.gpus.memory_held_elsewhere`` claims another holder only where the card was full and the
    allocator held little of it (accbusy, session 26; the counts are beside its thresholds).
    """
    from whygpu.knowledge.gpus import memory_held_elsewhere

    m = _OOM_NEW.search(text)
    if m is not None:
        total, free = _gib(*m.group(1, 2)), _gib(*m.group(3, 4))
        if (this := _OOM_THIS.search(text, m.end())) is not None:
            own, exact = _gib(*this.group(1, 2)), True
        elif (alloc := _OOM_ALLOCATOR.search(text, m.end())) is not None:
            own, exact = _gib(*alloc.group(1, 2)) + _gib(*alloc.group(3, 4)), False
        else:
            return None
    elif (old := _OOM_OLD.search(text)) is not None:
        total, free = _gib(*old.group(1, 2)), _gib(*old.group(5, 6))
        own = _gib(*old.group(7, 8)) if old.group(7) else _gib(*old.group(3, 4)) + _gib(*old.group(9, 10))
        exact = False
    else:
        return None
    held = memory_held_elsewhere(total, free, own, own_exact=exact)
    return (held, total) if held is not None else None


_SMI_MEMORY = re.compile(r"\|\s*(\d+)MiB\s*/\s*(\d+)MiB\s*\|")
# gpustat's line for a GPU: "[0] Tesla V100-SXM2-16GB | 44'C,   0 % | 15836 / 16130 MB | user(15830M)".
_GPUSTAT_MEMORY = re.compile(r"^\s*\[\d+\]\s.*\|\s*(\d+)\s*/\s*(\d+)\s*MB\s*\|")
# torch/cuda/__init__.py (_check_capability, PyTorch 2.x): printed over two or three lines.
_PT_CC_RANGE = re.compile(
    r"Minimum and Maximum cuda capability supported by this version of PyTorch is\s*\((\d+\.\d+)\)\s*-\s*\((\d+\.\d+)\)")
# TensorFlow's statement of its build's floor (gpu_device.cc: "... with Cuda compute capability 3.0. The minimum required
# Cuda capability is 3.5."), read also where it stands alone: pasted without the "Ignoring visible gpu device" part before
# it, or quoted as an issue's title.
_TF_CC_MIN = re.compile(r"\bThe minimum required Cuda capability is (\d+\.\d+)")
# acclayout (session 21): PyTorch's list of the architectures its build holds code for (torch/cuda/__init__.py, the
# second line of its "... is not compatible with the current PyTorch installation" warning): the build's, not the GPU's.
# accarch (session 28): an architecture said of a build ("only ships kernels up to `sm_90`", "was built for sm_70", "compiled
# with -arch=sm_61", "TORCH_CUDA_ARCH_LIST=8.6"): what the build holds, not the GPU's capability.
_BUILD_ARCH_BEFORE = re.compile(r"(?:\b(?:built|compiled|kernels?|binar(?:y|ies)|ships?|shipped|up\s+to|gencode|arch_list|architectures?\s+list)\b|-arch\b)"
                                r"(?![^.;,()\n]*\bcompatible\s+with)[^.;,()\n]{0,40}$", re.I)
_TOOL_FROM_PATH = re.compile(r"\bUsed (ptxas) at ptxas\s*$")
_PT_ARCH_LIST = re.compile(r"\bThe current PyTorch install supports CUDA capabilities((?:[ \t]+(?:sm|compute)_\d+a?)+)")
# Blackwell's capabilities have two-digit majors (10.0, 12.0: sm_100, sm_120).
# acclibs (session 29): two or more architectures side by side ("sm_50 sm_60 sm_70", "sm_80, sm_90", a markdown table's cell
# of a release's architectures) are a build's list: a GPU has one compute capability, so none of them is the GPU's.
_ARCH_RUN = re.compile(r"\b(?:sm|compute)_\d{2,3}[af]?(?:(?:[\s,;/]|\band\b)+(?:sm|compute)_\d{2,3}[af]?\b)+", re.I)
# accprec (session 31): a program's status line placing the run's work on a CUDA device: "Running on cuda:0", "model loaded on
# cuda:0", "Using device: cuda", "device = cuda:0", "Moving model to cuda". Not code (".to('cuda')", "device='cuda'" in a call:
# the quote or parenthesis before the device) and not the CPU.
_RUN_ON_CUDA = re.compile(r"\b(?:(?:running|runs|loaded|loading|using|moved|moving|placed|training|inference|model|pipeline)\s+(?:[\w-]+\s+){0,2}?(?:on|to)|(?:using\s+)?device\s*[:=])\s*(?:device\s*)?cuda(?::\d+)?(?![\w.(])", re.I)
# The GPU's memory size beside the GPU: a size then a word of graphics memory ("2GB VRAM", "1 GB of GDDR5", "2GB video memory"),
# a size right after a GPU's name or word ("GeForce MX130 (2 GB)", "GTX 1050 2GB", "gpu card with 1GB memory"), or PyTorch's
# out-of-memory numbers ("GPU 0; 2.00 GiB total capacity").
_SIZE_GB = r"\d{1,3}(?:\.\d{1,2})?\s?(?:GB|GiB|G)\b"
_CARD_MEMORY = re.compile(
    _SIZE_GB + r"\s*(?:of\s+)?(?:v?ram|vram|gddr\w*|hbm\w*|video\s+memory|graphics\s+memory|gpu\s+memory|dedicated)\b"
    r"|\b(?:gpu|card|graphics|geforce|quadro|tesla|gtx|rtx|mx\s?\d{3}|titan)\b[^.;,\n]{0,30}?(?:\(\s*|\bwith\s+(?:only\s+)?|\s)" + _SIZE_GB + r"(?:\s*(?:memory|ram|vram))?(?!\s*(?:of\s+)?(?:system|ram\s+and|cpu))"
    r"|" + _SIZE_GB + r"\s+total\s+capacity", re.I)
_CC_STATED = re.compile(r"\b(?:cuda|compute) capability(?: of)?\s*[:=]?\s*(\d{1,2}\.\d)\b|\bsm_(\d{1,2})(\d)\b(?! is not compatible)", re.I)
# A Linux NVIDIA driver's packages (Debian/Ubuntu names, as dpkg, apt or a user's command shows them) or
# a libcuda in the distribution's own library directory (the Windows driver's is /usr/lib/wsl/lib).
_LINUX_DRIVER = re.compile(
    r"(?<![\w-])(?:nvidia-driver-\d{3}(?:-server|-open)?|libnvidia-compute-\d{3}|nvidia-utils-\d{3}|cuda-drivers(?:-\d{3})?)(?![\w-])"
    r"|(?<![\w/])(?:/usr)?/lib/x86_64-linux-gnu/libcuda\.so\b")
# An issue template's field written on one line ("- GPU model and memory: 1050ti 4 GB").
# acccc (session 23): and a "GPU:" / "Graphics card:" / "显卡：" field ("GPU:3090", "GPU: NVIDIA 5090RTX"): the field says the value is the GPU.
# accxla (session 27): also "GPU version: v100" / "GPU type: A100", as reporters fill an "nvidia-smi info" field.
_TEMPLATE_GPU_INLINE = re.compile(r"^[-*\s]*(?:GPU model and memory|GPU(?: model| version| type| name)?|Graphics card|Video card|显卡)\s*[:：]\s*(\S.*)$", re.I)
# acccc (session 23): a GPU named in any letter case ("Geforce GT 730", "TESLA K80"); kept only where the GPU table knows it.
_GPU_MODEL_ANYCASE = re.compile(r"(?<![A-Za-z0-9_/-])((?:nvidia )?(?:geforce|tesla|quadro)[ -]?(?:[a-z]{1,3}[ -]?)?\d{2,4}[a-z]{0,2}(?: ?ti)?"
                                # accunsup (session 26): the series written in lower case without its brand ("my gpu nvidia gtx 1070").
                                r"|(?:nvidia )?(?:gtx|rtx)[ -]?\d{3,4}(?: ?ti| ?super)?)(?![A-Za-z0-9_])", re.I)
_SHOW_NAME = re.compile(r"^Name:\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*$")
_SHOW_VERSION = re.compile(r"^Version:\s*(\d[\w.+!-]*)\s*$")
_GPU_MODEL = re.compile(r"(?<![A-Za-z0-9_])((?:NVIDIA )?(?:GeForce|Tesla|Quadro|TITAN|RTX|GTX|GRID)[ -]?[A-Za-z0-9]+(?: ?(?:Ti|SUPER|[0-9]{2,4}[A-Za-z]*))?(?: (?:Ti|SUPER))?)(?![A-Za-z0-9_])")
_CODE_CVD = re.compile(r"os\.environ\[\s*['\"]CUDA_VISIBLE_DEVICES['\"]\s*\]\s*=\s*['\"]([^'\"]*)['\"]|os\.environ\.setdefault\(\s*['\"]CUDA_VISIBLE_DEVICES['\"]\s*,\s*['\"]([^'\"]*)['\"]")
_TORCH_INDEX = re.compile(r"download\.pytorch\.org/whl/(cu\d{2,3})\b")
_ALREADY_SATISFIED = re.compile(r"Requirement already satisfied\b", re.I)
# An issue form's answer under its "### OS" heading, when it is one choice (GitHub issue forms' dropdowns, e.g. ollama's
# bug report form: https://github.com/ollama/ollama/blob/main/.github/ISSUE_TEMPLATE/10_bug_report.yml).
_FORM_OS_ANSWER = {"windows": "windows", "linux": "linux", "macos": "darwin", "wsl2": "wsl2", "wsl": "wsl"}
# A torch wheel file pip downloads or installs: its local tag (+cu121, +cpu) and its platform tag.
_TORCH_WHEEL = re.compile(r"\btorch-(\d+\.\d+(?:\.\d+)?)(\+[0-9a-z.]+)?-cp\d+-(?:cp\d+m?|abi3|none)-(win_amd64|win32|macosx_\w+|manylinux\w*|linux_\w+)\.whl")
_CODE_GPU_ID = re.compile(
    r"add_argument\(\s*['\"]--(?:gpu|gpus|gpu[_-]\w+|device|device[_-]id|cuda[_-]\w+)['\"][^)]*\bdefault\s*=\s*['\"]?([1-9]\d*)\b"
    r"|(?:torch\.device\(\s*['\"]cuda:|\.cuda\(\s*|set_device\(\s*|\.to\(\s*['\"]cuda:)([1-9]\d*)\b"
    r"|\b(?:gpu[_ ]?(?:device|id|ids|index)|device[_ ]?id|cuda[_ ]?device)\s+(?:is\s+)?(?:set\s+to|defaults?\s+to)\s+([1-9]\d*)\b(?=.*\.py\b)",
    re.I,
)
_SMI_NOT_FOUND = re.compile(r"nvidia-smi:? (?:command )?not found|nvidia-smi' is not recognized|\bnvidia-smi (?:and \w+ )?(?:is |are |were |was )?not found|\bnvcc and nvidia-smi not found|both nvcc and nvidia-smi not found"
                            # acccont (session 34): the same answer in other shells' and programs' words: zsh's "command not found:
                            # nvidia-smi", Ubuntu's command-not-found handler ("Command 'nvidia-smi' not found, but can be installed
                            # with:"), Python's subprocess ("No such file or directory: 'nvidia-smi'"), Go's exec and the OCI runtimes
                            # ('exec: "nvidia-smi": executable file not found in $PATH', "executable file `nvidia-smi` not found").
                            r"|command not found: nvidia-smi\b|\bCommand 'nvidia-smi' not found|No such file or directory: 'nvidia-smi'"
                            r"|[\"`']nvidia-smi[\"`']:? executable file not found|executable file [\"`']nvidia-smi[\"`'] not found", re.I)
# Expressions whose answer a log may print on a later line.
# TensorFlow's other device lists too: tf.config.list_logical_devices('GPU'), and Keras 2's
# K.tensorflow_backend._get_available_gpus() (a list of GPU device names).
_QUERY = re.compile(r"cuda\.is_available\(\)|torch\.version\.cuda|torch\.__version__|is_built_with_cuda\(\)|is_gpu_available\(|gpu_device_name\(\)|list_physical_devices\(|list_local_devices\(|(?:tf|tensorflow)\.__version__|jax\.devices\(|jax\.default_backend\(\)|(?:jax|jaxlib)\.__version__"
                    r"|list_logical_devices\(|_get_available_gpus\(\)"
                    # accmisc (session 27): onnxruntime's provider lists, printed on the next line (explain.answers reads them).
                    r"|get_available_providers\(\)|\.get_providers\(\)"
                    # accsmall (session 37): dlib's build flag and its device count (explain.answers reads both).
                    r"|\bDLIB_USE_CUDA\b|dlib\.cuda\.get_num_devices\(\)")
# (An answer written as a comment under the command, "# False", is the same answer.)
_BARE_ANSWER = re.compile(r"^[\s`'\"]*(?:#\s*)?(?:Out\[\d+\]:\s*)?(True|False|None|\[ ?\]|'?\d+\.\d+(?:\.\d+)?(?:\+\w+)?'?|\[(?:CpuDevice|PhysicalDevice|cuda|Gpu|TFRT)[^\]]*\]"
                          r"|\[\s*['\"]\w+ExecutionProvider['\"](?:\s*,\s*['\"]\w+ExecutionProvider['\"])*\s*\])[\s`'\".]*$")

# TensorFlow's CUDA diagnostics (printed when cuInit fails) and the NVRM line of /proc/driver/nvidia/version.
_DRIVER_LIBRARY = re.compile(r"libcuda reported version is:?\s*(\d{3}\.\d+(?:\.\d+)?)")
_DRIVER_KERNEL = re.compile(r"kernel reported version is:?\s*(\d{3}\.\d+(?:\.\d+)?)|NVRM version: NVIDIA .*?Kernel Module\s+(\d{3}\.\d+(?:\.\d+)?)")
# The distribution's CUDA package ("sudo apt install nvidia-cuda-toolkit").
_APT_CUDA = re.compile(r"\bapt(?:-get)?\s+(?:-\S+\s+)*install\b[^\n]*\bnvidia-cuda-toolkit\b")
# pip installing packages (explain.installstate.install_commands); a `pip list` / `pip freeze` line; the user's words
# that tensorflow-gpu is there. (pip only: conda's tensorflow-gpu is a metapackage choosing the GPU variant of the one
# tensorflow package.)
_PACKAGE_LIST_LINE = re.compile(r"^\s*(tensorflow(?:[-_](?:gpu|cpu))?)(?:==|\s+)\d+\.\d+\S*\s*$", re.I)
_TF_GPU_PRESENT = re.compile(r"\b(tensorflow[-_]gpu) (?:is |was )?(?:already )?(?:installed|present)\b", re.I)
# acc8c (session 17): onnxruntime's packages in a `pip list` / `pip freeze` row or pip's "Successfully installed"
# line: the CPU package (onnxruntime) and the GPU ones install the same `onnxruntime` module.
# Any onnxruntime distribution by its name; which of them share the one `onnxruntime` module is the knowledge layer's
# decision (python_layouts.toml [[same_import]], knowledge.python_layouts.same_import_conflicts), not this pattern's.
_ORT_NAME = r"((?:onnxruntime|ort[-_]nightly)(?:[-_][a-z]+)*)"
# acctwins (session 28): a release of plain tensorflow or onnxruntime in pip's output: "Uninstalling tensorflow-2.0.0:",
# "Successfully installed ... tensorflow-2.0.0", "Downloading tensorflow-2.0.0-cp37-...whl", "Collecting tensorflow==2.0.0".
_PIP_RELEASE = re.compile(r"(?:\b(?:Uninstalling|Successfully\s+(?:un)?installed|Downloading|Collecting|Installing)\b[^\n]*?)"
                          r"(?<![\w.-])(tensorflow|onnxruntime)(?:-|==)(\d+\.\d+(?:\.\d+)?(?:rc\d+)?)(?![\w])", re.I)
_ORT_LIST_ROW = re.compile(r"^\s*" + _ORT_NAME + r"(?:==|\s+)\d+\.\d+\S*\s*$", re.I)
_ORT_INSTALLED = re.compile(r"(?<![\w-])" + _ORT_NAME + r"-\d+\.\d+[\w.]*(?![\w-])", re.I)
# acc8a: the extra that brings pip's CUDA wheels ("tensorflow[and-cuda]"; pasted pip lines also drop the hyphen).
_TF_AND_CUDA = re.compile(r"\btensorflow\[and[- ]cuda\]", re.I)
_TF_PACKAGE = re.compile(r"^((?:nvidia-)?tensorflow(?:[-_](?:gpu|cpu))?)(?:\[[^\]]*\])?(?:[=<>!~].*)?$", re.I)
# device_lib.list_local_devices() printed: '[name: "/device:CPU:0"', later 'device_type: "GPU"' (XLA_GPU is not one).
_LOCAL_DEVICE_START = re.compile(r'^(?:\[|,\s*)?name:\s*"/device:(?:CPU|GPU|XLA_CPU|XLA_GPU):\d+"')
_LOCAL_DEVICE_GPU = re.compile(r'^device_type:\s*"GPU"|^(?:\[|,\s*)?name:\s*"/device:GPU:\d+"')
# tf.sysconfig.get_build_info()'s answer: OrderedDict([('cuda_version', '...'), ('is_cuda_build', False), ...]).
_TF_BUILD_INFO = re.compile(r"['\"]is_cuda_build['\"]\s*[:,]\s*(True|False)\b")
# A `conda list` line of TensorFlow's conda packages, whose build string names the variant:
# _tflow_select "gpu" / "mkl" / "eigen"; tensorflow(-base) "gpu_py37h..." / "mkl_py37h..." / "eigen_..."
# (defaults), "cuda112py39h..." / "cpu_py39h..." (conda-forge).
_CONDA_TF_VARIANT = re.compile(r"^\s*(tensorflow(?:-base|-gpu)?|_tflow_select)\s+\d[\w.]*\s+(gpu|mkl|eigen|cpu|cuda\d*)(?:_|py|\s|$)", re.I)
# acc8c (session 17): the same packages in conda's plan ("conda-forge/linux-64::tensorflow-2.15.0-cpu_py310h...",
# "pkgs/main/win-64::_tflow_select-2.3.0-mkl"): channel::name-version-build.
_CONDA_TF_PLAN = re.compile(r"::(tensorflow(?:-base|-gpu)?|_tflow_select)-\d[\w.]*-(gpu|mkl|eigen|cpu|cuda\d*)(?:_|py|\s|$)", re.I)
# Theano naming the GPU it uses (old and new GPU back ends).
_THEANO_GPU = re.compile(r"^\s*Using gpu device \d+: (.+)|Mapped name \S+ to device cuda\d*: (.+)")
_NVCC = re.compile(r"Cuda compilation tools, release (\d+\.\d+)")
_CUDA_PATH = re.compile(r"(?:/usr/local/cuda-|CUDA[\\/]v)(\d+\.\d+)\b", re.I)
_CAT_VERSION_FILE = re.compile(r"\bcat\s+\S*cuda[^\s/]*/version\.txt\b")
# accneg41 (session 41): Python's warnings module prints a warning as "FILE:LINENO: CATEGORY: MESSAGE" and then, indented,
# the source line of the warnings.warn() call (warnings.formatwarning, https://docs.python.org/3/library/warnings.html):
# that echoed line is the program's code (often the message's own string literal), not the writer's words
# (paddle-31740: cpp_extension's "Not found CUDA runtime, please use `export CUDA_HOME= XXX`" echoed under its UserWarning).
_PY_WARNING_HEADER = re.compile(r"\.pyw?:\d+: (?:[A-Z]\w*\.)*[A-Z]\w*Warning: ")
_CUDA_BANNER = re.compile(r"^\s*CUDA Version (\d+\.\d+)(?:\.\d+)?\s*$")
_SMI_HEADER = re.compile(r"Driver Version:\s*([0-9.]+)\s+CUDA Version:\s*([0-9.]+)")
# acclibs (session 29): nvidia-smi's header pasted one field a line ("NVIDIA-SMI 515.65.01" / "Driver Version: 515.65.01" /
# "CUDA Version: 11.7"): its "CUDA Version" is the highest CUDA the driver supports, not a toolkit installed. nvidia-smi
# prints the two fields side by side (https://docs.nvidia.com/deploy/nvidia-smi/index.html); a paste that breaks them onto
# consecutive lines keeps their order, so a "CUDA Version: X" line right after a "Driver Version: N" line is the driver's.
_SMI_DRIVER_ALONE = re.compile(r"^[\s|*>-]*(?:NVIDIA-SMI\s+[0-9.]+\s+)?Driver Version:\s*\d{3}\.\d+(?:\.\d+)?[\s|]*$")
_SMI_CUDA_ALONE = re.compile(r"^[\s|*>-]*CUDA Version:\s*(\d+\.\d+)[\s|]*$")
# accnotice (session 32): a line that introduces nvidia-smi's output: the command itself (at a prompt, in backticks, with its
# options) or the writer's "nvidia-smi shows/says/gives/outputs/reports", or nvidia-smi's name before a colon ending the line.
_SMI_INTRODUCES = re.compile(r"nvidia-smi(?:\.exe)?(?:\s+-[-\w=]+)*[`'\"]?\s*:?\s*$|\bnvidia-smi(?:\.exe)?\b[^.;!?]{0,40}?\b(?:shows?|showed|says?|said|gives?|gave|outputs?|output|reports?|reported|prints?|printed|returns?|returned)\b", re.I)
# accnotice (session 32): nvidia-smi's "CUDA Version: N" field on the line that names nvidia-smi, before another version.
_SMI_NAMED_CUDA = re.compile(r"\bnvidia-smi\b[^\n]{0,80}?\bCUDA Version\s*:\s*(\d+\.\d+)\b", re.I)
# acclib2 (session 30): a step of a container image build, in the builders' own words, is read since accci (session 33)
# by knowledge/machine_kinds.toml's docker_build markers (FactReader._machine_kind), with the other machine kinds.
_DRIVER_VERSION = re.compile(r"\b(?:NVIDIA )?(?:Graphics )?Driver(?: Version)?:?\s*(\d{3}\.\d{2,3}(?:\.\d+)?)\b", re.I)
_CONDA_CUDATOOLKIT = re.compile(r"\bcudatoolkit(?:\s+|=|==|-)(\d+\.\d+)(?:\.\d+)?\b")
_CONDA_INSTALL_PYTORCH = re.compile(r"\b(?:conda|mamba|micromamba)\s+install\b[^\n]*?\spytorch(?:[=<>]|\s|$)")
_PT_FOUND_DRIVER = re.compile(r"driver on your system is too old \(found version (\d{4,5})\)")
_PT_COLLECT_BUILD = re.compile(r"CUDA used to build PyTorch:\s*(None|\d+\.\d+)")
# accwords (session 28): and the environment reports built on it that name the framework and answer Yes/No (docTR's
# scripts/collect_env.py: "Is CUDA available (PyTorch): Yes", "Is CUDA available (TensorFlow): N/A",
# https://github.com/mindee/doctr/blob/main/scripts/collect_env.py).
_PT_COLLECT_AVAILABLE = re.compile(r"Is CUDA available(?:\s*\((PyTorch|TensorFlow|torch|tf)\))?:\s*(True|False|Yes|No)\b", re.I)
_PT_COLLECT_VERSION = re.compile(r"^PyTorch version:\s*" + _VER)
_PT_COLLECT_DRIVER = re.compile(r"Nvidia driver version:\s*(\d{3}\.\d+(?:\.\d+)?)")
# accenvdump (session 37): fastai's environment report (fastai.show_install(), fastai/utils/collect_env.py) writes its
# fields as "name<padding>: value": "torch cuda ver  : 9.0.176" or "torch cuda      : 10.0.130 / is available" (the
# build's CUDA, torch.version.cuda, "None" for a CPU build), "torch cuda is   : available" (torch.cuda.is_available()),
# "nvidia driver   : 415.25" (the driver nvidia-smi reports).
_FASTAI_TORCH_CUDA = re.compile(r"^\s*torch cuda(?: ver)?\s*:\s*(None|\d+\.\d+)(?:\.\d+)*(?:\s*/\s*is\s+(available|not available))?", re.I)
_FASTAI_TORCH_CUDA_IS = re.compile(r"^\s*torch cuda is\s*:\s*(available|not available)\b", re.I)
_FASTAI_DRIVER = re.compile(r"^\s*nvidia driver\s*:\s*(\d{3}\.\d+(?:\.\d+)?)\s*$", re.I)
# The user's own statement: "CUDA 11.2", "cuda11.2", "CUDA/cuDNN version: 10.2.89", "installed CUDA 12.1"; a version may end
# the sentence ("... + cuda 10.0."): a stop after it is no further digit (lead, session 31).
_CUDA_STATED = re.compile(r"(?<![A-Za-z0-9_])CUDA(?:[ _-]?Toolkit)?(?:/cuDNN)?(?:\s+version)?(?:[\s_]*|-(?=\d))[:=]?[\s_]*(?:[^\x00-\x7f]{1,2}\s*)?v?(\d{1,2}\.\d)(?:\.\d+)?(?!\d|\.\d)"
                          # accfacts (session 25): also with a copula ("my CUDA version is 11.2 and cuDNN is 8.1"), not the
                          # driver's ("The NVIDIA driver's CUDA version is 12.4": XLA's line, the driver's API level).
                          r"|(?<![\w'])(?<!driver's )(?<!driver )CUDA(?:[ _-]?Toolkit)?(?:\s+version)?\s+(?:is|was)\s+v?(\d{1,2}\.\d)(?:\.\d+)?(?!\d|\.\d)", re.I)
# accfacts (session 25): also with a copula ("cuDNN is 8.1").
_CUDNN_STATED = re.compile(r"(?<![A-Za-z0-9_])cuDNN(?:\s+version)?(?:\s+(?:is|was)\s+|[\s_-]*)[:=]?[\s_-]*v?(\d\.\d+)(?:\.\d+)*(?!\d|\.\d)", re.I)
# cudart and cuBLAS name the CUDA release in their file names (cuFFT, cuRAND... carry their own versions).
_LIBRARY = re.compile(r"\b(lib(?:cudart|cublas|cublasLt)\.so\.\d+(?:\.\d+)?|(?:cudart|cublas|cublasLt)64_\d+(?:_\d+)?\.dll)\b", re.I)
# The CUDA runtime's real file name, CUDA release and patch level (the soname's link target).
_CUDART_REAL_NAME = re.compile(r"libcudart\.so\.(\d+)\.(\d+)\.\d+(?![\d.]*\d)")
# A torch version with its local tag: pip's and uv's "torch==2.5.1+cpu" / "torch-2.1.0+cpu", a pip list
# row, poetry's "Installing torch (2.1.0+cpu)" / "Updating torch (2.0.0 -> 2.1.0+cpu)", and the
# URL-encoded "+" (%2B) of a wheel file's address on download.pytorch.org (requirements and lock files,
# pip's "Downloading https://download.pytorch.org/whl/cpu/torch-2.2.0%2Bcpu-...whl").
_TORCH_LOCAL = re.compile(r"\btorch(?:==|-|\s+\(?(?:\d+\.\d+(?:\.\d+)?\s*->\s*)?|\s+)(\d+\.\d+(?:\.\d+)?)(?:\+|%2B)(cpu|cu\d{2,3})\b", re.I)
# acc8c (session 17): pip's "Successfully installed ... torch-2.4.0 ..." and uv's " + torch==2.5.1": a torch
# version without a local tag. Every wheel of download.pytorch.org's CUDA (and CPU) indexes carries one
# (+cu121, +cpu), so such a torch came from PyPI, whose Windows wheel is CPU-only (knowledge/torch.toml
# pypi_cpu_only, https://github.com/pytorch/pytorch/issues/52662).
_PIP_TORCH_PLAIN = re.compile(r"^\s*Successfully installed\b.*?\btorch-(\d+\.\d+(?:\.\d+)?)(?=\s|$)|^\s*\+ torch==(\d+\.\d+(?:\.\d+)?)\s*$")
# acc8c (session 17): a `conda list` row of PyTorch's conda packages, whose build string names the
# variant. pytorch channel: "pytorch 1.12.1 py3.9_cpu_0" / "py3.9_cuda11.3_cudnn8.3.2_0", the
# "pytorch-mutex 1.0 cpu|cuda" package that pins the variant, "pytorch-cuda 11.8 h7e8668a_5" (the CUDA
# variant's metapackage, its version the CUDA release); conda-forge: "cpu_mkl_py310...",
# "cpu_generic_py310...", "cuda118_py310..." (https://anaconda.org/pytorch/pytorch/files,
# https://anaconda.org/conda-forge/pytorch/files, https://pytorch.org/get-started/previous-versions/).
# The same in conda's plan ("pytorch/noarch::pytorch-mutex-1.0-cpu").
_CONDA_TORCH_ROW = re.compile(
    r"^\s*(pytorch|pytorch-mutex|pytorch-cuda)\s+(\d[\w.]*)\s+(\S+)(?:\s+\S+)?\s*$"
    r"|(?:^|[\s:])(pytorch-mutex)-(\d[\w.]*)-(cpu|cuda)\b"
)
_CONDA_TORCH_BUILD_CUDA = re.compile(r"(?:^|_)cuda(\d+\.\d+)_|^cuda(\d{2,3})_?py|^cuda(\d{2,3})_")
_CONDA_CPU = re.compile(r"\bpytorch-\d+\.\d+(?:\.\d+)?-(?:py\d+\w*_)?cpu_|\bpytorch-cpu\b|\bcpuonly\b")

# ---- accbuild (session 18): what install output and package tables say is INSTALLED ----------------
# pip, uv, poetry and conda print the packages they remove or replace, and the requirements of other
# packages, beside the ones they install; a version named there is not the installed one.
# pip (src/pip/_internal/req/req_install.py, req_uninstall.py, cli/req_command.py): "Found existing
# installation: torch 2.1.0+cpu", "Attempting uninstall: torch", "Uninstalling torch-2.1.0+cpu:",
# "Successfully uninstalled torch-2.1.0+cpu"; uv (https://docs.astral.sh/uv/): " - torch==2.1.0+cpu"
# (removed) beside " + torch==2.1.0+cu121" (installed); poetry (https://python-poetry.org/docs/cli/):
# "• Removing torch (2.1.0+cpu)". https://github.com/pypa/pip/blob/main/src/pip/_internal/req/req_uninstall.py
_PKG_REMOVED = re.compile(
    r"^\s*(?:Found existing installation:|Attempting uninstall:|Uninstalling\s|Successfully uninstalled\s|Not uninstalling\s|Can't uninstall\s)"
    r"|^\s*(?:[-•]\s+)?Removing\s+[\w.-]+\s+\(|^\s*-\s+[\w.-]+==\S")
# An update printed as "old -> new" (poetry: "• Updating torch (2.0.0+cu118 -> 2.1.0+cpu)", "Downgrading";
# conda's plan: "pytorch::pytorch-2.0.1-py3.9_cuda11.8_cudnn8.7.0_0 --> conda-forge::pytorch-2.0.1-cpu_py39h..."):
# the old version (a token holding a version, before the arrow) is dropped, the new one kept.
_UPDATED_FROM = re.compile(r"[^\s(]*\d\.\d[^\s]*\s+-{1,2}>\s+")
# What another package requires or pip was asked for, not what is there: pip's resolver ("torchaudio
# 2.1.0+cu121 requires torch==2.1.0+cu121, but you have torch 2.1.0+cpu which is incompatible."),
# "Could not find a version that satisfies the requirement torch==2.1.0+cu121 (from versions: 2.0.0+cpu,
# ...)", "No matching distribution found for torch==...", and a requirement pip says is met ("Requirement already satisfied: torch==2.1.0 in <path>
# (2.1.0+cpu)", where the parenthesised version is the installed one).
# https://github.com/pypa/pip/blob/main/src/pip/_internal/operations/check.py,
# https://github.com/pypa/pip/blob/main/src/pip/_internal/resolution/resolvelib/factory.py
_REQUESTED = re.compile(
    r"\brequires\s+[\w.\[\],-]+\s*(?:[<>=!~]=?=?\s*[^\s,;]+(?:\s*,\s*[<>=!~]=?\s*[^\s,;]+)*)?"
    r"|\bsatisf(?:ies|y)\s+the\s+requirement\s+\S+|\bdistribution found for\s+\S+|\(from versions?:[^)]*\)?",
    re.I)
_ALREADY_SATISFIED_VERSION = re.compile(r"^\s*Requirement already satisfied:\s+([\w.-]+)\b.*\((\d[\w.+!]*)\)\s*$", re.I)
# Another library stating the PyTorch it was built for beside the one installed: xFormers' "xFormers was
# built for: PyTorch 2.1.0+cu121 with CUDA 1201 (you have 2.1.0+cpu)" (xformers/_cpp_lib.py prints
# torch.__version__ after "you have"): the first is not installed, the second is.
# https://github.com/facebookresearch/xformers/blob/main/xformers/_cpp_lib.py
# accnotice (session 32): with the words before it on the same line ("xFormers was built for: PyTorch ..."), which are
# taken off with it: what is left names the torch installed, not one a build was made for.
_BUILT_FOR_YOU_HAVE = re.compile(r"(?:\bwas\s+built\s+for\s*:?\s*)?\b(PyTorch|torch)\s+\S+(?:\s+with\s+CUDA\s+\S+)?\s*\(you have\s+([^)\s]+)\s*\)", re.I)


def installed_view(text: str) -> str | None:
    """The part of an install-output or package-table line that names what is installed, or None for a removal line.

    Drops what pip/uv/poetry/conda remove, the old side of an update, other packages' requirements and
    versions pip was only asked for, and the build another library was made for ("(you have X)" kept).
    """
    if _PKG_REMOVED.search(text):
        return None
    if ">" in text:
        text = _UPDATED_FROM.sub("", text)
    if "you have" in text:
        text = _BUILT_FOR_YOU_HAVE.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    low = text.lower()
    if "already satisfied" in low and (met := _ALREADY_SATISFIED_VERSION.match(text)):
        # The installed version in place of the requirement (the path after it kept: it names the Python).
        rest = text[met.end(1):met.start(2) - 1].split(None, 1)
        return f"{met.group(1)} {met.group(2)} " + (rest[1] if len(rest) > 1 and rest[0][:1] in "=<>!~[" else " ".join(rest))
    if any(w in low for w in ("requir", "distribution found", "from version")):
        text = _REQUESTED.sub(" ", text)
    return text


# PyTorch's CPU wheel index named where pip uses it: "Looking in indexes: https://download.pytorch.org/whl/cpu",
# an install command or a downloaded wheel's address (https://pytorch.org/get-started/locally/). Judged in
# FactReader._settle: only when no CUDA index of PyTorch is named in the same log (a README's table of
# commands names both).
_TORCH_CPU_INDEX = re.compile(r"download\.pytorch\.org/whl/(?:nightly/)?cpu\b")
# The build strings of the pytorch channel's own conda packages name the variant: "py3.9_cpu_0",
# "py3.9_cuda11.8_cudnn8.7.0_0" (the dotted Python is pytorch's own: torchvision and torchaudio write
# "py39_cpu"). https://anaconda.org/pytorch/pytorch/files
# The Hugging Face libraries' environment report (`transformers-cli env`, `diffusers-cli env`, `accelerate env`:
# the issue templates of transformers, diffusers, accelerate, peft ask for it): "- PyTorch version (GPU?):
# 2.1.0+cpu (False)" (torch.__version__ and torch.cuda.is_available()), newer "- PyTorch version
# (accelerator?): 2.5.1+cu121 (CUDA)" ("NA" when torch found no CUDA, XPU, NPU or HPU device), "- Tensorflow
# version (GPU?): 2.13.0 (False)" (tf.test.is_gpu_available() or list_physical_devices('GPU')), "- Flax version
# (CPU?/GPU?/TPU?): 0.7.2 (cpu)" (JAX's backend platform).
# https://github.com/huggingface/transformers/blob/main/src/transformers/commands/env.py,
# https://github.com/huggingface/diffusers/blob/main/src/diffusers/commands/env.py
_HF_ENV_ROW = re.compile(
    r"^[\s>*-]*(PyTorch|Tensorflow|TensorFlow|Flax) version \((GPU\?|accelerator\?|CPU\?/GPU\?/TPU\?)\):\s*"
    r"(\d+\.\d+(?:\.\d+)?(?:(?:rc|a|b|\.dev|\.post)\d+)?(?:\+[0-9A-Za-z.]+)?)\s*\(([^)]*)\)\s*$")
# jax.print_environment_info() (JAX's issue template asks for it): "device info: {jax.devices()[0].device_kind}-
# {device_count}, {local_device_count} local devices"; the CPU device's kind is "cpu".
# https://github.com/jax-ml/jax/blob/main/jax/_src/environment_info.py
_JAX_ENV_CPU = re.compile(r"^[\s>]*device info:\s*cpu-\d+,\s*\d+ local devices", re.I)
# The pytorch channel's CUDA variant asked for in a conda command: pytorch-cuda (2.x), cudatoolkit (1.x) or a build spec
# naming CUDA ("pytorch=*=*cuda*"); https://pytorch.org/get-started/previous-versions/.
_CONDA_CUDA_VARIANT = re.compile(r"\bpytorch-cuda\b|\bcudatoolkit\b|\bpytorch\s*=[^\s=]*=[^\s]*cuda", re.I)


def _later_place(where: str, than: str) -> bool:
    """Whether ``where`` is a later line of the same source than ``than`` (``source:line`` places)."""
    source, _, number = where.rpartition(":")
    other_source, _, other_number = than.rpartition(":")
    return source == other_source and number.isdigit() and other_number.isdigit() and int(number) > int(other_number)


def _python_install_command(text: str) -> bool:
    """Whether ``text`` holds a Python package manager's install command (pip, uv, poetry, conda, mamba): what was asked
    for, not what is there (explain.installstate.install_commands)."""
    return any(c.manager in ("pip", "conda") and c.verb in ("install", "add") for c in installstate.install_commands(text))


def _twin_group(name: str) -> bool:
    """accpairs (session 27): whether ``name`` is a member of a [[same_import]] group whose names decide a build, other than
    TensorFlow's and onnxruntime's (read into tf_packages_installed and ort_packages_installed for LOG133 and LOG160)."""
    from whygpu.knowledge.python_layouts import same_import_groups

    return any(name in g.members for g in same_import_groups() if g.gpu_by_name and g.group not in ("tensorflow", "onnxruntime"))


def _printed_together(text: str) -> list[str]:
    """The expressions whose answers one print() call prints on one line, in order (empty unless two or more)."""
    queries = list(_QUERY.finditer(text))
    if len(queries) < 2:
        return []
    for a, b in pairwise(queries):
        between = text[a.end():b.start()]
        if ";" in between or "print(" in between or "," not in between:
            return []
    return [q.group(0) for q in queries]


# A lock file's package entry: its name line and, next, its version line.
_LOCK_NAME = re.compile(r'^\s*name\s*=\s*"(torch|tensorflow|tensorflow-cpu|tensorflow-gpu|jaxlib|jax)"\s*$', re.I)
_LOCK_VERSION = re.compile(r'^\s*version\s*=\s*"(\d+\.\d+[^"\s]*)"\s*$')
# A listing row of jax, jaxlib or one of JAX's CUDA plugins (pip list, pip freeze, conda list): name, version, build.
_JAX_ROW = re.compile(r"^[\s>*|-]*(jax|jaxlib|jax[-_]cuda\d+[-_](?:plugin|pjrt))(?:\s*==\s*|\s+)(\d+\.\d+(?:\.\d+)?[\w.+]*)(?:\s+(\S+))?(?:\s+\S+)?\s*$", re.I)
# What another program was built with, named before a framework's name: collect_env's "CUDA used to build
# PyTorch: 12.1" (the CUDA, not torch's version), "Detectron2 was compiled with torch 1.10", "built for: PyTorch X".
# A release that bounds a range ("TensorFlow 1.2.1 or earlier requires cuDNN 5.1", TensorFlow's own loader
# message on Windows; "torch 2.0 or newer").
_RANGE_AFTER = re.compile(r"\s*(?:or|and)\s+(?:earlier|later|newer|older|above|below|higher|lower)\b", re.I)
# A release named as a point in time ("will be deprecated after Pytorch 2.9", "removed in TensorFlow 2.16",
# "since torch 2.1", "until jax 0.4.26") is no installed version either.
_BUILT_WITH_BEFORE = re.compile(
    r"(?:\bused to build|\b(?:built|compiled)\s+(?:for|with|against|by)"
    r"|\b(?:after|before|until|since|starting\s+(?:with|from)|as\s+of|(?:deprecated|removed|added|introduced)\s+in))\s*:?\s*$", re.I)
# A local tag written apart from its version ("PyTorch 2.8.0 + cu129").
# accarch (session 28): and the CUDA variant said beside it ("torch 2.8.0 with cu128", "torch 2.6.0 (cu124)"): the index's tag.
_SPACED_LOCAL = re.compile(r"\s?\+\s?(cpu|cu\d{2,3}|rocm\d+(?:\.\d+)*)\b|\s(?:with|for|from)\s+(?:the\s+)?(cu\d{3})\b|\s?\((cu\d{3})\)", re.I)
_PYTORCH_CONDA_BUILD = re.compile(r"(?<![\w.])py3\.\d+_(?:(cpu)_\d+|cuda(\d+\.\d+)_cudnn[\w.]*_\d+)(?![\w.])")
# acccc (session 21): a program probing for a platform, or answering that it is absent ("Checking if ROCm platform is
# available.", "ROCm platform is not available because: No module named 'amdsmi'", vLLM's platform detection), names
# no AMD GPU and no ROCm build: every platform is probed on every machine.
_PLATFORM_PROBE = re.compile(r"\b(?:check(?:ing)?|probing|looking|detecting|testing)\s+(?:if|whether|for)\b|\b(?:is\s+not|isn't|not)\s+available\b|\bunavailable\b|\bno\s+module\s+named\b", re.I)
_CMAKE_OPTION = re.compile(r"-DUSE_[A-Z0-9_]+=(?:1|ON)\b", re.I)
_ROCM = re.compile(r"download\.pytorch\.org/whl/rocm|\+rocm\d|\btensorflow-rocm\b|\bROCm\b")
# Singularity/Apptainer pass the GPU only with --nv (or --nvccli): the same as docker's --gpus.
# accspec (session 31): MLflow logs the command it starts a docker_env project with, quoted ("=== Running command 'docker run
# --rm ... image python train.py' in run with ID '...' ===", mlflow/projects/backend/local.py): that launch is the program's.
_DOCKER_RUN = re.compile(r"(?:^|[\s$#>`]|(?<=Running command '))(?:sudo\s+)?(nvidia-docker|docker|podman|nerdctl|singularity|apptainer)\s+(?:container\s+)?(run|exec|shell)\b(.*)")


@lru_cache(maxsize=1)
def _cuda_image() -> tuple[tuple[str, ...], re.Pattern[str]]:
    """The CUDA images' repositories as needles ("nvidia/cuda:", "nvidia/cudagl:"; knowledge/image_libraries.toml
    [[repository]], accnoticed40) and the pattern of their tags (group 1: the tag)."""
    from whygpu.knowledge.image_libraries import cuda_image_repositories

    repos = cuda_image_repositories()
    return (tuple(f"{r}:" for r in repos),
            re.compile(r"\b(?:" + "|".join(re.escape(r) for r in repos) + r"):([0-9][0-9A-Za-z._-]*)"))


# A scheduler's command at the start of a line (after a prompt) or one of its script directives;
# prose that only names the command ("I submit it with sbatch") is not a command line.
_SCHEDULER = re.compile(r"^\s*(?:[$>#]\s*)?`?(srun|sbatch|salloc|qsub|bsub)\s+(\S.*)$|^\s*#(SBATCH|PBS|BSUB)\s+(\S.*)$")
# What asks the scheduler for a GPU (Slurm --gres=gpu, --gpus*, -G; PBS ngpus=/gpus=; LSF -gpu); a
# partition or queue named for GPUs is read as a request too (some sites give such jobs a GPU).
_SCHEDULER_GPU = re.compile(r"--gres[= ]\S*gpu|--gpus\b|--gpus-per-\w+|--gpu\b|--tres-per-\w+[= ]\S*gpu|(?<!\S)-G\s*\d|\bn?gpus=\d|(?<!\S)-gpu\b|(?:--partition[= ]|(?<!\S)-[pq]\s+)\S*gpu", re.I)
# accnotice (session 32): compose's commands that start its services' containers (https://docs.docker.com/reference/cli/docker/compose/).
_COMPOSE_UP = re.compile(r"(?:^|[\s$#>`])(?:sudo\s+)?(?:docker\s+compose|docker-compose|podman-compose)\b(?:\s+-[-\w]+(?:[ =]\S+)?)*\s+(?:up|run|start)\b(.*)")
# acck8s (session 32): and the Kubernetes distributions' names (k0s, k3s, RKE2, MicroK8s, minikube): a pod's
# program runs in a container the node's runtime starts (https://kubernetes.io/docs/concepts/workloads/pods/).
# Lead (session 32): "container" in the reporters' other languages (Chinese 容器, Japanese コンテナ, Korean 컨테이너; no word
# boundary between CJK characters), as accnotice found on mattshma/bigdata#150 ("在容器中").
_CONTAINER_NAMED = re.compile(r"\b(?:docker|podman|singularity|apptainer|kubernetes|kubectl|k8s|aks|containers?|k0s|k3s|rke2|microk8s|minikube)\b|\bAzure ?ML\b|\bazureml\b"
                              r"|容器|コンテナ|컨테이너", re.I)
# accnoticed (session 37): a user's home folder's name ("/home/docker-user/data-science-stack", NVIDIA data-science-stack#7)
# names a user, not a container the job runs in.
_USER_HOME = re.compile(r"(?:/home/|/Users/|\\Users\\)[^/\\\s]*$")


def _in_user_home(text: str, start: int) -> bool:
    """Whether position ``start`` of ``text`` lies in the name of a user's home folder (the segment after /home/ or /Users/)."""
    return _USER_HOME.search(text, max(0, start - 80), start) is not None


# A machine named as one without a GPU: "the CPU instance", "a CPU-only node", "CPU compute".
_CPU_MACHINE = re.compile(r"\bCPU[- ](?:only )?(?:instance|node|VM|compute|cluster|machine|server|runtime|SKU)s?\b", re.I)
# accruntime (session 26): the banner's first sentence alone where a paste wrapped the line after it (the NGC images'
# entrypoint, /opt/nvidia/nvidia_entrypoint.sh, prints "WARNING: The NVIDIA Driver was not detected.  GPU functionality
# will not be available." as one line; https://catalog.ngc.nvidia.com/containers).
_BANNER_NO_DRIVER = re.compile(r"The NVIDIA Driver was not detected\.(?:\s+GPU functionality will not be available|\s*$)")
_ENV_SET = re.compile(r"(?:^|`|&&|;)\s*(?:[$#>]\s*)?(?:export\s+|set\s+|ENV\s+|\$env:)?(CUDA_VISIBLE_DEVICES|NVIDIA_VISIBLE_DEVICES|LD_LIBRARY_PATH|CUDA_HOME|CUDA_PATH|JAX_PLATFORMS|TF_CPP_MIN_LOG_LEVEL|NUMBA_CUDA_DRIVER|NUMBAPRO_CUDA_DRIVER)\s*=\s*('[^']*'|\"[^\"]*\"|[^\s`]*)")
_PRESENCE_NEEDLES = ("controller:", "controller [03", "lspci", "large", ".medium", ".micro", ".small", ".nano")
# acccloudnode (session 36): a line without these gives explain.cloudnode nothing.
_CLOUD_NODE_NEEDLES = ("driver", "nvidia-gpu", "com/gpu", "gke-accelerator", "instance-gpu", "accelerator", "allocatable:")
# accdrvmount (session 38): a text without these gives explain.drvmount nothing.
_DRIVER_MOUNT_NEEDLES = ("gke", "kubernetes engine", "container-optimized", "container optimized", "/home/kubernetes", "cos-gpu",
                         "compat", "mismatch", "unsupported display driver")
_VM_SIZE = re.compile(r"\bStandard_(?:[A-Z][A-Za-z]*\d+[A-Za-z0-9]*)(?:_[A-Za-z0-9]+)*\b", re.I)
_AZUREML = re.compile(r"\bazureml[-_:/]|/mnt/azureml/|\bAZUREML_[A-Z_]+\b|\bAzure ML\b", re.I)
# Answers a framework prints about its devices.
_TF_CPU_ONLY_LIST = re.compile(r"^[\s`'\"]*(?:Out\[\d+\]:\s*)?\[PhysicalDevice\(name='/physical_device:CPU:0', device_type='CPU'\)\][\s`'\"]*$")
_TF_GPU_LIST = re.compile(r"PhysicalDevice\(name='/physical_device:GPU:\d+'")
_TF_GPU_EMPTY = re.compile(r"list_physical_devices\(\s*(?:device_type\s*=\s*)?['\"]GPU['\"]\s*\)\)?\s*(?:=|->|:|returns?|is)?\s*\[\]\s*$")
# accext (session 33): an environment dump's CUDA_HOME row with no toolkit (mmcv's and mmdet's collect_env "CUDA_HOME: None",
# detectron2's table "CUDA_HOME    None"): torch.utils.cpp_extension found no toolkit where the extension was built.
# accext39: the cues of a program's package in a path (explain.extmodule.package_cues).


def _ext_package_cues() -> tuple[str, ...]:
    from whygpu.explain.extmodule import package_cues

    return package_cues()


_CUDA_HOME_NONE = re.compile(r"^[\s|`'\"]*CUDA_HOME\s*(?::|=|\s)\s*None\s*[|`'\"]*\s*$")
_NUM_GPUS_ZERO = re.compile(r"Num GPUs Available:?\s*0\b")
_JAX_CPU_ONLY = re.compile(r"^[\s`]*\[(?:CpuDevice\(id=0\)|TFRT_CPU_0)\]\s*$")
_JAX_GPU = re.compile(r"\[(?:cuda|gpu|Cuda|Gpu|GPU)(?:Device)?\((?:id=)?\d+")
# PyTorch's own answer in other words: torch.cuda.is_available() was False (a launcher's check,
# autocast disabling itself). Not the extension builder's "No CUDA runtime is found, using
# CUDA_HOME": a `docker build` prints it on a machine without a GPU and still builds for CUDA.
# PyTorch Lightning's own words for the same answer: "GPUs requested but none are available"
# (its device parser, when torch.cuda finds no device for the GPUs asked for) and "No supported gpu
# backend found!" (its accelerator connector, when neither CUDA nor MPS is available):
# https://github.com/Lightning-AI/pytorch-lightning/blob/1.5.0/pytorch_lightning/utilities/device_parser.py,
# https://github.com/Lightning-AI/pytorch-lightning/blob/2.0.0/src/lightning/pytorch/trainer/connectors/accelerator_connector.py
_TORCH_SAYS_NO_CUDA = re.compile(
    r"Torch is not able to use GPU|User provided device_type of .cuda., but CUDA is not available"
    r"|GPUs requested but none are available|No supported gpu backend found"
    # torch.cuda.amp.GradScaler disabling itself (torch/cuda/amp/grad_scaler.py).
    r"|GradScaler is enabled, but CUDA is not available"
)
_CUDA_AVAILABLE_FALSE = re.compile(r"\bCUDA (?:is )?available\??\s*[:=]\s*False\b", re.I)
_LIGHTNING_GPU = re.compile(r"^GPU available:\s*(True|False)")
# Lightning's device parser when the GPUs asked for are not among those torch.cuda found: "You requested
# GPUs: [0]\n But your machine only has: []" (pytorch_lightning/utilities/device_parser.py, 1.x;
# lightning_fabric/utilities/device_parser.py "You requested gpu: ..."): an empty list is torch finding
# no GPU at all; a list of other ids is a wrong choice of GPU, not read here.
# https://github.com/Lightning-AI/pytorch-lightning/blob/1.5.0/pytorch_lightning/utilities/device_parser.py
_LIGHTNING_NONE_AVAILABLE = re.compile(r"But your machine only has: \[\]")
# A program's own count of the GPUs it found, printed as zero: TorchServe's configuration dump
# ("Number of GPUs: 0", frontend ConfigManager.dumpConfigurations, counted with nvidia-smi) and the
# scripts printing torch.cuda.device_count() / len(list_physical_devices('GPU')) under that label.
# https://github.com/pytorch/serve/blob/master/frontend/server/src/main/java/org/pytorch/serve/util/ConfigManager.java
_NUMBER_OF_GPUS_ZERO = re.compile(r"\bNumber of (?:available )?GPUs(?: available)?:?\s*0(?![\d.])", re.I)
# accanswers: a Kubernetes node's resource sections and its GPU row: "Capacity:" / "  nvidia.com/gpu:  0" (kubectl describe
# node), "capacity:" / '    nvidia.com/gpu: "0"' (kubectl get node -o yaml). The NVIDIA device plugin advertises the GPUs
# it finds as Capacity and the healthy ones as Allocatable (its maintainer: https://github.com/NVIDIA/k8s-device-plugin/issues/58;
# https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/device-plugins/).
_K8S_SECTION = re.compile(r"^\s*(Capacity|Allocatable|capacity|allocatable):\s*$")
_K8S_GPU_ROW = re.compile(r"^\s*nvidia\.com/gpu:\s*[\"']?(\d+)[\"']?\s*$")
# acck8s (session 32): kubectl get nodes -o=custom-columns=NAME:.metadata.name,GPU:.status.allocatable.nvidia\.com/gpu
# prints one row per node, "<none>" where the node has no such resource (kubectl's custom-columns printer:
# https://kubernetes.io/docs/reference/kubectl/#custom-columns); the column's path says Capacity or Allocatable.
_K8S_GPU_COLUMNS = re.compile(r"custom-columns=[^\n]*\.status\.(capacity|allocatable)\.[`'\"]?nvidia\\?\.com/gpu", re.I)
_K8S_GPU_COLUMN_ROW = re.compile(r"^[\s>#`]*(?!NAME\b)[\w.-]+\s+(\\?<none\\?>|\d+)\s*`?$")


def _k8s_gpu_columns(lines: list[str]) -> list[tuple[int, str, str, str]]:
    """The nodes' GPU column of kubectl's custom-columns output below the command naming it: (line, "k8s_gpu_capacity" or
    "k8s_gpu_allocatable", the count with "<none>" read as "0", the row)."""
    out: list[tuple[int, str, str, str]] = []
    for number, line in enumerate(lines, 1):
        if "custom-columns" not in line or (m := _K8S_GPU_COLUMNS.search(line)) is None:
            continue
        section = "k8s_gpu_capacity" if m.group(1).lower() == "capacity" else "k8s_gpu_allocatable"
        for later in range(number, min(number + 6, len(lines))):
            row = _K8S_GPU_COLUMN_ROW.match(lines[later])
            if row is not None:
                value = "0" if "none" in row.group(1) else row.group(1)
                out.append((later + 1, section, value, lines[later].strip()))
    return out


def _asserted(line: str, start: int) -> bool:
    """Whether the words at ``start`` of ``line`` are asserted: not in a question or a sentence of advice (explain.where)."""
    return not where_ran.launch_is_advice(line, start)
# REPL prompts: ">>> expr", "In [3]: expr".
_PROMPT = re.compile(r"^\s*(?:>>>|In \[\d+\]:)\s?(.*)$")
# The text a print() puts before the value it prints: print(f"gpus : {x}") or print("gpus:", x).
_PRINT_LABEL = re.compile(r"\bprint\(\s*f?(?:\"([^\"{}]{1,40})(?:\{|\"\s*,\s*)|'([^'{}]{1,40})(?:\{|'\s*,\s*))[^\"'{}]*$")
# A bare true/false in lower case (an answer retyped by hand), alone on its line.
_LOWER_BOOL = re.compile(r"^[\s`'\"]*(?:true|false)[\s`'\".]*$")
_OUTPUT_IS = re.compile(r"^\s*(?:The |the )?(?:output|result|it returns?|returns?)(?: is| was)?:?\s*[`'\"]?(True|False|None|\[\])[`'\"]?\.?\s*$", re.I)
# accruntime (session 26): the answer to an expression written on an earlier line (a code block, a line of its own) told
# in a sentence of its own: 'yielded "False".', "It returns false", "and I get False again", "which gives me `False`",
# "devuelve False", "gibt False zurück", "返回False". The same value as the bare line below the expression, so the same
# fact (torch.cuda.is_available() is False only when the build or the driver found no usable device:
# https://pytorch.org/docs/stable/generated/torch.cuda.is_available.html). The whole line is the answer: a sentence that goes
# on ("returned False before I reinstalled") is not read.
_OUTPUT_SAID = re.compile(
    r"^[\s>*-]*(?:(?:and|but|which|so|then|now|it|this|that|i|we|still|always|just|only|torch|python|the\s+(?:call|check|command|function|answer|code|output|result))\s+){0,3}"
    r"(?:(?:yields?|yielded|gives?|gave|returns?|returned|prints?|printed|outputs?|outputted|shows?|showed|says?|said|gets?|got|answers?|answered"
    r"|results?\s+in|resulted\s+in|evaluates?\s+to|evaluated\s+to|comes?\s+(?:back|out)|came\s+(?:back|out)|is|was)"
    r"(?:\s+(?:me|back|still|always|only|just|as|with))*"
    r"|devuelve|retorna|regresa|(?:me\s+)?da|renvoie|retourne|donne|gibt|liefert|возвращает|выдаёт|выдает|返回|输出|结果(?:为|是)|显示|得到)"
    r"\s*:?\s*[`'\"*]*(True|False|None)[`'\"*]*(?:\s+(?:again|still|as\s+well|too|every\s*time|each\s*time|zurück))?"
    # lead (session 29): the answer followed by what the writer draws from it ("it prints False so clearly I am doing
    # something wrong", "returns False, which means no GPU"): a consequence, not a later state or a doubt ("but", "until",
    # "before", "now" clauses stay unread: the value may be over).
    r"(?:\s*[.!,;。]?\s*$|\s*[,;:-]?\s+(?:so|hence|thus|therefore|which\s+(?:means|suggests|indicates|tells\s+me)|meaning|i\s+guess|and\s+so)\b(?![^\n]*\b(?:True|now|after|until|before|since|fixed|solved|works?)\b)[^\n]*$)",
    re.I,
)
_SAME_LINE_ANSWER = re.compile(r"\)\)?[`'\"]?\s*(?:#\s*(?:(?:prints?|returns?|gives?|outputs?|displays?|shows?|->)\s*:?\s*)?|->\s*|=>\s*|\u2192\s*|\u21d2\s*|==?\s*|:\s*|(?:is |are )?(?:still |always )?(?:returns?|returning|returned|gives?|giving|prints?|printing|outputs?|shows?|is|are|was)\s+)[`'\"]?(True|False|None|\[\])(?!\w)", re.I)

# The answer written after an attribute on the same line: "torch.version.cuda → None", "torch.__version__: 2.9.1+cpu".
_SAME_LINE_VALUE = re.compile(r"[`'\"]?\s*(?:\u2192|\u21d2|->|=>|==?|:|is\b|returns?\b)\s*[`'\"]?(True|False|None|\[\]|\d+\.\d+(?:\.\d+)?(?:\.dev\d+)?(?:\+\w+)?)(?![\w.])")


def _answer_value(text: str) -> str:
    """The printed value of a REPL answer line: quotes and ``Out[n]:`` dropped."""
    text = re.sub(r"^\s*Out\[\d+\]:\s*", "", text).strip()
    return text.strip("'\"")


# accrank2: a cuDNN library file named in prose, with the folder before it when the same token has one.
_CUDNN_FILE = re.compile(r"(?:(?:[A-Za-z]:)?[\w.~-]*(?:[\\/][\w.+~ -]+)*[\\/])?(?P<file>(?:lib)?cudnn[\w+-]*(?:\.so(?:\.\d+)*|\.dll))(?![\w.])", re.I)
# A folder: a token with at least two path separators ("C:\\tools\\cuda\\bin", ".venv\\Lib\\site-packages", "/usr/lib").
# (A date written with slashes, "12/01/2020", is no folder.)
_FOLDER = re.compile(r"(?<![\w.~/\\-])(?!\d{1,4}/\d{1,2}/\d{1,4}\b)(?:[A-Za-z]:)?[\w.~-]*(?:[\\/][\w.+~-]+){2,}[\\/]?")
_SOURCE_PLACE = re.compile(r"\b[\w/]+\.(?:cc|cpp|c|h|py):\d+\]?")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;])\s+(?=[A-Z`(\[])")
# A sentence that reports a failure, a condition or a lack is not one that says the file is there.
_FILE_NOT_SAID = re.compile(r"\b(?:could ?n[o']t|can ?n[o']t|unable|fail(?:s|ed|ure)?|error|not found|no such file|missing|if|whether|does ?n[o']t exist)\b", re.I)
_ADVICE_START = re.compile(r"\s*(?:please|try|copy|put|add|place|download|install|make sure|you (?:should|need|must|can|have to)|just|then)\b", re.I)
_FILE_NEGATOR = re.compile(r"instead of|rather than|\bnot\b|\bno\b|\bwithout\b|\bmissing\b|\blacks?\b|\bneither\b|\bnor\b", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:but|and|which|that|because)\b", re.I)


def _file_lacking(before: str) -> bool:
    """Whether a file named after ``before`` is under a negation of its clause ("there is no `a.so.8` or `b.so.9`",
    "saw `x.dll` instead of `y.dll`"): a negator with no clause break between it and the file."""
    negators = list(_FILE_NEGATOR.finditer(before))
    return bool(negators) and not _CLAUSE_BREAK.search(before, negators[-1].end())


# accrank2: one of pip's CUDA or cuDNN wheels and its version, as a list row ("nvidia-cudnn-cu12   9.1.0.70"), a pin
# ("nvidia-cudnn-cu12==9.1.0.70"), a wheel name in pip's "Successfully installed" ("nvidia-cudnn-cu12-9.1.0.70").
_PIP_CUDA_WHEEL = re.compile(r"(?<![\w-])nvidia-(?P<lib>cudnn|cuda-runtime)-cu\d+(?P<sep>\s+|==|-)(?P<version>\d+(?:\.\d+)+)(?![\w.])", re.I)


# A line can hold a fact only if it holds one of these words (lower case; every pattern below
# needs one); the lines holding none are found in a few passes over the whole head and skipped.
HOT_WORDS = (
    "winerror",  # accwinload (session 38): the code of a DLL Windows refused may stand on the line before its path
    "get_device(",  # accort40 (session 40): print(ort.get_device()) on its own line, its value on the next
    "jetson", "jetpack", "l4t", "tegra", "gr3d", "nvgpu", "theano", "reported version", "kernel module", "successfully opened",
    "collab", "bytes free",  # acccudnn (session 33): Colab spelt with two l's; XLA's memory line beside a failed cuDNN handle
    "nvidia-cuda-toolkit", "is_cuda_build", "_tflow_select", "/mnt/", "ptxas", "libdevice", "nvlink",
    "tensorflow", "tf-nightly", "tf_nightly", "torch", "jax", "keras", "python", "win32", "linux", "darwin", "windows",
    "win1", "win 1", "win7", "win 7", "win_amd64", ":\\", "wsl", "microsoft", "ubuntu", "debian", "centos", "red hat",
    "rhel", "rocky", "fedora", "arch linux", "mint", "mac", "apple", "/users/", "colab", "/content/", "cud", "nvcc",
    "driver", "nvidia", ".dll", ".so", "physicaldevice", "num gpus", "cpudevice", "tfrt_cpu", "gpu", "cpu", ">>>",
    "in [", "docker", "podman", "ld_library_path", "jax_platforms", "tf_cpp", "azure", "amd", "radeon", "intel",
    "geforce", "quadro", "tesla", "rtx", "gtx", "titan", "grid", "rocm", "out of memory", "resource_exhausted", "mib",
    "capability", "sm_", "version", "#", "%tensorflow_version", "requirement already satisfied", "standard_",
    "container", "singularity", "apptainer", "kube", "k8s", "srun", "sbatch", "salloc", "qsub", "bsub",
    # (session 26, accruntime) enroot's own command (pyxis' --container-image holds "container"); a framework's GPU query
    # named without its module ("is_available() gives me False").
    "enroot", "is_ava",
    # (session 29, accplat) explain/platfacts.py: a package without a Windows GPU build, cloud machine types, the GPU
    # reachable as root only.
    "bitsandbytes", "xlarge", ".metal", "highgpu", "megagpu", "ultragpu", "standard-", "sudo", "as root", "non-root", "nonroot",
    "normal user", "regular user", "video group", "render group", "a100", "h100", "h200", "v100", "p100", "a10g", "l40",
    "b200", "k80", " t4", " l4",
    # (session 17, acc8b) Lightning's "But your machine only has: []".
    "machine only has",
    # (session 35, acclibpath) explain/libpath.py: Python's importer on Windows, a module built from source here.
    "dll load failed", "from source", "setup.py",
    # (session 17, phrases) the graphics card named in the users' words (explain/statements.py).
    "graphic", "video card", "videocard", "tarjeta",
    # (session 19, accwords) the graphics card in Portuguese ("placa de vídeo").
    "placa de v",
    # (session 17, acc8c) onnxruntime's packages in a listing.
    "onnxruntime",
    # (session 27, accpairs) MXNet's and PaddlePaddle's builds in a listing or the writer's words (LOG370).
    "mxnet", "paddle",
    # (session 28, accserve) serving images named on an image: line or in words (explain/serving.py NEEDLES).
    "serving", "torchserve", "huggingfaceserver", "-inference",
    # (session 20, acccontainer) containerd's docker-compatible CLI.
    "nerdctl",
    # (session 19, accanswers) a Kubernetes node's Capacity and Allocatable sections.
    "capacity:", "allocatable:",
    # (session 20, accwords2) the GPU's memory in the users' words ("the VRAM usage stays at zero").
    "vram",
    # (session 20, accversions) Amazon EC2's GPU instance types ("p2.xlarge", "g4dn.12xlarge").
    "xlarge",
    # (session 21, accwords3) programs whose GPU use is fixed at build, non-NVIDIA accelerators, a run said input-bound.
    "dlib", "face_recognition", "face-recognition", "dcu", "ascend", "mlu", "gaudi", "moore threads", "iluvatar", "biren",
    "win8", "win 8", "bottleneck",
    # (session 22, acccont) a program's report of its host name (TensorFlow's CUDA diagnostics: "hostname: 5e85f82cd11c"),
    # TensorFlow's native library import in a traceback, NGC's image registry, a container's driver capabilities.
    "hostname", "pywrap_tensorflow", "nvcr.io", "capabilities",
    # (session 24, accversions) PaddlePaddle's release named without "-gpu" ("paddlepaddle 2.1.0", "paddle==2.1.0").
    "paddle",
    # (session 27, accmisc) Flax imported (a JAX library: explain.mixrules' frameworks loaded in one process); onnxruntime's
    # provider queries printed without a prompt (print(sess.get_providers())).
    "flax", "providers(",
    # (session 25, accfacts) a start that waits for minutes (explain.statements.slow_start).
    "minute", "mins",
    # (session 37, accenvdump) a run said to be slow or to take very long (explain.slowsaid.slow_run).
    "slow", "forever", "hour",
    # (session 27, accbundle) a listing's row of CTranslate2 or TensorRT, whose builds want one cuDNN/CUDA major (explain.programbuilds).
    "ctranslate2", "tensorrt",
    # (session 28, acctwins) add-ons that require a framework's CPU twin by name (knowledge/python_layouts.toml [[requires_twin]]).
    "whisper", "chromadb", "kaggle",
    # (session 33, accext) pip's and a build helper's lines that name the CUDA extension being built (explain/extbuild.py).
    "wheel for", "failed to build", "setup.py install for", "using cached ", "collecting ", "pip-install-", "pip-req-build",
    "successfully installed", "successfully built", "nerfacc", "op builder", "extension_name",
    # (session 33, accci) the machine kinds' markers and the signs of a GPU on such a machine (knowledge/machine_kinds.toml).
    *machine_needles(),
    # (session 34, accgap) an Apple M-series chip named without "mac" or "apple" ("i have a M3 Pro": explain.reported.apple_silicon).
    "m1 ", "m2 ", "m3 ", "m4 ", "m5 ",
    # (session 34, accrdp) a Remote Desktop session or a hypervisor's display adapter, and a GPU said unseen (explain/remotesession.py).
    "remote desktop", "remote-desktop", "rdp", "mstsc", "remote display adapter", "hyper-v video", "vmware svga", "virtualbox",
    "virtual box", "vmware workstation", "vmware player", "vmware fusion", "unable to query", "is invalid", "invalid device", "detect",
    # (session 39, accmisc39) Parallels Desktop, YOLOv5's refused CUDA device (explain/remotesession.py), and tf.distribute's
    # and tf.data's notices (explain/distnotice.py, _DIST_NOTICE_GATE).
    "parallels", "invalid cuda", "sharding policy", "unshardable", "efficient allreduce", "then broadcast to",
    # (session 35, accinuse) a line that shows why an in-use GPU was believed idle (explain/inuse.py; _INUSE_GATE).
    "task manager", "taskmanager", "no running processes", "libnvinfer", "tf-trt", "cpu implementation",
    # (session 35, accbind) a deep-learning library used from another language: the needles of knowledge/bindings.toml
    # that no word above holds (a test checks that every needle is covered).
    "tch-rs", "tch::", " tch ", "tch =", "`tch`", "tch-sys", "lantern", "mlverse", "lang_java", "djl", "deepjavalibrary",
    "ptengine", "nd4j", "deeplearning4j", "dl4j", "ort::", "ort =", "ort-sys", "pyke.io", "ort_dylib_path", "candle", "tfjs",
    "not enabled in this build",
    # (session 35, accdevid) a device number a launcher or command asks for (explain/devlayers.py).
    "nproc", "num_process", "device_id", "-cd ",
)
# (session 39, accext39) a program's compiled module said missing, and the path of a program that imports it in a try block
# (explain/extmodule.py CUES and package_cues, knowledge/extension_builds.toml).
from whygpu.explain.extmodule import CUES as _EXT_MODULE_CUES  # noqa: E402
from whygpu.explain.extmodule import package_words as _ext_package_words  # noqa: E402

HOT_WORDS = (*HOT_WORDS, *_EXT_MODULE_CUES, *_ext_package_words())
# The same words outside ASCII (the prefilter reads ASCII words): "显卡" (graphics card), "видеокарт"; "分钟" (minutes).
_HOT_INTL = re.compile("|".join(re.escape(w) for w in ("显卡", "видеокарт", "独显", "显存", "分钟", "任务管理器", "タスクマネージャ")).encode("utf-8"))


def ccsupport_arch_list(text: str) -> list[str] | None:
    """acccc: the architectures a line says a build contains (explain.ccsupport.build_arch_list), imported on first use."""
    from whygpu.explain.ccsupport import build_arch_list

    return build_arch_list(text)


def hot_lines(text: str) -> set[int]:
    """The numbers (from 1) of the lines of ``text`` that hold one of ``HOT_WORDS``."""
    from bisect import bisect_right

    from whygpu.explain.scan import build_prefilter

    data = text.lower().encode("utf-8", "replace")
    starts = [0]
    find = data.find
    pos = find(b"\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = find(b"\n", pos + 1)
    hot: set[int] = set()
    for rx in build_prefilter(HOT_WORDS):
        for m in rx.finditer(data):
            hot.add(bisect_right(starts, m.start()))
    if not data.isascii():
        for m in _HOT_INTL.finditer(data):
            hot.add(bisect_right(starts, m.start()))
    return hot


# accjet: an L4T release written bare ("r32.6") or as an image tag's ("opencv:4.8.1-r36.2.0"), which a line may name without
# any other release word.
_BARE_L4T = re.compile(r"(?<![\w.])r[23]\d\.\d")

# Time stamps at the start of a line and long numbers: lines differing only there say the same.
_REPEAT = re.compile(r"^[\d\-/:.,TZ \[\]]{8,}|\d{5,}")
# accci (session 33): the substrings of which a line must hold one for a machine-kind marker or a GPU-shown sign to be tried
# (knowledge/machine_kinds.toml's needles, read when the reader is first imported).
_MACHINE_NEEDLES: tuple[str, ...] = machine_needles()
_PLATFORM_WORDS = ("win", "linux", "wsl", "microsoft", "ubuntu", "debian", "centos", "red hat", "rhel", "rocky", "fedora",
                   "arch", "mint", "mac", "apple", "/users/", "darwin", ":\\", "x86_64", "manylinux", "jetson", "jetpack",
                   "l4t", "tegra", "gr3d", "nvgpu", "/mnt/")
# accbuilds: words a line that names a CUDA/cuDNN library or a program's GPU part holds (explain.programbuilds.failed_to_load).
_LOAD_PART_WORDS = ("cudnn", "cublas", "cudart", "cufft", "curand", "cusolver", "cusparse", "nvrtc", "providers_cuda", "cudaexecutionprovider")
_VERSION_WORDS = ("tensorflow", "tf-nightly", "tf_nightly", "torch", "jax", "python", "cpuonly", "cuda used", "pytorch")


def _own_gpu_named(text: str, start: int, end: int) -> bool:
    """accwords2: whether a GPU named at ``start``..``end`` of a reporter's sentence is said of their machine (explain.grammar's decision, a question about it kept unless it asks the reader)."""
    left, right = grammar.sentence_at(text, start, end)
    if grammar.asked(text, left, right, start, end) and re.search(r"\byou(?:r)?\b", text[left:right], re.I):
        return False
    # "know if the RTX 4050 works": an indirect question about their GPU, not a condition.
    indirect = re.search(r"\b(?:know|knows|wonder\w*|ask\w*|sure|tell\s+me|check\w*)\s+(?:if|whether)\b[^,;]*$", text[left:start], re.I) is not None
    return not (grammar.hearsay(text, left, right) or (grammar.supposed(text, left, right, start, end) and not indirect)
                or grammar.advised(text, left, start, end) or grammar.over(text, left, right, end))


# accwords (session 33): words about moving the data to the GPU ("the dataloader cannot transfer data synchronously to GPU",
# "batches are not copied to the GPU fast enough") speak of the input side feeding a GPU in use, not of the GPU left unused.
_DATA_TO_GPU = re.compile(r"\b(?:transfer\w*|copy\w*|copie[sd]|feed\w*|fed|send\w*|sent|load\w*|mov\w*|push\w*)\s+(?:the\s+|my\s+|new\s+)?(?:data|batch(?:es)?|inputs?|images|samples|tensors)\b", re.I)


def _program_device_line(text: str, words: str) -> bool:
    """accread41 (session 41): whether ``words`` of ``text``, read as the writer's that the GPU is unused, are a program's own
    record of the device it chose (explain.ownanswer.cpu_notice: EasyOCR's "Using CPU. Note: This module is much faster with a
    GPU.", "Using device: cpu", transformers' "Device set to use cpu"): the program's line, not the writer's statement."""
    from whygpu.explain import ownanswer

    notice = ownanswer.cpu_notice(text)
    at = text.find(words)
    return notice is not None and at >= 0 and notice.start() < at + len(words) and at < notice.end()


def _of_cpu_library(text: str, words: str) -> bool:
    """accounter (session 23): whether the statement ``words`` ("doesn't use GPU") is about a library that computes on the CPU
    only (knowledge/reported.toml's cpu_only: "NumPy doesn't use GPU or TPU acceleration"): true of it, nothing of the run."""
    from whygpu.knowledge.reported import cpu_only_named, cpu_only_program

    return cpu_only_named(text) and cpu_only_program(works.program_of(text, words)) is not None



def _retold_before(text: str, words: str) -> str | None:
    """accretold (session 38): the frame of a program's message retold before ``words`` on the line ("it prompts that"), or None."""
    from whygpu.explain import grammar

    at = text.find(words)
    if at < 0:
        return None
    frame = grammar.retold(text, at)
    return frame.group(0).strip() if frame is not None else None

class FactReader:
    """Feeds lines (with their numbers) of one source and fills a ``LogFacts``."""

    def __init__(self, facts: LogFacts | None = None) -> None:
        self.facts = facts or LogFacts()
        self.source = "<text>"
        self._prompt: tuple[str, int, str] | None = None  # the expression last typed at a prompt
        self._header: tuple[str, int] | None = None  # an issue template's "### TensorFlow version"
        # Expressions written without a prompt whose answers may follow a few lines later.
        self._pending: list[tuple[str, int]] = []
        # A pending expression's label in the script's own print ("gpus : " in print(f"gpus : {...}")).
        self._labels: dict[str, tuple[str, str]] = {}
        # device_lib.list_local_devices()'s printed list, one device over several lines: where it
        # started, and whether a GPU device was in it so far.
        self._device_list: tuple[str, str, bool, int] | None = None
        # acc8a: the line after `cat .../cuda/version.txt` is the toolkit's version file ("CUDA Version 9.0.176"),
        # the same words as the NVIDIA images' start-up banner but no sign of a container.
        self._version_file_next = False
        self._warning_echo_next = False
        self._win_code: tuple[int, int] | None = None  # accwinload: a [WinError N] line's code and number, for the next line
        self._listing: tuple[str, int] | None = None  # acclibpath: the directory a listing shows, and its command's line
        self._reading_version_file = False
        # acclibs (session 29): the line number of a "Driver Version: N" line of nvidia-smi's header standing alone.
        self._smi_driver_line = -2
        # accprec: the bytes an allocator's last failed request asked for, awaiting its "Total memory" line.
        self._failed_request: int | None = None
        # accbuild: the last package-listing row read (its package name, its line number).
        self._last_row: tuple[str, int] | None = None
        # accbuild: the expressions one print() printed together, awaiting their line of values.
        self._together: tuple[list[str], int] | None = None
        # accbuild: a lock file's `name = "torch"` awaiting its `version = "..."` line (name, line number).
        self._lock_name: tuple[str, int] | None = None
        # accanswers: the Kubernetes node section last opened ("capacity" or "allocatable") and its line number.
        self._k8s_section: tuple[str, int] | None = None
        # accanswers: a query printed without its value (explain.answers.asked), its line number and the line.
        self._asked: tuple[tuple[str, str, str], int, str] | None = None
        # accversions: the package a `pip show` block named on its "Name:" line, awaiting the "Version:" line after it.
        self._shown_name: tuple[str, int] | None = None
        self._removed: list[tuple[tuple[str, ...], Seen[str]]] = []  # accpkg: pip uninstall commands seen so far
        self._lines: list[str] = []  # accspec (session 31): the lines of the text being read (a launch's continued lines)
        self._bind_needles: tuple[str, ...] | None = None  # accbind: knowledge.bindings' needles, read on the first line
        self._said_needles: tuple[str, ...] = ()
        self._binding_asked: str | None = None  # accbind: a binding's is_available call awaiting its answer on the next line
        self._contained = False  # lead (session 29): the log names WSL2 or a container (statements.contained)
        self._gpu_removed: list[tuple[str, str]] = []  # accsaid (session 29): GPU builds an installer's output removed so far
        self._split_found: set[str] = set()  # accnoticed38 (session 38): frameworks a program's split line says found the GPU
        self._conflict_installed: dict[str, str] = {}  # accnoticed38 (session 38): distributions pip's conflict report shows installed
        self._paddle_gpu_lines = False  # accversions (session 24): a line of Paddle's own GPU build seen
        # accbuild (session 26): conda packages built against PyTorch whose build string names the variant (_conda_variants).
        self._torch_family: list[tuple[CondaVariant, str, str]] = []
        # accbuild (session 26): conda commands asking for cpuonly, and those asking for the CUDA variant (their places).
        self._cpuonly_commands: list[tuple[str, str]] = []
        self._cuda_variant_commands: list[str] = []

    def read_text(self, source: str, text: str) -> None:
        """Read one source's text (its head)."""
        self.source = source
        self._prompt = None
        self._warning_echo_next = False
        self._header = None
        self._smi_driver_line = -2
        self._pending = []
        self._labels = {}
        self._device_list = None
        self._last_row = None
        self._together = None
        self._lock_name = None
        self._k8s_section = None
        self._asked = None
        self._shown_name = None
        self._removed = []
        self._contained = statements.contained(text)
        # A log quoted in markdown ("> " before each line, nested or not) is read as the log itself;
        # a Python prompt (">>>") is no quote marker.
        # accfix (session 19): remedies and findings stated in the reporter's words, read over the text as written
        # (a pronoun's action is the sentence before; a quoted line is someone else's).
        for remedy in remedies.stated_remedies(text):
            self.facts.add("stated_remedy", remedy, f"{source}:{remedy.line}", remedy.text)
        if ">" in text or ":" in text:
            # accpaste (session 39): a quote that its attribution gives to someone else ("... wrote:") is not read; accadvice40:
            # nor the words after "as @jane said:", "the docs say:" (explain.pasted).
            theirs = pasted.others_quoted(text)
            if theirs is not text:
                # accadvice40 (session 40): the lines given to someone else, for the signatures' matches (explain.infer)
                for number, (was, now) in enumerate(zip(text.split("\n"), theirs.split("\n"), strict=True), 1):
                    if was != now:
                        self.facts.add("others_words", was.strip()[:200], f"{source}:{number}", was)
            text = _QUOTE_MARKER.sub("", theirs)
        self._capability_claims(source, text)
        from whygpu.explain.cpumode import gpu_named_lines

        for number, words, line in gpu_named_lines(text):
            self.facts.add("gpu_named_words", f"{number}: {words}", f"{source}:{number}", line)
        if "Minimum and Maximum" in text:
            for m_range in _PT_CC_RANGE.finditer(text):
                number = text.count("\n", 0, m_range.start()) + 1
                self.facts.add("build_cc_min", m_range.group(1), f"{source}:{number}", m_range.group(0), key="torch")
                self.facts.add("build_cc_max", m_range.group(2), f"{source}:{number}", m_range.group(0), key="torch")
        from whygpu.knowledge.utilisation import cpu_steps_needles

        if any(needle in text.lower() for needle in cpu_steps_needles()):
            from whygpu.knowledge.utilisation import cpu_steps_program

            for index, line in enumerate(text.split("\n")):
                if len(line) < 2000 and (steps := cpu_steps_program(line)) is not None:
                    self.facts.add("cpu_steps_named", steps.program, f"{source}:{index + 1}", line.strip())
                    break
        if "list shows the CCs" in text:
            # accfam41 (session 41): PyTorch's newer capability warning names the GPU's capability and the build's whole list
            # (explain.ccsupport.torch_code_list): the list is the build's architectures, judged by LOG232.
            from whygpu.explain import ccsupport

            split = text.split("\n")
            for index, line in enumerate(split):
                if "(CC)" in line and (code := ccsupport.torch_code_list(split, index)) is not None:
                    self.facts.add("compute_capability", code[0], f"{source}:{index + 1}", line.strip())
                    self.facts.add("build_archs", tuple(code[1]), f"{source}:{index + 2}", " ".join(row.strip() for row in split[index + 1:code[2] + 1]))
        if "minimum required Cuda capability" in text:
            for m_min in _TF_CC_MIN.finditer(text):
                number = text.count("\n", 0, m_min.start()) + 1
                self.facts.add("build_cc_min", m_min.group(1), f"{source}:{number}", m_min.group(0), key="tensorflow")
        hot = hot_lines(text)
        done: set[str] = set()
        lines = text.split("\n")
        self._lines = lines
        for number, line in _rejoined(lines, self.facts, source, hot):
            waiting = self._prompt is not None or bool(self._pending) or self._header is not None or self._device_list is not None or self._together is not None or self._asked is not None or self._shown_name is not None or self._binding_asked is not None
            # Lines that cannot hold a fact are skipped, unless an answer or a header value is
            # awaited; a line read once already adds nothing (training logs repeat their lines,
            # differing only in their time stamps and counters).
            if not waiting and number not in hot:
                continue
            key = _REPEAT.sub("#", line) if number in hot else line
            # accanswers: each node's "Capacity:" opens its own section, the same words as the last node's.
            if waiting or (key not in done and len(done) < MAX_HOT_LINES) or (key in done and ":" in line and _K8S_SECTION.match(line)):
                done.add(key)
                self.line(number, line.rstrip("\r"))
        # acccontainer (session 20): compose files and Kubernetes workloads pasted in the log (explain/where.py).
        if "CUDA_VISIBLE_DEVICES" in text:
            for number, value, shown in where_ran.echoed_visible_devices(lines):
                self.facts.add("environment", value, f"{source}:{number}", shown, key="CUDA_VISIBLE_DEVICES")
        if cudacode.has_needle(text):
            # accnotcpu (session 35): lines a program printed from its own CUDA code (explain/cudacode.py).
            for number, words, shown in cudacode.cuda_code_lines(lines):
                self.facts.add("cuda_code_line", words, f"{source}:{number}", shown)
        low_floor = text.lower()
        if ("triton" in low_floor or "trtis" in low_floor or "tensorrt" in low_floor or "trtserver" in low_floor) \
                and (floor_row := serving_floor_program(text)) is not None:
            # accray40 (session 40): a serving program with a floor of compute capability, and the releases shown.
            named = next((i for i, line in enumerate(lines, 1) if serving_floor_program(line) is not None), 1)
            self.facts.add("serving_floor", floor_row, f"{source}:{named}", lines[named - 1].strip() if lines else "")
            for number, release, shown in serving.floor_releases(lines)[:5]:
                self.facts.add("serving_release", release, f"{source}:{number}", shown)
        if "runtimeVersion" in text:
            for number, found, shown in serving.runtime_versions(lines):
                self.facts.add("serving_image", found, f"{source}:{number}", shown)
        if _KMOD_HINT.search(text) is not None:
            from whygpu.explain.kmodule import module_states

            for number, seen_state, shown in module_states(lines):
                self.facts.add("kernel_module", seen_state, f"{source}:{number}", shown)
        if "nvidia.com/" in text:
            for number, line in enumerate(lines, 1):
                if "nvidia.com/" in line and (m_res := serving.GPU_RESOURCE.search(line)):
                    self.facts.add("gpu_resource_requested", m_res.group(0), f"{source}:{number}", line.strip())
        if "services:" in text or "kind:" in text or "docker_env:" in text:
            # accspec (session 31): the one reading of a spec's GPU request, shared with lint (knowledge.gpu_specs).
            for manifest in gpu_specs.manifests(lines):
                name = "manifest_with_gpus" if manifest.gpu else "manifest_without_gpus"
                self.facts.add(name, manifest.kind, f"{source}:{manifest.line}", manifest.text)
                if manifest.kind == "kubernetes" and manifest.gpu and not manifest.runtime_class and not gpu_specs.nvidia_runtime_default(text):
                    self.facts.add("pod_without_runtime_class", manifest.text, f"{source}:{manifest.line}", manifest.text)
        if ("k3s" in text or "rke2" in text or "K3s" in text or "RKE2" in text) and "runtimeClass" in text and not self.facts.pod_without_runtime_class \
                and not gpu_specs.nvidia_runtime_default(text):
            for number, line in enumerate(lines, 1):
                if "runtimeClass" in line and (m_need := gpu_specs.runtime_class_needed(line[:2000])) is not None:
                    self.facts.add("pod_without_runtime_class", m_need.group(0), f"{source}:{number}", line.strip()[:300])
                    break
        if ("k3s" in text or "rke2" in text or "K3s" in text or "RKE2" in text) and self.facts.pod_without_runtime_class:
            for number, line in enumerate(lines, 1):
                if (m_cri := gpu_specs.CRI_DISTRIBUTION.search(line)) is not None:
                    self.facts.add("cri_distribution", m_cri.group(0).lower(), f"{source}:{number}", line.strip()[:300])
                    break
        # acccontainer (session 25): the writer's account of how the container or pod was started, and nvidia-smi said to
        # answer inside it (explain/where.py); read only where a GPU request's, a runtime's or nvidia-smi's name is in the text.
        low_text = text.lower()
        # accpkg (session 35): a package manager's sign beside a CUDA library said missing (explain/pkgmanagers.py), read
        # only where the text holds a library-not-found message.
        if pkgmanagers.has_needle(low_text):
            for pkg_fact, pkg_number, pkg_value, pkg_line in pkgmanagers.package_lines(lines, low_text):
                self.facts.add(pkg_fact, pkg_value, f"{source}:{pkg_number}", pkg_line)
        # accconda (session 36): conda's rows with their build strings, its solver's words on __cuda (explain/condasolve.py).
        if condasolve.has_needle(low_text):
            for conda_fact, conda_number, conda_value, conda_line in condasolve.condasolve_lines(lines, low_text):
                self.facts.add(conda_fact, conda_value, f"{source}:{conda_number}", conda_line)
        # acck8s (session 32): the container stack's state (knowledge.container_stack, the one reading of it), and a node's
        # GPU column in kubectl's custom-columns output ("minikube   <none>": the node advertises no nvidia.com/gpu).
        if any(cue in low_text for cue in container_stack.cues()):
            for number, state, shown in container_stack.line_states(lines, text, _asserted):
                self.facts.add("container_stack", state, f"{source}:{number}", lines[number - 1].strip()[:300] or shown)
        if "custom-columns" in text and "nvidia" in text:
            for number, section, value, shown in _k8s_gpu_columns(lines):
                self.facts.add(section, value, f"{source}:{number}", shown)
        if any(cue in low_text for cue in where_ran.TOLD_CUES):
            for told in where_ran.told_launches(lines):
                self.facts.add("told_launch_without_gpu", told.request, f"{source}:{told.line}", told.text)
        if "nvidia-smi" in low_text and ("container" in low_text or "pod" in low_text):
            for number, line in enumerate(lines, 1):
                if "nvidia-smi" in line.lower() and (m_smi := where_ran.smi_works_in_container(line[:4000])):
                    self.facts.add("stated_smi_in_container", m_smi.group(0), f"{source}:{number}", line.strip())
                    break
        if "nvidia-smi" in low_text and ("exec" in low_text or "kubectl run" in low_text):
            # accnotice (session 32): nvidia-smi run inside a container or pod from the host (`kubectl exec <pod> -- nvidia-smi`,
            # `docker exec <c> nvidia-smi`) and what it printed next: the table is that container's GPU given to it; a failure
            # or its absence is the container's (explain/where.py smi_run_inside).
            for smi in where_ran.smi_run_inside(lines):
                where = f"{source}:{smi.line}"
                self.facts.add("smi_answer_inside", smi.answer, where, smi.text)
                if smi.answer == "table":
                    self.facts.add("stated_smi_in_container", lines[smi.command - 1].strip()[:200], where, smi.text)
                else:
                    self.facts.add("in_container", True, where, smi.text)
                    if smi.answer == "absent":
                        self.facts.add("smi_missing_inside", smi.text[:200], where, smi.text)
        if "communicate with the nvidia driver" in low_text:
            for number, place, shown in where_ran.smi_no_driver_place(lines):
                self.facts.add("smi_no_driver_place", place, f"{source}:{number}", shown)
        if where_ran.ray_named(low_text):
            self._ray(source, lines)
        if any(cue in low_text for cue in env_context_cues()):
            self._launch_env(source, lines)
        if "PATH" in text or "CUDA_HOME" in text:
            self._launch_vars(source, lines)
        if self.facts.stated_launch_env or self.facts.launch_var_dropped:
            self._launch_context(source, text, lines)
        # accruntime (session 26): and nvidia-smi said to be missing inside the container, pod or Kubeflow job.
        if "nvidia-smi" in low_text and any(w in low_text for w in ("container", "pod", "job")):
            for number, line in enumerate(lines, 1):
                if "nvidia-smi" in line.lower() and (m_gone := where_ran.smi_missing_inside(line[:4000])):
                    self.facts.add("smi_missing_inside", m_gone.group(0), f"{source}:{number}", line.strip())
                    break
        # acchw (session 22): the hardware, driver and CUDA packages the log states (explain/hwstated.py).
        self._hardware_stated(source, lines)
        # acclex (session 19): the one call of the error-line words reader (explain.errorwords).
        caught = "flash attention" in low_text  # (accnoticed39: the one program of knowledge/caught_fallbacks.toml's words)
        for number, line, reading in errorwords.readings(lines):
            if caught:
                from whygpu.knowledge.caught_fallbacks import caught_beside

                if caught_beside(lines, number):
                    continue  # an error the program caught and went on without (TGI's Flash Attention import)
            self.facts.add("error_words", reading, f"{source}:{number}", line)
        for number, line, both in errorwords.comparisons(lines):
            self.facts.add("numbers_compared", both, f"{source}:{number}", line)
        for number, line, floor in errorwords.driver_floors(lines):
            self.facts.add("driver_floor_said", floor, f"{source}:{number}", line)
        for number, line, need in errorwords.capability_needs(lines):
            if "which supports hardware CC" in line:
                continue  # accfam41: a row of PyTorch's list of its code (build_archs above), not a need
            self.facts.add("capability_need_said", need, f"{source}:{number}", line)
        self._build_cudas(source, lines)
        from whygpu.explain.gpuextra import extras_installed  # acccpubuild (session 37)

        for number, line, words in extras_installed(lines, low_text):
            self.facts.add("gpu_extra_installed", words, f"{source}:{number}", line)
        from whygpu.explain.gpuextra import packaged_releases  # accvoice41 (session 41)

        for number, line, name in packaged_releases(lines, low_text):
            self.facts.add("packaged_cuda_build", name, f"{source}:{number}", line)
        if self.facts.capability_need_said:
            for number, line, model in errorwords.gpus_named(lines):
                capabilities = (model.compute_capability,) if model.compute_capability else tuple(model.compute_capabilities)
                if capabilities:
                    self.facts.add("gpus_named", capabilities, f"{source}:{number}", line)
        if ("cpu" in low_text or "gpu memory" in low_text or "vram" in low_text or "GPU" in text or "never mov" in low_text or "this code" in low_text
                or "purpose" in low_text or "visible_devices" in low_text or "disabled" in low_text):
            from whygpu.explain.cpuchoice import choices as cpu_choices  # acccode (session 35)

            # acconpurpose: read before the readers that ask whether the CPU is the writer's goal (LogFacts.cpu_is_goal).
            for number, choice, shown in cpu_choices(lines):
                self.facts.add("cpu_choice", choice, f"{source}:{number}", shown)
        if _hidden_run_gated(low_text):
            self._hidden_run(source, lines)  # acchidden (session 36); acccodecpu (session 37): or a starter beside a sighting
        self._program_checks(source, text, lines)
        self._build_said(source, text, lines)
        self._cpu_api(source, text, lines)
        self._memory_failure(source, text, lines)
        self._app_cpu_checks(source, text, lines)
        if "gcloud" in text:
            # accnoticed40 (session 40): a GKE cluster or node pool created without a GPU (explain.platfacts, knowledge.gcp).
            from whygpu.explain import platfacts

            for number, machine, shown in platfacts.gke_nodes_without_gpu(lines):
                self.facts.add("gke_nodes_without_gpu", machine, f"{source}:{number}", shown)
        pins = [s for s in self.facts.cpu_pin if s.where.startswith(f"{source}:")]
        if pins and not self.facts.cpu_is_goal(source):
            from whygpu.explain.cpuchoice import setting_unquestioned
            from whygpu.knowledge.cpu_choice import UNQUESTIONED

            if setting_unquestioned(lines):
                # accprec40 (session 40): the writer's own CPU setting, which no words of theirs question: the CPU is the run
                # they asked for (knowledge.cpu_choice.verdict then decides ``quiet``), read before the readers that ask.
                self.facts.add("cpu_choice", UNQUESTIONED, pins[0].where, pins[0].text)
        if any(needle in low_text for needle in _VIDEO_NEEDLES):
            from whygpu.explain import videocodec  # accmedia (session 35)

            for number, sign, shown in videocodec.signs(lines, low_text):
                self.facts.add("video_codec", sign, f"{source}:{number}", shown)
            if self.facts.video_codec:
                for number, shown in videocodec.several_sessions(lines):
                    self.facts.add("video_sessions", shown, f"{source}:{number}", shown)
                for number, shown in videocodec.video_given(lines):
                    self.facts.add("video_capability", shown, f"{source}:{number}", shown)
        from whygpu.explain import jaxbuild  # accjax39 (session 39)

        if jaxbuild.gated(low_text):
            for number, jax_sign, shown in jaxbuild.signs(lines):
                self.facts.add("jax_build_sign", jax_sign, f"{source}:{number}", shown)
                if jax_sign.kind == "gpu_still_used":
                    # The writer's words that the GPU is used (explain.works' fact): a run's GPU work, whatever warned.
                    self.facts.add("stated_gpu_works", shown, f"{source}:{number}", shown)
                    # Their words that JAX fell back to the CPU are then JAX's own warning retold: JAX's, not the run's.
                    self.facts.stated_unused[:] = [u for u in self.facts.stated_unused if not jaxbuild.names_jax(u.text)]
        self._own_answers(source, text, lines)
        self._resumed(source, text)
        self._where_it_ran(source, text, lines)
        self._read_lines(source, low_text, lines)
        if "Uninstalled " in text and "+cu" in text:
            self._resync_removed(source, lines)
        if "(" in text and "=" in text and ("```" in text or "import " in text or ".to(" in text or ".cuda(" in text):
            self._code_placement(source, text)
        self._utilisation(source, text, lines)
        self._feature_floors(source, low_text, lines)
        self._launcher_lists(source, low_text, lines)
        self._sched_job(source, text, low_text, lines)
        if self.facts.stated_gpu_works and self.facts.stated_unused:
            self._tie_programs(source, lines)
        if "cpu" in low_text and ("gpu" in low_text or "cuda" in low_text):
            for first, last in works.cpu_sections(lines):
                self.facts.add("cpu_run_section", f"{first}-{last}", f"{source}:{first}", lines[first - 1].strip())
                # What the CPU run says of the GPU is that run's, made without it on purpose.
                inside = [s for s in self.facts.stated_unused if s.where.startswith(f"{source}:")
                          and first <= int(s.where.rsplit(":", 1)[-1]) <= last]
                self.facts.stated_unused[:] = [s for s in self.facts.stated_unused if s not in inside]
                for answers in self.facts.gpu_answer.values():
                    answers[:] = [s for s in answers if s.value is not False or not (s.where.startswith(f"{source}:")
                                  and first <= int(s.where.rsplit(":", 1)[-1]) <= last)]
        self._listed_only(source, lines)
        self._settle()

    def _utilisation(self, source: str, text: str, lines: list[str]) -> None:
        """accutil (session 30): the utilisation numbers of the run (explain/utilread.py), read only where the text holds a share
        or a monitor's memory column; the lines a reading needs are gated by their own characters."""
        low_text = text.lower()
        if "input-bound" in low_text or "input bound" in low_text or "many workers" in low_text:
            from whygpu.knowledge.utilisation import input_message

            for number, line in enumerate(lines, 1):  # accwords (session 33): a program's own input-bound message
                if len(line) < 2000 and (found_input := input_message(line)) is not None:
                    self.facts.add("input_bound", found_input[0], f"{source}:{number}", line.strip())
        shares = "%" in text or "％" in text or "percent" in low_text or "barely" in low_text or "hardly" in low_text
        if not shares and "util" not in low_text and "usage" not in low_text and "load" not in low_text and "率" not in text:
            return  # (accutil2: a bare zero after its noun, "GPU-Util is 0", needs no per cent sign)
        facts = self.facts
        if shares and (monitor := _UTIL_MONITOR.search(text)) is not None:
            facts.add("util_cuda_monitor", monitor.group(0), f"{source}:{text.count(chr(10), 0, monitor.start()) + 1}", monitor.group(0))
        if shares and self._contained:
            facts.add("util_processes_hidden", "wsl2 or container", f"{source}:1", "")
        if shares and not facts.util_step_learner:
            from whygpu.knowledge.utilisation import step_learner

            if learner := step_learner(text):
                facts.add("util_step_learner", learner, f"{source}:1", "")
        columns: list[str] | None = None
        for number, line in enumerate(lines, 1):
            if len(facts.utilisation) >= 32:
                break
            if "utilization.gpu" in line:
                columns = utilread.csv_header(line)
                continue
            found = utilread.tool(line, columns) if ("|" in line or "[" in line or "," in line or "UTL" in line or "Cpu(s)" in line) else []
            if not found and utilread.worth_reading(line):
                found = utilread.said(normalize.emphasis_off(line[:4000]))
            for reading, _words in found:
                facts.utilisation.append(Seen(reading, f"{source}:{number}", line.strip()[:MAX_TEXT]))

    def _utilisation_unused(self) -> None:
        """accutil (session 30): the run's numbers decided as the GPU not used at all (0% with no context's memory and no
        process of the run: knowledge.utilisation.decide) are the writer's word that it was not used, ranked with the
        framework's causes like any other (LOG104), not read as underuse."""
        facts = self.facts
        decision = facts.utilisation_decision()
        if decision.kind != UNUSED:
            return
        seen = next((facts.utilisation[i] for i in decision.used if facts.utilisation[i].value.monitor == SAID), None)
        if seen is not None and not any(s.where == seen.where for s in facts.stated_unused):
            facts.add("stated_unused", str(seen.value), seen.where, seen.text)

    def _feature_floors(self, source: str, low_text: str, lines: list[str]) -> None:
        """accfloor (session 34): a program's refusal of a feature below its hardware floor (explain/featfloor.py), and the GPUs
        the log names beside it (knowledge.gpus), read only where the text holds a feature's word."""
        from whygpu.explain import featfloor

        if not any(cue in low_text for cue in featfloor.TEXT_CUES):
            return
        for number, line, claim in featfloor.read(lines):
            self.facts.add("feature_floor_said", claim, f"{source}:{number}", line)
        if not self.facts.feature_floor_said and not self.facts.library_floor_named:
            from whygpu.knowledge.feature_floors import library_named

            for number, line in enumerate(lines, 1):
                if len(line) < 2000 and (library := library_named(line)) is not None:
                    self.facts.add("library_floor_named", library.id, f"{source}:{number}", line.strip())
                    break
        if self.facts.feature_floor_said or self.facts.library_floor_named:
            for number, line, capabilities in featfloor.gpus_named(lines):
                self.facts.add("gpus_beside_floors", capabilities, f"{source}:{number}", line)

    def _launcher_lists(self, source: str, low_text: str, lines: list[str]) -> None:
        """accsched (session 34): a launcher's list of the GPUs it gave the process shown empty (explain/launchlist.py), read
        only where the text holds one of the lists' names."""
        from whygpu.explain import launchlist

        if not any(cue in low_text for cue in launchlist.TEXT_CUES):
            return
        for number, line, row_id in launchlist.read(lines):
            self.facts.add("launcher_list_empty", row_id, f"{source}:{number}", line)

    def _sched_job(self, source: str, text: str, low_text: str, lines: list[str]) -> None:
        """accsched (session 36): batch schedulers and shared clusters (explain/schedjob.py), read only where the text holds
        one of its cues."""
        from whygpu.explain import schedjob

        if not any(cue in low_text for cue in schedjob.TEXT_CUES):
            return
        for number, line, value in schedjob.read(text, low_text, lines):
            self.facts.add("sched_job", value, f"{source}:{number}", line)

    def _ort_providers(self, source: str, lines: list[str]) -> None:
        """accfall (session 31): ONNX Runtime's provider lists (explain/ortproviders.py). The package's list without an NVIDIA
        provider is its "no GPU" answer (about the package); a session's CPU-only list is the session fallen back to the CPU
        where the package's list (or its get_available_providers() answer) has CUDA, and the same "no GPU" answer where none
        is shown."""
        from whygpu.explain import ortproviders
        from whygpu.knowledge.onnxruntime import CPU_ONLY, NVIDIA

        shown = list(ortproviders.provider_lists_in(lines))
        if not shown:
            return
        if any(p.which == ortproviders.APPLIED and p.meaning == NVIDIA for p in shown):
            # lead (session 31): a session the log shows created on CUDA ran ONNX Runtime on the GPU; another session's CPU-only
            # list beside it is that session's own choice, not the package's answer.
            return
        package_cuda = any(p.which == ortproviders.AVAILABLE and p.meaning == NVIDIA for p in shown) or any(
            s.value is True for s in self.facts.gpu_answer.get("onnxruntime", []))
        # accort39 (session 39): the program's running job reports an NVIDIA provider in use (explain/ortrunning.py) and no
        # ONNX Runtime line says a provider failed: a session's CPU-only list beside it is that session's own (as above).
        session_own = False
        if any(p.which == ortproviders.APPLIED for p in shown) and any("execution_provider" in line for line in lines):
            from whygpu.explain import ortrunning

            session_own = any(meaning == NVIDIA for _, meaning in ortrunning.running_lists(lines)) and not (
                ortrunning.provider_failed("\n".join(lines).lower()))
        for seen in shown:
            if seen.meaning != CPU_ONLY or (session_own and seen.which == ortproviders.APPLIED):
                continue
            where = f"{source}:{seen.number}"
            if seen.which == ortproviders.APPLIED and package_cuda:
                self.facts.add("ort_session_cpu", "the session runs on the CPU alone", where, seen.line)
            elif not any(s.where == where for s in self.facts.gpu_answer.get("onnxruntime", [])):
                self.facts.add("gpu_answer", False, where, seen.line, key="onnxruntime")

    def _fallbacks(self, source: str, lines: list[str]) -> None:
        """accfall (session 31): a program's own fallback to the CPU and its reason (explain/fallback.py): too little GPU
        memory for its threshold is its own choice (``fallback_memory``, LOG450); no GPU found, a CPU build or no reason
        given is its "no GPU" answer (``cpu_notice``, which LOG104 ranks with what would decide)."""
        from whygpu.explain import fallback
        from whygpu.explain.errorwords import read_by_signature

        for seen in fallback.fallbacks(lines):
            where = f"{source}:{seen.number}"
            if seen.reason == fallback.MEMORY:
                self.facts.add("fallback_memory", seen.because, where, seen.line)
            elif not self.facts.cpu_notice and not read_by_signature(seen.line):
                self.facts.add("cpu_notice", "runs on the CPU", where, seen.line)
        if not self.facts.cpu_notice:
            for number, shown in fallback.setting_overridden(lines):
                self.facts.add("cpu_notice", "the program turned its GPU setting off", f"{source}:{number}", shown)

    def _device_lines(self, source: str, lines: list[str]) -> None:
        """accsilent40 (session 40): programs' own device lines (explain/devicelines.py, knowledge/device_lines.toml). A line
        after which the program found no usable GPU is its "no GPU" answer (``cpu_notice``, ranked by LOG104 with the check
        that decides), unless the CPU is the writer's own goal; a line after which it found the GPU and kept the work on the
        CPU is the program's own choice of the CPU (``cpu_choice``, judged by knowledge.cpu_choice.verdict, LOG610)."""
        from whygpu.explain.devicelines import device_lines
        from whygpu.knowledge.cpu_choice import LINE, PROGRAM, CpuChoice
        from whygpu.knowledge.device_lines import NOT_FOUND

        for number, row, shown in device_lines(lines):
            where = f"{source}:{number}"
            if row.found == NOT_FOUND and row.answers:
                # accvoice41 (session 41): the framework's own answer in the program's words (voice-changer's GPU_NUM:0 is
                # torch.cuda.device_count()): that framework's "no GPU", as its own printed answer would be.
                if not self.facts.gpu_answer.get(row.answers) and not self.facts.cpu_is_goal(source):
                    self.facts.add("gpu_answer", False, where, shown, key=row.answers)
            elif row.found == NOT_FOUND:
                if not self.facts.cpu_notice and not self.facts.cpu_is_goal(source):
                    self.facts.add("cpu_notice", "runs on the CPU", where, shown)
            elif not any(s.where == where for s in self.facts.cpu_choice):
                self.facts.add("cpu_choice", CpuChoice(form=row.id, where=LINE, owner=PROGRAM, wanted=False), where, shown)

    def _resumed(self, source: str, text: str) -> None:
        """accwords (session 28): the writer's words that the machine was suspended and resumed (one line is enough)."""
        low = text.lower()
        if "suspend" not in low and "resum" not in low and "hibernat" not in low and "sleep" not in low and "standby" not in low:
            return
        for number, line in enumerate(text.split("\n"), 1):
            if len(line) < 2000 and statements.machine_resumed(line) is not None:
                self.facts.add("resumed_said", "the machine was suspended and resumed", f"{source}:{number}", line.strip())
                return

    def _device_defaults(self, source: str, text: str, lines: list[str]) -> None:
        """accprogdev40 (session 40): a program's own device default left in force (explain/devicedefaults.py,
        knowledge/device_defaults.toml), as the typed fact cpu_choice (where = "default"); knowledge.cpu_choice.verdict
        decides with the log's other choices whether it is the cause."""
        from whygpu.explain.devicedefaults import default_choices
        from whygpu.knowledge.cpu_choice import DEFAULT, PROGRAM, CpuChoice

        for number, row, shown in default_choices(lines, text):
            self.facts.add("cpu_choice", CpuChoice(form=row.id, where=DEFAULT, owner=PROGRAM, wanted=False), f"{source}:{number}", shown)

    def _own_answers(self, source: str, text: str, lines: list[str]) -> None:
        """accnogpu (session 23): a framework's or program's own "no GPU" answer in the forms the line readers leave (explain/ownanswer.py)."""
        from whygpu.explain import ownanswer
        from whygpu.knowledge.cpu_packages import gpu_sibling_shown

        low = text.lower()
        if ("cpu" in low or "without" in low) and not self.facts.cpu_is_goal(source):
            from whygpu.explain.errorwords import read_by_signature

            for number, shown in ownanswer.cpu_notices(lines):
                if read_by_signature(shown):
                    continue  # accwords (session 28): a line a signature reads is its (ColabFold's notice answers for JAX)
                self.facts.add("cpu_notice", "runs on the CPU", f"{source}:{number}", shown)
                break
            # accread41 (session 41): the program's line read as its own (cpu_notice) is not also the writer's statement that
            # the GPU is unused; where no notice was kept for the line (a line a signature reads, prose around it), the
            # statement stays.
            noticed = {s.where for s in self.facts.cpu_notice}
            if noticed and self.facts.stated_unused:
                self.facts.stated_unused[:] = [s for s in self.facts.stated_unused
                                               if s.where not in noticed or not _program_device_line(s.text, s.value)]
        if ("cpu" in low or "false" in low) and not self.facts.cpu_is_goal(source):
            self._fallbacks(source, lines)
        from whygpu.knowledge.device_lines import needles as device_line_needles

        if any(needle in low for needle in device_line_needles()):
            self._device_lines(source, lines)
        if "default" in low or "set to" in low or "coded to" in low or "fixed to" in low or "spacy" in low:
            self._device_defaults(source, text, lines)
        if "provider" in low:
            self._ort_providers(source, lines)
        if "bitsandbytes" in low or "cuda setup" in low or "cuda_setup" in low or "xformers was built for" in low:
            from whygpu.explain.setupstate import setup_marks  # accsetup (session 34)

            for mark, shown in setup_marks(text, lines):
                self.facts.program_setup.append(Seen(mark, f"{source}:{mark.number}", shown.strip()[:MAX_TEXT]))
        if ("grey" in low or "gray" in low or "disabled" in low or "clickable" in low or "inactive" in low or "tick" in low) and ("gpu" in low or "cuda" in low):
            for number, shown in ownanswer.gpu_switches_unavailable(lines):  # accapps (session 27): the GUI's GPU switch greyed out
                self.facts.add("printed_no_gpu", "the program's GPU switch is greyed out", f"{source}:{number}", shown)
                break
        if "=" in text:
            self._stored_answers(source, lines)
        if "+" in text and "torch" in low:
            for number, line in enumerate(lines, 1):
                view = installed_view(line) if "+" in line else None
                if view is not None and (m := ownanswer.marked_torch_version(view)) is not None and not _BUILT_WITH_BEFORE.search(view, max(0, m.start() - 40), m.start()):
                    where = f"{source}:{number}"
                    self.facts.add("versions", f"{m.group(1)}+{m.group(2).lower()}", where, line.strip(), key="torch")
                    self.facts.add("cuda_build", m.group(2).lower() != "cpu", where, line.strip(), key="torch")
        if ("nvidia cuda" in low or "use cuda" in low) and ownanswer.about_opencv_cuda(text):
            for number, line in enumerate(lines, 1):
                if (built := ownanswer.opencv_build_cuda(line)) is not None:
                    self.facts.add("cuda_build", built, f"{source}:{number}", line.strip(), key="opencv")
        if any(cue in low for cue in ownanswer.PACKAGE_CUES):
            for number, line in enumerate(lines, 1):
                if not any(cue in line.lower() for cue in ownanswer.PACKAGE_CUES):
                    continue
                for package, _name in ownanswer.cpu_packages(line):
                    if not gpu_sibling_shown(package, text):
                        self.facts.add("cpu_package", package, f"{source}:{number}", line.strip())
        if any(word in low for word in ("install", "require", "setup.py", "pyproject")) and any(cue in low for cue in ownanswer.PLAIN_CUES):
            for number, line in enumerate(lines, 1):
                line_low = line.lower()
                if not any(cue in line_low for cue in ownanswer.PLAIN_CUES):
                    continue
                plains = list(ownanswer.plain_installs(line)) if "install" in line_low else []
                plains += ownanswer.plain_requirements(line)
                for plain in plains:
                    # The same framework's GPU build shown anywhere (a later install that replaced it, a build flag, a
                    # GPU wheel): the log is about that build, not the plain one.
                    if not re.search(plain.package.gpu, text, re.I):
                        self.facts.add("plain_install", plain, f"{source}:{number}", line.strip())

    def _stored_answers(self, source: str, lines: list[str]) -> None:
        """A query's value stored in a variable ("int count = Cv2.GetCudaEnabledDeviceCount();"), its answer told on a later line
        ("it always returns 0."): a "no GPU" answer of that framework (explain.answers.stored, told)."""
        question: tuple[tuple[tuple[str, str, str], str], int, str] | None = None
        for number, line in enumerate(lines, 1):
            if question is not None and line.strip():
                asked, at, shown = question
                if number - at <= answers.STORED_SPAN and (said := answers.told(asked, line)) is not None and said.gpu is False:
                    self.facts.add("gpu_answer", False, f"{source}:{number}", f"{shown} ⏎ {line.strip()}", key=said.framework)
                question = None
            if "=" in line and (stored := answers.stored(line)) is not None:
                question = (stored, number, line.strip())

    def _ray(self, source: str, lines: list[str]) -> None:
        """accenv (session 26): Ray running the work, its tasks given GPUs, and CUDA_VISIBLE_DEVICES said to reach them empty (explain/where.py)."""
        for number, line in enumerate(lines, 1):
            if len(line) > 4000 or ("ray" not in line and "Ray" not in line and "tune." not in line and "CUDA_VISIBLE_DEVICES" not in line
                                    and "ob submi" not in line and "ob-submi" not in line and "entrypoint" not in line):
                continue
            where = f"{source}:{number}"
            # accray40 (session 40): a task or actor with no GPU request; a Ray job, its entrypoint's GPUs, and the writer's
            # word that the GPU check fails as the job.
            if not self.facts.ray_task_no_gpus and (m := where_ran.RAY_TASK_NO_GPUS.search(line)) is not None:
                self.facts.add("ray_task_no_gpus", m.group(0).strip(), where, line.strip())
            if not self.facts.ray_job and (m := where_ran.RAY_JOB.search(line)) is not None:
                self.facts.add("ray_job", m.group(0), where, line.strip())
            if not self.facts.ray_job_gpus and (m := where_ran.RAY_JOB_GPUS.search(line)) is not None:
                self.facts.add("ray_job_gpus", m.group(0), where, line.strip())
            if not self.facts.ray_job_fails and (m := where_ran.ray_job_fails_said(line)) is not None:
                self.facts.add("ray_job_fails", m.group(0), where, line.strip())
            if not self.facts.ray_runs and (m := where_ran.RAY_RUNS.search(line)) is not None:
                self.facts.add("ray_runs", m.group(0), where, line.strip())
            if not self.facts.ray_gpus_asked and (m := where_ran.RAY_GPUS_ASKED.search(line)) is not None and not line.lstrip().startswith("#"):
                self.facts.add("ray_gpus_asked", m.group(0), where, line.strip())
            if not self.facts.stated_cvd_cleared and (m := where_ran.visible_devices_cleared_said(line)) is not None:
                self.facts.add("stated_cvd_cleared", m.group(0), where, line.strip())
            if ("ray" in line or "Ray" in line) and (said := where_ran.ray_said(line)) is not None:
                # accinst (session 30): the writer's words that the work under Ray left the GPU unused, or works without Ray
                kind, m = said
                if kind == "unused" and not self.facts.ray_runs:
                    self.facts.add("ray_runs", m.group(0), where, line.strip())
                if (kind == "works_without" or where_ran.RAY_WORKS_WITHOUT.search(line)) and not self.facts.ray_works_without:
                    self.facts.add("ray_works_without", (where_ran.RAY_WORKS_WITHOUT.search(line) or m).group(0), where, line.strip())
                    if not self.facts.ray_runs and (named := re.search(r"\bray\b", line, re.I)) is not None:
                        self.facts.add("ray_runs", named.group(0), where, line.strip())

    def _launch_env(self, source: str, lines: list[str]) -> None:
        """accenv (session 26): the writer's word that the program works from a shell and fails where it is started otherwise
        (explain.works.launch_env_differs), read on the lines that name such a place (at most 400, the first found kept)."""
        cues = env_context_cues()
        tried = 0
        for number, line in enumerate(lines, 1):
            if len(line) > 4000 or not any(cue in line.lower() for cue in cues):
                continue
            tried += 1
            if tried > 400:
                return
            # The line, the two prose lines above it and the one below (blank lines between paragraphs passed over; accshellenv:
            # a block of the program's output between the two halves of the statement passed over too, up to 30 lines).
            above = [x for x in lines[max(0, number - 5):number - 1] if x.strip()][-2:]
            below = [x for x in lines[number:number + 3] if x.strip()][:1]
            found = works.launch_env_differs("\n".join([*above, line, *below]))
            if found is None and launchdiff.prose_line(line):
                near = [x for x in lines[max(0, number - 6):number - 1] if x.strip()][-3:]
                prose = [x for x in lines[max(0, number - 31):number - 1] if launchdiff.prose_line(x) and x not in near][-2:]
                if [*prose, *near] != above:
                    found = works.launch_env_differs("\n".join([*prose, *near, line, *below]))
            if found is not None:
                self.facts.add("stated_launch_env", found[0].id, f"{source}:{number}", found[1])
                return

    def _launch_vars(self, source: str, lines: list[str]) -> None:
        """accshellenv (session 36): a loader variable the writer says a launcher does not get (explain.launchdiff.var_dropped),
        read on prose lines that name such a variable (at most 200, the first found kept)."""
        tried = 0
        for number, line in enumerate(lines, 1):
            if len(line) > 4000 or ("PATH" not in line and "CUDA_HOME" not in line) or not launchdiff.prose_line(line):
                continue
            tried += 1
            if tried > 200:
                return
            # The line with the prose line above and below it (a statement wrapped across lines).
            near = [x for x in lines[max(0, number - 2):number + 1] if launchdiff.prose_line(x)]
            if (found := launchdiff.var_dropped("\n".join(near) if line in near else line)) is not None:
                self.facts.add("launch_var_dropped", found[0], f"{source}:{number}", found[1])
                return

    def _launch_context(self, source: str, text: str, lines: list[str]) -> None:
        """accshellenv (session 36): beside a launcher contrast, the log's first CUDA word and a module not found at all."""
        for fact, found in (("launch_cuda_named", launchdiff.cuda_named(text)), ("launch_other_interpreter", launchdiff.other_interpreter(text))):
            if found is not None:
                number = text.count("\n", 0, found.start()) + 1
                self.facts.add(fact, found.group(0), f"{source}:{number}", lines[number - 1].strip()[:300] if number <= len(lines) else found.group(0))

    def _where_it_ran(self, source: str, text: str, lines: list[str]) -> None:
        """accwhere (session 25): the writer's account of where the work ran (explain.works): the framework's GPU query said
        to answer True in one place of the program and False in another, and the model's or a tensor's device read as cpu."""
        # (Plain substring tests first: a long log is passed over without a copy of it in lower case.)
        differs = ("True" in text or "true" in text) and ("False" in text or "false" in text)
        device = "device" in text and ("cpu" in text or "CPU" in text)
        if not (differs or device):
            return
        for number, line in enumerate(lines, 1):
            if len(line) > 4000:
                continue
            where = f"{source}:{number}"
            if differs and ("True" in line or "true" in line) and ("False" in line or "false" in line):
                before = "\n".join(lines[max(0, number - 6):number - 1])
                if (m := works.answer_differs(line, before)) is not None:
                    self.facts.add("stated_answer_differs", m.group(0), where, line)
            if device and "device" in line and ("cpu" in line or "CPU" in line) and (m := works.device_said_cpu(line)) is not None:
                self.facts.add("stated_device_cpu", m.group(0), where, line)

    def _tie_programs(self, source: str, lines: list[str]) -> None:
        """accounter (session 23): each "works" and "unused" statement tied to the program it names (explain.works.program_of);
        a "works" statement about another program than every "unused" one answers none of them and moves to
        ``stated_gpu_works_other``."""

        def program(seen: Seen[str]) -> str | None:
            number = int(seen.where.rsplit(":", 1)[-1]) if seen.where.startswith(f"{source}:") else 0
            line = seen.text
            if 0 < number <= len(lines) and seen.value in lines[number - 1]:
                line = lines[number - 1]
            before = "\n".join(lines[max(0, number - 8):max(0, number - 1)])
            return works.program_of(line, seen.value, before)

        unused = [program(s) for s in self.facts.stated_unused]
        kept = []
        for said in self.facts.stated_gpu_works:
            about = program(said)
            if any(works.same_program(about, other) for other in unused):
                kept.append(said)
            else:
                self.facts.stated_gpu_works_other.append(said)
        self.facts.stated_gpu_works[:] = kept

    def _cpu_api(self, source: str, text: str, lines: list[str]) -> None:
        """acccpu (session 32): a program's CPU build shown by its missing GPU-only API, a build flag or its words (explain/cpuapi.py)."""
        from whygpu.explain import cpuapi

        for index, found in cpuapi.read(text, lines):
            self.facts.add("cpu_api", found, f"{source}:{index + 1}", lines[index].strip())

    def _build_said(self, source: str, text: str, lines: list[str]) -> None:
        """accmsg (session 24): a program's own words about its build and the GPUs it found (explain/buildsaid.py)."""
        low = text.lower()
        if not ("gpu" in low or "cuda" in low or "nvidia" in low or "cublas" in low or "devices" in low):
            return
        cued_build = any(c in low for c in ("compiled", "built", "enabled", "install", "compile", "configured"))
        cued_arch = "arch" in low or "binar" in low
        cued_count = "0" in low or "registered devices" in low or "available devices" in low
        set_to_zero = cued_count and (buildsaid.count_set_to_zero(text) or self.facts.cpu_is_goal(source))
        for number, line in enumerate(lines, 1):
            if len(line) > 2000:
                continue
            where = f"{source}:{number}"
            line_low = line.lower()
            if (cued_build and not self.facts.build_said_cpu and any(c in line_low for c in ("compil", "built", "enabled", "install", "configured"))
                    and (said := buildsaid.cpu_build_said(line)) is not None):
                self.facts.add("build_said_cpu", said, where, line.strip())
                if (variant := buildsaid.gpu_variant_shown(said.program, lines, number)) is not None:
                    self.facts.add("build_said_gpu_variant", variant[1], f"{source}:{variant[0]}", lines[variant[0] - 1].strip())
            if (cued_arch and not self.facts.build_said_arch and ("arch" in line_low or "binar" in line_low)
                    and (said := buildsaid.arch_missing_said(line)) is not None):
                self.facts.add("build_said_arch", said, where, line.strip())
            if (cued_count and not set_to_zero and not self.facts.printed_no_gpu and ("0" in line or "devices" in line_low)
                    and (zero := buildsaid.zero_gpus_printed(line)) is not None):
                framework, words = zero
                if framework:
                    self.facts.add("gpu_answer", False, where, line.strip(), key=framework)
                else:
                    self.facts.add("printed_no_gpu", words, where, line.strip())

    def _app_cpu_checks(self, source: str, text: str, lines: list[str]) -> None:
        """accapps (session 22): the application's own choice of the CPU (explain/appcpu.py)."""
        if "koboldcpp_" in text:
            for number, library, cuda in appcpu.kobold_library(lines):
                if cuda:
                    self.facts.add("app_cuda_library", library, f"{source}:{number}", lines[number - 1].strip())
                elif appcpu.cuda_asked(text):
                    self.facts.add("app_cpu_library", library, f"{source}:{number}", lines[number - 1].strip())
        low = text.lower()
        # acconpurpose (session 35): read where the writer wants the CPU too; the judge's one decision (cpuchoicerules.settle,
        # knowledge.cpu_choice.verdict) then keeps LOG280 and LOG400 quiet, and the setting still explains the log's other lines.
        if "llama" in low or "localai" in low or "local-ai" in low or "kobold" in low or "text-generation" in low \
                or "text_generation" in low or "oobabooga" in low:
            # accinfer (session 39): the llama.cpp family's program, its build's CUDA, its offload count (explain.inferprog).
            for kind, value, number, shown in inferprog.offload_facts(lines):
                self.facts.add(f"offload_{kind}", value, f"{source}:{number}", shown)
        if "ngl" in text or "gpu-layers" in text or "gpulayers" in text or "n_gpu_layers" in text or "kobold" in low:
            for number, shown in appcpu.zero_layers(lines):
                self.facts.add("app_cpu_choice", "no GPU layers", f"{source}:{number}", shown)
        if "cpu" in low and ("platform" in low or "device" in low or "backend" in low):
            for number, shown in appcpu.platform_calls(lines):
                self.facts.add("app_cpu_choice", "platform cpu", f"{source}:{number}", shown)
            for number, shown in appcpu.set_to_cpu_stated(lines):
                self.facts.add("app_cpu_choice", "stated set to cpu", f"{source}:{number}", shown)
        if ("even" in low or "though" in low or "despite" in low or "in spite" in low) and ("gpu" in low or "device" in low or "cuda" in low):
            for number, shown in appcpu.gpu_setting_ignored(lines):  # accapps (session 27)
                self.facts.add("app_cpu_choice", "gpu setting ignored", f"{source}:{number}", shown)
                break
        for number, pin, shown in appcpu.setting_pins(lines):  # accdevice (session 29)
            self.facts.add("cpu_pin", pin, f"{source}:{number}", shown)
        if "CPU feature" in text:
            from whygpu.knowledge.device_settings import cpu_work

            for number, line in enumerate(lines, 1):  # accwords (session 33)
                if len(line) < 1000 and (work := cpu_work(line)) is not None:
                    self.facts.add("cpu_work", work[1], f"{source}:{number}", line.strip())
                    break
        if "ctranslate2." in text and (self.facts.gpu_seen() or appcpu.ran_on_cpu(text)):
            for number, shown in appcpu.ct2_without_device(lines):
                self.facts.add("app_cpu_choice", "ctranslate2 default cpu", f"{source}:{number}", shown)

    def _memory_failure(self, source: str, text: str, lines: list[str]) -> None:
        """accstatus (session 24): in a log naming a failed allocation of GPU memory, whether the job's own work ran, and
        Paddle's out-of-memory judged by its numbers (explain/memstart.py)."""
        low = text.lower()
        if not any(w in low for w in memstart.MEMORY_WORDS):
            return
        ooms = []
        for number, line in enumerate(lines, 1):
            if len(line) > 2000:
                continue
            if (words := memstart.work_ran(line)) is not None:
                self.facts.add("work_ran", words, f"{source}:{number}", line.strip())
            if "available memory is only" in line and (oom := memstart.paddle_oom(line)) is not None:
                ooms.append((number, line, oom))
        for number, line, oom in ooms:
            if (taken := memstart.memory_taken_before(oom, bool(self.facts.work_ran))) is not None:
                self.facts.add("oom_memory_taken", taken, f"{source}:{number}", line.strip())
                break

    def _program_checks(self, source: str, text: str, lines: list[str]) -> None:
        """accmsg (session 22): a program's failed check of the framework's GPU answer (explain/progmessages.py).

        A failed ``assert`` of the framework's query is that framework's "no GPU" answer; a program's own "no GPU
        found, exiting" is a failed check (the framework the log names answers, ``_failed_checks``).
        """
        if "AssertionError" in text:
            for number, framework, shown in progmessages.failed_gpu_assertions(lines):
                self.facts.add("gpu_answer", False, f"{source}:{number}", shown, key=framework)
        low = text.lower()
        if ("memory" in low or "vram" in low) and progmessages.out_of_memory_said(text):
            for number, line in enumerate(lines, 1):
                if ("memory" in line.lower() or "vram" in line.lower()) and len(line) < 1000 and progmessages.memory_held_by_others(line) is not None:
                    self.facts.add("stated_memory_held", "other processes", f"{source}:{number}", line.strip())
                    break
        for number, shown, form in memleft.memory_left_held(text):  # accunder (session 35)
            self.facts.add("memory_left_held", form, f"{source}:{number}", shown)
        from whygpu.explain import occupancy  # accslow (session 36)

        for number, kind, shown in occupancy.failures(lines, text):
            self.facts.add("start_failure", kind, f"{source}:{number}", shown)
        for number, words, shown in occupancy.holders_said(text):
            self.facts.add("holder_said", words, f"{source}:{number}", shown)
        for number, row, shown in occupancy.mode_rows(lines):
            self.facts.add("compute_mode_row", row, f"{source}:{number}", shown)
        # The writer's words of the run's GPU starved in forms utilread does not read ("GPU is under a very light load while
        # CPU usage is almost full", "fluctuating, sometimes even 0%"): more readings of the one utilisation fact (LOG109).
        for number, reading, shown in occupancy.starved_said(text):
            self.facts.add("utilisation", reading, f"{source}:{number}", shown)
        if "no " in low and any(w in low for w in ("exit", "abort", "quit", "stop", "terminat")):
            for number, line in enumerate(lines, 1):
                if len(line) < 400 and progmessages.exits_on_no_gpu(line) is not None:
                    self.facts.add("failed_check", "no GPU", f"{source}:{number}", line.strip())
                    break
    def read_packaging(self, source: str, raw: str) -> None:
        """acccont (session 22): what a line's packaging says before the normaliser takes it off (``read_text`` reads the
        lines without it): docker compose's service prefix places the line inside that service's container (explain/where.py);
        (acctwins, session 28) a record's time stamp dates the run (the first line stamped with one)."""
        if not self.facts.log_date and (dated := _LOG_DATE.search(raw)) is not None:
            number = raw.count("\n", 0, dated.start()) + 1
            line = raw[dated.start():raw.find("\n", dated.start()) if "\n" in raw[dated.start():] else len(raw)]
            self.facts.add("log_date", f"{dated.group(1)}-{dated.group(2)}-{dated.group(3)}", f"{source}:{number}", line.strip()[:200])
        # accci (session 33): a CI runner's time stamps before each line (knowledge/machine_kinds.toml's raw markers).
        from whygpu.knowledge.machine_kinds import raw_kind_markers

        for marker, m in raw_kind_markers(raw[:65536]):
            number = raw.count("\n", 0, m.start()) + 1
            end = raw.find("\n", m.start())
            self.facts.add("machine_kind", marker.kind, f"{source}:{number}", raw[m.start():end if end >= 0 else len(raw)].strip()[:200])
        if "| " not in raw:
            return
        lines = raw.split("\n")
        for number, _service in where_ran.compose_service_lines(lines):
            self.facts.add("in_container", True, f"{source}:{number}", lines[number - 1].strip()[:200])
    def _hardware_stated(self, source: str, lines: list[str]) -> None:
        """acchw (session 22): the machine's GPU, the driver, the CUDA packages and a framework's version with the CUDA's,
        as the log states them (explain.hwstated); what they mean is the knowledge layer's, judged by explain.hwrules."""
        from whygpu.explain import hwstated
        from whygpu.knowledge.cuda import cuda_packages_mixed
        from whygpu.knowledge.gpus import stated_hardware_cause

        facts = self.facts
        for said in hwstated.hardware_statements(lines):
            where = f"{source}:{said.line}"
            if said.kind == "no_gpu":
                facts.add("stated_no_gpu", said.value, where, said.text)
                continue
            facts.add("stated_gpu_vendor", said.value, where, said.text)
            # (Graphics the knowledge layer counts as no GPU at all, Intel's or unnamed integrated graphics, is LOG260's
            # alone: LOG107 would read the maker.)
            if stated_hardware_cause(said.value) != "NO_GPU" and not any(s.where == where for s in facts.gpu_vendor):
                facts.add("gpu_vendor", said.value.split("-")[0], where, said.text)
        for said in hwstated.driver_statements(lines):
            where = f"{source}:{said.line}"
            if said.kind == "driver_version":
                if not any(s.value == said.value for s in facts.driver_version):  # (nvidia-smi's, already read)
                    facts.add("driver_stated", said.value, where, said.text)
            elif said.kind == "driver_too_old":
                facts.add("driver_said_too_old", said.value, where, said.text)
                if (frame := _retold_before(said.text, said.value)) is not None:
                    facts.add("retold_failure", frame, where, said.text)
            elif said.kind == "gpu_model" and not facts.gpu_model:
                facts.add("gpu_model", said.value, where, said.text)
        from whygpu.explain import gpusaid

        writer = gpusaid.writer_gpus(lines)
        if len({s.compute_capability for s in writer}) > 1:
            # accprose (session 35): the writer names boards of different capabilities as theirs ("a GTX 1080 and my 5090
            # machine") and nothing says which one ran: the names their sentences gave the line readers are no machine's GPU.
            said_where = {f"{source}:{s.line}" for s in writer}
            facts.gpu_model = [s for s in facts.gpu_model if s.where not in said_where]
        if not facts.gpu_model:
            # accprose (session 35): the writer's GPU in any form they write it ("my 5070ti machine", "on an H100 node"), one
            # fact for every reader that judges the GPU against a build (explain.gpusaid); none where the writer names boards
            # of different capabilities as theirs and nothing says which one ran.
            for number, said_line in enumerate(lines, start=1):
                if (own := hwstated.own_gpu_named(said_line)) is not None:
                    if gpusaid.one_capability(own[0], writer):
                        facts.add("gpu_model", own[0], f"{source}:{number}", said_line)
                    break
            if not facts.gpu_model and (one := gpusaid.writer_gpu(lines, writer)) is not None:
                facts.add("gpu_model", one.model, f"{source}:{one.line}", one.text)
        for listing in hwstated.cuda_package_rows(lines):
            mixed = cuda_packages_mixed([(name, version) for _line, name, version, _text in listing])
            if mixed is not None:
                rows = {name: (row_line, text) for row_line, name, _version, text in listing}
                (first, first_major), (second, second_major) = mixed
                row_line, text = rows[second]
                facts.add("cuda_packages_mixed", f"{first} (CUDA {first_major}) / {second} (CUDA {second_major})",
                          f"{source}:{row_line}", f"{rows[first][1]} / {text}")
        for number, said_line in enumerate(lines, start=1):
            if "cuda" in said_line.lower() and (said_both := hwstated.framework_and_cuda_said(said_line)) is not None:
                framework, version, cuda = said_both
                where = f"{source}:{number}"
                if not facts.versions.get(framework):
                    facts.add("versions", version, where, said_line, key=framework)
                if not facts.cuda_installed:
                    facts.add("cuda_installed", cuda, where, said_line)

    def _settle(self) -> None:
        """Facts that follow from two sightings together (read once the whole head is read)."""
        facts = self.facts
        self._paddle_gpu_build()
        self._conda_torch_family()
        self._cpuonly_corrected()
        self._prefer_cpu_tag()
        self._hf_env_others()
        self._failed_checks()
        self._jax_listing_about_jax()
        self._utilisation_unused()
        from whygpu.explain import ccsupport

        if (answer := ccsupport.torch_answer_from_refusal(facts)) is not None:
            # accvoice41 (session 41): CTranslate2's refusal on a GPU that runs the type, in code that hands it PyTorch's device.
            facts.add("gpu_answer", False, answer[0].where, answer[1], key="torch")
        if facts.torch_cpu_index and not facts.torch_index and not any(s.value is True for s in facts.cuda_build.get("torch", [])):
            # PyTorch's CPU index, and no CUDA index of PyTorch anywhere in the log (a README's table of
            # install commands names both): the torch pip took from it is the CPU build. accindex (session 38): not where the
            # log shows a CUDA build of torch (the CPU index named did not decide what runs).
            seen = facts.torch_cpu_index[0]
            facts.add("cuda_build", False, seen.where, seen.text, key="torch")
        self._jetson_torch_build()
        if facts.torch_from_pypi and not facts.cuda_build.get("torch") and {s.value for s in facts.platform} == {"windows"}:
            from whygpu.knowledge.torch import torch_pypi_wheel_cpu_only

            if torch_pypi_wheel_cpu_only("windows"):
                # pip on native Windows installed PyPI's torch wheel, which has no CUDA.
                seen = facts.torch_from_pypi[0]
                facts.add("versions", seen.value, seen.where, seen.text, key="torch")
                facts.add("cuda_build", False, seen.where, f"{seen.text} (PyPI's Windows wheel of torch is CPU-only)", key="torch")
        if facts.distro_cuda_package and facts.distro and not facts.cuda_installed:
            from whygpu.knowledge.cuda import distro_cuda_toolkit

            name, _, release = facts.distro[0].value.partition(" ")
            cuda = distro_cuda_toolkit(name, release)
            if cuda:
                # The distribution's own package installs its fixed CUDA release.
                seen = facts.distro_cuda_package[0]
                facts.add("cuda_installed", cuda, seen.where, f"{seen.text} ({facts.distro[0].value}'s nvidia-cuda-toolkit is CUDA {cuda})")

    def _prefer_cpu_tag(self) -> None:
        """A torch shown installed with a ``+cpu`` tag is the torch the log is about, whatever other build it shows.

        accbuild (session 18): a log showing two torch builds installed (two environments: "torch-1.8.1+cu111
        CUDA:0" from the old one, "torch-2.0.0+cpu CPU" from the new) is about the one that did not use the
        GPU. Counted over every labelled case (all seen sets, cases.json, shared/real-logs): a torch
        version with a +cpu tag is shown in 18 cases, all positives and all FRAMEWORK_CPU_BUILD (among them
        holdout12 ultralytics-1495, which shows a +cu111 build too); none of 262 negatives shows one. Versions
        pip removed or other packages require are not read at all (installed_view).
        """
        builds = self.facts.cuda_build.get("torch", [])
        # Not from an install command: a pasted table of install commands names +cpu beside +cuXYZ.
        cpu = next((s for s in builds if s.value is False and re.search(r"\d(?:\+|%2B)cpu\b", s.text, re.I)
                    and not _python_install_command(s.text)), None)
        if cpu is None or builds[0] is cpu:
            return
        builds.remove(cpu)
        builds.insert(0, cpu)
        versions = self.facts.versions.get("torch", [])
        same = next((s for s in versions if s.where == cpu.where), None)
        if same is not None:
            versions.remove(same)
            versions.insert(0, same)

    def _pip_show(self, number: int, stripped: str, where: str) -> None:
        """accversions (session 20): `pip show`'s block ("Name: torch" then "Version: 2.1.0+cu121") read as the listing row it is.

        The two lines together say what one installed distribution's version is; they are read as ``name==version``, the
        form every package reader knows (frameworks, local tags, pip's CUDA and cuDNN wheels), with the Version line's place.
        """
        shown = self._shown_name
        self._shown_name = None
        if stripped.startswith("Name:") and (m := _SHOW_NAME.match(stripped)):
            self._shown_name = (m.group(1), number)
        elif shown is not None and shown[1] == number - 1 and stripped.startswith("Version:") and (v := _SHOW_VERSION.match(stripped)):
            row = f"{shown[0]}=={v.group(1)}"
            self._versions(row, where)
            self._program_builds(row, row.lower(), where)
            if "nvidia-cu" in row.lower():
                self._pip_cuda_wheels(row, where)
            if row.lower().startswith(("onnxruntime", "ort-nightly", "tensorflow", "tf-nightly")):
                self._add_installed(shown[0].lower().replace("_", "-"), where, row)  # accpkg: a pair LOG160/LOG133 judge

    def _capability_claims(self, source: str, text: str) -> None:
        """acccc (session 21): every line that says a compute capability is not supported (explain.ccsupport), read over the
        whole head (its words, "SM120", "CC 12.0", are not among the hot words of the line reader)."""
        from whygpu.explain import ccsupport

        hint = ccsupport.HINT.search(text) is not None
        said = ccsupport.GPU_HINT.search(text) is not None
        none_fit = ccsupport.NO_COMPATIBLE_HINT.search(text) is not None
        typed = ccsupport.COMPUTE_TYPE_HINT.search(text) is not None
        if not (hint or said or none_fit or typed):
            return
        from whygpu.knowledge.programs import torch_device_frame
        for number, line in enumerate(text.split("\n"), start=1):
            if len(line) >= 2000:
                continue
            if hint and "Used ptxas at" in line and (m_path := _TOOL_FROM_PATH.search(line)):
                self.facts.add("tool_from_path", m_path.group(1), f"{source}:{number}", line)
            if hint and ccsupport.HINT.search(line):
                for claim in ccsupport.capability_claims(line):
                    self.facts.add("cc_unsupported", claim, f"{source}:{number}", line)
                if (archs := ccsupport.build_arch_list(line)) is not None:
                    self.facts.add("build_archs", tuple(archs), f"{source}:{number}", line)
            if said and ccsupport.GPU_HINT.search(line) and (gpu := ccsupport.gpu_said_unsupported(line)) is not None:
                self.facts.add("cc_unsupported", gpu, f"{source}:{number}", line)
            if none_fit and (words := ccsupport.no_compatible_gpu(line)) is not None:
                self.facts.add("no_compatible_gpu", words, f"{source}:{number}", line)
            if typed and (compute_type := ccsupport.compute_type_refused(line)) is not None:
                self.facts.add("compute_type_refused", compute_type, f"{source}:{number}", line)
            if typed and (program := torch_device_frame(line, text)) is not None:
                self.facts.add("torch_device_frame", program, f"{source}:{number}", line)

    def _build_cudas(self, source: str, lines: list[str]) -> None:
        """accvers (session 33): the builds' CUDA releases in every form a log writes them (explain.buildcuda), the driver's
        CUDA said in words, and where a build's CUDA is shown, the NVIDIA GPUs the log names."""
        from whygpu.explain import buildcuda, cudafloor

        for number, line in enumerate(lines[:3000], 1):
            if "cu" not in line and "CU" not in line and "Cu" not in line and "-gpu" not in line:
                continue
            where = f"{source}:{number}"
            builds = buildcuda.build_cudas(line)
            for build in builds:
                self.facts.add("build_cuda_said", build, where, line.strip())
            # accnoticed (session 37): a framework's CUDA said in words ("TensorFlow 2.12 requires CUDA >= 11.8") is its builds'.
            for floor in cudafloor.framework_cuda_floors(line):
                if not any(b.cuda == floor.cuda for b in builds):
                    self.facts.add("build_cuda_said", floor, where, line.strip())
            if (said := buildcuda.driver_cuda_said(line)) is not None:
                self.facts.add("driver_cuda_said", said, where, line.strip())
        if self.facts.build_cuda_said:
            for number, line in enumerate(lines[:3000], 1):
                if len(line) < 2000 and "?" not in line and (m_failed := buildcuda.failure_said(line)) is not None:
                    self.facts.add("build_failure_said", m_failed, f"{source}:{number}", line.strip())
            for number, line, model in errorwords.gpus_named(lines):
                capabilities = (model.compute_capability,) if model.compute_capability else tuple(model.compute_capabilities)
                if capabilities:
                    self.facts.add("gpus_beside_builds", capabilities, f"{source}:{number}", line)

    def _version_facts(self, text: str, low: str, where: str) -> None:
        """accversions (session 20): versions and hardware in any program's wording (explain.versionfacts)."""
        if ("compil" in low or "built" in low or "build" in low) and (pair := versionfacts.built_found(text)) is not None:
            self.facts.add("built_found", pair, where, text)
        if "stubs" in low and (stub := versionfacts.stub_libcuda(text)) is not None:
            self.facts.add("libcuda_stub", stub, where, text)
        if (("cuda" in low or "dnn" in low or "toolkit" in low)
                and any(map(low.__contains__, ("requir", "need", "suggest", "recommend", "support", "instead", "rather", "built", "compiled", "compatible", "expect", "depends", "asks for", "only with")))):
            # accpairs (session 27): the release a program wants, said in words (LOG371).
            for library, wanted, mine in versionfacts.stated_wanted(text):
                self.facts.add("stated_wanted", (library, wanted, mine), where, text)
                if (frame := _retold_before(text, wanted)) is not None:
                    self.facts.add("retold_failure", frame, where, text)
        if "runtime" in low and "driver" in low and (versions := versionfacts.driver_runtime(text)) is not None:
            # The driver's CUDA is the machine's; the runtime is the printing program's own (deviceQuery's is not the
            # framework's): judged as that program's build against the driver (LOG191), not as what the framework wants.
            self.facts.add("driver_cuda", versions[0], where, text)
            self.facts.add("built_found", versionfacts.BuiltFound("cuda", versions[1], versions[0], "driver"), where, text)
        if "driver" in low and "0" in text:
            from whygpu.explain.drivernone import driver_cuda_zero

            if (zero := driver_cuda_zero(text)) is not None:
                self.facts.add("driver_cuda_none", zero, where, text)
        if "xlarge" in low:
            for instance in versionfacts.ec2_instance_types(text):
                self.facts.add("ec2_instance", instance, where, text)
        if "capabilit" in low or "cc" in low or "minor:" in low:
            for cc in versionfacts.compute_capabilities(text):
                self.facts.add("compute_capability", cc, where, text)

    def _jetson_torch_build(self) -> None:
        """accjet (session 31): on a Jetson, a PyTorch build shown made for another platform's CUDA (PyTorch's own cuNNN index or
        a +cuNNN version: x86_64 or server ARM) or PyPI's aarch64 wheel has no CUDA for the board's Tegra GPU: it is a CPU build
        there (knowledge.jetson.tegra_build; JetPack 7's Thor runs the server ARM CUDA, so not there)."""
        from whygpu.knowledge.jetson import sbsa_line, tegra_build

        facts = self.facts
        if not facts.on_jetson() or any(sbsa_line(s.value) for s in facts.l4t_host) or any("thor" in s.value.lower() for s in facts.jetson):
            return
        for framework in ("tensorflow", "torch"):
            # NVIDIA's own Jetson build shown (nvYY.MM): a CUDA build for the board, which rules a CPU build out.
            own = [s for s in facts.versions.get(framework, []) if (v := tegra_build(framework, f"{s.value} {s.text}")) is not None and v[0]]
            if own and not facts.cuda_build.get(framework):
                facts.add("cuda_build", True, own[0].where, own[0].text, key=framework)
        shown: list[Seen[Any]] = [*facts.versions.get("torch", []), *facts.cuda_build.get("torch", []), *facts.torch_index,
                                  *facts.torch_from_pypi]
        verdicts = [(seen, tegra_build("torch", f"{seen.value} {seen.text}")) for seen in shown]
        if any(v is not None and v[0] for _, v in verdicts):
            return  # NVIDIA's own Jetson build is shown
        other = [(seen, v) for seen, v in verdicts if v is not None and not v[0]]
        pypi = facts.torch_from_pypi[:1]
        if other:
            seen, (_, what, _) = other[0]
        elif pypi:
            seen, what = pypi[0], "PyPI's aarch64 wheel, a CPU build"
        else:
            return
        facts.cuda_build["torch"] = [Seen(False, seen.where, f"{seen.text} (on a Jetson: {what}; the Tegra GPU needs NVIDIA's Jetson build)")]

    def _paddle_gpu_build(self) -> None:
        """accversions (session 24): PaddlePaddle's release named without "-gpu" is its GPU build where the log shows one (a
        post tag, or Paddle's own messages of a GPU build: "Compiled with WITH_GPU", "You are using GPU version Paddle");
        otherwise which build it is stays unknown and the release is not judged."""
        facts = self.facts
        named = [s for s in facts.program_builds if s.value.program == "paddlepaddle"]
        if not named:
            return
        gpu = any(s.value.program == "paddlepaddle-gpu" for s in facts.program_builds) or bool(self._paddle_gpu_lines)
        kept = [s for s in facts.program_builds if s.value.program != "paddlepaddle"]
        if gpu:
            for seen in named:
                release = programbuilds.ProgramRelease("paddlepaddle-gpu", seen.value.version, seen.value.variant)
                if not any(s.value == release for s in kept):
                    kept.append(Seen(release, seen.where, seen.text))
        facts.program_builds[:] = kept

    def _ext_module(self, text: str, where: str) -> None:
        """accext39: a program's compiled module said missing, and a build that saw no GPU (explain.extmodule)."""
        from whygpu.explain.extmodule import build_without_gpu, module_missing

        if (missing := module_missing(text)) is not None:
            self.facts.add("ext_module_missing", missing, where, text)
        elif (home := build_without_gpu(text)) is not None:
            self.facts.add("ext_build_no_gpu", home, where, text)

    def _extension_lines(self, text: str, where: str) -> None:
        """accext: the CUDA extension a tool's line names (explain.extbuild), and one pip says it built or installed."""
        from whygpu.explain.extbuild import built_in_line, extension_in_line

        if (built := built_in_line(text)) is not None:
            self.facts.add("extension_built", built.name, where, text)
        elif (named := extension_in_line(text)) is not None:
            self.facts.add("extension_named", named.name, where, text)

    def _program_builds(self, text: str, low: str, where: str) -> None:
        """accbuilds (session 21): program GPU builds, cuDNN/CUDA said there, and libraries said to fail (explain.programbuilds)."""
        if "compiled with with_gpu" in low or "gpu version paddle" in low or "paddlepaddle-gpu" in low or "paddlepaddle_gpu" in low:
            self._paddle_gpu_lines = True
        if "onnxruntime" in low or "ctranslate2" in low or "cupy" in low or "paddle" in low or "llama" in low or "tensorrt" in low:
            for build in programbuilds.program_builds(text):
                self.facts.add("program_builds", build, where, text)
        if "cudnn" in low or "cuda" in low:
            for library, version in programbuilds.found_stated(text):
                self.facts.add("found_stated", version, where, text, key=library)
        if (any(map(low.__contains__, _LOAD_PART_WORDS)) and (part := programbuilds.failed_to_load(text)) is not None
                and not any(s.where == where and s.value == part for s in self.facts.library_failed)):
            # (A library file a failure signature already read on this line is one fact, not two: the scan, and so
            # infer.py's library_failed, runs over a file before its head is read here.)
            self.facts.add("load_failed", part, where, text)

    def line(self, number: int, text: str) -> None:
        """Read one line."""
        where = f"{self.source}:{number}"
        after_version_file = self._version_file_next
        # The source line Python's warnings module echoes under a warning's header line (code, not a statement).
        warning_echo = self._warning_echo_next and text[:1].isspace()
        if text.strip():
            self._version_file_next = _CAT_VERSION_FILE.search(text) is not None
            self._warning_echo_next = _PY_WARNING_HEADER.search(text) is not None
        self._reading_version_file = after_version_file
        if "[ ]" in text and _UNCHECKED.match(text):
            return  # an issue template's option left unticked ("- [ ] WSL 1") says nothing of this system
        if "\\_" in text:
            text = text.replace("\\_", "_")  # Markdown-escaped underscores (tf.__version\_\_)
        stripped = text.strip()
        self._local_devices(stripped, where, text)
        prompt = _PROMPT.match(text)
        if prompt is not None:
            self._prompt = (prompt.group(1).strip(), number, text)
            self._statement(prompt.group(1), where, text)
            self._pending = []
        elif self._prompt is not None and stripped:
            # The answer is shown with the expression it answers.
            # (acc8a: an empty list retyped with a space, "[ ]", is the same answer as "[]".)
            answer = "[]" if stripped == "[ ]" else stripped
            shown = f"{self._prompt[2].strip()} ⏎ {stripped}"
            if not self._several_answers(_printed_together(self._prompt[0]), stripped, where, shown):
                self._answer(self._prompt[0], answer, where, shown)
            self._prompt = None
        elif stripped:
            self._expressions(text, number, where)
        if self._header is not None and stripped:
            kind, _ = self._header
            self._header = None
            m = re.search(r"(\d+\.\d+(?:\.\d+)?(?:\+\w+)?)\s*$", stripped)
            if m and kind in FRAMEWORKS:
                self.facts.add("versions", m.group(1), where, text, key=kind)
                self.facts.distributions.setdefault(kind, [])
            elif kind == "python" and re.match(r"\d\.\d+", stripped):
                self.facts.add("python", re.match(r"\d\.\d+(?:\.\d+)?", stripped).group(0), where, text)  # type: ignore[union-attr]
            elif kind == "os":
                self._platform(stripped, where, text)
                # An issue form's one-choice answer under its bare "### OS" heading ("Windows"; not "Linux, Windows").
                if (named := _FORM_OS_ANSWER.get(stripped.lower())) is not None:
                    self.facts.add("platform", named, where, text)
            elif kind == "gpu":
                self._template_gpu(stripped, where, text)
            elif kind == "cuda":
                before = len(self.facts.cuda_installed)
                self._stated(stripped, where, text)
                m = re.match(r"v?(\d{1,2}\.\d)(?:\.\d+)*(?:\s*/\s*v?(\d\.\d+))?", stripped)
                if len(self.facts.cuda_installed) == before and m:
                    from whygpu.knowledge.cuda import is_cuda_release

                    # A bare number under "CUDA/cuDNN version" that no CUDA release bears ("8.6") is
                    # cuDNN's or a compute capability, not the CUDA installed.
                    if is_cuda_release(m.group(1)) is not False:
                        self.facts.add("cuda_installed", m.group(1), where, text)
                    if m.group(2):
                        self.facts.add("cudnn_installed", m.group(2), where, text)
        header = re.match(r"^#{2,4}\s*(TensorFlow|PyTorch|JAX|Python|OS platform|OS\s*$|CUDA|GPU model)", stripped, re.I)
        if header is not None:
            word = header.group(1).lower().strip()
            self._header = ({"pytorch": "torch", "os platform": "os", "gpu model": "gpu"}.get(word, word), number)
            return
        if (inline := _TEMPLATE_GPU_INLINE.match(stripped)) is not None:
            self._template_gpu(inline.group(1), where, text)
        # Each reading runs only when the line holds a word it needs (most lines hold one or two).
        low = text.lower()
        has = low.__contains__
        if any(map(has, _PLATFORM_WORDS)):
            self._platform(text, where, text)
            if prompt is None:
                # accwords2: the platform the reporter says their own machine runs ("I installed tensorflow with pip on Windows").
                for name, _said in statements.platform_said(text):
                    self.facts.add("platform", name, where, text)
        if any(map(has, _VERSION_WORDS)):
            self._versions(text, where)
        if "version (" in low and (env_row := _HF_ENV_ROW.match(text)):
            self._hf_env_row(env_row, where, text)
        if "jax" in low:
            self._jax_listing(number, where, text)
        if "name" in low or "version" in low:
            self._lock_entry(number, where, text)
        if any(map(has, ("cud", "driver", "nvcc", "nvidia"))):
            self._cuda(text, where)
        if any(map(has, ("physicaldevice", "num gpus", "cpudevice", "tfrt", "cuda", "gpu", "machine only has", "device info"))):
            self._devices(text, where)
        if any(map(has, ("docker", "podman", "nerdctl", "singularity", "apptainer", "nvidia driver was not", "jetson-containers"))):
            self._container(text, where, number)
        if any(map(has, ("enroot", "container-image"))) and (enroot := where_ran.enroot_launch(text)) is not None:
            self.facts.add("in_container", True, where, text)
            self.facts.add("enroot_launch", enroot.gpu_env, where, text)
        # acccontainer (session 20): what the inside of the place the work ran shows of the GPU (explain/where.py).
        if "blocked by the operating" in low and (m_os := where_ran.NVML_OS_BLOCKED.search(text)):
            self.facts.add("nvml_os_blocked", m_os.group(0), where, text)
        if "/dev/nvidia" in low and (m_dev := where_ran.device_nodes_missing(text)):
            self.facts.add("device_nodes_missing", m_dev.group(0).strip(), where, text)
        if "@" in text and where_ran.CONTAINER_PROMPT.search(text):
            self.facts.add("in_container", True, where, text)
        if any(map(has, _MACHINE_NEEDLES)):
            self._machine_kind(text, low, where)
        if "hostname" in low and where_ran.CONTAINER_HOSTNAME.search(text):
            self.facts.add("in_container", True, where, text)
        if any(map(has, ("srun", "sbatch", "salloc", "qsub", "bsub", "#pbs"))) and (m_job := _SCHEDULER.match(text)):
            self.facts.add("scheduler_job", (m_job.group(1) or m_job.group(3)).lower(), where, text)
            if _SCHEDULER_GPU.search(m_job.group(2) or m_job.group(4) or ""):
                self.facts.add("scheduler_gpu", (m_job.group(1) or m_job.group(3)).lower(), where, text)
        if ("partition" in low or "queue" in low) and (m_part := where_ran.GPU_PARTITION_SAID.search(text)):
            self.facts.add("gpu_partition_said", m_part.group(0), where, text)
        if any(map(has, ("docker", "podman", "singularity", "apptainer", "kube", "k8s", "aks", "container", "azure", "k0s", "k3s", "rke2", "minikube", "容器", "コンテナ", "컨테이너"))) \
                and (m_ct := next((m for m in _CONTAINER_NAMED.finditer(text) if not _in_user_home(text, m.start())), None)):
            self.facts.add("container_named", m_ct.group(0).lower(), where, text)
        if any(map(has, ("visible_devices", "ld_library_path", "cuda_home", "cuda_path", "jax_platforms", "tf_cpp", "cuda_driver"))):
            # Session 24: a CUDA_VISIBLE_DEVICES the writer says they set to take the GPU away themselves (a CPU comparison)
            # is their choice, not a setting that kept the GPU from them (acconpurpose: knowledge.cpu_choice.wanted_on).
            chosen = "visible_devices" in low and wanted_on(text)
            if "cuda_home" in low and _CUDA_HOME_NONE.match(text):
                self.facts.add("cuda_home_none", True, where, text)  # accext: an environment dump's "CUDA_HOME: None"
            for m in _ENV_SET.finditer(text):
                if not (chosen and m.group(1).upper().endswith("CUDA_VISIBLE_DEVICES")):
                    self.facts.add("environment", m.group(2).strip("'\""), where, text, key=m.group(1))
            # acclibs (session 23): CUDA_VISIBLE_DEVICES set in any layout (before a command in a sentence, docker's -e, setenv,
            # a mapping's entry), read by where.py; a value the line above already gave is one fact.
            for cvd, _cvd_words in where_ran.visible_devices_set(text):
                if chosen:
                    break
                if not any(e.where == where and e.value == cvd for e in self.facts.environment.get("CUDA_VISIBLE_DEVICES", [])):
                    self.facts.add("environment", cvd, where, text, key="CUDA_VISIBLE_DEVICES")
            m_cvd = _CODE_CVD.search(text)
            # accenv (session 26): an assignment commented out ("# os.environ[...] = '0'") is code that did not run.
            if m_cvd and not re.search(r"#\s*$", text[:m_cvd.start()]) and not text.lstrip().startswith("#"):
                self.facts.add("code_sets_visible_devices", m_cvd.group(1) if m_cvd.group(1) is not None else m_cvd.group(2), where, text)
        if any(map(has, ("add_argument", "cuda:", "set_device", ".cuda(", " set to ", "default"))) and (m_id := _CODE_GPU_ID.search(text)):
            self.facts.add("code_selects_gpu", next(g for g in m_id.groups() if g), where, text)
        if "azure" in low and _AZUREML.search(text):
            self.facts.add("azureml", "azureml", where, text)
        if "standard_" in low:
            for m_size in _VM_SIZE.finditer(text):
                self.facts.add("vm_size", m_size.group(0), where, text)
        if any(map(has, ("on cuda", "to cuda", ": cuda", ":cuda", "= cuda", "=cuda"))) and "?" not in text and (m_run := _RUN_ON_CUDA.search(text)) is not None:
            self.facts.add("run_on_cuda", m_run.group(0), where, text)
        self._hardware(text, low, where)
        if not self.facts.stated_gpu_vendor and any(map(has, reported.APPLE_CUES[2:])) and (m_chip := reported.apple_silicon(text)):
            # accgap (session 34): an Apple M-series chip named alone ("i have a M3 Pro"), on a line with none of the GPU words.
            self.facts.add("platform", "darwin", where, text)
            self.facts.add("stated_gpu_vendor", "apple", where, m_chip.group(0))
        if not self.facts.no_kernel_said and ("kernel image" in low or "device function" in low or "binary for gpu" in low
                                              or "nokernelimage" in low or "no_binary_for_gpu" in low):
            from whygpu.explain.ccsupport import NO_KERNEL

            if (m_nk := NO_KERNEL.search(text)) is not None:
                self.facts.add("no_kernel_said", m_nk.group(0), where, text)
        if ("ptxas" in low or "libdevice" in low or "nvlink" in low) and not self.facts.stated_tool_missing:
            from whygpu.explain.toolchain import tool_missing_said

            if (part := tool_missing_said(text)) is not None:
                self.facts.add("stated_tool_missing", part, where, text)
        if "cuda" in low and not self.facts.stated_cuda_absent and ("not" in low or "n't" in low or "never" in low or "no " in low
                                                                    or "missing" in low or "absent" in low or "none" in low):
            from whygpu.explain.cudasaid import cuda_absent_said

            if (absent := cuda_absent_said(text)) is not None:
                self.facts.add("stated_cuda_absent", absent, where, text)
        if (not self.facts.stated_library_present and ("though" in low or "even " in low or "despite" in low or "yet" in low or "still" in low)
                and ("cud" in low or "cublas" in low or "cusolver" in low or "cusparse" in low or "cufft" in low or "curand" in low
                     or "nvrtc" in low or "nvidia-" in low)):
            from whygpu.explain.presentsaid import library_present_said

            if (present := library_present_said(text)) is not None:
                self.facts.add("stated_library_present", present, where, text)
        if ("cuda" in low or "nvcc" in low) and len(self.facts.cuda_shown_said) < 3:
            from whygpu.explain.cudashown import cuda_shown_said

            if (cuda_words := cuda_shown_said(text)) is not None:
                self.facts.add("cuda_shown_said", cuda_words, where, text)
        if (".so." in low or ".dll" in low) and len(self.facts.cuda_library_present) < 5:
            from whygpu.explain.cudashown import cuda_library_present

            if (on_disk := cuda_library_present(text)) is not None:
                self.facts.add("cuda_library_present", on_disk, where, text)
        if self._listing is not None or "ls " in low or "ll " in low or "dir " in low or "directory of" in low or "directory:" in low:
            self._listing_line(number, text, low, where)
        if "dll load failed" in low or "sudo" in low or "ld_library_path" in low or "source" in low or "setup.py" in low or "build " in low:
            self._loader_search(text, low, where)
        if "winerror" in low or "error loading" in low:
            self._win_load(number, text, where)
        if ("pythonsoftwarefoundation" in low or "store" in low or "python_embe" in low or "-embed-" in low or "embeddable" in low) \
                and len(self.facts.python_dist) < 2:
            from whygpu.explain.pydist import python_distribution

            if (dist := python_distribution(text)) is not None:
                self.facts.add("python_dist", dist, where, text)
        if ".dll" in low and (".whl" in low or "wheel" in low or "package" in low or "binar" in low or "release" in low) \
                and len(self.facts.wheel_lacks) < 2:
            from whygpu.explain.wheellacks import wheel_lacks

            if (lacks := wheel_lacks(text)) is not None:
                self.facts.add("wheel_lacks", lacks, where, text)
        if len(self.facts.ext_module_missing) + len(self.facts.ext_build_no_gpu) < 6 and any(cue in low for cue in _EXT_MODULE_CUES):
            self._ext_module(text, where)
        if len(self.facts.ext_program_path) < 2 and any(name in low for name in _ext_package_cues()):
            from whygpu.explain.extmodule import program_in_path

            if (program := program_in_path(text)) is not None:
                self.facts.add("ext_program_path", program, where, text)
        if ("--no-deps" in low or "uninstall" in low or "_local" in low or "_deps" in low or "lib64/python" in low
                or ("install" in low and "tensorflow" in low)):
            from whygpu.explain.brought import install_fact  # accbrought (session 38)

            if (fact := install_fact(text, low)) is not None:
                self.facts.add("wheel_install", fact, where, text)
        self._framework_answers(number, text, where)
        if "capacity" in low or "allocatable" in low or "nvidia.com/gpu" in low:
            self._k8s_node(number, text, where)
        if "nvidia.com/gpu" in low or "nvidia\\.com/gpu" in low:
            from whygpu.explain.contplace import k8s_none_said

            if (none_said := k8s_none_said(text)) is not None:
                self.facts.add("k8s_no_gpu_said", none_said, where, text)
        if not warning_echo and ("gpu" in low or "cpu" in low or "is_ava" in low or "loader" in low or "bottleneck" in low
                                 or any(map(has, statements.CUE_WORDS))):
            # accmisc (session 27): the writer's words read without markdown's bold markers ("ran on the **CPU**").
            prose = normalize.emphasis_off(text)
            m_under = statements.underused(prose) or where_ran.underused(prose)  # acccontainer: where.py's reading too
            # (Every number of utilisation, a share, a range, a burst, a zero, is read by explain/utilread.py and decided by
            # knowledge.utilisation.decide: accutil, session 30; accutil2, session 31. statements reads words without numbers.)
            if m_under:
                self.facts.add("stated_underused", m_under.group(0), where, text)
            # On the line that says the GPU is used but idle, "it does not work" is the user's
            # reading of the same numbers, not a second statement (its numbers decided by the one decision: accutil2).
            elif utilread.worth_reading(prose) and decide([r for r, _ in utilread.said(prose)]).kind == UNDERUSED:
                pass
            elif (prompt is None and (m_unused := statements.unused(prose)) and not compared.gpu_side_ran(prose)
                  and not works.partial(prose, m_unused.group(0)) and not works.one_core(prose, m_unused.group(0))
                  and not works.either_device(prose, m_unused.group(0))
                  and not _of_cpu_library(prose, m_unused.group(0)) and not ("(" in prose and works.in_literal(prose, m_unused.group(0)))
                  and not _DATA_TO_GPU.search(m_unused.group(0))):
                # accprec (session 21): a CPU run named beside a run or problem placed on the GPU is a
                # comparison of two runs (explain.compared), not the GPU unused.
                # accfirst (session 22): nor is one part of the work (a tensor, a layer, an operator) placed on the CPU, nor
                # the CPU named as one side of "CPU or GPU" (explain.works.either_device).
                self.facts.add("stated_unused", m_unused.group(0), where, text)
            elif prompt is None and (m_proc := statements.no_process(prose, self._contained)) and not compared.gpu_side_ran(prose):
                # lead (session 29): no process of the run on the GPU, as nvidia-smi shows it (not where the log names WSL2
                # or a container: their nvidia-smi lists no processes by design).
                self.facts.add("stated_unused", m_proc.group(0), where, text)
            if m_cpu := statements.cpu_build(prose):
                self.facts.add("stated_cpu_build", m_cpu.group(0), where, text)
            if "cpu" in low and (m_machine := _CPU_MACHINE.search(prose)):
                self.facts.add("cpu_machine", m_machine.group(0), where, text)
            # accwords: the writer's machine said to have no (NVIDIA) GPU ("I don't have a graphics card"): a
            # machine named as one without a GPU, and so a GPU that was not used.
            if prompt is None and (m_none := statements.no_gpu(prose)):
                self.facts.add("cpu_machine", m_none.group(0), where, text)
                self.facts.add("stated_unused", m_none.group(0), where, text)
        elif "support" in low and (m_cpu := statements.cpu_build(text)):
            self.facts.add("stated_cpu_build", m_cpu.group(0), where, text)
        if prompt is None:
            self._reported(text, low, where)
            if not self.facts.stated_trouble and any(map(has, ("error", "exception", "crash", "traceback", "import", "load", "报错", "出错", "错误", "失败"))) \
                    and (m_trouble := statements.trouble_said(text)):
                self.facts.add("stated_trouble", m_trouble.group(0), where, text)
        if prompt is None and any(map(has, works.CUE_WORDS)) and (m_works := works.gpu_works(text)):
            # accfirst (session 22): the log states that the GPU works for this run (counter-evidence to "unused").
            self.facts.add("stated_gpu_works", m_works.group(0), where, text)
        if (prompt is None and any(map(has, ("moved", "sent", "transferred", "copied", "put", "placed", "pushed", "forg", "typo", "bug",
                                             "mistake", "wrong", "project", "script", "program", "repo", "app", "model", "pipe", "unet", "vae", "load",
                                             "代码", "模型", "项目")))
                and (m_code := works.code_keeps_cpu(text))):
            self.facts.add("stated_code_cpu", m_code.group(0), where, text)
            if works.placement_said(m_code.group(0)) and not any(s.where == where for s in self.facts.stated_unused):
                # accruntime (session 26): "the pipeline is not loaded into CUDA", "I forgot .to('cuda')": the writer's word
                # that the work ran on the CPU as well as why (LOG104 then names the placement: ``_placement_only``).
                self.facts.add("stated_unused", m_code.group(0), where, text)
        if prompt is None and "cpu" in low and "gpu" in low and (m_same := works.same_either_device(text)):
            # accfirst (session 22): a run timed the same whichever device it was given: the GPU no faster (LOG210).
            self.facts.add("stated_no_faster", m_same.group(0), where, text)
        if ("dlib" in low or "face" in low) and not self.facts.built_gpu_program:
            from whygpu.knowledge.reported import no_faster_program

            if (row := no_faster_program(text)) is not None:
                self.facts.add("built_gpu_program", row.program, where, text)
        if inc := statements.incompatible(text):
            self.facts.add("stated_incompatible", inc, where, text)
        if prompt is None and ("min" in low or "分钟" in low) and (m_slow := statements.slow_start(text)):
            self.facts.add("stated_slow_start", m_slow.group(0), where, text)
        if prompt is None and any(n in low for n in slowsaid.NEEDLES) and (m_run := slowsaid.slow_run(text)):
            self.facts.add("stated_slow_run", m_run.group(0), where, text)
        if ("cuda" in low or "cublas" in low or "cudnn" in low) and ("error" in low or "_status_" in low) and (m_fail := slowsaid.cuda_call_failed(text)):
            self.facts.add("cuda_call_failed", m_fail, where, text)
        # acccc: a build's list of architectures ("supports CUDA capabilities sm_37 sm_50 ...") names no GPU's capability;
        # acclayout: PyTorch's list is taken off the line first, so a GPU named on the same line is still read.
        if "capability" in low or "sm_" in low:
            cc_text = _PT_ARCH_LIST.sub("", text) if "supports CUDA capabilities" in text else text
            runs = [r.span() for r in _ARCH_RUN.finditer(cc_text)] if cc_text.count("_") > 1 else []
            for m_cc in _CC_STATED.finditer(cc_text) if ccsupport_arch_list(cc_text) is None else ():
                if m_cc.group(2) and _BUILD_ARCH_BEFORE.search(cc_text, max(0, m_cc.start() - 50), m_cc.start()):
                    continue  # accarch: "ships kernels up to sm_90", "built for sm_70": the build's architecture, not the GPU's
                if m_cc.group(2) and any(a <= m_cc.start() < b for a, b in runs):
                    continue  # acclibs: one of several architectures side by side (a table row of a build's list): no GPU's
                if statements.requirement_value(cc_text, m_cc.start(), m_cc.end()):
                    continue  # accprec (s31): "needs a GPU with at least compute capability 2.0": a requirement, not the GPU's
                cc = m_cc.group(1) or f"{m_cc.group(2)}.{m_cc.group(3)}"
                self.facts.add("compute_capability", cc, where, text)
        if any(map(has, ("geforce", "tesla", "quadro", "titan", "rtx", "gtx", "grid"))):
            from whygpu.explain.gpusaid import named_not_theirs

            for m_model in _GPU_MODEL.finditer(text):
                if re.match(r"\s*series\b", text[m_model.end():], re.I):
                    continue  # "RTX 5000 series", "RTX 50 series": a family of boards, not the board of that name
                if named_not_theirs(text, m_model.start(), m_model.end()):
                    continue  # accprose (session 35): "thinking of buying an RTX 4090", "faster than an A100": not the machine's GPU
                # "RTX5080", "GTX1080Ti": the series and the number written together, as nvidia-smi never prints them.
                self.facts.add("gpu_model", re.sub(r"\b(RTX|GTX)(?=\d)", r"\1 ", m_model.group(1)), where, text)
            if not any(s.where == where for s in self.facts.gpu_model) and any(map(has, ("geforce", "tesla", "quadro", "gtx", "rtx"))):
                self._gpu_any_case(text, where)
        if "cuda" in low and (any(s.where == where for s in self.facts.gpu_model)
                              or (any(map(has, ("geforce", "tesla", "quadro"))) and _GPU_MODEL_ANYCASE.search(text))) \
                and (called := versionfacts.capability_called_cuda(text)) is not None:
            # acccc: "a GT 730 that uses CUDA version 3.5": a number no CUDA release bore, beside the GPU, is its capability.
            self.facts.add("compute_capability", called, where, text)
        if "capabilit" in low and (needed := versionfacts.required_capability(text)) is not None:
            # PyTorch's own "too old" warning ("... The minimum cuda capability supported by this library is 3.7") is the build's.
            own = "torch" if "pytorch" in low or "supported by this library" in low else "program"
            self.facts.add("build_cc_min", needed, where, text, key=own)
        if ("gpu-cuda" in low or "gpu_cuda" in low or "cudnn" in low) and (tag_cuda := versionfacts.image_cuda(text)) is not None:
            self.facts.add("image_cuda", tag_cuda, where, text)
        if "ollama" in low or "cupy" in low:
            for program in versionfacts.programs_named(text):
                self.facts.add("program_named", program, where, text)
        if ("whisper" in low or "ctranslate2" in low) and not self.facts.build_program \
                and (build_of := inferprog.build_program_named(text)) is not None:
            # accinfer (session 39): faster-whisper / whisperX named: CTranslate2's builds are what runs.
            self.facts.add("build_program", build_of, where, text)
        if ("cupy" in low or "[cuda" in low) and (cupy := cupyshown.cupy_for_cuda(text)) is not None:
            self.facts.add("cupy_installed", cupy, where, text)
        self._version_facts(text, low, where)
        self._program_builds(text, low, where)
        if any(map(has, _EXT_CUES)):
            self._extension_lines(text, where)
        self._pip_show(number, stripped, where)
        if any(word in low for word in serving.NEEDLES):
            for found in serving.image_refs(text):
                self.facts.add("serving_image", found, where, text)
            if serving.names_image(text):
                self.facts.add("serving_named", "serving image", where, text)
        if ("cpu" in low or "non-gpu" in low or "non gpu" in low) and any(w in low for w in ("image", "tag", "version", "variant", "runtime")) \
                and (said_cpu := serving.cpu_image_said(text)) is not None:
            self.facts.add("serving_cpu_said", said_cpu, where, text)
        if "nvidia/cuda" in low and any(needle in low for needle in _cuda_image()[0]):
            for m_image in _cuda_image()[1].finditer(text):
                self.facts.add("cuda_image", m_image.group(1).rstrip(".-"), where, text)
        if ("gpu" in low or "cuda" in low or "nvcr.io" in low) and (m_gpu_image := where_ran.GPU_IMAGE.search(text)):
            self.facts.add("gpu_image", m_gpu_image.group(0), where, text)
        if "pytorch/pytorch:" in low and (m_torch_image := where_ran.TORCH_IMAGE.search(text)):
            # accarch (session 28): the official PyTorch image's tag names its release and CUDA variant (LOG231 judges the pair).
            self.facts.add("gpu_image", m_torch_image.group(0), where, text)
            self.facts.add("versions", m_torch_image.group("torch"), where, text, key="torch")
            self.facts.add("build_cuda", m_torch_image.group("cuda"), where, text, key="torch")
        if "n/a" in low and (m_na := where_ran.SMI_CUDA_NA.search(text)):
            self.facts.add("smi_cuda_na", m_na.group(0), where, text)
        if "capabilities" in low and (m_caps := where_ran.capabilities_without_compute(text)):
            self.facts.add("capabilities_without_compute", m_caps.group(0), where, text)
        if ("pywrap_tensorflow" in low or "native tensorflow runtime" in low) and (m_native := where_ran.TF_NATIVE_IMPORT.search(text)):
            self.facts.add("tf_native_import_failed", m_native.group(0), where, text)
        if "already satisfied" in low and _ALREADY_SATISFIED.search(text):
            self.facts.add("pip_already_satisfied", "already satisfied", where, text)
        if (("nvidia" in low or "cuda-drivers" in low or "libcuda" in low) and (m_drv := _LINUX_DRIVER.search(text))
                and not re.search(r"cannot open|no such file|not found|could not (?:load|open)", low)):
            # A path the loader failed to open is a file that is not there, not a driver that is.
            self.facts.add("linux_driver", m_drv.group(0), where, text)
        if "nvidia-smi" in low and _SMI_NOT_FOUND.search(text):
            self.facts.add("smi_not_found", "nvidia-smi not found", where, text)
        if "gpu " in low and where_ran.KERNEL_MODULE_FIELD.match(text):
            self.facts.add("driver_module_shown", text.strip(), where, text)
        if "reported version" in low or "kernel module" in low:
            self._driver_parts(text, where)
        if ("tensorflow" in low or "_tflow_select" in low) and (m_variant := _CONDA_TF_VARIANT.search(text) or _CONDA_TF_PLAN.search(text)):
            self.facts.add("cuda_build", m_variant.group(2).lower().startswith(("gpu", "cuda")), where, text, key="tensorflow")
        elif ("tensorflow" in low or "_tflow_" in low) and (conda_row := installstate.conda_package_row(text)) is not None:
            # accpkg (session 21): mamba's table or conda's older plan; the selector is also named by release
            # ("_tflow_180_select: 1.0-gpu --> 3.0-eigen": the new build string is the variant installed).
            name = re.sub(r"^_tflow_\d+_select$", "_tflow_select", conda_row[0])
            if m_variant := _CONDA_TF_VARIANT.match(f"{name} {conda_row[1]} {conda_row[2]}"):
                self.facts.add("cuda_build", m_variant.group(2).lower().startswith(("gpu", "cuda")), where, text, key="tensorflow")
        if "is_cuda_build" in low and (m_build := _TF_BUILD_INFO.search(text)):
            self.facts.add("cuda_build", m_build.group(1) == "True", where, text, key="tensorflow")
        if "nvidia-cuda-toolkit" in low and _APT_CUDA.search(text):
            self.facts.add("distro_cuda_package", "nvidia-cuda-toolkit", where, text)
        if "tensorflow" in low:
            self._tf_packages(text, where)
        if "onnxruntime" in low:
            self._ort_packages(text, where)
        if "mxnet" in low or "paddle" in low:
            for name in installstate.twin_members(text):
                self.facts.add("twin_installed", name, where, text)
        elif "tensorflow" in low or "onnxruntime" in low:
            # acctwins (session 28): TensorFlow's and onnxruntime's distributions in a listing's row (pip list, conda list
            # with its build and channel columns, a table) or their variants in the writer's words, read as MXNet's and
            # PaddlePaddle's are ("I had tensorflow-gpu 2.0.0 installed", "onnxruntime-gpu is installed"). A plain name
            # counts only as a package manager writes it, in lower case: "TensorFlow 1.14.0" in a list names the framework.
            for name in installstate.twin_members(text, installed_word=True):
                if name in ("tensorflow", "onnxruntime") and not re.search(r"(?<![\w-])" + name + r"(?![\w-])", text):
                    continue
                if not any(s.where == where and s.value == name for s in (*self.facts.tf_packages_installed, *self.facts.ort_packages_installed)):
                    self._add_installed(name, where, text)
        if "==" in text:
            for name, _version in installstate.pinned_members(text):  # acctwins (session 28): a package set as pins
                if not any(s.where == where and s.value == name for s in (*self.facts.tf_packages_installed, *self.facts.ort_packages_installed, *self.facts.twin_installed)):
                    self._add_installed(name, where, text)
        if "nvidia-cu" in low:
            self._pip_cuda_wheels(text, where)
        if "install" in low and "pip" in low:
            self._package_commands(text, where)  # accpkg (session 21)
        if any(map(has, ("install", "collecting", "removing", "+ ", "- ", "downloading", "using cached"))):
            self._installer_output(text, where)  # accpkg (session 21)
        if any(map(has, ("install", "collecting", "downloading", "uninstalling"))):
            self._addon_installs(text, where)  # acctwins (session 28)
        if self._gpu_removed or any(map(has, ("+cu", "-gpu", "_gpu", "-cu", "+cuda", "cuda", "gpu"))):
            self._twin_said(text, low, where, prompt is None)  # accsaid (session 29)
        if prompt is None and any(map(has, _DECLARE_GATE)) and any(map(has, ("gpu", "cuda", "cpu"))):
            self._declared(text, low, where)  # accdeclare (session 37)
        if " but " in low and any(map(has, ("detected", "found", "available", "visible", "usable"))):
            # accnoticed38 (session 38): "GPU detected by torch but ... not available in onnxruntime"
            from whygpu.explain import splitanswer

            if (split := splitanswer.split_answers(text)) is not None:
                for framework, split_said in split:
                    self.facts.add("gpu_answer", split_said, where, text, key=framework)
                self._split_found.add(split[0][0])
        if "incompatible" in low and ("requires" in low or "has requirement" in low) and not any(t.value.form == "conflict" for t in self.facts.twins_together):
            # accnoticed38 (session 38): pip's conflict report shows both twins installed
            from whygpu.explain import twinboth
            from whygpu.explain.twintogether import conflict_together

            if (conflict := twinboth.conflict_installed(text)) is not None and conflict[0] not in self._conflict_installed:
                self._conflict_installed[conflict[0]] = conflict[1]
                if (pair := twinboth.conflict_pair(self._conflict_installed)) is not None:
                    self.facts.add("twins_together", conflict_together(pair), where, text)  # acctwins (session 39): the one fact
        if "=" in text and text.lstrip()[:1] in ("'", '"', "i", "d") and any(map(has, ("tensorflow", "onnxruntime", "paddle"))):
            self._declared_spec(text, where)  # accdeclare (session 37)
        if any(map(has, _INDEX_GATE)):
            self._package_index(text, where)  # accindex (session 38)
        if prompt is None and "cpu" in low and not self.facts.index_cpu_said and any(map(has, _INDEX_SAID_GATE)):
            from whygpu.explain import indexcfg

            if (sentence := indexcfg.index_cpu_said(text)) is not None:
                self.facts.add("index_cpu_said", sentence, where, text)  # accindex (session 38)
        if prompt is None and not self.facts.install_change and ("install" in low or "adding" in low or "added" in low):
            self._install_change(text, low, where)  # accbroken (session 34)
        if prompt is None and len(self.facts.update_change) < 4 and ("updat" in low or "upgrad" in low):
            self._update_change(text, where)  # accupdate (session 37)
        if any(map(has, _REMOTE_GATE)):
            self._remote_session(text, low, where, prompt is None)  # accrdp (session 34)
        if len(self.facts.dist_notice) < 3 and any(map(has, _DIST_NOTICE_GATE)):
            # accmisc39 (session 39): tf.distribute's and tf.data's notices of a distributed run going (explain.distnotice).
            from whygpu.explain import distnotice

            if (notice := distnotice.notice_in(text)) is not None:
                self.facts.add("dist_notice", notice, where, text)
        if len(self.facts.inuse_belief) < 4 and any(map(has, _INUSE_GATE)):
            self._inuse_belief(text, where)  # accinuse (session 35)
        if any(map(has, _DEVLAYER_GATE)):
            self._device_layers(text, low, where, prompt is None)  # accdevid (session 35)
        self._bindings(text, low, where)  # accbind (session 35)
        if "ml.onnx" in low or "appendexecutionprovider_" in low:
            self._second_copy(text, low, where)  # accsecond (session 36)
        if PART_NEEDLE in low or any(map(has, SKEW_NEEDLES)):
            self._package_parts(text, low, where)  # accinstall (session 37)
        if prompt is None and twintogether.gated(low):
            self._said_installed_together(text, where)  # accpkg (session 21); acctwins (session 39): one reader, one fact
        if prompt is None and ("cpu" in low or "cuda" in low or "gpu" in low) and any(map(has, ("install", "pull", "download", "fetch", "resolv", "pick", "replac", "overwr", "swap", "downgrad", "chose", "choos", "select", "non-", "non ",
                                                                                               "dumb", "switch", "chang", "revert", "reset", "went back", "go back", "goes back", "is back", "was back", "turned", "convert", "becam", "become", "is now", "was now"))):
            from whygpu.explain.installstate import said_resolved_to_cpu

            if m_resolved := said_resolved_to_cpu(text):  # accpkg: "doesn't pull in the CUDA dependencies"
                self.facts.add("stated_cpu_build", m_resolved.group(0), where, text)
        if ".so" in low and ":" in text and (linux_lib := installstate.linux_library_on_windows(text)) is not None:
            self.facts.add("linux_build_on_windows", linux_lib[0], where, text)  # accpkg
        if any(map(has, ("xlarge", ".metal", "gpu", "nvidia-", "standard-", "sudo", "root", "/dev/nvidia", "group", " user",
                         "nvidia-smi", "cuda", "driver", "jaxlib==", "bitsandbytes", "a100", "h100", "h200", "v100", "p100",
                         "a10g", "l40", "b200", "k80", "t4", "l4"))):
            self._platform_words(text, low, where, prompt is None)  # accplat (session 29)
        if "invalid choice" in low:
            from whygpu.explain.installstate import cpu_only_choices

            if offered := cpu_only_choices(text):
                # accpkg: a program's choices offer only the CPU: onnxruntime's answer (an execution-provider option),
                # else a program's own failed GPU check (the framework the log names answers, _failed_checks).
                if offered[0] == "onnxruntime":
                    self.facts.add("gpu_answer", False, where, text, key="onnxruntime")
                else:
                    self.facts.add("failed_check", "no GPU", where, text)
        if ("using gpu device" in low or "mapped name" in low) and (m_theano := _THEANO_GPU.search(text)):
            self.facts.add("other_framework_gpu", (m_theano.group(1) or m_theano.group(2)).strip(), where, text)
        if "import" in low or "-packages" in low or "created" in low:
            self._framework_loaded(text, where)
        if ("xla_python_client" in low or "growth" in low or "set_visible_devices" in low) and (m_set := _MEMORY_SETTING.search(text)):
            self.facts.add("memory_setting_shown", m_set.group(0), where, text)
        if "best cudnn convolution" in low:
            self.facts.add("conv_autotune_failed", "Failed to determine best cudnn convolution algorithm", where, text)
        if "bytes free" in low and (m_mem := _CUDNN_MEMORY.search(text)):
            self.facts.add("cudnn_memory", f"{m_mem.group(1)}/{m_mem.group(2)}", where, text)
        if any(map(has, ("tensorflow", "keras", "torch", "jax"))):
            for word in re.findall(r"\b(tensorflow|keras|torch|pytorch|jax|jaxlib)\b", low):
                name = {"keras": "tensorflow", "pytorch": "torch", "jaxlib": "jax"}.get(word, word)
                self.facts.mentioned.setdefault(name, number)

    def _framework_loaded(self, text: str, where: str) -> None:
        """accmisc (session 27): the GPU frameworks a line shows loaded in a process (knowledge.memory_prealloc's modules)."""
        from whygpu.knowledge.memory_prealloc import framework_of_module

        modules: list[str] = []
        if (m_import := _IMPORT_LINE.match(text)) is not None:
            if m_import.group(1):
                modules = [part.split()[0] for part in m_import.group(1).split(",")]
            else:
                modules = [m_import.group(2)]
        modules += [m.group(1) for m in _FRAME_PACKAGE.finditer(text)]
        if "created" in text.lower() and _TF_DEVICE_MEMORY.search(text):
            modules.append("tensorflow")
        for module in modules:
            if (framework := framework_of_module(module)) is not None:
                self.facts.add("framework_in_process", module, where, text, key=framework)

    def _local_devices(self, stripped: str, where: str, text: str) -> None:
        """device_lib.list_local_devices()'s list: a GPU device in it, or its end with none."""
        if self._device_list is None:
            if _LOCAL_DEVICE_START.match(stripped):
                self._device_list = (where, text, False, 0)
            else:
                return
        start, first, gpu, count = self._device_list
        if _LOCAL_DEVICE_GPU.search(stripped):
            gpu = True
            self.facts.add("gpu_answer", True, where, text, key="tensorflow")
        if stripped == "]" or stripped.endswith('"]'):
            if not gpu:
                self.facts.add("gpu_answer", False, start, f"{first.strip()} … ] (no GPU device listed)", key="tensorflow")
            self._device_list = None
        elif count > 200:
            self._device_list = None  # never closed: nothing concluded about what it lacks
        else:
            self._device_list = (start, first, gpu, count + 1)

    def _driver_parts(self, text: str, where: str) -> None:
        """The driver library's and the kernel module's versions, each as the driver reports it."""
        m = _DRIVER_LIBRARY.search(text)
        if m:
            self.facts.add("driver_library_version", m.group(1), where, text)
        m = _DRIVER_KERNEL.search(text)
        if m:
            self.facts.add("driver_kernel_version", m.group(1) or m.group(2), where, text)

    def _tf_packages(self, text: str, where: str) -> None:
        """TensorFlow packages an install command, a package list or the user's words show installed."""
        names: list[str] = []
        for command in installstate.install_commands(text):
            if command.pip and command.verb == "install" and not grammar.instructed(text, command.start, command.end):
                names.extend(package.group(1) for r in command.requirements if (package := _TF_PACKAGE.match(r.written)))
        for rx in (_PACKAGE_LIST_LINE, _TF_GPU_PRESENT):
            m2 = rx.search(text)
            if m2:
                names.append(m2.group(1))
        if _TF_AND_CUDA.search(text):
            self.facts.add("tf_and_cuda", "tensorflow[and-cuda]", where, text)
        for name in names:
            name = name.lower().replace("_", "-")
            self.facts.add("tf_packages_installed", name, where, text)
            if name == "nvidia-tensorflow":
                self.facts.add("distributions", name, where, text, key="tensorflow")

    def _listing_line(self, number: int, text: str, low: str, where: str) -> None:
        """acclibpath (session 35): a directory listed (explain.libpath.listed_directory) and, on the rows after it (at most 40
        lines), the CUDA or cuDNN library files it shows: each a file on disk at DIR/name, as a path line shows one."""
        from whygpu.explain import libpath

        head = low.lstrip()[:80]
        if ("ls " in head or "ll " in head or "dir " in head or head.startswith("directory")) and (folder := libpath.listed_directory(text)):
            self._listing = (folder, number)
            return
        if self._listing is None:
            return
        folder, start = self._listing
        if number - start > 40 or libpath.shell_command(text):
            self._listing = None
            return
        if ".so." not in low and ".dll" not in low:
            return
        sep = "\\" if "\\" in folder and "/" not in folder else "/"
        for name in libpath.listed_files(text):
            path = f"{folder}{sep}{name}"
            self.facts.add("library_files", path, where, text, key=name)
            if len(self.facts.cuda_library_present) < 5 and not name.lower().removeprefix("lib").startswith(("cudnn", "nccl", "cupti")):
                self.facts.add("cuda_library_present", name, where, text)

    def _win_load(self, number: int, text: str, where: str) -> None:
        """accwinload (session 38): a DLL Windows' loader refused, with its system error code (explain.winload); the code may
        stand on the line before the path."""
        from whygpu.explain import winload

        before = self._win_code[0] if self._win_code is not None and self._win_code[1] == number - 1 else None
        seen = winload.win_load(text, before)
        if seen is not None:
            self.facts.add("win_load", seen, where, text)
        code = winload.loader_code(text)
        self._win_code = (code, number) if code is not None else None

    def _loader_search(self, text: str, low: str, where: str) -> None:
        """acclibpath (session 35): the facts of where the loader searches (explain.libpath), each behind its own substring test."""
        from whygpu.explain import libpath

        if "dll load failed" in low and (module := libpath.dll_module_not_found(text)) is not None:
            self.facts.add("dll_module_not_found", module, where, text)
            named = next(((n, line) for n, line in enumerate(self._lines, 1) if "cuda" in line.lower()), None)
            if named is not None and not self.facts.dll_cuda_named:
                self.facts.add("dll_cuda_named", "cuda", f"{self.source}:{named[0]}", named[1])
        if "sudo" in low and (program := libpath.sudo_program_run(text)) is not None:
            self.facts.add("sudo_program_run", program, where, text)
        if "ld_library_path" in low and (words := libpath.loader_path_set(text)) is not None:
            self.facts.add("loader_path_set", words, where, text)
        if (("source" in low or "setup.py" in low or "build " in low) and not self.facts.source_build_said
                and (built := libpath.source_build_said(text)) is not None):
            self.facts.add("source_build_said", built, where, text)

    def _cudnn_file_said(self, text: str, where: str) -> None:
        """accrank2: a cuDNN library file the writer says is in a folder ("But it is at `.../torch/lib/libcudnn_ops_infer.so.8`",
        "looked in `...\\torch\\lib` and saw `cudnn_ops_infer64_9.dll`"): a cuDNN on disk, as a listing shows one.

        Read per sentence, only one that names a folder (a path) and states no failure, no question, no condition and
        no advice; a file named after "instead of", "no", "not", "missing"... is the one not there.
        """
        if _SOURCE_PLACE.search(text):
            return  # a program's log record ("dso_loader.cc:53] Successfully opened ..."): its path is the source file's
        from whygpu.explain import libpath

        if libpath.listing_row(text):
            return  # acclayout (session 35): a listing's row; its file is in the folder listed above (``_listing_line``)
        for sentence in _SENTENCE_SPLIT.split(text):
            if sentence.rstrip().endswith("?") or _FILE_NOT_SAID.search(sentence) or _ADVICE_START.match(sentence):
                continue
            # The folders the sentence names (a trailing library file name is not part of one).
            folders = [(f.start(), re.sub(r"[\\/][^\\/]*\.(?:so(?:\.\d+)*|dll)$", "", f.group(0)).rstrip("\\/"))
                       for f in _FOLDER.finditer(sentence)]
            if not folders:
                continue
            for m in _CUDNN_FILE.finditer(sentence):
                if not re.search(r"\d", m.group("file")) or _file_lacking(sentence[: m.start()]):
                    continue
                path = m.group(0)
                if not re.search(r"[\\/]", path):
                    # The nearest folder named before the file, else the first after it.
                    before = [f for at, f in folders if at < m.start()]
                    folder = before[-1] if before else folders[0][1]
                    path = f"{folder}{'/' if '/' in folder else chr(92)}{path}"
                self.facts.add("library_files", path, where, text, key=m.group("file"))

    def _pip_cuda_wheels(self, text: str, where: str) -> None:
        """accrank2: pip's nvidia-cudnn-cuNN / nvidia-cuda-runtime-cuNN wheels a line shows installed, with their versions.

        Installed is what a package list row (``nvidia-cudnn-cu12   9.1.0.70``), pip's ``Successfully installed
        ... nvidia-cudnn-cu12-9.5.1.17`` or its resolver's ``but you have nvidia-cudnn-cu12 9.5.1.17`` shows; a
        requirement (``requires nvidia-cudnn-cu12==8.9.2.26``, an install command's ``==``) is only asked for.
        """
        for m in _PIP_CUDA_WHEEL.finditer(text):
            before = text[: m.start()]
            listed = not before.strip() or before.strip() in ("+", "-", "*")
            installed = "successfully installed" in before.lower() and m.group("sep") == "-"
            have = re.search(r"\byou have\s*$", before, re.I) is not None
            if (listed and m.group("sep") != "-") or installed or have:
                self.facts.add("pip_cuda_wheels", m.group("version"), where, text, key=m.group("lib").lower())

    def _ort_packages(self, text: str, where: str) -> None:
        """onnxruntime packages a package list row or pip's 'Successfully installed' line shows installed."""
        names: list[str] = []
        row = _ORT_LIST_ROW.match(text)
        if row:
            names.append(row.group(1))
        elif "successfully installed" in text.lower():
            names.extend(m.group(1) for m in _ORT_INSTALLED.finditer(text))
        elif "already satisfied" in text.lower() and (met := _ALREADY_SATISFIED_VERSION.match(text)) and _ORT_LIST_ROW.match(f"{met.group(1)} {met.group(2)}"):
            names.append(met.group(1))  # accbuild: pip keeps the onnxruntime package that is there
        for name in names:
            self.facts.add("ort_packages_installed", name.lower().replace("_", "-"), where, text)

    # --- accpkg (session 21): pip commands shown run (explain/installstate.py) ----------------------------------------

    def _package_commands(self, text: str, where: str) -> None:
        """pip's install and uninstall commands a line shows run: the distributions one install names together, and the
        removal of distributions of one import package followed by the install of its GPU build (a repair)."""
        from whygpu.explain.installstate import package_commands
        from whygpu.knowledge.python_layouts import same_import_groups, same_import_repair

        for command in package_commands(text):
            if command.verb == "uninstall":
                self._drop_installed(command.names)
                self._removed.append((command.names, Seen(" ".join(command.names), where, text[:MAX_TEXT])))
                del self._removed[:-6]
                continue
            ort = [n for n in command.names if any(g.group == "onnxruntime" and n in g.members for g in same_import_groups())]
            if len(set(ort)) >= 2:
                # One install command naming two onnxruntime packages installs both (LOG160 judges them).
                for name in ort:
                    self.facts.add("ort_packages_installed", name, where, text)
            for name in command.names:
                if command.verb == "install" and _twin_group(name):
                    self.facts.add("twin_installed", name, where, text)  # accpairs: an install shown run (LOG370)
            for name in command.names:
                for removed, seen in reversed(self._removed):
                    group = same_import_repair(removed, name, forced=command.forced, other_build=command.other_build)
                    if group is not None:
                        self.facts.add("same_import_repair", name, where, text)
                        self.facts.add("same_import_removed", seen.value, seen.where, seen.text)
                        break

    def _addon_installs(self, text: str, where: str) -> None:
        """acctwins (session 28): add-ons that require a framework's CPU twin by its distribution name, shown installed (a pip
        command shown run, an installer's output), with the release where one is pinned or printed; and the releases of
        the twins themselves that pip's output prints ("Uninstalling tensorflow-2.0.0:"), judged by LOG385."""
        from whygpu.knowledge.python_layouts import requires_twin_packages

        addons = requires_twin_packages()
        shown: dict[str, str | None] = {}
        for command in installstate.package_commands(text):
            if command.verb == "install":
                for r in command.requirements:
                    if r.key in addons:
                        shown[r.key] = r.spec[2:].strip() if r.spec.startswith("==") else None
        installed, _removed = installstate.installer_output(text)
        for name in installed:
            if name in addons:
                m = re.search(r"(?<![\w.-])" + re.escape(name).replace(r"\-", "[-_]") + r"-(\d+(?:\.\d+)+\w*)", text, re.I)
                shown.setdefault(name, m.group(1) if m else None)
        for name, version in shown.items():
            self.facts.add("addon_installed", (name, version), where, text)
        for m in _PIP_RELEASE.finditer(text):
            self.facts.add("twin_release_shown", (m.group(1).lower(), m.group(2)), where, text)

    def _remote_session(self, text: str, low: str, where: str, prose: bool) -> None:
        """accrdp (session 34): a Remote Desktop session in the writer's words (prose only) or a hypervisor's display adapter
        by name (explain.remotesession), and the words that a GPU went unseen, each behind its own substrings."""
        from whygpu.explain import remotesession

        if not self.facts.remote_session and any(n in low for n in remotesession.NEEDLES) and (said := remotesession.session_said(text)) is not None \
                and (prose or said.form == "adapter"):
            self.facts.add("remote_session", said, where, text)
        if len(self.facts.gpu_unseen_said) < 3 and any(n in low for n in remotesession.UNSEEN_NEEDLES) and (words := remotesession.unseen(text)) is not None:
            self.facts.add("gpu_unseen_said", words, where, text)

    def _bindings(self, text: str, low: str, where: str) -> None:
        """accbind (session 35): a deep-learning library used from another language (explain.langbind), behind the
        bindings' needles; the writer's words beside it behind their own; a binding's is_available call answered
        "false" on the next line."""
        if self._bind_needles is None:
            from whygpu.knowledge.bindings import needles, said_needles

            self._bind_needles, self._said_needles = needles(), said_needles()
        lines = self.facts.binding_lines
        if self._binding_asked is not None and text.strip():
            asked, self._binding_asked = self._binding_asked, None
            if langbind.ANSWER_FALSE.match(text) and len(lines) < 40:
                self.facts.add("binding_lines", (asked, "no_cuda", text.strip()), where, text)
                return
        if any(map(low.__contains__, self._bind_needles)) and len(lines) < 40:
            for found in langbind.binding_lines(text, low):
                if not any(s.value == found for s in lines):
                    self.facts.add("binding_lines", found, where, text)
            if (asked_m := langbind.ASKED.search(text)) is not None:
                self._binding_asked = "r-torch" if "cuda_is_available" in asked_m.group(0) else "tch"
        if any(map(low.__contains__, self._said_needles)):
            for kind in langbind.said_lines(text, low):
                if sum(s.value == kind for s in self.facts.binding_said) < 2:
                    self.facts.add("binding_said", kind, where, text)

    def _package_parts(self, text: str, low: str, where: str) -> None:
        """accinstall (session 37): a module of a framework's package said missing, and pip's resolver naming two packages of
        one framework in a conflict (explain.pkgparts; knowledge.package_parts)."""
        from whygpu.explain import pkgparts
        from whygpu.knowledge.package_parts import family_member, shipped_part

        if pkgparts.PART_NEEDLE in low and (found := pkgparts.part_missing(text)) is not None and shipped_part(*found):
            self.facts.add("pkg_part_missing", found, where, text)
        for pair in pkgparts.resolver_pairs(text) if any(n in low for n in pkgparts.SKEW_NEEDLES) else ():
            if family_member(pair[0]) and family_member(pair[1]):
                self.facts.add("pkg_resolver_pair", pair, where, text)

    def _second_copy(self, text: str, low: str, where: str) -> None:
        """accsecond (session 36): a GPU-only function said missing from the native library loaded, and the distributions a
        line names as referenced or installed (explain.secondcopy)."""
        from whygpu.explain import secondcopy

        if secondcopy.ENTRY_NEEDLE in low and (symbol := secondcopy.entry_missing(text)) is not None:
            self.facts.add("native_entry_missing", symbol, where, text)
        if any(n in low for n in secondcopy.NAME_NEEDLES):
            for name in secondcopy.named_packages(text):
                self.facts.add("native_packages_named", name, where, text)

    def _inuse_belief(self, text: str, where: str) -> None:
        """accinuse (session 35): a line that shows why an in-use GPU was believed idle (explain.inuse.belief_line)."""
        from whygpu.explain.inuse import belief_line

        kind = belief_line(text)
        if kind == "no_processes" and not self._contained:
            return  # nvidia-smi lists no process outside WSL 2 or a container only when none runs: no belief's monitor
        if kind is not None and not any(s.value == kind for s in self.facts.inuse_belief):
            self.facts.add("inuse_belief", kind, where, text)
    def _hidden_run(self, source: str, lines: list[str]) -> None:
        """acchidden (session 36): a no-device failure, the layers that list the GPU and how the run was started
        (explain.hiddenrun)."""
        from whygpu.explain import hiddenrun

        for number, form, shown in hiddenrun.forms(lines):
            self.facts.add("hidden_run", form, f"{source}:{number}", shown)
        for number, line in enumerate(lines, 1):
            if hiddenrun.said_inside([line]):
                self.facts.add("hidden_run_inside", True, f"{source}:{number}", line.strip())
                break

    def _device_layers(self, text: str, low: str, where: str, prose: bool) -> None:
        """accdevid (session 35): a layer's view of the GPU (explain.devlayers.layer_in: a refusal, a device list, the
        writer's count) and the device number a command or code asks for, each kept a few times."""
        from whygpu.explain import devlayers

        if len(self.facts.device_layer) < 12 and (layer := devlayers.layer_in(text, low, prose)) is not None:
            self.facts.add("device_layer", layer, where, text)
        if len(self.facts.device_asked) < 4 and any(n in low for n in devlayers.ASKED_NEEDLES) and (asked := devlayers.asked_in(text)) is not None:
            self.facts.add("device_asked", str(asked), where, text)

    def _install_change(self, text: str, low: str, where: str) -> None:
        """accbroken (session 34): the writer's account that the GPU stopped working after an install of another package
        (explain.installchange), behind a cheap gate on its clause of time."""
        from whygpu.explain import installchange

        if any(n in low for n in installchange.NEEDLES) and (said := installchange.install_change_said(text)) is not None:
            self.facts.add("install_change", said, where, text)

    def _declared(self, text: str, low: str, where: str) -> None:
        """accdeclare (session 37): the writer's words that a project's declaration names a framework's plain twin, or that
        the twin was installed over the GPU build with both left (explain.declared)."""
        from whygpu.explain import declared

        if (overlay := declared.overlay_said(text)) is not None:
            self.facts.add("twin_overlay", overlay, where, text)
        elif (said := declared.declared_twin(text)) is not None:
            if (over := declared.already_there(text, said)) is not None:
                self.facts.add("twin_overlay", over, where, text)
            else:
                self.facts.add("declared_twin", said, where, text)
        if ("-gpu" in low or "_gpu" in low) and (framework := declared.gpu_named(text)) is not None:
            self.facts.add("declared_gpu_named", framework, where, text)

    def _package_index(self, text: str, where: str) -> None:
        """accindex (session 38): the indexes a line names, each with its role (explain.indexcfg)."""
        from whygpu.explain import indexcfg

        if len(self.facts.package_index) < 16:
            for seen in indexcfg.index_settings(text):
                self.facts.add("package_index", seen, where, text)
        if "marker" in text and len(self.facts.uv_source) < 8 and (source := indexcfg.uv_source(text)) is not None:
            self.facts.add("uv_source", source, where, text)
        if "__version__" in text and "+" in text and (version := indexcfg.torch_version_said(text)) is not None:
            self.facts.add("torch_printed", version, where, text)

    def _declared_spec(self, text: str, where: str) -> None:
        """accdeclare (session 37): a declaration's own quoted item naming a plain twin with a release (explain.declared)."""
        from whygpu.explain import declared

        if (said := declared.declared_spec(text)) is not None:
            self.facts.add("declared_twin", said, where, text)

    def _update_change(self, text: str, where: str) -> None:
        """accupdate (session 37): the writer's account that the GPU went unused after an update (explain.updatechange),
        behind the caller's cheap gate on the update word."""
        from whygpu.explain import updatechange

        if (said := updatechange.update_change_said(text)) is not None:
            self.facts.add("update_change", said, where, text)

    def _twin_said(self, text: str, low: str, where: str, prose: bool) -> None:
        """accsaid (session 29): a GPU build replaced by its plain twin, in an installer's output (a GPU build removed on this
        or an earlier line, its twin installed) or the writer's words, and the writer's words that the GPU build was never
        installed (explain.twinsaid)."""
        from whygpu.explain import twinsaid

        if any(w in low for w in ("successfully", "uninstalling", "found existing", "+ ", "- ", "• ")):
            installed, removed = twinsaid.installer_rows(text)
            self._gpu_removed.extend(removed)
            if installed and self._gpu_removed and (replaced := twinsaid.installer_replaced(self._gpu_removed, installed)) is not None:
                self.facts.add("gpu_build_replaced", replaced, where, text)
            if installed or removed:
                return
        if not prose:
            return
        replaced = twinsaid.said_replaced(text) if any(w in low for w in _REPLACE_WORDS) else None
        if replaced is not None:
            self.facts.add("gpu_build_replaced", replaced, where, text)
            # the GPU build said removed is no longer shown installed by this line's other readers
            if (name := re.match(r"[A-Za-z][\w.-]*?(?=[-_ =]+v?\d|$)", replaced.gpu)) is not None and replaced.gpu[:name.end()].lower().endswith(("-gpu", "_gpu")):
                self._drop_installed((name.group(0).lower().replace("_", "-"),))
        elif any(w in low for w in _NEVER_WORDS) and (never := twinsaid.said_never_installed(text)) is not None:
            self.facts.add("gpu_build_not_installed", never, where, text)

    def _code_placement(self, source: str, text: str) -> None:
        """accinst (session 30): a model the program's own pasted code leaves off the GPU (explain.placement)."""
        from whygpu.explain.placement import gpu_found_said, unplaced_model

        if (found := unplaced_model(text)) is not None:
            self.facts.add("code_unplaced", found, f"{source}:{found.number}", found.line)
            from whygpu.explain.wholecode import whole_program

            if whole_program(text, found):
                # accmisc39 (session 39): the block is the whole program that ran (explain.wholecode), read by LOG430.
                self.facts.add("code_whole_program", found.name, f"{source}:{found.number}", found.line)
            if (said := gpu_found_said(text)) is not None:
                self.facts.add("code_gpu_found", said[1], f"{source}:{said[0]}", said[1])

    def _resync_removed(self, source: str, lines: list[str]) -> None:
        """accinst (session 30): a GPU build a uv sync installed, then a later sync that uninstalled packages without naming
        them (explain.twinsaid.resync_removed)."""
        from whygpu.explain import twinsaid

        if (found := twinsaid.resync_removed(lines)) is not None:
            replaced, index = found
            self.facts.add("gpu_build_replaced", replaced, f"{source}:{index + 1}", lines[index])
            # the GPU build's own row, before the sync that removed packages, no longer says the framework is a CUDA build
            builds = self.facts.cuda_build.get(replaced.framework, [])
            kept = [s for s in builds if not (s.value is True and s.where.startswith(f"{source}:") and s.where[len(source) + 1:].isdigit() and int(s.where[len(source) + 1:]) <= index)]
            if len(kept) != len(builds):
                self.facts.cuda_build[replaced.framework] = kept
            # and where the knowledge says the plain build on the log's one platform has no CUDA (PyPI's torch on native
            # Windows and macOS: knowledge.cpu_packages.plain_twin_cpu), the framework left is that CPU build
            from whygpu.knowledge.cpu_packages import gpu_marker_for, plain_twin_cpu

            platforms = {str(p.value) for p in self.facts.platform}
            marker = gpu_marker_for(replaced.framework)
            if marker is not None and len(platforms) == 1 and not kept:
                build = plain_twin_cpu(marker, release=replaced.release, platform=next(iter(platforms)))
                if build.cpu:
                    where, said = f"{source}:{index + 1}", f"{lines[index].strip()} ({build.because})"
                    gpu_release = replaced.gpu.partition("-")[2]
                    self.facts.versions[replaced.framework] = [v for v in self.facts.versions.get(replaced.framework, []) if str(v.value) != gpu_release]
                    if replaced.release:
                        self.facts.add("versions", replaced.release, where, said, key=replaced.framework)
                    self.facts.add("cuda_build", False, where, said, key=replaced.framework)

    def _installer_output(self, text: str, where: str) -> None:
        """The onnxruntime and TensorFlow distributions an installer's own output installs (pip, uv, poetry), and those
        it removes (explain.installstate.installer_output): a removed one is no longer shown installed."""
        installed, removed = installstate.installer_output(text)
        self._drop_installed(removed)
        for name in installed:
            self._add_installed(name, where, text)

    def _add_installed(self, name: str, where: str, text: str) -> None:
        """One onnxruntime or TensorFlow distribution shown installed (for LOG160 and LOG133)."""
        if name.startswith(("onnxruntime", "ort-nightly")):
            self.facts.add("ort_packages_installed", name, where, text)
        elif name.startswith(("tensorflow", "tf-nightly")):
            self.facts.add("tf_packages_installed", name, where, text)
        elif _twin_group(name):
            self.facts.add("twin_installed", name, where, text)  # accpairs (LOG370)

    def _drop_installed(self, names: tuple[str, ...]) -> None:
        """Distributions removed (pip uninstall run, pip's "Successfully uninstalled", uv's "-", poetry's "Removing"):
        the earlier lines that showed them installed no longer say they are."""
        if not names:
            return
        facts = self.facts
        facts.ort_packages_installed = [s for s in facts.ort_packages_installed if s.value not in names]
        facts.tf_packages_installed = [s for s in facts.tf_packages_installed if s.value not in names]
        facts.twin_installed = [s for s in facts.twin_installed if s.value not in names]

    def _said_installed_together(self, text: str, where: str) -> None:
        """The writer's words that two packages of one import folder are installed together, or that something installs
        one beside what is there (acctwins, session 39: explain.twintogether, the one reader of both grammars): each said
        once into ``twins_together``, and each package named of the writer's installing grammar shown installed, for
        LOG160, LOG133 and LOG370 to judge with the rest of the log (LOG775 reads the fact where none of them sees the pair)."""
        for together in twintogether.said(text):
            self.facts.add("twins_together", together, where, text)
            for name in together.names:
                self._add_installed(name, where, text)

    def _hardware(self, text: str, low: str, where: str) -> None:
        facts = self.facts
        has = low.__contains__
        # accgbdt41 (session 41): a build's CMake options named as choices ("Please recompile with CMake option -DUSE_CUDA=1
        # (NVIDIA GPUs) or -DUSE_ROCM=1 (AMD GPUs)", LightGBM 4.6's learner stub) name the backends a build can have, not the
        # machine's GPU nor a ROCm build installed.
        options = "-duse_" in low and _CMAKE_OPTION.search(text) is not None
        if not options and any(map(has, ("amd", "radeon", "intel", "nvidia", "geforce", "quadro", "tesla", "rtx", "gtx", "titan", "rx"))):
            self._vendors(text, where)
        if (not options and "rocm" in low and (rocm := _ROCM.search(text)) and not _PLATFORM_PROBE.search(text)
                and (grammar.program_line(text) or grammar.said(text, rocm.start(), rocm.end(), quotes=False))):
            facts.add("gpu_vendor", "amd", where, text)
            facts.add("cuda_build", False, where, text, key="torch" if "torch" in low else "tensorflow")
        if (".so" in low or ".dll" in low) and (lib := _LIB_FILE.match(text)) and _versioned_or_soname(lib.group(2)):
            facts.add("library_files", lib.group(1), where, text, key=lib.group(2))
        elif "cudnn" in low and (".so" in low or ".dll" in low):
            self._cudnn_file_said(text, where)
        if ("memory" in low or "resource_exhausted" in low) and (oom := _OOM.search(text)):
            facts.add("out_of_memory", oom.group(0), where, text)
            if "total capacity" in low and (held := oom_held_elsewhere(text)):
                facts.add("oom_held_elsewhere", f"{held[0]:.1f} of {held[1]:.1f} GiB", where, text)
        # accprec (session 21): XLA's allocators print the failed request, then what CUDA reported of the GPU's memory.
        # A request larger than the GPU's whole memory is the program's own demand: no other process holds it.
        if "failed to allocate" in low and (req := _FAILED_REQUEST.search(text)):
            self._failed_request = int(req.group(1))
        elif self._failed_request is not None and "total memory" in low and (tot := _FREE_TOTAL.search(text)):
            if self._failed_request > int(tot.group(2)) > 0:
                facts.add("oom_over_device", f"{self._failed_request} of {tot.group(2)} bytes", where, text)
            self._failed_request = None
        if ("gb" in low or "gib" in low) and (card := _CARD_MEMORY.search(text)) is not None and "?" not in text[card.end():card.end() + 40]:
            facts.add("card_memory", card.group(0), where, text)
        mem = _SMI_MEMORY.search(text) if "mib" in low else _GPUSTAT_MEMORY.search(text) if " mb" in low else None
        if mem is not None:
            facts.add("gpu_memory", f"{mem.group(1)}/{mem.group(2)}", where, text)
        if ("colab" in low or "collab" in low or "/content/" in low or "%tensorflow_version" in low) and _COLAB.search(text):
            facts.add("platform", "colab", where, text)
        if "kaggle" in low and _KAGGLE.search(text):
            facts.add("kaggle", "kaggle", where, text)  # acctwins (session 28): Kaggle's notebook image (LOG386)

    def _reported(self, text: str, low: str, where: str) -> None:
        """accwords3 (session 21): the reporter's statements read by type (explain/reported.py)."""
        from whygpu.knowledge.reported import os_last_driver

        facts = self.facts
        if not any(map(low.__contains__, reported.CUE_WORDS)):
            return
        if m := reported.no_faster(text):
            facts.add("stated_no_faster", m.group(0), where, text)
        if ("respon" in low or "request" in low or "latency" in low) and (m := reported.served_latency(text)):
            facts.add("served_latency_said", m.group(0), where, text)
        if ("nvidia" in low or "cuda" in low) and (m := reported.no_nvidia(text)):
            facts.add("cpu_machine", m.group(0), where, text)
            facts.add("stated_unused", m.group(0), where, text)
        if m := reported.accelerator(text):
            facts.add("gpu_vendor", "other", where, text)
        if any(map(low.__contains__, reported.APPLE_CUES)) and (m := reported.apple_silicon(text)):
            facts.add("platform", "darwin", where, text)
            # acchw (session 22): an Apple M-series Mac's GPU is Apple's own, a GPU no CUDA build can use (LOG260).
            facts.add("stated_gpu_vendor", "apple", where, text)
        # accbusy (session 26): and the machine's CUDA ceiling said without the word driver (reported._CEILING_SAID).
        if "driver" in low or ("cuda" in low and any(map(low.__contains__, ("max", "highest", "up to", "at most", "nvidia-smi")))):
            for name, value, _words in reported.driver_said(text):
                if name in ("driver_cuda", "driver_short_of") or not facts.driver_version:
                    facts.add(name, value, where, text)
        if "win" in low and (found := reported.old_windows(text)) is not None:
            last = os_last_driver(found[0])
            if last is not None:
                facts.add("os_last_driver", last[0], where, text)

    def _vendors(self, text: str, where: str) -> None:
        """The GPU makers a line names (a CPU's maker left out), in a reporter's sentence only when said of their own machine."""
        facts = self.facts
        # accwords2: in the reporter's sentences, a GPU named under a condition, in advice, as hearsay or in a question to
        # the reader is not their machine's ("if you only have an AMD GPU, use the ROCm build", "do you have an AMD
        # GPU?"); one they ask about is ("does anyone know if the RTX 4050 works?"); a program's line names what it found.
        prose = not grammar.program_line(text)
        for m in _VENDOR.finditer(text):
            if prose and not _own_gpu_named(text, m.start(), m.end()):
                continue
            vendor = "amd" if m.group(1) else "intel" if m.group(2) else "nvidia"
            if vendor == "amd" and re.search(r"\bAMD ?(?:64|EPYC|Ryzen|Opteron|Athlon|Threadripper)\b|\(AMD64\)|amd64", text, re.I) and not re.search(r"Radeon|Instinct|\bMI\d{2,3}\b|Vega|\bRX ?\d", text, re.I):
                continue
            if vendor in ("amd", "intel") and _CPU_LABEL.match(text) and not re.search(r"Radeon|Instinct|\bMI\d{2,3}\b|Vega|\bRX ?\d|\bArc\b|gpu|显卡|graphics", text, re.I):
                # accprec40 (session 40): a line labelled as the CPU ("CPU：AMD R7 5800H", "Processor: Intel i7-9750H") names
                # the CPU's maker, not a GPU's (a report's machine list: https://github.com/RVC-Project/Retrieval-based-Voice-Conversion-WebUI/issues/1482).
                continue
            facts.add("gpu_vendor", vendor, where, text)

    def _expressions(self, text: str, number: int, where: str) -> None:
        """Answers printed without a prompt: on the same line, or on a later line for an expression written earlier."""
        query = _QUERY.search(text)
        if query is not None:
            if statements.code_condition(text, query.start()):
                return  # a condition in code ("if torch.cuda.is_available() is False:"), not an answer
            same = _SAME_LINE_ANSWER.search(text, query.end() - 1)
            if same is None and not query.group(0).endswith(")"):
                same = _SAME_LINE_VALUE.match(text, query.end())
            together = _printed_together(text)
            if same is None and len(together) > 1:
                # accbuild: print(torch.__version__, torch.cuda.is_available()) prints its values on one line.
                self._together = (together, number)
                return
            if same is None and len(queries := [q.group(0) for q in _QUERY.finditer(text)]) > 1:
                # print(torch.__version__); print(torch.cuda.is_available()): one line each, in order.
                self._pending.extend((q, number) for q in queries)
                del self._pending[:-6]
                return
            if same is not None and not answers.said_of_now(text, query.start(), same.end()):
                return  # accanswers: asked, supposed, or a state that is over ("returned False before the reinstall, now True")
            if same is not None:
                self._answer(text[query.start():query.end()], same.group(1), where, text)
            else:
                self._pending.append((text[query.start():query.end()], number))
                del self._pending[:-6]
                label = _PRINT_LABEL.search(text[: query.start()])
                prefix = (label.group(1) or label.group(2) or "").strip() if label is not None else ""
                if re.search(r"\w", prefix):
                    after = re.match(r"[^{}\"']*\}([^{}\"']{0,10})[\"']", text[query.end():])
                    self._labels[text[query.start():query.end()]] = (prefix, after.group(1).strip() if after else "")
            return
        if self._together is not None:
            exprs, asked = self._together
            self._together = None
            if number - asked <= 12 and self._several_answers(exprs, text.strip(), where, f"{', '.join(exprs)} ⏎ {text.strip()}"):
                return
        if not self._pending:
            return
        answer = _BARE_ANSWER.match(text)
        if answer is None and ((said := _OUTPUT_IS.match(text)) is not None or (said := _OUTPUT_SAID.match(text)) is not None):
            # (the value retyped in lower case, "It returns false", is the same answer)
            answer = _BARE_ANSWER.match(said.group(1).capitalize() if said.group(1).lower() in ("true", "false", "none") else said.group(1))
        if answer is None:
            stripped = text.strip()
            for expr, _ in self._pending:
                # A script's print of a label and the value (print(f"gpus : {...}") -> "gpus : []").
                prefix, suffix = self._labels.get(expr, ("", ""))
                if prefix and stripped.startswith(prefix) and stripped.endswith(suffix):
                    answer = _BARE_ANSWER.match(stripped[len(prefix):len(stripped) - len(suffix)])
                    break
            else:
                # The answer retyped in lower case ("false" under `torch.cuda.is_available()`).
                if _LOWER_BOOL.match(text):
                    answer = _BARE_ANSWER.match(stripped.strip("`'\"").capitalize())
        if answer is None:
            return
        value = answer.group(1).strip("'\"")
        if value == "[ ]":
            value = "[]"  # acc8a: an empty list retyped with a space ("[ ]") is the same answer
        kind = "version" if re.match(r"\d+\.\d+", value) else "bool" if value in ("True", "False", "None") else "list"
        # Each answer goes to the first expression still waiting that prints that kind of value.
        for index, (expr, asked) in enumerate(self._pending):
            wants = "version" if "__version__" in expr else "version" if "version.cuda" in expr else "list" if re.search(r"devices\(|list_|available_gpus|providers\(", expr) else "bool"
            if wants == kind or (wants == "version" and value == "None") or (wants == "list" and kind == "list"):
                del self._pending[index]
                if number - asked <= 12:
                    self._answer(expr, "[]" if value == "[]" else answer.group(1), where, f"{expr} ⏎ {text.strip()}")
                return

    # -- pieces ------------------------------------------------------------------------------

    def _platform_words(self, text: str, low: str, where: str, prose: bool) -> None:
        """accplat (session 29): the platform and install facts of explain/platfacts.py (each reader gated by its words)."""
        from whygpu.explain import platfacts

        facts = self.facts
        for machine in platfacts.cloud_gpu_machines(text) if prose else ():
            facts.add("cloud_gpu_machine", machine, where, text)
        if (root := platfacts.root_only_gpu(text)) is not None:
            facts.add("root_only_gpu", root, where, text)
        if prose and "nvidia-smi" in low and (smi := platfacts.smi_said_failing(text)) is not None:
            facts.add("smi_said_failing", smi, where, text)
        if prose and "cuda" in low:
            for release in platfacts.cuda_said_needed(text):
                facts.add("cuda_said_needed", release, where, text)
        if "driver" in low and not any(s.where == where for s in facts.driver_stated):
            for branch in platfacts.driver_branch_said(text):
                facts.add("driver_stated", branch, where, text)
        if "jaxlib==" in low and (unfound := platfacts.jaxlib_cuda_unfound(text)) is not None:
            facts.add("jaxlib_cuda_unfound", unfound, where, text)
        if "bitsandbytes" in low:
            for package in platfacts.windows_gpu_package_versions(text):
                facts.add("windows_gpu_package", package, where, text)
            if ".dll" in low and (dll := re.search(r"bitsandbytes[\w.-]*\.dll\b", text, re.I)) is not None:
                facts.add("windows_gpu_library", dll.group(0), where, text)

    def _machine_kind(self, text: str, low: str, where: str) -> None:
        """accci (session 33): the machine kind a line shows (knowledge.machine_kinds: the one table of markers), and a GPU
        shown on a machine of a family. A marker of the writer's words counts only where asserted (explain.grammar)."""
        from whygpu.knowledge.machine_kinds import gpu_shown_sign, kind_markers

        if len(text) > 2000:
            return
        for marker, m in kind_markers(text, low):
            if marker.words and (grammar.program_line(text) or not grammar.said(text, m.start(), m.end(), quotes=False)):
                continue
            self.facts.add("machine_kind", marker.kind, where, text)
            if marker.fails and any(w in line.lower() for line in getattr(self, "_lines", []) for w in ("cuda", "gpu", "/dev/nvidia")):
                self.facts.add("machine_kind_fails", marker.kind, where, text)
            if marker.kind == "docker_build" and not marker.words:
                # acclib2 (session 30): a step of an image build runs in a container of its own, which the builder starts
                # without the GPU unless its default runtime is nvidia.
                self.facts.add("in_container", True, where, text)
                self.facts.build_step_where.add(where)
                if marker.output:
                    self.facts.build_output_where.add(where)
        if (shown := gpu_shown_sign(text, low)) is not None:
            self.facts.add("machine_gpu_shown", shown[0], where, text)

    def _platform(self, text: str, where: str, line: str) -> None:
        m = _ON_PLATFORM.search(text)
        if m:
            name = {"win32": "windows", "darwin": "darwin"}.get(m.group(1), "linux")
            self.facts.add("platform", name, where, line)
            self.facts.add("interpreter_platform", name, where, line)
        if _WSL1.search(text):
            self.facts.add("platform", "wsl1", where, line)
        elif _WSL2.search(text):
            self.facts.add("platform", "wsl2", where, line)
        elif _WSL_WITH_DISTRO.search(text) or _WSL_MOUNT.search(text):
            # A Linux distribution named as running in WSL, which version unknown.
            self.facts.add("platform", "wsl", where, line)
        # An issue template's own example ("(e.g., Linux Ubuntu 16.04)") is not the user's system.
        m_distro = _DISTRO_RELEASE.search(re.sub(r"\(e\.g\.[^)]*\)", "", text))
        if m_distro:
            self.facts.add("distro", f"{m_distro.group(1).lower()} {m_distro.group(2)}", where, line)
        # accjet (session 31): one reading of the Jetson platform, the knowledge layer's (knowledge/jetson.toml's markers), and
        # the L4T / JetPack releases the line names, the host's apart from a container image's.
        if (marker := jetson_marker(text)) is not None:
            self.facts.add("jetson", marker, where, line)
        if any(w in text for w in ("L4T", "l4t", "JetPack", "Jetpack", "JETPACK", "JP", "release")) or _BARE_L4T.search(text):
            for whose, release in l4t_releases(text):
                self.facts.add("l4t_host" if whose == "host" else "l4t_image", release, where, line)
        if _WINDOWS.search(text):
            self.facts.add("platform", "windows", where, line)
        if _LINUX.search(text):
            self.facts.add("platform", "linux", where, line)
        # A loader's advice naming each system's variable ("DYLD_LIBRARY_PATH on Mac OS", Paddle's and
        # TensorFlow 1.x's dynamic_loader suggestions) is not the system it runs on (acc8d).
        # acchidden (session 36): an issue template's list of systems to choose from ("Operating system
        # (Linux/macOS/Windows):") names no system the writer runs.
        if _MACOS.search(text) and "DYLD_LIBRARY_PATH" not in text and not _OS_CHOICES.search(text):
            self.facts.add("platform", "darwin", where, line)

    def _versions(self, line: str, where: str) -> None:
        facts = self.facts
        # accbuild (session 18): versions are read from what the line says is installed (installed_view);
        # the evidence is the whole line.
        view = installed_view(line)
        if view is None:
            return  # a package pip, uv, poetry or conda removed
        # accwords40 (session 40): a version labelled in another language ("pytorch版本：1.13.1") read as its English form.
        text = labelwords.in_english(view)
        for name, rx in _FRAMEWORK_VERSION:
            for m in rx.finditer(text):
                dist, version = m.group(1).lower().replace("_", "-").replace(" ", "-"), m.group(2)
                if name == "torch" and dist == "pytorch" and "lightning" in text.lower():
                    continue
                if _RANGE_AFTER.match(text, m.end()):
                    continue  # accbuild: "TensorFlow 1.2.1 or earlier requires cuDNN 5.1": a range of releases, not the installed one
                if _BUILT_WITH_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                    continue  # accbuild: "CUDA used to build PyTorch: 12.1", "compiled with torch 1.10": not the installed one
                if grammar.instructed(text, m.start(), m.end()):
                    continue  # accadvice40 (session 40): "you should pip install tensorflow-gpu==2.10": an instruction, not the install
                if name == "jax" and dist == "jax" and re.search(r"jax[-_]cuda|jax\[cuda", text):
                    pass
                if name == "torch" and "+" not in version and (spaced := _SPACED_LOCAL.match(text, m.end())):
                    version = f"{version}+{next(g for g in spaced.groups() if g).lower()}"  # accbuild: "PyTorch 2.8.0 + cu129"
                facts.add("versions", version, where, line, key=name)
                facts.add("distributions", "torch" if dist == "pytorch" else dist, where, line, key=name)
                if name == "tensorflow" and dist in ("tensorflow-intel", "tensorflow-macos"):
                    from whygpu.knowledge.tensorflow import tensorflow_package_platform

                    # A package published for one platform only places the environment there.
                    if only := tensorflow_package_platform(dist):
                        facts.add("platform", only, where, line)
                if name == "torch" and "+" in version:
                    local = version.split("+", 1)[1]
                    facts.add("cuda_build", not local.startswith("cpu"), where, line, key="torch")
                    if local.startswith("cu") and local[2:].isdigit():
                        from whygpu.knowledge.torch import torch_cuda_from_local_tag

                        cuda = torch_cuda_from_local_tag(local)
                        if cuda:
                            facts.add("build_cuda", cuda, where, line, key="torch")
                if name == "jax" and dist == "jaxlib" and "+cuda" in version:
                    facts.add("cuda_build", True, where, line, key="jax")
        for m in _SITE_PACKAGES.finditer(text):
            fw = {"jaxlib": "jax"}.get(m.group(1).lower(), m.group(1).lower())
            facts.distributions.setdefault(fw, [])
        m2 = _PY_BANNER.match(text) or _PY_STATED.search(text) or _PY_IN_PATH.search(text)
        if m2:
            facts.add("python", m2.group(1), where, line)
        wheel_file = _TORCH_WHEEL.search(text)
        if wheel_file and not wheel_file.group(2):
            from whygpu.knowledge.torch import torch_pypi_wheel_cpu_only

            # Only the index's CUDA wheels carry +cuXYZ; on Windows and macOS the plain one has no CUDA.
            wheel_platform = "windows" if wheel_file.group(3).startswith("win") else "macos" if wheel_file.group(3).startswith("macosx") else "linux"
            if torch_pypi_wheel_cpu_only(wheel_platform):
                facts.add("versions", wheel_file.group(1), where, line, key="torch")
                facts.add("cuda_build", False, where, line, key="torch")
        for index in _TORCH_INDEX.finditer(text):
            facts.add("torch_index", index.group(1), where, line)
        m3 = _TORCH_LOCAL.search(text)
        if m3 and not _BUILT_WITH_BEFORE.search(text, max(0, m3.start() - 40), m3.start()):
            facts.add("cuda_build", m3.group(2).lower() != "cpu", where, line, key="torch")
            if m3.group(2).lower() != "cpu" and not any(s.where == where for s in facts.build_cuda.get("torch", [])):
                from whygpu.knowledge.torch import torch_cuda_from_local_tag

                if cuda_tag := torch_cuda_from_local_tag(m3.group(2).lower()):
                    facts.add("build_cuda", cuda_tag, where, line, key="torch")
            if not any(s.where == where for s in facts.versions.get("torch", [])):
                # poetry's "Installing torch (2.1.0+cpu)" and a wheel's "torch-2.2.0%2Bcpu": the version no other reading took
                facts.add("versions", f"{m3.group(1)}+{m3.group(2).lower()}", where, line, key="torch")
                facts.add("distributions", "torch", where, line, key="torch")
        if _CONDA_CPU.search(text):
            if "cpuonly" in text and _python_install_command(text):
                # accbuild (session 26): a conda command asking for cpuonly counts once the log is read, unless a later
                # command asks for the CUDA variant (the command corrected: _cpuonly_corrected).
                self._cpuonly_commands.append((where, line))
            else:
                facts.add("cuda_build", False, where, line, key="torch")
        if ("pytorch-cuda" in text or "cudatoolkit" in text or ("cuda" in text and "=*" in text)) and _CONDA_CUDA_VARIANT.search(text) \
                and _python_install_command(text):
            self._cuda_variant_commands.append(where)
        if "py3." in text and (m_build := _PYTORCH_CONDA_BUILD.search(text)):
            # accbuild: the pytorch channel's build string, wherever it is written ("installs ... (`py3.9_cpu_0`)").
            facts.add("cuda_build", m_build.group(1) is None, where, line, key="torch")
            facts.distributions.setdefault("torch", [])
            if m_build.group(2):
                facts.add("build_cuda", m_build.group(2), where, line, key="torch")
        if "whl/" in text and _TORCH_CPU_INDEX.search(text):
            facts.add("torch_cpu_index", "cpu", where, line)
        # (what an install is about to put in only: a `conda list` row of torchvision's or an extension's own CPU build is
        # not read as torch's, test_installed_builds' decision of session 18)
        if ("torch" in text or "pyg" in text) and (rows := installstate.conda_packages(text, listing=False)):
            self._conda_variants(rows, where, line)
        if "pytorch" in text:
            self._conda_torch_row(text, where, line)
            # accpkg (session 21): the same row as mamba's table or conda's older plan prints it, read as `conda list`'s;
            # accbuild (session 26): and conda's download table ("pytorch-2.1.2 | cpu_mkl_py311h..._100  60.1 MB  conda-forge").
            if (row := installstate.conda_package_row(text)) is not None and row[0].startswith("pytorch"):
                self._conda_torch_row(" ".join(row), where, line)
            elif (row := installstate.conda_download_row(text)) is not None and row[0] in ("pytorch", "pytorch-mutex"):
                # (pytorch-cuda downloaded is only the metapackage the command asked for; the pytorch build beside it says
                # which variant the solver chose)
                self._conda_torch_row(" ".join(row), where, line)
        if (m_plain := _PIP_TORCH_PLAIN.match(text)) is not None:
            facts.add("torch_from_pypi", m_plain.group(1) or m_plain.group(2), where, line)
        m4 = _PT_COLLECT_VERSION.match(text)
        if m4:
            facts.add("versions", m4.group(1), where, line, key="torch")
        if "torch cuda" in text:
            self._fastai_report(text, where, line)
        m5 = _PT_COLLECT_BUILD.search(text)
        if m5:
            facts.add("cuda_build", m5.group(1) != "None", where, line, key="torch")
            if m5.group(1) != "None":
                facts.add("build_cuda", m5.group(1), where, line, key="torch")
        wheel = re.search(r"\bjaxlib-(0\.[0-3]\.\d+)-cp\d+", text)
        if wheel:
            # Before 0.4 the CUDA builds of jaxlib carried +cuda in their version; PyPI's has none.
            facts.add("versions", wheel.group(1), where, line, key="jax")
            facts.add("cuda_build", False, where, line, key="jax")
        if re.search(r"jax[-_]cuda\d+[-_](?:plugin|pjrt)|jax\[cuda\d*", text, re.I):
            facts.add("cuda_build", True, where, line, key="jax")

    def _fastai_report(self, text: str, where: str, line: str) -> None:
        """accenvdump (session 37): the torch fields of fastai's show_install report, read as torch.utils.collect_env's are."""
        facts = self.facts
        if (m := _FASTAI_TORCH_CUDA.match(text)) is not None:
            built = m.group(1) != "None"
            facts.add("cuda_build", built, where, line, key="torch")
            if built:
                facts.add("build_cuda", m.group(1), where, line, key="torch")
            if m.group(2):
                facts.add("gpu_answer", m.group(2).lower() == "available", where, line, key="torch")
        elif (m := _FASTAI_TORCH_CUDA_IS.match(text)) is not None:
            facts.add("gpu_answer", m.group(1).lower() == "available", where, line, key="torch")

    def _several_answers(self, exprs: list[str], line: str, where: str, shown: str) -> bool:
        """The values one print() of several expressions printed on one line, each given to its expression."""
        if len(exprs) < 2:
            return False
        values = line.split()
        if len(values) != len(exprs) or not all(_BARE_ANSWER.match(v) for v in values):
            return False
        for expr, value in zip(exprs, values, strict=True):
            self._answer(expr, value.strip("'\""), where, shown)
        return True

    def _lock_entry(self, number: int, where: str, text: str) -> None:
        """A lock file's package entry (uv.lock, poetry.lock, pdm.lock): `name = "torch"` then `version = "2.5.1+cpu"`.

        accbuild (session 18): a lock file records the exact version resolved, local tag included
        (https://docs.astral.sh/uv/concepts/projects/layout/#the-lockfile, https://python-poetry.org/docs/basic-usage/);
        the version line is read as that package's version.
        """
        named = _LOCK_NAME.match(text)
        if named is not None:
            self._lock_name = (named.group(1).lower(), number)
            return
        if self._lock_name is None:
            return
        name, at = self._lock_name
        version = _LOCK_VERSION.match(text)
        if version is not None and number - at <= 2:
            self._lock_name = None
            self._versions(f"{name}=={version.group(1)}  (lock file: {text.strip()})", where)

    def _jax_listing(self, number: int, where: str, text: str) -> None:
        """A package listing whose jaxlib row follows the jax row directly: no CUDA plugin and no CUDA jaxlib installed.

        accbuild (session 18): `pip list`, `pip freeze` and `conda list` sort their rows by name, and every CUDA
        plugin's name ("jax-cuda12-plugin", "jax-cuda12-pjrt", "jax-cuda11-plugin") sorts between "jax" and
        "jaxlib"; JAX's CUDA support comes only from those plugins (jax 0.4.26 on) or from a jaxlib carrying a
        +cuda local tag (older releases), or, on conda-forge, a jaxlib whose build string names CUDA
        ("cuda120py311h..."). So "jax X" directly followed by a tagless "jaxlib Y" row without a CUDA build
        string is a JAX that has no GPU support. https://docs.jax.dev/en/latest/installation.html
        """
        row = _JAX_ROW.match(text)
        if row is None:
            # accceiling (session 26): the same conda-forge row in conda's transaction or mamba's table (installstate).
            conda = installstate.conda_package_row(text) if "jaxlib" in text else None
            if conda is not None and conda[0] == "jaxlib" and re.match(r"cpu_", conda[2], re.I):
                self._cpu_jaxlib(conda[1], where, text)
            return
        name = row.group(1).lower().replace("_", "-")
        previous, self._last_row = self._last_row, (name, number)
        if name == "jaxlib" and re.match(r"cpu_", row.group(3) or "", re.I):
            self._cpu_jaxlib(row.group(2), where, text)
            return
        if name != "jaxlib" or previous is None or previous != ("jax", number - 1):
            return
        if "+" in row.group(2) or re.search(r"cuda|gpu", row.group(3) or "", re.I):
            return  # a CUDA jaxlib (+cuda12.cudnn89) or conda-forge's CUDA build
        self.facts.add("versions", row.group(2), where, text, key="jax")
        self.facts.add("distributions", "jaxlib", where, text, key="jax")
        self.facts.add("cuda_build", False, where, f"{text.strip()} (no jax-cuda plugin listed between jax and jaxlib)", key="jax")

    def _cpu_jaxlib(self, version: str, where: str, text: str) -> None:
        """accnogpu (session 23): conda-forge's jaxlib names its variant in the build string, "cpu_py311h..." beside
        "cuda120py311h..." (https://anaconda.org/conda-forge/jaxlib/files): the CPU build, whatever the rows around it."""
        self.facts.add("versions", version, where, text, key="jax")
        self.facts.add("cuda_build", False, where, f"{text.strip()} (conda-forge's CPU build of jaxlib)", key="jax")

    def _listed_only(self, source: str, lines: list[str]) -> None:
        """accort40 (session 40): the frameworks named only by package listing rows beside ONNX Runtime at work (explain.listedonly)."""
        facts = self.facts
        shown = [fw for fw in facts.frameworks_shown() if fw != "onnxruntime"]
        if not shown or ("onnxruntime" not in facts.gpu_answer and not facts.ort_packages_installed):
            return
        from whygpu.explain.listedonly import listed_only

        loaded = [fw for fw in shown if facts.framework_in_process.get(fw) or facts.gpu_answer.get(fw)]
        for framework, number in listed_only(lines, shown, loaded, bool(facts.gpu_answer.get("onnxruntime"))):
            facts.add("listed_only", framework, f"{source}:{number}", lines[number - 1].strip(), key=framework)

    def _jax_listing_about_jax(self) -> None:
        """A JAX without CUDA read from a listing counts only in a log about JAX (a full `pip freeze` of a PyTorch
        or TensorFlow project lists the CPU jax some dependency pulled in)."""
        builds = self.facts.cuda_build.get("jax", [])
        listed = [s for s in builds if s.text.endswith(("(no jax-cuda plugin listed between jax and jaxlib)", "(conda-forge's CPU build of jaxlib)"))]
        if not listed:
            return
        others = [fw for fw in ("torch", "tensorflow") if fw in self.facts.versions or fw in self.facts.gpu_answer]
        if others and "jax" not in self.facts.gpu_answer:
            self.facts.cuda_build["jax"] = [s for s in builds if s not in listed]
            if not self.facts.cuda_build["jax"]:
                del self.facts.cuda_build["jax"]

    # -- accanswers (session 19): the frameworks' and programs' answers about the GPU (explain/answers.py) ---------

    def _framework_answers(self, number: int, text: str, where: str) -> None:
        """The answers a line states with their query (in a print, after an arrow, in the reporter's words), and a program's failed GPU check."""
        if self._asked is not None:
            question, at, shown = self._asked
            printed = answers.printed_value(question, text) if number - at <= 3 and text.strip() else None
            if printed is not None:
                self.facts.add("cuda_build" if printed.about == "build" else "gpu_answer", printed.gpu, where,
                               f"{shown} ⏎ {text.strip()}", key=printed.framework)
            if text.strip() or number - at > 3:
                self._asked = None  # the first line with text after the query is its answer or not one
        if (printing := answers.asked(text)) is not None:
            self._asked = (printing, number, text.strip())
        # accsmall (session 37): the frameworks whose "GPU found" answer this line already gave (its first query, read by
        # _expressions): the line's further answers of the same framework are of the same run ("dlib.DLIB_USE_CUDA returns
        # True and dlib.cuda.get_num_devices() returns 1").
        found_here = {fw for name in ("cuda_build", "gpu_answer") for fw, seen in getattr(self.facts, name).items()
                      if any(s.where == where and s.value is True for s in seen)}
        for said in answers.read_line(text):
            # The "no GPU" answers only: a "GPU found" answer in prose is often of another run than the one that failed
            # ("... returned FALSE; when I ran it by hand it returned TRUE"), and the REPL and print readings keep those.
            # accort40 (session 40): and onnxruntime's answer written as a printed pair ("ort.get_device(): GPU"): its value as
            # printed, read as the REPL pair's next line is (the package's answer: answers.ANSWERS_ABOUT_PACKAGE).
            if said.gpu is False or said.framework in found_here or (
                    said.framework in answers.ANSWERS_ABOUT_PACKAGE and answers.printed_pair(text, said)):
                self.facts.add("cuda_build" if said.about == "build" else "gpu_answer", said.gpu, where, text, key=said.framework)
        if answers.failed_check(text) is not None:
            self.facts.add("failed_check", "no GPU", where, text)

    def _k8s_node(self, number: int, text: str, where: str) -> None:
        """A node's nvidia.com/gpu row under its Capacity or Allocatable section (kubectl describe node; the node's YAML)."""
        header = _K8S_SECTION.match(text)
        if header is not None:
            self._k8s_section = (header.group(1).lower(), number)
            return
        row = _K8S_GPU_ROW.match(text)
        if row is None or self._k8s_section is None:
            return
        section, at = self._k8s_section
        if number - at <= 12:  # the rows of one section (cpu, ephemeral-storage, hugepages, memory, nvidia.com/gpu, pods)
            self.facts.add("k8s_gpu_capacity" if section == "capacity" else "k8s_gpu_allocatable", row.group(1), where, text)

    def _failed_checks(self) -> None:
        """A program's failed GPU check is the "no GPU" answer of the one framework the log names (of "any" when it names none or several)."""
        if not self.facts.failed_check and not self.facts.cpu_notice and not self.facts.printed_no_gpu:
            return
        named = [fw for fw in FRAMEWORKS if fw in self.facts.mentioned]
        framework = named[0] if len(named) == 1 else "any"
        seen = (self.facts.failed_check or self.facts.printed_no_gpu or self.facts.cpu_notice)[0]
        if framework in self._split_found:
            return  # accnoticed38 (session 38): the program said this framework found the GPU; its "no GPU" is the other package's
        self.facts.add("gpu_answer", False, seen.where, seen.text, key=framework)

    def _hf_env_others(self) -> None:
        """In a Hugging Face environment report where one framework found the GPU, another's "no GPU" is no finding.

        transformers and diffusers install with TensorFlow or Flax beside PyTorch, often CPU builds nobody
        runs ("PyTorch version (GPU?): 2.0.1+cu118 (True)" above "Tensorflow version (GPU?): 2.13.0 (False)"):
        the machine's GPU works, and the unused framework's answer is not why a run went without it.
        """
        answers = self.facts.gpu_answer
        found = {fw for fw, seen in answers.items() if any(s.value is True and _HF_ENV_ROW.match(s.text) for s in seen)}
        if not found:
            return
        for fw in [f for f in answers if f not in found]:
            answers[fw] = [s for s in answers[fw] if not (s.value is False and _HF_ENV_ROW.match(s.text))]
            if not answers[fw]:
                del answers[fw]

    def _hf_env_row(self, row: re.Match[str], where: str, text: str) -> None:
        """A row of the Hugging Face libraries' environment report: the framework's version and its own answer."""
        name = {"pytorch": "torch", "tensorflow": "tensorflow", "flax": "jax"}[row.group(1).lower()]
        version, answer = row.group(3), row.group(4).strip()
        if name != "jax":  # the Flax row's version is Flax's own
            self.facts.add("versions", version, where, text, key=name)
            self.facts.distributions.setdefault(name, [])
        if name == "torch" and "+" in version:
            local = version.split("+", 1)[1].lower()
            self.facts.add("cuda_build", not local.startswith("cpu"), where, text, key="torch")
        said = {"True": True, "False": False, "CUDA": True, "NA": False, "cpu": False, "gpu": True, "cuda": True}.get(answer)
        if said is None or (name == "jax" and row.group(2) != "CPU?/GPU?/TPU?"):
            return  # "not installed (NA)", a TPU or another accelerator: no answer about an NVIDIA GPU
        self.facts.add("gpu_answer", said, where, text, key=name)

    def _conda_variants(self, rows: list[tuple[str, str, str]], where: str, line: str) -> None:
        """accbuild (session 26): conda packages built against PyTorch whose build string names its variant (torchvision's
        "py311_cpu", pyg's "py311_torch_2.2.0_cpu", conda-forge's "cpu_py311h..."; knowledge.cpu_packages.conda_variant):
        kept until the whole log is read (_conda_torch_family)."""
        from whygpu.knowledge.cpu_packages import conda_variant

        for name, _version, build in rows:
            variant = conda_variant(name, build)
            if variant is not None and variant.framework == "torch":
                self._torch_family.append((variant, where, line))

    def _conda_torch_family(self) -> None:
        """A CPU variant of a package built against PyTorch, in a log that shows no CUDA variant of any of them nor a CUDA
        PyTorch: the environment's PyTorch is the CPU build (the CPU variant pins it). With a CUDA variant or a CUDA torch
        anywhere, the log shows a mixed environment, and this says nothing."""
        family = self._torch_family
        if not family or any(v.cuda for v, _, _ in family) or any(s.value for s in self.facts.cuda_build.get("torch", [])):
            return
        variant, where, line = next((row for row in family if row[0].torch), family[0])
        facts = self.facts
        if variant.torch and "torch" not in facts.versions:
            facts.add("versions", variant.torch, where, line, key="torch")
        facts.distributions.setdefault("torch", [])
        facts.add("cuda_build", False, where, line, key="torch")

    def _cpuonly_corrected(self) -> None:
        """A conda command asking for cpuonly (the pytorch channel's CPU selector) installs the CPU PyTorch, unless a later
        command of the log asks for the CUDA variant (pytorch-cuda, cudatoolkit, a "*cuda*" build): the writer corrected it."""
        for where, line in self._cpuonly_commands:
            if not any(_later_place(later, where) for later in self._cuda_variant_commands):
                self.facts.add("cuda_build", False, where, line, key="torch")

    def _conda_torch_row(self, text: str, where: str, line: str) -> None:
        """A `conda list` row (or plan line) of pytorch, pytorch-mutex or pytorch-cuda: the variant its build string names."""
        m = _CONDA_TORCH_ROW.search(text)
        if m is None:
            return
        facts = self.facts
        if m.group(4):  # conda's plan: pytorch-mutex-1.0-cpu
            facts.add("cuda_build", m.group(6) == "cuda", where, line, key="torch")
            facts.add("distributions", "torch", where, line, key="torch")  # the mutex comes only with pytorch
            return
        package, version, build = m.group(1), m.group(2), m.group(3).lower()
        if package == "pytorch-cuda":
            # accconda (session 36): the pytorch channel's CUDA pin is what the command asked for, not the build installed:
            # the solver installs it beside the CPU build of pytorch when no CUDA build fits (the build string decides,
            # knowledge/cuda_build.toml conda_build_string; the pin is a hint, conda_cuda_pin).
            if re.fullmatch(r"\d+\.\d+", version):
                facts.add("build_cuda", version, where, line, key="torch")
            return
        if package == "pytorch-mutex":
            if build in ("cpu", "cuda"):
                facts.add("cuda_build", build == "cuda", where, line, key="torch")
                facts.add("distributions", "torch", where, line, key="torch")
            return
        if build.startswith("cpu_") or "_cpu_" in build or build.endswith("_cpu"):
            facts.add("cuda_build", False, where, line, key="torch")
            return
        cuda = _CONDA_TORCH_BUILD_CUDA.search(build)
        if cuda is not None:
            facts.add("cuda_build", True, where, line, key="torch")
            dotted = cuda.group(1)
            digits = cuda.group(2) or cuda.group(3)
            if dotted is None and digits is not None:
                dotted = f"{digits[:-1]}.{digits[-1]}"
            if dotted is not None:
                facts.add("build_cuda", dotted, where, line, key="torch")

    def _cuda(self, text: str, where: str) -> None:
        facts = self.facts
        smi = _SMI_HEADER.search(text)
        if smi:
            facts.add("driver_version", smi.group(1), where, text)
            facts.add("driver_cuda", smi.group(2), where, text)
            return
        if "Version:" in text:
            tail = where.rsplit(":", 1)[-1]
            number = int(tail) if tail.isdigit() else -1
            if _SMI_DRIVER_ALONE.match(text):
                self._smi_driver_line = number
            elif (alone := _SMI_CUDA_ALONE.match(text)) is not None and number >= 0 and (self._smi_driver_line == number - 1 or self._after_smi(number)):
                # The split header's second field, or (accnotice, session 32) the field alone a few lines after nvidia-smi
                # was run or named ("$ nvidia-smi", "nvidia-smi says:"): nvidia-smi's "CUDA Version" is the newest CUDA its
                # driver runs, not a toolkit installed (https://docs.nvidia.com/deploy/nvidia-smi/index.html).
                facts.add("driver_cuda", alone.group(1), where, text)
                return
        if "CUDA Version" in text and "nvidia-smi" in text.lower() and (named := _SMI_NAMED_CUDA.search(text)) is not None:
            # accnotice (session 32): the field quoted beside nvidia-smi's name on one line ("nvidia-smi shows CUDA Version: 12.2").
            facts.add("driver_cuda", named.group(1), where, text)
            text = text[:named.start(1)] + text[named.end(1):]  # (the rest of the line is read on: "... but nvcc says 11.8")
        m = _PT_FOUND_DRIVER.search(text)
        if m:
            number = int(m.group(1))
            facts.add("driver_cuda", f"{number // 1000}.{(number % 1000) // 10}", where, text)
        m = _PT_COLLECT_DRIVER.search(text) or _DRIVER_VERSION.search(text) or ("nvidia driver" in text and _FASTAI_DRIVER.match(text)) or None
        if m:
            facts.add("driver_version", m.group(1), where, text)
        m = _PT_COLLECT_AVAILABLE.search(text)
        if m:
            framework = "tensorflow" if (m.group(1) or "").lower() in ("tensorflow", "tf") else "torch"
            facts.add("gpu_answer", m.group(2).lower() in ("true", "yes"), where, text, key=framework)
        m = _CONDA_CUDATOOLKIT.search(text)
        if m and grammar.instructed(text, m.start(), m.end()):
            return  # accadvice40 (session 40): an instruction to install or copy ("you should conda install cudatoolkit=11.2",
            # "copy the cuDNN files into C:\...\CUDA\v10.0\bin") says nothing of what this machine has
        if m:
            # The conda cudatoolkit is the CUDA runtime the framework loads.
            facts.add("cuda_installed", m.group(1), where, text)
            facts.add("cuda_wanted", m.group(1), where, text)
            if _CONDA_INSTALL_PYTORCH.search(text):
                # accunsup (session 26): installed in one command with pytorch, it picks the pytorch channel's build for that
                # CUDA ("conda install pytorch==1.6.0 cudatoolkit=10.1 -c pytorch": a py3.8_cuda10.1... build), so it is the
                # CUDA variant of the PyTorch build (https://pytorch.org/get-started/previous-versions/).
                facts.add("build_cuda", m.group(1), where, text, key="torch")
            return
        for rx in (_NVCC, _CUDA_PATH, _CUDA_BANNER):
            m = rx.search(text)
            if m and grammar.instructed(text, m.start(), m.end()):
                return
            if m:
                facts.add("cuda_installed", m.group(1), where, text)
                if rx is _CUDA_BANNER and not self._reading_version_file:
                    facts.add("in_container", True, where, text)
                return
        for lib in _LIBRARY.finditer(text):
            from whygpu.knowledge.cuda_versions import library_version

            real = _CUDART_REAL_NAME.match(text, lib.start())
            if real is not None:
                # The runtime's real file name (libcudart.so.10.2.89) is a file on disk, named by
                # its CUDA release; a build asks for the soname (libcudart.so.10.1), never this.
                facts.add("cuda_installed", f"{real.group(1)}.{real.group(2)}", where, text)
                continue
            version = library_version(lib.group(1))
            if version:
                facts.add("cuda_wanted", version, where, text)
        if not _LIBRARY.search(text) and "PyTorch" not in text and "Driver" not in text:
            self._stated(text, where, text)

    def _after_smi(self, number: int) -> bool:
        """accnotice (session 32): whether nvidia-smi is named on one of the three non-empty lines before line ``number``
        (its command, a prompt, or the writer's "nvidia-smi shows:"), with no other command between."""
        seen = 0
        for index in range(min(number - 1, len(self._lines)) - 1, -1, -1):
            before = self._lines[index].strip()
            if not before:
                continue
            if "nvidia-smi" in before.lower():
                return _SMI_INTRODUCES.search(before) is not None
            seen += 1
            if seen >= 3 or _PROMPT.match(before) is not None:
                return False
        return False

    def _gpu_any_case(self, text: str, where: str) -> None:
        """acccc (session 23): a GPU named in another letter case than NVIDIA's ("Geforce GT 730", "TESLA K80"), kept only where
        knowledge.gpus.gpu_in_text knows the name."""
        from whygpu.knowledge.gpus import gpu_in_text

        for m in _GPU_MODEL_ANYCASE.finditer(text):
            if re.match(r"\s*series\b", text[m.end():], re.I):
                continue  # "RTX 5000 series": a family of boards, not the board of that name
            from whygpu.explain.gpusaid import named_not_theirs

            if named_not_theirs(text, m.start(), m.end()):
                continue  # accprose (session 35): a plan or a comparison names no GPU of the machine
            model = gpu_in_text(m.group(1))
            if model is not None and model.vendor == "nvidia":
                self.facts.add("gpu_model", m.group(1), where, text)

    def _template_gpu(self, value: str, where: str, line: str) -> None:
        """The GPU an issue template's "GPU model and memory" field names, in the short forms reporters type.

        The field says the value is the GPU, so a model number alone is one: "5070TI", "1050ti 4 GB",
        "4080 RTX", "P100 16 GB" (GeForce's 10- and 16-series are GTX, 20- to 50-series RTX). A value the
        GPU table does not know (knowledge.gpus.gpu_in_text) is left alone.
        """
        from whygpu.knowledge.gpus import gpu_in_text

        if _GPU_MODEL.search(value):
            return  # named with its series: the model reader has it
        text = re.sub(r"(?<=\d)(?=[A-Za-z])", " ", value)
        m = re.match(r"\s*(?:nvidia\s+)?(?:geforce\s+)?(?:(rtx|gtx)\s*)?(\d{4})\s*(ti|super)?(?![\w.])", text, re.I)
        if m is not None:
            number = int(m.group(2))
            series = (m.group(1) or ("GTX" if 1000 <= number < 1700 else "RTX" if 2000 <= number < 6000 else "")).upper()
            candidate = f"GeForce {series} {number}" + (f" {m.group(3).title()}" if m.group(3) else "") if series else ""
        else:
            # accxla: the field's first item ("v100, cuda:11.2, nvidia-driver:460" names the GPU first).
            candidate = re.split(r"[,;|]", text)[0].strip()
        model = gpu_in_text(candidate) if candidate else None
        if model is not None and model.vendor == "nvidia":
            self.facts.add("gpu_model", candidate, where, line)

    def _stated(self, text: str, where: str, line: str) -> None:
        """A CUDA or cuDNN version the user says is installed (issue templates, prose)."""
        # accwords40 (session 40): the label of another language read as its English form ("CUDA版本为11.8", "CUDAのバージョンは12.1").
        text = labelwords.in_english(text)
        # A package's build tag ("libcudnn8_8.0.5.39-1+cuda11.0") names the CUDA it was built for, not one installed.
        text = re.sub(r"\+cuda\d+(?:\.\d+)*", "", text)
        if "cudnn" in text.lower() and ("-v" in text or "_cuda" in text):
            text = self._cudnn_archive(text, where, line)  # acctwins (session 39)
        # statements decides whether each version is said as installed (not needed, built for, asked about or missing).
        for m in _CUDA_STATED.finditer(text):
            if ((statements.installed_line(line) and statements.version_said_installed(text, m.start(), m.end()))
                    or (not statements.installed_line(line) and statements.version_installed_in_clause(text, m.start(), m.end()))):
                self.facts.add("cuda_installed", m.group(1) or m.group(2), where, line)
        cudnn = _CUDNN_STATED.search(text)
        # accretold (session 38): as for CUDA, a line that says a need in another clause ("I have cuDNN 7.6 installed. ... it
        # says it needs cuDNN 8") still states the cuDNN installed in its own clause.
        if cudnn and ((statements.installed_line(line) and statements.version_said_installed(text, cudnn.start(), cudnn.end()))
                      or (not statements.installed_line(line) and statements.version_installed_in_clause(text, cudnn.start(), cudnn.end()))):
            self.facts.add("cudnn_installed", cudnn.group(1), where, line)

    def _read_lines(self, source: str, low_text: str, lines: list[str]) -> None:
        """The facts of the modules that read a log's lines as (line number, fact name, value, line shown), each where its
        needles are in the text (accgram41, session 41: one loop for the three): accnodriver's lspci display adapters and
        CPU-only cloud instance type (explain.presence, session 36), acccloudnode's cloud or cluster GPU node and its driver
        (explain.cloudnode, session 36), accdrvmount's driver libraries where a platform mounts them (explain.drvmount,
        session 38)."""
        from whygpu.explain import cloudnode, drvmount, presence

        for needles, read_lines in ((_PRESENCE_NEEDLES, presence.read_lines), (_CLOUD_NODE_NEEDLES, cloudnode.read_lines),
                                    (_DRIVER_MOUNT_NEEDLES, drvmount.read_lines)):
            if any(needle in low_text for needle in needles):
                for number, name, value, shown in read_lines(lines):
                    self.facts.add(name, value, f"{source}:{number}", shown)

    def _cudnn_archive(self, text: str, where: str, line: str) -> str:
        """acctwins (session 39): cuDNN's archive names ("cudnn-8.0-windows7-x64-v6.0": cuDNN 6.0 built for CUDA 8.0;
        explain.cudnnarchive) said installed: cuDNN's release into ``cudnn_installed``, the CUDA it was built for into
        ``cudnn_built_for_cuda``. Returns ``text`` with the names blanked, so that "cudnn-8.0" is not read as cuDNN 8.0."""
        from whygpu.explain.cudnnarchive import archive_names

        for name in archive_names(text):
            if ((statements.installed_line(line) and statements.version_said_installed(text, name.start, name.end))
                    or (not statements.installed_line(line) and statements.version_installed_in_clause(text, name.start, name.end))):
                self.facts.add("cudnn_installed", name.cudnn, where, line)
                self.facts.add("cudnn_built_for_cuda", name.cuda, where, line)
            text = text[:name.start] + " " * (name.end - name.start) + text[name.end:]
        return text

    def _devices(self, text: str, where: str) -> None:
        facts = self.facts
        if _TF_CPU_ONLY_LIST.match(text) or _TF_GPU_EMPTY.search(text) or _NUM_GPUS_ZERO.search(text):
            facts.add("gpu_answer", False, where, text, key="tensorflow")
        elif _TF_GPU_LIST.search(text):
            facts.add("gpu_answer", True, where, text, key="tensorflow")
        if _JAX_CPU_ONLY.match(text):
            facts.add("gpu_answer", False, where, text, key="jax")
        elif _JAX_GPU.search(text):
            facts.add("gpu_answer", True, where, text, key="jax")
        if "device info" in text and _JAX_ENV_CPU.match(text):
            # accbuild: jax.print_environment_info()'s "device info: cpu-1, 1 local devices": JAX's first device is the CPU.
            facts.add("gpu_answer", False, where, text, key="jax")
        m = _LIGHTNING_GPU.match(text)
        if m:
            facts.add("gpu_answer", m.group(1) == "True", where, text, key="torch")
        low = text.lower()
        if "machine only has" in low and _LIGHTNING_NONE_AVAILABLE.search(text):
            facts.add("gpu_answer", False, where, text, key="torch")
        elif "number of" in low and (zero := _NUMBER_OF_GPUS_ZERO.search(text)):
            # The framework that counted: the one the log names, when it names only one.
            named = [fw for fw in FRAMEWORKS if fw in facts.mentioned]
            if len(named) == 1:
                facts.add("gpu_answer", False, where, text, key=named[0])
            else:
                facts.add("stated_unused", zero.group(0), where, text)
        if ("able to use gpu" in low or "device_type" in low or "requested but none" in low or "gpu backend" in low or "gradscaler" in low) and _TORCH_SAYS_NO_CUDA.search(text):
            facts.add("gpu_answer", False, where, text, key="torch")
        elif "available" in low and (said_false := _CUDA_AVAILABLE_FALSE.search(text)):
            # A script printing the answer ("CUDA available: False"): PyTorch's, when the log names it.
            if "torch" in facts.mentioned:
                facts.add("gpu_answer", False, where, text, key="torch")
            else:
                facts.add("stated_unused", said_false.group(0), where, text)

    def _container(self, text: str, where: str, number: int = 0) -> None:
        facts = self.facts
        if (launcher := jetson_launcher(text)) is not None:
            # accjet (session 31): a Jetson launcher that passes `--runtime nvidia` (knowledge/jetson.toml): a launch with the GPU.
            facts.add("docker_run_with_gpus", launcher, where, text)
        m = _DOCKER_RUN.search(text)
        if m:
            facts.add("in_container", True, where, text)
            args = m.group(3)
            if 0 < number <= len(self._lines) and self._lines[number - 1].rstrip("\r") == text:
                # accspec (session 31): the launch with the lines it continues onto (a trailing backslash), so a --gpus
                # on a continued line is read as the launch's own (knowledge.gpu_specs.continued_command).
                whole = gpu_specs.continued_command(self._lines, number - 1)
                if whole != text.strip() and (m_whole := _DOCKER_RUN.search(whole)) is not None:
                    args = m_whole.group(3)
            if where_ran.launch_is_prose(args) or where_ran.launch_is_advice(text, m.start(1)):
                # acccontainer (session 20): the command named in prose ("docker run using the toolkit", "adding
                # --gpus to docker run command."), advised or asked about: not how the container was started.
                pass
            elif m.group(1) in ("docker", "podman", "nerdctl") and m.group(2) == "exec":
                # `docker exec` enters a container that is already running: the GPU is given when
                # it is created (`docker run`/`create --gpus`), and exec takes no such flag
                # (https://docs.docker.com/reference/cli/docker/container/exec/), so an exec line
                # says nothing about the GPU. Singularity/Apptainer's exec starts the container
                # and takes --nv itself.
                pass
            elif gpu_specs.launch_gives_gpu(m.group(1), args):
                # accspec (session 31): the one reading of a launcher's GPU flags, shared with lint (knowledge.gpu_specs).
                facts.add("docker_run_with_gpus", args.strip(), where, text)
            else:
                facts.add("docker_run_without_gpus", args.strip(), where, text)
        if _BANNER_NO_DRIVER.search(text):
            facts.add("container_banner_no_driver", "no driver", where, text)
            facts.add("in_container", True, where, text)
        if "compose" in text and (m_up := _COMPOSE_UP.search(text)) is not None \
                and not where_ran.launch_is_prose(m_up.group(1)) and not where_ran.launch_is_advice(text, m_up.start()):
            # accnotice (session 32): `docker compose up` / `docker-compose run` typed: the work runs in compose's containers
            # (whether they ask for the GPU is the compose file's, read by knowledge.gpu_specs where it is shown).
            facts.add("in_container", True, where, text)

    def _statement(self, expr: str, where: str, text: str) -> None:
        """An expression typed at a prompt that is itself a fact (``import tensorflow``)."""
        m = re.match(r"\s*(?:import|from)\s+(tensorflow|torch|jax)\b", expr)
        if m:
            self.facts.distributions.setdefault(m.group(1), [])

    def _answer(self, expr: str, answer: str, where: str, text: str) -> None:
        """What the line after a prompt says about the expression typed there."""
        facts = self.facts
        value = _answer_value(answer)
        compact = expr.replace(" ", "")
        printed = answers.printed_answer(expr, value)
        if printed is not None and printed.framework not in FRAMEWORKS:
            # accanswers: the queries only explain.answers knows (onnxruntime's providers, PaddlePaddle, CuPy, Numba, MXNet),
            # before the PyTorch readings below, whose words (cuda.device_count(), cuda.is_available()) theirs contain.
            facts.add("cuda_build" if printed.about == "build" else "gpu_answer", printed.gpu, where, text, key=printed.framework)
            return
        if "cuda.is_available()" in compact and value in ("True", "False"):
            facts.add("gpu_answer", value == "True", where, text, key="torch")
        elif "cuda.device_count()" in compact and value.isdigit():
            facts.add("gpu_answer", value != "0", where, text, key="torch")
        elif "cuda.get_device_name(" in compact and re.search(r"NVIDIA|GeForce|Tesla|Quadro|RTX|GTX|TITAN", value):
            facts.add("gpu_answer", True, where, text, key="torch")
        elif "cuda.get_device_capability(" in compact and (m_cap := re.fullmatch(r"\(\s*(\d{1,2})\s*,\s*(\d)\s*\)", value)):
            # accarch (session 28): PyTorch's (major, minor) of the device: its compute capability ("(12, 0)" is 12.0).
            facts.add("compute_capability", f"{m_cap.group(1)}.{m_cap.group(2)}", where, text)
        elif "torch.version.cuda" in compact:
            if value == "None":
                facts.add("cuda_build", False, where, text, key="torch")
            elif re.fullmatch(r"\d+\.\d+(?:\.\d+)?", value):
                # (acc8a: PyTorch 1.0-1.2 printed the toolkit's build number too, "10.0.130": the CUDA is 10.0.)
                facts.add("cuda_build", True, where, text, key="torch")
                facts.add("build_cuda", ".".join(value.split(".")[:2]), where, text, key="torch")
        elif "torch.__version__" in compact and re.match(_VER, value):
            facts.add("versions", value, where, text, key="torch")
            if "+" in value:
                facts.add("cuda_build", not value.split("+", 1)[1].startswith("cpu"), where, text, key="torch")
                from whygpu.knowledge.torch import torch_cuda_from_local_tag

                if (tagged := torch_cuda_from_local_tag(value.split("+", 1)[1])) is not None:
                    # accnotice (session 32): the wheel's local tag names its CUDA ("2.1.0+cu121": 12.1).
                    facts.add("build_cuda", tagged, where, text, key="torch")
        elif "is_built_with_cuda()" in compact and value in ("True", "False"):
            facts.add("cuda_build", value == "True", where, text, key="tensorflow")
        elif ("is_gpu_available(" in compact or "gpu_device_name()" in compact) and value in ("False", ""):
            facts.add("gpu_answer", False, where, text, key="tensorflow")
        elif any(q in compact for q in ("list_physical_devices(", "list_local_devices(", "list_logical_devices(")):
            if value.startswith("[name:"):
                pass  # list_local_devices() prints one device over several lines: read as a device list
            elif value.startswith("[") and "GPU" not in value and ("CPU" in value or value == "[]"):
                facts.add("gpu_answer", False, where, text, key="tensorflow")
            elif "GPU" in value:
                facts.add("gpu_answer", True, where, text, key="tensorflow")
        elif re.search(r"(?:tf|tensorflow)\.__version__", compact) and re.match(_VER, value):
            facts.add("versions", value, where, text, key="tensorflow")
        elif "_get_available_gpus()" in compact and value.startswith("["):
            facts.add("gpu_answer", value != "[]", where, text, key="tensorflow")
        elif ("jax.devices(" in compact or "jax.local_devices(" in compact) and value.startswith("["):
            if "Cpu" in value or "TFRT_CPU" in value:
                facts.add("gpu_answer", False, where, text, key="jax")
            elif re.search(r"cuda|gpu", value, re.I):
                facts.add("gpu_answer", True, where, text, key="jax")
        elif "get_backend().platform" in compact and value in ("cpu", "gpu", "cuda"):
            facts.add("gpu_answer", value != "cpu", where, text, key="jax")
        elif "jax.default_backend()" in compact:
            facts.add("gpu_answer", value == "gpu", where, text, key="jax")
        elif re.search(r"(?:jax|jaxlib)\.__version__", compact) and re.match(_VER, value):
            facts.add("versions", value, where, text, key="jax")


# ---------------------------------------------------------------------------------------------
# Hard-wrapped lines.
# ---------------------------------------------------------------------------------------------

_WRAP_WIDTHS = (80, 100, 120, 132, 160)


def _versioned_or_soname(name: str) -> bool:
    """A Linux soname, or a Windows DLL whose name carries a version (the one parser of library names decides)."""
    from whygpu.knowledge.cuda_versions import parse_library_name

    parsed = parse_library_name(name)
    return not parsed.windows or parsed.version is not None
# A markdown task-list item left unticked: an issue template's option the reporter did not choose.
_UNCHECKED = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[ \]\s")
# accpaste (session 39): one quote level or nested ("> ", "> > ", ">> "), never Python's prompt (explain.pasted).
_QUOTE_MARKER = pasted.QUOTE_MARKER


def _continues(prev: str, line: str) -> str | None:
    """The text joining ``prev`` and ``line`` when ``line`` reads as the rest of a wrapped ``prev``.

    Conservative: a quote or bracket left open by ``prev`` and closed by ``line``; a library or
    path name cut mid-word at a terminal width; a sentence continued on an indented line that
    starts in lower case.
    """
    if not prev or not line or line.lstrip().startswith((">>>", "File ", "Traceback", "[", "#")):
        return None
    joiner = _joiner(prev, line)
    # acclayout (session 35): a line that opens a record of its own (a command, an assignment, a prompt, a log record, a
    # listing's row, a path alone: explain.layout.starts_record) is no piece of the line above, whatever that line's width.
    return None if joiner is None or layout.starts_record(line, prev) else joiner


def _joiner(prev: str, line: str) -> str | None:
    """``_continues`` before the test of ``line``'s start: the text joining the two by their shapes alone."""
    body = line.lstrip()
    for quote in ("'", '"'):
        if prev.count(quote) % 2 == 1 and line.count(quote) % 2 == 1 and not re.search(r"\w'\w", prev[-3:]):
            return "" if not line[:1].isspace() and re.search(r"[\w.]$", prev) else " "
    if prev.count("(") > prev.count(")") and line.count(")") > line.count("("):
        return " " if line[:1].isspace() or prev.endswith(" ") else ""
    if len(prev) in _WRAP_WIDTHS and not line[:1].isspace():
        return ""
    if line[:1].isspace() and re.match(r"(?:with|and|but|or|which|because|was|is|to|for|of|in|on|not|so|the|a)\b", body) and not re.search(r"[.:;!?]$", prev.rstrip()):
        return " "
    # A message re-wrapped to a width with an indent (a tracker, a mail client, a paragraph
    # formatter): a long line cut after a lower-case word goes on, indented, with a lower-case word.
    if line[:1].isspace() and len(prev) >= 40 and re.search(r"\b[a-z]{2,}$", prev) and re.match(r"[a-z]{2,}[ :,]", body):
        return " "
    # A tracker or terminal that wraps at a word boundary after a comma: a message does not end
    # on a comma, and its rest goes on in lower case at the start of the next line.
    if len(prev) >= 40 and prev.rstrip().endswith(",") and re.match(r"[a-z]", line):
        return " "
    # The same wrap at a word boundary with no indent (a console or tracker at its width, e.g. "CUDA
    # error: no kernel image is available for" / "execution on the device"): a long line cut after a
    # lower-case word goes on with lower-case words; or, whatever the next word's case, after a word a
    # sentence cannot end on (an article, a preposition, a conjunction).
    if len(prev) >= 60 and not re.search(r"[.:;!?,)\]}'\"`]$", prev.rstrip()):
        if re.search(r"\b[a-z]{2,}$", prev) and re.match(r"[a-z]{2,} [a-z]", line):
            return " "
        if re.search(r"\b(?:the|a|an|of|for|with|to|and|or|by|from|than|that)$", prev) and re.match(r"[A-Za-z]{2,}\b", line):
            return " "
    return None


def _rejoined(lines: list[str], facts: LogFacts, source: str, hot: set[int] | None = None) -> Iterator[tuple[int, str]]:
    """Each line with its number; joined lines are recorded in ``facts.joined`` (and also read whole)."""
    previous: tuple[int, str, tuple[str, ...]] | None = None
    for index, line in enumerate(lines, start=1):
        yield index, line
        if hot is not None and index not in hot and (previous is None or previous[0] not in hot):
            previous = (index, line, (line,))
            continue
        # A log pasted through a table or a web page has runs of spaces inside its messages.
        inner = line.strip()
        if "  " in inner and len(facts.joined) < 200:
            collapsed = re.sub(r"\s{2,}", " ", inner)
            facts.joined.append((source, index, collapsed, (line,)))
        if previous is not None and len(previous[2]) < 4:
            joiner = _continues(previous[1], line)
            if joiner is not None:
                joined = previous[1].rstrip() + joiner + line.lstrip() if joiner == " " else previous[1] + line
                parts = (*previous[2], line)
                if len(facts.joined) < 200:
                    facts.joined.append((source, previous[0], joined, parts))
                previous = (previous[0], joined, parts)
                continue
        previous = (index, line, (line,))


def read_head(source: str, lines: Iterable[str], facts: LogFacts) -> None:
    """Read ``lines`` of ``source`` into ``facts``."""
    reader = FactReader(facts)
    reader.read_text(source, "\n".join(lines))


def memory_in_use(facts: LogFacts) -> bool:
    """Whether a memory table of the log (nvidia-smi's "used / total") shows a quarter of a GPU's memory or more in use: the
    one test of infer's out-of-memory reading and the cuDNN layer's (a value that does not read as numbers is no evidence)."""
    for seen in facts.gpu_memory:
        used, _, total = seen.value.partition("/")
        try:
            if float(total) > 0 and float(used) >= 0.25 * float(total):
                return True
        except ValueError:
            continue
    return False
