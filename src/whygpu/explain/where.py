"""Where the work ran, read as facts (session 20, acccontainer): container launch lines that are commands rather than prose or advice, and what a container's inside shows of the GPU.

Each reading is a class taken from what a program's grammar or message means, with its source:

- A launch line (``docker run``, ``podman run``, ``nerdctl run``, ``singularity exec``...) is a command when what
  follows the subcommand is its arguments (options, an image); "docker run using the toolkit", "adding --gpus to
  docker run command." name the command in prose, and "try `docker run --gpus all`" or a question about it advises
  or asks: neither says how the failing container was started.
- NVML's text for ``NVML_ERROR_OPERATING_SYSTEM`` ("GPU access blocked by the operating system"; nvml.h: the GPU
  control device has been blocked by the operating system/cgroups): inside a container, the container's device
  access (its cgroup device rules) kept it from the GPU.
- The GPU's device nodes (``/dev/nvidia*``) absent where the work ran: inside a container, the runtime passes them
  in only with the GPU (``--gpus``/CDI/``--nv``); outside one the driver's module is not loaded, which other
  readings name.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from whygpu import lazyre as re
from whygpu.explain import grammar
from whygpu.knowledge.visibility import visible_devices_hide_all

# After the subcommand of a launch line, words that continue a sentence rather than start the arguments: a
# function word, a noun naming the command ("command", "option"), a verb, or punctuation that ends the phrase.
# An image or an option never reads so (docker's grammar: `docker run [OPTIONS] IMAGE [COMMAND] [ARG...]`,
# https://docs.docker.com/reference/cli/docker/container/run/).
_PROSE_AFTER = re.compile(
    r"^\s*(?:(?:using|command|commands|cmd|options?|flags?|line|is|was|are|were|and|or|but|works?|worked|fails?|failed"
    r"|does|did|doesn'?t|didn'?t|the|a|an|in|on|to|for|it|that|which|when|because|as|instead|also|again|too)\b|[,.;:?!)]|$)",
    re.I)
# Before a launch line in its sentence: words that advise, instruct or ask rather than report what ran.
_ADVICE_BEFORE = re.compile(
    r"\b(?:try(?:ing)?|should|shall|recommend(?:ed)?|suggest(?:ed)?|please|make\s+sure|you\s+(?:can|could|need|must|may|might|have\s+to)"
    r"|need\s+to|have\s+to|can\s+(?:i|we)|do\s+(?:i|we)\s+need|is\s+it|how\s+(?:do|can|to)|whether)\b",
    re.I)
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)")


def launch_is_prose(args: str) -> bool:
    """Whether the words after a launch line's subcommand continue a sentence instead of giving the command's arguments."""
    return _PROSE_AFTER.match(args.strip(" `'\"*")) is not None


def launch_is_advice(text: str, start: int) -> bool:
    """Whether the launch line starting at ``text[start]`` stands in a sentence that advises, instructs or asks (not what ran)."""
    before = text[:start]
    cut = 0
    for m in _SENTENCE_END.finditer(before):
        cut = m.end()
    sentence_before = before[cut:]
    after = text[start:]
    end = _SENTENCE_END.search(after)
    asks = end is not None and after[end.start()] == "?"
    return asks or _ADVICE_BEFORE.search(sentence_before) is not None


# NVML's nvmlErrorString for NVML_ERROR_OPERATING_SYSTEM (17), as nvidia-smi and the bindings print it
# ("Failed to initialize NVML: GPU access blocked by the operating system"):
# https://docs.nvidia.com/deploy/nvml-api/group__nvmlDeviceEnumvs.html; seen in containers
# (https://github.com/Kaixhin/dockerfiles/issues/1) and in WSL2 and GPU-PV VMs (https://github.com/microsoft/WSL/issues/9938).
NVML_OS_BLOCKED = re.compile(r"GPU access blocked by the operating system", re.I)

# The GPU's device nodes absent: coreutils ls's "cannot access", a program's "does not exist"/"No such file", or the
# user's sentence with /dev/nvidia* as its subject and "missing/absent/not there" as what is said of it.
_NODE = r"`?/dev/nvidia(?:\d+|ctl|-uvm(?:-tools)?|-modeset|\*|\[0-9\]\*)?`?"
DEVICE_NODES_MISSING = re.compile(
    r"ls: cannot access '?" + _NODE + r"'?: No such file or directory"
    r"|" + _NODE + r"(?:\s+(?:files?|devices?|device\s+files?|nodes?|device\s+nodes?))?\s*(?::\s*)?"
    r"(?:(?:are|is|were|was)\s+(?:missing|absent|not\s+(?:present|there|found|created|mounted|available|visible))"
    r"|(?:does|do)\s+not\s+exist|doesn'?t\s+exist|don'?t\s+exist|not\s+found|No such file or directory)"
    r"|\b(?:no|missing)\s+" + _NODE,
    re.I)
# The Docker daemon adding a host device that the host lacks: the host's driver module, not the container
# (error gathering device information while adding custom device "/dev/nvidia-uvm": no such file or directory).
_HOST_DEVICE = re.compile(r"adding custom device|error gathering device information", re.I)
_QUESTION_OR_CONDITION = re.compile(r"\?\s*$|^\W*(?:if|whether|when|unless|in\s+case)\b", re.I)


def device_nodes_missing(text: str) -> re.Match[str] | None:
    """The words that say the GPU's device nodes are absent where the work ran, or None (a host daemon's error, a question, a condition)."""
    if "/dev/nvidia" not in text.lower() or _HOST_DEVICE.search(text) or _QUESTION_OR_CONDITION.search(text.strip()):
        return None
    return DEVICE_NODES_MISSING.search(text)


# Names of a container runtime or orchestrator that place the log's words inside a container.
CONTAINER_WORDS = frozenset({"docker", "podman", "nerdctl", "singularity", "apptainer", "container", "containers",
                             "kubernetes", "kubectl", "k8s", "k0s", "k3s", "rke2", "microk8s", "minikube",
                             # acccont (session 34): "container" in the reporters' other languages, which the fact reader
                             # already names (explain/logfacts.py _CONTAINER_NAMED): Chinese, Japanese, Korean.
                             "容器", "コンテナ", "컨테이너"})

# A shell prompt whose host name is 12 hexadecimal digits: Docker (and Podman) name a container's host after the first
# 12 digits of its id unless --hostname says otherwise ("root@5e85f82cd11c:/workspace#"), so a prompt of this shape
# places the commands after it inside a container (https://docs.docker.com/reference/cli/docker/container/run/,
# --hostname: "Container host name"; the default is the short id). At least one letter and one digit among the 12.
CONTAINER_PROMPT = re.compile(r"(?:^|\s)[a-z_][\w.-]{0,31}@(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{12}:\S*\s?[#$]")
# acccont (session 22): the same short id where a program reports its host name ("hostname: 63d81712eb52", TensorFlow's
# CUDA diagnostics, stream_executor/cuda/cuda_diagnostics.cc: LOG(INFO) << "hostname: " << port::Hostname()).
CONTAINER_HOSTNAME = re.compile(r"\bhostname\s*[:=]\s*(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{12}\s*$")


# acccont (session 22): docker compose prints each container's output behind its service's name and replica number
# ("web-1  | ", Compose v1 "web_1  | "; `docker compose logs --no-log-prefix` leaves it out,
# https://docs.docker.com/reference/cli/docker/compose/logs/): such a line was printed inside that container. Read
# where at least two lines carry the same prefix (one alone may be a table's row).
# (accnotice, session 32: also a line the container printed empty, "worker-1  |" with nothing after the bar.)
COMPOSE_PREFIX = re.compile(r"^[ \t]*([A-Za-z0-9][\w.-]*[-_]\d+)[ \t]+\|(?: |[ \t]*$)")
# accnotice (session 32): a service given a `container_name` is printed behind that name alone, padded to the longest name
# and two spaces before the bar ("openedai-images-flux  | Traceback ..."). A name and a bar also make a table's row
# ("torch          | 2.1.0"), so this form is read only beside compose's own lines about that container: "Attaching to
# <name>", "<name> exited with code N", "Container <name>  Started" (https://docs.docker.com/reference/cli/docker/compose/up/),
# or compose named in the log.
_COMPOSE_NAMED_PREFIX = re.compile(r"^[ \t]*([A-Za-z][\w.-]*)[ \t]{2,}\|(?: |[ \t]*$)")
_COMPOSE_NAMED = re.compile(r"\bdocker[ -]compose\b|\bcompose\.ya?ml\b|\bpodman-compose\b", re.I)


def _compose_own_line(name: str, text: str) -> bool:
    """Whether compose's own lines about container ``name`` are in ``text``."""
    escaped = re.escape(name)
    return re.search(rf"^\s*(?:Attaching to\b[^\n]*\b{escaped}\b|{escaped} exited with code \d+|\S*\s*Container {escaped}\s+(?:Started|Created|Running|Recreated|Starting|Creating))",
                     text, re.M) is not None


