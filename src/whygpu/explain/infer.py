"""From matched lines to conclusions: resolves each line's cause, then reads the lines together.

Matching happens line by line while the log streams; the conclusions need the whole log (a
container banner at the top changes what a cuInit error at the bottom means), so matches are
gathered into bounded groups here and concluded once at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whygpu import lazyre as re
from whygpu.explain import where as where_ran
from whygpu.explain.catalogue import Catalogue, Signature, When
from whygpu.explain.logfacts import LogFacts, Seen, memory_in_use
from whygpu.explain.scan import LineMatch
from whygpu.explain.status import StatusReading, read_status
from whygpu.knowledge import cuda as cuda_knowledge
from whygpu.knowledge.brought import FrameworkInstall
from whygpu.knowledge.cuda_versions import (
    cudnn_major,
    parse_library_name,
    same_driver_version,
    version_tuple,
)
from whygpu.knowledge.driver_reach import DriverPlace
from whygpu.knowledge.frameworks import framework_of
from whygpu.knowledge.gpu_status import cause_in_line
from whygpu.knowledge.gpu_status import libraries as gpu_status_libraries
from whygpu.knowledge.onnxruntime import tensorrt_provider_line
from whygpu.knowledge.visibility import visible_devices_hide_all
from whygpu.model import Confidence, Finding, Severity
from whygpu.redact import redact_text

MAX_EVIDENCE = 5
MAX_TEXT = 300
# Causes that happen to a GPU in use: they do not show the GPU went unused.
IN_USE_CAUSES = frozenset({"GPU_FAULT", "GPU_BUSY", "GPU_UNDERUSED"})


# What a template says where the log did not show the value (never a bare "?").
_UNSHOWN = {
    "found": "the installed version", "built": "the version", "current": "the installed version",
    "wanted": "the version it wants", "library": "a library", "file": "a library", "stem": "the library",
    "driver_cuda": "an older CUDA", "cuda_toolkit": "another version", "driver_version": "this driver",
    "error": "an error", "loaded": "another version", "compiled": "the version it was built with",
}


class _Defaults(dict):  # type: ignore[type-arg]
    """Formatting values: a missing name reads as words saying what it stands for, rather than failing."""

    def __missing__(self, key: str) -> str:
        return _UNSHOWN.get(key, "(not shown in the log)")


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with ``{name}`` replaced from ``values`` (words, not placeholders, when unknown)."""
    try:
        return template.format_map(_Defaults(values))
    except (ValueError, IndexError, AttributeError):
        return template


def _stated_not_asked(seen: Seen[str]) -> bool:
    """accnoticed38 (session 38): the writer's words (a sighting's phrase) not in a sentence that asks ("In which case can I
    run this with another CPU only version of Torch?")."""
    from whygpu.explain import grammar

    start = seen.text.find(str(seen.value))
    if start < 0:
        return True
    _left, right = grammar.sentence_at(seen.text, start, start + len(str(seen.value)))
    return "?" not in seen.text[start:right + 1]


def _framework_names(written: str) -> set[str]:
    """The frameworks a signature's ``framework`` field names ("tensorflow, jax" -> {"tensorflow", "jax"}; "pytorch" -> torch)."""
    names = {w.strip().lower() for w in re.split(r"[,/]|\band\b", written) if w.strip()}
    return {"torch" if n == "pytorch" else n for n in names}


def evidence_line(source: str, line: int, text: str, next_text: str = "") -> str:
    """``file:line: text`` (shortened, secrets removed)."""
    shown = text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
    if next_text:
        shown += f" ⏎ {next_text[:80]}"
    return redact_text(f"{source}:{line}: {shown}")


def library_version(name: str) -> str | None:
    """The version a CUDA library's file name carries (the knowledge layer's decision)."""
    return cuda_knowledge.library_version(name)


def _cuda_status_returned(text: str) -> bool:
    """Whether ``text`` shows a CUDA runtime or driver status returned to the program (acccc): CUDA code ran there."""
    reading = read_status(text)
    return reading is not None and reading.status.library in ("runtime", "driver")


def _in_code(sig: Signature, text: str) -> bool:
    """Whether every place ``sig`` matches on ``text`` is the condition of an if/assert/while in code, or not an answer about now.

    accanswers (session 19): an answer asked about ("does torch.cuda.is_available() return False for you?"), supposed
    or advised, or of a state that is over ("returned False before the reinstall, now True") is no answer either
    (``explain.answers.said_of_now``, the one reading of an answer written in a sentence).
    """
    from whygpu.explain.answers import said_of_now
    from whygpu.explain.statements import code_condition

    found = list(sig.regex.finditer(text))
    return bool(found) and all(code_condition(text, m.start()) or not said_of_now(text, m.start(), m.end()) for m in found)


def _quoted_core(groups: dict[str, str]) -> bool:
    """acclayout (session 21): True when the signature read the line through a quote opened or closed at its core
    (``catalogue._optional_ends``: the message quoted in prose without its head or tail); the marks are dropped."""
    from whygpu.explain.catalogue import QUOTED_END, QUOTED_START

    quoted = False
    for name in (QUOTED_START, QUOTED_END):
        if groups.pop(name, None) is not None:
            quoted = True
    return quoted


def _quote_asserted(sig: Signature, text: str) -> bool:
    """Whether the sentence quoting the message asserts it happened (explain/grammar.py: not asked, supposed, advised,
    hearsay or over)."""
    from whygpu.explain import grammar

    m = sig.regex.search(text)
    return m is not None and grammar.said(text, m.start(), m.end(), quotes=False)


@dataclass
class Group:
    """All the lines one signature matched with one resolved meaning."""

    signature: Signature
    cause: str | None
    also: tuple[str, ...]
    severity: Severity
    confidence: Confidence
    title: str
    fix: str
    values: dict[str, str]
    evidence: list[str] = field(default_factory=list)
    count: int = 0
    blocks: bool = True
    extra: dict[str, str] = field(default_factory=dict)
    # accadvice40 (session 40): "source:line" of each line matched (bounded), to tell a match inside someone else's quote.
    wheres: list[str] = field(default_factory=list)


