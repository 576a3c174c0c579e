"""accmisc39 (session 39): tf.distribute's and tf.data's notices of a distributed run that is going, read as facts
(``LogFacts.dist_notice``, value the notice's id of knowledge/dist_notices.toml): tf.data's auto-shard fallback ("AUTO
sharding policy will apply DATA sharding policy as it failed to apply FILE sharding policy ... Found an unshardable source
dataset"), tf.distribute's sparse all-reduce ("Efficient allreduce is not supported for 2 IndexedSlices") and its "Reduce to
... then broadcast to" lines. None is a cause: a reading that rests only on versions compared (LOG101, LOG102) stands aside
for them unless a line of the run fails or the GPU is shown unused (``knowledge.dist_notices.version_guess_stands``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from whygpu.knowledge.dist_notices import NEEDLES, notice_in, version_guess_stands

if TYPE_CHECKING:
    from whygpu.explain.logfacts import LogFacts

__all__ = ["NEEDLES", "notice_in", "version_guess_quiet"]


def version_guess_quiet(facts: LogFacts, failing: bool) -> bool:
    """Whether a version-only reading stays quiet on ``facts``: the log holds such a notice, no line of the run fails
    (``failing``, the rule's own test) and nothing shows the GPU unused."""
    return not version_guess_stands(len(facts.dist_notice), failing, bool(facts.gpu_unused()))