def compose_service_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(line number from 1, service) of each line docker compose printed from inside a container, where its prefix repeats."""
    seen: dict[str, list[int]] = {}
    named: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if "|" not in line:
            continue
        if m := COMPOSE_PREFIX.match(line):
            seen.setdefault(m.group(1), []).append(i + 1)
        elif m := _COMPOSE_NAMED_PREFIX.match(line):
            named.setdefault(m.group(1), []).append(i + 1)
    out = [(numbers[0], name) for name, numbers in seen.items() if len(numbers) >= 2]
    if named:
        text = "\n".join(lines)
        out += [(numbers[0], name) for name, numbers in named.items()
                if len(numbers) >= 3 and (_compose_own_line(name, text) or _COMPOSE_NAMED.search(text))]
    return out


# acccont (session 22): the kernel module's own per-GPU file, /proc/driver/nvidia/gpus/<bus id>/information ("GPU UUID:",
# "GPU Firmware:" among its fields; written by nv-procfs.c of the module,
# https://github.com/NVIDIA/open-gpu-kernel-modules/blob/main/kernel-open/nvidia/nv-procfs.c), exists only while
# nvidia.ko is loaded; nvidia-smi -q prints the same UUID only through a working driver. Either says the machine's
# kernel driver is there, so nvidia-smi (installed with every driver's user-space) missing where a command ran says that
# place does not have the host's user-space: a container the runtime did not give the driver's utilities and libraries.
KERNEL_MODULE_FIELD = re.compile(r"^\s*(?:GPU UUID|GPU Firmware)\s*:\s*(?:GPU-[0-9a-fA-F]{8}-[0-9a-fA-F-]+|\d+(?:\.\d+)+)\s*$")


# acccont (session 22): a framework's GPU image: TensorFlow's own GPU tags (tensorflow/tensorflow:<version>-gpu, latest-gpu),
# NVIDIA's CUDA base images and NGC's framework images (https://hub.docker.com/r/tensorflow/tensorflow,
# https://hub.docker.com/r/nvidia/cuda, https://catalog.ngc.nvidia.com/containers). Such an image carries the CUDA
# runtime, cuDNN and the framework built for them, and never the host driver's libcuda, which only the container runtime
# mounts in for a container given the GPU.
# accarch (session 28): PyTorch's official image, tagged with the release and the CUDA variant it holds
# ("pytorch/pytorch:2.6.0-cuda12.6-cudnn9-runtime", "1.4-cuda10.1-cudnn7-devel", https://hub.docker.com/r/pytorch/pytorch/tags):
# the image's torch is that release's cuNNN build.
TORCH_IMAGE = re.compile(r"\bpytorch/pytorch:(?P<torch>\d+\.\d+(?:\.\d+)?)-cuda(?P<cuda>\d+\.\d+)-cudnn\d+-(?:runtime|devel)\b")
GPU_IMAGE = re.compile(r"\btensorflow/tensorflow:[\w.-]*gpu[\w.-]*|\bnvidia/cuda(?:gl)?:[\w.-]+|\bnvcr\.io/nvidia/[\w./-]+:[\w.-]+")
# TensorFlow 1.x's GPU builds link libcuda.so.1, so `import tensorflow` fails where the driver's library is missing
# ("ImportError: libcuda.so.1: cannot open shared object file", https://github.com/tensorflow/tensorflow/issues/13169,
# https://github.com/ufoym/deepo/issues/112): the traceback frames of the native import are printed only when it raised,
# and "Failed to load the native TensorFlow runtime." is pywrap_tensorflow.py's own message for it.
TF_NATIVE_IMPORT = re.compile(r"pywrap_tensorflow_internal import \*|_pywrap_tensorflow_internal = swig_import_helper\(\)"
                              r"|Failed to load the native TensorFlow runtime")


# acccont (session 22): the driver capabilities a container is given. The NVIDIA runtime mounts the driver's libraries by
# capability: `compute` brings libcuda and the CUDA/OpenCL libraries, `utility` only nvidia-smi and NVML
# (https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/docker-specialized.html#driver-capabilities).
# A list set in NVIDIA_DRIVER_CAPABILITIES, in `--gpus capabilities=...`, or in a compose device's `capabilities: [...]`
# that names driver capabilities but neither compute nor all gives the container the GPU without CUDA: nvidia-smi works and
# shows "CUDA Version: N/A", every framework finds no GPU. accbroad39 (session 39): compose's `gpu` beside a driver
# capability does not leave them to the image (`[gpu, utility]` is utility alone: Docker passes on only the driver
# capabilities); `[gpu]` alone does. The decision is knowledge.driver_capabilities.compute_given.
_CAPS_SET = re.compile(
    r"NVIDIA_DRIVER_CAPABILITIES\s*[=:]\s*[\"']?(?P<env>[\w,]+)"
    r"|--gpus[= ]+[\"']*(?:[\w=-]+,)*capabilities=(?P<flag>[\w]+(?:,(?!device=)[\w]+)*)"
    r"|\bcapabilities:\s*\[(?P<compose>[\w\s,\"']+)\]")


# nvidia-smi's header where the driver's CUDA library is not there ("CUDA Version: N/A"): the utility capability's view.
SMI_CUDA_NA = re.compile(r"CUDA Version:\s*N/A\b", re.I)


def capabilities_without_compute(text: str) -> re.Match[str] | None:
    """The driver capabilities ``text`` sets for a container when they leave out compute (and all): the GPU given without CUDA; else None."""
    from whygpu.knowledge.driver_capabilities import compute_given

    for m in _CAPS_SET.finditer(text):
        listed = {w.strip(" \"'").lower() for w in (m.group("env") or m.group("flag") or m.group("compose") or "").split(",")}
        listed.discard("")
        if compute_given(listed) is False:
            return m
    return None


# --- enroot and pyxis (Slurm's srun --container-image): a container started without Docker (accruntime, session 26) -----
#
# enroot starts a container from an image (`enroot start [options] IMAGE [COMMAND]`, NVIDIA/enroot doc/cmd/start.md), and
# pyxis, Slurm's plugin, does the same for `srun`/`salloc`/`sbatch` given `--container-image` (NVIDIA/pyxis README). Either
# way the driver and the GPU's device nodes come in through enroot's hook 98-nvidia.sh, which exits without doing anything
# unless NVIDIA_VISIBLE_DEVICES is set and not "void" in the container's environment, and gives the compute libraries
# (libcuda) only when NVIDIA_DRIVER_CAPABILITIES names compute (its default is utility) (NVIDIA/enroot conf/hooks/98-nvidia.sh,
# doc/standard-hooks.md; pyxis' tests run a plain ubuntu image with NVIDIA_VISIBLE_DEVICES=all and
# NVIDIA_DRIVER_CAPABILITIES=utility,compute to find libcuda.so.1). NVIDIA's images set both (nvidia/cuda, nvcr.io's NGC
# images); a plain image does not. A Slurm GPU request (--gpus, --gres=gpu) allocates the GPU to the job, not to the container.
_ENROOT_LAUNCH = re.compile(
    r"(?:^|[\s$#>`(])(?:sudo\s+)?enroot\s+start\b(?P<start>.*)"
    r"|(?:^|[\s`])--container-image(?:=|\s+)(?P<image>[`'\"]?[^\s`'\"]+)")
# What sets NVIDIA_VISIBLE_DEVICES for the container on the launch line: the variable assigned before the command, enroot's
# --env/-e, pyxis' --container-env (which passes the job's value in), or an NVIDIA image.
_ENROOT_GPU = re.compile(r"NVIDIA_VISIBLE_DEVICES(?:=(?!void\b|none\b)[\w,'\"-]|\b(?!=))|\bnvcr\.io[/#]nvidia/|\bnvidia/cuda\b")


@dataclass(frozen=True)
class EnrootLaunch:
    """A container started by enroot or pyxis: the launch's words and whether the line shows NVIDIA_VISIBLE_DEVICES set for it."""

    words: str
    gpu_env: bool


