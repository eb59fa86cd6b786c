"""The REST API (/api/v1) and the HTML pages, in process: every endpoint, bad parameters, escaping."""
from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from marsad.web.app import create_app

from webdb import HOSTILE, build_web_db, seed_story_id


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def web_db(request, tmp_path_factory, seeds) -> Path | str:
    """The API over each backend: a SQLite file, then a PostgreSQL database."""
    folder = tmp_path_factory.mktemp("api")
    if request.param == "sqlite":
        return build_web_db(folder / "web.db", seeds)
    return build_web_db(request.getfixturevalue("pg_server").new_database(), seeds, folder)


@pytest.fixture(scope="module")
def client(web_db):
    with TestClient(create_app(str(web_db))) as c:
        yield c


@pytest.fixture(scope="module")
def story_id(web_db) -> str:
    return seed_story_id(web_db)


def assert_error(response, status: int, text: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"ok", "status", "error", "hint"}
    assert body["ok"] is False and body["status"] == status and text in body["error"]


def test_stories_list_pages_and_filters(client, expected):
    first = client.get("/api/v1/stories", params={"limit": 2}).json()
    assert first["limit"] == 2 and len(first["stories"]) == 2 and first["total"] > 2
    second = client.get("/api/v1/stories", params={"limit": 2, "offset": 2}).json()
    assert {s["id"] for s in first["stories"]}.isdisjoint(s["id"] for s in second["stories"])
    outlet = next(a["outlet"] for a in expected["articles"].values())
    only = client.get("/api/v1/stories", params={"outlet": outlet}).json()
    assert only["total"] >= 1 and all(outlet in s["outlets"] for s in only["stories"])
    dated = client.get("/api/v1/stories", params={"since": "2020-12-19", "until": "2020-12-19"}).json()
    assert dated["total"] >= 1
    assert all(s["last_published"] >= "2020-12-19" for s in dated["stories"])


@pytest.mark.parametrize("params, text", [
    ({"limit": "abc"}, "limit: Input should be a valid integer"),
    ({"limit": 0}, "limit=0 is out of range"),
    ({"limit": 1000}, "limit=1000 is out of range"),
    ({"offset": -5}, "offset=-5 is negative"),
    ({"since": "19/12/2020"}, "since='19/12/2020' is not a date"),
    ({"until": "tomorrow"}, "until='tomorrow' is not a date"),
    ({"since": "2020-12-20", "until": "2020-12-19"}, "since='2020-12-20' is after until='2020-12-19'"),
])
def test_stories_bad_parameters_are_400_with_a_message(client, params, text):
    assert_error(client.get("/api/v1/stories", params=params), 400, text)


def test_story_has_both_seed_outlets_with_bodies_and_timeline(client, story_id, expected):
    story = client.get(f"/api/v1/stories/{story_id}").json()
    assert set(story["outlets"]) == {a["outlet"] for a in expected["articles"].values()}
    assert all(a["body"] for a in story["articles"])
    assert len(story["timeline"]) == story["n_articles"] + story["n_copies"]


def test_unknown_ids_are_404(client):
    assert_error(client.get("/api/v1/stories/s-nope"), 404, "no story with id 's-nope'")
    assert_error(client.get("/api/v1/stories/s-nope/compare"), 404, "no story")
    assert_error(client.get("/api/v1/articles/nope"), 404, "no article with id 'nope'")
    assert_error(client.get("/api/v1/outlets/" + quote("لا يوجد")), 404, "no outlet named")
    assert_error(client.get("/api/v1/nothing-here"), 404, "no such page")


def test_compare_returns_the_comparison_or_says_why_not(client, story_id):
    result = client.get(f"/api/v1/stories/{story_id}/compare").json()
    assert result["story"] == story_id
    if result["available"]:
        assert "copied_passages" in result and "only_here" in result
    else:
        assert result["reason"]


def test_article_is_returned_as_stored(client):
    article = client.get(f"/api/v1/articles/{HOSTILE['id']}").json()
    assert article["body"].startswith("أعلنت") and "<script>" in article["body"]


def test_outlets_and_one_outlet(client, expected):
    outlets = client.get("/api/v1/outlets").json()["outlets"]
    names = {o["name"] for o in outlets}
    assert {a["outlet"] for a in expected["articles"].values()} <= names
    name = next(a["outlet"] for a in expected["articles"].values())
    outlet = client.get("/api/v1/outlets/" + quote(name, safe="")).json()
    assert outlet["name"] == name and outlet["total"] >= 1 and "gaps" in outlet and "labels" in outlet
    assert_error(client.get("/api/v1/outlets/" + quote(name, safe=""), params={"limit": -1}), 400, "out of range")


