"""An API client per test, on each store, with a signed-in user of every role; and one a module
shares (``shared_api``) for cases that are refused and write nothing."""

import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette suggests httpx2, not yet needed
    from fastapi.testclient import TestClient

from infrastructure.config import Settings
from infrastructure.web.app import create_app
from tests.conftest import STORES, drop_schema, make_settings

#: The host every test client asks for: one of the allowed hosts (``Settings.allowed_hosts``),
#: over HTTPS so that the client sends the console's ``Secure`` cookies back.
BASE_URL = "https://localhost"
HELD_AT = "2023-06-14T10:00:00+01:00"


class Api:
    """The test client, speaking as one of the users by name."""

    def __init__(self, client: TestClient, headers: dict[str, dict[str, str]]) -> None:
        self.client = client
        self.headers = headers

    def post(self, who: str, path: str, body: Any = None, **headers: str) -> httpx.Response:
        return self.client.post(
            path, json=body if body is not None else {}, headers={**self.headers[who], **headers}
        )

    def get(self, who: str, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, params=params or None, headers=self.headers[who])

    def ok(self, who: str, path: str, body: Any, status: int = 200) -> dict[str, Any]:
        response = self.post(who, path, body)
        assert response.status_code == status, response.text
        result: dict[str, Any] = response.json()
        return result

    def meeting(self, held: bool = True, agencies: tuple[str, ...] = ("police", "health")) -> str:
        """A meeting, invited agencies and (by default) held; answers its id."""
        meeting_id = self.ok(
            "governance",
            "/meetings",
            {
                "case_ref": "CASE-1",
                "concern_raised_at": "2023-06-13T09:30:00+01:00",
                "kind": "child-protection",
                "team": "Assessment North",
            },
            201,
        )["id"]
        for agency in agencies:
            self.ok("governance", f"/meetings/{meeting_id}/invitations", {"agency": agency})
        if held:
            self.ok(
                "governance",
                f"/meetings/{meeting_id}/held",
                {"held_at": HELD_AT, "format": "virtual"},
            )
        return str(meeting_id)

    def action(self, agency: str = "health") -> str:
        return str(
            self.ok(
                "governance",
                "/actions",
                {
                    "source": {"kind": "marac", "ref": "MARAC-2023-07"},
                    "agency": agency,
                    "description": "Flag MARAC actions on the child's health record",
                    "due_on": "2023-09-30",
                    "agreed_on": "2023-09-01",
                },
                201,
            )["id"]
        )

    def recommendation(self, number: int = 1) -> str:
        return str(
            self.ok(
                "governance",
                "/recommendations",
                {
                    "source": {"kind": "audit", "ref": "SM-AUDIT-2023", "title": "Audit"},
                    "number": number,
                    "text": "Invite health to every strategy meeting",
                    "raised_on": "2023-10-16",
                },
                201,
            )["id"]
        )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url=BASE_URL) as test_client:
        yield test_client


@pytest.fixture
def api(client: TestClient) -> Api:
    return signed_in(client)


@pytest.fixture(scope="module", params=STORES)
def shared_api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """An API client on a store that a module's cases share (built once a store and worker,
    dropped at the end): for cases that are refused and so write nothing that another case could
    see. A case that writes asks for ``api``, a store of its own."""
    store: str = request.param
    settings = make_settings(store, tmp_path_factory.mktemp(f"shared-{store}"))
    try:
        with TestClient(create_app(settings), base_url=BASE_URL) as test_client:
            yield signed_in(test_client)
    finally:
        drop_schema(settings)


def signed_in(client: TestClient) -> Api:
    """The client with a user of every role added, and ``nobody`` without a token."""
    users = client.app.state.services.users  # type: ignore[attr-defined]
    people = {
        "governance": ("governance", None),
        "inspector": ("inspector", None),
        "reporting": ("reporting", None),
        "health": ("agency", "health"),
        "police": ("agency", "police"),
    }
    headers = {
        who: {
            "Authorization": "Bearer "
            + users.add(name=who, role=role, agency=agency, created_by=None).token
        }
        for who, (role, agency) in people.items()
    }
    headers["nobody"] = {}
    return Api(client, headers)