def enroot_launch(text: str) -> EnrootLaunch | None:
    """The enroot or pyxis launch on ``text`` (``enroot start``, an ``--container-image`` option of srun/salloc/sbatch on
    the command or on one of its continued lines), or None (named in prose, advised or asked)."""
    m = _ENROOT_LAUNCH.search(text)
    if m is None:
        return None
    if m.group("start") is not None and launch_is_prose(m.group("start")):
        return None
    if launch_is_advice(text, m.start()):
        return None
    return EnrootLaunch(m.group(0).strip(), _ENROOT_GPU.search(text) is not None)


# --- the GPU used but idle, in the user's words (GPU_UNDERUSED; causes.md: utilisation low while the process runs,
# input pipeline or CPU preprocessing bound, tiny batches) -----------------------------------------------------------
#
# What is read: the GPU said to sleep or to wait for data, the data loader, the input pipeline or the preprocessing
# named as the bottleneck, and "low" said of nvidia-smi's own column ("low Volatile GPU-Util"). Not read: a number
# alone. Over the labelled cases a stated utilisation from 1 to 30% splits (holdout7 tensorflow-5995, holdout4
# kamalesh0406-audio-classification, holdout14 rembg-118 GPU_UNDERUSED; holdout14 gruv-26 CUDA_LIBS_MISMATCH;
# negatives holdout13 katago-721, holdout9 open-sora-611, holdout13 nunif-456: Windows Task Manager's graph, which
# does not show CUDA work), and 0% beside the memory the job holds splits too (holdout9 cv-crnn_tensorflow-16
# GPU_UNDERUSED; negatives2 ge2e-speaker-verification-3 and pixel-link-135 negative).
_WAITING = re.compile(
    r"\bGPUs?\b[^.;!?\n]{0,20}?\b(?:is|are|was|were|keeps?|seems?\s+to\s+be)\s+(?:\w+\s+)?(?:sleeping|starved|waiting\s+for\s+(?:the\s+)?(?:data|batches|input|data ?loader))"
    # accunder (session 35): idle part of the time ("the GPU is mostly idling": it runs kernels the rest of it), and the input
    # side named as a bottleneck in a compound ("a pre-processing bottleneck"). Idle said alone is not read: a GPU not used
    # at all (a CPU build) is "idle" in the same words.
    r"|\bGPUs?\b[^.;!?\n]{0,20}?\b(?:is|are|was|were|sits?|sat|stays?|remains?|seems?\s+to\s+be)\s+(?:\w+\s+)?(?:mostly|often|usually|largely|frequently)\s+idl(?:e|ing)\b"
    r"|\b(?:pre-?processing|data\s*loader|data[- ]loading|input\s+pipeline|data\s+pipeline|augmentation)\s+bottleneck\b"
    r"|\b(?:data ?loader|data[- ]loading|input pipeline|data pipeline|(?:loading|load) (?:the )?(?:data|batches|images)|preprocessing|augmentation)\b"
    r"[^.;!?\n]{0,30}?\b(?:is|are|was|were|being|becomes?|has\s+become)\s+(?:the\s+|a\s+)?bottleneck"
    r"|\bbottleneck\b[^.;!?\n]{0,60}?\b(?:data ?loader|data[- ]loading|batches\s+are\s+(?:getting\s+|being\s+)?loaded|input pipeline|preprocessing)"
    r"|\b(?:low|very low|poor)\s+(?:volatile\s+)?GPU[-_ ]Util\b"
    # accunderused (session 37): the writer's word for the class itself, of the GPU ("GPU Underutilized", "the GPU is heavily
    # under-utilized", "which slows the training and underutilises the GPU"); not the noun of a program's hint ("Grid size 64
    # will likely result in GPU under-utilization", Numba's performance warning, a GPU-used negative).
    r"|\bGPUs?(?:\s+(?:is|are|was|were|being|gets?|got|seems?(?:\s+to\s+be)?|appears?(?:\s+to\s+be)?|remains?|stays?))?\s+(?:heavily\s+|severely\s+|badly\s+|very\s+|quite\s+|so\s+|still\s+)?under-?utili[sz]ed\b"
    r"|\bunder-?utili[sz](?:es|ing)\s+(?:the\s+|my\s+|our\s+|its\s+)?GPUs?\b",
    re.I)


def underused(text: str) -> re.Match[str] | None:
    """The words of ``text`` saying the GPU runs the work but waits (for data, on a bottleneck named), asserted of now and not asked, or None."""
    from whygpu.explain import grammar, statements

    found = _WAITING.search(text)
    if found is None or not statements.said_now(text, found):
        return None
    start, end = found.start(), found.end()
    left, right = grammar.sentence_at(text, start, end)
    if grammar.asked(text, left, right, start, end) or grammar.supposed(text, left, right, start, end) or grammar.advised(text, left, start, end):
        return None
    return found


# --- CUDA_VISIBLE_DEVICES as a shell or Python shows it ------------------------------------------------------------
#
# `echo $CUDA_VISIBLE_DEVICES`, `printenv CUDA_VISIBLE_DEVICES` at a shell prompt, or `os.environ["CUDA_VISIBLE_DEVICES"]`
# / `os.environ.get(...)` at a Python prompt, and the value on the next line. Read only a value that hides every GPU by
# itself: CUDA makes visible only the devices listed before the first invalid index, so a first entry that is not a
# device index, UUID or MIG name ("-1", "none", "NoDevFiles") leaves none
# (https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#env-vars). An empty line is not read: `echo` of a
# variable that is not set prints one too, and unset shows every GPU.
_SHOW_CVD = re.compile(
    r"(?:^|[$#>]\s*|`)(?:echo\s+\"?\$\{?CUDA_VISIBLE_DEVICES\}?\"?|printenv\s+CUDA_VISIBLE_DEVICES"
    r"|(?:print\()?os\.environ(?:\[\s*['\"]CUDA_VISIBLE_DEVICES['\"]\s*\]|\.get\(\s*['\"]CUDA_VISIBLE_DEVICES['\"]\s*\))\)?)\s*`?\s*$")


def echoed_visible_devices(lines: list[str]) -> list[tuple[int, str, str]]:
    """Each CUDA_VISIBLE_DEVICES value a shell or Python prompt shows that hides every GPU: (line number from 1, value, the command's line)."""
    out: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines[:-1]):
        if "CUDA_VISIBLE_DEVICES" not in line or not _SHOW_CVD.search(line.strip()):
            continue
        value = lines[i + 1].strip().strip("'\"`")
        if value and " " not in value and len(value) <= 40 and visible_devices_hide_all(value) is not None:
            out.append((i + 2, value, f"{line.strip()} -> {value}"))
    return out


# --- CUDA_VISIBLE_DEVICES set, in any layout a log shows it (acclibs, session 23) ------------------------------------
#
# The shell's assignment before a command or alone (`CUDA_VISIBLE_DEVICES="" python x.py`, `export CUDA_VISIBLE_DEVICES=-1`,
# written with spaces around "=" too), env(1)'s (`env CUDA_VISIBLE_DEVICES= cmd`), csh's `setenv`, cmd's `set`, PowerShell's
# `$env:`, IPython's `%env`, a Dockerfile's `ENV`, `docker run -e/--env`, a compose or Kubernetes list entry
# (`- CUDA_VISIBLE_DEVICES=`) and a mapping's (`CUDA_VISIBLE_DEVICES: ""`, JSON `"CUDA_VISIBLE_DEVICES": ""`). Python's
# `os.environ[...] = ` is the script's own code (CODE_FORCES_CPU, logfacts' code_sets_visible_devices), not read here; so
# are a comparison (`==`), a variable read (`$CUDA_VISIBLE_DEVICES`) and a sentence that advises or asks.
# acccpu (session 34): Chinese and Japanese prose write no space before a command ("执行CUDA_VISIBLE_DEVICES=5 python ..."): an
# ideograph or kana before the name starts it as a space would.
_CVD_SET = re.compile(
    r"(?:^|(?<=[\s`(;&|>\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]))(?:(?:export|set|setenv|ENV|env|%env|-e|--env)\s+|--env=|\$env:|-\s+)?"
    r"(?<![$A-Za-z0-9_\[\"'])(?P<q>[\"']?)CUDA_VISIBLE_DEVICES(?P=q)"
    r"(?:=(?!=)|\s+=(?!=)\s*|\s*:\s+|(?<=setenv CUDA_VISIBLE_DEVICES)\s+)"
    r"(?P<value>'[^'\n]*'|\"[^\"\n]*\"|[^\s`;,)'\"]*(?:,[^\s`;,)'\"]+)*)")


