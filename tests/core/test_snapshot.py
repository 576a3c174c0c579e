"""Snapshots round-trip through JSON unchanged, and corrupt or foreign files give a clear error."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import cpu_vm, healthy, tf_build, torch_build
from whygpu.diagnose import diagnose
from whygpu.errors import UserError
from whygpu.snapshot import Snapshot, read_snapshot


def test_round_trip_is_identical() -> None:
    snap = healthy(tf_build(), torch_build())
    again = Snapshot.from_json(json.loads(json.dumps(snap.to_json())))
    assert again == snap


def test_diagnosis_of_a_round_tripped_snapshot_is_the_same() -> None:
    snap = cpu_vm(torch_build("2.13.0+cpu", cuda=None))
    again = Snapshot.from_json(json.loads(json.dumps(snap.to_json())))
    assert diagnose(again).to_json() == diagnose(snap).to_json()


def test_unavailable_facts_survive(tmp_path: Path) -> None:
    snap = cpu_vm()
    path = tmp_path / "s.json"
    path.write_text(json.dumps(snap.to_json()))
    data = json.loads(path.read_text())
    assert data["driver"]["report"] == {"unavailable": "NVML Shared Library Not Found", "probe": "nvml"}
    assert read_snapshot(str(path)) == snap


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"{not json", "invalid JSON"),
        (b"\xff\xfe\x00garbage", "binary file"),
        (b"caf\xe9", "not UTF-8"),
        (b'{"format": "something-else"}', "not a whygpu snapshot"),
        (b"[1, 2, 3]", "not a whygpu snapshot"),
        (b'{"format": "whygpu-snapshot", "schema_version": 99}', "schema_version 99"),
        (b'{"format": "whygpu-snapshot", "schema_version": 1}', "missing field"),
    ],
)
def test_bad_snapshot_files_give_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(UserError) as err:
        read_snapshot(str(path))
    assert message in str(err.value)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_wrong_type_names_the_json_path(tmp_path: Path) -> None:
    data = healthy().to_json()
    data["driver"]["device_nodes"] = "not a list"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    with pytest.raises(UserError, match=r"\$\.driver\.device_nodes"):
        read_snapshot(str(path))


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        read_snapshot(str(tmp_path / "nope.json"))
    with pytest.raises(UserError, match="directory"):
        read_snapshot(str(tmp_path))


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["source", "platform", "hardware", "driver", "pythons", "cuda", "x"]), _json, max_size=6))
def test_arbitrary_documents_never_crash(doc: dict[str, object]) -> None:
    doc = {"format": "whygpu-snapshot", "schema_version": 1, **doc}
    with contextlib.suppress(UserError):
        Snapshot.from_json(doc)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["source", "platform", "hardware", "driver", "container", "cloud", "cuda", "pythons"]), _json)
def test_corrupting_one_section_is_a_user_error_or_valid(section: str, value: object) -> None:
    doc = healthy().to_json()
    doc[section] = value
    try:
        snap = Snapshot.from_json(doc)
    except UserError:
        return
    diagnose(snap)  # a document that passed validation must diagnose without crashing
