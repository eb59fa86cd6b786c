"""Who, where, when: actors (persons, organisations) with aliases and per-outlet labels, places, event.

A rule-and-data extractor (no Arabic NER model can be downloaded here): cues and
word lists from ``marsad/data/ar/`` find mentions (``extract``), story-level rules
link them into actors (``resolve``). ``EntityExtractor`` is the seam a statistical
model could replace: anything with these two methods will do.

    story_entities(articles) -> {"actors": [...], "places": [...], "event": {...}}
    article_mentions(article) -> [{"start", "end", "text", "type", "name", ...}, ...]
"""
from __future__ import annotations

from typing import Any, Protocol

from .resolve import article_mentions, name_key, story_entities

__all__ = ["EntityExtractor", "RuleExtractor", "article_mentions", "name_key", "story_entities"]


class EntityExtractor(Protocol):
    def story_entities(self, articles: list[dict[str, Any]]) -> dict[str, Any]: ...

    def article_mentions(self, article: dict[str, Any]) -> list[dict[str, Any]]: ...


class RuleExtractor:
    """The rule-and-data extractor behind ``story_entities`` and ``article_mentions``."""

    def story_entities(self, articles: list[dict[str, Any]]) -> dict[str, Any]:
        return story_entities(articles)

    def article_mentions(self, article: dict[str, Any]) -> list[dict[str, Any]]:
        return article_mentions(article)