def visible_devices_set(text: str) -> list[tuple[str, str]]:
    """Each value a line sets CUDA_VISIBLE_DEVICES to, as (value without quotes, the words that set it); none in advice or a question."""
    if "CUDA_VISIBLE_DEVICES" not in text or "os.environ" in text:
        return []
    out: list[tuple[str, str]] = []
    for m in _CVD_SET.finditer(text):
        if launch_is_advice(text, m.start()):
            continue
        raw = m.group("value")
        if raw == "" and ":" in m.group(0)[m.group(0).index("CUDA_VISIBLE_DEVICES"):]:
            continue  # a mapping's key with nothing after it ("CUDA_VISIBLE_DEVICES: " in a template) says no value
        out.append((raw.strip("'\"").rstrip(".:!?"), m.group(0).strip()))
    return out


# A cluster's GPU partition or queue named in the writer's words ("runs on the GPU partition", "the gpu queue",
# "partition=gpu-a100"): the job was placed where GPUs are, so a GPU it cannot see was not bound to it (Slurm gives a job
# only the GPUs it was allocated, through its cgroup and CUDA_VISIBLE_DEVICES: https://slurm.schedmd.com/gres.html).
GPU_PARTITION_SAID = re.compile(r"\bGPUs?[- ](?:partition|queue)s?\b|\bpartition\s*[=:]?\s*[`'\"]?[\w-]*gpu[\w-]*", re.I)


# --- the writer's account of how the container, pod or job was started (session 25, acccontainer) ------------------
#
# A launch or spec told in prose rather than typed at a prompt: "I run it with singularity, without --nv", "the pod had
# no nvidia.com/gpu in its limits", "the template was missing runtimeClassName: nvidia", "containerd's default runtime
# is runc". Read by its parts: a GPU request of some launcher (knowledge/launchers.toml names each launcher's flag or
# field, with its source) and a word of lack governing it (before it: "without", "no", "lacked", "was missing",
# "did not set", "forgot to pass"; after it: "... was missing / not set"), or a pronoun for a request the sentences
# before named ("was missing this field"); and a CRI runtime (containerd, CRI-O) said to be the plain runc. Each counts
# only where ``grammar.said`` finds it asserted (not a question, a condition, advice such as "you need to add --nv",
# hearsay), and not in a sentence that weighs both launches ("with or without --nv", "both").
_LACK_BEFORE = re.compile(
    r"\b(?P<lack>without|w/o|no|lack(?:s|ed|ing)?|missing|omit(?:s|ted|ting)?|left\s+out|absent"
    r"|(?:did|does|do)\s*(?:not|n['’]?t)\s+(?:\w+\s+){0,2}?(?:have|has|set|include|specify|request|add|pass|use|give|contain|define)"
    r"|(?:had|has|have)\s*(?:not|n['’]?t)\s+(?:\w+\s+)?(?:set|included|specified|requested|added|passed|used|defined)"
    r"|(?:had|has|have)\s+no|forg[oe]t(?:ten)?(?:\s+to\s+(?:add|pass|use|set|specify|include|request|give))?)\b[^.;!?]{0,40}$", re.I)
_LACK_AFTER = re.compile(
    r"^[\s`'\"*)\]]*(?:(?:field|flag|option|setting|key|entry|limits?|section|line)\s+)?(?:(?:is|was|were|are|had\s+been|has\s+been)\s+(?:(?:still|also|simply)\s+)?"
    r"(?:missing|absent|omitted|not\s+(?:set|specified|included|present|there|requested|defined|passed|given|added))|(?:missing|absent)\b)", re.I)
# After a request's name, a noun that makes it another thing's modifier ("no --gpus errors", "no nvidia runtime logs").
_NOT_THE_REQUEST = re.compile(r"[\s`'\"]*(?:\w+\s+)?(?:errors?|issues?|problems?|warnings?|messages?|logs?|output|docs?|documentation|package|packages)\b", re.I)
# What makes a lack a rule or a plan rather than an account of a launch: a modal or "to" in the lack's own clause ("it
# can run without --gpus", "the container will not see the GPU without --nv", "to run without --gpus, use ..."), a
# sentence that opens on the lack or on an instruction ("Without --nv, the container ...", "Omit --gpus for CPU runs",
# "For CPU-only runs, ..."), or the same request also said with ("without --nv and with --nv").
_RULE_MODAL = re.compile(r"\b(?:can|could|will|would|should|shall|must|may|might|need|needs|have\s+to|has\s+to|to)\b|n['’]t\s+(?:need|have\s+to)\b|^\W*(?:for|in\s+order|when|whenever|once)\b", re.I)
_RULE_OPENING = re.compile(r"^\W*(?:without|w/o|omit|drop|remove|add|use|run|start|launch|make|remember|set|pass|include|specify|request|do\s+not|don['’]?t|never|always|just|simply|please|note|nb|tip)\b", re.I)
# Who the account is of: the writer ("I", "we", "my"), or a particular container, pod, job or spec ("the pod", "our
# deployment", "this template", "containerd's default runtime").
_TOLD_SUBJECT = re.compile(
    r"\b(?:i|we|my|our|me|us)\b|\b(?:the|this|that|these|its|their|his|her|your|existing)\s+(?:[\w.`'/-]+\s+){0,3}?(?:pods?|containers?|jobs?|specs?|templates?|manifests?|deployments?"
    r"|services?|compose|yaml|files?|daemonsets?|workloads?|images?|nodes?|clusters?|commands?|scripts?|sif|charts?|values|instances?|tasks?)\b|\bcontainerd['’]?s\b|\b(?:it|this|that)\s+(?:was|is|ran|runs|got|gets|started|starts)\b", re.I)
# A pronoun for a request named before: "was missing this field", "lacked that flag".
_LACK_PRONOUN = re.compile(
    r"\b(?:without|lack(?:s|ed|ing)?|missing|omit(?:s|ted|ting)?|(?:did|does)\s*(?:not|n['’]?t)\s+(?:have|set|include|specify|pass|use)|forgot(?:ten)?\s+(?:to\s+\w+\s+)?)"
    r"\s+(?:this|that|the|these|those)\s+(?:field|flag|option|setting|key|entry|line|parameter|argument)s?\b", re.I)
# A sentence that weighs a launch against another one shown ("the above command without --gpus returns the CPU": a
# variation tried, not how the failing container was started), both launches, or a node's advertised resources (its
# Capacity not listing nvidia.com/gpu is the device plugin's, not a pod spec's).
_BOTH_LAUNCHES = re.compile(r"\b(?:both|either|neither|regardless|whether|capacity|allocatable)\b|\bwith\s+(?:or|and)\s+without\b|\bwithout\s+(?:or|and)\s+with\b"
                            r"|\b(?:above|same|previous|earlier|that|this|working)\s+(?:docker\s+)?(?:command|line|invocation)\b", re.I)
# Where a CRI runtime's default is the plain runc (what the NVIDIA toolkit's containerd set-up replaces).
_CRI_CONTEXT = re.compile(r"\b(?:containerd|cri-?o|kubelet|kubernetes|k8s|k3s|microk8s|rke2|pods?|device[- ]plugin|daemonset)\b", re.I)
_PLAIN_RUNTIME_FRAME = (
    r"\b(?:default[_ -]?runtime(?:[_ -]?name)?|runtime)\s*(?:(?:is|was|remains|remained|stayed)\s+(?:still\s+)?(?:set\s+to\s+|left\s+(?:as|at)\s+)?|(?:set|left)\s+(?:to|as|at)\s+|defaults?\s+to\s+|[=:]\s*)[`'\"]?(?:{name})"
    r"|(?:{name})[`'\"]?\s+(?:is|was)\s+(?:still\s+)?(?:the\s+)?default"
    r"|\b(?:runs?|running|ran|started|starts)\s+(?:\w+\s+){{0,3}}?(?:under|with|on|by)\s+(?:the\s+)?(?:default\s+)?[`'\"]?(?:{name})"
)
_TO_NVIDIA = re.compile(r"\b(?:to|instead\s+of|rather\s+than|from|into|replac\w*|switch\w*|chang\w*)\b[^.;!?]{0,30}\bnvidia\b|\bnvidia\b[^.;!?]{0,30}\b(?:instead|replac\w*)", re.I)
# The cheap test before the reader runs: a GPU request's or a runtime's name somewhere in the text (lower case).
TOLD_CUES = ("--nv", "--gpus", "--runtime", "--device", "nvidia.com/gpu", "runtimeclass", "runtime:", "nvidia runtime", "nvidia-container-runtime", "nvidia container runtime", "runc", "crun", "deploy",
             "reservation", "gpu limit", "gpu resource limit", "limits for", "limit for", "limits on", "nvidia_visible_devices")
