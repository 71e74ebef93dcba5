"""Schemathesis against the published OpenAPI document: no 5xx, every answer as documented.

Every operation gets generated requests, valid and invalid ones, as a governance user and as a
reporting user, and schemathesis' boundary cases (lengths, ranges, formats) as governance. Paths
name a real meeting, recommendation or action, so commands reach the domain's rules. The number
of requests is bounded and generation is derandomized: a run is repeatable. PostgreSQL gets a third
of SQLite's generated requests (``examples_on``, as the oracle's): the answers are the API's own,
proven on SQLite, and PostgreSQL's run still reaches every operation with its boundary cases.
"""

import contextlib
import itertools
from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import (
    Failure,
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import GenerationConfig
from schemathesis.core.failures import FailureGroup

from tests.api.conftest import Api
from tests.oracle.stores import examples_on

CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
#: Generated requests per operation, user and mode (valid / invalid) on SQLite.
EXAMPLES = 5
#: Boundary cases per operation, taken evenly from schemathesis' coverage cases.
BOUNDARY_CASES = 25
USERS = ("governance", "reporting")
BASE_URL = "https://localhost"


class Fuzz:
    """Sends cases through the test client and keeps what the checks find."""

    def __init__(self, api: Api, schema: Any, examples: int) -> None:
        self.api = api
        self.schema = schema
        self.examples = examples
        self.requests = 0
        self.statuses: Counter[int] = Counter()
        self.failed_responses = 0
        self.server_errors = 0
        self.findings: dict[str, str] = {}

    def send(self, case: Case, who: str) -> None:
        arguments = case.as_transport_kwargs(base_url=BASE_URL, headers=self.api.headers[who])
        response = self.api.client.request(**_as_httpx(arguments))
        self.requests += 1
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:  # found here: schemathesis would re-send it over a network
            self.server_errors += 1
            self.found(case, response, ["Server error"])
            return
        try:
            case.validate_response(response, checks=CHECKS)
        except (Failure, FailureGroup) as error:
            failures = error.exceptions if isinstance(error, FailureGroup) else (error,)
            self.found(case, response, [failure.title for failure in failures])

    def found(self, case: Case, response: Any, titles: list[str]) -> None:
        self.failed_responses += 1
        for title in titles:
            key = f"{case.operation.label} -> {response.status_code}: {title}"
            self.findings.setdefault(
                key, f"{case.as_curl_command(base_url=BASE_URL)}\n{response.text[:300]}"
            )

    def generated(self, operation: APIOperation, ids: dict[str, str]) -> None:
        for who, mode in itertools.product(USERS, GenerationMode):
            strategy = operation.as_strategy(generation_mode=mode, path_parameters=ids or None)
            with contextlib.suppress(Unsatisfiable):  # nothing to make invalid, e.g. /health
                self._examples(strategy, who)

    def _examples(self, strategy: Any, who: str) -> None:
        @settings(
            max_examples=self.examples,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def fuzz(case: Case) -> None:
            self.send(case, who)

        fuzz()

    def boundaries(self, operation: APIOperation, ids: dict[str, str]) -> None:
        cases = list(
            self.schema.iter_coverage_cases(
                operation,
                generation_modes=list(GenerationMode),
                generation_config=GenerationConfig(),
            )
        )
        for case in cases[:: max(1, len(cases) // BOUNDARY_CASES)][:BOUNDARY_CASES]:
            if ids:
                case.path_parameters = {**(case.path_parameters or {}), **ids}
            self.send(case, "governance")


def _as_httpx(arguments: dict[str, Any]) -> dict[str, Any]:
    """The requests-style arguments schemathesis prepares, as httpx takes them."""
    keys = ("method", "url", "headers", "params", "json", "data", "content")
    result = {key: arguments[key] for key in keys if key in arguments}
    if isinstance(result.get("data"), str | bytes):
        result["content"] = result.pop("data")
    return result


def _path_ids(operation: APIOperation, existing: dict[str, str]) -> dict[str, str]:
    """Path parameters naming an existing aggregate of the kind the path is about."""
    return {
        name: aggregate_id
        for prefix, aggregate_id in existing.items()
        if operation.path.startswith(prefix)
        for name in ("id", "recommendation_id")
        if "{" + name + "}" in operation.path
    }


@pytest.mark.slow
def test_fuzzed_requests_get_documented_answers(api: Api, store: str) -> None:
    schema = schemathesis.openapi.from_dict(api.client.get("/openapi.json").json())
    fuzz = Fuzz(api, schema, examples_on(store, EXAMPLES).max_examples)
    existing = {
        "/meetings/": api.meeting(),
        "/recommendations/": api.recommendation(),
        "/reports/response-history/": api.recommendation(number=2),
        "/actions/": api.action(),
    }

    for result in schema.get_all_operations():
        operation = result.ok()
        ids = _path_ids(operation, existing)
        fuzz.generated(operation, ids)
        fuzz.boundaries(operation, ids)

    print(
        f"\nfuzz: {fuzz.requests} requests, {fuzz.server_errors} 5xx, "
        f"{fuzz.failed_responses} failing a check; "
        f"statuses {dict(sorted(fuzz.statuses.items()))}"
    )
    assert fuzz.requests > 1000
    report = "\n\n".join(f"{key}\n{text}" for key, text in sorted(fuzz.findings.items()))
    assert not fuzz.findings, f"{len(fuzz.findings)} findings:\n\n{report}"
