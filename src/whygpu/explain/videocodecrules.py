"""NVIDIA's video codec libraries, judged (session 35, accmedia): LOG640-LOG644 report what keeps a video program from
NVENC/NVDEC, each where knowledge.video_codec.verdict decides its cause over the log's signs (explain.videocodec):

  - LOG640  a codec library of the driver not loaded (libnvidia-encode, libnvcuvid): a container without the video
            capability (CONTAINER_NO_GPU; high where the log shows the container, medium where it shows none);
  - LOG641  the driver's NVENC API older than the one the program was built for (DRIVER_TOO_OLD);
  - LOG642  an entry point of a newer Video Codec SDK missing from the driver's library (DRIVER_TOO_OLD);
  - LOG643  a video program's build without CUDA decoding refusing the GPU (FRAMEWORK_CPU_BUILD);
  - LOG644  NVENC refusing a new session where the log shows several at once (GPU_BUSY).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import LogFacts, Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.knowledge.causes import cause_meaning
from whygpu.knowledge.video_codec import (
    CPU_BUILD,
    MISSING,
    SESSION,
    SHORTFALL,
    SYMBOL,
    Verdict,
    api_floor,
    cpu_build_fix,
    library_component,
    symbol_sdk,
    verdict,
)
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule

_CAPS_DOC = "https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/docker-specialized.html#driver-capabilities"
_SDK_DOC = "https://docs.nvidia.com/video-technologies/video-codec-sdk/13.0/read-me/index.html"
_NVENC_C = "https://github.com/FFmpeg/FFmpeg/blob/master/libavcodec/nvenc.c"
_MATRIX = "https://developer.nvidia.com/video-encode-and-decode-gpu-support-matrix-new"
# A program's own hint that names Docker (DALI's "If you are running in a Docker container, please refer to ..."): not the
# log showing a container.
_HINT = "if you are running in a docker container"


def container_shown(facts: LogFacts) -> bool:
    """Whether the log shows the program in a container (a prompt, a launch, a manifest, an image, the writer's word), not
    counting a program's own hint that names Docker."""
    named = [s for s in facts.container_named if _HINT not in s.text.lower()]
    return bool(facts.in_container or facts.docker_run_with_gpus or facts.docker_run_without_gpus or named
                or facts.manifest_with_gpus or facts.manifest_without_gpus or facts.gpu_image or facts.cuda_image
                or facts.serving_image or facts.container_stack or facts.stated_smi_in_container)


def judged(facts: LogFacts) -> tuple[Verdict, Seen[Any] | None]:
    """knowledge.video_codec.verdict over the log's signs, and the sighting of the sign that decided."""
    if not facts.video_codec:
        return Verdict(""), None
    decided = verdict((s.value for s in facts.video_codec), in_container=container_shown(facts),
                      video_given=bool(facts.video_capability), several_sessions=bool(facts.video_sessions))
    seen = next((s for s in facts.video_codec if s.value == decided.sign), None) if decided.sign is not None else None
    return decided, seen


def _conf(decided: Verdict) -> Confidence:
    return Confidence.HIGH if decided.confidence == "high" else Confidence.MEDIUM


@rule(
    "LOG640", "log-video-library-not-loaded", "CONTAINER_NO_GPU", Severity.ERROR,
    RuleDoc(
        what="Reads a video program's own line that a codec library of the NVIDIA driver could not be loaded: ffmpeg's \"Cannot load libnvidia-encode.so.1\" / \"Cannot load libnvcuvid.so.1\", DALI's \"Failed to load libnvcuvid.so, needed by the VideoReader operator\", VPF's \"NVENC library file is not found\".",
        why="NVENC and NVDEC are the driver's libraries (libnvidia-encode, libnvcuvid), not the CUDA toolkit's; the NVIDIA container runtime mounts them only where the container is given the video driver capability (NVIDIA_DRIVER_CAPABILITIES=compute,video,utility or all), and most images set compute,utility (knowledge/video_codec.toml). ffmpeg loads libcuda first: the encode library missing after it is the capability's signature.",
        example="[hevc_nvenc @ 0x55ca461fa380] Cannot load libnvidia-encode.so.1\n[hevc_nvenc @ 0x55ca461fa380] The minimum required Nvidia driver for nvenc is (unknown) or newer",
        fix="Give the container the video capability: -e NVIDIA_DRIVER_CAPABILITIES=compute,video,utility (or all) on docker run, ENV NVIDIA_DRIVER_CAPABILITIES=compute,video,utility in the image's final stage, --gpus 'all,\"capabilities=compute,utility,video\"', or capabilities: [gpu, video] in compose; then recreate the container. On a host, install the driver's codec package (Debian/Ubuntu: libnvidia-encode-NNN, libnvidia-decode-NNN of the driver's branch).",
        limits="High where the log shows the container; medium where it shows none (a driver install without its codec package gives the same line on a host). Quiet where the log's configuration gives the container video or all (the runtime mounts the libraries then). A build refusing CUDA or a driver API shortfall in the same log leads instead.",
        references=(_CAPS_DOC, "https://github.com/NVIDIA/DALI/issues/2362", "https://github.com/linuxserver/docker-plex/issues/340"),
    ),
)
def video_library_not_loaded(subject: LogSubject) -> Iterator[Outcome]:
    decided, seen = judged(subject.facts)
    if decided.cause != "CONTAINER_NO_GPU" or seen is None or decided.sign is None or decided.sign.kind != MISSING:
        return
    component = library_component(decided.sign.row)
    where = ("in a container" if decided.container_said
             else "where no container is shown (a container given compute without video, or a driver installed without its codec package)")
    yield Hit(
        title=f"The driver's library for {component} could not be loaded {where}: the NVIDIA runtime mounts it only with the "
        f"video driver capability. Likeliest: {cause_meaning('CONTAINER_NO_GPU')}",
        evidence=_ev(seen),
        fix="Start the container with the video capability: NVIDIA_DRIVER_CAPABILITIES=compute,video,utility (or all) in its environment "
        "or the image's final stage, or --gpus 'all,\"capabilities=compute,utility,video\"'; in compose, capabilities: [gpu, video]. "
        "Then recreate it and check with ls /usr/lib/x86_64-linux-gnu/libnvidia-encode.so.1 libnvcuvid.so.1 inside. "
        "Not in a container: install the driver branch's encode/decode package (libnvidia-encode-NNN, libnvidia-decode-NNN).",
        confidence=_conf(decided),
        blocks_gpu=True,
    )


@rule(
    "LOG641", "log-nvenc-api-too-new", "DRIVER_TOO_OLD", Severity.ERROR,
    RuleDoc(
        what="Reads ffmpeg's (and HandBrake's, PyAV's, any libavcodec's) \"Driver does not support the required nvenc API version. Required: 12.1 Found: 12.0\", and its \"The minimum required Nvidia driver for nvenc is 551.76 or newer\" where no codec library failed to load.",
        why="A program built against a Video Codec SDK asks the driver for that NVENC API version; each API version comes with a driver branch (12.0: 522.25 Windows / 520.56.06 Linux; 12.2: 551.76 / 550.54.14; 13.0: 570) (knowledge/video_codec.toml [[api]], FFmpeg's nvenc.c). Found below Required is the driver older than the build.",
        example="[h264_nvenc @ 000001aedcf7e740] Driver does not support the required nvenc API version. Required: 12.1 Found: 12.0\n[h264_nvenc @ 000001aedcf7e740] The minimum required Nvidia driver for nvenc is (unknown) or newer",
        fix="Update the NVIDIA driver to the branch the build needs (the minimum the line prints, or knowledge/video_codec.toml's row for the Required API), or use a build of the program made against an older Video Codec SDK (nv-codec-headers) that the driver supports.",
        limits="The minimum-driver line alone (no Required/Found and no library load failure) is read at medium. Where a codec library failed to load, LOG640 reads the same minimum-driver line instead.",
        references=(_NVENC_C, _SDK_DOC, "https://github.com/HandBrake/HandBrake/issues/5641"),
    ),
)
def nvenc_api_too_new(subject: LogSubject) -> Iterator[Outcome]:
    decided, seen = judged(subject.facts)
    if decided.cause != "DRIVER_TOO_OLD" or seen is None or decided.sign is None or decided.sign.kind != SHORTFALL:
        return
    sign = decided.sign
    if sign.need:
        floor = api_floor(sign.need)
        needed = f" (NVENC API {sign.need} comes with driver {floor[0]} on Windows, {floor[1]} on Linux)" if floor else ""
        title = (f"The driver offers NVENC API {sign.found} and the program was built for {sign.need}{needed}: the driver is older "
                 f"than the program's Video Codec SDK. Likeliest: {cause_meaning('DRIVER_TOO_OLD')}")
    else:
        said = f"driver {sign.driver} or newer" if sign.driver and sign.driver != "(unknown)" else "a newer driver than this one"
        title = (f"The program's NVENC encoder asks for {said} and the driver refused its API version. "
                 f"Likeliest: {cause_meaning('DRIVER_TOO_OLD')}")
    yield Hit(
        title=title,
        evidence=_ev(seen),
        fix="Update the NVIDIA driver to the branch that offers the program's NVENC API (nvidia-smi shows the driver; knowledge/video_codec.toml "
        "lists each API's minimum), or install a build of the program made against an older Video Codec SDK that this driver supports.",
        confidence=_conf(decided),
        blocks_gpu=True,
    )


@rule(
    "LOG642", "log-cuvid-symbol-missing", "DRIVER_TOO_OLD", Severity.ERROR,
    RuleDoc(
        what="Reads an entry point of the Video Codec SDK missing from the driver's libnvcuvid at load or link time: \"undefined symbol: cuvidGetDecoderCaps\", \"undefined reference to `cuvidReconfigureDecoder'\".",
        why="libnvcuvid comes with the driver, and each SDK release adds entry points (cuvidGetDecoderCaps with SDK 8.1, cuvidReconfigureDecoder and cuvidGetDecodeStatus with 8.2) that only the drivers of that SDK's branch carry (knowledge/video_codec.toml [[symbol]] and [[api]]).",
        example="ImportError: /root/anaconda3/lib/python3.6/site-packages/nvvl-1.0-py3.6-linux-x86_64.egg/nvvl/lib/libnvvl.so: undefined symbol: cuvidGetDecoderCaps",
        fix="Update the NVIDIA driver to the branch of the SDK the program was built with (its minimum in knowledge/video_codec.toml), or build the program against the older SDK the driver supports.",
        limits="Only the entry points listed in knowledge/video_codec.toml.",
        references=(_SDK_DOC, "https://github.com/NVIDIA/nvvl/issues/28", "https://github.com/NVIDIA/NvPipe/issues/48"),
    ),
)
def cuvid_symbol_missing(subject: LogSubject) -> Iterator[Outcome]:
    decided, seen = judged(subject.facts)
    if decided.cause != "DRIVER_TOO_OLD" or seen is None or decided.sign is None or decided.sign.kind != SYMBOL:
        return
    sdk = symbol_sdk(decided.sign.row)
    floor = api_floor(sdk) if sdk else None
    needed = f" (SDK {sdk}: driver {floor[1]} on Linux, {floor[0]} on Windows)" if floor else ""
    yield Hit(
        title=f"The driver's libnvcuvid lacks {decided.sign.row}, which a newer Video Codec SDK added{needed}: the driver is older than the "
        f"SDK the program was built with. Likeliest: {cause_meaning('DRIVER_TOO_OLD')}",
        evidence=_ev(seen),
        fix="Update the NVIDIA driver to the SDK's branch or newer, or rebuild the program against the SDK this driver supports.",
        confidence=_conf(decided),
        blocks_gpu=True,
    )


@rule(
    "LOG643", "log-video-cpu-build", "FRAMEWORK_CPU_BUILD", Severity.ERROR,
    RuleDoc(
        what="Reads a video program's own refusal of the GPU in its build without CUDA decoding: torchcodec's \"RuntimeError: Unsupported device: cuda\" (where the log names torchcodec), decord's \"CUDA not enabled. Requested context GPU(0).\", torchvision's \"Not compiled with GPU decoder support\".",
        why="These programs' default wheels decode on the CPU only: torchcodec's CUDA build comes from PyTorch's cuNNN index, decord's and torchvision's GPU decoders from a build from source with the Video Codec SDK (knowledge/video_codec.toml [[cpu_build]]).",
        example="    video = VideoDecoder(video_file, device=\"cuda\")\n  File \"/home/ubuntu/si/.venv/lib/python3.10/site-packages/torchcodec/decoders/_video_decoder.py\", line 96, in __init__\nRuntimeError: Unsupported device: cuda",
        fix="Install the program's CUDA build (torchcodec from https://download.pytorch.org/whl/cuNNN; decord or torchvision built from source with CUDA and the Video Codec SDK).",
        limits="torchcodec's message counts only where the log names torchcodec.",
        references=("https://github.com/meta-pytorch/torchcodec/issues/445", "https://github.com/dmlc/decord/issues/71"),
    ),
)
def video_cpu_build(subject: LogSubject) -> Iterator[Outcome]:
    decided, seen = judged(subject.facts)
    if decided.cause != "FRAMEWORK_CPU_BUILD" or seen is None or decided.sign is None or decided.sign.kind != CPU_BUILD:
        return
    program, fix = cpu_build_fix(decided.sign.row)
    yield Hit(
        title=f"{program}'s build has no CUDA video decoding and refuses the GPU: its default wheel decodes on the CPU. "
        f"Likeliest: {cause_meaning('FRAMEWORK_CPU_BUILD')}",
        evidence=_ev(seen),
        fix=fix,
        confidence=_conf(decided),
        blocks_gpu=True,
    )


@rule(
    "LOG644", "log-nvenc-sessions-used-up", "GPU_BUSY", Severity.ERROR,
    RuleDoc(
        what="Reads NVENC refusing a new encode session (ffmpeg's \"OpenEncodeSessionEx failed: out of memory (10)\", the SDK's \"nvEncOpenEncodeSessionEx ... returned error 10\") where the log also shows several encode sessions at once (\"too many concurrent sessions\", a fourth encoder).",
        why="The driver limits GeForce and most consumer GPUs to a few concurrent NVENC sessions (NVIDIA's encode/decode support matrix) and reports the session past the limit as out of memory (10), lately as incompatible client key (21) (knowledge/video_codec.toml [[session]]).",
        example="Conversion may fail sometimes due to too many concurrent sessions\n[h264_nvenc @ 0x5601aa5b40c0] OpenEncodeSessionEx failed: out of memory (10)",
        fix="Run fewer encodes at once on the GPU (queue them, or limit the program's parallel transcodes to the GPU's session count), or use a GPU without the consumer session limit.",
        limits="Quiet where the log does not show several sessions: the same code is a real allocation failure too.",
        references=(_MATRIX, "https://github.com/obsproject/obs-studio/pull/11259"),
    ),
)
def nvenc_sessions_used_up(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    decided, seen = judged(facts)
    if decided.cause != "GPU_BUSY" or seen is None or decided.sign is None or decided.sign.kind != SESSION:
        return
    shown = facts.video_sessions[0]
    yield Hit(
        title=f"NVENC refused a new encode session while the log shows several at once: the GPU's concurrent-session limit. "
        f"Likeliest: {cause_meaning('GPU_BUSY')}",
        evidence=_ev(seen, shown),
        fix="Encode fewer streams at once on this GPU (queue the jobs or cap the program's parallel encodes at the GPU's session limit), "
        "or move the extra sessions to another GPU.",
        confidence=_conf(decided),
        blocks_gpu=True,
    )


VIDEO_CODEC_RULES: list[Rule[LogSubject]] = [video_library_not_loaded, nvenc_api_too_new, cuvid_symbol_missing, video_cpu_build, nvenc_sessions_used_up]