# With a request named in the lines just before, the words that stand for it ("was missing this field").
_PRONOUN_CUES = ("field", "flag", "option", "setting", "key", "entry", "parameter", "argument")


@dataclass(frozen=True)
class ToldLaunch:
    """A writer's account of a launch or spec without the GPU: the line (from 1), the request or runtime named, its row in knowledge/launchers.toml, and the line."""

    line: int
    words: str
    request: str
    text: str


def _told_lack(sentence: str, last_named: tuple[str, str] | None) -> tuple[str, str, int, int] | None:
    """(words, request row id, start, end) of the GPU request ``sentence`` says a launch or spec lacked, or None."""
    from whygpu.knowledge.launchers import gpu_request_named, plain_runtime_named

    at = 0
    while (found := gpu_request_named(sentence[at:])) is not None:
        row, m = found
        start, end = at + m.start(), at + m.end()
        before = sentence[max(0, start - 80):start]
        # "without --nv", "had no nvidia.com/gpu" (and not "no problem, and I start it with --nv": a "with" between them)
        if _NOT_THE_REQUEST.match(sentence[end:]):  # "no nvidia-container-runtime errors": the request names another thing
            at = end
            continue
        lack = _LACK_BEFORE.search(before)
        if (lack is not None and not re.search(r"\bwith\b(?!out)", before[lack.end("lack"):], re.I)) or _LACK_AFTER.match(sentence[end:]):
            return m.group(0), row.id, start, end
        at = end
    if last_named is not None and (p := _LACK_PRONOUN.search(sentence)):
        return last_named[0], last_named[1], p.start(), p.end()
    if plain_runtime_named(sentence) and _CRI_CONTEXT.search(sentence) and not _TO_NVIDIA.search(sentence):
        from whygpu.knowledge.launchers import plain_runtime_id, plain_runtime_pattern

        frame = re.search(_PLAIN_RUNTIME_FRAME.format(name=plain_runtime_pattern()), sentence, re.I)
        if frame is not None:
            return frame.group(0), plain_runtime_id(), frame.start(), frame.end()
    return None


def _told_account(sentence: str, words: str, start: int) -> bool:
    """Whether the lack ``sentence`` states at ``start`` is an account of a particular launch or spec (a subject that is the
    writer or one container, pod or spec; not a rule, a plan or an instruction; not both launches weighed)."""
    from whygpu.explain import grammar

    clause = grammar.clause_before(sentence[:start])
    if _BOTH_LAUNCHES.search(sentence) or _RULE_OPENING.match(sentence) or _RULE_MODAL.search(clause):
        return False
    if re.search(r"\bwith\b(?!out)[^.;!?]{0,20}?" + re.escape(words), sentence, re.I):
        return False
    return _TOLD_SUBJECT.search(sentence) is not None


def told_launches(lines: list[str]) -> list[ToldLaunch]:
    """Every sentence of ``lines`` (numbered from 1) in which the writer tells that a container, pod or job was started, or
    its spec written, without its launcher's GPU request (or under a CRI runtime that gives no GPU)."""
    from whygpu.explain import grammar
    from whygpu.knowledge.launchers import gpu_request_named

    out: list[ToldLaunch] = []
    last_named: tuple[str, str] | None = None
    since = 0
    for number, raw in enumerate(lines, 1):
        line = raw[:4000]
        stripped = line.strip()
        if not stripped:
            continue
        since += 1
        if since > 4:
            last_named = None
        low = stripped.lower()
        if not any(cue in low for cue in TOLD_CUES) and not (last_named is not None and any(cue in low for cue in _PRONOUN_CUES)):
            continue
        if stripped.startswith((">", "#", "$", "-", "```")) or grammar.program_line(line) or len(out) >= 8:
            continue
        for offset, sentence in grammar.sentences(line):
            told = _told_lack(sentence, last_named)
            if told is not None:
                words, request, start, end = told
                if _told_account(sentence, words, start) and grammar.said(line, offset + start, offset + end, quotes=False):
                    out.append(ToldLaunch(number, words, request, stripped))
                    break
            at = 0
            while (named := gpu_request_named(sentence[at:])) is not None:  # the last request the sentence names
                last_named, since, at = (named[1].group(0), named[0].id), 0, at + named[1].end()
    return out


# The writer's word that nvidia-smi answered inside the container ("nvidia-smi works inside the container", "running
# nvidia-smi in the container shows my GPU"): the runtime gave the container the driver's user-space and the GPU's
# device nodes, which nvidia-smi needs (https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/arch-overview.html).
# Read in the clause that holds nvidia-smi ("..., but TensorFlow finds no GPU" is another clause), never negated.
_IN_CONTAINER = re.compile(r"\b(?:inside|in|within|from\s+(?:inside|within))\s+(?:the|my|a|this|that|our|each)?\s*(?:running\s+|docker\s+|gpu\s+)?(?:container|pod)s?\b", re.I)
_SMI_SUCCESS = re.compile(
    r"\b(?:works?|worked|working|runs?\s+(?:fine|ok|okay|well|correctly|successfully)|ran\s+(?:fine|ok|okay|well|correctly|successfully)"
    r"|shows?|showed|shown|lists?|listed|displays?|displayed|prints?|printed|sees|saw|detects?|detected|finds|found|recogni[sz]es|recogni[sz]ed"
    r"|successfully|succeeds|succeeded|correctly|fine|as\s+expected)\b", re.I)
_SMI_NEGATED = re.compile(r"\b(?:not|never|no|none|fails?|failed|failing|error|errors|unable|cannot|nothing|empty|missing|without|wrong|broken|problems?|issues?|unavailable)\b|n['’]t\b|\bcommand\s+not\s+found\b", re.I)
_CLAUSE_SPLIT = re.compile(r",?\s+\b(?:but|however|although|though|while|whereas|yet|so|because|since)\b|;|\s+-\s+", re.I)


def smi_works_in_container(text: str) -> re.Match[str] | None:
    """Where the writer says nvidia-smi works or shows the GPU inside the container, or None."""
    from whygpu.explain import grammar

    if grammar.program_line(text) or text.lstrip().startswith(">"):
        return None
    for offset, sentence in grammar.sentences(text):
        at = sentence.lower().find("nvidia-smi")
        if at < 0:
            continue
        cuts = [0, *(m.end() for m in _CLAUSE_SPLIT.finditer(sentence)), len(sentence)]
        for left, right in pairwise(cuts):
            if not left <= at < right:
                continue
            clause = sentence[left:right]
            near_at = max(0, at - left - 80)
            near = clause[near_at:at - left + 90]  # the success said of nvidia-smi, not of something else in the clause
            if _IN_CONTAINER.search(clause) and (ok := _SMI_SUCCESS.search(near)) and not _SMI_NEGATED.search(clause) \
                    and grammar.said(text, offset + left + near_at + ok.start(), offset + left + near_at + ok.end(), quotes=False):
                return re.search(re.escape(clause.strip()), text)
    return None


# --- A launcher that chooses the GPUs a process sees: Ray (accenv, session 26) ------------------------------------------
# Ray assigns GPUs to a task or actor from the num_gpus it requests and sets CUDA_VISIBLE_DEVICES in its worker to the
# assigned ids, so a task or actor that requests none runs with CUDA_VISIBLE_DEVICES empty and its framework finds no GPU
# although the node has them (https://docs.ray.io/en/latest/ray-core/scheduling/accelerators.html; the same for an LLM
# engine started in an actor with num_gpus=0, https://github.com/vllm-project/vllm/pull/3198); Ray 0.8.5's local mode
# cleared it for every task (ray-project/ray PR 9108, "Return all GPUs for Local Mode").
# accread41 (session 41): the text names Ray, the gate of LogFacts' Ray reader: "ray" as the start of a word ("ray.init",
# "ray::", "RayTaskError", "raylet"), not inside one ("array", "stray", "x_ray"), or Tune's and local mode's entry points. The
# literal first and the boundary looked back at from its end, so the search skips ahead by the literal (a 50 MB log with
# "array" on every line: about 0.2 s, where a leading \b costs seconds).
_RAY_WORD = re.compile(r"ray(?<=\bray)")


