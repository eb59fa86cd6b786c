"""End to end in a real headless Chromium (Debian's, driven by Playwright) against a real uvicorn server."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from webdb import HOSTILE, build_web_db

CHROMIUM = os.environ.get("MARSAD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
if not shutil.which(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, seeds):
    db = build_web_db(tmp_path_factory.mktemp("browser") / "web.db", seeds)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/api/v1/outlets", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stdout.read().decode())
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def test_reader_opens_the_seeds_story_and_sees_both_outlets(page, server, expected):
    page.goto(server + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    seed_titles = [a["title"] for a in expected["articles"].values()]
    link = page.locator(".story-card h3 a").filter(has_text=seed_titles[0]).or_(
        page.locator(".story-card h3 a").filter(has_text=seed_titles[1]))
    while link.count() == 0 and page.locator("a[rel=next]").count():
        page.click("a[rel=next]")
    link.first.click()
    page.wait_for_url("**/stories/*")
    columns = page.locator(".article-col")
    assert columns.count() == 2
    outlets = set(page.locator(".outlet-col > .outlet").all_inner_texts())
    assert outlets == {a["outlet"] for a in expected["articles"].values()}
    assert page.locator("svg.timeline-chart circle").count() >= 1
    assert page.locator("html").get_attribute("dir") == "rtl"


@pytest.mark.parametrize("query, expect", [
    ("حفتر", "seeds"),
    ("الاماراتيه", HOSTILE["id"]),      # written الإماراتيّة: hamza, ta marbuta, shadda
    ("والاماراتيه", HOSTILE["id"]),     # with a proclitic
])
def test_search_from_the_header_finds_the_right_articles(page, server, expected, query, expect):
    page.goto(server + "/")
    page.fill("#top-q", query)
    page.press("#top-q", "Enter")
    page.wait_for_url("**/search?*")
    hrefs = page.locator(".hit h3 a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    titles = page.locator(".hit h3").all_inner_texts()
    if expect == "seeds":
        for a in expected["articles"].values():
            assert a["title"] in titles
        assert page.locator(".hit mark").first.inner_text() in ("حفتر", "لحفتر")
    else:
        assert hrefs == [f"/articles/{expect}"]
        assert page.locator(".snippet mark").first.inner_text() == "الإماراتيّة"


def test_markup_in_an_article_shows_as_text_and_never_runs(page, server):
    page.goto(server + f"/articles/{HOSTILE['id']}")
    body = page.locator(".body").inner_text()
    assert "<script>document.title='pwned'</script>" in body
    assert "<img src=x onerror=" in body
    assert page.title() != "pwned"
    assert page.evaluate("document.body.dataset.pwned") is None
    assert page.locator(".body img, .body script").count() == 0
    assert "<b>الإمارات</b>" in page.locator("h1").inner_text()


def test_story_page_reads_on_a_phone(browser, server, expected):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    try:
        page.goto(server + "/search?q=" + "حفتر")
        page.locator(".result-group h2 a").first.click()
        page.wait_for_url("**/stories/*")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390                        # no sideways scrolling
        boxes = [c.bounding_box() for c in page.locator(".outlet-col").all()]
        assert len(boxes) == 2 and boxes[0]["y"] != boxes[1]["y"]   # columns stack
    finally:
        context.close()
