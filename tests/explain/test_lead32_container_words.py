"""A container named in the reporters' other languages is a container named (lead, session 32), as "container" is: found by
accnotice on mattshma/bigdata#150 ("在容器中", https://github.com/mattshma/bigdata/issues/150)."""

from __future__ import annotations

import pytest

from log_text import facts

TAIL = " nvidia-smi 报错：\n# nvidia-smi\nFailed to initialize NVML: Unknown Error\n"


@pytest.mark.parametrize("words", ["在容器中运行", "コンテナ内で", "컨테이너에서", "Running it in the container,"])
def test_the_container_is_named_in_any_of_the_languages(words: str) -> None:
    assert [s.value for s in facts(words + TAIL).container_named]


@pytest.mark.parametrize("words", ["在服务器上运行", "ホストで", "Running it on the server,"])
def test_a_server_is_no_container(words: str) -> None:
    assert not facts(words + TAIL).container_named