def test_actors_answers_even_before_entities_exist(client):
    body = client.get("/api/v1/actors").json()
    assert set(body) >= {"available", "actors", "total", "limit", "offset"}
    assert_error(client.get("/api/v1/actors", params={"offset": "x"}), 400, "offset: Input should be a valid integer")


def test_search_api(client):
    body = client.get("/api/v1/search", params={"q": "الاماراتيه"}).json()
    assert body["total"] == {"articles": 1, "stories": 1}
    assert body["stories"][0]["hits"][0]["id"] == HOSTILE["id"]


@pytest.mark.parametrize("params, text", [
    ({}, "q: Field required"),
    ({"q": ""}, "the search query is empty"),
    ({"q": "!!!"}, "has no words to search for"),
    ({"q": "حفتر", "limit": 500}, "limit=500 is out of range"),
    ({"q": "حفتر", "since": "2020-99-01"}, "is not a date"),
])
def test_search_bad_parameters_are_400(client, params, text):
    assert_error(client.get("/api/v1/search", params=params), 400, text)


def test_story_exports_as_jsonl_and_csv(client, story_id):
    jsonl = client.get(f"/api/v1/stories/{story_id}/export", params={"format": "jsonl"})
    rows = [json.loads(line) for line in jsonl.text.splitlines()]
    assert jsonl.headers["content-type"].startswith("application/x-ndjson") and len(rows) >= 2
    assert all(r["story_id"] == story_id and r["body"] for r in rows)
    got = client.get(f"/api/v1/stories/{story_id}/export", params={"format": "csv"})
    table = list(csv.DictReader(io.StringIO(got.text.lstrip("\ufeff"))))
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    assert_error(client.get(f"/api/v1/stories/{story_id}/export", params={"format": "xml"}), 400, "format")


def test_story_export_holds_the_copies_after_their_original_with_their_own_text(client):
    listed = client.get("/api/v1/stories", params={"limit": 100}).json()["stories"]
    with_copies = [s for s in listed if s["n_copies"]]
    assert with_copies  # the invented sample has edited and exact copies
    for story in with_copies:
        rows = [json.loads(line) for line in
                client.get(f"/api/v1/stories/{story['id']}/export", params={"format": "jsonl"}).text.splitlines()]
        assert len(rows) == story["n_articles"] + story["n_copies"]
        copies = [r for r in rows if r["duplicate_of"]]
        assert len(copies) == story["n_copies"] and all(r["body"] and r["story_id"] == story["id"] for r in copies)
        seen: set[str] = set()
        for r in rows:  # an original, then its copies
            assert r["duplicate_of"] is None or r["duplicate_of"] in seen
            seen.add(r["id"])


def test_csv_export_cells_cannot_run_as_spreadsheet_formulas():
    from marsad.web.views import to_csv

    rows = [{"id": "a", "title": "=1+1", "outlet": '=HYPERLINK("http://example.invalid")', "url": "@SUM(A1)",
             "body": "- قال المتحدث", "published": None, "story_id": "+1"}]
    table = list(csv.DictReader(io.StringIO(to_csv(rows).lstrip("\ufeff"))))
    assert table == [{"id": "a", "title": "'=1+1", "outlet": "'=HYPERLINK(\"http://example.invalid\")",
                      "url": "'@SUM(A1)", "body": "'- قال المتحدث", "published": "", "story_id": "'+1"}]


def test_search_exports_as_jsonl_and_csv(client):
    rows = [json.loads(x) for x in client.get("/api/v1/search/export", params={"q": "حفتر"}).text.splitlines()]
    assert rows and all("score" in r and "snippet" in r for r in rows)
    table = list(csv.DictReader(io.StringIO(
        client.get("/api/v1/search/export", params={"q": "حفتر", "format": "csv"}).text.lstrip("\ufeff"))))
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    assert_error(client.get("/api/v1/search/export", params={"q": ""}), 400, "empty")


@pytest.mark.parametrize("path", ["/", "/api/v1/stories", "/search?q=%D8%AD%D9%81%D8%AA%D8%B1"])
def test_head_answers_like_get_without_a_body(client, path):
    got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))


def test_openapi_and_docs(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/stories", "/api/v1/stories/{story_id}", "/api/v1/stories/{story_id}/compare",
                 "/api/v1/articles/{article_id}", "/api/v1/outlets", "/api/v1/actors", "/api/v1/search"):
        assert path in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/v1/search" in docs.text and "<script" not in docs.text


