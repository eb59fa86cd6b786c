"""What the shells ask of the library, answered as plain dicts (the CLI's JSON and, later, the API's)."""
from __future__ import annotations

from typing import Any

from .errors import NotFound
from .store.base import Store


def list_stories(store: Store, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Stories newest first (by their last article), each with its articles (no bodies)."""
    return store.list_stories(limit=limit, offset=offset)


def show_story(store: Store, story_id: str) -> dict[str, Any]:
    """One story with each article's body; raises ``NotFound`` with a hint."""
    story = store.get_story(story_id, with_body=True)
    if story is None:
        raise NotFound(f"no story with id {story_id!r}", hint="`marsad stories` lists the ids")
    return story


def biggest_story(store: Store) -> dict[str, Any] | None:
    stories = store.list_stories()
    if not stories:
        return None
    return max(stories, key=lambda s: (len(s["outlets"]), s["n_articles"] + s["n_copies"]))
