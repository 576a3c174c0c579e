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
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


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
    if not facts.jetson or not facts.l4t_image or not facts.l4t_host or not _unused_or_blocked(subject):
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


JETSON_RULES: list[Rule[LogSubject]] = [jetson_container_newer_than_host]