def ray_named(low_text: str) -> bool:
    """Whether the lower-cased ``low_text`` names Ray (the word, or Tune's and local mode's calls): the cheap gate of the
    Ray reader, which a text with only "array" in it does not pass."""
    if "ray" in low_text and _RAY_WORD.search(low_text) is not None:
        return True
    return "tune.run" in low_text or "tune.tuner" in low_text or "local_mode" in low_text


# Ray running the work: its worker's process title in a traceback ("ray::Trainer.train()"), its task and actor errors, the
# decorator and calls of its API, local mode, Tune's entry points.
RAY_RUNS = re.compile(r"\bray::[A-Za-z_][\w.]*|\bRay(?:Task|Actor)Error\b|@ray\.remote\b|\bray\.(?:init|get|remote)\s*\(|\blocal_mode\s*=\s*True\b"
                      r"|\btune\.(?:run|Tuner)\s*\(")
# The task, actor or trial given GPUs: num_gpus above zero in the decorator or .options(), Tune's resources per trial,
# Ray Train's use_gpu (ray.init's num_gpus is the node's count, not a task's request).
RAY_GPUS_ASKED = re.compile(
    r"(?:@?ray\.remote|\.options)\s*\([^)\n]*\bnum_gpus\s*=\s*(?:[1-9]|0?\.\d*[1-9])"
    r"|resources_per_(?:trial|worker)\s*=\s*\{[^}\n]*[\"']gpu[\"']\s*:\s*(?:[1-9]|0?\.\d*[1-9])|\buse_gpu\s*=\s*True\b", re.I)
# accray40 (session 40): a task or actor defined with no GPU request: the bare decorator ("@ray.remote" ending its line), the
# decorator with arguments that do not name num_gpus ("@ray.remote(num_cpus=1)"), or ray.remote wrapping a class or function
# ("ray.remote(RayEncode)") with no num_gpus in the same line's .options(). Ray sets CUDA_VISIBLE_DEVICES to nothing in such a
# task's worker (https://docs.ray.io/en/latest/ray-core/scheduling/accelerators.html: "Ray sets CUDA_VISIBLE_DEVICES ... for
# tasks and actors that request GPUs"; a task that requests none is given none), and Ray 1.x reused that worker for a later
# num_gpus task whose framework had already cached the empty device list (ray-project/ray#22504, accepted as a Ray Core bug).
# A log showing such a task beside one given GPUs, where the framework finds none, is GPU_HIDDEN as much as a log with no GPU
# request at all.
RAY_TASK_NO_GPUS = re.compile(
    r"^\s*@ray\.remote\s*$|^\s*@ray\.remote\s*\((?![^)\n]*\bnum_gpus\b)[^)\n]*\)\s*$"
    r"|\bray\.remote\(\s*[A-Za-z_][\w.]*\s*\)(?![^\n]*\bnum_gpus\s*=\s*(?:[1-9]|0?\.\d*[1-9]))")
# accray40 (session 40): Ray Jobs. A job's entrypoint runs as the job's driver under a supervisor actor that requests no GPU
# unless the job is submitted with entrypoint_num_gpus (`ray job submit --entrypoint-num-gpus`, JobSubmissionClient.submit_job's
# entrypoint_num_gpus, Ray 2.2+: "The quantity of GPUs to reserve for the execution of the entrypoint command, separately
# from any tasks or actors launched by it",
# https://docs.ray.io/en/latest/cluster/running-applications/job-submission/doc/ray.job_submission.JobSubmissionClient.submit_job.html);
# in Ray 1.12 the driver so started saw CUDA_VISIBLE_DEVICES empty (ray-project/ray#24455, fixed by PR #24546), and without
# the request the entrypoint runs on the head node, which may have no GPU (ray-project/ray PR #41319's FAQ note).
# The job named: the CLI's submit command, the SDK's client and call, or the writer's "job submission" in a log that shows Ray.
RAY_JOB = re.compile(r"\bray\s+job\s+submit\b|\bJobSubmissionClient\b|\.submit_job\s*\(|\bjob[- ]submission\b|\bRay\s+Jobs?\s+(?:API|SDK|CLI)\b", re.I)
RAY_JOB_GPUS = re.compile(r"--entrypoint-num-gpus[= ]+(?:[1-9]|0?\.\d*[1-9])|\bentrypoint_num_gpus\s*[=:]\s*(?:[1-9]|0?\.\d*[1-9])", re.I)
# The writer's word, in the sentence that names the job, that the GPU check fails there ("When running via Job submission,
# the assert statement fails", "submitted as a Ray job it sees no GPU").
_JOB_FAILS = re.compile(
    r"\b(?:fails?|failed|failing|returns?\s+False|(?:is|was)\s+False|no\s+(?:cuda\s+)?(?:gpus?|devices?)"
    r"|(?:gpus?|cuda|devices?)\s+(?:is\s+|are\s+)?not\s+(?:available|detected|found|visible)"
    r"|(?:can(?:no|['’])?t|does\s*n['’]?o?t|did\s*n['’]?o?t)\s+(?:see|find|detect|use)\s+(?:the\s+|any\s+)?(?:gpus?|cuda))\b", re.I)


def ray_left_gpu_unassigned(runs: bool, gpus_asked: bool, task_no_gpus: bool, code_sets_cvd: bool) -> bool:
    """accray40 (session 40): the one decision whether Ray's own GPU assignment can be why the work found no GPU: Ray runs
    the work, the program's code does not set CUDA_VISIBLE_DEVICES itself, and a task or actor in the log requests no GPU
    (or none requests one). A log whose every task asks for GPUs leaves Ray's assignment out (LOG330 then needs the writer's
    word that the variable reached the task empty)."""
    return runs and not code_sets_cvd and (task_no_gpus or not gpus_asked)


def ray_job_fails_said(line: str) -> re.Match[str] | None:
    """accray40 (session 40): the writer's words that the work run as a Ray job fails its GPU check (an asserted sentence
    naming the job and the failure; not a question, a condition or code), or None."""
    line = line[:4000]
    if grammar.code_comment(line) or grammar.program_line(line):
        return None
    for m in RAY_JOB.finditer(line):
        left, right = grammar.sentence_at(line, m.start(), m.end())
        sentence = line[left:right]
        fail = _JOB_FAILS.search(line, left, right)
        # (accgram41, session 41: the question and the condition are grammar's decision, asked of the failure's words;
        # accgramb41: so is the failure's negation, "nothing fails", "it does not fail".)
        if fail is not None and not (grammar.asked(line, left, right, fail.start(), fail.end()) or grammar.supposed(line, left, right, fail.start(), fail.end())
                                     or grammar.negated(line, left, fail.start(), fail.end())):
            return re.search(re.escape(sentence.strip()), line) or fail
    return None


# accinst (session 30): the writer's word that the work under Ray does not use the GPU ("Ray fails to utilize GPU
# resources", "ray tune doesn't detect my GPU"), and that the same code uses it without Ray ("the code when run without
# ray works fine", "outside of Ray it runs on the GPU"): the machine, driver and build work, and what differs is Ray's
# assignment of GPUs to the task (CUDA_VISIBLE_DEVICES set from its num_gpus request:
# https://docs.ray.io/en/latest/ray-core/scheduling/accelerators.html).
_RAY = r"\bray(?:\s+(?:tune|train|serve|rllib|actors?|tasks?|workers?|trials?|cluster))?"
RAY_SAID_UNUSED = re.compile(
    _RAY + r"\s+(?:(?:just|still|always|simply)\s+)?(?:fails?|failed|does\s*n['’]?o?t|did\s*n['’]?o?t|is\s*n['’]?o?t|won['’]t|can['’]?t|cannot|never)\s+"
    r"(?:to\s+)?(?:use|utili[sz]e|using|utili[sz]ing|detect|see|find|recogni[sz]e|allocate|assign|pick\s+up)\s+(?:the\s+|any\s+|my\s+)?(?:gpus?|cuda)\b", re.I)
