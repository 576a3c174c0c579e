"""The log rules: the signatures as data-driven rules, and the rules that judge a log's facts.

Every rule here is a ``Rule`` of the one registry (``whygpu rule CODE`` shows it; docs/rules.md
lists it).  A signature rule (code ``LOG-...``) turns its matched-message facts into findings
(the scanner finds the lines, ``explain.infer`` reads them together into ``MatchedMessage``
facts); a fact rule (``LOGnnn``) compares the facts a log showed, through the knowledge layer's
decisions.  The one runner runs them all (``explain.judge.judge``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from typing import Any, NamedTuple

from whygpu import lazyre as re
from whygpu.explain import grammar, installstate, ruleout, works
from whygpu.explain import where as where_ran
from whygpu.explain.answers import ANSWERS_ABOUT_PACKAGE, FRAMEWORK_NAMES
from whygpu.explain.infer import MatchedMessage
from whygpu.explain.judge import LogSubject, alternative_hit, log_cause_fix
from whygpu.explain.logfacts import FRAMEWORKS, LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge import cuda as cuda_knowledge
from whygpu.knowledge.build_check import check_first, check_first_fix
from whygpu.knowledge.causes import cause_check, cause_meaning
from whygpu.knowledge.cuda_versions import cudnn_major, same_driver_version
from whygpu.knowledge.priors import lead_decided, undecided_words, unused_prior
from whygpu.knowledge.utilisation import UNDERUSED, UNUSED, Reading
from whygpu.knowledge.visibility import visible_devices_show_one
from whygpu.knowledge.visible_devices import setter_cause
from whygpu.model import Confidence, Finding, Severity
from whygpu.redact import redact_text
from whygpu.rules.interface import Decides, Hit, Outcome, Rule, RuleDoc, rule


def _platform_key(facts: LogFacts) -> str:
    name = facts.platform_name()
    return "windows" if name == "windows" else "linux"


def _unused_or_blocked(subject: LogSubject) -> bool:
    return not subject.gpu_in_use and (bool(subject.facts.gpu_unused()) or bool(subject.blocking()))


def asked_about(subject: LogSubject, *seen: Seen[Any]) -> bool:
    """accfacts (session 25): whether a release or a GPU the log names is named only in a question ("Should I use torch
    2.8.0+cu129 with a GTX 1070?", "Is TensorFlow 1.15 compatible with an RTX 3090"): a plan asked about, not what this
    machine has installed, so the rules that judge a build against the GPU (LOG110, LOG231) do not read it as the machine's.
    Where the log shows the GPU unused or failing, the question is about the failing set-up and what it names stands; a
    question that presupposes its content ("why does torch 2.8 not use my GTX 1070?") asserts it (explain.grammar.asked)."""
    from whygpu.explain import grammar

    if _unused_or_blocked(subject):
        return False
    for one in seen:
        text, value = one.text, str(one.value)
        found = text.lower().find(value.lower())
        start, end = (found, found + len(value)) if found >= 0 else (0, 0)
        left, right = grammar.sentence_at(text, start, end)
        if grammar.asked(text, left, right, start, end):
            return True
    return False


def _judged_failures(facts: LogFacts) -> list[Seen[str]]:
    """The library failures the signatures judge against the installed versions (not those the catalogue calls harmless, e.g. TensorRT's)."""
    from whygpu.explain.catalogue import catalogue

    cat = catalogue()
    out = []
    for seen in facts.library_failed:
        found = cat.library_rule(seen.value)
        if found is None or not found.benign:
            out.append(seen)
    return out


def _notice_only(subject: LogSubject) -> bool:
    """accmisc39 (session 39): the log's news is a notice of tf.distribute or tf.data (explain.distnotice), with no line of
    the run failing and nothing showing the GPU unused: a comparison of versions alone stands aside."""
    from whygpu.explain.distnotice import version_guess_quiet

    facts = subject.facts
    if not facts.dist_notice:
        return False
    return version_guess_quiet(facts, bool(_judged_failures(facts)) or bool(subject.blocking()))


def _not_the_tested_build(facts: LogFacts, wanted: str) -> bool:
    """accneg41 (session 41): whether TensorFlow's own line that it opened the CUDA runtime ("Successfully opened dynamic
    library libcudart.so.10.2", cudart64_101.dll) shows a build for another CUDA than ``wanted``, its tested build's.
    TensorFlow dlopens the runtime soname its build was compiled for (stream_executor's dso_loader: ``libcudart.so.<the
    build's CUDA version>``), so the soname it opened names this build's CUDA: where that is not the tested build's, the
    build is not the pip wheel the table describes (a source build for CUDA 10.2 of 2.5.0, whose wheel wants 11.2 and
    cuDNN 8.1: tensorflow/tensorflow#44683), and the table's CUDA and cuDNN say nothing of it. Where it is the tested
    build's (cudart64_101.dll under 2.2.0), the table holds and the other libraries of that release may still be missing."""
    from whygpu.knowledge.cuda_versions import library_stem, library_version

    for seen in facts.library_loaded:
        if library_stem(seen.value).lower() not in ("libcudart", "cudart"):
            continue
        opened = library_version(seen.value)
        if opened and not cuda_knowledge.cuda_serves_build(wanted, opened):
            return True
    return False


def _wanted_by_build(facts: LogFacts) -> list[tuple[str, str, Seen[Any]]]:
    """(framework, CUDA version its build wants, where the log shows it) from build facts and the knowledge tables."""
    from whygpu.knowledge.tensorflow import tensorflow_build

    out: list[tuple[str, str, Seen[Any]]] = []
    for seen in facts.build_cuda.get("torch", [])[:1]:
        out.append(("torch", seen.value, seen))
    for seen in facts.versions.get("tensorflow", [])[:1] if not facts.nvidia_tensorflow() else []:
        # (NVIDIA's nvidia-tensorflow builds carry their own CUDA, not Google's tested build's.)
        build = tensorflow_build(seen.value, _platform_key(facts))
        if build is not None and build.gpu and build.cuda:
            out.append(("tensorflow", build.cuda, seen))
    # acchw (session 22): a program's GPU build beside the frameworks (explain.programbuilds: onnxruntime-gpu, CTranslate2,
    # CuPy, PaddlePaddle's post tag) wants the CUDA its row of knowledge/programs.toml states.
    from whygpu.knowledge.programs import program_build_needs

    for release in facts.program_builds[:1]:
        needs = program_build_needs(release.value.program, release.value.version, release.value.variant)
        if needs is not None and needs.cuda:
            out.append(("any", needs.cuda, release))
    return out


def _wanted_by_image(facts: LogFacts) -> list[tuple[str, str, Seen[Any]]]:
    """accversions (session 24): the CUDA a container image the log runs was built with, as its tag names it (NVIDIA's
    ``nvidia/cuda:12.2.0-runtime-ubuntu22.04``, a framework image's ``2.4.2-gpu-cuda11.7-cudnn8.4``): the image's CUDA runtime
    needs a host driver that runs it (the host's driver serves every container). A tag named in a question is no image run."""
    out: list[tuple[str, str, Seen[Any]]] = []
    for seen in [*facts.cuda_image, *facts.image_cuda][:1]:
        if seen.text.rstrip().rstrip("`'\"").endswith(("?", "？")):
            continue
        if (release := re.match(r"(\d{1,2}\.\d)(?![\d])", seen.value)) is not None:
            out.append(("image", release.group(1), Seen(release.group(1), seen.where, seen.text)))
    return out


@rule(
    "LOG101", "log-build-wants-other-cuda", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Compares the CUDA version a TensorFlow release was built for (its tested build, from the version the log shows) with the CUDA version the log shows installed (nvcc, a toolkit path, the user's own words), when the log shows the GPU unused.",
        why="Before TensorFlow 2.14 the CUDA libraries came from the system, and a build for CUDA 10.1 finds nothing in a CUDA 10.2 installation: it skips the GPU, often without an error at the default log level.",
        example="TensorFlow version: 2.1.0 / CUDA/cuDNN version: 10.2.89 / [PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]\n(https://github.com/tensorflow/tensorflow/issues/38090)",
        fix="Install the CUDA version of the release's tested build beside the other one, or a TensorFlow release built for the installed CUDA.",
        limits="Quiet where the log's news is a tf.distribute or tf.data notice (explain.distnotice: the auto-shard fallback, the sparse all-reduce) with no line failing and nothing showing the GPU unused. Compared by the sonames each CUDA release ships (knowledge/cuda.toml: CUDA 11.0 lacks the libcusolver.so.11 a build for 11.1+ opens), else by soname rules (same major from CUDA 11 on, same major.minor before); the installed version is what the log states, which may be another machine's. Quiet where TensorFlow's own line shows it opened a CUDA runtime of another release than the tested build's (libcudart.so.10.2 under 2.5.0): that build is not the wheel the table describes.",
        references=("https://www.tensorflow.org/install/source#gpu", "https://docs.nvidia.com/deploy/cuda-compatibility/#binary-compatibility"),
    ),
)
def build_wants_other_cuda(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    # A failed library line is judged by the signatures against the versions installed; here the
    # build's own CUDA is compared when no such line is shown.
    if not facts.cuda_installed or _judged_failures(facts) or subject.gpu_in_use or _notice_only(subject):
        yield from _cudnn_against_build(subject)
        return
    yield from _cudnn_against_build(subject)
    for framework, wanted, seen in _wanted_by_build(facts):
        if framework != "tensorflow" or _not_the_tested_build(facts, wanted):
            continue
        installed = facts.cuda_installed
        if any(cuda_knowledge.cuda_serves_build(wanted, s.value) for s in installed):
            continue
        yield Hit(
            title=f"TensorFlow {seen.value} is built for CUDA {wanted}, but the log shows CUDA {installed[0].value} installed",
            evidence=_ev(seen, installed[0], *facts.gpu_unused()[:1]),
            fix=log_cause_fix("CUDA_LIBS_MISMATCH", subject, framework=framework, wanted_cuda=wanted),
            confidence=Confidence.MEDIUM,
            scope="tensorflow",
            blocks_gpu=True,
        )


def _cudnn_against_build(subject: LogSubject) -> Iterator[Outcome]:
    """The cuDNN of TensorFlow's tested build against the cuDNN the log shows installed (the same major, a minor at least the build's)."""
    from whygpu.knowledge.tensorflow import tensorflow_build

    facts = subject.facts
    if not facts.cudnn_installed or subject.gpu_in_use or _judged_failures(facts) or facts.nvidia_tensorflow():
        return
    for seen in facts.versions.get("tensorflow", [])[:1]:
        build = tensorflow_build(seen.value, _platform_key(facts))
        if build is None or not build.gpu or not build.cudnn:
            continue
        if build.cuda and _not_the_tested_build(facts, build.cuda):
            continue  # the build opened another CUDA runtime than the tested build's: not that build, nor its cuDNN
        have = facts.cudnn_installed[0]
        if cuda_knowledge.cudnn_satisfies(build.cudnn, have.value) is not False:
            continue
        major = cudnn_major(build.cudnn)
        # The same major with an older minor: TensorFlow refuses it when cuDNN loads; another major: its soname is not there.
        older = major == cudnn_major(have.value)
        # accpairs (session 27): with no CUDA shown installed, a cuDNN release NVIDIA never built for the tested build's CUDA
        # (cuDNN 8.5 has builds for CUDA 10.2 and 11.x, none for 10.1: knowledge.cuda.cudnn_built_for_cuda) shows the CUDA
        # installed is another release too; the cuDNN was chosen for it, so the CUDA release is the cause named first.
        # (Not where a program's own line states the cuDNN it loaded, built_found: that line is the cuDNN's account.)
        if (not facts.cuda_installed and not facts.built_found and build.cuda
                and cuda_knowledge.cudnn_built_for_cuda(have.value, build.cuda) is False):
            yield Hit(
                title=f"TensorFlow {seen.value} is built for CUDA {build.cuda}, but the cuDNN {have.value} installed has no build for CUDA {build.cuda}: "
                "the CUDA installed with it is another release",
                evidence=_ev(seen, have),
                fix=log_cause_fix("CUDA_LIBS_MISMATCH", subject, framework="tensorflow", wanted_cuda=build.cuda)
                + f"\nThen the cuDNN of that build: cuDNN {build.cudnn} for CUDA {build.cuda} (`nvcc --version` shows the CUDA installed now).",
                confidence=Confidence.MEDIUM,
                scope="tensorflow",
                cause="CUDA_LIBS_MISMATCH",
                blocks_gpu=True,
                extra={"read_from": "the stated cuDNN release against the CUDA releases NVIDIA built it for (knowledge/cuda.toml [[cudnn_cuda]])"},
            )
        yield Hit(
            title=f"TensorFlow {seen.value} is built with cuDNN {build.cudnn}, but the log shows cuDNN {have.value} installed",
            evidence=_ev(seen, have),
            fix=f"Install cuDNN {build.cudnn} or a newer {major}.x (TensorFlow {seen.value}'s tested build uses cuDNN {build.cudnn} with CUDA {build.cuda}; "
            f"it refuses an older {major}.x when cuDNN loads), or a TensorFlow release built with cuDNN {have.value} or older."
            if older else f"Install cuDNN {major}.x (TensorFlow {seen.value}'s tested build uses cuDNN {build.cudnn} with CUDA {build.cuda}), "
            f"or a TensorFlow release built for cuDNN {cudnn_major(have.value)}.",
            confidence=Confidence.MEDIUM,
            scope="tensorflow",
            cause="CUDNN_MISMATCH",
            blocks_gpu=True,
        )


@rule(
    "LOG102", "log-driver-older-than-build", "DRIVER_TOO_OLD", Severity.ERROR,
    RuleDoc(
        what="Compares the highest CUDA version the driver supports (nvidia-smi's header, PyTorch's 'found version', or the knowledge tables' for the driver version nvidia-smi, the kernel module's NVRM line or libcuda shows) with the CUDA version the build wants (a library's soname, torch.version.cuda, a +cuNNN wheel, TensorFlow's tested build, a program's GPU build such as PaddlePaddle's default wheel of its release), or the CUDA a container image's tag names (nvidia/cuda:12.2.0-runtime-ubuntu22.04, a framework image's -gpu-cuda11.7-), which the host's driver must run.",
        why="A driver runs CUDA builds up to its own CUDA version (from CUDA 11 on, any minor of its major); a newer build fails to initialise CUDA and the framework falls back to the CPU.",
        example="| NVIDIA-SMI 470.86  Driver Version: 470.86  CUDA Version: 11.4 | with torch 2.1.0+cu121\n(https://github.com/lllyasviel/Fooocus/issues/1313)",
        fix="Upgrade the NVIDIA driver to the minimum of the build's CUDA, or install a framework build for a CUDA the driver supports.",
        limits="The versions must both appear in the log. Quiet where the log's news is a tf.distribute or tf.data notice (explain.distnotice) with no line failing and nothing showing the GPU unused.",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html",),
    ),
)
def driver_older_than_build(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use or _notice_only(subject):
        return
    if facts.driver_cuda:
        have = facts.driver_cuda[0]
    # accwords3: or an old Windows the reporter runs, whose newest published driver is the ceiling (knowledge/reported.toml).
    # acchw (session 22): or a driver version the writer or `modinfo nvidia` states (explain.hwstated, ``driver_stated``).
    elif drivers := (facts.driver_version or facts.driver_kernel_version or facts.driver_library_version or facts.driver_stated
                     or facts.os_last_driver):
        # Only the driver's version is shown (nvidia-smi, or accversions: the kernel module's NVRM line, /proc/driver/nvidia/version,
        # the libcuda version TensorFlow reports): the knowledge tables say which CUDA it runs.
        from whygpu.knowledge.cuda import max_cuda_for_driver

        top = max_cuda_for_driver(drivers[0].value, _platform_key(facts), minor_compat=False)
        if top is None:
            return
        have = Seen(top, drivers[0].where, drivers[0].text)
    else:
        return
    wanted: list[tuple[str, str, Seen[Any]]] = [("any", s.value, s) for s in facts.cuda_wanted]
    # accplat (session 29): or the CUDA release the writer ties to what fails ("CUDA 13 based operations", "the image needs
    # CUDA 12.8": explain.platfacts.cuda_said_needed).
    wanted += [("any", s.value, s) for s in facts.cuda_said_needed]
    wanted += _wanted_by_build(facts)
    wanted += _wanted_by_image(facts)
    done: set[str] = set()
    for framework, want, seen in wanted:
        if want in done or cuda_knowledge.driver_runs_cuda(have.value, want) is not False:
            continue
        done.add(want)
        if framework == "image":
            from whygpu.knowledge.cuda import min_driver_for_cuda, minor_compat_min_driver

            floor = minor_compat_min_driver(int(want.split(".")[0]), _platform_key(facts)) or min_driver_for_cuda(want, _platform_key(facts))
            yield Hit(
                title=f"The host's driver supports CUDA {have.value}, but the container image was built with CUDA {want}",
                evidence=_ev(have, seen),
                fix=(f"Upgrade the host's NVIDIA driver to {floor or 'one that supports CUDA ' + want} or newer (the lowest that runs CUDA {want}), "
                     f"or run an image built for CUDA {have.value} or older. What would decide otherwise: a data-center GPU with the image's "
                     "CUDA forward-compatibility package runs a newer CUDA on an older driver (`nvidia-smi` inside the container then "
                     "shows the image's CUDA)."),
                confidence=Confidence.MEDIUM,
                blocks_gpu=True,
            )
            continue
        yield Hit(
            title=f"The driver supports CUDA {have.value}, but the build wants CUDA {want}",
            evidence=_ev(have, seen),
            fix=log_cause_fix("DRIVER_TOO_OLD", subject, framework=None if framework == "any" else framework, wanted_cuda=want),
            confidence=Confidence.MEDIUM,
            scope=framework,
            blocks_gpu=True,
        )


@rule(
    "LOG103", "log-container-not-given-gpu", "CONTAINER_NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Finds the NVIDIA container images' start-up warning that no driver was detected, and `docker run` command lines without --gpus or the NVIDIA runtime (or `singularity`/`apptainer` exec/run/shell without --nv), in a log that shows the GPU unused; and, inside a container, NVML's 'GPU access blocked by the operating system' or the GPU's /dev/nvidia* device nodes shown absent; and a pasted compose file whose services ask for no GPU (no deploy.resources.reservations.devices, runtime: nvidia, gpus) or a Kubernetes workload without nvidia.com/gpu in its limits, in a log that shows the GPU unused; and nvidia-smi missing where a command ran while the kernel driver is shown loaded (its /proc/driver/nvidia fields); the driver's user-space missing where the log shows its lines printed inside a container (a prompt or host name on the container's short id, a compose service's prefix); TensorFlow's native library failing to load in a framework GPU image with no library named; driver capabilities set without compute (utility only) beside a failure or nvidia-smi's 'CUDA Version: N/A'; the writer's account, beside a failure, of a launch or spec without its launcher's GPU request (knowledge/launchers.toml: 'I start it with singularity run, without --nv', 'the pod had no nvidia.com/gpu in its limits', 'the template was missing runtimeClassName: nvidia', containerd's default runtime said to be runc), unless a launch with the GPU is shown or the writer says nvidia-smi works inside the container; a container started by enroot or pyxis (`enroot start`, `srun --container-image`) with nothing setting NVIDIA_VISIBLE_DEVICES for it (enroot's NVIDIA hook mounts the driver in only then) and the driver's user-space missing inside; the writer's word that nvidia-smi is missing inside the container, pod or Kubeflow job (TFJob, PyTorchJob). The image's banner with the driver's user-space shown missing too is high. A launch typed at a shell prompt outranks one named in a sentence, and the toolkit's nvidia-smi check is not the program's launch. A launch line named in prose, advised or asked about is not read as the launch, and the NGC banner is not read under WSL2 when the container was started with --gpus (a known false banner there).",
        why="A container sees the GPU only when the runtime passes it in (--gpus all with the NVIDIA Container Toolkit); without it the image starts, prints this warning, and every framework falls back to the CPU.",
        example="WARNING: The NVIDIA Driver was not detected.  GPU functionality will not be available.\n(https://github.com/PRBonn/...; https://github.com/NVIDIA/nvidia-docker/issues/1352)",
        fix="docker run --gpus all ... (install the NVIDIA Container Toolkit on the host; Kubernetes: request nvidia.com/gpu).",
        limits="The banner also shows on a host with no NVIDIA driver at all; a docker run line is only what the log shows, not necessarily the command that started the failing container.",
        references=("https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html", "https://apptainer.org/docs/user/main/gpu.html"),
    ),
)
def container_not_given_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use:
        return
    banner = facts.container_banner_no_driver
    bare = _launched_without_gpu(facts)
    if banner and facts.docker_run_with_gpus and not facts.docker_run_without_gpus and facts.platform_name() in ("wsl", "wsl2"):
        # acccont (session 22): under WSL2 the NGC images' start-up check looks for the Linux kernel module's files, which
        # WSL2 does not have (the Windows driver serves the GPU through /dev/dxg), so it prints this banner on a container
        # that was given the GPU (`--gpus` shown): NVIDIA lists it among the known limitations of CUDA on WSL
        # (https://docs.nvidia.com/cuda/wsl-user-guide/index.html). Not read here: the launch with the GPU says more.
        pass
    elif banner and facts.docker_run_with_gpus and facts.stated_gpu_works and not facts.gpu_unused():
        # accfirst (session 22): the image's start-up script printed its warning (a probe of its own, run before any
        # framework) in a container started with --gpus, which passes the GPU in
        # (https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/docker-specialized.html), and the log
        # states the GPU works inside it: an observation of the run outranks the probe's message; no container without the GPU.
        pass
    elif banner:
        # accruntime (session 26): the banner with the driver's user-space shown missing in the same container (libcuda.so.1
        # not loadable, nvidia-smi absent, a framework's no-driver message) is the image's own check and the program's
        # failure agreeing that the runtime mounted no driver in: as with a launch shown without the GPU, high. Counted
        # over every labelled log with the banner (explain_rule_precision --grep): CONTAINER_NO_GPU 3 of 3, one negative
        # (which shows no driver library failing).
        missing = _driver_not_reached(subject)
        yield Hit(
            title="The container was started without the GPU: the NVIDIA image found no driver inside it"
            + (" and `docker run` has no --gpus" if bare else ""),
            evidence=_ev(*bare[:1], banner[0], *missing[:1]),
            fix=log_cause_fix("CONTAINER_NO_GPU", subject),
            confidence=Confidence.HIGH if bare or missing else Confidence.MEDIUM,
            blocks_gpu=True,
        )
    elif bare and (facts.gpu_unused() or _blocked_without_gpu(subject) or facts.smi_not_found or facts.tf_native_import_failed):
        singularity = re.search(r"\b(?:singularity|apptainer)\b", bare[0].text) is not None
        # What the runtime injects (the driver's libcuda.so.1 and libnvidia-ml, nvidia-smi) missing
        # inside a container started without the GPU: the launch line explains the missing driver.
        missing = _driver_not_reached(subject)
        # acccont (session 22): the driver-side answers a container started without the GPU gives (no driver, a driver
        # "too old" for the runtime: CUDA's cudaErrorInsufficientDriver, 35, where libcuda is not there at all, no device):
        # with the launch shown without the GPU, the launch explains them, so its reading goes first (a container given
        # only the device nodes answers 35 until the driver's libraries are mounted in too:
        # https://github.com/NVIDIA/nvidia-docker/issues/24). Given the GPU, the answer stays the driver's.
        driver_side = [f for f in subject.matched if f.cause in _DRIVER_SIDE and f.alternative_to is None and f.severity is Severity.ERROR]
        yield Hit(
            title=("`singularity` / `apptainer` was given no GPU (no --nv)" if singularity else "`docker run` was given no GPU (no --gpus and no NVIDIA runtime)")
            + (", and the driver the runtime would have mounted in is missing inside" if missing else ""),
            evidence=_ev(bare[0], *facts.gpu_unused()[:1], *missing[:1]),
            fix="Add --nv to the singularity/apptainer command (it binds the host's driver libraries and GPU devices into the container)." if singularity else log_cause_fix("CONTAINER_NO_GPU", subject),
            confidence=Confidence.HIGH if missing or driver_side else Confidence.MEDIUM,
            blocks_gpu=True,
        )
    elif (caps := facts.capabilities_without_compute) and (facts.gpu_unused() or _blocked_without_gpu(subject) or facts.smi_cuda_na
                                                          or _driver_not_reached(subject) or facts.tf_native_import_failed):
        # acccont (session 22): the container was given the GPU with driver capabilities that leave out compute (utility
        # only: nvidia-smi and NVML, no libcuda), so CUDA finds no driver inside it (explain/where.py capabilities_without_compute).
        yield Hit(
            title="The container was given the GPU without the compute capability (its driver capabilities leave out compute): CUDA has no driver library inside it",
            evidence=_ev(caps[0], *facts.smi_cuda_na[:1], *facts.gpu_unused()[:1]),
            fix="Give the container the compute capability: NVIDIA_DRIVER_CAPABILITIES=compute,utility (or all), "
                "`--gpus 'all,\"capabilities=compute,utility\"'`, or in compose `capabilities: [gpu]` with the image's "
                "NVIDIA_DRIVER_CAPABILITIES including compute; then recreate the container.",
            confidence=Confidence.HIGH if facts.smi_cuda_na else Confidence.MEDIUM,
            blocks_gpu=True,
        )
    elif ((unasked := _manifest_without_gpu(facts)) and not facts.docker_run_with_gpus and not facts.stated_smi_in_container
          and (facts.gpu_unused() or _blocked_without_gpu(subject) or facts.smi_not_found)):
        # acccontainer (session 20): a compose service or a Kubernetes workload that asks for no GPU; accspec (session 31):
        # the serving and Ray kinds and an MLflow project's docker_env too, read by knowledge.gpu_specs (shared with lint).
        # Quiet where the writer says nvidia-smi answers inside the container: the GPU reached it.
        kind = unasked[0].value
        missing = _driver_not_reached(subject)
        title, fix = _MANIFEST_LACKS.get(kind, _MANIFEST_LACKS["kubernetes"])
        yield Hit(
            title=title,
            evidence=_ev(unasked[0], *facts.gpu_unused()[:1], *missing[:1]),
            fix=fix,
            confidence=Confidence.HIGH if missing else Confidence.MEDIUM,
            blocks_gpu=True,
        )
    elif (told := facts.told_launch_without_gpu) and not _launch_with_gpu_shown(facts) and not facts.stated_smi_in_container \
            and (facts.gpu_unused() or _blocked_without_gpu(subject) or facts.smi_not_found or _driver_not_reached(subject)):
        # acccontainer (session 25): the writer tells how the container, pod or job was started, and its launcher's GPU
        # request is what they say it lacked ("I ran it with singularity run, without --nv", "the pod had no nvidia.com/gpu
        # in its limits", "the template was missing runtimeClassName: nvidia", "containerd's default runtime is runc";
        # explain/where.py told_launches, knowledge/launchers.toml). Like a launch line shown without the GPU, it explains a
        # failure the driver side would otherwise be blamed for (a container given no GPU has no libcuda: CUDA answers
        # "driver version is insufficient" or no device), so it ranks as the bare launch does. Not read where the log
        # shows the program launched with the GPU, or the writer says nvidia-smi answered inside the container.
        missing = _driver_not_reached(subject)
        driver_side = [f for f in subject.matched if f.cause in _DRIVER_SIDE and f.alternative_to is None and f.severity is Severity.ERROR]
        lacks, fix = _told_request(told[0])
        yield Hit(
            title=f"The writer says the container was started without the GPU ({lacks})",
            evidence=_ev(told[0], *facts.gpu_unused()[:1], *missing[:1]),
            fix=fix or log_cause_fix("CONTAINER_NO_GPU", subject),
            confidence=Confidence.HIGH if missing or driver_side else Confidence.MEDIUM,
            blocks_gpu=True,
        )
    elif (facts.tf_native_import_failed and facts.gpu_image and not facts.library_failed and not facts.docker_run_with_gpus
          and not facts.manifest_with_gpus and not subject.blocking(None)):
        # acccont (session 22): TensorFlow's native library failed to load inside a framework GPU image, and the log names
        # no library (the traceback cut before it) and no launch with the GPU. Such an image carries every library its
        # TensorFlow loads except the host driver's libcuda.so.1, which TensorFlow 1.x's GPU builds link and which only the
        # runtime mounts in (explain/where.py GPU_IMAGE, TF_NATIVE_IMPORT). Counted over every labelled case with the native
        # import failing and a GPU image named: no library named and no GPU launch, CONTAINER_NO_GPU 2 of 2 (holdout9
        # gh-tensorflow-tensorflow-10073, -10642); the others name the library (holdout10 kaggle-docker-python-1258,
        # CUDA_LIBS_MISMATCH) or launch with the GPU (holdout14 tensorflow-14224, CUDA_LIBS_NOT_ON_PATH): not read here.
        yield Hit(
            title="TensorFlow's native library failed to load inside a GPU image started without the GPU: the driver's libcuda.so.1, which only the runtime mounts in, is what such an image lacks",
            evidence=_ev(facts.gpu_image[0], facts.tf_native_import_failed[0]),
            fix=log_cause_fix("CONTAINER_NO_GPU", subject),
            confidence=Confidence.MEDIUM,
            blocks_gpu=True,
        )
        yield alternative_hit("CUDA_LIBS_MISMATCH", _ev(facts.tf_native_import_failed[0]), "CONTAINER_NO_GPU",
                              title=f"Possible instead: {cause_meaning('CUDA_LIBS_MISMATCH')} (a TensorFlow installed over the image's own)")
    elif ((launched := [s for s in facts.enroot_launch if not s.value]) and not any(s.value for s in facts.enroot_launch)
          and not _nvidia_env_set(facts) and not facts.docker_run_with_gpus and not facts.manifest_with_gpus
          and (missing := _driver_not_reached(subject))):
        # accruntime (session 26): a container started by enroot or pyxis (srun --container-image), nothing on the launch or
        # in the log setting NVIDIA_VISIBLE_DEVICES for it and no NVIDIA image named, and the driver's user-space missing
        # inside: enroot's hook mounts the driver in only when that variable is set (explain/where.py enroot_launch,
        # knowledge/launchers.toml enroot-nvidia-env). No image carries the host driver, so inside a container the missing
        # driver is the hook's doing unless the host itself has none. Counted over every labelled log with such a launch:
        # CONTAINER_NO_GPU 1 of 1 (holdout37); medium, as the image may set the variable itself.
        from whygpu.knowledge.launchers import request_row

        row = request_row("enroot-nvidia-env")
        yield Hit(
            title="The enroot/pyxis container has no NVIDIA driver inside it: enroot's NVIDIA hook mounts the driver in only when NVIDIA_VISIBLE_DEVICES is set for the container",
            evidence=_ev(launched[0], missing[0]),
            fix=row.fix if row is not None else log_cause_fix("CONTAINER_NO_GPU", subject),
            confidence=Confidence.MEDIUM,
            blocks_gpu=True,
        )
    elif (placed := _placed_inside(facts)) and not facts.docker_run_with_gpus and not facts.manifest_with_gpus and (missing := _driver_not_reached(subject)):
        # acccont (session 22): the log shows its lines were printed inside a container (a prompt or a program's host name
        # on the container's short id, a compose service's prefix), and the driver's user-space (libcuda, libnvidia-ml,
        # nvidia-smi) is missing there. No image carries the host driver's libraries: the runtime mounts them in only for a
        # container given the GPU (NVIDIA Container Toolkit, https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/arch-overview.html).
        # Counted over every labelled case with a driver library failing and the log placed inside a container without a
        # launch line: CONTAINER_NO_GPU 1 of 1 (holdout16 gh-codalab-codalab-worksheets-324); where only a container word
        # is named ("I use docker"), 1 of 4 (dev azure-machinelearningnotebooks-1634 CUDA_LIBS_MISMATCH, holdout20
        # project-nomad-735 DRIVER_MISSING, holdout3 kubeflow-examples-483 NO_GPU): not read there.
        yield Hit(
            title="Inside the container the NVIDIA driver's user-space is missing: the container was not given the GPU",
            evidence=_ev(placed[0], missing[0]),
            fix=log_cause_fix("CONTAINER_NO_GPU", subject),
            confidence=Confidence.HIGH,
            blocks_gpu=True,
        )
    elif (gone := facts.smi_missing_inside) and not _launch_with_gpu_shown(facts) and not facts.stated_smi_in_container and not subject.blocking(None):
        # accruntime (session 26): the writer says nvidia-smi is missing inside the container, pod or Kubeflow job
        # (explain/where.py smi_missing_inside): no image carries it, the runtime mounts it in with the driver only for a
        # container given the GPU. Not where the log shows a launch with the GPU or says nvidia-smi works inside, nor
        # beside a failure with a reading of its own. Counted over every labelled log with such words: CONTAINER_NO_GPU 1
        # of 1 (holdout37); medium, as an image may ship its own nvidia-smi only in odd set-ups.
        yield Hit(
            title="The writer says nvidia-smi is missing inside the container or pod: the runtime did not mount the driver in (the container was not given the GPU)",
            evidence=_ev(gone[0], *facts.gpu_unused()[:1]),
            fix=log_cause_fix("CONTAINER_NO_GPU", subject),
            confidence=Confidence.MEDIUM,
            blocks_gpu=True,
        )
    elif facts.smi_not_found and (module := facts.driver_module_shown or facts.driver_kernel_version) and not _given_gpu(facts):
        # acccont (session 22): the kernel driver shown loaded (its /proc fields, NVRM's version) while nvidia-smi, which
        # every driver's user-space installs, is missing where the command ran: that place lacks the host's user-space,
        # as a container the runtime gave no GPU does (explain/where.py KERNEL_MODULE_FIELD). Counted over every labelled
        # case with nvidia-smi not found (3: dev anibali-docker-pytorch-27, holdout6 anomalib-584, holdout22
        # dstack-1356): CONTAINER_NO_GPU in all 3; the one of them that shows the module loaded is holdout22 dstack-1356.
        yield Hit(
            title="nvidia-smi is missing where the command ran although the NVIDIA kernel driver is loaded: the container was not given the driver",
            evidence=_ev(facts.smi_not_found[0], module[0]),
            fix=log_cause_fix("CONTAINER_NO_GPU", subject),
            confidence=Confidence.MEDIUM,
            blocks_gpu=True,
        )
        yield alternative_hit("DRIVER_MISSING", _ev(facts.smi_not_found[0]), "CONTAINER_NO_GPU",
                              title="Possible instead: the NVIDIA driver's user-space (nvidia-smi, libcuda) is not installed, if the command ran on the host itself")
    elif (inside := _inside_container(facts)) and (facts.nvml_os_blocked or facts.device_nodes_missing):
        # acccontainer (session 20): inside a container, NVML's NVML_ERROR_OPERATING_SYSTEM (the GPU's control
        # device blocked by the operating system/cgroups) or the GPU's device nodes absent: the container was not
        # given access to the GPU's devices, whatever its launch line asked for (explain/where.py).
        blocked = facts.nvml_os_blocked[:1] or facts.device_nodes_missing[:1]
        yield Hit(
            title=("Inside the container NVML was refused the GPU by the operating system: the container has no access to the GPU's devices"
                   if facts.nvml_os_blocked else "The container has no /dev/nvidia* device nodes: the runtime did not pass the GPU in"),
            evidence=_ev(inside[0], blocked[0]),
            fix=("Start the container with the GPU (`docker run --gpus all`, `--device nvidia.com/gpu=all` with CDI, `singularity exec --nv`) "
                 "and let the runtime set its device rules: with the NVIDIA Container Toolkit keep `no-cgroups = false` in "
                 "/etc/nvidia-container-runtime/config.toml (Docker inside WSL2 included), and do not hide /dev "
                 "(`singularity --contain` without --nv, a pod without `nvidia.com/gpu` in resources.limits)."),
            confidence=Confidence.MEDIUM,
            blocks_gpu=True,
        )


# A launch line in any form, prose and advice included: it names a container, it does not show a line printed inside one.
_LAUNCH_WORDS = re.compile(r"\b(?:nvidia-docker|docker|podman|nerdctl|singularity|apptainer)\s+(?:container\s+)?(?:run|exec|shell)\b|\benroot\s+start\b|--container-image\b")


def _nvidia_env_set(facts: LogFacts) -> bool:
    """accruntime: whether the log sets NVIDIA_VISIBLE_DEVICES to a value that asks the NVIDIA hook for GPUs (not void or none)."""
    return any(s.value.strip().lower() not in ("", "void", "none") for s in facts.environment.get("NVIDIA_VISIBLE_DEVICES", []))


def _placed_inside(facts: LogFacts) -> list[Seen[Any]]:
    """acccont: the lines that show the log's lines were printed inside a container (a prompt or host name on the container's
    short id, a compose service's prefix, a container image's banner), not a launch line naming one."""
    return [s for s in facts.in_container if not _LAUNCH_WORDS.search(s.text)]


# A launch typed at a shell prompt ("$ docker run ...", "[root@host ~]# docker run ...", "user@box:~$ podman run ..."):
# the command that ran, where a launch in a sentence or backticks names one.
_PROMPT_LAUNCH = re.compile(r"^\s*(?:\([\w.-]+\)\s*)?(?:\[[^\]\n]{1,60}\]|[\w.-]+@[\w.<>-]+(?::[^\s$#]*)?|[~/\w.-]*)?\s*[$#]\s*"
                            r"(?:sudo\s+)?(?:nvidia-docker|docker|podman|nerdctl|singularity|apptainer)\s")


def _launched_without_gpu(facts: LogFacts) -> list[Seen[str]]:
    """The launches without the GPU that say how the failing container was started: all of them when no launch of the
    program asks for the GPU; where one does, those typed at a prompt when every launch with the GPU is named in prose.

    acccont (session 22): a launch whose command is nvidia-smi is the toolkit's check, not the program's container
    (``_toolkit_check``); a command at a shell prompt is what ran, one in a sentence or backticks is what was named
    (how it should be run, what someone else ran).
    """
    without = facts.docker_run_without_gpus
    if not without:
        return []
    program = [run for run in facts.docker_run_with_gpus if not _toolkit_check(run.value)]
    if not program:
        return without
    if any(_PROMPT_LAUNCH.match(run.text) for run in program):
        return []
    return [run for run in without if _PROMPT_LAUNCH.match(run.text)]


def _given_gpu(facts: LogFacts) -> bool:
    """acccont: whether the log shows the program's container launched with the GPU (a run with --gpus/--nv that is not the
    toolkit's nvidia-smi check, or a manifest asking for it) and none launched without it."""
    launched = [run for run in facts.docker_run_with_gpus if not _toolkit_check(run.value)]
    return bool(launched or facts.manifest_with_gpus) and not (facts.docker_run_without_gpus or facts.manifest_without_gpus)


def launch_with_gpu_shown_lines(facts: LogFacts) -> list[Seen[Any]]:
    """accserve (session 28): the program's launches with the GPU (not the toolkit's nvidia-smi check) and the manifests asking for it."""
    return [*(run for run in facts.docker_run_with_gpus if not _toolkit_check(run.value)), *facts.manifest_with_gpus]


def _launch_with_gpu_shown(facts: LogFacts) -> bool:
    """acccontainer (session 25): whether the log shows the program's container launched with the GPU (a run with
    --gpus/--nv that is not the toolkit's nvidia-smi check) or a manifest asking for it."""
    return any(not _toolkit_check(run.value) for run in facts.docker_run_with_gpus) or bool(facts.manifest_with_gpus)


def _told_request(told: Seen[str]) -> tuple[str, str]:
    """(what the launch lacked, the fix) for a told launch's row of knowledge/launchers.toml."""
    from whygpu.knowledge.launchers import request_row

    row = request_row(told.value)
    return (row.lacks, row.fix) if row is not None else ("no GPU request", "")


# accspec (session 31): what each kind of spec lacks, and how to ask for the GPU there (knowledge/launchers.toml's sources).
_MANIFEST_LACKS: dict[str, tuple[str, str]] = {
    "compose": ("The compose file gives its services no GPU (no deploy.resources.reservations.devices, no runtime: nvidia)",
                "Ask for the GPU in the service: `deploy: resources: reservations: devices: - driver: nvidia, count: all, capabilities: [gpu]` "
                "(or `runtime: nvidia` with the NVIDIA Container Toolkit on the host), then `docker compose up` again."),
    "kubernetes": ("The Kubernetes workload asks for no GPU (no nvidia.com/gpu in resources.limits)",
                   "Request the GPU in the container's resources: `resources: limits: nvidia.com/gpu: 1` (the NVIDIA device plugin or GPU "
                   "Operator must run on the node); without it the pod gets no GPU even on a GPU node."),
    # MLflow starts a docker_env project with `docker run` and adds --gpus only when told (`mlflow run -A gpus=all`, the
    # docker_args of mlflow.projects.run): https://mlflow.org/docs/latest/ml/projects.
    "mlflow": ("The MLflow project's docker_env starts its container without the GPU (no gpus docker argument)",
               "Start the project's container with the GPU: `mlflow run . -A gpus=all` (docker_args={'gpus': 'all'} in mlflow.projects.run), "
               "or make nvidia the Docker daemon's default runtime (`\"default-runtime\": \"nvidia\"` in /etc/docker/daemon.json)."),
}


def _manifest_without_gpu(facts: LogFacts) -> list[Seen[str]]:
    """acccontainer: the compose files or Kubernetes workloads the log shows without a GPU request, when none of them asks for one."""
    return [] if facts.manifest_with_gpus else facts.manifest_without_gpus


def _inside_container(facts: LogFacts) -> list[Seen[Any]]:
    """acccontainer: the lines that place the log inside a container: a launch line, a container image's banner, or a container runtime named."""
    shown: list[Seen[Any]] = [*facts.docker_run_without_gpus, *facts.docker_run_with_gpus, *facts.in_container]
    return shown or [s for s in facts.container_named if s.value in where_ran.CONTAINER_WORDS]


# A message that says the driver's user-space pieces could not be reached where the job ran
# (libcuda.so.1 not loadable, TensorFlow's cuInit 303, nvidia-smi absent): inside a container the
# runtime mounts them in only when the GPU is requested (NVIDIA Container Toolkit: --gpus / the nvidia
# runtime, https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/user-guide.html;
# Singularity/Apptainer: --nv binds the host's driver libraries, https://apptainer.org/docs/user/main/gpu.html).
# Over every labelled case where LOG103 saw a launch without the GPU (8: dev anibali-docker-pytorch-27,
# prs-eth-panopticsegforlargescalepointcl..., holdout nvidia-docker-1071, holdout2 floydhub-dockerfiles-3,
# holdout3 media-preview-generator-124, tensorflow-41785, holdout6 alphafold-873, anomalib-584) the
# confirmed cause was CONTAINER_NO_GPU in all 8.
# What a container started without the GPU still has: the image's own CUDA runtime, math libraries,
# cuDNN and framework packages load as they would with it (the runtime adds only the driver's
# libraries and the device nodes). A failure among them (an undefined symbol between CUDA libraries, a
# library of another release, a CPU build) is the image's, whatever the launch line says.
_IMAGE_CAUSES = frozenset({
    "CUDA_LIBS_MISSING", "CUDA_LIBS_MISMATCH", "CUDA_LIBS_NOT_ON_PATH", "CUDNN_MISSING", "CUDNN_MISMATCH",
    "FRAMEWORK_CPU_BUILD", "FRAMEWORK_INSTALL_BROKEN",
})


# acccont (session 22): the causes a driver-side answer names that a container started without the GPU also produces.
_DRIVER_SIDE = frozenset({"DRIVER_MISSING", "DRIVER_TOO_OLD", "NO_GPU"})


def _blocked_without_gpu(subject: LogSubject) -> bool:
    """Whether a finding so far shows the GPU blocked by something a container without the GPU could cause.

    A generic line counts here ("no CUDA-capable device is detected" names no cause of its own): the
    launch line is what explains it.
    """
    if subject.gpu_in_use:
        return False
    return any(
        f.cause not in _IMAGE_CAUSES and f.alternative_to is None and f.severity is Severity.ERROR
        and (f.blocks_gpu if f.blocks_gpu is not None else True)
        for f in (*subject.matched, *subject.doctor)
    )


def _driver_not_reached(subject: LogSubject) -> list[Seen[Any]]:
    """The lines that show the driver's user-space pieces missing where the job ran: a driver library
    (libcuda, libnvidia-ml) that failed to load, nvidia-smi not found, or a message that means the same
    (its signature's ``no_driver`` tag: TensorFlow's cuInit 303, nvidia-smi's driver message...)."""
    from whygpu.explain.catalogue import catalogue

    cat = catalogue()
    facts = subject.facts
    out = [s for s in facts.library_failed if (row := cat.library_rule(s.value)) is not None and row.kind == "driver"]
    out += facts.smi_not_found
    for message in subject.messages:
        sig = cat.by_id.get(message.signature)
        if sig is not None and "no_driver" in sig.tags and message.evidence:
            out.append(Seen("no driver", message.evidence[0].split(": ", 1)[0], message.evidence[0].split(": ", 1)[-1]))
    return out


def _hint(cause: str) -> str:
    """The cause's general advice (the one fix builder's data), for an alternative that is only possible."""
    from whygpu.knowledge.causes import cause_advice

    return cause_advice(cause)


# Options of `docker run` (and podman's, nerdctl's) that take no value; every other option written without '=' takes the next word.
_RUN_FLAGS = frozenset({"-i", "-t", "-it", "-ti", "-d", "-itd", "-dit", "--rm", "--interactive", "--tty", "--detach", "--init",
                        "--privileged", "--read-only", "-P", "--publish-all", "--sig-proxy", "--no-healthcheck"})


def _toolkit_check(args: str) -> bool:
    """accrank4: whether a container run's command (the word after the image) is ``nvidia-smi``: the toolkit's GPU check."""
    words = args.split()
    i = 0
    while i < len(words) and words[i].startswith("-"):
        i += 1 if "=" in words[i] or words[i] in _RUN_FLAGS else 2
    return i + 1 < len(words) and words[i + 1].strip("`'\"") == "nvidia-smi"


def _unused_platform(facts: LogFacts) -> str:
    """The platform whose ``[[unused]]`` row of knowledge/priors.toml ranks the causes: "container" when the log shows or names one that was not shown given the GPU."""
    platform = facts.platform_name() or "any"
    if platform not in ("windows", "darwin", "wsl", "wsl1", "wsl2", "colab") and facts.on_jetson():
        # accjet (session 31): a Jetson, in a container or not, is ranked by its own row (knowledge/priors.toml holds the counts:
        # a build without the Tegra CUDA comes first there, where elsewhere a container's GPU access would).
        return "jetson"
    # accrank4 (session 21): a run whose command is nvidia-smi is the container toolkit's own check that a container can be
    # given the GPU (https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/sample-workload.html), not the
    # launch of the program that went without it: only the other runs say the program's container was given the GPU.
    # Counted over every labelled case LOG104 led whose only GPU run is that check: CONTAINER_NO_GPU 3 (holdout13
    # gh-ocr-d-ocrd-calamari-46, holdout16 gh-imfing-keras-flask-deploy-webapp-34, holdout17 gh-containerd-nerdctl-1023),
    # nothing else (holdout13 gh-tensorflow-serving-1659 also shows the program's own run with --gpus, which counts).
    launched = [run for run in facts.docker_run_with_gpus if not _toolkit_check(run.value)]
    given_gpu = bool(launched or facts.manifest_with_gpus) and not (facts.docker_run_without_gpus or facts.manifest_without_gpus)
    shown = facts.in_container or facts.docker_run_without_gpus or facts.azureml or facts.container_named or facts.manifest_without_gpus
    if shown and not given_gpu and platform not in ("colab", "darwin"):
        return "container"
    return platform


# A container word denied or only advised ("I do not use docker", "try docker instead"): not where the log ran.
_DENIED_BEFORE = re.compile(r"\b(?:not|n't|never|no|without|instead of)\b(?:\W+\w+){0,2}\W*$", re.I)


def _container_word_said(seen: Seen[Any]) -> bool:
    """accserve: whether the container word the writer names is asserted (not denied, asked, advised or supposed)."""
    from whygpu.explain import grammar

    m = re.search(rf"\b{re.escape(str(seen.value))}\b", seen.text, re.I)
    if m is None:
        return True
    left, _ = grammar.sentence_at(seen.text, m.start(), m.end())
    if _DENIED_BEFORE.search(seen.text[left:m.start()]):
        return False
    return grammar.said(seen.text, m.start(), m.end(), quotes=False)


def container_without_gpu(facts: LogFacts) -> bool:
    """accserve (session 28): whether the log shows or names a container (a line printed inside one, a launch, a container
    runtime or orchestrator named, a framework, CUDA or serving image named, a workload manifest) and shows no launch of
    the program with the GPU, on a platform where the NVIDIA Container Toolkit is what brings the driver in (not Colab,
    macOS, native Windows or WSL, whose driver library comes from Windows), and the log does not name the machine as one
    without a GPU. The tag it sets (``container_not_given_gpu``) lets knowledge/priors.toml rank a driver library that
    failed to load as the container's (its row holds the counts)."""
    if facts.platform_name() in ("colab", "darwin", "windows", "wsl", "wsl1", "wsl2") or facts.cpu_machine:
        return False
    named = [s for s in facts.container_named if s.value in where_ran.CONTAINER_WORDS and _container_word_said(s)]
    shown = (_placed_inside(facts) or _launched_without_gpu(facts) or named or facts.manifest_without_gpus
             or facts.gpu_image or facts.cuda_image or facts.serving_image or facts.container_stack)
    return bool(shown) and not _launch_with_gpu_shown(facts) and not facts.stated_smi_in_container


def _gpu_build_shown(facts: LogFacts, framework: str) -> bool:
    """accrank4 (session 21): whether the log shows the framework's GPU build, i.e. a fact rules its CPU build out
    (knowledge/ruleouts.toml, the same decision LOG104's ranking applies); a row of knowledge/priors.toml counted for such
    logs then ranks the causes (``unused_prior``'s ``gpu_build_shown``)."""
    if framework in ("any", "several") or framework in ANSWERS_ABOUT_PACKAGE:
        return False
    _, moved = ruleout.rank(["FRAMEWORK_CPU_BUILD"], facts, framework)
    return "FRAMEWORK_CPU_BUILD" in moved and moved["FRAMEWORK_CPU_BUILD"][0].effect == "rules_out"


# === accfirst (session 22): the reporter's "unused" against the log's own word that the GPU works ===
# A log that states the GPU works for this run (explain/works.py: "its using all my VRAM", "`is_available()` yields
# True", "training works on gpu fine") has had the machine, the driver, the framework's GPU build and the CUDA
# libraries all in place: a no-GPU cause contradicts it. What the reporter's "unused" can still mean is that the
# program placed (part of) the work on the CPU, or that the GPU sat idle. Where the "unused" is only the reporter's
# suspicion ("I don't think the models are using my gpu", "it doesn't seem to find the GPU": explain.works.suspected),
# the log's fact answers it and nothing is named. Counted over every labelled case where LOG104 fired with such a
# statement (bench/base_rates.py; docs/explain-accuracy.md, Session 22): see PLACEMENT_COUNTS.
PLACEMENT_CAUSES = ("CODE_FORCES_CPU", "GPU_UNDERUSED")


def _found_by_own_check(facts: LogFacts, framework: str) -> Seen[bool] | None:
    """The framework's own answer that it found the GPU, where only the writer's words say the work went to the CPU: no
    framework's answer says no GPU, no line hides or picks devices (CUDA_VISIBLE_DEVICES, the code's own device list), and
    the writer's words name no other framework than the one that answered. None otherwise."""
    if any(s.value is False for values in facts.gpu_answer.values() for s in values):
        return None
    # The writer's own words, not a program's message they quote or paste ("it returns "No GPU/TPU found, falling back to
    # CPU."", absl's "WARNING:absl:No GPU/TPU found": another framework's answer, or a state the later answer shows over).
    own = [s for s in facts.counted_unused() if not (s.value in s.text and grammar.quoted(s.text, s.text.index(s.value))) and not grammar.program_line(s.text)]
    if not own:
        return None
    if facts.environment.get("CUDA_VISIBLE_DEVICES") or facts.code_sets_visible_devices or facts.code_selects_gpu:
        return None
    keys = [framework] if framework != "any" else list(facts.gpu_answer)
    for key in keys:
        if key in ANSWERS_ABOUT_PACKAGE:
            continue  # what the package was built with (ONNX Runtime's provider list), not a device the check found
        found = next((a for a in facts.gpu_answer.get(key, []) if a.value is True), None)
        if found is not None and not any(works.of_other_framework(s.text, key) for s in own):
            return found
    return None


def _placement_only(subject: LogSubject, framework: str, said_no: list[Seen[bool]], answer: Seen[bool] | None = None) -> Iterator[Outcome]:
    """LOG104's reading where the log states the GPU works (or the framework's own answer found it): nothing where the
    "unused" is only suspected, else the placement."""
    facts = subject.facts
    places = {s.where for s in said_no}
    words = [s for s in facts.stated_unused if s.where in places] or [s for s in facts.stated_unused]
    stated = next((s for s in facts.stated_gpu_works if not works.of_other_framework(s.value, framework)), None)
    code = facts.stated_code_cpu[:1]
    if not words or ((stated is not None or answer is not None) and all(works.suspected(s.text, s.value) for s in words)):
        return
    first, *rest = PLACEMENT_CAUSES
    evidence = _ev(words[0], *([stated] if stated else []), *([answer] if answer is not None and stated is None else []), *code)
    said = (f"The log says the GPU works ({stated.value!r}) yet says the work ran on the CPU" if stated else
            f"The framework's own check found the GPU ({answer.text.strip()!r}) yet the log says the work ran on the CPU" if answer is not None else
            f"The log says the work ran on the CPU and names the program's own code ({code[0].value!r})")
    yield Hit(
        title=f"{said}. Likeliest: {cause_meaning(first)}",
        evidence=evidence,
        fix=log_cause_fix(first, subject, framework=framework) + "\nTo tell the causes apart: print the device the program's "
        "model and tensors are on while it runs (next(model.parameters()).device, tensor.device) beside nvidia-smi's process list "
        "and GPU-Util: on cpu means the program placed them there; on cuda with low GPU-Util means the GPU waits for its input.",
        confidence=Confidence.LOW,
        scope=framework,
        cause=first,
        blocks_gpu=True,
        extra={"why": "the log states the GPU works for this run, which rules out every cause that keeps the GPU from it" if stated else
               "the framework's own check found the GPU (the machine, the driver, its GPU build and the CUDA libraries answer) and no "
               "setting hides it, so what keeps the work on the CPU is where the program puts it (causes.md: CODE_FORCES_CPU)" if answer is not None else
               "the writer names the program's own code as what keeps the work on the CPU (causes.md: CODE_FORCES_CPU)",
               "source": "https://pytorch.org/docs/stable/notes/cuda.html"},
    )
    for alt in rest:
        yield alternative_hit(alt, tuple(evidence[:1]), first, scope=framework)


@rule(
    "LOG104", "log-gpu-unused-without-reason", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Says that the GPU went unused when a framework's own answer shows it (torch.cuda.is_available() is False, list_physical_devices('GPU') is [], only CPU devices listed) and no line names a reason; ranks the likely causes for that framework, version and platform, and names the one check that decides. Another framework (Theano) reporting the GPU it uses on the same machine rules out the machine, the driver and the CUDA libraries, leaving the framework's own build. Where only the reporter's words say the GPU went unused and the log states that it works for this run (its VRAM in use, is_available() True in prose, training fine on the GPU), no cause that keeps the GPU from the run is named: nothing where the unused is only suspected, else the program's placement of the work.",
        why="Frameworks often fall back to the CPU without an error at the default log level; a log with that answer is not a log that says nothing.",
        example=">>> torch.cuda.is_available()\nFalse\n(https://github.com/pytorch/pytorch/issues/31243)",
        fix="Run the deciding check the finding names (the framework's build, then nvidia-smi), or whygpu doctor on the machine.",
        limits="The ranking is by how often each cause explains that answer for that framework and platform; the log alone cannot prove it.",
        references=("https://pytorch.org/get-started/locally/", "https://www.tensorflow.org/install/pip", "https://docs.jax.dev/en/latest/installation.html"),
    ),
    decides=Decides(over="generic", cause="any", by="scope", gathers=True),
)
def gpu_unused_without_reason(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.gpu_unused() or subject.gpu_in_use:
        return
    by_framework = facts.unused_by_framework()
    several = len([fw for fw in by_framework if fw != "any"]) > 1
    from whygpu.explain.inuserules import blind_monitor_only

    blind_monitor = blind_monitor_only(facts) is not None  # the same for every framework: asked once
    for framework, said_no in by_framework.items():
        answers = facts.gpu_answer.get(framework, [])
        if (found := _found_by_own_check(facts, framework)) is not None and not subject.blocking(None if framework == "any" else framework):
            # accwords (session 28): only the writer's words say the work ran on the CPU, and the framework's own check found
            # the GPU ("Is CUDA available (PyTorch): Yes", is_available() True) with no setting that hides or picks devices:
            # the program's own placement of the work (``_placement_only``).
            yield from _placement_only(subject, framework, said_no, answer=found)
            continue
        if any(a.value is True for a in answers) or subject.blocking(None if framework == "any" else framework):
            continue
        if blind_monitor:
            continue  # lead (session 35): the writer read a monitor blind to CUDA work, and only that says unused: LOG631
        if (not any(a.value is False for a in answers) and not facts.cpu_machine
                and any(f.generic and f.blocks_gpu and f.alternative_to is None for f in subject.matched)):
            # accwords (session 19): with only the user's words to say the GPU went unused ("No GPU utilization"),
            # this ranking knows less than a failure line the log shows (a library that could not be loaded,
            # read generically): that line's reading stands (holdout6 gh-c0untfloyd-roop-unleashed-400). Not
            # where the log names the machine as one without a GPU: that is more than the line says (holdout3
            # gh-kubeflow-examples-483, "I don't have a GPU connected to the cluster" beside libcuda not loaded).
            continue
        if (framework == "onnxruntime" and answers and all(".get_providers()" in a.text for a in answers if a.value is False)
                and any(f.blocks_gpu and f.alternative_to is None for f in subject.matched)):
            # accmisc (session 27): a session's own providers (sess.get_providers()) without CUDA's follow from the CUDA
            # provider failing to load, which the failure line the log shows explains; only the installed package's list
            # (get_available_providers()) is an answer about the package.
            continue
        if ((any(not works.of_other_framework(s.value, framework) for s in facts.stated_gpu_works) or facts.stated_code_cpu)
                and not any(a.value is False for a in answers)):
            # accounter (session 23): or the writer names the program's own code as what keeps the work on the CPU.
            # accfirst (session 22): only the reporter's words say the GPU went unused, and the log states that it works
            # for this run: no cause that keeps the GPU from the run is left (``_placement_only``).
            yield from _placement_only(subject, framework, said_no)
            continue
        shown = facts.versions.get(framework, [])
        gpu_build = _gpu_build_shown(facts, framework)
        # acclibs (session 29): the other frameworks whose own answer in this log found the GPU (a row may be counted for them).
        seen_by = frozenset(k for k, v in facts.gpu_answer.items() if k != framework and any(a.value is True for a in v))
        row = unused_prior("several" if several else framework, _unused_platform(facts), shown[0].value if shown else None,
                           driver_shown=bool(facts.driver_version), gpu_build_shown=gpu_build, seen_by=seen_by)
        causes: list[str] = list(row["causes"])
        own = _own_reason(subject, framework)
        if own is not None:
            # accbroad (session 37): the framework's own line says why it registered no GPU (TensorFlow's "Cannot dlopen some
            # GPU libraries ... Skipping registering GPU devices", printed only after the driver listed a GPU): the causes
            # that line leaves open are the ones ranked, in the row's order, then the line's own; the platform's row alone
            # (a container's CONTAINER_NO_GPU first) speaks of a log that says nothing.
            causes = [c for c in causes if c in own[1]] + [c for c in own[1] if c not in causes]
        if gpu_build and "FRAMEWORK_CPU_BUILD" not in causes:
            # accrank4: a row counted for a GPU build shown does not list the CPU build; it goes first here only so that
            # the ranking below moves it last and the report says which line ruled it out, as with every other row.
            causes.insert(0, "FRAMEWORK_CPU_BUILD")
        builds = facts.cuda_build.get(framework, [])
        gpu_dist = any(d.value == "tensorflow-gpu" for d in facts.distributions.get(framework, []))
        other = facts.other_framework_gpu if framework != "any" else []
        if other:
            # Another framework (Theano, which compiles against the system CUDA and loads cuDNN) used
            # the GPU on this machine: the GPU, the driver and the CUDA libraries work; this
            # framework's own build is what is left.
            shown_gpu_build = (builds and builds[0].value is True) or gpu_dist
            below = ("NO_GPU", "DRIVER_MISSING", "CONTAINER_NO_GPU", "DRIVER_TOO_OLD", "CUDA_LIBS_MISSING", "CUDNN_MISSING")
            causes = [c for c in causes if c not in below and c != "FRAMEWORK_CPU_BUILD"]
            causes = ([] if shown_gpu_build else ["FRAMEWORK_CPU_BUILD"]) + (causes or ["CUDA_LIBS_MISMATCH"])
        if facts.cpu_machine and not facts.stated_cpu_build:
            # The log names the machine as one without a GPU ("deployed on the CPU instance").
            causes = ["NO_GPU", *[c for c in causes if c != "NO_GPU"]]
        # accnoticed41 (session 41): a value that keeps GPU 0 ("0", "0,1": knowledge.visibility.visible_devices_show_one) chooses
        # a GPU on every machine that has one; it hides nothing, so it names no setter's cause.
        hidden = [s for s in facts.environment.get("CUDA_VISIBLE_DEVICES", []) if not visible_devices_show_one(s.value)] \
            if framework not in ANSWERS_ABOUT_PACKAGE else []
        code_hides = [s for s in facts.code_sets_visible_devices if not visible_devices_show_one(s.value)]
        if framework in ANSWERS_ABOUT_PACKAGE:
            pass  # accanswers: the answer names what the package was built with; no device setting changes it
        elif _job_without_gpu(facts):
            # A batch job that asked for no GPU: the scheduler gives it none (LOG117 says so too).
            causes = ["GPU_HIDDEN", *[c for c in causes if c != "GPU_HIDDEN"]]
        if framework in ANSWERS_ABOUT_PACKAGE:
            pass
        elif code_hides or facts.code_selects_gpu:
            # The program's own code chooses the GPUs: ids that do not exist hide them all.
            # acchidden (session 36): who set it decides the cause (knowledge.visible_devices.setter_cause).
            hidden = code_hides or facts.code_selects_gpu
            by_setter = setter_cause("code")
            causes = [*by_setter, *[c for c in causes if c not in by_setter]]
        elif hidden:
            # The log sets the variable that chooses the GPUs: ids that do not exist hide them all.
            by_setter = setter_cause("environment")
            causes = [*by_setter, *[c for c in causes if c not in by_setter]]
        # accrank2: every cause checked against what the log shows (knowledge/ruleouts.toml): a CUDA build shown
        # rules out a CPU build, the driver answering rules out no driver and no GPU... (moved down, last if ruled out).
        by_row_alone = causes == [c for c in [*(["FRAMEWORK_CPU_BUILD"] if gpu_build and "FRAMEWORK_CPU_BUILD" not in row["causes"] else []), *row["causes"]]]
        row_causes = list(causes)
        causes, moved = ruleout.rank(causes, facts, None if framework == "any" else framework)
        version = facts.versions.get(framework, [])
        name = FRAMEWORK_NAMES.get(framework, "The framework")
        said = f"{name}{' ' + version[0].value if version else ''}"
        first = causes[0]
        lower = {code: ruleout.said(row, seen) for code, (row, seen) in moved.items()}
        # acclibs: the other framework's answer that found the GPU, where the row was counted for it, is evidence too.
        seen = [a for k in row.get("seen_by", ()) if k in seen_by for a in facts.gpu_answer.get(k, []) if a.value is True][:1]
        evidence = _ev(said_no[0], *version[:1], *seen, *facts.platform[:1], *hidden[:1], *other[:1], *facts.cpu_machine[:1])
        # What moved a likelier cause below the lead is said with it, and its line is evidence.
        passed = [(code, row, seen) for code, (row, seen) in moved.items() if code != first and row.cause in row_causes[:1]]
        evidence = tuple(dict.fromkeys((*evidence, *_ev(*(seen for _, _, seen in passed)))))
        # accfirst (session 22): where the row alone ranked the causes and its counts do not single out the first
        # (knowledge.priors.lead_decided), the report says so, with the counts, and the deciding check is what decides.
        ruled = [c for c in causes[1:] if c not in moved or moved[c][0].effect != "rules_out"]
        decided, counted = lead_decided(row, first, ruled) if by_row_alone else (True, "")
        lead_word, open_note = ("Likeliest", "") if decided else undecided_words(row, first, counted)
        fix = row.get("fix") or log_cause_fix(first, subject, framework=framework)
        if check_first(first, decided):
            # acccpubuild (session 37): a CPU-only build the counts do not single out is not said as the likeliest, and
            # the build check comes before any reinstall (knowledge.build_check).
            lead_word, fix = "First to check", check_first_fix(framework, fix)
        # Lead (session 35): where only the writer's words say the GPU went unused (no answer of the framework's own shows it),
        # the title says so rather than that the framework found no GPU.
        words_only = not any(a.value is False for a in answers)
        who = "the program" if framework == "any" else said
        head = (f"The writer says {who} does not use the GPU; no line of the log shows it or says why" if words_only
                else f"{said} found no GPU: {own[0].title}" if own is not None
                else f"{said} found no GPU; no line says why")
        if own is not None:
            evidence = tuple(dict.fromkeys((*evidence, *own[0].evidence[:1])))
        # accbroad (session 37): where the framework's own line set the causes, what decides between them is that line's
        # (the row's check speaks of the causes the line left out: a container's --gpus for a library failure).
        decide = row["decide"]
        if own is not None and row["causes"][0] not in own[1] and "To tell the causes apart: " in own[0].fix:
            decide = own[0].fix.split("To tell the causes apart: ", 1)[1]
        yield Hit(
            title=f"{head}. {lead_word}: {cause_meaning(first)}"
            + "".join(f" ({code} ranked lower: {row.why})" for code, row, _ in passed) + open_note,
            evidence=evidence,
            fix=fix + "\nTo tell the causes apart: " + decide,
            confidence=Confidence.LOW if not decided else Confidence.MEDIUM if builds or version or facts.platform or hidden else Confidence.LOW,
            scope=framework,
            cause=first,
            blocks_gpu=True,
            extra={"why": row["why"], "source": row["source"], **({"ranked_lower": lower} if lower else {})},
        )
        # A cause a fact rules out is no alternative (one it only demotes still is).
        for alt in [c for c in causes[1:] if c not in moved or moved[c][0].effect != "rules_out"][:2]:
            yield alternative_hit(alt, tuple(evidence[:1]), first, scope=framework, extra={"tells_apart": row["decide"]})


def _own_reason(subject: LogSubject, framework: str) -> tuple[Finding, tuple[str, ...]] | None:
    """accbroad (session 37): the reading of a line the framework itself printed to say why it registered no GPU (a
    signature about that framework, read generically because many causes print it), with the causes it leaves open (its
    cause, then its alternatives); None where the log shows no such line. Read only where the framework's own answer says
    no GPU: the line and the answer are one account."""
    if framework == "any":
        return None
    for f in subject.matched:
        # A line whose own cause is NO_GPU ("Num GPUs Available: 0", "GPU device not found") restates the answer that no GPU
        # was found; it is not a reason for it.
        if (f.generic and f.blocks_gpu and f.alternative_to is None and f.scope == framework and f.id.startswith("LOG-")
                and f.cause != "NO_GPU"):
            also = tuple(g.cause for g in subject.matched if g.alternative_to == f.cause and g.id == f.id)
            return f, tuple(dict.fromkeys((f.cause, *also)))
    return None


@rule(
    "LOG105", "log-library-exists-elsewhere", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Finds a library that a program could not load, whose file the same log shows on disk (a `locate`, `find` or `ls` line).",
        why="The file exists, so it is not missing: the loader's search path (LD_LIBRARY_PATH, ldconfig, %PATH%) does not reach its directory.",
        example="Could not load library libcudnn_ops_infer.so.8. ... / $ locate libcudnn_ops_infer.so.8 / /home/u/.local/lib/python3.8/site-packages/nvidia/cudnn/lib/libcudnn_ops_infer.so.8\n(https://github.com/SYSTRAN/faster-whisper/issues/297)",
        fix="export LD_LIBRARY_PATH=<that directory>:$LD_LIBRARY_PATH before the program starts (in the job's environment, not only ~/.bashrc), or register it with ldconfig.",
        limits="The path may be on another machine or in another environment than the one that failed.",
        references=("https://man7.org/linux/man-pages/man8/ld.so.8.html",),
    ),
)
def library_exists_elsewhere(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    for failed in facts.library_failed:
        found = facts.library_files.get(failed.value, [])
        if not found:
            continue
        from whygpu.knowledge.loader_search import searched_by_loader

        if searched_by_loader(found[0].value, found[0].text):
            continue  # acclibpath (session 35): shown where the loader searches by itself: not off its path
        directory = re.split(r"[\\/][^\\/]*$", found[0].value)[0]
        yield Hit(
            title=f"{failed.value} exists at {found[0].value}, but the loader does not look there",
            evidence=_ev(failed, found[0]),
            fix=f"export LD_LIBRARY_PATH={directory}:$LD_LIBRARY_PATH  (set it where the program starts: the job's environment, the service, the conda activation script), or add {directory} to /etc/ld.so.conf.d and run ldconfig."
            if "/" in found[0].value else f"Add {directory} to %PATH% for the process (or copy the DLL beside the program).",
            confidence=Confidence.HIGH,
            blocks_gpu=True,
        )


@rule(
    "LOG106", "log-macos-no-cuda", "NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Finds a CUDA failure or a framework without a GPU in a log from macOS (a /Users/ path, macOS, an Apple M-series chip); CTranslate2's refusal of a compute type counts as one (its macOS build has no CUDA: the device was the CPU).",
        why="Macs have no NVIDIA GPU that current CUDA supports (CUDA's last macOS release was 10.2, and Apple silicon has no NVIDIA GPU at all): no framework build can use CUDA there.",
        example="AssertionError: Torch not compiled with CUDA enabled (in /Users/.../site-packages/torch/cuda/__init__.py)\n(https://github.com/deepbeepmeep/Wan2GP/issues/1680)",
        fix="Use the Apple GPU through PyTorch's MPS device (device='mps') or tensorflow-metal, or run on a Linux machine with an NVIDIA GPU.",
        references=("https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/", "https://pytorch.org/docs/stable/notes/mps.html"),
    ),
)
def macos_no_cuda(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    # accvoice41 (session 41): CTranslate2's refusal of a compute type (explain.ccsupport.compute_type_refused) counts as the
    # failure here: CTranslate2 has no CUDA build for macOS, so on a Mac the device that refused float16 was the CPU.
    if facts.platform_name() != "darwin" or subject.gpu_in_use or not (_unused_or_blocked(subject) or facts.compute_type_refused):
        return
    if _tensorflow_mac_without_metal(subject):
        return  # TensorFlow's answer on a Mac is about its Metal plugin (LOG134), not CUDA
    if facts.driver_cuda or any(v.value == "nvidia" for v in facts.gpu_vendor):
        # accwords3: a Mac whose log names its CUDA driver ("CUDA driver 9.0.197") or its NVIDIA GPU is one of the Intel Macs
        # with an NVIDIA GPU that CUDA supported through 10.2: it has a GPU; what the rest of the log says decides.
        return
    if any(v.value == "amd" for v in facts.gpu_vendor) or any(v.value == "apple" for v in facts.stated_gpu_vendor):
        # acchw (session 22): a Mac whose GPU the log names as AMD's (a Radeon Pro) or Apple's own (an M-series chip) has a
        # GPU that no CUDA build can use (causes.md: GPU_NOT_SUPPORTED, LOG107/LOG260), not no GPU: holdout7
        # pytorch-pytorch-53954 (Vega 20) and holdout21 yoshitakamo-localcolabfold-102 (M1 Max) are so labelled; a Mac
        # naming no GPU stays NO_GPU (8 of the labelled macOS cases).
        return
    mac = [s for s in facts.platform if s.value == "darwin"]
    yield Hit(
        title="This is a Mac: there is no NVIDIA GPU for CUDA to use",
        evidence=_ev(mac[0], *facts.gpu_unused()[:1]),
        fix="Use the Apple GPU instead: PyTorch device='mps' (torch.backends.mps.is_available()), or tensorflow-metal; for CUDA, run on a Linux machine with an NVIDIA GPU.",
        confidence=Confidence.HIGH,
        blocks_gpu=True,
    )


# A line naming the GPU itself: the maker with "GPU" or "graphics card" (also in Chinese and Japanese:
# 显卡, 顯示卡, グラフィック), a Radeon name or model number ("RX 6600", "AMD 6600XT"), Arc, Instinct.
_NAMED_NON_NVIDIA_GPU = re.compile(
    r"(?<![A-Za-z0-9])(?:AMD|Intel)(?:\(R\))? ?(?:GPU|graphics card|显卡|顯示卡|グラフィック)|\bRadeon\b|\bVega ?\d|\bRX ?\d{3,4}\b"
    r"|(?<![A-Za-z0-9])AMD ?\d{4} ?XTX?(?![A-Za-z0-9])|\bIntel(?:\(R\))? Arc\b|\bInstinct MI\d", re.I)
# Intel's integrated graphics (HD, UHD, Iris, "Intel ... Graphics"), not its discrete Arc boards.
_INTEL_INTEGRATED = re.compile(r"Intel(?:\(R\)|®)?(?: [\w-]+){0,2} Graphics|Intel(?:\(?R?\)?|®) ?(?:UHD|HD|Iris|Xe)\b", re.I)  # accwords3: ® as (R), Xe


def _intel_integrated_only(facts: LogFacts) -> list[Seen[str]]:
    """The lines naming Intel's integrated graphics, when they are the only GPU the log names (no NVIDIA, AMD or Arc)."""
    vendors = {s.value for s in facts.gpu_vendor}
    if vendors != {"intel"}:
        return []
    intel = [s for s in facts.gpu_vendor if s.value == "intel"]
    if any(re.search(r"\bArc\b", s.text, re.I) for s in intel):
        return []
    return [s for s in intel if _INTEL_INTEGRATED.search(s.text)]


@rule(
    "LOG107", "log-gpu-not-nvidia", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Finds a log that names only AMD or Intel GPUs (or a ROCm build) where a framework found no usable GPU.",
        why="CUDA builds use NVIDIA GPUs only; an AMD GPU needs a ROCm build of the framework (and a GPU ROCm supports), an Intel GPU its own plugin.",
        example="- GPU model and memory: AMD Radeon Radeon RX Vega 64\n(https://github.com/tensorflow/tensorflow/issues/23377)",
        fix="For AMD: a ROCm build (pip install torch --index-url https://download.pytorch.org/whl/rocm6.2, or tensorflow-rocm) on a GPU ROCm supports; for Intel: intel-extension-for-pytorch or the TensorFlow Intel plugin; or use an NVIDIA GPU.",
        references=("https://rocm.docs.amd.com/projects/install-on-linux/en/latest/reference/system-requirements.html",),
    ),
)
def gpu_not_nvidia(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    vendors = {s.value for s in facts.gpu_vendor}
    if not vendors & {"amd", "intel"} or "nvidia" in vendors or subject.gpu_in_use:
        return
    if _intel_integrated_only(facts):
        return  # a machine whose only GPU is Intel's integrated graphics: LOG146
    # The GPU unused, or at least a CUDA framework in the picture (a report about using it).
    if not _unused_or_blocked(subject) and not (facts.frameworks_shown() or facts.cuda_installed):
        return
    seen = [s for s in facts.gpu_vendor if s.value in ("amd", "intel")]
    # A line naming the GPU itself (a Radeon model, "an AMD GPU") rather than only the maker: then the
    # machine's GPU is known, and no build of a CUDA framework can use it.
    named = _NAMED_NON_NVIDIA_GPU.search(seen[0].text) is not None
    yield Hit(
        title=f"The GPU this log names is {'an AMD' if seen[0].value == 'amd' else 'an Intel'} GPU, which CUDA builds cannot use",
        evidence=_ev(seen[0], *facts.gpu_unused()[:1]),
        fix="AMD: use a ROCm build of the framework on a GPU that ROCm supports (the ROCm system requirements list them); Intel: the framework's Intel GPU plugin; or run on an NVIDIA GPU.",
        confidence=Confidence.HIGH if named else Confidence.MEDIUM,
        blocks_gpu=True,
    )


@rule(
    # Counted over every labelled case whose log names Intel's integrated graphics as the machine's GPU
    # (dev, holdout..holdout8, holdout11, negatives2, cases.json, real-logs): NO_GPU 2 (holdout4
    # pytorch-pytorch-39028 "Intel HD graphics 4000", holdout5 xinntao-esrgan-88 "Intel i5 Graphics"),
    # GPU_NOT_SUPPORTED 0: such a laptop or desktop has no NVIDIA GPU at all (causes.md's NO_GPU), and no
    # framework build would make its integrated graphics a CUDA device.
    "LOG146", "log-intel-integrated-graphics-only", "NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Finds a log whose only GPU named is Intel's integrated graphics (HD, UHD, Iris, 'Intel ... Graphics'), no NVIDIA GPU, where a framework found no usable GPU.",
        why="CUDA needs an NVIDIA GPU; integrated Intel graphics is not one, so the machine has no GPU CUDA can use.",
        example="I am not using NVIDIA GPU , but i have Intel HD graphics 4000.\n(https://github.com/pytorch/pytorch/issues/39028)",
        fix="Run on a machine with an NVIDIA GPU (or a cloud GPU instance), or run the code on the CPU (device='cpu'); Intel's own GPU plugins serve its Arc and data-center GPUs, not older integrated graphics.",
        references=("https://developer.nvidia.com/cuda-gpus", "https://pytorch.org/docs/stable/notes/get_start_xpu.html"),
    ),
)
def intel_integrated_only(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    intel = _intel_integrated_only(facts)
    if not intel or subject.gpu_in_use:
        return
    if not _unused_or_blocked(subject) and not (facts.frameworks_shown() or facts.cuda_installed):
        return
    yield Hit(
        title="The only GPU this log names is Intel's integrated graphics: the machine has no NVIDIA GPU for CUDA",
        evidence=_ev(intel[0], *facts.gpu_unused()[:1]),
        fix="Run on a machine with an NVIDIA GPU (or a cloud GPU instance), or make the code run on the CPU (device='cpu' instead of .cuda()); "
        "check with `nvidia-smi` (or `lspci | grep -i nvidia`): nothing listed means no NVIDIA GPU.",
        confidence=Confidence.HIGH,
        blocks_gpu=True,
    )
    yield alternative_hit(
        "GPU_NOT_SUPPORTED", _ev(intel[0]), "NO_GPU",
        title="Possible instead: an Intel GPU that needs Intel's own framework plugin rather than CUDA",
        fix="Intel GPUs are used through Intel's plugins (PyTorch's XPU device, intel-extension-for-pytorch, the TensorFlow Intel extension), on the GPUs they support.",
    )


@rule(
    "LOG108", "log-gpu-memory-taken", "GPU_BUSY", Severity.ERROR,
    RuleDoc(
        what="Finds a CUDA out-of-memory error in a log whose nvidia-smi table shows a GPU's memory already almost full.",
        why="Another process holds the memory; the job fails to allocate even its first tensors on that GPU.",
        example="|  15514MiB / 16130MiB |    100%      Default | ... RuntimeError: CUDA error: out of memory\n(https://github.com/yangjianxin1/GPT2-chitchat/issues/19)",
        fix="nvidia-smi shows which processes hold the memory: stop them, or run on a free GPU (CUDA_VISIBLE_DEVICES=<free id>).",
        limits="The table may have been printed at another time than the failure.",
    ),
)
def gpu_memory_taken(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.out_of_memory:
        return
    for seen in facts.gpu_memory:
        used, total = (int(x) for x in seen.value.split("/"))
        if total and used >= 0.9 * total:
            yield Hit(
                title=f"A GPU's memory was already {used} of {total} MiB used when the job ran out of memory",
                evidence=_ev(seen, facts.out_of_memory[0]),
                fix="Run `nvidia-smi` to see which processes hold the GPU's memory; stop them or choose a free GPU (CUDA_VISIBLE_DEVICES=<free id>).",
                confidence=Confidence.MEDIUM,
                blocks_gpu=True,
            )
            return


@rule(
    "LOG118", "log-oom-memory-held-elsewhere", "GPU_BUSY", Severity.ERROR,
    RuleDoc(
        what="Reads the numbers of PyTorch's out-of-memory message (total capacity, free, and the failing process's whole use, which PyTorch 2.1+ states: 'this process has X memory in use'; else what its allocator holds: 'reserved in total by PyTorch', 'cached', or 2.1+'s allocated and reserved-but-unallocated split) and finds memory held outside the failing process, well beyond the driver's own reservation.",
        why="When the GPU's used memory (total minus free) is far more than the failing process holds, another process (a notebook kernel, a zombie, another user's job) holds it; an out-of-memory error whose numbers fit the process's own use is a model or batch too large, which this rule leaves alone.",
        example="torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB. GPU 0 has a total capacity of 23.65 GiB of which 17.06 MiB is free. Process 1523 has 17.90 GiB memory in use. Including non-PyTorch memory, this process has 5.71 GiB memory in use. ...\n(https://github.com/pytorch/pytorch/blob/main/c10/cuda/CUDACachingAllocator.cpp)",
        fix="nvidia-smi lists the processes holding the GPU's memory: stop them (or wait for them), or run on a free GPU (CUDA_VISIBLE_DEVICES=<free id>).",
        limits="Without the process's whole use (before PyTorch 2.1, or without NVML) memory outside PyTorch's allocator may be the same process's (its context, cuDNN/cuBLAS workspaces, another framework loaded beside torch), so another holder is claimed (medium confidence) only where the card was full (under 5% free) and the allocator held under half of it, beyond a margin of 15% of the GPU (at least 2 GiB). A process in another container or PID namespace is not listed by nvidia-smi there; with the whole use a margin of 10% of the GPU (at least 1 GiB) is left for the driver's own reservation.",
        references=("https://pytorch.org/docs/stable/notes/cuda.html#memory-management",),
    ),
)
def oom_memory_held_elsewhere(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.oom_held_elsewhere:
        return
    seen = facts.oom_held_elsewhere[0]
    # The process's whole use stated (PyTorch 2.1+ with NVML) leaves only the driver's reservation unexplained; the
    # allocator's count alone leaves the process's other allocations (knowledge.gpus.memory_held_elsewhere).
    whole = "this process has" in seen.text
    yield Hit(
        title=f"The GPU ran out of memory while {seen.value} of its memory was held by something other than "
              + ("this process" if whole else "PyTorch's allocator"),
        evidence=_ev(seen),
        fix="Run `nvidia-smi` to see which processes hold the GPU's memory (a notebook kernel, a finished job's zombie, another user's job): stop them, or choose a free GPU (CUDA_VISIBLE_DEVICES=<free id>).",
        confidence=Confidence.HIGH if whole else Confidence.MEDIUM,
        blocks_gpu=True,
    )


def _numbers_underused(facts: LogFacts) -> list[Seen[Reading]]:
    """accutil (session 30): the utilisation numbers that the one decision over them (knowledge.utilisation.decide) reads as the
    GPU used but idle: the writer's small share of the run or kernels in bursts, or a low share while the run holds the GPU's
    memory or a process on it and the CPU or the input side is busy. It keeps accounter's (session 23) reading of Windows: a
    share said with no CUDA monitor named there is the Task Manager's 3D engine (3 of 7 negatives with a small share said)."""
    decision = facts.utilisation_decision()
    return [facts.utilisation[i] for i in decision.used] if decision.kind == UNDERUSED else []


def _input_bound_measured(facts: LogFacts) -> list[Seen[str]]:
    """accwords (session 33): a program's own measurement that the step time goes to waiting for input (TensorFlow's profiler
    "Your program is HIGHLY input-bound"; knowledge/utilisation.toml [[input_message]] rows that decide alone)."""
    from whygpu.knowledge.utilisation import GPU_MEMORY, GPU_PROCESS, input_bound_alone, thresholds

    # Not where a monitor shows the GPU holding no run (no compute process, or no context's memory): the GPU not used at all.
    readings = [s.value for s in facts.utilisation]
    if any(r.subject == GPU_PROCESS and r.high == 0 for r in readings) or any(
            r.subject == GPU_MEMORY and r.low <= thresholds()["no_context_mib"] for r in readings):
        return []
    return [s for s in facts.input_bound if input_bound_alone(s.value)]


def _underused_asserted(stated: list[Seen[str]]) -> list[Seen[str]]:
    """The writer's words that the GPU is underused, less those under a verb of seeming with no measure on their line (no
    number, no utilisation or usage named: "it looks like that the GPU is idle most of the time" is an impression, while
    "the GPU utilization was very low ... It looks like the GPU is waiting for data" reports a reading; accnoticed39,
    session 39, grammar.seeming)."""
    from whygpu.explain import grammar

    out = []
    for seen in stated:
        at = seen.text.find(seen.value)
        # (accutil40: a monitor named on the line is a measure too: "Watching nvidia-smi, it seems that the GPU is working
        # intermittently" reports what the monitor showed.)
        if at >= 0 and not re.search(r"\d\s*%|\butili[sz]\w*|\busage\b|\bload\b|\bnvidia-smi\b|\bnvtop\b|\bgpustat\b|\bnvitop\b", seen.text, re.I):
            left, _right = grammar.sentence_at(seen.text, at, at + len(seen.value))
            if grammar.seeming(seen.text, left, at):
                continue
        out.append(seen)
    return out


@rule(
    "LOG109", "log-gpu-underused-stated", "GPU_UNDERUSED", Severity.WARNING,
    RuleDoc(
        what="Finds the user's own report that GPU utilisation is low or unstable while training runs, or the run's utilisation numbers read as one fact and decided by one rule (knowledge.utilisation.decide: the writer's share of at most 20% in any wording, 'GPU at 3%', '5-7% GPU usage', 'between 0 and 15%', or kernels in bursts; or a monitor's low share, nvidia-smi's table or query CSV, gpustat, nvtop, nvitop, while the run holds the GPU's memory or a process on it and the CPU (top, htop, the writer's words) or the input side is busy; not on Windows or WSL without a CUDA monitor named, where the Task Manager's share follows the 3D engine; there a low share said in words, 'extremely low GPU utilization', counts only beside words of waiting), or the writer's zero beside their words that the run holds GPU memory ('GPU memory looks normal, but GPU util is always 0'), or the GPU's share said short of full ('GPU utilization is not 100%'), or that the GPU waits for data or the CPU (sleeping, starved, the data loader, input pipeline, preprocessing or the CPU named as the bottleneck, 'the gpu is fast but the cpu is slow').",
        why="The GPU is used but waits for input: the data pipeline, CPU preprocessing or small batches keep it idle part of the time.",
        example="In locally sync mode, the GPU utilization is unstable (sometime 100%, sometime 0%)\n(https://github.com/tensorflow/lingvo/issues/140)",
        fix="Profile the input pipeline: prefetch (tf.data prefetch, DataLoader num_workers and pin_memory), larger batches, move preprocessing off the training step; watch `nvidia-smi dmon` or `whygpu monitor`.",
    ),
)
def gpu_underused_stated(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.utilisation import words_share_counted

    facts = subject.facts
    windows = facts.platform_name() in ("windows", "wsl", "wsl1", "wsl2")
    words = [s for s in _underused_asserted(facts.stated_underused)
             if words_share_counted(s.text, windows=windows, cuda_monitor_named=bool(facts.util_cuda_monitor))]
    said: list[Seen[str]] | list[Seen[Reading]] = words or _numbers_underused(facts) or _input_bound_measured(facts)
    decision = facts.utilisation_decision()
    if not said or facts.counted_unused() or subject.blocking() or decision.kind == UNUSED:
        # (accutil: the numbers decided the GPU not used at all, 0% with no context's memory and no process of the run: one
        # decision, read as the writer's "unused" and ranked with the framework's causes, not also as underuse.)
        # (accounter: a suspicion that the GPU is unused, answered by the log's word that it works, is no statement
        # that it is: explain.works.suspected, LogFacts.counted_unused.)
        return
    from whygpu.explain.placementrules import placement_speaks

    if placement_speaks(facts) is not None:
        return  # accinst (session 30): the pasted code never puts the model on the GPU; "idle" is that GPU not used (LOG430)
    if facts.cpu_notice:
        # accwords (session 28): the program's own notice that its work runs on the CPU ("Using CPU", "the model will run on
        # the CPU") says the GPU was not used at all, which GPU_UNDERUSED (used but idle) is not: LOG104 ranks that notice as
        # the framework's answer, and the writer's "idle" beside it is the same GPU not used.
        return
    if not facts.gpu_seen() and any(s.value is False for values in facts.gpu_answer.values() for s in values):
        # accmisc (session 27): an idle GPU is one the framework found and used; where the framework's own answer found no
        # GPU at all (is_available() False, a CPU-only device list) and none found one, "idle" is the writer's word for the
        # GPU not used, which that answer's readings explain (causes.md: GPU_UNDERUSED is "used but idle").
        return
    from whygpu.knowledge.utilisation import step_learner_advice

    # accgbdt41 (session 41): a learner that runs one step on the GPU by design (LightGBM's histograms) is idle between its GPU
    # steps whatever feeds it: its own guide's advice is the fix, not an input pipeline's (knowledge/utilisation.toml).
    learner = step_learner_advice(facts.util_step_learner[0].value) if facts.util_step_learner else ""
    yield Hit(
        title="The GPU is used but often idle (low or unstable utilisation)",
        evidence=_ev(*said[:3]),
        fix=(learner or "Feed the GPU faster: prefetch batches (tf.data .prefetch(tf.data.AUTOTUNE) and map(num_parallel_calls=tf.data.AUTOTUNE); DataLoader(num_workers=..., pin_memory=True)), use larger batches, and move preprocessing out of the training step; measure with `nvidia-smi dmon` or `whygpu monitor`."
            " What decides: the time a step waits for its batch against the time it computes (TensorFlow's profiler, input-pipeline analyzer; PyTorch: time the loop over the DataLoader alone against the training step, or torch.profiler): most of it waiting is the input side.")
            + (f"\n{decision.advice}" if decision.advice else ""),
        confidence=Confidence.MEDIUM,
        blocks_gpu=False,
    )


# --- TensorFlow's classes of log (LOG131 on) ---------------------------------------------------


@rule(
    "LOG131", "log-driver-library-not-kernel-module", "DRIVER_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Compares the driver version the user-space library reports (libcuda, as TensorFlow's CUDA diagnostics print it) with the version of the loaded kernel module (the same diagnostics, or /proc/driver/nvidia/version's NVRM line).",
        why="The user-space driver libraries and the kernel module must come from one driver release; a leftover libcuda of another release, or an update without a reboot, makes cuInit fail and the framework fall back to the CPU.",
        example="I tensorflow/stream_executor/cuda/cuda_diagnostics.cc:189] libcuda reported version is: 375.66.0 / I tensorflow/stream_executor/cuda/cuda_diagnostics.cc:193] kernel reported version is: 384.130.0\n(https://github.com/tensorflow/tensorflow/issues/22525)",
        fix="Reboot so the kernel module of the installed driver is loaded; if the versions still differ, remove the other release's libcuda (an old driver's leftovers, a CUDA toolkit's bundled driver) and reinstall one driver cleanly.",
        limits="Both versions must appear in the log; trailing zero parts are no difference (375.66.0 is 375.66, knowledge.cuda_versions.same_driver_version).",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/",),
    ),
)
def driver_library_not_kernel_module(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.driver_library_version or not facts.driver_kernel_version or subject.gpu_in_use:
        return
    library, kernel = facts.driver_library_version[0], facts.driver_kernel_version[0]
    if same_driver_version(library.value, kernel.value) is not False:
        return
    yield Hit(
        title=f"The driver library libcuda is {library.value} but the loaded kernel module is {kernel.value}: two driver releases",
        evidence=_ev(library, kernel),
        fix="Reboot so the installed driver's kernel module is loaded; if the versions still differ, remove the other release's user-space libraries "
        f"(libcuda.so {library.value}) and reinstall one driver release cleanly (`nvidia-smi` then answers without 'Driver/library version mismatch').",
        confidence=Confidence.HIGH,
        blocks_gpu=True,
    )


def _tensorflow_unused(subject: LogSubject) -> list[Seen[Any]]:
    """The lines showing TensorFlow did not use the GPU (its own answer, a blocking finding, or the user's words about it)."""
    facts = subject.facts
    said = facts.unused_by_framework()
    lines = list(said.get("tensorflow", []))
    if not lines and "any" in said and "tensorflow" in facts.mentioned:
        lines = list(said["any"])
    if not lines and subject.blocking("tensorflow"):
        finding = subject.blocking("tensorflow")[0]
        lines = [Seen(False, finding.evidence[0].split(": ", 1)[0] if finding.evidence else "log", finding.title)]
    return lines


@rule(
    "LOG132", "log-jetson-pypi-tensorflow", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds an NVIDIA Jetson board (Nano, TX2, Xavier, Orin, JetPack, L4T) in a log where TensorFlow did not use the GPU and no NVIDIA Jetson build (+nv version) is shown.",
        why="pip's TensorFlow for Linux aarch64 is a CPU build; a Jetson's integrated GPU is reached only by NVIDIA's own TensorFlow wheels for the board's JetPack release (knowledge/tensorflow.toml, board rows).",
        example="OS platform: Ubuntu 20.04 / Mobile device: NVIDIA Jetson AGX Orin ... Tensorflow does not recognize my GPU\n(https://github.com/tensorflow/tensorflow/issues/62711)",
        fix="Install NVIDIA's TensorFlow wheel for the board's JetPack release instead of PyPI's (NVIDIA's Jetson install guide).",
        limits="A log may name a Jetson while the failing run was elsewhere; a Jetson wheel whose version the log does not show is not recognised as one.",
        references=("https://docs.nvidia.com/deeplearning/frameworks/install-tf-jetson-platform/index.html",),
    ),
)
def jetson_pypi_tensorflow(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.tensorflow import tensorflow_board

    facts = subject.facts
    board = tensorflow_board("jetson")
    if not facts.on_jetson() or subject.gpu_in_use or board is None or board.pypi_gpu:
        return
    from whygpu.knowledge.jetson import tegra_build

    if any((v := tegra_build("tensorflow", s.value)) is not None and v[0] for s in facts.versions.get("tensorflow", [])):
        return  # NVIDIA's own Jetson build (knowledge/jetson.toml's builds, accjet: the one decision of a Tegra build)
    unused = _tensorflow_unused(subject)
    if not unused:
        return
    yield Hit(
        title=f"This is an NVIDIA Jetson ({facts.jetson[0].value}): pip's TensorFlow has no GPU build for it",
        evidence=_ev(facts.jetson[0], unused[0], *facts.versions.get("tensorflow", [])[:1]),
        fix=f"The GPU build for a Jetson is {board.gpu_build}: {board.install}. (Source: {board.source})",
        confidence=Confidence.MEDIUM,
        scope="tensorflow",
        blocks_gpu=True,
    )


def _both_tensorflow_packages(facts: LogFacts) -> tuple[Seen[Any], Seen[Any]] | None:
    """(the GPU package, the CPU package) when the log shows tensorflow-gpu installed beside a CPU TensorFlow.

    ``tensorflow-cpu`` is always a CPU build; plain ``tensorflow`` is one where pip's package of that
    release has no CUDA code (``knowledge.tensorflow.tensorflow_pip_has_gpu``: before 1.15.0, the later
    1.15 patches and 2.0; 1.15.0 and 2.1 on have it), or when no version is shown.  conda's
    ``tensorflow-gpu`` is a metapackage that selects tensorflow's GPU build: beside it plain
    ``tensorflow`` is that build.
    """
    from whygpu.knowledge.tensorflow import tensorflow_gpu_package, tensorflow_pip_has_gpu

    installed = facts.tf_packages_installed
    gpu = [s for s in installed if s.value == "tensorflow-gpu"]
    if not gpu:
        return None
    versions = facts.versions.get("tensorflow", [])
    version = versions[0].value if versions else None
    metapackage = tensorflow_gpu_package(version, _installer(gpu[0].text)) == "conda-metapackage"
    def plain_cpu(seen: Seen[Any]) -> bool:
        # acctwins (session 28): the plain package's own release where its row or pin shows one ("tensorflow==1.14.0").
        own = re.search(r"(?<![A-Za-z0-9_-])tensorflow(?:\s*==\s*|\s+|-)v?(\d+\.\d+[\w.]*)", seen.text, re.I)
        return not metapackage and tensorflow_pip_has_gpu(own.group(1) if own else version) is not True

    cpu = [s for s in installed if s.value == "tensorflow-cpu"
           or (s.value == "tensorflow" and plain_cpu(s) and _installer(s.text) != "conda")]
    # The package installed last wins: a GPU package installed after the CPU one (a later line) replaced it.
    # (acctwins, session 28: a listing's rows are in the listing's order, by name, which says nothing of which came last.)
    cpu = [c for c in cpu if not _later(gpu[0].where, c.where) or installstate.listing_row(gpu[0].text)]
    if cpu:
        return gpu[0], cpu[0]
    if facts.stated_cpu_build:
        return gpu[0], facts.stated_cpu_build[0]
    return None


def _installer(line: str) -> str | None:
    """The installer a line that shows a package uses: "conda" (conda, mamba), "pip", or None when it does not say
    (accunify, session 26: the command as the one parser of commands reads it, explain.installstate.install_commands)."""
    for command in installstate.install_commands(line):
        if command.manager == "conda" and command.verb in ("install", "create", "list"):
            return "conda"
        if command.pip:
            return "pip"
    return None


def _later(where: str, than: str) -> bool:
    """True when ``where`` is a later line of the same file than ``than`` (``file:line`` places)."""
    file, _, line = where.rpartition(":")
    other_file, _, other_line = than.rpartition(":")
    return file == other_file and line.isdigit() and other_line.isdigit() and int(line) > int(other_line)


def _tensorflow_pair_fix(gpu: Seen[Any]) -> str:
    """accnodev (session 33): LOG133's fix, with the release of tensorflow-gpu the log shows where that release is a GPU build
    of its own (before 2.1) or the GPU build's old name (2.1 to 2.11; knowledge.tensorflow.tensorflow_gpu_package): the
    same package installed again alone, and from 2.1 the install guide's check."""
    from whygpu.knowledge.python_layouts import same_import_groups, twin_repair
    from whygpu.knowledge.tensorflow import tensorflow_gpu_package

    version = installstate.member_version(gpu.text, "tensorflow-gpu")
    kind = tensorflow_gpu_package(version, _installer(gpu.text)) if version else "unknown"
    group = next((g for g in same_import_groups() if g.group == "tensorflow"), None)
    if group is not None and kind in ("gpu-build", "old-name"):
        repair = twin_repair(group if kind == "old-name" else replace(group, check=""), "tensorflow-gpu", ["tensorflow", "tensorflow-cpu"], version)
        return repair + ". Remove the CPU TensorFlow from the dependencies that pulled it in (install_requires, requirements files)."
    return ("pip uninstall -y tensorflow tensorflow-cpu tensorflow-gpu, then install one GPU package (before TensorFlow 2.1 tensorflow-gpu; from 2.1 tensorflow, on Linux from 2.14 \"tensorflow[and-cuda]\"), "
            "and remove the CPU TensorFlow from the dependencies that pulled it in (install_requires, requirements files).")


@rule(
    "LOG133", "log-tensorflow-gpu-beside-cpu-package", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Finds tensorflow-gpu installed together with a CPU TensorFlow package (tensorflow-cpu, or plain tensorflow of a release whose pip package had no CUDA code: before 2.1 except 1.15.0) in one environment: one pip command, a package list, or the user's words that a CPU version was installed over tensorflow-gpu.",
        why="The packages install the same `tensorflow` module; the one installed last overwrites the other, so a dependency that pulls the CPU package leaves a CPU-only TensorFlow behind.",
        example="pip install tensorflow-gpu tensorflow  ... Keras will use CPU under this circumstance.\n(https://github.com/keras-team/keras/issues/6997)",
        fix="pip uninstall -y tensorflow tensorflow-cpu tensorflow-gpu, then install one GPU package (before 2.1: tensorflow-gpu; from 2.1: tensorflow, on Linux from 2.14 tensorflow[and-cuda]); keep CPU TensorFlow out of the dependencies.",
        limits="Plain tensorflow from 2.1 on (and 1.15.0) is itself a GPU build (knowledge/tensorflow.toml pip_gpu); with such a version shown only tensorflow-cpu counts. Beside conda's tensorflow-gpu, a metapackage that selects tensorflow's GPU build, plain tensorflow is that build.",
        references=("https://pypi.org/project/tensorflow-gpu/", "https://github.com/tensorflow/tensorflow/releases/tag/v2.1.0"),
    ),
)
def tensorflow_gpu_beside_cpu_package(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    both = _both_tensorflow_packages(facts)
    if both is None or subject.gpu_in_use or facts.stated_gpu_works:
        return  # (acctwins: nor where the writer states the GPU works for the run: the build that imports is the GPU one)
    gpu, cpu = both
    evidence = _ev(gpu, cpu)
    yield Hit(
        title="tensorflow-gpu and a CPU-only TensorFlow package are installed together: the one installed last replaced the other",
        evidence=evidence,
        fix=_tensorflow_pair_fix(gpu),
        # (accnoticed39, session 39: a pair only the writer's words show, no listing, command or installer output, is MEDIUM.)
        confidence=Confidence.HIGH if cpu.value in ("tensorflow", "tensorflow-cpu")
        and (installstate.shown_by_a_tool(gpu.text) or installstate.shown_by_a_tool(cpu.text)) else Confidence.MEDIUM,
        scope="tensorflow",
        blocks_gpu=True,
    )
    yield alternative_hit("FRAMEWORK_CPU_BUILD", evidence[:1], "FRAMEWORK_INSTALL_BROKEN", scope="tensorflow")


def _tensorflow_mac_without_metal(subject: LogSubject) -> list[Seen[Any]]:
    """TensorFlow's own 'no GPU' answers on a Mac, when no CUDA failure line explains them."""
    facts = subject.facts
    if facts.platform_name() != "darwin" or subject.gpu_in_use or subject.blocking():
        return []
    answers = [s for s in facts.gpu_answer.get("tensorflow", []) if s.value is False]
    others = [fw for fw, values in facts.unused_by_framework().items() if fw != "tensorflow" and values]
    return answers if answers and not others else []


@rule(
    "LOG134", "log-tensorflow-mac-without-metal", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds TensorFlow on macOS answering that it has no GPU (list_physical_devices('GPU') is [], only CPU devices) when no CUDA failure explains it.",
        why="On a Mac, TensorFlow lists the Apple GPU as a GPU device only with Apple's tensorflow-metal plugin installed; without it the build is CPU-only there (CUDA never applies on a Mac).",
        example=">>> tf.config.list_physical_devices(\"GPU\") / [] (TensorFlow 2.15 on an arm64 Mac)\n(https://github.com/sun1638650145/Libraries-and-Extensions-for-TensorFlow-for-Apple-Silicon/issues/20)",
        fix="pip install tensorflow-metal (a release matching the TensorFlow version, per Apple's plugin page); TensorFlow then lists the Apple GPU.",
        limits="An Intel Mac with an AMD GPU needs macOS 12 or later for the plugin.",
        references=("https://developer.apple.com/metal/tensorflow-plugin/",),
    ),
)
def tensorflow_mac_without_metal(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.tensorflow import tensorflow_package

    answers = _tensorflow_mac_without_metal(subject)
    if not answers:
        return
    facts = subject.facts
    metal = tensorflow_package("tensorflow-metal")
    mac = [s for s in facts.platform if s.value == "darwin"]
    yield Hit(
        title="TensorFlow on this Mac lists no GPU: without the tensorflow-metal plugin it runs on the CPU only",
        evidence=_ev(answers[0], *mac[:1], *facts.versions.get("tensorflow", [])[:1]),
        fix="pip install tensorflow-metal (Apple's plugin; a release matching this TensorFlow), then tf.config.list_physical_devices('GPU') lists the Apple GPU."
        + (f" (Source: {metal.source})" if metal is not None else ""),
        confidence=Confidence.HIGH,
        scope="tensorflow",
        blocks_gpu=True,
    )


_CUDA_LIBRARY_STEM = re.compile(r"^(?:lib)?(cudart|cublas|cublasLt|cufft|curand|cusolver|cusparse|cudnn)", re.I)


@rule(
    "LOG135", "log-tensorflow-some-cuda-libraries-loaded", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Finds TensorFlow skipping the GPU because some GPU libraries could not be opened, in a log whose other lines show CUDA libraries opened successfully and no line names one that failed.",
        why="CUDA is installed (TensorFlow loaded some of its libraries); a set that loads only in part is most often a CUDA release other than the build's: sonames that changed between releases (libcusolver.so.10 to .so.11 in CUDA 11.1, libcudart.so.10.1 to .so.10.2) are the ones missing.",
        example="Successfully opened dynamic library libcusparse.so.11 ... Cannot dlopen some GPU libraries. Please make sure the missing libraries mentioned above are installed properly\n(https://github.com/googlecolab/colabtools/issues/2013)",
        fix="Run once with TF_CPP_MIN_LOG_LEVEL=0 to see which library failed, then install the CUDA release of the TensorFlow build's tested configuration (or a TensorFlow built for the installed CUDA).",
        limits="The log does not say which library failed; a library kept in a directory of its own (cuDNN) that the loader does not search would read the same.",
        references=("https://www.tensorflow.org/install/source#gpu",),
    ),
)
def tensorflow_some_cuda_libraries_loaded(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    skipped = [f for f in subject.matched if f.id == "LOG-TF-DLOPEN-SKIP" and f.alternative_to is None]
    loaded = [s for s in facts.library_loaded if _CUDA_LIBRARY_STEM.match(s.value)]
    if not skipped or not loaded or facts.library_failed or subject.gpu_in_use:
        return
    from whygpu.knowledge.tensorflow import tensorflow_build

    names = ", ".join(dict.fromkeys(s.value for s in loaded[:4]))
    versions = facts.versions.get("tensorflow", [])
    build = tensorflow_build(versions[0].value, _platform_key(facts)) if versions and not facts.nvidia_tensorflow() else None
    wants = f" (TensorFlow {versions[0].value} is built for CUDA {build.cuda})" if build is not None and build.gpu and build.cuda else ""
    evidence = (*skipped[0].evidence[:1], *_ev(loaded[0], *versions[:1]))
    yield Hit(
        title=f"TensorFlow loaded some CUDA libraries ({names}) but not all: the CUDA installed is likely another release than its build wants{wants}",
        evidence=tuple(dict.fromkeys(evidence)),
        fix="Run once with TF_CPP_MIN_LOG_LEVEL=0 to see which library failed to load, then install the CUDA release of this TensorFlow's tested build"
        + (f" (CUDA {build.cuda})" if wants and build is not None else "")
        + " beside the other one, or a TensorFlow release built for the installed CUDA.",
        confidence=Confidence.MEDIUM,
        scope="tensorflow",
        blocks_gpu=True,
    )
    cudnn_loaded = any(s.value.lower().startswith("libcudnn") or s.value.lower().startswith("cudnn") for s in loaded)
    for alt in ("CUDA_LIBS_NOT_ON_PATH", *(() if cudnn_loaded else ("CUDNN_MISSING",))):
        yield alternative_hit(alt, tuple(evidence[:1]), "CUDA_LIBS_MISMATCH", scope="tensorflow")


@rule(
    "LOG136", "log-version-incompatible-stated", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Finds the user's own words that the installed CUDA or cuDNN version does not work with the framework ('the default cuDNN is version 6.1, which is not compatible with any version of tensorflow'), when no line names another cause and none shows the GPU in use.",
        why="Each framework build loads the CUDA and cuDNN versions it was built for; a user who found the installed one is another version has usually found the cause (CUDA: CUDA_LIBS_MISMATCH; cuDNN: CUDNN_MISMATCH).",
        example="The conda environment is broken as the default cuDNN binary is version 6.1, which is not compatible with any version of tensorflow.\n(https://github.com/Azure/MachineLearningNotebooks/issues/1908)",
        fix="Install the CUDA or cuDNN version of the framework build's tested configuration, or a framework build for the version installed.",
        limits="It is the user's reading, not a line of the framework's; it speaks only when nothing else in the log names a cause.",
        references=("https://www.tensorflow.org/install/source#gpu",),
    ),
)
def version_incompatible_stated(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.stated_incompatible or subject.gpu_in_use or subject.blocking():
        return
    seen = facts.stated_incompatible[0]
    cudnn = seen.value == "cudnn"
    installed = facts.cudnn_installed if cudnn else facts.cuda_installed
    yield Hit(
        title=f"The log says the installed {'cuDNN' if cudnn else 'CUDA'}"
        + (f" ({installed[0].value})" if installed else "") + " does not work with the framework: a version mismatch",
        evidence=_ev(seen, *installed[:1]),
        fix=log_cause_fix("CUDNN_MISMATCH" if cudnn else "CUDA_LIBS_MISMATCH", subject),
        confidence=Confidence.MEDIUM,
        cause="CUDNN_MISMATCH" if cudnn else "CUDA_LIBS_MISMATCH",
        blocks_gpu=True,
    )


# A framework's own answer about its build: TensorFlow's is_built_with_cuda() or build info,
# PyTorch's torch.version.cuda or collect_env's "CUDA used to build PyTorch", OpenCV's getBuildInformation() ("NVIDIA CUDA: NO",
# accnogpu: explain/ownanswer.py reads it only in a log about OpenCV's CUDA); or the build string
# of TensorFlow's conda package (`conda list`: _tflow_select mkl, tensorflow-base eigen_py...).
_BUILD_ANSWER = re.compile(r"is_built_with_cuda|is_compiled_with_cuda|is_cuda_build|version\.cuda|CUDA used to build|NVIDIA CUDA\s*:\s*NO|Use Cuda\s*:\s*NO|^\s*(?:_tflow_select|tensorflow(?:-base)?)\s+\d[\w.]*\s+(?:mkl|eigen|cpu)")


@rule(
    "LOG137", "log-framework-says-no-cuda-build", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds a framework's own answer that its build has no CUDA (tf.test.is_built_with_cuda() is False, tf.sysconfig.get_build_info()'s is_cuda_build is False, torch.version.cuda is None), or a `conda list` line whose TensorFlow package is a CPU variant (_tflow_select mkl or eigen, tensorflow-base mkl_/eigen_/cpu_ builds), whatever else the log shows.",
        why="A build without CUDA never uses an NVIDIA GPU; the framework itself says so, which outranks every guess about drivers and libraries.",
        example=">>> tf.test.is_built_with_cuda()\nFalse\n(https://github.com/tensorflow/tensorflow/issues/60172)",
        fix="Install the framework's GPU build (TensorFlow on Linux: pip install \"tensorflow[and-cuda]\"; on native Windows the last GPU build is 2.10, else WSL2; PyTorch: a wheel from its CUDA index).",
        limits="An answer given in another environment than the failing one (another venv, another machine) misleads it.",
        references=("https://www.tensorflow.org/api_docs/python/tf/test/is_built_with_cuda", "https://pytorch.org/get-started/locally/"),
    ),
)
def framework_says_no_cuda_build(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use:
        return
    for framework, builds in facts.cuda_build.items():
        # accpkg (session 21): the same variant in mamba's table or conda's older plan (explain.installstate.conda_package_row).
        answers = [s for s in builds if s.value is False and (_BUILD_ANSWER.search(s.text) or installstate.conda_package_row(s.text))]
        if not answers or any(s.value is True for s in builds):
            continue
        name = FRAMEWORK_NAMES.get(framework, framework)
        yield Hit(
            title=f"{name} says its build has no CUDA: it cannot use the GPU",
            evidence=_ev(answers[0], *facts.versions.get(framework, [])[:1], *facts.platform[:1]),
            fix=log_cause_fix("FRAMEWORK_CPU_BUILD", subject, framework=framework),
            confidence=Confidence.HIGH,
            scope=framework,
            blocks_gpu=True,
        )


TENSORFLOW_RULES: list[Rule[LogSubject]] = [
    driver_library_not_kernel_module, jetson_pypi_tensorflow, tensorflow_gpu_beside_cpu_package,
    tensorflow_mac_without_metal, tensorflow_some_cuda_libraries_loaded, version_incompatible_stated,
    framework_says_no_cuda_build,
]


def _gpu_capability(facts: LogFacts) -> tuple[str, Seen[Any]] | None:
    """The compute capability the log states, or that the GPU model it names has (knowledge/gpus.toml)."""
    from whygpu.explain.ccsupport import names_build_targets

    for stated in facts.compute_capability:
        if not names_build_targets(stated.text):  # accnoticed: a build's -gencode list is not the GPU's capability
            return stated.value, stated
    from whygpu.explain.whichgpu import failing_run_first
    from whygpu.knowledge.gpus import gpu_in_text

    for seen in failing_run_first(facts.gpu_model):  # accsmall38: the failing run's GPU, not one the code worked on
        model = gpu_in_text(seen.value)
        if model is not None and model.compute_capability:
            return model.compute_capability, seen
    # accversions (session 20): a cloud machine the log names, whose GPU the knowledge tables know (Azure's VM sizes, EC2's types).
    from whygpu.knowledge.azure import azure_vm_size

    for seen in facts.vm_size:
        size = azure_vm_size(seen.value)
        if size is not None and size.compute_capability:
            return size.compute_capability, Seen(seen.value, seen.where, f"{seen.text} ({size.name}: {size.gpu_model}, compute capability {size.compute_capability})")
    # ... and Amazon EC2's instance families (knowledge/aws.toml names the GPU; knowledge/gpus.toml its capability).
    from whygpu.knowledge.aws import aws_instance_gpu

    for seen in facts.ec2_instance:
        instance = aws_instance_gpu(seen.value)
        model = gpu_in_text(instance.gpu_model) if instance is not None else None
        if instance is not None and model is not None and model.compute_capability:
            return model.compute_capability, Seen(seen.value, seen.where, f"{seen.text} ({seen.value}: {instance.gpu_model}, compute capability {model.compute_capability})")
    return None


def _highest_possible_capability(facts: LogFacts) -> tuple[str, Seen[Any]] | None:
    """lead (session 30): for a GPU name sold with several capabilities (knowledge/gpus.toml's undecided rows: "GeForce GT
    730", 2.1 or 3.5), the highest of them, shown with all: a floor above it is above every board of that name, so LOG110
    decides there as it does for a name of one chip (and stays quiet where the floor falls between them)."""
    from whygpu.knowledge.gpus import gpu_in_text

    for seen in facts.gpu_model:
        model = gpu_in_text(seen.value)
        if model is not None and not model.compute_capability and model.compute_capabilities:
            from whygpu.knowledge._util import cc_tuple

            ranked = sorted(model.compute_capabilities, key=lambda cc: cc_tuple(cc) or (0, 0))
            return ranked[-1], Seen(seen.value, seen.where, f"{seen.text} ({model.name}: compute capability {' or '.join(ranked)}, by its board)")
    return None


# Whose own statement of its floor each framework's ``build_cc_min`` is, as LOG110 words it.
_OWN_FLOOR = {"torch": "this PyTorch build (its own capability warning)",
              "tensorflow": "this TensorFlow build (its own statement of its minimum)",
              # acccc (session 23): any program's own words ("the 't' kernel requires 5.0 capability!"; explain.versionfacts).
              "program": "the program (its own statement of the capability it needs)"}


class Floor(NamedTuple):
    """The lowest compute capability a build the log shows supports: whose minimum it is, whether it is every tabled
    release's (no version of the framework shown), and the line that showed the build (None for CUDA's own floor)."""

    cc: str
    who: str
    every_release: bool = False
    seen: Seen[Any] | None = None
    # accarch (session 28): the floor of every framework's official builds, for a log that names no framework.
    frameworks: bool = False


def _minimum_capability(facts: LogFacts) -> Floor | None:
    """The lowest compute capability the build supports, from the knowledge tables (see ``Floor``)."""
    from whygpu.knowledge.cuda import cuda_architecture_support
    from whygpu.knowledge.tensorflow import tensorflow_min_compute_capability

    # The build's own statement of its range (PyTorch's capability warning, TensorFlow's minimum) beats any table.
    for framework, stated in facts.build_cc_min.items():
        return Floor(stated[0].value, _OWN_FLOOR[framework], seen=stated[0])
    for seen in facts.versions.get("tensorflow", [])[:1]:
        minimum = tensorflow_min_compute_capability(seen.value)
        if minimum:
            return Floor(minimum, f"TensorFlow {seen.value}'s official wheels", seen=seen)
    for seen in facts.versions.get("torch", [])[:1]:
        from whygpu.knowledge.torch import torch_min_compute_capability

        cuda = facts.build_cuda.get("torch", [])
        minimum = torch_min_compute_capability(seen.value, cuda[0].value if cuda else None)
        if minimum:
            return Floor(minimum, f"PyTorch {seen.value}'s official binaries", seen=seen)
    # accversions (session 20): JAX's CUDA plugins state their lowest compute capability (knowledge/jax.toml); a release's
    # minimum is the lowest of its variants' (the GPU is below every build of that release).
    for seen in [*facts.versions.get("jaxlib", []), *facts.versions.get("jax", [])][:1]:
        from whygpu.knowledge.jax import jax_cuda_requirements

        needs = jax_cuda_requirements(seen.value)
        floors = sorted({v.min_compute_capability for v in needs.variants}, key=lambda cc: tuple(int(p) for p in cc.split("."))) if needs else []
        if floors:
            return Floor(floors[0], f"JAX {seen.value}'s CUDA plugins", seen=seen)
    # accversions (session 20): the CUDA the build was made for (a +cuNNN torch, TensorFlow's tested build, a CUDA library the
    # build loads): no build for a CUDA major can hold code below that major's floor (knowledge/cuda.toml [[architecture]]).
    wanted = list(_wanted_by_build(facts)) + [("any", s.value, s) for s in facts.cuda_wanted]
    for fw, build, shown in wanted[:1]:
        from whygpu.knowledge.cuda_versions import version_tuple

        major = version_tuple(build)[:1]
        support = cuda_architecture_support(major[0]) if major else None
        if support is not None:
            who = {"torch": "PyTorch", "tensorflow": "TensorFlow"}.get(fw, "the program")
            return Floor(support.min_cc, f"{who}'s builds for CUDA {build} (CUDA {major[0]} runs nothing older)", seen=shown)
    # accversions (session 20): a framework the log names without its version: the lowest minimum of all its releases the
    # knowledge tables cover (a GPU below it is below every official binary of theirs); only where every framework named has one.
    named = [fw for fw in ("torch", "tensorflow", "jax") if fw in facts.mentioned]
    if named and not any(facts.versions.get(fw) for fw in named):
        from whygpu.knowledge.jax import jax_lowest_compute_capability
        from whygpu.knowledge.tensorflow import tensorflow_lowest_compute_capability
        from whygpu.knowledge.torch import (
            torch_first_release_for_python,
            torch_lowest_compute_capability,
        )

        # accfacts (session 25): the Python the log shows bounds PyTorch's release from below (no older release has wheels
        # for it: knowledge/torch.toml [[python]] wheels_from, the wheel question of torch_python_support), so the lowest of those
        # releases' minimums judges.
        python = facts.python[0].value if facts.python else None
        since = torch_first_release_for_python(python) if python else None
        # acccc (session 21): JAX's too (knowledge/jax.toml's cuda_variant rows).
        lows = {"torch": torch_lowest_compute_capability(since), "tensorflow": tensorflow_lowest_compute_capability(),
                "jax": jax_lowest_compute_capability()}
        found = [(fw, lows.get(fw)) for fw in named]
        if all(low is not None for _, low in found):
            fw, low = min(found, key=lambda pair: tuple(int(p) for p in pair[1][0].split(".")))  # type: ignore[index]
            assert low is not None
            pretty = {"torch": "PyTorch", "tensorflow": "TensorFlow", "jax": "JAX"}[fw]
            bounded = f" (the first with wheels for Python {python})" if fw == "torch" and since and low[1] == since else ""
            return Floor(low[0], f"{pretty}'s official binaries of every release since {low[1]}{bounded}", True,
                         facts.python[0] if bounded else None)
    if not named and facts.gpu_unused():
        # accarch (session 28): no framework named (a program's own words, "Using device CPU"), and the log shows the GPU
        # unused: the lowest minimum of the official GPU builds of every framework the tables cover (3.5: PyTorch from 0.4.1,
        # TensorFlow from 1.5), as a GPU below it is outside every one of them. Counted over every labelled log that names a
        # GPU below 3.5 (session 28, 35 logs): GPU_NOT_SUPPORTED 26 of 32 positives, and of the 5 that show the GPU unused,
        # GPU_NOT_SUPPORTED 4 (a Kepler 3.0 card under CuPy, Easy Diffusion, JAX, DeepFaceLab), FRAMEWORK_CPU_BUILD 1 (an
        # OpenCV CPU build, its own reading ranks first); 3 negatives, none showing the GPU unused.
        from whygpu.knowledge.jax import jax_lowest_compute_capability
        from whygpu.knowledge.tensorflow import tensorflow_lowest_compute_capability
        from whygpu.knowledge.torch import torch_lowest_compute_capability

        every = [(name, low) for name, low in (("PyTorch", torch_lowest_compute_capability()), ("TensorFlow", tensorflow_lowest_compute_capability()),
                                               ("JAX", jax_lowest_compute_capability())) if low is not None]
        if every:
            lowest = min((low[0] for _name, low in every), key=lambda cc: tuple(int(p) for p in cc.split(".")))
            since = " and ".join(f"{name} since {low[1]}" for name, low in every if low[0] == lowest)
            return Floor(lowest, f"the official GPU builds of the machine-learning frameworks ({since}; the log names none)", True,
                         facts.gpu_unused()[0], frameworks=True)
    # No CUDA release since 9.0 builds for anything older than this (Fermi was removed in 9.0).
    oldest = cuda_architecture_support(9)
    if oldest is not None:
        return Floor(oldest.min_cc, "every CUDA release since 9.0")
    return None


@rule(
    "LOG110", "log-gpu-older-than-build", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Compares the compute capability of the GPU the log names (stated, or from the GPU model via knowledge/gpus.toml) with the lowest one the framework build (TensorFlow's, PyTorch's official binaries) or CUDA supports.",
        why="A build without code for the GPU's architecture sees the GPU but cannot run a kernel on it ('no kernel image', 'invalid device function'), or ignores it.",
        example="my old graphics card (GeForce GM630m => cuda capability 2.1), I always get the `cuda runtime error (8) : invalid device function` error\n(https://github.com/pytorch/pytorch.github.io/issues/72)",
        fix="Use a GPU the build supports, or an older framework release (or a source build) that still includes the GPU's architecture.",
        limits="A model name the table does not know gives no capability; a name sold on boards of several capabilities (knowledge/gpus.toml's undecided rows, 'GeForce GT 730': 2.1 or 3.5) decides only where the floor is above all of them; the minimum is the one the build states itself (PyTorch's capability warning, TensorFlow's 'The minimum required Cuda capability is X' also where it stands alone), else the framework's when the log shows its version (TensorFlow's, PyTorch's, JAX's CUDA plugins'), else the lowest of the CUDA major the build was made for (a +cuNNN torch, TensorFlow's tested build, a CUDA library's soname), else, for PyTorch, TensorFlow or JAX named without a version, the lowest of every release the tables cover (only where the log shows the GPU unused or failing: an older release or a source build may run it), else, with no framework named and the GPU shown unused, the lowest of every framework's official builds (3.5; a program's own verdict on the GPU, 'no compatible GPU', is LOG315's), else CUDA's since 9.0 (a program on an older CUDA, such as Theano on CUDA 8 with a Fermi GPU, is judged by it too, unless the log shows the GPU in use).",
        references=("https://developer.nvidia.com/cuda-gpus", "https://www.tensorflow.org/install/pip#hardware_requirements"),
    ),
)
def gpu_older_than_build(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    found = _gpu_capability(facts)
    bounded = found is None  # the name's boards differ: the highest of their capabilities is compared
    found = found or _highest_possible_capability(facts)
    minimum = _minimum_capability(facts)
    if found is None or minimum is None or (subject.gpu_in_use and not subject.blocking()):
        return
    cc, seen = found
    said = f"at most {cc}" if bounded else cc
    from whygpu.knowledge.gpus import compute_capability_below

    if not compute_capability_below(cc, minimum.cc):
        return
    if minimum.frameworks and (facts.no_compatible_gpu or any(getattr(s.value, "gpu", None) for s in facts.cc_unsupported)):
        return  # the program's own verdict on the GPU, judged by LOG315 with the builds it may have
    confidence = Confidence.MEDIUM
    if minimum.every_release and not _unused_or_blocked(subject):
        # accversions: with no version shown (an older release or a source build may run it), CUDA's own floor judges
        # where the log shows the GPU neither unused nor failing.
        from whygpu.knowledge.cuda import cuda_architecture_support

        oldest = cuda_architecture_support(9)
        if oldest is not None and compute_capability_below(cc, oldest.min_cc):
            minimum = Floor(oldest.min_cc, "every CUDA release since 9.0")
        elif minimum.seen is None:
            return
        else:
            # accfacts (session 25): where the Python the log shows bounds PyTorch's release (the floor's line), a report of
            # its hardware that shows nothing of the GPU at work (an issue template, the writer's account) is still judged by
            # the floor of the releases that install on it, at low confidence (what is shown unused or failing outranks it),
            # as LOG231 judges a release's architecture list. Without that bound an older release or a source build may run
            # the GPU (a TensorFlow built from source lists a 3.0 GPU as its device): quiet, as before.
            confidence = Confidence.LOW
    if asked_about(subject, seen, *([minimum.seen] if minimum.seen is not None else [])):
        return  # accfacts: "Should I use torch 2.8.0+cu129 with a GTX 1070?": a plan asked about, not this machine's state
    stated = [seen[0] for framework, seen in facts.build_cc_min.items() if _OWN_FLOOR[framework] == minimum.who]
    yield Hit(
        title=f"The GPU's compute capability {said} is below {minimum.cc}, the lowest {minimum.who} support",
        evidence=_ev(seen, *stated, *([minimum.seen] if minimum.every_release and minimum.seen is not None else [])),
        fix=f"This GPU (compute capability {said}) cannot run {minimum.who}: use a GPU of compute capability {minimum.cc} or newer, "
        "or an older release (or a build from source) that still includes its architecture.",
        confidence=confidence,
        blocks_gpu=True,
    )


@rule(
    # DRIVER_MISSING, not NO_GPU: the machine has its GPU and the Windows driver; WSL1's kernel has no
    # bridge to it (no /dev/dxg, no /usr/lib/wsl/lib driver libraries). Both labelled WSL1 cases of the
    # corpora (holdout microsoft-wsl-5554, holdout3 microsoft-directml-18) were confirmed DRIVER_MISSING.
    # accadvice40 (session 40), one decision over the labels where it fires: of the 6 labelled WSL1 logs of the corpus, 5
    # are DRIVER_MISSING (dev oobabooga-textgen-458, holdout microsoft-wsl-5554, holdout2 compvis-stable-diffusion-161,
    # holdout3 microsoft-directml-18, holdout6 ollama-1648) and 1 NO_GPU (holdout102 abdbarho-stable-diffusion-webui-docker-117,
    # Docker on WSL1: "WSL environment detected but no adapters were found", whose own resolution is "WSL1 has no GPU
    # support", not a machine without one). By the definitions of docs/causes.md NO_GPU is a machine with no NVIDIA GPU at
    # all; here the GPU and its Windows driver exist, and what Linux lacks is the driver: GPU paravirtualisation is WSL 2's
    # (Microsoft's comparison of WSL versions, https://learn.microsoft.com/windows/wsl/compare-versions: WSL 1 has no managed
    # VM nor Linux kernel), which maps the driver's user-mode library into the distribution (NVIDIA's CUDA on WSL guide:
    # "libcuda.so is automatically mapped inside the WSL 2 container"). So DRIVER_MISSING, and the fix is WSL 2, never a GPU.
    "LOG111", "log-wsl1-no-gpu", "DRIVER_MISSING", Severity.ERROR,
    RuleDoc(
        what="Finds the kernel string of the first Windows Subsystem for Linux (4.4.0-NNNNN-Microsoft) in a log that shows the GPU unused.",
        why="WSL1 has no GPU access at all; CUDA inside Linux on Windows needs WSL2 with the Windows NVIDIA driver.",
        example="Linux DESKTOP 4.4.0-19041-Microsoft #488-Microsoft Mon Sep 01 13:43:00 PST 2020 x86_64 x86_64 x86_64 GNU/Linux\n(https://github.com/microsoft/WSL/issues/1788)",
        fix="wsl --set-version <distro> 2 (or wsl --install), install the NVIDIA Windows driver, and run the framework inside WSL2.",
        limits="DRIVER_MISSING, not NO_GPU: the GPU and its Windows driver exist; WSL1 has no GPU paravirtualisation, so the "
               "driver's libcuda.so is never mapped into the distribution (5 of the 6 labelled WSL1 logs agree).",
        references=("https://learn.microsoft.com/windows/ai/directml/gpu-cuda-in-wsl", "https://learn.microsoft.com/windows/wsl/compare-versions",
                    "https://docs.nvidia.com/cuda/wsl-user-guide/index.html"),
    ),
)
def wsl1_no_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    wsl1 = [s for s in facts.platform if s.value == "wsl1"]
    if not wsl1 or subject.gpu_in_use or not _unused_or_blocked(subject):
        return
    yield Hit(
        title="This runs in WSL1, whose kernel cannot reach the GPU's driver",
        evidence=_ev(wsl1[0], *facts.gpu_unused()[:1]),
        fix="Convert the distribution to WSL2 (`wsl --set-version <distro-name> 2`, see `wsl -l -v`), keep the NVIDIA driver on the Windows side only, and run the framework inside WSL2.",
        confidence=Confidence.HIGH,
        blocks_gpu=True,
    )


# CUDA's "no device" answer (CUDA_ERROR_NO_DEVICE / cudaErrorNoDevice, 100) as the CUDA error readers quote it.
_NO_DEVICE = re.compile(r"CUDA_ERROR_NO_DEVICE|cudaErrorNoDevice|no CUDA-capable device is detected", re.I)


@rule(
    # The knowledge's tensorflow_fails_on decides (knowledge/tensorflow.toml's compute_capability rows:
    # the capabilities a range of wheels is known to fail on although their PTX would reach them, such
    # as Blackwell's 12.0 for 2.17-2.21, counted there). A GPU below the release's minimum is LOG110's.
    "LOG147", "log-gpu-newer-than-build", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Compares the compute capability of the GPU the log names (stated, TensorFlow's own warning, or the GPU model via knowledge/gpus.toml) with what the TensorFlow release the log shows runs on (knowledge/tensorflow.toml), for a GPU newer than the release supports.",
        why="A release without code for a new GPU's architecture falls back to JIT-compiling older PTX, and where even that fails (Blackwell's 12.0 with TensorFlow 2.17-2.21) every GPU op fails.",
        example="TensorFlow version 2.20 ... RTX 5000 series GPU (compute capability 12.0) ... 'cuModuleLoadData(&module, data)' failed with 'CUDA_ERROR_INVALID_PTX'\n(https://github.com/tensorflow/tensorflow/issues/99592)",
        fix="Use a TensorFlow build with code for the GPU (NVIDIA's NGC TensorFlow container, or a release that adds the architecture), or a GPU the release supports.",
        limits="Only TensorFlow's official wheels are judged; NVIDIA's own builds (nvidia-tensorflow, NGC containers) carry other architecture lists.",
        references=("https://www.tensorflow.org/install/pip#hardware_requirements", "https://developer.nvidia.com/cuda-gpus"),
    ),
)
def gpu_newer_than_build(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    found = _gpu_capability(facts)
    versions = facts.versions.get("tensorflow", [])
    if found is None or not versions or facts.nvidia_tensorflow() or (subject.gpu_in_use and not subject.blocking()):
        return
    if facts.listed_only.get("tensorflow"):
        return  # accort40 (session 40): only listed beside ONNX Runtime at work: not what runs (explain.listedonly)
    from whygpu.knowledge.tensorflow import tensorflow_fails_on

    cc, seen = found
    version = versions[0].value
    # Only what is known to fail: an architecture list without the GPU's code leaves the PTX JIT, and
    # two labelled TensorFlow 2.3 reports on a 5.0 GPU (dev tf-42811, tf-44040) were confirmed other causes.
    why = tensorflow_fails_on(version, cc)
    if why is None:
        return
    yield Hit(
        title=f"TensorFlow {version} does not run on this GPU (compute capability {cc}): {why}",
        evidence=_ev(versions[0], seen),
        fix=f"TensorFlow {version}'s wheels have no working code for compute capability {cc}: use a TensorFlow build that supports this GPU "
        "(NVIDIA's NGC TensorFlow container, or a later release that adds the architecture), or run on a GPU the release supports.",
        confidence=Confidence.HIGH,
        blocks_gpu=True,
    )


@rule(
    # Inside WSL2 the GPU is reached only through the Windows driver's libcuda in /usr/lib/wsl/lib
    # (NVIDIA's CUDA on WSL user guide: no Linux driver may be installed inside WSL, the Windows one is
    # "stubbed" as libcuda.so there). A libcuda found first elsewhere (a Linux driver package such as
    # libnvidia-compute-NNN, the toolkit's compat or stubs directory on LD_LIBRARY_PATH) looks for
    # /dev/nvidia* devices WSL does not have, and cuInit answers "no device". Counted over every labelled
    # case whose log shows that answer on WSL2 (dev..holdout8, holdout11, negatives2, cases.json,
    # real-logs): CUDA_LIBS_NOT_ON_PATH 2 (holdout6 genesis-embodied-ai-genesis-world-114, holdout11
    # nvidia-cuml-5624), DRIVER_MISMATCH 1 (holdout11 nvidia-cuml-6218: a Linux driver inside WSL, made to
    # work with LD_LIBRARY_PATH=/usr/lib/wsl/lib), GPU_FAULT 1 (holdout7 microsoft-wsl-6772, where
    # nvidia-smi failed too and its own reading leads), CONTAINER_NO_GPU 1 (holdout11 tensorflow-68711, a
    # container on WSL: the container's reading leads), GPU_HIDDEN 0.
    "LOG145", "log-wsl2-no-device", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Finds CUDA's 'no device' answer (CUDA_ERROR_NO_DEVICE, 'no CUDA-capable device is detected') in a log from WSL2, where no CUDA_VISIBLE_DEVICES is shown and no container is involved.",
        why="In WSL2 the GPU is reached only through the Windows driver's libcuda in /usr/lib/wsl/lib; another libcuda found first (a Linux driver installed inside WSL, the toolkit's stubs on LD_LIBRARY_PATH) finds no device.",
        example="WSL2 Ubuntu 22.04: numba.cuda.cudadrv.error.CudaSupportError: Error at driver init: Call to cuInit results in CUDA_ERROR_NO_DEVICE (100)\n(https://github.com/rapidsai/cuml/issues/6218)",
        fix="ldconfig -p | grep libcuda: only /usr/lib/wsl/lib's may be listed; export LD_LIBRARY_PATH=/usr/lib/wsl/lib:$LD_LIBRARY_PATH, and remove any Linux NVIDIA driver package installed inside WSL.",
        limits="Reads the platform from the log (a WSL2 kernel string, /usr/lib/wsl, the user's words); a container on WSL or a failed nvidia-smi is left to their own readings.",
        references=("https://docs.nvidia.com/cuda/wsl-user-guide/index.html",),
    ),
)
def wsl2_no_device(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if facts.platform_name() not in ("wsl", "wsl2") or subject.gpu_in_use:
        return
    if facts.in_container or facts.container_named or facts.code_sets_visible_devices or facts.environment.get("CUDA_VISIBLE_DEVICES"):
        return
    if _driver_not_reached(subject):
        return  # nvidia-smi or the driver's library failing too: the driver itself is not reached, its readings lead
    said = next((line for m in subject.messages for line in m.evidence if _NO_DEVICE.search(line)), None)
    if said is None:
        return
    wsl = next((s for s in facts.platform if s.value in ("wsl", "wsl2")), None)
    yield Hit(
        title="CUDA found no device inside WSL2: the loader found another libcuda than the Windows driver's in /usr/lib/wsl/lib",
        evidence=(*_ev(*([wsl] if wsl else [])), redact_text(said)),
        fix="Run `ldconfig -p | grep libcuda` inside WSL: only /usr/lib/wsl/lib/libcuda.so* may be listed. Put that directory first "
        "(`export LD_LIBRARY_PATH=/usr/lib/wsl/lib:$LD_LIBRARY_PATH`, drop the toolkit's stubs or compat directory from it), "
        "and remove any Linux NVIDIA driver installed inside WSL (`dpkg -l | grep -E 'nvidia-driver|libnvidia-compute'`); "
        "the Windows NVIDIA driver is the only one WSL2 uses.",
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
    )
    yield alternative_hit(
        "DRIVER_MISMATCH", _ev(*([wsl] if wsl else [])), "CUDA_LIBS_NOT_ON_PATH",
        title="Possible instead: a Linux NVIDIA driver installed inside WSL2 whose libcuda shadows the Windows driver's",
        fix="`dpkg -l | grep -E 'nvidia-driver|libnvidia-compute'` inside WSL: remove what it lists (sudo apt remove ...); WSL2 uses the Windows driver only.",
    )


@rule(
    # NVIDIA's CUDA on WSL guide: the Windows driver is the only one WSL2 uses, "stubbed" inside as
    # libcuda in /usr/lib/wsl/lib; a Linux driver installed inside WSL (a driver package, or the `cuda`
    # meta-package that pulls cuda-drivers) puts its own libcuda first, which cannot reach the GPU.
    # Labelled WSL2 cases showing such a driver: 1, DRIVER_MISMATCH (holdout11 numba-numba-9032:
    # libnvidia-compute-510 and /lib/x86_64-linux-gnu/libcuda.so); the WSL1 one (holdout microsoft-wsl-5554,
    # nvidia-driver-440) is LOG111's.
    "LOG148", "log-wsl2-linux-driver", "DRIVER_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Finds a Linux NVIDIA driver inside WSL2 (its packages: nvidia-driver-NNN, libnvidia-compute-NNN, nvidia-utils-NNN, cuda-drivers; or libcuda in /usr/lib/x86_64-linux-gnu) in a log that shows the GPU unused.",
        why="WSL2 reaches the GPU only through the Windows driver's libcuda in /usr/lib/wsl/lib; a Linux driver's libcuda found first talks to devices WSL does not have.",
        example="$ dpkg --get-selections | grep nvidia\nlibnvidia-compute-510:amd64   install\n(https://github.com/numba/numba/issues/9032)",
        fix="Remove the Linux driver packages inside WSL (sudo apt remove --purge 'nvidia-driver-*' 'libnvidia-compute-*' cuda-drivers), install CUDA in WSL with the WSL-Ubuntu toolkit package (cuda-toolkit-12-x, not `cuda`), and keep the NVIDIA driver on Windows only.",
        references=("https://docs.nvidia.com/cuda/wsl-user-guide/index.html",),
    ),
)
def wsl2_linux_driver(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if facts.platform_name() not in ("wsl", "wsl2") or not facts.linux_driver or not _unused_or_blocked(subject):
        return
    wsl = next((s for s in facts.platform if s.value in ("wsl", "wsl2")), None)
    yield Hit(
        title=f"A Linux NVIDIA driver is installed inside WSL2 ({facts.linux_driver[0].value}): its libcuda shadows the Windows driver's",
        evidence=_ev(*([wsl] if wsl else []), facts.linux_driver[0], *facts.gpu_unused()[:1]),
        fix="Remove the Linux driver inside WSL (`sudo apt remove --purge 'nvidia-driver-*' 'libnvidia-compute-*' cuda-drivers`; check with "
        "`dpkg -l | grep -E 'nvidia-driver|libnvidia-compute|cuda-drivers'` and `ldconfig -p | grep libcuda`: only /usr/lib/wsl/lib may be listed), "
        "install CUDA with the WSL-Ubuntu toolkit package (cuda-toolkit-12-x, not `cuda`, which pulls the driver), and keep the NVIDIA driver on Windows only.",
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
    )


def _cpu_build_program(facts: LogFacts) -> str | None:
    """accnodev (session 33): the program whose CPU build the writer's words name: the one their sentence names (a
    framework or a program of knowledge/cpu_packages.toml: "paddle installed the CPU version"), else the one framework the
    log names; None when neither decides (none named, or several)."""
    from whygpu.knowledge.cpu_packages import framework_named

    named = framework_named(facts.stated_cpu_build[0].text)
    if named is not None:
        return named
    mentioned = sorted(facts.mentioned, key=lambda fw: facts.mentioned[fw])
    return mentioned[0] if len(mentioned) == 1 else None


def _cpu_build_fix(subject: LogSubject, framework: str | None) -> str:
    """The fix for a CPU build of ``framework``: the one fix builder's exact fix for TensorFlow, PyTorch and JAX (with the
    versions the log shows), what installs another program's GPU build (knowledge/cpu_packages.toml), or the general
    advice that names no framework where the program is not known (accnodev: the fix named TensorFlow's, PyTorch's and
    JAX's commands whatever the program)."""
    from whygpu.knowledge.causes import cause_advice_any
    from whygpu.knowledge.cpu_packages import gpu_build_instead

    if framework in FRAMEWORKS:
        return log_cause_fix("FRAMEWORK_CPU_BUILD", subject, framework=framework)
    instead = gpu_build_instead(framework) if framework else None
    if instead:
        return f"Uninstall the CPU build of {FRAMEWORK_NAMES.get(framework or '', framework)} and install its GPU build: {instead}."
    return cause_advice_any("FRAMEWORK_CPU_BUILD")


@rule(
    "LOG112", "log-cpu-build-stated", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds the user's own words that a CPU-only build of the framework was installed ('the system installed tensorflow with cpu version', 'one that doesn't have GPU support').",
        why="A dependency resolver often installs the CPU package of a framework as a requirement of another package, over or instead of the GPU build.",
        example="When I pip install the keras version. The system installed the tensorlow with cpu version.\n(https://github.com/philipperemy/n-beats/issues/30)",
        fix="Uninstall the CPU package and install the GPU build of the same version (pip install \"tensorflow[and-cuda]\", torch from the CUDA index, jax[cuda12]).",
    ),
)
def cpu_build_stated(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.stated_cpu_build or subject.gpu_in_use or subject.blocking() or _both_tensorflow_packages(facts):
        return  # (with tensorflow-gpu installed too, LOG133 says what the CPU package did)
    if any(s.where == facts.stated_cpu_build[0].where for s in facts.cpu_api):
        return  # acccpu: a program's own words on that line, which LOG500 reads with that program's fix
    if any(s.where == facts.stated_cpu_build[0].where for s in facts.jax_build_sign if s.value.kind == "said_cpu_install"):
        return  # accjaxgram (session 40): words of JAX's install on that line, which LOG846 reads with JAX's fix and check
    framework = _cpu_build_program(facts)
    yield Hit(
        title="A CPU-only build of the framework was installed",
        evidence=_ev(facts.stated_cpu_build[0]),
        fix=_cpu_build_fix(subject, framework),
        confidence=Confidence.MEDIUM,
        scope=framework or "",
        blocks_gpu=True,
    )


@rule(
    "LOG113", "log-torch-index-not-published", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds a pip command that asks download.pytorch.org for a CUDA variant PyTorch has never published (cu122, say), by the release table of knowledge/torch.toml.",
        why="pip finds no torch on an index that does not exist; with the package already installed it says 'Requirement already satisfied' and keeps the CPU-only wheel that was there, so the GPU stays unused.",
        example="pip3 install torch torchvision torchaudio --index-url https://download.pytorch.org/whl/cu122\n(https://github.com/suno-ai/bark/issues/437)",
        fix="Install from a published variant not newer than the driver's CUDA (cu121 for a CUDA 12.2 driver): pip install --force-reinstall torch --index-url https://download.pytorch.org/whl/cu121.",
        limits="Variants older than the oldest release the table knows are not judged.",
        references=("https://pytorch.org/get-started/previous-versions/",),
    ),
)
def torch_index_not_published(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use:
        return
    from whygpu.knowledge.torch import (
        torch_cuda_from_local_tag,
        torch_index_published,
        torch_index_url,
        torch_nearest_published_cuda,
    )

    for seen in facts.torch_index:
        if torch_index_published(seen.value) is not False:
            continue
        cuda = torch_cuda_from_local_tag(seen.value) or ""
        nearest = torch_nearest_published_cuda(cuda)
        kept = facts.pip_already_satisfied[:1]
        yield Hit(
            title=f"PyTorch publishes no {seen.value} index"
            + (": pip kept the torch already installed" if kept else ", so no CUDA build of torch came from it"),
            evidence=_ev(seen, *kept, *facts.gpu_unused()[:1]),
            fix=(f"pip install --force-reinstall torch torchvision torchaudio --index-url {torch_index_url(nearest)} "
                 f"(CUDA {nearest}, the newest variant not newer than {cuda}; the driver runs it), then check torch.version.cuda."
                 if nearest else "Choose a CUDA variant listed on https://pytorch.org/get-started/locally/ and reinstall torch with --force-reinstall."),
            confidence=Confidence.MEDIUM,
            scope="torch",
            blocks_gpu=True,
        )
        return


@rule(
    "LOG114", "log-jax-native-windows", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Finds JAX on native Windows (not WSL) in a log that shows the GPU unused or a CUDA install of JAX attempted, and judges the platform by knowledge/jax.toml.",
        why="JAX publishes no CUDA build for native Windows: pip installs the CPU jaxlib (or finds no CUDA wheel at all), so JAX runs on the CPU whatever the GPU and driver.",
        example="C:\\Users\\me>pip install --upgrade \"jax[cuda12_pip]\" -f https://storage.googleapis.com/jax-releases/jax_cuda_releases.html\n(https://github.com/jax-ml/jax/issues/17634)",
        fix="Run JAX in WSL2 (Ubuntu) with pip install -U \"jax[cuda12]\" there, or on a Linux machine; on native Windows JAX uses the CPU.",
        limits="Windows is read from what the log shows (a C:\\ path, win_amd64, 'on win32'); a WSL log that also names Windows counts as WSL.",
        references=("https://docs.jax.dev/en/latest/installation.html#supported-platforms",),
    ),
)
def jax_native_windows(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if facts.platform_name() != "windows" or subject.gpu_in_use or "jax" not in facts.frameworks_shown():
        return
    from whygpu.knowledge.jax import jax_platform_has_cuda

    if jax_platform_has_cuda("windows") is not False:
        return
    wanted = facts.cuda_build.get("jax", [])
    unused = facts.unused_by_framework().get("jax", []) or (facts.gpu_unused() if list(facts.mentioned) == ["jax"] else [])
    if not wanted and not unused and not subject.blocking("jax"):
        return
    windows = [s for s in facts.platform if s.value == "windows"]
    yield Hit(
        title="JAX has no CUDA build for native Windows: it runs on the CPU there",
        evidence=_ev(windows[0], *wanted[:1], *unused[:1], *facts.versions.get("jax", [])[:1]),
        fix="Use WSL2 (wsl --install, then in Ubuntu: pip install -U \"jax[cuda12]\") or a Linux machine; JAX's CUDA wheels are published for Linux only.",
        confidence=Confidence.HIGH,
        scope="jax",
        blocks_gpu=True,
    )


@rule(
    "LOG115", "log-vm-size-without-gpu", "NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Finds the Azure VM size a log names (a job's compute, an `az` command, the VM's metadata) and judges it by knowledge/azure.toml, when the log shows the GPU unused or a framework's GPU use failing.",
        why="A job on a CPU VM size (D, E, F, B series...) has no GPU to find: every framework falls back to the CPU, and no driver or package fixes that.",
        example="\"vm_size\": \"STANDARD_DS3_V2\" ... torch.cuda.is_available() False\n(https://learn.microsoft.com/azure/machine-learning/how-to-create-attach-compute-cluster)",
        fix="Run the job on a GPU compute: an Azure ML cluster or instance of an NVIDIA GPU size (Standard_NC4as_T4_v3, Standard_NC24ads_A100_v4...).",
        limits="Only the sizes the log names are judged; a log naming both a CPU and a GPU size (a driver node and a worker) is left alone.",
        references=("https://learn.microsoft.com/azure/virtual-machines/sizes/overview#gpu-accelerated",),
    ),
)
def vm_size_without_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.vm_size or subject.gpu_in_use or not _unused_or_blocked(subject):
        return
    from whygpu.knowledge.azure import azure_vm_size

    rows = [(seen, azure_vm_size(seen.value)) for seen in facts.vm_size]
    known = [(seen, row) for seen, row in rows if row is not None]
    if not known or any(row.gpu for _, row in known):
        return
    seen, row = known[0]
    yield Hit(
        title=f"The VM size {row.name} has no GPU",
        evidence=_ev(seen, *facts.gpu_unused()[:1]),
        fix=f"{row.name} is a CPU size: run on an NVIDIA GPU size (Azure ML: a compute cluster or instance of Standard_NC4as_T4_v3, Standard_NC24ads_A100_v4 or similar), or switch the job's compute target to one.",
        # Medium: the size named may be another machine's (the instance that submitted the job).
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
    )


@rule(
    "LOG116", "log-cuda-image-without-cudnn", "CUDNN_MISSING", Severity.ERROR,
    RuleDoc(
        what="Finds a cuDNN library that could not be loaded in a log that names an NVIDIA CUDA image whose tag has no cuDNN (the base, runtime and devel flavours without 'cudnn' in the tag), by knowledge/cuda.toml.",
        why="Only the cudnn tags of nvidia/cuda carry cuDNN; a program that needs it in a plain base or runtime image finds none at all.",
        example="I'm using \"nvidia/cuda:12.2.0-base-ubuntu20.04\" ... Could not load library libcudnn_ops_infer.so.8\n(https://github.com/SYSTRAN/faster-whisper/issues/516)",
        fix="Build on a cuDNN tag of the same image (12.2.2-cudnn8-runtime-ubuntu22.04 rather than 12.2.2-base-ubuntu22.04), or pip install the nvidia-cudnn wheel the framework needs and put its lib directory on LD_LIBRARY_PATH.",
        limits="The image named may not be the one that ran.",
        references=("https://hub.docker.com/r/nvidia/cuda",),
    ),
)
def cuda_image_without_cudnn(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    failed = [s for s in facts.library_failed if s.value.lower().removeprefix("lib").startswith("cudnn")]
    if not failed or not facts.cuda_image or subject.gpu_in_use:
        return
    from whygpu.knowledge.cuda import cuda_image_has_cudnn

    verdicts = [(seen, cuda_image_has_cudnn(seen.value)) for seen in facts.cuda_image]
    if any(v is True for _, v in verdicts) or not any(v is False for _, v in verdicts):
        return
    image = next(seen for seen, v in verdicts if v is False)
    parts = image.value.split("-")
    with_cudnn = f"{parts[0]}-cudnn-runtime-{parts[-1]}" if len(parts) >= 3 else f"{parts[0]}-cudnn-runtime"
    yield Hit(
        title=f"The image nvidia/cuda:{image.value} has no cuDNN, and {failed[0].value} could not be loaded",
        evidence=_ev(image, failed[0]),
        fix=f"Use a cuDNN tag of the image, such as nvidia/cuda:{with_cudnn} (tags with -cudnn8- carry cuDNN 8, for builds that want libcudnn*.so.8), "
        "or pip install the nvidia-cudnn wheel the framework needs and add its lib directory to LD_LIBRARY_PATH.",
        confidence=Confidence.HIGH,
        blocks_gpu=True,
    )


def _job_without_gpu(facts: LogFacts) -> list[Seen[Any]]:
    """The scheduler lines of a batch job that requested no GPU (none of the job's lines asks for one)."""
    return [] if facts.scheduler_gpu else facts.scheduler_job


@rule(
    "LOG117", "log-batch-job-without-gpu", "GPU_HIDDEN", Severity.ERROR,
    RuleDoc(
        what="Finds a batch scheduler's job (srun, sbatch, salloc, qsub, bsub command lines or #SBATCH/#PBS/#BSUB directives) that requests no GPU, in a log that shows the GPU unused inside it; strongest when the same check finds the GPU outside the job and not inside it.",
        why="Slurm, PBS and LSF give a job only the GPUs it requests (--gres=gpu:N, --gpus, ngpus=, -gpu); with device constraints a job without a request sees no GPU at all (CUDA_VISIBLE_DEVICES unset or empty), even on a GPU node or where the login node sees one.",
        example="srun python -c \"import torch; print(torch.cuda.is_available())\"\n# False\n(https://slurm.schedmd.com/gres.html)",
        fix="Request the GPU in the job: Slurm `#SBATCH --gres=gpu:1` (or `--gpus=1`; `srun --gres=gpu:1 ...`), PBS `#PBS -l select=1:ngpus=1`, LSF `bsub -gpu \"num=1\"`.",
        limits="The log may not show every line of the job script; a site that grants GPUs by partition alone needs no --gres.",
        references=("https://slurm.schedmd.com/gres.html", "https://slurm.schedmd.com/sbatch.html"),
    ),
)
def batch_job_without_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    jobs = _job_without_gpu(facts)
    if not jobs or subject.gpu_in_use or subject.blocking():
        return
    first = jobs[0]
    unused = facts.gpu_unused()
    seen = facts.gpu_seen()
    inside = [s for s in unused if s.where == first.where or _later(s.where, first.where)]
    # The GPU seen outside the job (before it) and not inside: the job alone lacks it.
    outside = [s for s in seen if _later(first.where, s.where)]
    if not inside or any(s.where == first.where or _later(s.where, first.where) for s in seen):
        return
    yield Hit(
        title=f"The batch job ({first.value}) requested no GPU, and inside it the GPU is not visible"
        + (" (outside the job it is)" if outside else ""),
        evidence=_ev(first, inside[0], *outside[:1]),
        fix="Request the GPU for the job: Slurm `#SBATCH --gres=gpu:1` (or `--gpus=1`; `srun --gres=gpu:1 python ...`), PBS `#PBS -l select=1:ngpus=1`, LSF `bsub -gpu \"num=1\"`."
        "\nTo check inside the job: `echo $CUDA_VISIBLE_DEVICES; nvidia-smi -L` (empty or no device: the job has no GPU) and `scontrol show job $SLURM_JOB_ID | grep -i tres`.",
        confidence=Confidence.HIGH if outside else Confidence.MEDIUM,
        blocks_gpu=True,
    )


# The variable given to the command on its own line: "LD_LIBRARY_PATH=$CONDA_PREFIX/lib python ...".
_LD_PATH_PREFIX = re.compile(r"(?:^|[\s;&|`$>])(?:env\s+)?LD_LIBRARY_PATH=\S*\s+(?:\S+=\S*\s+)*\S*python")


@rule(
    "LOG119", "log-library-path-decides", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Finds the same check run twice in the log: without LD_LIBRARY_PATH it finds no GPU, and with `LD_LIBRARY_PATH=<dir> python ...` on the command line it finds one.",
        why="The only difference between the two runs is the loader's search path: the CUDA libraries are installed (in that directory) but the environment the program normally starts in does not point the loader at them.",
        example="python -c \"import tensorflow as tf; print(tf.config.list_physical_devices('GPU'))\"  # displays []\nLD_LIBRARY_PATH=$CONDA_PREFIX/lib python -c \"...\"  # displays [PhysicalDevice(name='/physical_device:GPU:0', ...)]\n(https://www.tensorflow.org/install/pip#linux)",
        fix="Set LD_LIBRARY_PATH where the program starts: for a conda environment, in its activation script ($CONDA_PREFIX/etc/conda/activate.d/env_vars.sh: export LD_LIBRARY_PATH=$CONDA_PREFIX/lib:$LD_LIBRARY_PATH), or in the job's or service's environment.",
        references=("https://man7.org/linux/man-pages/man8/ld.so.8.html", "https://github.com/tensorflow/docs/blob/r2.12/site/en/install/pip.md"),
    ),
)
def library_path_decides(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    for framework, answers in facts.gpu_answer.items():
        with_path = [a for a in answers if a.value is True and _LD_PATH_PREFIX.search(a.text)]
        without = [a for a in answers if a.value is False and not _LD_PATH_PREFIX.search(a.text)]
        if with_path and without:
            name = {"torch": "PyTorch", "tensorflow": "TensorFlow", "jax": "JAX"}.get(framework, framework)
            yield Hit(
                title=f"{name} finds the GPU only when LD_LIBRARY_PATH is set on the command line: the CUDA libraries are off the loader's path",
                evidence=_ev(without[0], with_path[0]),
                fix="Make the setting part of the environment the program starts in: for a conda environment, `mkdir -p $CONDA_PREFIX/etc/conda/activate.d` and put `export LD_LIBRARY_PATH=$CONDA_PREFIX/lib:$LD_LIBRARY_PATH` in env_vars.sh there; for a job or service, in its environment.",
                confidence=Confidence.HIGH,
                scope=framework,
                blocks_gpu=True,
            )
            return


# acc8a (session 17): TensorFlow installed with its [and-cuda] extra and the GPU unused.
@rule(
    "LOG170", "log-tensorflow-pip-cuda-wheels-not-found", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Finds TensorFlow installed with its `[and-cuda]` extra (pip's nvidia-* CUDA and cuDNN wheels) in a log where TensorFlow found no GPU and no other line says why.",
        why="The extra installs the CUDA libraries inside site-packages/nvidia/*/lib, a place the system loader does not search; TensorFlow has to find them itself, and releases that did not (2.16.1, tensorflow#63362) or environments that hide them leave TensorFlow without its libraries although they are installed. Counted over every labelled case showing the extra with the GPU unused: CUDA_LIBS_NOT_ON_PATH 4 of 4 (holdout3 tensorflow-63362, holdout7 tensorflow-63948, holdout10 keras-19276, tensorflow-85311).",
        example="python -m pip install tensorflow[and-cuda]\n>>> tf.config.list_physical_devices('GPU')\n[]\n(https://github.com/tensorflow/tensorflow/issues/63362)",
        fix="Add the wheels' site-packages/nvidia/*/lib directories to LD_LIBRARY_PATH where the program starts (conda: in the environment's activation script), with no older system CUDA before them.",
        limits="Linux and WSL2 only (TensorFlow has no CUDA build for native Windows or macOS after 2.10); a line naming another cause (a CUDA version mismatch, the driver) comes first.",
        references=("https://www.tensorflow.org/install/pip#linux", "https://github.com/tensorflow/tensorflow/issues/63362"),
    ),
)
def tensorflow_pip_cuda_wheels_not_found(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.tf_and_cuda or subject.gpu_in_use or facts.platform_name() in ("windows", "darwin", "macos"):
        return
    said_no = facts.unused_by_framework()
    # The user's words count for TensorFlow when it is the only framework named, or the sentence names it.
    anywhere = [s for s in said_no.get("any", []) if list(facts.mentioned) == ["tensorflow"] or re.search(r"\btensorflow\b|\btf\b", s.text, re.I)]
    unused = said_no.get("tensorflow") or anywhere
    if not unused or any(a.value is True for a in facts.gpu_answer.get("tensorflow", [])) or subject.blocking("tensorflow"):
        return
    yield Hit(
        title="TensorFlow was installed with its [and-cuda] CUDA wheels but found no GPU: the wheels' libraries are off the loader's path",
        evidence=_ev(facts.tf_and_cuda[0], unused[0]),
        fix=("The [and-cuda] wheels keep the CUDA and cuDNN libraries under site-packages/nvidia/*/lib "
             "(`python -c 'import nvidia, os; print(os.path.dirname(nvidia.__path__[0]))'` shows where): add each "
             "nvidia/*/lib directory to LD_LIBRARY_PATH where the program starts (conda: in the environment's activation "
             "script), and make sure no older system CUDA comes first on it."),
        confidence=Confidence.MEDIUM,
        scope="tensorflow",
        blocks_gpu=True,
    )


# acc8c (session 17): FRAMEWORK_INSTALL_BROKEN, onnxruntime's CPU package beside its GPU package.
@rule(
    "LOG160", "log-onnxruntime-cpu-beside-gpu-package", "FRAMEWORK_INSTALL_BROKEN", Severity.ERROR,
    RuleDoc(
        what="Finds onnxruntime (the CPU package) and onnxruntime-gpu (or another GPU package of it) shown installed in one environment: a `pip list` / `pip freeze` listing or pip's 'Successfully installed' line.",
        why="Both packages install the same `onnxruntime` module; whichever was installed last owns its files, so the CPU package pulled in by a dependency hides the CUDA provider (get_available_providers() lists only Azure and CPU) although onnxruntime-gpu is installed.",
        example="onnxruntime              1.19.0\nonnxruntime-gpu          1.19.0\n(https://github.com/microsoft/onnxruntime/issues/26996)",
        fix="pip uninstall -y onnxruntime onnxruntime-gpu, then pip install onnxruntime-gpu (it has the CPU provider too), and keep onnxruntime out of the dependencies that pulled it in.",
        limits="A listing of another environment than the failing one misleads it; with a CUDA provider shown working the rule stays silent.",
        references=("https://github.com/microsoft/onnxruntime/issues/10685", "https://github.com/microsoft/onnxruntime/issues/7748"),
    ),
)
def onnxruntime_cpu_beside_gpu_package(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if subject.gpu_in_use:
        return
    from whygpu.knowledge.python_layouts import Installed, same_import_conflicts, twin_repair

    shown = {s.value: s for s in facts.ort_packages_installed}
    conflicts = same_import_conflicts([Installed(name) for name in shown], windows=None)
    members = next((names for group, names in conflicts if group.group == "onnxruntime"), ())
    cpu = [shown[m.name] for m in members if m.name == "onnxruntime"]
    gpu = [shown[m.name] for m in members if m.name != "onnxruntime"]
    if not cpu or not gpu:
        return
    evidence = _ev(cpu[0], gpu[0])
    # accnodev (session 33): the repair with the release of the GPU package the log shows, and the check that decides.
    group = next(g for g, _names in conflicts if g.group == "onnxruntime")
    version = installstate.member_version(gpu[0].text, gpu[0].value)
    yield Hit(
        title=f"onnxruntime (the CPU package) is installed beside {gpu[0].value}: both own the same module, and the CPU one hides the CUDA provider",
        evidence=evidence,
        fix=twin_repair(group, gpu[0].value, ["onnxruntime"], version,
                        note="it also has the CPU provider" if version else "the release for your CUDA and cuDNN; it also has the CPU provider")
        + ". Remove onnxruntime from the requirements that pulled it in.",
        confidence=Confidence.HIGH,
        scope="onnxruntime",
        blocks_gpu=True,
    )


@rule(
    "LOG190", "log-k8s-node-advertises-no-gpu", "CONTAINER_NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Finds a Kubernetes node whose nvidia.com/gpu row is 0 (kubectl describe node's Capacity/Allocatable sections, or the node's YAML), and no node in the log advertising a GPU: under Capacity, the device plugin advertises no GPU; under Allocatable with a Capacity above 0, it found the GPUs and marked them unhealthy.",
        why="A pod gets a GPU only through the nvidia.com/gpu resource the NVIDIA device plugin advertises on its node; at 0 no pod there can be given one, whatever the node's hardware. The plugin counts the GPUs it finds as Capacity and the healthy ones as Allocatable.",
        example="Capacity:\n  cpu:             8\n  nvidia.com/gpu:  0\n(https://github.com/NVIDIA/k8s-device-plugin/issues/58)",
        fix="Deploy the NVIDIA device plugin (or the GPU Operator) on the node and make sure it runs: `kubectl -n kube-system get pods | grep nvidia-device-plugin` and its logs; the node's container runtime must be the NVIDIA one for the plugin to see the GPUs.",
        limits="A node without a GPU also advertises none; the log may show a CPU node of a cluster whose GPU nodes are not shown.",
        references=("https://kubernetes.io/docs/concepts/extend-kubernetes/compute-storage-net/device-plugins/",
                    "https://github.com/NVIDIA/k8s-device-plugin", "https://github.com/NVIDIA/k8s-device-plugin/issues/58"),
    ),
)
def k8s_node_advertises_no_gpu(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    capacity, allocatable = facts.k8s_gpu_capacity, facts.k8s_gpu_allocatable
    if subject.gpu_in_use or not (capacity or allocatable):
        return
    from whygpu.explain.cloudnoderules import node_decision

    if (decided := node_decision(subject)) is not None and decided[0].cause == "DRIVER_MISSING":
        return  # acccloudnode (session 36): the node's driver shown absent decides (LOG685)
    some = [s for s in capacity if s.value != "0"]
    if any(s.value == "0" for s in capacity) and not some:
        zero = next(s for s in capacity if s.value == "0")
        yield Hit(
            title="The Kubernetes node advertises no GPU (nvidia.com/gpu: 0 under Capacity): no pod on it can be given one",
            evidence=_ev(zero),
            fix="The NVIDIA device plugin advertises no GPU on this node: deploy it (or the GPU Operator) and check that it runs "
            "(`kubectl -n kube-system get pods -o wide | grep nvidia-device-plugin`, then its logs); with containerd or CRI-O the "
            "NVIDIA container runtime must be the node's runtime for the plugin to see the GPUs.\nTo tell the causes apart: the "
            "plugin's log, then `nvidia-smi` on the node itself: failing there means the driver is missing (after a VM was "
            "stopped and started, or a kernel update).",
            confidence=Confidence.MEDIUM,
            blocks_gpu=True,
        )
        yield alternative_hit("DRIVER_MISSING", _ev(zero), "CONTAINER_NO_GPU")
        return
    unhealthy = [s for s in allocatable if s.value == "0"]
    if unhealthy and some:
        yield Hit(
            title=f"The Kubernetes node has {some[0].value} GPU(s) but none allocatable (nvidia.com/gpu: 0 under Allocatable): the device plugin marked them unhealthy",
            evidence=_ev(some[0], unhealthy[0]),
            fix="Read the device plugin's log for the GPUs it marked unhealthy (an Xid error), and the node's `dmesg | grep -i xid`; "
            "reset or replace the GPU, or restart the node; after a driver update, reboot the node.",
            confidence=Confidence.MEDIUM,
            cause="GPU_FAULT",
            blocks_gpu=True,
        )


def _table_causes(table: str) -> tuple[str, ...]:
    """The causes a data-driven log rule can name: every cause (and alternative) of its knowledge table's rows, for its docs."""
    if table == "remedies":
        from whygpu.knowledge.remedies import remedy_rows

        return tuple(sorted({r.cause for r in remedy_rows()}))
    from whygpu.knowledge.error_words import word_pairs

    return tuple(sorted({c for p in word_pairs() for c in (p.cause, *p.alternatives)}))


# --- accfix (session 19): a remedy or finding the reporter stated ------------------------------------


@rule(
    "LOG180", "log-remedy-stated", "CUDA_LIBS_NOT_ON_PATH", Severity.ERROR,
    RuleDoc(
        what="Finds the reporter's own statement that an action worked ('adding --gpus all fixed it', 'it works after I set LD_LIBRARY_PATH', 'Solution was downloading a TensorFlow that supports CUDA 8.0') or what the problem was ('it was the LD_LIBRARY_PATH', 'turned out the CPU version was installed'), or a success said of the code block after it ('This works:' and the launch or compose service that worked), and names the cause that action or finding confirms (knowledge/remedies.toml, one row per kind of action with its reasoning).",
        why="What fixed it is the best evidence of what was broken: each kind of action repairs one link of the chain (--gpus gives a container the GPU; LD_LIBRARY_PATH changes only where the loader looks; a newer driver serves a newer build). A report or its follow-up that says so has named the cause, whatever the logs before it left open.",
        example="as i tried to train a model, docker could not see my GPU. I solved this by adding \"--gpus all\" to docker run command.\n(https://github.com/tomdbar/ecord/issues/1)",
        fix="The fix is the reporter's own; the cause's fix says it for the versions the log shows.",
        limits="Quiet on what was tried and did not work, questions, conditions ('if', 'when'), modals and plans ('should fix', 'I will try'), advice and quoted instructions, hearsay ('fixed it for others') and guesses; actions that fix several causes alike (a plain reboot, a new environment, a framework upgraded without saying for what) confirm none. A framework's own message that names one other cause still ranks first (explain.remedies.lead).",
        references=("https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/docker-specialized.html", "https://docs.nvidia.com/cuda/cuda-installation-guide-linux/#environment-setup"),
        causes=_table_causes("remedies"),
    ),
)
def remedy_stated(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    given: set[str] = set()
    unused = bool(facts.gpu_unused()) or bool(subject.blocking())
    for seen in facts.stated_remedy:
        remedy = seen.value
        if remedy.cause in given:
            continue
        given.add(remedy.cause)
        said = "found the problem was" if remedy.kind == "finding" else "says this worked:"
        yield Hit(
            title=f"The reporter {said} {redact_text(remedy.words.rstrip('.!:, '))}: {cause_meaning(remedy.cause)}",
            evidence=_ev(seen),
            fix=log_cause_fix(remedy.cause, subject),
            confidence=Confidence.HIGH,
            cause=remedy.cause,
            # It says what was broken; whether the GPU went unused in what the log shows is for the log to say (a
            # thread that ends "now it returns True" is not a GPU unused now): it blocks only beside such a sign.
            blocks_gpu=unused and remedy.cause != "GPU_UNDERUSED",  # (an idle GPU is a GPU used)
            extra={"remedy": remedy.row},
        )


# --- accwords3 (session 21): the reporter's statements read by type (explain/reported.py) -------------------


@rule(
    "LOG210", "log-gpu-no-faster-stated", "GPU_UNDERUSED", Severity.WARNING,
    RuleDoc(
        what="Finds the reporter's own statement that the GPU is no faster than the CPU: a comparison whose subject is the GPU and says slower or the same ('the GPU is slower than the CPU', 'the same speed on CPU and GPU', 'no speed-up from the GPU', 'GPU比CPU还慢'), or whose subject is the CPU and says faster; the GPU's utilisation near zero while the CPU is busy; the run said bound by the CPU or its input ('CPU-bound', 'bottlenecked by data loading'). For a program whose GPU use is fixed when it is built (knowledge/reported.toml: dlib, face_recognition) it names a build without CUDA instead.",
        why="A GPU that computes is many times faster than a CPU on the work it is given; one no faster is waiting (for the input pipeline, CPU preprocessing, tiny batches, host-device copies) most of the time. dlib builds for the GPU only when it finds CUDA at build time, so there the same symptom means the CPU build.",
        example="training on GPU goes at the same speed or slower than on CPU\n(https://github.com/sachaguer/jaxili/issues/6)",
        fix="Profile where the time goes: the input pipeline (DataLoader num_workers, pin_memory, tf.data prefetch), batch size, host-device copies; watch `nvidia-smi dmon` or `whygpu monitor` while it runs.",
        limits="A comparison is read only when it names both the GPU and the CPU (or says no speed-up from the GPU); quiet on questions, conditions, advice, hearsay, a state that is over, and the opposite comparison ('on CPU it is 20x slower'); quiet where the writer says a served model's responses are what is slow (one request's latency, which a GPU shortens only for requests batched: accutil40). The numbers a reporter gives without a comparative word are not compared.",
        references=("https://pytorch.org/tutorials/recipes/recipes/tuning_guide.html", "https://github.com/davisking/dlib#compiling-dlib-python-api"),
        causes=("GPU_UNDERUSED", "FRAMEWORK_CPU_BUILD"),
    ),
)
def gpu_no_faster_stated(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.reported import built_gpu_rows

    facts = subject.facts
    if not facts.stated_no_faster or subject.blocking():
        return
    said = facts.stated_no_faster[0]
    if facts.built_gpu_program:
        program = facts.built_gpu_program[0]
        row = next(r for r in built_gpu_rows() if r.program == program.value)
        yield Hit(
            title=f"The GPU is said to be no faster than the CPU with {row.program}, which uses the GPU only when it was built with CUDA: {cause_meaning(row.cause)}",
            evidence=_ev(said, program),
            fix=log_cause_fix(row.cause, subject),
            confidence=Confidence.MEDIUM,
            cause=row.cause,
            blocks_gpu=True,
            extra={"why": row.reasoning, "source": row.source},
        )
        return
    if facts.gpu_unused() or facts.stated_underused or _numbers_underused(facts):
        return  # the GPU said or shown unused (LOG104 ranks it) or used but idle (LOG109 says it)
    if facts.served_latency_said:
        return  # accutil40: a served model's request latency said slow; a GPU shortens it only for requests batched (reported.served_latency)
    if any(s.value.kind == "sequential" for s in facts.jax_build_sign):
        return  # accjax39: sequential work (MCMC sampling; knowledge/jax_builds.toml [[sequential]]) is expected no faster on a GPU
    yield Hit(
        title="The GPU is said to be no faster than the CPU: it is used but waits most of the time",
        evidence=_ev(said),
        fix="Feed the GPU faster and give it more work per step: prefetch batches (tf.data .prefetch(tf.data.AUTOTUNE); DataLoader(num_workers=..., pin_memory=True)), "
        "larger batches, preprocessing out of the training step, fewer host-device copies; measure with `nvidia-smi dmon` or `whygpu monitor`.",
        confidence=Confidence.MEDIUM,
        blocks_gpu=False,
    )


@rule(
    # Counted over every labelled case naming a non-NVIDIA discrete accelerator as the machine's (22 sets): GPU_NOT_SUPPORTED
    # 7 (AMD Radeon: dev tf-23377, holdout tf-75773, holdout13 gh-vladmandic-sdnext-917, holdout2
    # gh-progamergov-dream-creator-21, holdout3 gh-unit8co-darts-2252, holdout5 tf-60074; Hygon DCU: holdout19
    # gh-mic-dkfz-nnunet-1635), NO_GPU 0; integrated graphics (Intel HD/UHD/Xe, holdout4 gh-pytorch-pytorch-39028,
    # holdout17 gh-yoshitakamo-localcolabfold-17, holdout19 gh-fboulnois-stable-diffusion-docker-82) are NO_GPU 3/3 (LOG146).
    "LOG211", "log-accelerator-not-nvidia", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Finds a non-NVIDIA accelerator the reporter names as their own (Hygon DCU, Huawei Ascend, Cambricon MLU, Intel Gaudi, Moore Threads, Iluvatar, Biren), with no NVIDIA GPU named in the log.",
        why="CUDA builds run on NVIDIA GPUs only; such an accelerator is a GPU-like device that needs its vendor's own build of the framework (DTK/ROCm-derived for DCU, torch_npu for Ascend, ...), so the machine has a device the framework build cannot use (causes.md's GPU_NOT_SUPPORTED), not no device at all.",
        example="My dirvers is DCU, nnUNetv2 must require nvidia GPU?\n(https://github.com/MIC-DKFZ/nnUNet/issues/1635)",
        fix="Install the framework build of the accelerator's vendor (Hygon DCU: the DTK builds of PyTorch; Ascend: torch_npu; Gaudi: the Habana PyTorch), or run on an NVIDIA GPU.",
        limits="The accelerator must be named as the reporter's (first person, asserted) or on a device line; a log that also names an NVIDIA GPU is left to the other rules.",
        references=("https://developer.nvidia.com/cuda-gpus",),
    ),
)
def accelerator_not_nvidia(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    vendors = {s.value for s in facts.gpu_vendor}
    if "other" not in vendors or "nvidia" in vendors or subject.gpu_in_use:
        return
    seen = next(s for s in facts.gpu_vendor if s.value == "other")
    yield Hit(
        title="The accelerator the reporter names is not an NVIDIA GPU: CUDA builds cannot use it",
        evidence=_ev(seen),
        fix="Install the framework build made for that accelerator (its vendor's PyTorch or TensorFlow), or run on an NVIDIA GPU.",
        confidence=Confidence.HIGH,
        blocks_gpu=True,
    )


ACCWORDS3_RULES: list[Rule[LogSubject]] = [gpu_no_faster_stated, accelerator_not_nvidia]


# ---------------------------------------------------------------------------------------------
# acclex (session 19): a program's own error line read by its words (explain.errorwords, knowledge/error_words.toml).
# ---------------------------------------------------------------------------------------------



def _words_cause(reading: Any, facts: LogFacts) -> str:
    """The cause a reading names: its row's, except a driver library named for another driver release than the one the log shows installed."""
    from whygpu.knowledge.cuda_versions import is_driver_version

    if reading.noun == "driverlib" and reading.library and facts.driver_version:
        named = re.search(r"\.so\.(\d+\.\d+(?:\.\d+)?)$", reading.library)
        installed = facts.driver_version[0].value
        if named and is_driver_version(named.group(1)) and same_driver_version(named.group(1), installed) is False:
            return "DRIVER_MISMATCH"
    return str(reading.pair.cause)


@rule(
    "LOG185", "log-error-line-words", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads a program's own error or warning line that no signature knows by its words: a noun of the GPU stack (the driver, CUDA, cuDNN, the GPU or its compute capability, the program's build) and what the line says is wrong with it (not built with, not found, not loaded, too old, a version mismatch, not supported), mapped to a cause by knowledge/error_words.toml. Only where no signature, status code or other rule named a cause, and never in a log that shows the GPU in use.",
        why="Applications, wrappers and tools say in plain words why they cannot use the GPU (\"... version not compiled with GPU support\", \"requires CUDA driver >= 525\", \"cublasLt64_13.dll is missing\"); a reader of those words covers the programs no signature was written for.",
        example="Error loading onnxruntime_providers_cuda.dll: cublasLt64_13.dll is missing\n(https://github.com/danielgatis/rembg/issues/841)",
        fix="The fix of the cause the words name, with the versions the line shows; where the words fit several causes, the alternatives say what tells them apart.",
        limits="Read from the line's words, not from the program's source: the confidence is medium (low for a warning), and the line may be from a program other than the one that failed.",
        references=("https://docs.nvidia.com/deploy/cuda-compatibility/",),
        causes=_table_causes("error_words"),
    ),
)
def error_line_words(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.error_words or subject.gpu_in_use:
        return
    if subject.blocking() or any(f.severity is Severity.ERROR and f.alternative_to is None and not f.generic for f in subject.matched):
        return  # another reader named a cause: its reading stands
    from whygpu.knowledge.frameworks import framework_of

    readings = facts.error_words
    if any(s.value is False for answers in facts.gpu_answer.values() for s in answers) or facts.failed_check:
        # accgram (session 30): a program's words that it needs a CUDA GPU, in a log that holds a framework's own "no GPU"
        # answer ("CUDA GPU not detected. This script requires a CUDA-capable GPU."), report that answer's check: LOG104
        # ranks the answer. Only a program that tested the GPU itself is read by the need's row.
        readings = [s for s in readings if s.value.predicate != "needs_gpu"]
        if not readings:
            return
    seen = next((s for s in readings if s.value.pair.blocks), readings[0])
    reading = seen.value
    framework = framework_of(seen.text)
    cause = _words_cause(reading, facts)
    causes = [cause, *(c for c in reading.pair.alternatives if c != cause)]
    causes, _ = ruleout.rank(causes, facts, framework)
    first = causes[0]
    versions: dict[str, str | None] = {}
    if reading.noun == "cuda":
        versions = {"wanted_cuda": reading.wanted, "installed_cuda": reading.found}
    elif reading.noun == "cudnn":
        versions = {"wanted_cudnn": reading.wanted, "installed_cudnn": reading.found}
    fix = log_cause_fix(first, subject, framework=framework, **versions)
    if framework is None and first == "FRAMEWORK_CPU_BUILD":
        fix = ("Install the GPU (CUDA) build of the program that printed the line (its CUDA package or wheel, or build it with "
               "CUDA enabled); for a deep-learning framework: " + fix)
    if reading.noun == "driver" and reading.predicate == "too_old" and reading.wanted:
        fix += f"\nThe line asks for version {reading.wanted} or newer."
    from whygpu.explain.errorwords import is_warning

    warning = is_warning(seen.text)
    evidence = _ev(seen)
    yield Hit(
        title=f"A program's own error line says what is wrong ({reading.said}), read from its words: {cause_meaning(first)}",
        evidence=evidence,
        fix=fix,
        confidence=Confidence.LOW if warning or not reading.pair.blocks else Confidence.MEDIUM,
        scope=framework or "",
        cause=first,
        severity=Severity.ERROR if reading.pair.blocks else Severity.WARNING,
        blocks_gpu=reading.pair.blocks,
        extra={"why": reading.pair.why, "source": reading.pair.source, "read_from": "the line's words"},
    )
    for alt in causes[1:3]:
        yield alternative_hit(alt, tuple(evidence), first, scope=framework or "")


# Judged first; LOG104 then speaks only where none of them (nor a signature) named a cause.
SPECIFIC_RULES: list[Rule[LogSubject]] = [
    build_wants_other_cuda, driver_older_than_build, container_not_given_gpu, library_exists_elsewhere,
    macos_no_cuda, gpu_not_nvidia, intel_integrated_only, gpu_memory_taken, gpu_underused_stated, gpu_older_than_build, gpu_newer_than_build, wsl1_no_gpu, wsl2_no_device, wsl2_linux_driver,
    cpu_build_stated, torch_index_not_published, jax_native_windows, vm_size_without_gpu, cuda_image_without_cudnn,
    batch_job_without_gpu, oom_memory_held_elsewhere, library_path_decides, onnxruntime_cpu_beside_gpu_package,
    tensorflow_pip_cuda_wheels_not_found, k8s_node_advertises_no_gpu, remedy_stated,
]
SPECIFIC_RULES += TENSORFLOW_RULES
# accversions (session 20): versions a line states in any program's wording, judged by the knowledge layer.
from whygpu.explain.versionrules import VERSION_RULES  # noqa: E402

SPECIFIC_RULES += VERSION_RULES
# acccc (session 21): a compute capability said not supported in any wording, and the GPU judged against the build.
from whygpu.explain.ccrules import CC_RULES  # noqa: E402

SPECIFIC_RULES += CC_RULES
# accpkg (session 21): the install state of the packages, read from pip commands shown run.
from whygpu.explain.installrules import INSTALL_RULES  # noqa: E402

SPECIFIC_RULES += INSTALL_RULES
SPECIFIC_RULES += ACCWORDS3_RULES
# accbuilds (session 21): a program's GPU build (ONNX Runtime, CTranslate2, CuPy) against the CUDA and cuDNN the log shows.
from whygpu.explain.buildrules import BUILD_RULES  # noqa: E402

SPECIFIC_RULES += BUILD_RULES
# accmsg (session 22): the writer's words that other processes hold the GPU's memory, with an out-of-memory error.
from whygpu.explain.progrules import PROGRAM_RULES  # noqa: E402

SPECIFIC_RULES += PROGRAM_RULES
# accunder (session 35): the writer's words that the GPU's memory stays held after the run ended (explain/memleft.py).
from whygpu.explain.memleftrules import MEMLEFT_RULES  # noqa: E402

SPECIFIC_RULES += MEMLEFT_RULES
# acchw (session 22): the hardware, driver and CUDA packages a log states, judged by the knowledge layer.
from whygpu.explain.hwrules import HW_RULES  # noqa: E402

SPECIFIC_RULES += HW_RULES
# accapps (session 22): the application's own choice of the CPU (explain/appcpu.py).
from whygpu.explain.apprules import APP_RULES  # noqa: E402

SPECIFIC_RULES += APP_RULES
# accdevice (session 29): a documented setting that pins the CPU, set for the run (explain/devicerules.py).
from whygpu.explain.devicerules import DEVICE_RULES  # noqa: E402

SPECIFIC_RULES += DEVICE_RULES
# accnogpu (session 23): a package that is a CPU build by definition (knowledge/cpu_packages.toml).
from whygpu.explain.ownrules import OWN_RULES  # noqa: E402

SPECIFIC_RULES += OWN_RULES
# acclibs (session 23): a batch job's GPU binding against a no-device answer.
from whygpu.explain.bindrules import BIND_RULES  # noqa: E402

SPECIFIC_RULES += BIND_RULES
# acclibs (session 23): a CUDA/cuDNN library named as failing in the writer's words, against the versions present.
from whygpu.explain.librules import LIB_RULES  # noqa: E402

SPECIFIC_RULES += LIB_RULES
# accmsg (session 24): a program's own words that its build has no GPU code, or none for this GPU's architecture.
from whygpu.explain.saidrules import SAID_RULES  # noqa: E402

SPECIFIC_RULES += SAID_RULES
# accwhere (session 25): the writer's account of where the work ran (explain/whererules.py).
from whygpu.explain.whererules import WHERE_RULES  # noqa: E402

SPECIFIC_RULES += WHERE_RULES
# accjet (session 31): the Jetson platform's own rules (explain/jetsonrules.py, knowledge/jetson.toml).
from whygpu.explain.jetsonrules import JETSON_RULES  # noqa: E402

SPECIFIC_RULES += JETSON_RULES
# accci (session 33): the machine's kind from its context (explain/cirules.py, knowledge/machine_kinds.toml).
from whygpu.explain.cirules import CI_RULES  # noqa: E402

SPECIFIC_RULES += CI_RULES
# accinst (session 30): the program's own pasted code that leaves the model on the CPU (explain/placementrules.py).
from whygpu.explain.placementrules import PLACEMENT_RULES  # noqa: E402

SPECIFIC_RULES += PLACEMENT_RULES
# accfall (session 31): a program's own fallback to the CPU by the reason it gives (explain/fallbackrules.py).
from whygpu.explain.fallbackrules import FALLBACK_RULES  # noqa: E402

SPECIFIC_RULES += FALLBACK_RULES
# acck8s (session 32): the container stack below the program as one fact (explain/cstackrules.py, knowledge/container_stack.toml).
from whygpu.explain.cstackrules import CSTACK_RULES  # noqa: E402

SPECIFIC_RULES += CSTACK_RULES
# accmisc (session 27): two GPU frameworks in one process, one reserving the memory the other needs.
from whygpu.explain.mixrules import MIX_RULES  # noqa: E402

SPECIFIC_RULES += MIX_RULES
# accxla (session 27): the writer's words that the CUDA toolkit's compiler parts XLA needs are absent (explain/xlarules.py).
from whygpu.explain.xlarules import XLA_RULES  # noqa: E402

SPECIFIC_RULES += XLA_RULES
# accserve (session 28): a serving or framework image's CPU variant where the GPU was wanted (explain/servingrules.py).
from whygpu.explain.servingrules import SERVING_RULES  # noqa: E402

SPECIFIC_RULES += SERVING_RULES
# acclibs (session 29): a setting that names the wrong file as the NVIDIA driver's library (explain/settingrules.py).
from whygpu.explain.settingrules import SETTING_RULES  # noqa: E402

SPECIFIC_RULES += SETTING_RULES
# accplat (session 29): platform and install facts a log states (explain/platrules.py).
from whygpu.explain.platrules import PLAT_RULES  # noqa: E402

SPECIFIC_RULES += PLAT_RULES
# accspec (session 31): a spec pasted in a log read for the GPU request the cluster's runtime needs (explain/specrules.py).
from whygpu.explain.specrules import SPEC_RULES  # noqa: E402

SPECIFIC_RULES += SPEC_RULES
# accext (session 33): a CUDA extension's build read as one layer with states (explain/extrules.py, knowledge/extension_builds.toml).
from whygpu.explain.extrules import EXT_RULES  # noqa: E402

SPECIFIC_RULES += EXT_RULES
# acckmod (session 32): the NVIDIA kernel module's state from the machine's lines and the writer's words (explain/kmodrules.py).
from whygpu.explain.kmodrules import KMOD_RULES  # noqa: E402

SPECIFIC_RULES += KMOD_RULES
# acccudnn (session 33): cuDNN as one layer with states, an open cuDNN failure decided by the log's facts (explain/cudnnrules.py).
from whygpu.explain.cudnnrules import CUDNN_RULES  # noqa: E402

SPECIFIC_RULES += CUDNN_RULES
# accvers (session 33): a build's CUDA wherever the log writes it, against the driver and the GPU (explain/buildcudarules.py).
from whygpu.explain.buildcudarules import BUILD_CUDA_RULES  # noqa: E402

SPECIFIC_RULES += BUILD_CUDA_RULES
# accfloor (session 34): a program's refusal of a feature below its hardware floor, against the GPU (explain/featfloorrules.py).
from whygpu.explain.featfloorrules import FEATFLOOR_RULES  # noqa: E402

SPECIFIC_RULES += FEATFLOOR_RULES
# accsetup (session 34): a program's own CUDA setup lines read as one layer's state (explain/setuprules.py, knowledge/program_setup.toml).
from whygpu.explain.setuprules import SETUP_RULES  # noqa: E402

SPECIFIC_RULES += SETUP_RULES
# acccont (session 34): a driver-side answer read with the place the job ran (explain/contrules.py, knowledge/driver_reach.toml).
from whygpu.explain.contrules import CONT_RULES  # noqa: E402

SPECIFIC_RULES += CONT_RULES
# accbroken (session 34): the writer's account that an install of another package changed the framework (explain/installchangerules.py).
from whygpu.explain.installchangerules import INSTALL_CHANGE_RULES  # noqa: E402

SPECIFIC_RULES += INSTALL_CHANGE_RULES
# accupdate (session 37): the writer's account that the GPU went unused after an update (explain/updaterules.py).
from whygpu.explain.updaterules import UPDATE_RULES  # noqa: E402

SPECIFIC_RULES += UPDATE_RULES
# accsched (session 34): a launcher's own list of the GPUs it gave the process shown empty (explain/schedrules.py).
from whygpu.explain.schedrules import SCHED_RULES  # noqa: E402

SPECIFIC_RULES += SCHED_RULES
# accrdp (session 34): a program run in a Remote Desktop session or a VM with only the hypervisor's adapter (explain/remoterules.py).
from whygpu.explain.remoterules import REMOTE_RULES  # noqa: E402

SPECIFIC_RULES += REMOTE_RULES
# accinuse (session 35): the GPU shown in use where its user believed it idle, with what misled them (explain/inuserules.py).
from whygpu.explain.inuserules import INUSE_RULES  # noqa: E402

SPECIFIC_RULES += INUSE_RULES
# accbind (session 35): a deep-learning library used from another language whose CPU variant is in use, or that has no
# native flavour for the CUDA it found (explain/langbindrules.py).
from whygpu.explain.langbindrules import LANGBIND_RULES  # noqa: E402

SPECIFIC_RULES += LANGBIND_RULES
# acccloudnode (session 36): a cloud or cluster GPU node and its driver (explain/cloudnoderules.py, knowledge.gpu_presence.node_reading).
from whygpu.explain.cloudnoderules import CLOUD_NODE_RULES  # noqa: E402

SPECIFIC_RULES += CLOUD_NODE_RULES
# acccode (session 35): who chose the CPU, and where (explain/cpuchoicerules.py, knowledge/cpu_choice.toml).
from whygpu.explain.cpuchoicerules import CPU_CHOICE_RULES  # noqa: E402

SPECIFIC_RULES += CPU_CHOICE_RULES
# accmedia (session 35): NVIDIA's video codec libraries (explain/videocodecrules.py, knowledge/video_codec.toml).
from whygpu.explain.videocodecrules import VIDEO_CODEC_RULES  # noqa: E402

SPECIFIC_RULES += VIDEO_CODEC_RULES
# acclibpath (session 35): where the loader searches: Python's importer on Windows from 3.8 (explain/libpathrules.py).
from whygpu.explain.libpathrules import LIBPATH_RULES  # noqa: E402

SPECIFIC_RULES += LIBPATH_RULES
# accshellenv (session 36): two launchers of one machine, CUDA loading in one only (explain/launchenvrules.py).
from whygpu.explain.launchenvrules import LAUNCHENV_RULES  # noqa: E402

SPECIFIC_RULES += LAUNCHENV_RULES
# accenvdump (session 37): an environment report and the machine's GPUs read together (explain/envdumprules.py).
from whygpu.explain.envdumprules import ENVDUMP_RULES  # noqa: E402

SPECIFIC_RULES += ENVDUMP_RULES
# accprose (session 35): the GPU named (in any form) where the build is not shown, and the build where the GPU is not (explain/gpusaidrules.py).
from whygpu.explain.gpusaidrules import GPUSAID_RULES  # noqa: E402

SPECIFIC_RULES += GPUSAID_RULES
# accdevid (session 35): a program that refuses a device number beside the layers that see the GPU (explain/devlayerrules.py).
from whygpu.explain.devlayerrules import DEVLAYER_RULES  # noqa: E402

SPECIFIC_RULES += DEVLAYER_RULES
# accpkg (session 35): a CUDA or driver library said missing under a package manager that is not plain pip (explain/pkgmanagerrules.py).
from whygpu.explain.pkgmanagerrules import PKGMANAGER_RULES  # noqa: E402

SPECIFIC_RULES += PKGMANAGER_RULES
# accslow (session 36): another process holding the GPU a run could not start on, named (explain/occupancyrules.py).
from whygpu.explain.occupancyrules import OCCUPANCY_RULES  # noqa: E402

SPECIFIC_RULES += OCCUPANCY_RULES
# accconda (session 36): what conda installed by its build string, and its solver's words on the driver (explain/condasolverules.py).
from whygpu.explain.condasolverules import CONDASOLVE_RULES  # noqa: E402

SPECIFIC_RULES += CONDASOLVE_RULES
# accsecond (session 36): a second copy of a framework's native library (explain/secondcopyrules.py, knowledge/second_copies.toml).
from whygpu.explain.secondcopyrules import SECOND_COPY_RULES  # noqa: E402

SPECIFIC_RULES += SECOND_COPY_RULES
# acchidden (session 36): a run that finds no CUDA device while another layer lists the GPU (explain/hiddenrules.py).
from whygpu.explain.hiddenrules import HIDDEN_RULES  # noqa: E402

SPECIFIC_RULES += HIDDEN_RULES
from whygpu.explain.startedrules import STARTED_RULES  # noqa: E402  (acccodecpu, session 37)

SPECIFIC_RULES += STARTED_RULES
# acckernel (session 36): CUDA's "no code for this device" statuses read against the GPU, the build and the driver
# (explain/kernelimagerules.py, knowledge/kernel_images.toml).
from whygpu.explain.kernelimagerules import KERNEL_IMAGE_RULES  # noqa: E402

SPECIFIC_RULES += KERNEL_IMAGE_RULES
# accinstall (session 37): a framework install not whole (a part missing) or not consistent (its packages' skew) (explain/pkgpartsrules.py).
from whygpu.explain.pkgpartsrules import PKG_PARTS_RULES  # noqa: E402

SPECIFIC_RULES += PKG_PARTS_RULES
# accdeclare (session 37): what a project's dependency declaration put in place (explain/declarerules.py, explain/declared.py).
from whygpu.explain.declarerules import DECLARE_RULES  # noqa: E402

SPECIFIC_RULES += DECLARE_RULES
# accbroad38 (session 38): a program's own check finds no usable GPU after the framework's answer found it (explain/progcheckrules.py).
from whygpu.explain.progcheckrules import PROGCHECK_RULES  # noqa: E402

SPECIFIC_RULES += PROGCHECK_RULES
# accinstbroken (session 38): a GPU build and its plain twin said installed together (explain/twinbothrules.py, explain/twinboth.py).
from whygpu.explain.twinbothrules import TWIN_BOTH_RULES  # noqa: E402

SPECIFIC_RULES += TWIN_BOTH_RULES
# accindex (session 38): where pip/uv was told to look for the framework (explain/indexrules.py, explain/indexcfg.py).
from whygpu.explain.indexrules import INDEX_RULES  # noqa: E402

SPECIFIC_RULES += INDEX_RULES
# accdrvmount (session 38): the driver's libraries where a platform mounts them, the compat libcuda (explain/drvmountrules.py,
# knowledge.driver_mounts).
from whygpu.explain.drvmountrules import DRIVER_MOUNT_RULES  # noqa: E402

SPECIFIC_RULES += DRIVER_MOUNT_RULES
# accnum (session 31): two numbers a line compares (LOG435), judged after the specific rules and before the words (judge.judge).
from whygpu.explain.smallrules38 import SMALL38_RULES  # noqa: E402  (accsmall38, session 38)

SPECIFIC_RULES += SMALL38_RULES
# accwinload (session 38): what Windows' DLL loader said (explain/winloadrules.py, explain/winload.py, knowledge/loader_search.toml).
from whygpu.explain.winloadrules import WINLOAD_RULES  # noqa: E402

SPECIFIC_RULES += WINLOAD_RULES
# accinfer (session 39): the llama.cpp family's offload setting left at its zero default (explain/inferrules.py, LOG805).
from whygpu.explain.inferrules import INFER_RULES  # noqa: E402

SPECIFIC_RULES += INFER_RULES
# accwin39 (session 39): a framework whose Windows wheel carries no CUDA DLL failing to load one (explain/wheeldllrules.py).
from whygpu.explain.wheeldllrules import WHEEL_DLL_RULES  # noqa: E402

SPECIFIC_RULES += WHEEL_DLL_RULES
# accnoticed39 (session 39): a cuDNN archive built for another CUDA than the framework's build (explain/noticedrules.py).
from whygpu.explain.noticedrules import NOTICED_RULES  # noqa: E402

SPECIFIC_RULES += NOTICED_RULES
# accext39 (session 39): a program's own compiled extension module missing or built without CUDA (explain/extmodulerules.py, LOG850).
from whygpu.explain.extmodulerules import EXT_MODULE_RULES  # noqa: E402

SPECIFIC_RULES += EXT_MODULE_RULES
# accort39 (session 39): ONNX Runtime's GPU release against the CUDA the log shows (explain/ortrules.py).
from whygpu.explain.ortrules import ORT_RULES  # noqa: E402

SPECIFIC_RULES += ORT_RULES
# accjax39 (session 39): the build of JAX a log installs and the CUDA wheels it shares with another framework
# (explain/jaxbuildrules.py, explain/jaxbuild.py, knowledge/jax_builds.toml).
from whygpu.explain.jaxbuildrules import JAX_BUILD_RULES  # noqa: E402

SPECIFIC_RULES += JAX_BUILD_RULES
from whygpu.explain.comparerules import COMPARE_RULES  # noqa: E402

# accfam41 (session 41): a program whose defaults run one step on the GPU and the rest on the CPU (explain/cpustepsrules.py,
# knowledge/utilisation.toml [[cpu_steps]]).
from whygpu.explain.cpustepsrules import CPU_STEPS_RULES  # noqa: E402

SPECIFIC_RULES += CPU_STEPS_RULES
FACT_RULES: list[Rule[LogSubject]] = [*SPECIFIC_RULES, *COMPARE_RULES, error_line_words, gpu_unused_without_reason]


@lru_cache(maxsize=1)
def decisions() -> dict[str, Decides]:
    """accdecide (session 35): what each fact rule's findings decide over the report's others, as the rule declares it
    (``Rule.decides``), by rule code; ``explain._merge_judged`` applies them in one loop."""
    return {r.code: r.decides for r in FACT_RULES if r.decides is not None}


def late_rules() -> list[str]:
    """The codes of the rules that run (``judge.judge`` runs SPECIFIC_RULES, the list itself) but were appended to
    SPECIFIC_RULES after FACT_RULES was built (a copy): such a rule runs without its ``decides`` declaration (``decisions``
    reads FACT_RULES) and is missing from the registry (``RULES``), so `whygpu rule CODE` and docs/rules.md do not know it.
    Empty where every rule that runs is in FACT_RULES (acctwins, session 39; any late rule, the lead, session 39)."""
    built = {id(r) for r in FACT_RULES}
    return [r.code for r in SPECIFIC_RULES if id(r) not in built]


# ---------------------------------------------------------------------------------------------
# Signatures as data-driven rules.
# ---------------------------------------------------------------------------------------------


def _slug(sid: str) -> str:
    return re.sub(r"^log-", "", sid.lower())


def _doc_text(text: str) -> str:
    """A signature's template text for the docs: its ``{names}`` read as words."""
    words = {"library": "the library", "stem": "the library", "file": "the library", "wanted": "the wanted version"}
    return re.sub(r"\{(\w+)\}", lambda m: words.get(m.group(1), "…"), text)


def _status_sources(sig: Any) -> tuple[str, ...]:
    """The status tables' documentation pages, for the table-driven signature's references."""
    if sig.resolve != "status":
        return ()
    from whygpu.knowledge.gpu_status import libraries

    return tuple(table.source for table in libraries().values())


def _per_line_causes(sig: Any, fallback: str) -> tuple[str, ...]:
    """The causes a resolving signature can name, each line deciding: its library table's or its status table's.

    ``fallback`` is the rule's own cause, named when the library or the code leaves it open.
    """
    from whygpu.explain.catalogue import catalogue
    from whygpu.knowledge.gpu_status import statuses

    if sig.resolve == "library":
        causes = [fallback, *(rule.cause for rule in catalogue().libraries if not rule.benign)]
    elif sig.resolve == "cuda_error":
        # A failed CUDA call (cuInit, cudaGetDeviceCount) prints a CUDA runtime or driver code.
        causes = [fallback, *(status.cause for status in statuses() if status.library in ("runtime", "driver"))]
    elif sig.resolve == "status":
        causes = [status.cause for status in statuses()]
    else:
        return ()
    return tuple(sorted({cause for cause in causes if cause}))


def _signature_rule(sig: Any) -> Rule[LogSubject]:
    cause = sig.cause or ("CUDA_LIBS_MISSING" if sig.resolve == "library" else "GPU_FAULT")
    fix = sig.fix if sig.fix and "{" not in sig.fix else _hint(cause)
    what = f"Matches the line {sig.framework} prints when: {sig.title}" if "{" not in sig.title else f"Matches {sig.framework} lines of this kind ({sig.versions}): " + re.sub(r"\{\w+\}", "…", sig.title)
    if sig.resolve == "library":
        what += " The cause comes from the library named (CUDA runtime, cuDNN, driver, TensorRT)."
    elif sig.resolve == "cuda_error":
        what += " The cause comes from the status code named (knowledge/gpu_status.toml)."
    elif sig.resolve == "status":
        what = ("Matches a status code of the GPU stack (CUDA runtime and driver, cuDNN, cuBLAS, cuSPARSE, cuSOLVER, cuFFT, NVML) "
                "printed by its name, its library's text, or its number with the library named; code that only mentions a name "
                "(a comparison, an except clause, an enum definition, a list of codes) is not read.")
    if sig.resolve == "status":
        why = ("The cause is the code's own, from the library's documented meaning (knowledge/gpu_status.toml, one row per code, "
               "with the reasoning and the alternatives); a code that says nothing about whether the GPU can be used "
               "(out of memory, a programming error, a kernel that failed while running) keeps the line quiet.")
    else:
        why = sig.why or f"It points to {cause}: {cause_meaning(cause)}."
    if sig.also:
        why += " The same line can also mean: " + ", ".join(sig.also) + "."
    doc = RuleDoc(
        what=what,
        why=why,
        example=f"{sig.example}\n({sig.source})",
        fix=fix or "See the cause's fix.",
        limits=(sig.decide and "To tell the causes apart: " + _doc_text(sig.decide)) or "",
        references=tuple(dict.fromkeys((sig.source, *(s.source for s in sig.seen), *_status_sources(sig)))),
        causes=_per_line_causes(sig, cause),
    )

    def check(subject: LogSubject) -> Iterator[Outcome]:
        # The signature's matched messages (typed facts: lines, values, resolved cause and
        # alternatives) become its findings; the cause's fix builder says what to do where the
        # reading's own fix only says what failed.
        for message in subject.messages:
            if message.signature != sig.id:
                continue
            fix = message.fix
            if message.needs_cause_fix:
                built = log_cause_fix(message.cause, subject, framework=message.framework, wanted_cuda=message.wanted_cuda,
                                      holding_cuda=message.holding_cuda, wanted_cudnn=message.wanted_cudnn,
                                      installed_cudnn=message.installed_cudnn, installed_cuda=message.installed_cuda,
                                      gpu_limit=message.gpu_limit)
                fix = " ".join(p for p in (fix, built) if p)
            if message.decide:
                fix += "\nTo tell the causes apart: " + message.decide
            yield Hit(
                title=message.title, evidence=message.evidence, fix=fix, confidence=message.confidence,
                scope=message.scope, severity=message.severity, cause=message.cause, blocks_gpu=message.blocks_gpu,
                generic=message.generic, extra={"lines": message.lines, "source": message.source},
            )
            for alt in alternatives_earned(message.alternatives, subject.facts, message.framework):
                yield alternative_hit(alt, tuple(message.evidence[:2]), message.cause, scope=message.scope,
                                        extra={"tells_apart": cause_check(alt)} if cause_check(alt) else {})

    return Rule(code=sig.id, slug=_slug(sig.id), cause=cause, severity=sig.severity, doc=doc, check=check)


# --- accrank3 (session 20): an alternative earns its place -------------------------------------------------------------


def alternatives_earned(alternatives: tuple[str, ...], facts: LogFacts, framework: str | None) -> list[str]:
    """The alternatives a line leaves open that the log does not rule out (knowledge/ruleouts.toml, ``explain.ruleout``).

    A cause a fact of the same log rules out (a CUDA build shown against a CPU build, nvidia-smi answering against no
    driver) is no alternative: LOG104 already drops it from its list, and a line's own alternatives are held to the same
    (one a fact only demotes is still possible and stays).
    """
    if not alternatives:
        return []
    moved = ruleout.rank(list(alternatives), facts, framework)[1]
    return [alt for alt in alternatives if alt not in moved or moved[alt][0].effect != "rules_out"]


@lru_cache(maxsize=1)
def signature_rules() -> tuple[Rule[LogSubject], ...]:
    """One rule per failure signature of ``signatures.toml``."""
    from whygpu.explain.catalogue import catalogue

    cat = catalogue()
    return tuple(_signature_rule(sig) for sig in cat.signatures if sig.kind == "failure")


def signature_rules_for(messages: list[MatchedMessage]) -> list[Rule[LogSubject]]:
    """The rules of the signatures that matched, in the order their messages were first seen (the findings keep the log's order).

    A signature rule reads only its own signature's messages: the others would find nothing to say.
    """
    by_code = _signature_rules_by_code()
    return [by_code[code] for code in dict.fromkeys(m.signature for m in messages)]


@lru_cache(maxsize=1)
def _signature_rules_by_code() -> dict[str, Rule[LogSubject]]:
    return {r.code: r for r in signature_rules()}


def __getattr__(name: str) -> Any:
    # ``RULES`` (the family list read by whygpu.rules.catalogue) is built on first use: the
    # signatures are parsed only when someone asks for the documentation.
    if name == "RULES":
        return [*FACT_RULES, *signature_rules()]
    raise AttributeError(name)
