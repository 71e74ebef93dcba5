"""The API's documentation pages work offline: every asset is served by the app itself.

The pages and their assets do not depend on the store: they run on SQLite only.
"""

import re

import pytest

from tests.api.conftest import Api

pytestmark = pytest.mark.parametrize("store", ["sqlite"])

#: What a page loads: scripts, styles, icons and the OpenAPI document.
REFERENCE = re.compile(r"""(?:src|href|spec-url)="([^"]+)"|url: '([^']+)'""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_reference_only_assets_the_app_serves(api: Api, page: str) -> None:
    html = api.client.get(page)
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")

    urls = [href or url for href, url in REFERENCE.findall(html.text)]

    assert "/openapi.json" in urls
    assert any(url.endswith(".js") for url in urls)
    assert "http://" not in html.text
    assert "https://" not in html.text
    for url in urls:
        assert url.startswith("/"), url
        assert not url.startswith("//"), url
        asset = api.client.get(url)
        assert asset.status_code == 200, url
        assert asset.content, url


def test_the_swagger_ui_assets_are_its_own(api: Api) -> None:
    html = api.client.get("/docs").text
    (script,) = re.findall(r'<script src="([^"]+)"', html)

    response = api.client.get(script)

    assert "javascript" in response.headers["content-type"]
    assert b"SwaggerUIBundle" in response.content
