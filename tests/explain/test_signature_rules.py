"""The signature rules: the matched-message facts become findings only through the one runner.

``explain.infer.conclude`` reads the matched lines into typed facts (``MatchedMessage``); each
failure signature's rule turns its own messages into findings. Every finding explain reports for a
signature must be what its rule, run by ``run_rule_list``, makes of those facts.
"""

from __future__ import annotations

from whygpu.explain import explain_text
from whygpu.explain.catalogue import catalogue
from whygpu.explain.infer import Collector, MatchedMessage, conclude
from whygpu.explain.judge import LogSubject
from whygpu.explain.logfacts import FactReader, LogFacts
from whygpu.explain.rules import signature_rules, signature_rules_for
from whygpu.explain.scan import Scanner
from whygpu.model import Confidence, Severity
from whygpu.rules.runner import run_rule_list

LOG = (
    "2021-03-01 10:00:00.000000: W tensorflow/stream_executor/platform/default/dso_loader.cc:60] "
    "Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: "
    "No such file or directory\n"
    "TensorFlow version: 2.4.1\n"
)


def _messages(text: str) -> tuple[list[MatchedMessage], LogFacts]:
    reader = FactReader()
    collector = Collector(catalogue(), reader.facts)
    data = text.encode()
    done = [False]

    def read(size: int) -> bytes:
        if done[0]:
            return b""
        done[0] = True
        return data

    Scanner(catalogue(), collector).scan(read)
    reader.read_text("t.log", text)
    collector.absorb(reader.facts)
    return conclude(collector.data, reader.facts), reader.facts


def _message(**change: object) -> MatchedMessage:
    base: dict[str, object] = dict(
        signature="LOG-TF-DSO-LOAD", cause="CUDA_LIBS_MISSING", severity=Severity.ERROR, confidence=Confidence.MEDIUM,
        title="TensorFlow could not load libcudart.so.11.0", evidence=("t.log:1: Could not load ...",), lines=1,
        scope="TensorFlow", blocks_gpu=True, generic=False, alternatives=("CUDA_LIBS_NOT_ON_PATH",), fix="",
        needs_cause_fix=True, framework="tensorflow", wanted_cuda=None, decide="", source="https://example.org/1",
    )
    base.update(change)
    return MatchedMessage(**base)  # type: ignore[arg-type]


def test_conclude_yields_typed_facts_not_findings() -> None:
    messages, _ = _messages(LOG)
    assert messages and all(isinstance(m, MatchedMessage) for m in messages)
    first = messages[0]
    assert first.signature.startswith("LOG-")
    assert first.evidence[0].startswith("<text>:1: ")
    assert first.blocks_gpu


def test_a_signature_rule_turns_its_messages_into_findings_and_others_into_nothing() -> None:
    rules = {r.code: r for r in signature_rules()}
    message = _message()
    subject = LogSubject(facts=LogFacts(), messages=[message])
    found, unknown = run_rule_list([rules["LOG-TF-DSO-LOAD"]], subject)
    assert unknown == []
    primary = [f for f in found if f.alternative_to is None]
    assert [(f.id, f.cause, f.title) for f in primary] == [("LOG-TF-DSO-LOAD", "CUDA_LIBS_MISSING", message.title)]
    assert primary[0].fix, "the cause's fix builder speaks where the message has no fix of its own"
    assert [(f.cause, f.alternative_to) for f in found if f.alternative_to] == [("CUDA_LIBS_NOT_ON_PATH", "CUDA_LIBS_MISSING")]
    # Another signature's rule makes nothing of this message.
    other = next(code for code in rules if code != "LOG-TF-DSO-LOAD")
    assert run_rule_list([rules[other]], subject) == ([], [])
    # Without messages the rule stays quiet.
    assert run_rule_list([rules["LOG-TF-DSO-LOAD"]], LogSubject(facts=LogFacts())) == ([], [])


def test_a_message_with_its_own_complete_fix_keeps_it_and_an_informational_one_leaves_nothing_open() -> None:
    rules = {r.code: r for r in signature_rules()}
    own = _message(fix="Do exactly this.", needs_cause_fix=False, severity=Severity.INFO, alternatives=(),
                   decide="")
    found, _ = run_rule_list([rules["LOG-TF-DSO-LOAD"]], LogSubject(facts=LogFacts(), messages=[own]))
    assert [(f.fix, f.severity) for f in found] == [("Do exactly this.", Severity.INFO)]
    decided = _message(fix="Do this.", needs_cause_fix=False, decide="run nvidia-smi")
    found, _ = run_rule_list([rules["LOG-TF-DSO-LOAD"]], LogSubject(facts=LogFacts(), messages=[decided]))
    assert found[0].fix == "Do this.\nTo tell the causes apart: run nvidia-smi"


def test_explain_reports_exactly_what_the_signature_rules_make_of_the_messages() -> None:
    messages, facts = _messages(LOG)
    subject = LogSubject(facts=facts, messages=messages)
    from_runner, _ = run_rule_list(signature_rules_for(messages), subject)
    reported = [f for f in explain_text(LOG, source="t.log").findings if f.id.startswith("LOG-")]
    assert reported
    assert {(f.id, f.cause, f.title, f.alternative_to) for f in reported} == {
        (f.id, f.cause, f.title, f.alternative_to) for f in from_runner
    }


def test_the_rules_run_in_the_order_their_messages_were_first_seen() -> None:
    a, b = _message(signature="LOG-TF-DSO-LOAD"), _message(signature="LOG-TF-CUINIT")
    codes = [r.code for r in signature_rules_for([b, a, b])]
    assert codes[:2] == ["LOG-TF-CUINIT", "LOG-TF-DSO-LOAD"]
    assert sorted(codes) == sorted(r.code for r in signature_rules())
