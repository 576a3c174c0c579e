"""The log rules of the Jetson platform (accjet, session 31).

What the log says of the platform is read once (``LogFacts.jetson``, ``l4t_host``, ``l4t_image``: knowledge/jetson.toml's
markers and release strings); what it means is the knowledge layer's decision (``knowledge.jetson``). Each rule speaks only
where the log shows the GPU unused or failing, and never where a line shows it in use.
"""

from __future__ import annotations

from collections.abc import Iterator

from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Decides, Hit, Outcome, Rule, RuleDoc, rule


def _unused_or_blocked(subject: LogSubject) -> bool:
    """The GPU shown unused or failing (a framework's or the writer's "no GPU", or a line that blocks it), never in use."""
    if subject.gpu_in_use:
        return False
    return bool(subject.facts.gpu_unused()) or any(
        f.blocks_gpu and f.alternative_to is None and f.severity is not Severity.INFO for f in (*subject.matched, *subject.doctor))


@rule(
    "LOG440", "log-jetson-container-newer-than-host", "DRIVER_TOO_OLD", Severity.ERROR,
    RuleDoc(
        what="Finds a Jetson container image of a newer JetPack line (its L4T tag, l4t-ml:r34.1.0) than the host's L4T or JetPack release the log names (L4T 32.6, JetPack 4.6, /etc/nv_tegra_release), where the GPU went unused or failed.",
        why="On a Jetson the CUDA driver is part of the host's L4T; NVIDIA's l4t images from JetPack 5 on carry the CUDA of their own JetPack, which an older L4T's driver does not run (knowledge/jetson.toml).",
        example="docker run --gpus all nvcr.io/nvidia/l4t-ml:r34.1.0-py3 on a board with L4T r32.6 (JetPack 4): deviceQuery fails inside",
        fix="Run the image built for the board's L4T release (the rNN.N tag equal to `cat /etc/nv_tegra_release`), or flash the board with the JetPack the image was built for.",
        limits="Reads releases the log names; a host release written only in words ('the latest JetPack') is not read, and a log naming the host's release twice, once as new as the image's, stays quiet.",
        references=("https://catalog.ngc.nvidia.com/orgs/nvidia/containers/l4t-base", "https://developer.nvidia.com/embedded/jetpack-archive"),
    ),
)
def jetson_container_newer_than_host(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.jetson import container_newer_than_host

    facts = subject.facts
    if not facts.on_jetson() or not facts.l4t_image or not facts.l4t_host or not _unused_or_blocked(subject):
        return
    newer = container_newer_than_host([s.value for s in facts.l4t_host], [s.value for s in facts.l4t_image])
    if newer is None:
        return
    image, host = newer
    image_seen = next(s for s in facts.l4t_image if s.value == image)
    host_seen = next(s for s in facts.l4t_host if s.value == host)
    yield Hit(
        title=f"A container of a newer JetPack ({image}) runs on a Jetson whose L4T is older ({host}): the host's CUDA driver is too old for the image's CUDA",
        evidence=_ev(image_seen, host_seen),
        fix="Use the image whose L4T tag matches the board (`cat /etc/nv_tegra_release`; jetson-containers' autotag picks it), or flash the board with the image's JetPack. Check: inside the container deviceQuery or torch.cuda.is_available() works with the matching tag.",
        confidence=Confidence.MEDIUM,
        blocks_gpu=True,
    )


@rule(
    "LOG441", "log-jetson-library-of-another-jetpack", "CUDA_LIBS_MISMATCH", Severity.ERROR,
    RuleDoc(
        what="Finds a CUDA, cuDNN or TensorRT library that failed to load on a Jetson whose soname names another release than the host's JetPack installs (libnvinfer.so.7 on JetPack 5's TensorRT 8, libcudart.so.10.2 on JetPack 5's CUDA 11.4).",
        why="JetPack fixes the CUDA, cuDNN and TensorRT releases per L4T release (knowledge/jetson.toml), so a program or image built for another JetPack wants libraries the board does not have.",
        example="Jetpack 5.1.2 [L4T 35.4.1] ... error while loading shared libraries: libnvinfer.so.7: cannot open shared object file",
        fix="Use the program's build (or the l4t image) for the board's JetPack release, or rebuild it on the board against its CUDA, cuDNN and TensorRT.",
        limits="Reads the host's release only where the log names it (L4T, JetPack, /etc/nv_tegra_release); a library with no release in its name is not judged.",
        references=("https://developer.nvidia.com/embedded/jetpack-archive",),
    ),
    # The generic "cannot open shared object file" line it judged against the board's JetPack yields to it (since
    # session 39 libnvinfer's line is no longer harmless outside TensorFlow's loader, and read alone it says MISSING).
    decides=Decides(over="generic", cause="any", by="first_line"),
)
def jetson_library_of_another_jetpack(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.jetson import library_of_other_jetpack

    facts = subject.facts
    if not facts.on_jetson() or not facts.l4t_host or subject.gpu_in_use:
        return
    for failed in (*facts.library_failed, *facts.load_failed):
        for host in facts.l4t_host:
            other = library_of_other_jetpack(failed.value, host.value)
            if other is None:
                continue
            component, wanted, have = other
            name = {"cuda": "CUDA", "cudnn": "cuDNN", "tensorrt": "TensorRT"}[component]
            yield Hit(
                title=f"The program wants {name} {wanted} ({failed.value}), but this Jetson's release ({host.value}) installs {name} {have}: it was built for another JetPack",
                evidence=_ev(failed, host),
                fix=f"Install the program's build for the board's JetPack (its {name} {have}), use the l4t image of the board's L4T release, or rebuild it on the board.",
                confidence=Confidence.MEDIUM,
                blocks_gpu=True,
            )
            return


@rule(
    "LOG442", "log-jetson-image-for-another-module", "GPU_NOT_SUPPORTED", Severity.ERROR,
    RuleDoc(
        what="Finds a Jetson container image of a JetPack line that does not support the board's module (an r36 image, JetPack 6, on a Xavier), unless a line shows the GPU in use.",
        why="Each JetPack line supports certain modules (knowledge/jetson.toml); images and wheels of a line are built for its modules' GPU architectures (JetPack 6's for Orin's 8.7), so they hold no code for another module's GPU.",
        example="dustynv/opencv:4.8.1-r36.2.0 on a Jetson Xavier NX: built for GPU architecture 87, no kernel image for 7.2",
        fix="Use an image of a JetPack line the module supports (for Xavier: an r35 image of JetPack 5), or rebuild with the module's compute capability (CUDA_ARCH_BIN / TORCH_CUDA_ARCH_LIST).",
        limits="Reads the module from the names the log gives (Nano, TX2, Xavier, Orin, Thor); a log naming two modules is judged by the first.",
        references=("https://developer.nvidia.com/embedded/jetpack-archive", "https://developer.nvidia.com/cuda-gpus"),
    ),
)
def jetson_image_for_another_module(subject: LogSubject) -> Iterator[Outcome]:
    from whygpu.knowledge.jetson import line_supports, module_of

    facts = subject.facts
    if not facts.on_jetson() or not facts.l4t_image or subject.gpu_in_use or any(a.value is True for v in facts.gpu_answer.values() for a in v):
        return  # (no failure line needed: a line's image cannot reach a module its JetPack does not support)
    modules = [(module, seen) for seen in facts.jetson if (module := module_of(seen.value)) is not None]
    if not modules:
        return
    module, module_seen = modules[0]
    for image in facts.l4t_image:
        if line_supports(image.value, module) is False:
            yield Hit(
                title=f"The container image is of a JetPack line ({image.value}) that does not support this Jetson {module}: its builds hold no code for the {module}'s GPU",
                evidence=_ev(image, module_seen),
                fix=f"Use an image of a JetPack line that supports the {module} (its L4T tag), or rebuild the program for the {module}'s compute capability.",
                confidence=Confidence.MEDIUM,
                blocks_gpu=True,
            )
            return


JETSON_RULES: list[Rule[LogSubject]] = [jetson_container_newer_than_host, jetson_library_of_another_jetpack, jetson_image_for_another_module]
