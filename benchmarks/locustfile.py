"""What one reader of `marsad serve` does, for locust (benchmarks/load.py runs it headless).

Each simulated user opens the front page and its next pages, the story pages listed there, searches, and asks
the REST API for the same; every answer must be a 200 (anything else counts as an error).
"""
from __future__ import annotations

import random

from locust import HttpUser, between, events, task

# words common in ANT headlines (ant-full), each found in hundreds to thousands of articles
QUERIES = ["سوريا", "ترامب", "الحكومة", "مصر", "الرئيس", "السعودية", "العراق", "روسيا", "اليمن",
           "\"مجلس الأمن\"", "الاتحاد الأوروبي", "كأس العالم", "النفط", "الانتخابات", "إيران"]
STORY_IDS: list[str] = []


@events.test_start.add_listener
def _story_ids(environment, **_kwargs) -> None:
    """The stories of the first two front pages: what readers click on."""
    import json
    from urllib.request import urlopen

    for offset in (0, 20):
        with urlopen(f"{environment.host}/api/v1/stories?limit=20&offset={offset}", timeout=60) as got:
            STORY_IDS.extend(s["id"] for s in json.load(got)["stories"])


class Reader(HttpUser):
    wait_time = between(0.5, 2.0)

    @task(4)
    def front_page(self) -> None:
        self.client.get("/", params={"offset": random.choice([0, 0, 0, 20, 40])}, name="/ (stories page)")

    @task(3)
    def story_page(self) -> None:
        if STORY_IDS:
            self.client.get(f"/stories/{random.choice(STORY_IDS)}", name="/stories/{id}")

    @task(2)
    def search_page(self) -> None:
        self.client.get("/search", params={"q": random.choice(QUERIES)}, name="/search?q=")

    @task(2)
    def api_stories(self) -> None:
        self.client.get("/api/v1/stories", params={"limit": 20, "offset": random.choice([0, 20, 40])},
                        name="/api/v1/stories")

    @task(2)
    def api_story(self) -> None:
        if STORY_IDS:
            self.client.get(f"/api/v1/stories/{random.choice(STORY_IDS)}", name="/api/v1/stories/{id}")

    @task(2)
    def api_search(self) -> None:
        self.client.get("/api/v1/search", params={"q": random.choice(QUERIES)}, name="/api/v1/search?q=")

    @task(1)
    def outlets(self) -> None:
        self.client.get("/api/v1/outlets", name="/api/v1/outlets")
