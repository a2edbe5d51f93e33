"""schemathesis against HQ's OpenAPI spec: no 5xx, every bad input a 4xx that says why."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from sync import protocol
from sync.client import HqClient
from sync.hq import admin
from sync.hq.db import HqDatabase
from tests.sync.hqkit import HqServer, pg_database


@pytest.fixture
def api() -> Iterator[tuple[Any, dict[str, str]]]:
    """HQ on a fresh database with one enrolled terminal; the schema and its call headers."""
    with pg_database() as url:
        db = HqDatabase(url)
        with db.transaction() as session:
            admin.add_store(session, "S001", "store")
            admin.add_terminal(session, "S001", "T01")
            code = admin.enroll_code(session, "S001", "T01")
        server = HqServer(db).start()
        try:
            answer = HqClient(server.url).enroll(
                protocol.EnrollRequest(
                    code=code, store_code="S001", terminal_code="T01", terminal_id="till-1"
                )
            )
            headers = {
                "Authorization": f"Bearer {answer.credential}",
                protocol.VERSION_HEADER: str(protocol.VERSION),
            }
            yield schemathesis.openapi.from_url(f"{server.url}/openapi.json"), headers
        finally:
            server.stop()
            db.close()


def says_why(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 4xx answer carries a JSON body naming the problem."""
    if 400 <= response.status_code < 500:
        body = json.loads(response.content or b"{}")
        assert isinstance(body, dict) and (body.get("message") or body.get("detail")), body
    return None


OPERATIONS = [("POST", "/v1/enroll"), ("GET", "/v1/me"), ("POST", "/v1/push"),
              ("GET", "/v1/feed"), ("GET", "/health")]  # fmt: skip


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode))
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_no_input_makes_hq_fail(
    api: tuple[Any, dict[str, str]], method: str, path: str, mode: schemathesis.GenerationMode
) -> None:
    if path == "/health" and mode == schemathesis.GenerationMode.NEGATIVE:
        pytest.skip("takes no input: nothing to get wrong")
    schema, headers = api
    operation = schema[path][method]

    @settings(
        max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
    )
    @given(case=operation.as_strategy(mode))
    def check(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=[not_a_server_error, says_why])

    check()