RAY_WORKS_WITHOUT = re.compile(
    r"\b(?:without|outside(?:\s+of)?|w/o)\s+(?:using\s+)?ray\b[^.!?\n]{0,60}?\b(?:works?|worked|working|fine|uses?\s+(?:the\s+)?gpus?|runs?\s+on\s+(?:the\s+)?gpus?)\b"
    r"|\b(?:works?|worked|working|runs?|ran)\s+(?:(?:fine|well|ok|okay|properly|perfectly|on\s+(?:the\s+)?gpus?)\s+)?(?:when\s+(?:i\s+)?(?:run|running|ran)\s+(?:it\s+)?)?(?:without|outside(?:\s+of)?)\s+ray\b",
    re.I)


def ray_said(line: str) -> tuple[str, re.Match[str]] | None:
    """("unused", match) for the writer's word that the work under Ray does not use the GPU, ("works_without", match) for
    the same code said to work without Ray, asserted (not a question or a condition); None otherwise."""
    line = line[:4000]
    if grammar.code_comment(line) or grammar.program_line(line):
        return None
    for kind, rx in (("unused", RAY_SAID_UNUSED), ("works_without", RAY_WORKS_WITHOUT)):
        for m in rx.finditer(line):
            left, right = grammar.sentence_at(line, m.start(), m.end())
            if re.search(r"[?？]\W*$", line[left:right]) or re.search(r"\b(?:if|whether|unless)\b", line[left:m.start()], re.I):
                continue
            if kind == "unused" and not grammar.said(line, m.start(), m.end(), quotes=False):
                continue
            return kind, m
    return None


# The writer's word that CUDA_VISIBLE_DEVICES reaches the task empty or not at all: "CUDA_VISIBLE_DEVICES is always set
# to empty string", "the runtime env is not passing through CUDA_VISIBLE_DEVICES", "Ray clears CUDA_VISIBLE_DEVICES".
# (Outside a launcher that sets it, an unset variable shows every GPU: only read beside Ray.)
_CVD = r"[`'\"*]*CUDA_VISIBLE_DEVICES[`'\"*]*"
_CVD_CLEARED = re.compile(
    rf"{_CVD}\s+(?:(?:env(?:ironment)?\s+)?variables?\s+)?(?:is|are|was|were|gets?|got|becomes?|became|being|stays?|remains?)\s+(?:(?:always|still|then|now|just|simply|actually)\s+)?"
    r"(?:set\s+to\s+(?:an?\s+|the\s+)?(?:empty(?:\s+string)?|blank|nothing|\"\"|''|-1)|empty|blank|unset|not\s+set|cleared|removed|missing|lost|dropped|overwritten|overridden|reset)\b"
    rf"|\b(?:is|are|was|were|does|do|did)\s*(?:not|n['’]t)\s+(?:being\s+)?(?:pass(?:ed|ing)?|propagat\w*|forward\w*|inherit\w*|kept|preserved)(?:\s+(?:through|on|along|down))?\s+(?:the\s+)?{_CVD}"
    rf"|\b(?:clear(?:s|ed)?|unsets?|empt(?:ies|ied)|resets?|overwrit(?:es|ten)|overrid(?:es|den)|wipe[sd]|strip(?:s|ped)|drop(?:s|ped)|remov(?:es|ed))\s+(?:the\s+)?{_CVD}", re.I)


def visible_devices_cleared_said(line: str) -> re.Match[str] | None:
    """The writer's words that CUDA_VISIBLE_DEVICES reaches the work empty, cleared or not passed, asserted, or None."""
    line = line[:4000]
    if "CUDA_VISIBLE_DEVICES" not in line or grammar.code_comment(line):
        return None
    for m in _CVD_CLEARED.finditer(line):
        left, right = grammar.sentence_at(line, m.start(), m.end())
        # The words' own clause decides: a condition in a clause after them ("..., leading to errors if the code expects a
        # GPU") is that clause's.
        cut = re.search(r"[,;:]", line[m.end():right])
        clause = line[:m.end() + cut.start()] if cut else line[:right]
        if re.search(r"[?？]\W*$", line[left:right]) or not grammar.said(clause, m.start(), m.end(), quotes=False):
            continue
        return m
    return None


# accruntime (session 26): the writer's word that nvidia-smi is missing inside the container, pod or Kubernetes job
# ("running nvidia-smi in the pod gives command not found", "inside the container nvidia-smi: command not found", "the
# TFJob's nvidia-smi is not found"). No image carries nvidia-smi: it is the host driver's, and the runtime mounts it in with
# the driver's libraries only for a container given the GPU (NVIDIA Container Toolkit,
# https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/arch-overview.html; a Kubernetes container only
# with nvidia.com/gpu in its limits, https://kubernetes.io/docs/tasks/manage-gpus/scheduling-gpus/). Kubeflow's training
# jobs (TFJob, PyTorchJob, ...) run their replicas as pods.
_SMI_MISSING = re.compile(
    r"\bnvidia-smi\b[^.;!?\n]{0,50}?(?:(?::\s*|\b(?:gives?|gave|returns?|returned|says?|said|shows?|showed|prints?|printed|reports?|reported|yields?|yielded"
    r"|results?\s+in|resulted\s+in|fails?\s+with|failed\s+with|ends?\s+with|ended\s+with)\s*:?\s*)(?:a\s+|an\s+)?[`'\"]?(?:bash:\s*|sh:\s*)?(?:command\s+not\s+found|not\s+found|no\s+such\s+file)"
    r"|\s+(?:is|was)\s+(?:not\s+found|missing|absent|not\s+(?:installed|present|there)))", re.I)
_K8S_JOB_NAMED = re.compile(r"\b(?:TFJob|PyTorchJob|MPIJob|XGBoostJob|PaddleJob|MXJob|JAXJob)s?\b|\b(?:the|my|this|that|our|its|each)\s+(?:[\w-]+\s+)?pods?\b", re.I)


def smi_missing_inside(text: str) -> re.Match[str] | None:
    """Where the writer says nvidia-smi is missing (not found) inside a container, pod or Kubernetes job, asserted; or None."""
    from whygpu.explain import grammar

    if grammar.program_line(text) or text.lstrip().startswith(">"):
        return None
    for offset, sentence in grammar.sentences(text):
        m = _SMI_MISSING.search(sentence)
        if m is None or not (_IN_CONTAINER.search(sentence) or _K8S_JOB_NAMED.search(sentence)):
            continue
        if grammar.said(text, offset + m.start(), offset + m.end(), quotes=False):
            return re.search(re.escape(m.group(0)), text)
    return None


# accnotice (session 32): nvidia-smi run inside a running container or pod from the host: `kubectl exec <pod> [-c c] --
# nvidia-smi` (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_exec/), `kubectl run ... -- nvidia-smi` (a pod
# that runs it), `docker exec [options] <container> nvidia-smi` (podman, nerdctl;
# https://docs.docker.com/reference/cli/docker/container/exec/). What nvidia-smi prints on the next lines is the
# container's view: its table says the runtime gave that container the driver's user-space and the GPU's device nodes;
# its failure or its absence is the container's, not the host's.
_EXEC = r"(?:^|[\s$#>`])(?:sudo\s+)?(?:(?:kubectl|oc|microk8s\s+kubectl|k3s\s+kubectl)\s+(?:[-\w]+\s+\S+\s+)?(?:exec|run)|(?:docker|podman|nerdctl)\s+(?:container\s+)?exec)\b"
_EXEC_SMI = re.compile(_EXEC + r"[^\n`]*?\s(?:--\s+)?(?:\S*/)?nvidia-smi(?![\w-])", re.I)
# Or a shell entered that way (`kubectl exec -it <pod> -- bash`, `docker exec -it <c> /bin/sh`) and nvidia-smi typed at its
# prompt on a following line ("# nvidia-smi", "root@pod:/# nvidia-smi").
_EXEC_SHELL = re.compile(_EXEC + r"[^\n`]*?\s(?:--\s+)?(?:\S*/)?(?:bash|sh|zsh|ash)\s*`?\s*$", re.I)
_SHELL_SMI = re.compile(r"^\s*(?:>\s*)?(?:[\w.-]+@[\w.-]+:\S*\s*)?[#$]\s*nvidia-smi(?:\s+-\w+)*\s*$")
# nvidia-smi's answer: its table's header, or its own failures (NVML's, the driver not reached, no device), or the
# command absent where it ran (the shell's, or the runtime's exec: 'exec: "nvidia-smi": executable file not found').
_SMI_TABLE = re.compile(r"\bNVIDIA-SMI\s+\d{3}\.\d+|\bDriver Version:\s*\d{3}\.\d+")
_SMI_FAILED = re.compile(r"Failed to initialize NVML|NVIDIA-SMI has failed|No devices were found|couldn't communicate with the NVIDIA driver", re.I)
_SMI_ABSENT = re.compile(r"nvidia-smi[\"']?\s*:\s*(?:command\s+not\s+found|executable file not found|not found|no such file)"
                         r"|exec\s+(?:\S*/)?nvidia-smi\b[^\n]{0,40}?(?:not found|no such file)", re.I)
