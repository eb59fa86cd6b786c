"""API abuse: schemathesis over every operation of the app's own OpenAPI schema (no 5xx, every response as
documented), search strings in FTS5/tsquery syntax (results or a 400, never a 500), security headers on every
response, static paths that try to leave their folder. benchmarks/api_abuse.py runs the larger counts."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from apiabuse import HOSTILE_QUERIES, api_schema, operation_labels, run_operation
from marsad.web.app import create_app
from reliability import assert_check_clean
from webdb import build_web_db

EXAMPLES = 15  # valid and as many invalid requests per operation


@pytest.fixture(scope="module")
def web_db(tmp_path_factory, seeds) -> str:
    return str(build_web_db(tmp_path_factory.mktemp("abuse") / "web.db", seeds))


@pytest.fixture(scope="module")
def schema(web_db):
    return api_schema(web_db)


@pytest.mark.parametrize("label", operation_labels())
def test_every_operation_answers_as_documented_and_never_5xx(schema, label):
    result = run_operation(schema, label, EXAMPLES)
    assert result.cases >= (1 if label == "GET /api/v1/outlets" else EXAMPLES)  # /outlets takes no parameter
    assert not result.failures, "\n".join(result.failures)


@pytest.fixture(scope="module")
def client(web_db):
    with TestClient(create_app(web_db)) as c:
        yield c


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_search_syntax_gives_results_or_a_400(client, q):
    for path in ("/api/v1/search", "/search", "/api/v1/search/export", "/api/v1/stories", "/"):
        params = {"actor": q} if path in ("/api/v1/stories", "/") else {"q": q}
        response = client.get(path, params=params)
        assert response.status_code in (200, 400), (path, response.status_code, response.text[:300])
        if path.startswith("/api/") and response.status_code == 400:
            body = response.json()
            assert body["ok"] is False and body["error"] and "\n" not in body["error"]


SECURITY = {"content-security-policy": "default-src 'none'", "x-content-type-options": "nosniff",
            "referrer-policy": "no-referrer"}


@pytest.mark.parametrize("path", ["/", "/search?q=حفتر", "/api/v1/stories", "/api/v1/search?q=حفتر",
                                  "/api/v1/stories/nope", "/nope", "/static/style.css", "/openapi.json", "/docs",
                                  "/api/v1/search?q=", "/api/v1/stories?limit=0", "/outlets"])
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    for header, value in SECURITY.items():
        assert value in response.headers.get(header, ""), (path, header, dict(response.headers))


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/app.py",
                                  "/static/%2e%2e%2f%2e%2e%2fstore%2fsqlite.py", "/static/....//app.py",
                                  "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/..\\app.py",
                                  "/static/%00style.css"])
def test_static_paths_do_not_leave_their_folder(client, path):
    response = client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert "def create_app" not in response.text and "root:" not in response.text


def test_the_database_is_untouched_by_the_abuse(web_db, schema, client):
    assert_check_clean(web_db)
