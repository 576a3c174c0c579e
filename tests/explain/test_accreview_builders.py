"""accreview (session 38): one builder per repeated decision of the log rules' findings.

judge.decided_hits serves a situation table's decision and a hidden run's (the Decided protocol); judge.reading_hits a GPU
node's reading and nvidia-smi missing on a host (the Reading protocol); judge.alternative_hit every alternative;
schedrules._judged_hits a launcher's and a scheduler's judgement. Each test pins what the builder decides, so that a rule
built on it cannot drift from the others.
"""

from __future__ import annotations

from whygpu.explain.judge import LogSubject, alternative_hit, decided_hits, reading_hits
from whygpu.explain.logfacts import LogFacts
from whygpu.explain.schedrules import _judged_hits
from whygpu.knowledge.gpu_presence import NodeReading
from whygpu.knowledge.launcher_lists import list_row
from whygpu.knowledge.situations import SituationCause
from whygpu.knowledge.visible_devices import HiddenRun
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit

_SITUATION = SituationCause(cause="GPU_HIDDEN", also=("GPU_HIDDEN", "CODE_FORCES_CPU", "NO_GPU"), because="a reason",
                            decides="run nvidia-smi", fix="Give the run the GPU.", source="https://example.org/s", situation="x")
_HIDDEN = HiddenRun(cause="CODE_FORCES_CPU", also=("GPU_HIDDEN",), because="the code hides it", decides="grep the code",
                    source="https://example.org/h")


def test_a_decision_blocks_with_its_fix_what_decides_and_its_source() -> None:
    first, *rest = decided_hits(_SITUATION, "title", ("1: a", "2: b"), Confidence.MEDIUM, fix=_SITUATION.fix)
    assert isinstance(first, Hit) and first.cause == "GPU_HIDDEN" and first.blocks_gpu
    assert first.fix == "Give the run the GPU. To decide: run nvidia-smi."
    assert first.extra == {"why": "a reason", "source": "https://example.org/s"}
    assert rest == []  # no alternatives unless asked


def test_a_decision_ranks_the_causes_beside_it_without_its_own() -> None:
    hits = list(decided_hits(_SITUATION, "title", ("1: a", "2: b"), Confidence.LOW, fix="Fix.", beside=2, scope="torch",
                             extra={"why": "more"}))
    assert [h.cause for h in hits] == ["GPU_HIDDEN", "CODE_FORCES_CPU", "NO_GPU"]
    assert hits[0].scope == "torch" and hits[0].extra == {"why": "more"}
    assert all(h.alternative_to == "GPU_HIDDEN" and h.evidence == ("1: a",) and not h.blocks_gpu for h in hits[1:])


def test_a_hidden_run_is_served_by_the_same_builder() -> None:
    hits = list(decided_hits(_HIDDEN, "t", ("3: c",), Confidence.MEDIUM, fix="Find what hides it.", beside=1))
    assert [(h.cause, h.alternative_to) for h in hits] == [("CODE_FORCES_CPU", None), ("GPU_HIDDEN", "CODE_FORCES_CPU")]
    assert hits[0].fix == "Find what hides it. To decide: grep the code."


def test_a_reading_takes_the_one_fix_builders_fix_and_what_tells_the_causes_apart() -> None:
    reading = NodeReading(cause="DRIVER_MISSING", also=("NO_GPU",), confidence="medium", reasoning="why", decide="nvidia-smi on the node",
                          source="https://example.org/n")
    hits = list(reading_hits(LogSubject(facts=LogFacts()), "DRIVER_MISSING", reading, "t", ("1: x",), Confidence.MEDIUM, reading.also))
    assert [h.cause for h in hits] == ["DRIVER_MISSING", "NO_GPU"]
    assert hits[0].fix.endswith("\nTo tell the causes apart: nvidia-smi on the node") and "None" not in hits[0].fix
    assert hits[0].extra == {"why": "why", "source": "https://example.org/n"} and hits[0].blocks_gpu
    assert hits[1].alternative_to == "DRIVER_MISSING" and hits[1].evidence == ("1: x",)


def test_an_alternative_in_the_rules_own_words_keeps_its_presentation() -> None:
    plain = alternative_hit("DRIVER_MISSING", ("1: x",), "CONTAINER_NO_GPU")
    own = alternative_hit("DRIVER_MISSING", ("1: x",), "CONTAINER_NO_GPU", title="Possible instead: the host's driver", fix="Check it.")
    assert plain.title.startswith("Possible instead: ") and "What would show it instead" in plain.fix
    assert (own.title, own.fix) == ("Possible instead: the host's driver", "Check it.")
    for hit in (plain, own):
        assert (hit.confidence, hit.severity, hit.blocks_gpu, hit.alternative_to) == (Confidence.LOW, Severity.WARNING, False, "CONTAINER_NO_GPU")


def test_a_judgement_leads_with_its_row_or_only_ranks_beside_the_cause_shown() -> None:
    row = list_row("ray-get-gpu-ids")
    assert row is not None
    led = list(_judged_hits(row, "GPU_HIDDEN", "high", True, "", "t", ("1: a", "2: b")))
    assert len(led) == 1 and isinstance(led[0], Hit) and led[0].blocks_gpu and led[0].fix == row.fix
    assert led[0].confidence is Confidence.HIGH and led[0].extra == {"means": row.means, "source": row.source}
    beside = list(_judged_hits(row, "GPU_FAULT", "medium", True, "GPU_BUSY", "t", ("1: a",)))
    assert [(h.cause, h.alternative_to) for h in beside if isinstance(h, Hit)] == [("GPU_FAULT", None), ("GPU_BUSY", "GPU_FAULT")]
    ranked = list(_judged_hits(row, "GPU_HIDDEN", "low", False, "FRAMEWORK_CPU_BUILD", "t", ("1: a", "2: b")))
    assert len(ranked) == 1 and isinstance(ranked[0], Hit)
    assert (ranked[0].cause, ranked[0].alternative_to, ranked[0].blocks_gpu, ranked[0].evidence) == ("GPU_HIDDEN", "FRAMEWORK_CPU_BUILD", False, ("1: a",))