_FENCE = re.compile(r"^\s*(?:```|~~~)\w*\s*$")


@dataclass(frozen=True)
class SmiInside:
    """nvidia-smi run inside a container or pod: the command's line, the answer's line (from 1), and what it says:
    "table" (it answered with the GPU), "failed" (NVML or the driver failed there), "absent" (no nvidia-smi there)."""

    command: int
    line: int
    answer: str
    text: str


def smi_run_inside(lines: list[str]) -> list[SmiInside]:
    """Each nvidia-smi run inside a container or pod from the host (``_EXEC_SMI``) with its answer on the next lines (up to
    six non-empty lines, past a code fence, until another command): what that container's nvidia-smi said."""
    out: list[SmiInside] = []
    for i, line in enumerate(lines):
        if "exec" not in line and "run" not in line:
            continue
        if (m := _EXEC_SMI.search(line)) is None:
            if (m := _EXEC_SHELL.search(line)) is None or launch_is_advice(line, m.start()):
                continue
            # The shell's own prompt running nvidia-smi within the next few lines: its answer follows that line.
            typed = next((j for j in range(i + 1, min(len(lines), i + 6)) if _SHELL_SMI.match(lines[j])), None)
            if typed is None:
                continue
            found = _answer_after(lines, typed)
            if found is not None:
                out.append(SmiInside(i + 1, found[0], found[1], found[2]))
            continue
        if launch_is_advice(line, m.start()):
            continue
        found = _answer_after(lines, i)
        if found is not None:
            out.append(SmiInside(i + 1, found[0], found[1], found[2]))
    return out


def _answer_after(lines: list[str], i: int) -> tuple[int, str, str] | None:
    """nvidia-smi's answer on the lines after line index ``i``: (line from 1, "table"/"absent"/"failed", its text), or None."""
    seen = 0
    for j in range(i + 1, min(len(lines), i + 12)):
        after = lines[j]
        if not after.strip() or _FENCE.match(after):
            continue
        seen += 1
        if _SMI_TABLE.search(after):
            return j + 1, "table", after.strip()
        if _SMI_ABSENT.search(after):
            return j + 1, "absent", after.strip()
        if _SMI_FAILED.search(after):
            return j + 1, "failed", after.strip()
        if seen >= 6 or re.match(r"^\s*(?:>\s*)?(?:[$#]|\S+@\S+[:$#])\s", after):
            return None
    return None


# accwhere (session 32): where a failing nvidia-smi ran, for nvidia-smi's "couldn't communicate with the NVIDIA driver"
# (LOG-SMI-NO-DRIVER). Inside a container the driver's user-space or device nodes were not passed in (the runtime's
# part); on the host the kernel module itself is not running, and no container on that host can be given the GPU
# (https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html lists a working driver on
# the host as the first prerequisite). The place is read from the call shown, never guessed:
# - inside: the call run through `kubectl exec`/`docker exec` (smi_run_inside), or typed at a container's own prompt
#   (its 12-hex id as host name, "root@24c96d985c30:/#", "[root@24c96d985c30 /]#": Docker's default hostname);
# - host: typed at a shell prompt before any container is started or entered in the log (`docker run`, `podman run`,
#   `kubectl exec`, `singularity exec|shell|run`, `enroot start`), or said to be the host's ("on the host nvidia-smi
#   says", "nvidia-smi on the node gives:") with no container named between those words and the failure.
_SMI_NO_DRIVER = re.compile(r"NVIDIA-SMI has failed because it couldn.{1,3}t communicate with the NVIDIA driver", re.I)
_ENTERED = re.compile(
    _EXEC + r"|(?:^|[\s$#>`])(?:sudo\s+)?(?:(?:nvidia-)?docker|podman|nerdctl)\s+(?:container\s+)?run\b"
    r"|\b(?:singularity|apptainer)\s+(?:exec|shell|run)\b|\benroot\s+start\b|\bsrun\b[^\n]*--container-image", re.I)
_PROMPT_SMI = re.compile(r"^\s*(?:\[?(?P<user>[\w.-]+)@(?P<host>[\w.-]+)[: ]?[^\n$#\]]*\]?\s*)?[$#]\s*(?:sudo\s+)?nvidia-smi(?:\s+-[\w-]+)*\s*$")
_CONTAINER_HOST = re.compile(r"^[0-9a-f]{12}$")
_SAID_HOST = re.compile(
    r"\b(?:on|in|from)\s+(?:the|my|our|this)\s+(?:host(?:\s+machine)?|node|bare[- ]metal(?:\s+machine)?)\b"
    r"|\b(?:the\s+)?(?:host|node)(?:'s)?\s+(?:own\s+)?nvidia-smi\b|\boutside\s+(?:of\s+)?(?:the|a|any)\s+(?:container|pod)s?\b",
    re.I)
_CONTAINER_BETWEEN = re.compile(r"\b(?:container|pod|docker|podman|kubectl|inside|singularity|apptainer|image)\b", re.I)


def smi_no_driver_place(lines: list[str]) -> list[tuple[int, str, str]]:
    """Each nvidia-smi "couldn't communicate with the NVIDIA driver" (its line from 1) with where the call ran: "inside"
    (a container or pod) or "host" (the machine's own); lines whose place the log does not show are left out."""
    found = [i for i, line in enumerate(lines) if "NVIDIA-SMI" in line and _SMI_NO_DRIVER.search(line)]
    if not found:
        return []
    inside = {s.line for s in smi_run_inside(lines) if s.answer == "failed"}
    entered = next((i for i, line in enumerate(lines) if (m := _ENTERED.search(line)) and not launch_is_advice(line, m.start())), None)
    out: list[tuple[int, str, str]] = []
    for i in found:
        text = lines[i].strip()
        if i + 1 in inside:
            out.append((i + 1, "inside", text))
            continue
        place = _prompt_place(lines, i, entered)
        if place is None and _said_on_host(lines, i):
            place = "host"
        if place is not None:
            out.append((i + 1, place, text))
    return out


def _prompt_place(lines: list[str], i: int, entered: int | None) -> str | None:
    """The place of the prompt that ran nvidia-smi just above line index ``i`` (within four non-empty lines): "inside"
    at a container's own prompt, "host" at a shell prompt before any container was started or entered; else None."""
    seen = 0
    for j in range(i - 1, max(-1, i - 8), -1):
        if not lines[j].strip() or _FENCE.match(lines[j]):
            continue
        m = _PROMPT_SMI.match(lines[j])
        if m is not None:
            if m.group("host") and _CONTAINER_HOST.match(m.group("host")):
                return "inside"
            return "host" if entered is None or j < entered else None
        seen += 1
        if seen >= 4:
            return None
    return None


def _said_on_host(lines: list[str], i: int) -> bool:
    """Whether the writer's words place the failing nvidia-smi on the host: the host's words on the failure's line or
    the two lines above it, nvidia-smi named with them, and nothing between them and the failure naming a container."""
    window = "\n".join(lines[max(0, i - 2):i + 1])
    fail = _SMI_NO_DRIVER.search(window)
    if fail is None:
        return False
    for m in _SAID_HOST.finditer(window[:fail.start()]):
        between = window[m.end():fail.start()]
        sentence_start = max(window.rfind(".", 0, m.start()), window.rfind("\n\n", 0, m.start()), 0)
        if "nvidia-smi" not in window[sentence_start:fail.start()].lower():
            continue
        if _CONTAINER_BETWEEN.search(between) or _QUESTION_OR_CONDITION.search(window[sentence_start:m.start()]):
            continue
        if launch_is_advice(window, m.start()):
            continue
        return True
    return False
