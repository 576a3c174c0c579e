"""accfam41 (session 41): a program whose defaults run one step on the GPU and the others on the CPU (knowledge/utilisation.toml
[[cpu_steps]]: BERTopic's embeddings on the GPU, UMAP and HDBSCAN on the CPU), and the writer's words that the GPU is not used."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whygpu.explain.judge import LogSubject, alternative_hit
from whygpu.explain.logfacts import Seen
from whygpu.explain.logfacts import evidence as _ev
from whygpu.model import Confidence, Severity
from whygpu.rules.interface import Hit, Outcome, Rule, RuleDoc, rule


@rule(
    "LOG237", "log-program-cpu-steps", "GPU_UNDERUSED", Severity.WARNING,
    RuleDoc(
        what="Reads the writer's words that the GPU is not used, or idle, in a log that names a program whose defaults run one step on the GPU and the others on the CPU (knowledge/utilisation.toml [[cpu_steps]]: BERTopic embeds on the GPU, its UMAP and HDBSCAN run on the CPU).",
        why="Such a run uses the GPU for its one step and leaves it idle through the others, by the program's design: the GPU is reached, and what keeps it idle is the CPU steps, which the program's own GPU versions replace.",
        example="I did run on GCP and observed the CPU usage/GPU usage, and did not see clues that GPU was running (BERTopic)\n(https://github.com/MaartenGr/BERTopic/issues/733)",
        fix="Use the program's GPU versions of its CPU steps (for BERTopic, cuML's UMAP and HDBSCAN), as its documentation says.",
        limits="Medium where the log shows the GPU reached (the writer's low or idle utilisation, the GPU seen or in use); with the writer's words alone that the GPU is not used, only a possibility beside the framework's causes (a GPU never seen busy, even through the embedding step, is as likely a PyTorch that found none). Quiet where a framework answered that it found no GPU, the program said it runs on the CPU, or a failure blocks the GPU (their readings decide).",
        references=("https://maartengr.github.io/BERTopic/faq.html#can-i-use-the-gpu-to-speed-up-the-model",),
    ),
)
def program_cpu_steps(subject: LogSubject) -> Iterator[Outcome]:
    facts = subject.facts
    if not facts.cpu_steps_named:
        return
    from whygpu.knowledge.utilisation import UNDERUSED

    decision = facts.utilisation_decision()
    # The GPU reached and idle: the writer's words that it idles, or the run's numbers decided so (knowledge.utilisation.decide).
    idle: list[Seen[Any]] = [*facts.stated_underused, *(facts.utilisation[i] for i in decision.used if decision.kind == UNDERUSED)]
    said: list[Seen[Any]] = idle or list(facts.counted_unused())
    if not said or subject.blocking() or facts.cpu_notice:
        return
    if any(s.value is False for values in facts.gpu_answer.values() for s in values):
        return  # the framework found no GPU: the embedding step ran on the CPU too, which that answer's readings explain
    from whygpu.knowledge.utilisation import cpu_steps_program

    named = facts.cpu_steps_named[0]
    steps = cpu_steps_program(named.text)
    if steps is None:
        return
    title = (f"{steps.program} runs only {steps.gpu_step} on the GPU; {steps.cpu_steps} run on the CPU by default, so the GPU "
             "sits idle through them")
    if not (idle or subject.gpu_in_use or facts.gpu_seen()):
        # The writer's words alone that the GPU is not used: the embedding step, the longest one by the program's maintainer
        # (BERTopic#16), would have shown the GPU at work had PyTorch found it, so a GPU never seen busy is as likely a PyTorch
        # without the GPU (BERTopic#539 and #545 were asked to check torch.cuda.is_available()): a possibility beside the
        # framework's causes, not the answer.
        yield alternative_hit("GPU_UNDERUSED", _ev(said[0], named), None, title=f"Possible instead: {title}", fix=steps.fix)
        return
    yield Hit(
        title=title,
        evidence=_ev(said[0], named),
        fix=steps.fix,
        confidence=Confidence.MEDIUM,
        blocks_gpu=False,
        extra={"read_from": "the program named and the writer's words, judged by knowledge/utilisation.toml [[cpu_steps]]"},
    )


CPU_STEPS_RULES: list[Rule[LogSubject]] = [program_cpu_steps]