@pytest.mark.parametrize("url", ["/", "/outlets", "/search", "/search?q=حفتر", "/docs"])
def test_pages_are_arabic_rtl_and_link_their_json(client, url):
    page = client.get(url)
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "script-src" not in page.headers["content-security-policy"]   # default-src 'none' forbids scripts
    assert "http://" not in page.text.split("<body>")[0] and "https://" not in page.text.split("<body>")[0]


def test_story_page_shows_both_outlets_and_an_svg_timeline(client, story_id, expected):
    page = client.get(f"/stories/{story_id}").text
    for a in expected["articles"].values():
        assert a["outlet"] in page and a["title"] in page
    assert "<svg" in page and f'href="/api/v1/stories/{story_id}"' in page


def test_page_twin_is_the_api_answer(client):
    page = client.get("/?limit=3").text
    assert 'href="/api/v1/stories?limit=3"' in page
    api = client.get("/api/v1/stories?limit=3").json()
    for s in api["stories"]:
        assert f"/stories/{s['id']}" in page


def test_article_markup_is_escaped_everywhere(client):
    article = client.get(f"/articles/{HOSTILE['id']}").text
    assert "<script>document" not in article and "&lt;script&gt;document.title" in article
    assert "<img src=x" not in article and "&lt;img src=x onerror=" in article
    assert "<b>الإمارات</b>" not in article and "&lt;b&gt;الإمارات&lt;/b&gt;" in article
    assert 'href="javascript:' not in article
    sid = client.get(f"/api/v1/articles/{HOSTILE['id']}").json()["story_id"]
    story_page = client.get(f"/stories/{sid}").text
    assert "<script>document" not in story_page and "&lt;script&gt;" in story_page
    results = client.get("/search", params={"q": "الاماراتيه"}).text
    assert "<mark>الإماراتيّة</mark>" in results and "<script>document" not in results


def test_html_errors_are_pages_with_the_status(client):
    page = client.get("/stories/s-nope")
    assert page.status_code == 404 and "no story with id" in page.text and 'dir="rtl"' in page.text
    page = client.get("/search", params={"q": "!!!"})
    assert page.status_code == 400 and "no words to search for" in page.text
    page = client.get("/", params={"limit": "many"})
    assert page.status_code == 400


def test_outlet_and_article_pages_render(client, expected):
    name = next(a["outlet"] for a in expected["articles"].values())
    page = client.get("/outlets/" + quote(name, safe=""))
    assert page.status_code == 200 and name in page.text and "فجوات التغطية" in page.text
    article = client.get(f"/articles/{HOSTILE['id']}")
    assert article.status_code == 200 and '<html lang="ar" dir="rtl">' in article.text


def test_serve_binds_to_localhost_by_default():
    from click.testing import CliRunner

    from marsad.cli import main

    run = CliRunner().invoke(main, ["serve", "--help"])
    assert run.exit_code == 0 and "[default: 127.0.0.1]" in run.output


def test_stories_filter_by_actor_and_place_named_in_the_text(client, story_id):
    found = client.get("/api/v1/stories", params={"actor": "حفتر", "place": "بنغازي"}).json()
    assert story_id in [s["id"] for s in found["stories"]]
    assert found["filters"]["actor"] == "حفتر"
    none = client.get("/api/v1/stories", params={"actor": "حفتر", "place": "الميناء"}).json()
    assert story_id not in [s["id"] for s in none["stories"]]
    page = client.get("/", params={"actor": "الاماراتيه"}).text
    assert HOSTILE["title"].replace("<", "&lt;").replace(">", "&gt;") in page
    assert_error(client.get("/api/v1/stories", params={"actor": "!!!"}), 400, "no words to search for")


def test_the_api_only_reads(client):
    for url in ("/api/v1/stories", "/api/v1/search?q=x", "/api/v1/articles/" + HOSTILE["id"]):
        assert_error(client.post(url), 405, "Method Not Allowed")
        assert_error(client.delete(url), 405, "Method Not Allowed")


def test_web_timeline_orders_articles_by_instant_across_time_zones():
    from marsad.web.views import timeline_points

    story = {"articles": [
        {"id": "riyadh", "outlet": "أ", "published": "2025-03-10T10:00+03:00", "title": "t", "copies": []},
        {"id": "london", "outlet": "ب", "published": "2025-03-10T08:30+00:00", "title": "t", "copies": []}]}
    assert [p["article"] for p in timeline_points(story)] == ["riyadh", "london"]  # 07:00 UTC first