@dataclass
class Collected:
    """What the scan of every source gathered, bounded in size."""

    groups: dict[tuple[str, ...], Group] = field(default_factory=dict)
    tags: set[str] = field(default_factory=set)
    facts: dict[str, list[str]] = field(default_factory=dict)
    positive: list[str] = field(default_factory=list)
    positive_count: int = 0
    positive_frameworks: set[str] = field(default_factory=set)
    positive_notes: list[str] = field(default_factory=list)
    benign: dict[str, tuple[str, list[str], list[int]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # For each context tag, what the lines that set it showed (signature ``shows``), in order.
    shown: dict[str, list[str]] = field(default_factory=dict)
    # cuDNNs present besides one shown installed (its major, and how it is there): a framework build brings it, a file on disk.
    cudnn_present: list[tuple[str, str]] = field(default_factory=list)
    # acclib2 (session 30): the CUDA and cuDNN releases the writer's words say are there ("the cudnn is 9.3"), by library.
    said_present: dict[str, list[str]] = field(default_factory=dict)
    # acccont (session 34): where the job ran, for a driver-side answer's reading (explain/contplace.py).
    driver_place: DriverPlace | None = None
    # accbrought (session 38): what the log shows of the framework's install (explain.brought.framework_install).
    brought: FrameworkInstall | None = None


FRAMEWORK_TAGS = ("tensorflow", "pytorch", "jax")


class Collector:
    """Receives matches during the scan and keeps what the conclusions need."""

    def __init__(self, catalogue: Catalogue, facts: LogFacts | None = None) -> None:
        self.catalogue = catalogue
        self.data = Collected()
        self.source = "<text>"
        self.facts = facts if facts is not None else LogFacts()
        self._where = ("", "")
        # (framework, place, line) of the lines that are a framework's "no GPU" answer (signature ``answers``).
        self._answers: list[tuple[str, str, str]] = []

    def add_fact(self, name: str, value: str) -> None:
        values = self.data.facts.setdefault(name, [])
        if value not in values and len(values) < 10:
            values.append(value)
        # The same value as a typed log fact, with the line that showed it.
        target = {"cuda_toolkit": "cuda_installed", "driver_cuda": "driver_cuda", "driver_version": "driver_version",
                  "cuda_wanted": "cuda_wanted"}.get(name)
        if target is not None:
            self.facts.add(target, value, *self._where)

    def absorb(self, facts: LogFacts) -> None:
        """Take what the fact reader saw: versions installed and of the driver, and the build context tags."""
        self._framework_form(facts)
        self._unresolved_gpu_build(facts)
        if facts.others_words:
            # accadvice40 (session 40): a signature matched only on lines a quote's attribution gives to someone else ("@jane
            # wrote:", "the docs say:", a mail client's "On ... wrote:"; explain.pasted) is their message, not this log's.
            theirs = {s.where for s in facts.others_words}
            for key in [k for k, g in self.data.groups.items() if g.wheres and len(g.wheres) == g.count and set(g.wheres) <= theirs]:
                del self.data.groups[key]
        if facts.oom_over_device:
            # accprec (session 21): an out-of-memory whose request exceeds the GPU's whole memory is the run's own
            # demand on a GPU it used, not memory held by others (GPU_BUSY, the status table's start-up reading).
            for key in [k for k, g in self.data.groups.items() if k[0] == "LOG-GPU-STATUS" and g.cause == "GPU_BUSY"]:
                del self.data.groups[key]
        if facts.work_ran:
            # accstatus (session 24): a failed allocation (CUDA_ERROR_OUT_OF_MEMORY, CUBLAS_STATUS_ALLOC_FAILED...) in a job that
            # already ran its own work on the GPU is the job's own demand (a batch or model too large: no cause), not memory
            # taken before it started (GPU_BUSY): explain/memstart.py reads the work.
            for key in [k for k, g in self.data.groups.items() if g.values.get("memory_status") and g.cause == "GPU_BUSY"]:
                del self.data.groups[key]
        if not (facts.oom_held_elsewhere or facts.oom_memory_taken or facts.stated_memory_held or memory_in_use(facts)):
            # accneg41 (session 41): the driver's virtual-memory calls (cuMemCreate, cuMemMap, cuMemSetAccess) need a live
            # context and an address range reserved before (cuMemAddressReserve): they are an allocator growing its pool while
            # the job runs (tiny-cuda-nn's GpuMemoryArena::enlarge, PyTorch's expandable segments;
            # https://docs.nvidia.com/cuda/cuda-driver-api/group__CUDA__VA.html). Failing for memory with nothing shown holding
            # it elsewhere, it is the job's own demand outgrowing the GPU (nerfstudio-3292: a 2 GB MX130), not memory taken
            # before the job started (GPU_BUSY); with memory shown held, GPU_BUSY stays.
            for key in [k for k, g in self.data.groups.items() if g.values.get("pool_growth") and g.cause == "GPU_BUSY"]:
                del self.data.groups[key]
        if facts.card_memory and not (facts.oom_held_elsewhere or facts.oom_memory_taken or facts.stated_memory_held or memory_in_use(facts)):
            # accprec (session 31): a failed allocation on a card whose memory size the log names, and nothing shown holding that
            # memory (no other process, no count of memory taken before the job): the job's own demand on a card too small for it
            # (a model or batch larger than 1-2 GB), not memory taken by others (GPU_BUSY). Over every labelled log the 14 GPU_BUSY
            # positives with an out-of-memory line show the memory taken (nvidia-smi's process rows, free far below total).
            for key in [k for k, g in self.data.groups.items() if g.values.get("memory_status") and g.cause == "GPU_BUSY"]:
                del self.data.groups[key]
        if facts.cpu_run_section:
            self._cpu_run_only(facts)
        for framework, where, text in self._answers:
            if not facts.in_cpu_run(where):
                facts.add("gpu_answer", False, where, text, key=framework)
        for seen in facts.cuda_installed:
            self.add_fact_value("cuda_toolkit", seen.value)
        for seen in facts.cuda_library_present:
            self.add_fact_value("cuda_library_present", seen.value)  # accsoname: a CUDA library file shown on disk
        for seen in facts.cuda_image:
            # accnotpath (session 39): the nvidia/cuda image's tag, for what its flavour installs (knowledge.image_libraries); not
            # an image that only runs nvidia-smi (`docker run --gpus all nvidia/cuda:... nvidia-smi`, the container toolkit's
            # check), which is not the image the failing program runs in.
            if "nvidia-smi" not in seen.text.lower():
                self.add_fact_value("cuda_image_tag", seen.value)
        smi_lines = {s.where for s in facts.driver_cuda}
        for library in ("cuda", "cudnn"):
            # acclib2 (session 30): the releases the writer's words say are there ("the cudnn is 9.3"), for the reading of a
            # program's stated need (_required_reading); not nvidia-smi's "CUDA Version", the newest CUDA its driver runs.
            said = [s.value for s in facts.found_stated.get(library, []) if s.where not in smi_lines]
            self.data.said_present[library] = list(dict.fromkeys(said))
        for seen in facts.driver_cuda:
            self.add_fact_value("driver_cuda", seen.value)
        for seen in facts.driver_version:
            self.add_fact_value("driver_version", seen.value)
        for seen in facts.cudnn_installed:
            self.add_fact_value("cudnn_installed", seen.value)
        builds = facts.cuda_build.get("torch", [])
        if builds:
            self.data.tags.add("torch_cuda_build" if builds[0].value else "torch_cpu_build")
            self.data.shown.setdefault("torch_cuda_build" if builds[0].value else "torch_cpu_build", []).append(
                f"the log shows {'a CUDA' if builds[0].value else 'a CPU-only'} PyTorch build")
        if facts.in_container:
            self.data.tags.add("container")
        if facts.smi_no_driver_on_host():
            # accwhere (session 32): nvidia-smi failed to reach the driver on the host itself: LOG-SMI-NO-DRIVER's host row
            # ranks the host's driver first, whatever container the log names.
            self.data.tags.add("smi_no_driver_on_host")
        if facts.k8s_gpu_advertised():
            # accwhere (session 32): a node shown advertising GPUs: LOG-K8S-INSUFFICIENT-GPU's row ranks them taken first.
            self.data.tags.add("k8s_gpu_advertised")
        from whygpu.explain.contplace import driver_place
        from whygpu.explain.rules import container_without_gpu

        self.data.driver_place = driver_place(facts)  # acccont (session 34): a driver-side answer read with the place
        if container_without_gpu(facts) or (facts.capabilities_without_compute and not facts.smi_no_driver_on_host()):
            # accbroad39 (session 39): or given the GPU with driver capabilities that leave out compute, which for the CUDA
            # driver library is the same (the runtime mounts nvidia-smi and NVML, not libcuda: explain/contplace.driver_place).
            # accserve (session 28): a container, image or pod shown or named and not shown given the GPU: a driver library
            # that failed to load is ranked as the container's (knowledge/priors.toml's row for libcuda.so.1 holds the counts).
            self.data.tags.add("container_not_given_gpu")
            if facts.on_jetson():
                # acclib2 (session 30): on a Jetson the runtime also brings the CUDA libraries in (knowledge/priors.toml's
                # row for this tag holds the counts).
                self.data.tags.add("jetson_container_not_given_gpu")
        on_jetson = facts.on_jetson()
        if on_jetson:
            self.data.tags.add("jetson")  # accjet (session 31): the platform (explain's one Jetson reading)
        if on_jetson and facts.docker_run_with_gpus and not facts.docker_run_without_gpus:
            # accjet (session 31): a Jetson container shown started with the runtime (`--runtime nvidia`, a launcher that passes
            # it): the runtime mounts the host's CUDA, cuDNN and TensorRT files, so an empty one there is the host's lack.
            self.data.tags.add("jetson_container_given_gpu")
        if facts.container_named or facts.gpu_image or facts.cuda_image:
            # accxla (session 27): a container or image the log names (not shown run): what an image ships decides what the
            # toolkit holds (LOG-XLA-LIBDEVICE's reading).
            self.data.tags.add("image_named")
        if any(getattr(s.value, "subject", "") == "tool" and "ptxas" in s.text.lower() for s in facts.cc_unsupported):
            # accxla (session 27): XLA's "ptxas does not support CC X.Y": the ptxas it found is older than the GPU
            # (LOG-XLA-PTX-KERNEL-NOT-FOUND's reading).
            self.data.tags.add("ptxas_too_old")
        if any(s.value.kind == "gpu_still_used" for s in facts.jax_build_sign):
            # accjax39 (session 39): the writer says the GPU is still used despite what the log warns; beside JAX's
            # CPU-fallback warning, that warning concerns a helper that uses JAX, not the run's GPU work
            # (LOG-JAX-CPU-FALLBACK's quiet_when).
            self.data.tags.add("jax_fallback_harmless")
        if any(facts.environment.get(name) for name in ("CUDA_HOME", "CUDA_PATH")):
            self.data.tags.add("cuda_root_named")  # accxla: a CUDA root the log shows set, beside the roots XLA searches
        if "no_gpu_found" in self.data.tags and not self._cuda_line_seen(facts):
            self.data.tags.add("no_cuda_line")  # accnogpu: LOG-TF-NO-KNOWN-DEVICES's reading of a CPU-only TensorFlow
        hiding = [s for s in facts.environment.get("CUDA_VISIBLE_DEVICES", []) if visible_devices_hide_all(s.value) is not None]
        if hiding and not facts.code_sets_visible_devices:
            # acclibs (session 23): the log sets CUDA_VISIBLE_DEVICES to a value that leaves CUDA no device (empty, -1), in
            # any layout (knowledge.visibility): the no-device lines read as that variable's doing (GPU_HIDDEN).
            self.data.tags.add("cvd_hidden")
            self.data.shown.setdefault("cvd_hidden", []).append(f"CUDA_VISIBLE_DEVICES is set to '{hiding[0].value}'")
        if where_ran.ray_left_gpu_unassigned(bool(facts.ray_runs), bool(facts.ray_gpus_asked), bool(facts.ray_task_no_gpus),
                                             bool(facts.code_sets_visible_devices)):
            # accray40 (session 40): Ray runs the work and a task or actor requests no GPU (or none does): a framework's
            # no-device answer reads as Ray's assignment (CUDA_VISIBLE_DEVICES empty in that worker), GPU_HIDDEN, before
            # the driver that a CUDA build's answer alone suggests (LOG-PT-IS-AVAILABLE-FALSE's when).
            self.data.tags.add("ray_unassigned")
            self.data.shown.setdefault("ray_unassigned", []).append(facts.ray_runs[0].value)
        if facts.code_sets_visible_devices:
            # The program's own code chooses the GPUs (causes.md: CUDA_VISIBLE_DEVICES set in the
            # script is CODE_FORCES_CPU): ids that do not exist on the machine hide them all.
            self.data.tags.add("code_cvd")
            self.data.shown.setdefault("code_cvd", []).append(
                f"the script sets CUDA_VISIBLE_DEVICES to '{facts.code_sets_visible_devices[0].value}'")
        self._status_prior_tags(facts)
        if facts.stated_launch_env:
            # accenv (session 26): the program works from a shell and fails where it is started otherwise (an IDE, a
            # server's session, a service, sudo): a library that failed to load is off that place's loader path
            # (knowledge.libraries.library_failure_cause decides).
            self.data.tags.add("launch_env")
            self.data.facts.setdefault("launch_env", []).append(facts.stated_launch_env[0].value)
        elif facts.launch_var_dropped and facts.launch_cuda_named and not facts.launch_other_interpreter:
            # accshellenv (session 36): a launcher said not to get a loader variable, in a log that names CUDA: a library that
            # failed to load is off that launcher's path as under the contrast above (knowledge.launchers.launch_env_cause).
            from whygpu.knowledge.launchers import launch_env_cause

            if launch_env_cause(None, facts.launch_var_dropped[0].value, cuda_named=True, other_interpreter=False) is not None:
                self.data.tags.add("launch_env")
        if facts.sudo_program_run and facts.loader_path_set:
            # acclibpath (session 35): a program started under sudo where the log shows the user's LD_LIBRARY_PATH set: sudo
            # drops that variable (knowledge.libraries.library_failure_cause decides, after the versions shown).
            self.data.tags.add("sudo_env_reset")
            self.data.shown.setdefault("sudo_env_reset", []).append(f"the log starts {facts.sudo_program_run[0].value} under sudo")
        if facts.stated_cuda_absent:
            # acclibs (session 29): the writer says no CUDA toolkit or libraries are installed: a CUDA library that failed to
            # load, with no CUDA shown installed, is missing (knowledge.libraries.library_failure_cause decides).
            self.data.tags.add("cuda_absent_said")
            self.data.shown.setdefault("cuda_absent_said", []).append(f"the log says {facts.stated_cuda_absent[0].value!r}")
        if facts.stated_library_present and not facts.stated_cuda_absent:
            # acconpath (session 38): the writer says the library the program cannot find is there all the same: a library that
            # failed to load, with no version shown that decides, is off the loader's path (knowledge.libraries decides).
            self.data.tags.add("library_present_said")
            self.data.shown.setdefault("library_present_said", []).append(f"the log says {facts.stated_library_present[0].value!r}")
            self.data.facts.setdefault("library_present_said", []).append(facts.stated_library_present[0].value)
        from whygpu.explain.cudashown import nothing_shown

        if (facts.library_failed or facts.load_failed) and nothing_shown(facts):
            # accsoname (session 34): nothing in the log shows any CUDA installed (knowledge/priors.toml's cuda_none_shown row).
            self.data.tags.add("cuda_none_shown")
        # acchw (session 22): a driver the log shows older than the GPU it names (knowledge.target.driver_supports_gpu):
        # the signatures whose reading that explains (nvidia-smi's "couldn't communicate") read it as that driver's.
        from whygpu.explain.hwrules import driver_below_gpu

        if driver_below_gpu(facts) is not None:
            self.data.tags.add("driver_older_than_gpu")
        if facts.cuda_packages_mixed:
            self.data.tags.add("cuda_majors_mixed")  # one listing holds two CUDA majors (knowledge.cuda.cuda_packages_mixed)
        if facts.platform_name() == "colab":
            self.data.facts.setdefault("managed_cuda_image", ["colab"])
            self.data.tags.add("colab")
        if facts.platform_name() in ("wsl", "wsl2"):
            self.data.tags.add("wsl")
        if facts.platform_name() == "windows":
            self.data.tags.add("windows_native")  # accxla: native Windows (its CUDA installer puts nvvm under Program Files)
        self._cudnn_present(facts)
        self._pip_cuda_wheels(facts)
        from whygpu.explain.brought import framework_install  # accbrought (session 38)

        self.data.brought = framework_install(facts, self.data.tags)
        if facts.tf_and_cuda:
            self.data.tags.add("tf_and_cuda")  # acc8a: pip's CUDA wheels of TensorFlow's [and-cuda] extra
        if facts.cupy_installed:
            # acccpu (session 34): a CuPy built for CUDA shown installed: thinc's "GPU is not accessible" is that CuPy failing
            # to reach the GPU, not spaCy installed without it (explain.cupyshown; the signature's override).
            self.data.tags.add("cupy_installed")
        for seen in facts.versions.get("tensorflow", [])[:1]:
            from whygpu.knowledge.tensorflow import tensorflow_build

            if facts.nvidia_tensorflow():
                continue  # NVIDIA's own builds follow their container releases, not Google's table
            build = tensorflow_build(seen.value, "windows" if facts.platform_name() == "windows" else "linux")
            if build is not None and build.gpu and build.cuda:
                self.add_fact_value("tf_build_cuda", build.cuda)

    def _unresolved_gpu_build(self, facts: LogFacts) -> None:
        """accnoticed38 (session 38): pip found no distribution of a framework's GPU build, in a log that shows the framework
        running without the GPU: the tag ``gpu_build_unresolved_cpu_run`` for the resolution signatures' override, as
        ``knowledge.cpu_packages.unresolved_gpu_build_cause`` decides."""
        from whygpu.knowledge.cpu_packages import asks_gpu_build, unresolved_gpu_build_cause

        unresolved = [g for g in self.data.groups.values() if g.signature.cause == "FRAMEWORK_INSTALL_BROKEN" and g.values.get("package")]
        if not unresolved:
            return
        if facts.gpu_seen():
            return  # a framework found the GPU: the run without it is not shown
        cpu_run = (any(_stated_not_asked(s) for s in (*facts.stated_cpu_build, *facts.stated_unused)) or bool(facts.cpu_notice)
                   or any(s.value is False for seen in facts.gpu_answer.values() for s in seen))
        index_asked = bool(facts.torch_index) and any("cu" in s.value for s in facts.torch_index)
        for group in unresolved:
            asked = index_asked or any(asks_gpu_build(group.values["package"], line) for line in group.evidence)
            if unresolved_gpu_build_cause(gpu_asked=asked, cpu_run_shown=cpu_run) is not None:
                self.data.tags.add("gpu_build_unresolved_cpu_run")
                self.data.shown.setdefault("gpu_build_unresolved_cpu_run", []).append("the framework then ran without the GPU")
                return

    def _framework_form(self, facts: LogFacts) -> None:
        """accnoticed38 (session 38): a message several frameworks print (a signature whose ``framework`` names more than one,
        TensorFlow's and JAX's "DNN library initialization failed") is read, in a log whose one framework is another
        signature's own for the same message (one whose ``form_of`` names it, of that framework alone: JAX's XlaRuntimeError form),
        as that framework's: its title, fix, deciding check and causes name the framework the log shows, not the other one.
        A log that names both of the message's frameworks, or neither, keeps the shared reading (others, PyTorch beside JAX,
        do not print the message and do not count)."""
        from whygpu.explain.logfacts import FRAMEWORKS

        shown = set(facts.frameworks_shown()) | {fw for fw in FRAMEWORKS if facts.mentioned.get(fw)}
        if not shown:
            return
        for key, group in list(self.data.groups.items()):
            sig = group.signature
            names = _framework_names(sig.framework)
            if group.values.get("status_read") or len(names) < 2 or len(names & shown) != 1:
                continue
            framework = next(iter(names & shown))
            own = next((s for s in self.catalogue.signatures if sig.id in s.form_of and _framework_names(s.framework) == {framework}), None)
            if own is None or own.kind != sig.kind or own.resolve:
                continue
            del self.data.groups[key]
            new_key: tuple[str, ...] = (own.id, own.cause or group.cause or "", *key[2:])
            if new_key in self.data.groups:
                kept = self.data.groups[new_key]
                kept.count += group.count
                kept.evidence.extend(group.evidence[: max(0, MAX_EVIDENCE - len(kept.evidence))])
                continue
            self.data.groups[new_key] = Group(signature=own, cause=own.cause or group.cause, also=own.also, severity=own.severity,
                                              confidence=own.confidence, title=own.title, fix=own.fix, values=group.values,
                                              blocks=group.blocks, count=group.count, evidence=group.evidence, extra=group.extra)

    def compile_fallback(self, heads: list[str]) -> None:
        """accfallback (session 37): a compiler error quoted by the program's own notice that it fell back to another compiler
        and went on (XLA's "We fallback to the NVIDIA driver for some compilation ... ptxas fatal: Value 'sm_86' is not
        defined") is the reason for that fallback on a GPU in use, not a cause, unless the log shows the run stopped or the
        writer says it is slow (knowledge.compile_fallback.harmless decides; it reads the heads only where such a group is)."""
        from whygpu.knowledge import compile_fallback

        names = compile_fallback.demoted()
        keys = [k for k, g in self.data.groups.items() if g.signature.id in names]
        if not keys or not compile_fallback.harmless([line for head in heads for line in head.splitlines()]):
            return
        for key in keys:
            group = self.data.groups.pop(key)
            for evidence in group.evidence:
                self._benign(f"{group.signature.id}:fallback", "harmless for using the GPU: the program says it compiled with the "
                             "NVIDIA driver instead of this ptxas and went on; only the first compile of each kernel is slower",
                             evidence)

    def _cuda_line_seen(self, facts: LogFacts) -> bool:
        """accnogpu (session 23): whether any line shows a program loading (or failing to load) a CUDA library, calling CUDA, or
        finding a GPU: what a CUDA build of a framework prints before it runs anything (a CPU-only build prints none of it)."""
        if (facts.library_loaded or facts.library_failed or facts.load_failed or facts.cuda_called or facts.driver_library_version
                or facts.driver_kernel_version or facts.build_cuda or facts.compute_capability or facts.gpu_seen()):
            return True
        if any(s.value is True for values in facts.cuda_build.values() for s in values):
            return True
        return bool(self.data.tags & {"gpu_detected", "libs_loaded", "xla_gpu", "cuinit_failed", "tf_libs_missing", "no_driver", "driver_failed", "smi_ok", "smi_failed"})

    def _cpu_run_only(self, facts: LogFacts) -> None:
        """accounter (session 23): a no-GPU message whose every line lies in the CPU run of a CPU/GPU comparison (explain.works.
        cpu_sections) is that run doing what it was made to do: harmless there, not a cause."""
        for key, group in list(self.data.groups.items()):
            if group.cause is None or not group.evidence or group.count > len(group.evidence):
                continue
            wheres = [re.match(r"(.*?:\d+): ", line) for line in group.evidence]
            if all(w is not None and facts.in_cpu_run(w.group(1)) for w in wheres):
                del self.data.groups[key]
                for line in group.evidence:
                    self._benign(f"{group.signature.id}:cpu-run", "printed by the CPU run of a CPU/GPU comparison", line)

    def _status_prior_tags(self, facts: LogFacts) -> None:
        """accrank3 (session 20): the facts that decide a status answer's reading instead of its base rate
        (knowledge/priors.toml ``[[status_prior]]`` ``decided_by``): CUDA_VISIBLE_DEVICES set anywhere the log shows
        (the variable that hides devices that are there), a GPU model or driver of the machine named (the device
        is there), and two different driver versions shown (a driver changed)."""
        if facts.environment.get("CUDA_VISIBLE_DEVICES") or facts.code_selects_gpu:
            self.data.tags.add("cvd_set")
        if (facts.gpu_model or facts.driver_version or facts.compute_capability or _cloud_gpu_named(facts)
                or (self.data.driver_place is not None and self.data.driver_place.gpu == "present")):
            # accnodriver (session 36): also an NVIDIA GPU the presence decision finds shown (lspci's NVIDIA row, the kernel
            # module's fields, a driver stated: knowledge.gpu_presence).
            self.data.tags.add("machine_gpu_named")
        for seen in facts.jaxlib_cuda_unfound[:1]:
            # accplat (session 29): pip found no pinned CUDA jaxlib: the platform has none (FRAMEWORK_CPU_BUILD, the
            # signature's own reading) or the index given does not serve it (knowledge.jax.cuda_jaxlib_not_found).
            from whygpu.knowledge.jax import cuda_jaxlib_not_found

            offered = next((s.value[1] for s in facts.jaxlib_cuda_unfound if s.value[1]), None)
            if cuda_jaxlib_not_found(seen.value[0], offered, _jax_platform(facts)) == "FRAMEWORK_INSTALL_BROKEN":
                self.data.tags.add("cuda_jaxlib_index")
        drivers = [s.value for s in facts.driver_version]
        if any(same_driver_version(a, b) is False for a in drivers[:1] for b in drivers[1:]):
            self.data.tags.add("driver_versions_differ")  # a driver changed: what a mismatch follows
        if _gpu_outside_driver_cuda(facts):
            self.data.tags.add("gpu_outside_driver_cuda")
        if facts.resumed_said:
            self.data.tags.add("resumed")  # accwords (session 28): a suspend/resume named, what breaks the UVM module's state

    def _cudnn_present(self, facts: LogFacts) -> None:
        """The cuDNNs the log shows present besides one installed: the one a PyTorch CUDA build brings, and cuDNN files listed on disk."""
        from whygpu.knowledge.torch import torch_bundled_cudnn_major

        for version, cuda in zip(facts.versions.get("torch", [])[:1], facts.build_cuda.get("torch", [])[:1], strict=False):
            major = torch_bundled_cudnn_major(version.value, cuda.value)
            if major is not None:
                self.data.cudnn_present.append((major, f"PyTorch {version.value} brings it"))
        for name in facts.library_files:
            parsed = parse_library_name(name)
            if parsed.stem.lower().removeprefix("lib").startswith("cudnn") and parsed.version:
                self.data.cudnn_present.append((cudnn_major(parsed.version), f"{name} is on disk"))

    def _pip_cuda_wheels(self, facts: LogFacts) -> None:
        """accrank2: pip's CUDA and cuDNN wheels as what is installed, where the framework loads them (``knowledge.ruleouts``).

        Beside a framework that loads them (TensorFlow from 2.14, PyTorch, JAX) a wheel's version is the CUDA or cuDNN it
        runs with; beside one that does not (TensorFlow before 2.14) it says nothing about the libraries that framework
        loads and is not read; with no framework shown, a cuDNN wheel is a cuDNN on disk.
        """
        from whygpu.explain.ruleout import pip_wheels_loaded

        if not facts.pip_cuda_wheels:
            return
        loaded = pip_wheels_loaded(facts)
        # The cuDNN majors the failing lines ask for ("libcudnn.so.8", "cudnn64_8.dll").
        wanted = {cudnn_major(v) for f in facts.library_failed
                  if f.value.lower().removeprefix("lib").startswith("cudnn") and (v := library_version(f.value))}
        for seen in facts.pip_cuda_wheels.get("cudnn", [])[:1]:
            if loaded:
                facts.add("cudnn_installed", seen.value, seen.where, seen.text)
                self.add_fact_value("cudnn_installed", seen.value)
            elif loaded is None or cudnn_major(seen.value) in wanted:
                # On disk, off the loader's path of a framework that does not look for it: it tells a library off the
                # path only where it is the major the build asks for.
                how = "pip's nvidia-cudnn wheel is installed" + (", which this TensorFlow does not load by itself" if loaded is False else "")
                self.data.cudnn_present.append((cudnn_major(seen.value), how))
        for seen in facts.pip_cuda_wheels.get("cuda-runtime", [])[:1]:
            release = ".".join(seen.value.split(".")[:2])
            if loaded and not facts.cuda_installed:
                facts.add("cuda_installed", release, seen.where, seen.text)
                self.add_fact_value("cuda_toolkit", release)

    def add_fact_value(self, name: str, value: str) -> None:
        """A fact value for the signatures' templates, without a log place."""
        values = self.data.facts.setdefault(name, [])
        if value not in values and len(values) < 10:
            values.append(value)

    def __call__(self, match: LineMatch) -> None:
        sig = match.signature
        if sig.not_in_code and _in_code(sig, match.text):
            return  # "if torch.cuda.is_available() is False:" is a condition in code, not an answer
        groups = dict(match.groups)
        if _quoted_core(groups) and not _quote_asserted(sig, match.text):
            return  # acclayout: a message's core quoted in a question, a condition or advice is not what happened
        for name, value in list(groups.items()):
            if name.endswith("_code"):
                converted = cuda_knowledge.cuda_from_driver_code(value)
                if converted:
                    groups[name[: -len("_code")]] = converted
        evidence = evidence_line(self.source, match.line, match.shown or match.text, match.next_text)
        self._where = (f"{self.source}:{match.line}", match.text)
        self.data.tags.update(sig.tags)
        if sig.shows:
            for tag in sig.tags:
                phrases = self.data.shown.setdefault(tag, [])
                if sig.shows not in phrases and len(phrases) < 3:
                    phrases.append(sig.shows)
        for name in ("cuda_toolkit", "driver_cuda", "driver_version", "gpu_cc"):
            if name in groups:
                self.add_fact(name, groups[name])
        if sig.kind == "context":
            if sig.answers is not None and all(a[0] != sig.answers for a in self._answers):
                # The program's own line that its work runs on the CPU: that framework's answer that it has no GPU
                # (added after the fact reader's own answers, which say more when a log has both: ``absorb``).
                self._answers.append((sig.answers, *self._where))
            if "library" in groups and "libs_loaded" in sig.tags:
                loaded = re.split(r"[\\/]", groups["library"])[-1]
                self.facts.add("library_loaded", loaded, *self._where)
                if re.match(r"(?:libcuda\.so|nvcuda\.dll)", loaded, re.I):
                    # acclibs (session 23): the driver's user-space library loaded: what a missing device node is read against.
                    self.data.tags.add("libcuda_loaded")
                    self.data.shown.setdefault("libcuda_loaded", []).append(f"the driver's {loaded} loaded")
                version = library_version(loaded)
                if version and re.match(r"(?:lib)?cudart", loaded, re.I):
                    # The CUDA runtime a build loads names the CUDA release it was built for.
                    self.add_fact("cuda_wanted", version)
            return
        if sig.kind == "benign":
            self._benign(sig.id, sig.why, evidence, match.repeats)
            return
        if sig.kind == "positive":
            self.data.positive_count += 1
            if len(self.data.positive) < MAX_EVIDENCE:
                self.data.positive.append(evidence)
            self.data.positive_frameworks.update(t for t in sig.tags if t in FRAMEWORK_TAGS)
            if sig.note and sig.note not in self.data.positive_notes:
                self.data.positive_notes.append(sig.note)
            return
        self._failure(sig, groups, evidence)

    def _benign(self, key: str, why: str, evidence: str, repeats: int = 1) -> None:
        _, lines, count = self.data.benign.setdefault(key, (why, [], [0]))
        count[0] += repeats
        if len(lines) < 3:
            lines.append(evidence)

    def _failure(self, sig: Signature, groups: dict[str, str], evidence: str) -> None:
        cause = sig.cause
        also = sig.also
        severity = sig.severity
        confidence = sig.confidence
        title = sig.title
        fix = sig.fix
        blocks = sig.blocks_gpu
        key_extra = ""
        if sig.resolve == "library":
            library = _whole_library_name(groups.get("library", ""), evidence)
            groups["library"] = library
            if library.startswith("-l"):
                # accfiles (session 26): the linker's -lNAME is the development link libNAME.so (ld's "cannot find -lcuda").
                library = groups["library"] = f"lib{library[2:]}.so"
            rule = self.catalogue.library_rule(library)
            groups["file"] = re.split(r"[\\/]", library)[-1] or library
            groups["stem"] = cuda_knowledge.library_stem(library)
            self.facts.add("library_failed", groups["file"], *self._where)
            if rule is not None and rule.benign_at(self._where[1]) \
                    and not (rule.kind == "tensorrt" and tensorrt_provider_line(self._where[1])):
                # (accfall, session 31: TensorRT's library is optional for TensorFlow's TF-TRT, not for ONNX Runtime's
                # TensorRT provider, whose line names it: knowledge.onnxruntime.tensorrt_provider_line. accnoticed39,
                # session 39: nor for any loader but TensorFlow's, the row's benign_loader.)
                self._benign(f"{sig.id}:{rule.kind}", rule.benign, evidence)
                return
            if rule is not None:
                cause = rule.cause or cause
                also = rule.also
                severity = rule.severity
                blocks = severity is Severity.ERROR
                version = library_version(library)
                # cudart and cuBLAS name the CUDA release in their sonames; cuFFT, cuRAND... carry their own versions.
                if version and rule.kind == "cuda" and re.search(r"cudart|cublas", library, re.I):
                    self.add_fact("cuda_wanted", version)
                    groups["wanted"] = version
                if version and rule.kind == "cudnn":
                    groups["wanted"] = version
            key_extra = library
        elif sig.resolve in ("cuda_error", "status"):
            if sig.resolve == "status":
                reading = read_status(self._where[1])
                resolved = self._status_cause(reading, groups) if reading is not None else None
                groups["error"] = ""
            else:
                resolved = self._cuda_error(sig, groups)
            if resolved is None:
                return
            cause, also, title_text = resolved
            groups["error"] = groups.get("error", "").strip() or title_text
            # accrank2: a CUDA call returned this status, so the program ran CUDA code (explain.ruleout).
            self.facts.add("cuda_called", groups["error"], *self._where)
            key_extra = groups.get("error", "")
        elif _cuda_status_returned(self._where[1]):
            # acccc (session 21): a signature's own line that is a CUDA runtime or driver status returned to the program
            # ("CUDA error: no kernel image is available for execution on the device") shows CUDA code ran, as above.
            self.facts.add("cuda_called", sig.id, *self._where)
        if cause is None:
            cause = "CUDA_LIBS_MISSING"
        key = (sig.id, cause, key_extra)
        group = self.data.groups.get(key)
        if group is None:
            group = Group(
                signature=sig,
                cause=cause,
                also=also,
                severity=severity,
                confidence=confidence,
                title=title,
                fix=fix,
                values=groups,
                blocks=blocks and cause not in IN_USE_CAUSES,
            )
            self.data.groups[key] = group
        group.count += 1
        if len(group.wheres) < 50:
            group.wheres.append(self._where[0])
        if len(group.evidence) < MAX_EVIDENCE:
            group.evidence.append(evidence)

    def _cuda_error(self, sig: Signature, groups: dict[str, str]) -> tuple[str, tuple[str, ...], str] | None:
        """The cause a status code's name, text or number in the line's ``error``/``number`` groups points to (knowledge/gpu_status.toml)."""
        text = groups.get("error", "").strip()
        reading = read_status(text, number=groups.get("number"), api=sig.api)
        if reading is None and text.isdigit():
            # accstatus: a number alone after the signature's words ("CUDA error: 100"): the whole line names its library.
            reading = read_status(self._where[1])
        # accmisc (session 27): a code that means nothing alone may mean something on this line ([[qualifier]] rows).
        if reading is None or (reading.status.cause is None and cause_in_line(reading.status, self._where[1])[0] is None):
            if sig.generic:
                # An error with no known meaning, or one that means nothing for using the GPU (a
                # programming error, an out-of-memory), is not a GPU-use cause.
                return None
            # The call that failed says it (cuInit, cudaGetDeviceCount at start-up): the code only
            # says how, and a code about nothing in particular leaves the signature's own reading.
            return (sig.cause or "GPU_FAULT", sig.also, text)
        return self._status_cause(reading, groups)

    def _status_cause(self, reading: StatusReading, groups: dict[str, str]) -> tuple[str, tuple[str, ...], str] | None:
        """The cause a status reading points to, with its label in ``groups`` for the templates; None for a code that means nothing for using the GPU."""
        status = reading.status
        cause, also = cause_in_line(status, self._where[1])
        if cause is None:
            return None
        groups["library"] = gpu_status_libraries()[status.library].title
        # The status the line was read as (its name and text), for the base-rate ranking (_status_ranked): one reading
        # whichever form printed it ("CUDA error: 100", "CUDA error 100", "cudaErrorNoDevice").
        groups["status_read"] = status.label
        if status.memory:
            # accstatus: an allocation of GPU memory failed; absorb() drops it where the job already ran its own work.
            groups["memory_status"] = status.name
            if _POOL_GROWTH.search(self._where[1]):
                groups["pool_growth"] = status.name
        return cause, also, status.label


# accneg41: the driver API's calls that map physical memory into a range an allocator reserved before (its pool growing).
_POOL_GROWTH = re.compile(r"\bcuMem(?:Create|Map|SetAccess)\b")


def _cloud_gpu_named(facts: LogFacts) -> bool:
    """accplat (session 29): the machine named by a cloud machine that carries an NVIDIA GPU (an EC2 type of a GPU family,
    a Google Cloud GPU machine or accelerator: explain.platfacts; an Azure VM size with an NVIDIA GPU, knowledge/azure.toml),
    or a data-centre GPU the writer says it has: the GPU is there, so a no-device answer is not read as no GPU first."""
    if facts.cloud_gpu_machine:
        return True
    from whygpu.knowledge.azure import azure_vm_size

    return any((size := azure_vm_size(s.value)) is not None and size.gpu_vendor == "nvidia" for s in facts.vm_size)


def _jax_platform(facts: LogFacts) -> str | None:
    """The platform for knowledge.jax's reading of a pinned CUDA jaxlib not found: the log's, or Linux inside a container
    image (a Dockerfile's RUN, an image named): JAX's images and CUDA wheels are Linux's."""
    name = facts.platform_name()
    if name is None and facts.container_named:
        return "linux"
    return name


def _gpu_outside_driver_cuda(facts: LogFacts) -> bool:
    """accunsup (session 26): whether the GPU the log names lies outside the CUDA major the driver it shows runs (nvidia-smi's
    "CUDA Version", else the newest CUDA of the driver's version), judged by knowledge.target.gpu_outside_builds."""
    if not (facts.driver_cuda or facts.driver_version) or not (facts.compute_capability or facts.gpu_model):
        return False
    from whygpu.knowledge.cuda import max_cuda_for_driver
    from whygpu.knowledge.gpus import gpu_in_text
    from whygpu.knowledge.target import BuildSpec, gpu_outside_builds

    cuda = facts.driver_cuda[0].value if facts.driver_cuda else max_cuda_for_driver(facts.driver_version[0].value)
    if facts.compute_capability:
        cc: str | None = facts.compute_capability[0].value
    else:
        model = next((m for s in facts.gpu_model if (m := gpu_in_text(s.value)) is not None and m.compute_capability), None)
        cc = model.compute_capability if model is not None else None
    if not cuda or not cc:
        return False
    return gpu_outside_builds(cc, [BuildSpec("driver", "the driver's CUDA", "", cuda)]).runs is False


def _apply_when(group: Group, tags: set[str]) -> tuple[str, Confidence, str, str, tuple[str, ...], str | None]:
    """The group's cause, confidence, title, fix and alternatives after the context overrides, and the context used."""
    cause = group.cause or "CUDA_LIBS_MISSING"
    confidence, title, fix, also = group.confidence, group.title, group.fix, group.also
    when: When | None = next((w for w in group.signature.when if set(w.context.split("+")) <= tags), None)
    # A resolved line (library, CUDA error) keeps its own meaning unless the override is about
    # the "no GPU visible" family it shares.
    if when is not None and group.signature.resolve and cause not in ("GPU_HIDDEN", "NO_GPU", "CONTAINER_NO_GPU", "DRIVER_MISSING"):
        when = None
    if when is not None:
        if when.cause is not None and when.cause != cause:
            also = _listed_before(also, cause)
            cause = when.cause
        confidence = when.confidence or confidence
        title = when.title or title
        fix = when.fix or fix
        if when.also is not None:
            also = when.also
    also = tuple(a for a in also if a != cause)
    return cause, confidence, title, fix, also, when.context if when is not None else None


def _status_ranked(group: Group, cause: str, also: tuple[str, ...], tags: frozenset[str]) -> tuple[str, tuple[str, ...]]:
    """accrank3 (session 20): a GPU library's status answer (CUDA's "no device"...) ranked by its base rate
    (``knowledge.priors.status_prior``) where no context of the log decided its reading; else as it was."""
    from whygpu.knowledge.priors import status_prior

    if not group.signature.resolve:
        return cause, also
    for line in group.evidence[:1]:
        # The evidence line is shortened for display; the status the line resolved to is read whole as well, by the name
        # and text the status table gave it (accfacts, session 25: PyTorch's "CUDA error: 100" names only the number, and
        # ranked as its signature's order while "CUDA error 100" ranked by the prior: one status, one ranking).
        resolved = f"{group.values.get('error', '')} {group.values.get('status_read', '')}"
        ranked = status_prior(f"{line.split(': ', 1)[-1]} {resolved}", cause, also, tags)
        if ranked is not None:
            return ranked
    return cause, also


@dataclass
class _Draft:
    """A group's conclusion before its text is filled in; drafts of one signature and cause merge."""

    signature: Signature
    cause: str
    severity: Severity
    confidence: Confidence
    title: str
    fix: str
    also: tuple[str, ...]
    values: list[dict[str, str]]
    evidence: list[str]
    count: int
    blocks: bool
    # True when the fix is the signature's own text, which only says what failed.
    own_fix: bool
    # True when another line's context changed what this one means (it is then no longer generic).
    contextual: bool = False


def _join(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``, ``a, b, c and 2 more``."""
    if len(words) <= 1:
        return "".join(words)
    if len(words) <= 3:
        return ", ".join(words[:-1]) + " and " + words[-1]
    return ", ".join(words[:3]) + f" and {len(words) - 3} more"


def _title_values(draft: _Draft) -> dict[str, str]:
    """The first line's values, with every value that differs between the merged lines listed."""
    values = dict(draft.values[0])
    for name in values:
        seen = list(dict.fromkeys(v[name] for v in draft.values if name in v))
        if len(seen) > 1:
            values[name] = _join(seen)
    return values


@dataclass(frozen=True)
class MatchedMessage:
    """A typed fact of a log: the lines one failure signature matched, read together into one meaning.

    The scanner finds the lines; the collector resolves each line's cause (the library or CUDA
    error it names); ``conclude`` reads the lines against the rest of the log (context overrides,
    the versions shown installed, base rates).  The signature's own rule
    (``explain.rules.signature_rules``, run by the one runner) turns it into findings.
    """

    # The signature (and rule code) that matched.
    signature: str
    cause: str
    severity: Severity
    confidence: Confidence
    # The title with the lines' values filled in.
    title: str
    # ``file:line: text`` of the first lines, then "... and N more" when there were more.
    evidence: tuple[str, ...]
    lines: int
    # The framework the signature is about (free text, as ``Finding.scope``).
    scope: str
    blocks_gpu: bool
    generic: bool
    # The causes the lines leave open, likeliest first (none for an informational reading).
    alternatives: tuple[str, ...]
    # The reading's own fix with the values filled in ("" when it has none).
    fix: str
    # True when the cause's fix builder must say what to do (the own fix, if any, only says what failed).
    needs_cause_fix: bool
    # The framework (``torch``, ``tensorflow``, ``jax``) and the versions the cause's fix is built for:
    # the CUDA the build wants, the installed CUDA release that holds a library off the loader's path,
    # the cuDNN the build wants and the one installed.
    framework: str | None
    wanted_cuda: str | None
    # What tells the alternatives apart ("" when nothing is left open or the signature does not say).
    decide: str
    # The signature's public source.
    source: str
    holding_cuda: str | None = None
    wanted_cudnn: str | None = None
    installed_cudnn: str | None = None
    # accadvice40 (session 40): "branch|CUDA" (the GPU's last driver branch, the runtime's CUDA) where a driver-side answer was read as the GPU
    # past NVIDIA's current drivers (knowledge.driver_reach's beyond_gpu reading): the cause's fix builder names both.
    gpu_limit: str | None = None
    # The installed CUDA release a reading compared the library with (the fix is for it), where it decided.
    installed_cuda: str | None = None


def conclude(collected: Collected) -> list[MatchedMessage]:
    """Every reading the collected lines support: one matched-message fact per signature and meaning, in first-seen order."""
    drafts: dict[tuple[object, ...], _Draft] = {}
    tags = collected.tags
    facts = collected.facts
    # The causes the failing lines point to before any reading: a CUDA library failing beside cuDNN reads differently.
    failed = frozenset(g.cause for g in collected.groups.values() if g.cause and g.blocks)
    # The cuDNN major a failing line's library name asks for: a line of the same failure that names no
    # library ("Invalid handle. Cannot load symbol cudnnCreate...") is read against the same want.
    cudnn_wanted = next((g.values["wanted"] for g in collected.groups.values()
                         if g.values.get("wanted") and "cudnn" in g.values.get("file", "").lower()), None)
    for group in collected.groups.values():
        sig = group.signature
        if tags.intersection(sig.quiet_when):
            continue  # another line shows the same program reached the GPU
        cause, confidence, title, fix, also, context = _apply_when(group, tags)
        if context is None:
            cause, also = _status_ranked(group, cause, also, frozenset(tags))
            # acccont (session 34): a driver-side answer (libcuda not loadable, the runtime's "insufficient") judged with where
            # the job ran: inside a container not given the GPU, the container's (knowledge.driver_reach).
            from whygpu.explain.contplace import reach_ranked

            cause, also, confidence = reach_ranked(sig.id, group.values.get("status_read", ""), cause, also, confidence,
                                                   collected.driver_place)
        values = dict(group.values)
        where = collected.driver_place
        if context is None and cause == "GPU_NOT_SUPPORTED" and where is not None and where.gpu_last_branch and where.runtime_cuda:
            from whygpu.explain.contplace import reading_for

            reading = reading_for(where, signature=sig.id, status=group.values.get("status_read", ""))
            if reading is not None and reading.opens and reading.ranking[0] == "GPU_NOT_SUPPORTED":
                # accadvice40 (session 40): the GPU past its last driver branch: the cause's fix builder says which branch and
                # which CUDA still runs on it, in place of the status line's generic advice.
                values["_gpu_limit"] = f"{where.gpu_last_branch}|{where.runtime_cuda}"
                fix = ""
        for name, vals in facts.items():
            values.setdefault(name, vals[0])
        if context is not None:
            # An override's title says what the lines that set its context showed, and no more.
            shown = [p for tag in context.split("+") for p in collected.shown.get(tag, ())]
            values["shown"] = " and ".join(dict.fromkeys(shown)) or "another line agrees"
        severity = group.severity
        cause, confidence, title, fix, also = _versions(group, values, facts, cause, confidence, title, fix, also, failed - {cause},
                                                        frozenset(tags), tuple(collected.cudnn_present), cudnn_wanted,
                                                        collected.said_present, collected.brought)
        also = tuple(a for a in also if a != cause)
        # accnodriver (session 36): NO_GPU against DRIVER_MISSING and CONTAINER_NO_GPU, by the machine's NVIDIA GPU the log
        # shows (knowledge.gpu_presence), whichever reading above left them open.
        from whygpu.explain.contplace import presence_ranked, presence_unknown_check

        cause, also, confidence = presence_ranked(cause, also, confidence, collected.driver_place)
        if (unsure := presence_unknown_check(cause, also, collected.driver_place, f"{sig.decide} {fix}")) is not None:
            values["_presence_decide"] = unsure  # nothing decides the three: the check that would ends the decide text
        if sig.local and collected.positive_frameworks - set(sig.tags):
            used = ", ".join(sorted(collected.positive_frameworks))
            severity = Severity.INFO
            title = f"{fill(title, values)} ({used} used the GPU; this only matters if you use {sig.framework})"
        # Lines of one signature that mean the same (five libraries TensorFlow could not load) make
        # one finding that names them all, not five that say the same in slightly different words.
        key = (sig.id, cause, severity, confidence, title, fix, also, group.blocks, _found(values))
        draft = drafts.get(key)
        if draft is None:
            drafts[key] = _Draft(sig, cause, severity, confidence, title, fix, also, [values], list(group.evidence),
                                 group.count, group.blocks, bool(sig.resolve) and fix == group.fix, context is not None)
            continue
        draft.values.append(values)
        draft.evidence.extend(group.evidence[: max(0, MAX_EVIDENCE - len(draft.evidence))])
        draft.count += group.count
    return [_message_of(draft) for draft in drafts.values()]


def _message_of(draft: _Draft) -> MatchedMessage:
    """The matched-message fact a draft makes: its text filled in, and what the cause's fix is built for."""
    sig, cause, severity = draft.signature, draft.cause, draft.severity
    # Prose names every merged line's value; commands (``decide``) keep the first line's.
    values = draft.values[0]
    listed = _title_values(draft)
    fix_text = fill(draft.fix, listed)
    more = draft.count - len(draft.evidence)
    evidence = list(draft.evidence)
    if more > 0:
        evidence.append(f"... and {more} more line{'s' if more != 1 else ''} like these")
    return MatchedMessage(
        signature=sig.id,
        cause=cause,
        severity=severity,
        confidence=draft.confidence,
        title=fill(draft.title, listed),
        evidence=tuple(evidence),
        lines=draft.count,
        scope=sig.framework,
        blocks_gpu=draft.blocks and severity is not Severity.INFO,
        generic=sig.generic and not draft.contextual,
        alternatives=draft.also if severity is not Severity.INFO else (),
        fix=fix_text,
        # A resolved line's own text only says what failed; the cause's fix builder says what to
        # do, with the versions the log shows.
        needs_cause_fix=draft.own_fix or not fix_text,
        framework=framework_of(sig.framework),
        wanted_cuda=values.get("wanted") if cause == "CUDA_LIBS_MISMATCH" else None,
        # A line that means one state of the kernel module names the state's deciding check even where it leaves no
        # alternative open (knowledge/kernel_module.toml: one fix and one check per state), unless a context changed it.
        decide=(values.get("_decide") or (fill(sig.decide, values) if sig.decide and (draft.also or (sig.state and not draft.contextual)) else ""))
        + (f" {values['_presence_decide']}" if values.get("_presence_decide") and draft.also else ""),
        source=sig.source,
        holding_cuda=values.get("_holding_cuda"),
        wanted_cudnn=values.get("_wanted_cudnn"),
        installed_cudnn=values.get("_installed_cudnn"),
        installed_cuda=values.get("_installed_cuda"),
        gpu_limit=values.get("_gpu_limit"),
    )


def _whole_library_name(library: str, line: str) -> str:
    """``library`` as the line writes it in full: a pattern that stops at ``.so`` where the line goes on with the soname's
    version ("Library libcublas.so.12 is not found", read as "libcublas.so" by a pattern written for the longer wording
    "... is not found or cannot be loaded") gets its version back (acclib2, session 30: the version is what says which
    CUDA release the program wants; without it the name means any release).  Only where every place the line names
    the library goes on with a version."""
    if not library.lower().endswith(".so") or len(line) > 4000:
        return library
    tails = [m.group(1) for m in re.finditer(re.escape(library) + r"((?:\.\d+)*)(?![\w.]*\w)", line)]
    if not tails or not all(tails) or len(set(tails)) > 1:
        return library
    return library + tails[0]


def one_fix_per_cause(findings: list[Finding]) -> list[Finding]:
    """Findings where only the likeliest finding of each cause carries the fix.

    Several lines that point to one cause (a CUDA library TensorFlow could not load, the same
    library named again by the loader, TensorFlow's summary line) give the same advice in their
    own words; the cause gives it once.  The lead is the finding ``rank_causes`` takes the
    cause's title from: most severe, then most confident, then first.  The others keep their
    evidence and say where the fix is.
    """
    from dataclasses import replace

    lead: dict[str, Finding] = {}
    for finding in sorted(
        (f for f in findings if f.severity is not Severity.INFO), key=lambda f: (f.severity.weight, f.confidence.weight)
    ):
        lead.setdefault(finding.cause, finding)
    out: list[Finding] = []
    for finding in findings:
        first = lead.get(finding.cause)
        if first is None or first is finding or not finding.fix:
            out.append(finding)
            continue
        out.append(replace(finding, fix="", extra={**finding.extra, "fix_given_by": first.id}))
    return out


# The versions a reading found, kept in its values under these names for the cause's fix builder.
_FOUND = ("_holding_cuda", "_wanted_cudnn", "_installed_cudnn", "_installed_cuda")


def _found(values: dict[str, str]) -> tuple[str | None, ...]:
    return tuple(values.get(name) for name in _FOUND)


def _holding(values: dict[str, str], release: str) -> str:
    """Record that CUDA ``release``, installed, holds the library the build wants (off the loader's path); the fix is the builder's."""
    values["_holding_cuda"] = release
    return ""


def _listed_before(also: tuple[str, ...], *first: str) -> tuple[str, ...]:
    """The alternatives to list: ``first``, then ``also``, each once."""
    return tuple(dict.fromkeys((*first, *also)))


_LIBRARY_FAMILY = frozenset({"CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISSING", "CUDNN_MISMATCH"})


def _required_reading(
    group: Group,
    values: dict[str, str],
    facts: dict[str, list[str]],
    cause: str,
    also: tuple[str, ...],
    cudnn_present: tuple[tuple[str, str], ...],
    said_present: dict[str, list[str]],
) -> tuple[str, Confidence, str, str, tuple[str, ...]] | None:
    """acclib2 (session 30): a failure of the library family whose own message says the CUDA or cuDNN major the program needs
    ("Failed to create CUDAExecutionProvider. Require cuDNN 8.* and CUDA 12.*", "requires cuDNN 8.x", "built against CUDA
    12.x": ``programbuilds.message_requires``), read against the releases the log shows there, by the one decision of the
    knowledge layer (``knowledge.libraries.library_failure_cause``, as for a soname's want): a cuDNN of another major shown =
    CUDNN_MISMATCH, a CUDA of another release = CUDA_LIBS_MISMATCH, every need met by what is shown = CUDA_LIBS_NOT_ON_PATH.
    None where the line names a versioned library (its soname decides), the message says no need, or nothing shown decides.
    """
    from whygpu.explain.programbuilds import message_requires
    from whygpu.knowledge.libraries import CudnnPresent, library_failure_cause

    if cause not in _LIBRARY_FAMILY or values.get("wanted") or library_version(values.get("file", "") or values.get("library", "")):
        return None
    needs = dict(reversed([n for line in group.evidence[:3] for n in message_requires(line.split(": ", 1)[-1])]))
    if not needs:
        return None
    cudnn = [CudnnPresent(v, "said installed") for v in (*facts.get("cudnn_installed", []), *said_present.get("cudnn", []))]
    cudnn += [CudnnPresent(major, how) for major, how in cudnn_present]
    cuda = list(dict.fromkeys((*facts.get("cuda_toolkit", []), *said_present.get("cuda", []))))
    readings = []
    if "cudnn" in needs and cudnn:
        readings.append(("cuDNN", needs["cudnn"], library_failure_cause("CUDNN_MISSING", also, wanted=needs["cudnn"], cudnn_present=cudnn)))
    if "cuda" in needs and cuda:
        readings.append(("CUDA", needs["cuda"], library_failure_cause("CUDA_LIBS_MISSING", also, wanted=needs["cuda"], cuda_installed=cuda)))
    decided = [(name, need, r) for name, need, r in readings if r.basis in ("cudnn_same_major", "cudnn_other_major", "same_release", "other_release")]
    if not decided or len(decided) < len(readings):
        return None
    off = [(name, need, r) for name, need, r in decided if r.cause != "CUDA_LIBS_NOT_ON_PATH"]
    medium = Confidence.MEDIUM
    if off:
        # The cuDNN was chosen for the CUDA shown: where both are off, cuDNN's major is what the message names first.
        name, need, reading = off[0]
        if name == "cuDNN":
            values["_wanted_cudnn"], values["_installed_cudnn"] = need, reading.present.split(",")[0].strip()
        else:
            values["wanted"], values["_installed_cuda"] = need, reading.present.split(",")[0].strip()
        rest = tuple(c for c in dict.fromkeys((*reading.alternatives, cause, *also)) if c != reading.cause)
        return (reading.cause, medium, f"The program's message says it needs {name} {need}, but the log shows {name} {reading.present} there",
                "", rest)
    shown = " and ".join(f"{name} {r.present}" for name, _, r in decided)
    needed = " and ".join(f"{name} {need}" for name, need, _ in decided)
    values["_holding_cuda"] = next((r.present for name, _, r in decided if name == "CUDA"), "")
    rest = tuple(c for c in dict.fromkeys((cause, *also)) if c != "CUDA_LIBS_NOT_ON_PATH")
    return ("CUDA_LIBS_NOT_ON_PATH", medium, f"The program's message says it needs {needed}, and the log shows {shown} there: the loader does not find them",
            "", rest)


def _versions(
    group: Group,
    values: dict[str, str],
    facts: dict[str, list[str]],
    cause: str,
    confidence: Confidence,
    title: str,
    fix: str,
    also: tuple[str, ...],
    failed: frozenset[str] = frozenset(),
    tags: frozenset[str] = frozenset(),
    cudnn_present: tuple[tuple[str, str], ...] = (),
    cudnn_wanted: str | None = None,
    said_present: dict[str, list[str]] | None = None,
    install: FrameworkInstall | None = None,
) -> tuple[str, Confidence, str, str, tuple[str, ...]]:
    """A failed library load read against what the log shows present; the knowledge layer decides, this words it.

    ``libcudart.so.10.1`` says the build wants CUDA 10.1: CUDA 11.0 shown installed makes it another
    release (mismatch), 10.1 shown makes it a library off the loader's path; nothing shown leaves the
    family to the counted base rates (``knowledge.libraries.library_failure_cause``).
    """
    from whygpu.knowledge.libraries import CudnnPresent, library_failure_cause

    required = _required_reading(group, values, facts, cause, also, cudnn_present, said_present or {})
    if required is not None:
        return required
    wanted = values.get("wanted")
    if cause == "CUDNN_MISSING" and not wanted and "library" not in values and cudnn_present:
        wanted = cudnn_wanted  # the want another line of the same failure named
    toolkits = facts.get("cuda_toolkit", [])
    library = values.get("file", "")
    build_cuda = facts.get("tf_build_cuda", []) if "tensorflow" in group.signature.framework else []
    present = [CudnnPresent(v) for v in facts.get("cudnn_installed", [])]
    present += [CudnnPresent(major, how) for major, how in cudnn_present]
    if install is not None:
        from whygpu.explain.brought import speaks_for

        install = install if speaks_for(group.signature.framework, install.framework, list(group.evidence)) else None
    reading = library_failure_cause(
        cause, also, file=library, wanted=wanted, cuda_installed=toolkits,
        tensorflow_build_cuda=build_cuda[0] if build_cuda else None, managed_image="managed_cuda_image" in facts,
        cudnn_present=present, failed=failed, tags=tags, library_present=facts.get("cuda_library_present", []),
        install=install, image_tags=facts.get("cuda_image_tag", []),
    )
    basis, shown = reading.basis, reading.present
    if basis == "":
        return cause, confidence, title, fix, also
    if basis == "launch_env":
        from whygpu.knowledge.launchers import env_context_row

        row = env_context_row(facts.get("launch_env", [""])[0])
        if row is not None:
            return (reading.cause, Confidence.HIGH, f"The program loads {{library}} when started from a shell but not in {row.label}: the library is off that place's loader path",
                    f"{row.fix}\nWhy: {row.gets} ({row.source}).", reading.alternatives)
    if basis == "sudo_env_reset":
        # acclibpath (session 35): sudo's fresh environment has no LD_LIBRARY_PATH (knowledge/launchers.toml's sudo row).
        from whygpu.knowledge.launchers import env_context_row

        sudo = env_context_row("sudo")
        why = f"\nWhy: {sudo.gets} ({sudo.source})." if sudo is not None else ""
        named = values.get("file") or values.get("library") or "the library it loads"
        return (reading.cause, Confidence.MEDIUM, "The program is started under sudo, which drops the LD_LIBRARY_PATH the log shows set: "
                f"{named} is not searched for where that path points",
                (sudo.fix if sudo is not None else "Run without sudo, or register the library directory with ldconfig.") + why,
                reading.alternatives)
    if basis == "absent_said":
        # acclibs (session 29): the writer says no CUDA is installed; the cause's fix builder says what to install.
        named = values.get("file") or values.get("library") or "a CUDA library it loads"
        return reading.cause, Confidence.MEDIUM, f"The log says no CUDA is installed, and the program cannot load {named}", "", reading.alternatives
    if basis == "present_said":
        # acconpath (session 38): the writer says the library is there all the same; where it is decides.
        named = values.get("file") or values.get("library") or "the library it loads"
        said = re.sub(r"[{}]", "", facts.get("library_present_said", [""])[0])
        from whygpu.explain.presentsaid import locate_fix

        return (reading.cause, Confidence.MEDIUM, f"The log says the library is there (\"{said}\"), yet the program cannot load {named}: "
                "the loader does not look where it is", locate_fix(named), reading.alternatives)
    if basis == "releases_disagree":
        # acclibtriad (session 36): the releases the log names disagree about the library; the counted rows rank the family and
        # the decision's check (knowledge/library_copies.toml) is what tells them apart.
        values["_decide"] = reading.decides
        named = values.get("file") or "the library"
        prior_fix = reading.prior.fix if reading.prior is not None else fix
        return (reading.cause, confidence, f"The log names CUDA {shown}, which has {named}, and CUDA {reading.how}, which has not: "
                "which of them the failing machine has decides between another version and a library off the loader's path",
                prior_fix or fix, reading.alternatives)
    if basis == "brought" and install is not None:
        # accbrought (session 38): a library the framework's own install brings; the install shown ranks the family and the
        # row's check decides (knowledge/brought_libraries.toml).
        from whygpu.knowledge.brought import brought_library_cause

        brought = brought_library_cause(library, install, wanted)
        if brought is not None:
            values["_decide"] = brought.decides
            named = values.get("file") or "the library"
            return (reading.cause, confidence, f"{named} could not be loaded; {brought.shown}",
                    f"{brought.fix}\nWhy: {brought.why} ({brought.source}).", reading.alternatives)
    if basis == "image_lacks":
        # accnotpath (session 39): the flavour of the CUDA image named does not install the file (knowledge/image_libraries.toml).
        values["_decide"] = reading.decides
        named = values.get("file") or "the library"
        return (reading.cause, Confidence.MEDIUM, f"{named} could not be loaded, and the image nvidia/cuda:{shown} does not install it: "
                f"{reading.how}",
                f"Build on the -devel tag of the same CUDA release (or apt-get install the CUDA package that carries {named}), "
                "or run a build of the program that does not need it.", reading.alternatives)
    if basis == "base_rate":
        prior_fix = reading.prior.fix if reading.prior is not None else fix
        return reading.cause, confidence, title, prior_fix if group.signature.resolve or not fix else fix, reading.alternatives
    medium = Confidence.MEDIUM
    installed = ", ".join(toolkits)
    if basis in ("cudnn_same_major", "cudnn_other_major"):
        values["_wanted_cudnn"], values["_installed_cudnn"] = wanted or "", present[0].version
        if reading.how != "installed":
            # Not installed on its own: brought by a framework build, or a file listed on disk.
            said = f"cuDNN {shown} is there ({reading.how})"
            named = "{library}" if "library" in values else "its sub-libraries"
            if basis == "cudnn_same_major":
                return reading.cause, medium, f"{said}, but the loader cannot find {named}", "", reading.alternatives
            return reading.cause, medium, f"The program wants cuDNN {cudnn_major(wanted or '')} ({named}), but {said}", "", reading.alternatives
        if basis == "cudnn_same_major":
            # The cause's fix builder, from the cuDNN wanted.
            return reading.cause, medium, f"cuDNN {present[0].version} is installed but the loader cannot find {{library}}", "", reading.alternatives
        return (reading.cause, medium, f"The build wants cuDNN {cudnn_major(wanted or '')} ({{library}}) but the log shows cuDNN {shown} installed",
                "", reading.alternatives)
    if basis == "file_same":
        # accsoname (session 34): the very file the load asked for is shown on disk.
        return (reading.cause, medium, f"{shown} is shown on disk, but the loader cannot find {{file}} there",
                f"Add the directory that holds {shown} to LD_LIBRARY_PATH (Windows: PATH) where the program starts, or register it "
                "with ldconfig.", reading.alternatives)
    if basis == "file_other":
        # accsoname (session 34): only other versions of the same library are shown on disk.
        want = f"CUDA {wanted}" if wanted else "the CUDA release its name carries"
        return (reading.cause, medium, f"The program asks for {{file}}, but the log shows only {shown} of that library on disk",
                f"Install {want} (the release {{file}} belongs to) beside the one that holds {shown}, or a build of the program "
                f"made for the installed one.", reading.alternatives)
    if basis == "release_ships":
        return reading.cause, medium, f"CUDA {shown} ships {{file}}, but the loader cannot find it", _holding(values, shown), reading.alternatives
    if basis == "release_lacks":
        values["_installed_cuda"] = toolkits[0]
        # The cause's fix builder: the CUDA the build was compiled for beside the one installed, or a build for it.
        return reading.cause, medium, f"The build wants {{file}}, which CUDA {installed} (shown installed) does not ship", "", reading.alternatives
    if basis == "build_other":
        # The CUDA wanted is the build's: the cause's fix builder says what to install (as for LOG101).
        values["wanted"] = build_cuda[0]
        return (reading.cause, medium, f"TensorFlow is built for CUDA {build_cuda[0]}, but the log shows CUDA {installed} installed", "",
                reading.alternatives)
    if basis == "build_same":
        return (reading.cause, medium,
                f"TensorFlow is built for CUDA {build_cuda[0]} and the log shows CUDA {shown} installed, but its libraries did not load",
                _holding(values, shown), reading.alternatives)
    if basis == "managed_image":
        major = version_tuple(wanted or "")
        return (
            reading.cause, medium, f"The build wants CUDA {wanted} ({{library}}), which this managed image does not ship",
            f"Install a build of the framework for the image's CUDA (`!nvcc --version` or `!ls /usr/local` shows it), or add the CUDA {wanted} runtime libraries (pip's nvidia-*-cu{major[0] if major else wanted} wheels).",
            reading.alternatives,
        )
    if basis == "same_release":
        return reading.cause, medium, f"CUDA {shown} is installed but the loader cannot find {{library}}", _holding(values, shown), reading.alternatives
    # other_release: the cause's fix builder: the CUDA wanted beside the one installed, or a build for it.
    return reading.cause, medium, f"The build wants CUDA {wanted} ({{library}}) but the log shows CUDA {installed} installed", "", reading.alternatives
