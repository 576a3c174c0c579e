"""Reads the Azure Instance Metadata Service: one GET, no proxy, at most a second, failures returned as text."""

from __future__ import annotations

import json
import time
from typing import Any

from whygpu.records import record

# IMDS refuses requests that went through a proxy and answers in milliseconds on Azure;
# off Azure nothing answers, so anything longer only delays the report.
# https://learn.microsoft.com/azure/virtual-machines/instance-metadata-service
MAX_TIMEOUT_S = 1.0
COMPUTE_PATH = "/metadata/instance/compute?api-version=2021-02-01"
_MAX_BYTES = 1 << 20


@record(frozen=True)
class ImdsResult:
    """The decoded JSON document, or the reason there is none."""

    data: dict[str, Any] | None
    error: str | None = None


def fetch_compute(base_url: str, *, timeout_s: float = MAX_TIMEOUT_S) -> ImdsResult:
    """GET ``{base_url}/metadata/instance/compute`` with ``Metadata: true``, bypassing any proxy."""
    return fetch_json(base_url.rstrip("/") + COMPUTE_PATH, timeout_s=timeout_s)


def fetch_json(url: str, *, timeout_s: float = MAX_TIMEOUT_S) -> ImdsResult:
    """One metadata request; the timeout is capped at one second and bounds the whole exchange."""
    import urllib.error
    import urllib.request

    timeout = min(max(timeout_s, 0.05), MAX_TIMEOUT_S)
    deadline = time.monotonic() + timeout
    # An empty ProxyHandler ignores http_proxy/HTTP_PROXY: IMDS must be reached directly.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    request = urllib.request.Request(url, headers={"Metadata": "true"}, method="GET")
    try:
        with opener.open(request, timeout=timeout) as response:
            body = _read_until(response, deadline)
    except urllib.error.HTTPError as exc:
        return ImdsResult(None, f"HTTP {exc.code} {exc.reason}".strip())
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            return ImdsResult(None, f"timed out after {timeout:g} s")
        return ImdsResult(None, f"cannot connect: {exc.reason}")
    except TimeoutError:
        return ImdsResult(None, f"timed out after {timeout:g} s")
    except Exception as exc:
        # OSError, ValueError (a bad WHYGPU_IMDS_URL) and http.client's errors on a malformed reply.
        return ImdsResult(None, f"request failed: {type(exc).__name__}: {exc}")
    if body is None:
        return ImdsResult(None, f"timed out after {timeout:g} s")
    try:
        data = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return ImdsResult(None, "the reply is not JSON")
    if not isinstance(data, dict):
        return ImdsResult(None, "the reply is not a JSON object")
    return ImdsResult(data)


def _read_until(response: Any, deadline: float) -> bytes | None:
    """Read the body in chunks, giving up (None) at the deadline so a slow trickle cannot stall us."""
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            return None
        chunk = response.read(65536)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > _MAX_BYTES:
            return b"".join(chunks)[:_MAX_BYTES]
