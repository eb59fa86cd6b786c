"""The web app: HTML pages and the REST API (``/api/v1``) over the same views.

``create_app(db)`` builds a FastAPI app; ``marsad serve`` runs it with uvicorn on
127.0.0.1 unless told otherwise. Reads only: nothing here changes the database.
Every page has a JSON twin built by the same view function (linked from the page),
every error has one JSON shape ``{"ok": false, "status", "error", "hint"}``, and
every string from an article is escaped by Jinja2's autoescaping.
"""
from __future__ import annotations

import logging
import threading
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import BadParameter, MarsadError, NotFound
from ..queries import DATE_PATTERN, MAX_OFFSET
from ..search import MAX_QUERY_CHARS
from ..store import open_store
from ..store.base import Store
from . import views

log = logging.getLogger("marsad.web")
HERE = Path(str(resources.files("marsad.web")))
API = "/api/v1"

# Pages that must never run anything from an article, even if escaping failed somewhere.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; "
                           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")

# Ranges are declared in the OpenAPI schema (json_schema_extra) and checked by the views, which say what is
# wrong in the API's one error shape (400); FastAPI's own validation would answer 422 in its own words.
PAGE_SIZE = {"minimum": 1, "maximum": 100}
Limit = Query(20, description="Page size, 1–100.", json_schema_extra=PAGE_SIZE)
Offset = Query(0, description="Items to skip (paging).", json_schema_extra={"minimum": 0, "maximum": MAX_OFFSET})
Outlet = Query(None, description="Only this outlet (its name as written).")
Since = Query(None, description="From this date on (YYYY-MM-DD or ISO 8601).",
              json_schema_extra={"pattern": DATE_PATTERN})
Until = Query(None, description="Up to and including this date (YYYY-MM-DD or ISO 8601).",
              json_schema_extra={"pattern": DATE_PATTERN})
Actor = Query(None, description="Only stories whose articles name this actor (matched as search matches words).")
Place = Query(None, description="Only stories whose articles name this place.")
SearchText = Query(..., description='Words (all must match) and "phrases in quotes"; a query with no word to '
                   "search for is a 400.", json_schema_extra={"minLength": 1, "maxLength": MAX_QUERY_CHARS})
ExportFormat = Query("jsonl", pattern="^(jsonl|csv)$", description="jsonl or csv.")


class StorePool:
    """One store per thread (SQLite connections stay in the thread that opened them)."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.local = threading.local()

    def get(self) -> Store:
        store = getattr(self.local, "store", None)
        if store is None:
            store = self.local.store = open_store(self.db)
        return store


def _error_body(status: int, message: str, hint: str | None = None) -> dict[str, Any]:
    return {"ok": False, "status": status, "error": message, "hint": hint}


def _status_of(exc: MarsadError) -> int:
    if isinstance(exc, NotFound):
        return 404
    return 400


# Sent with every response (pages, API, static files, errors): no script runs even if escaping failed
# somewhere, no content type is sniffed, no referrer leaks the searches people ran.
SECURITY_HEADERS = [(b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY")]


class SecurityHeaders:
    """Pure ASGI middleware adding ``SECURITY_HEADERS`` to every HTTP response that does not set them itself."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                   *((k, v) for k, v in SECURITY_HEADERS if k not in have)]}
            await send(message)

        await self.app(scope, receive, with_headers)


class ErrorBody(BaseModel):
    """Every API error: ``{"ok": false, "status": 400, "error": "…", "hint": "…"}``."""

    ok: bool
    status: int
    error: str
    hint: str | None = None


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A bad parameter: the error says which and the hint what works"},
    404: {"model": ErrorBody, "description": "No such story, article or outlet"},
}
EXPORT_CONTENT = {200: {"description": "JSONL (one object a line) or CSV",
                        "content": {"application/x-ndjson": {"schema": {"type": "string"}},
                                    "text/csv": {"schema": {"type": "string"}}}}}


class HeadAsGet:
    """Answer HEAD as GET without the body (uptime checks and link checkers send HEAD; FastAPI's
    GET routes alone answer it 405). Pure ASGI, so the GET's headers, Content-Length included, stay."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


def create_app(db: str) -> FastAPI:
    """The app over the database at ``db`` (a SQLite path)."""
    app = FastAPI(title="Marsad", version=__version__, docs_url=None, redoc_url=None,
                  description="Arabic news stories across outlets: stories, comparison, articles, outlets, "
                              "search. Every list takes `limit` (1–100) and `offset`; errors are "
                              '`{"ok": false, "status", "error", "hint"}`.')
    pool = StorePool(db)
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["html", "svg"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["q"] = lambda s: quote(str(s or ""), safe="")
    env.filters["http_url"] = _http_url
    # 2020-12-19T22:29 → 2020-12-19 22:29; a story's UTC time 2020-12-19T22:29Z → 2020-12-19 22:29 UTC
    env.filters["when"] = lambda iso: (iso or "").replace("T", " ").replace("Z", " UTC")
    env.globals["API"] = API
    env.globals["version"] = __version__
    env.globals["marked_body"] = views.marked_body
    env.globals["timeline_layout"] = views.timeline_layout
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(template: str, request: Request, data: dict[str, Any], json_url: str, status: int = 200,
             **extra: Any) -> HTMLResponse:
        html = env.get_template(template).render(data=data, request=request, json_url=json_url, **extra)
        return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})

    def with_query(path: str, request: Request) -> str:
        params = [(k, v) for k, v in request.query_params.multi_items() if v != ""]
        return path + ("?" + urlencode(params) if params else "")

    def is_api(request: Request) -> bool:
        return request.url.path.startswith(API) or request.url.path == "/openapi.json"

    def error_response(request: Request, status: int, message: str, hint: str | None) -> Response:
        if is_api(request):
            return JSONResponse(_error_body(status, message, hint), status_code=status)
        return page("error.html", request, _error_body(status, message, hint), json_url="", status=status)

    @app.exception_handler(MarsadError)
    async def marsad_error(request: Request, exc: MarsadError) -> Response:
        return error_response(request, _status_of(exc), exc.message, exc.hint)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("query", "path"))
            got = e.get("input")
            parts.append(f"{where}: {e.get('msg', 'invalid')}" + (f" (got {got!r})" if isinstance(got, str) else ""))
        return error_response(request, 400, "; ".join(parts) or "bad request parameters",
                              "see /docs for the parameters each endpoint takes")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = "no such page" if exc.status_code == 404 else str(exc.detail)
        return error_response(request, exc.status_code, message,
                              "see /docs for the API" if is_api(request) else "start from the stories page: /")

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(request, 500, "internal error: the server log has the details", None)

    # -- REST API -----------------------------------------------------------------------
    api = APIRouter(prefix=API, tags=["api"], responses=ERROR_RESPONSES, dependencies=[Depends(_each_once)])

    @api.get("/stories", summary="Stories newest first, filtered and paged")
    def api_stories(limit: int = Limit, offset: int = Offset, outlet: str | None = Outlet,
                    since: str | None = Since, until: str | None = Until, actor: str | None = Actor,
                    place: str | None = Place) -> dict[str, Any]:
        return views.stories_view(pool.get(), limit, offset, outlet, since, until, actor, place)

    @api.get("/stories/{story_id}", summary="One story: its articles with bodies, copies, timeline, actors")
    def api_story(story_id: str) -> dict[str, Any]:
        return views.story_view(pool.get(), story_id)

    @api.get("/stories/{story_id}/compare", summary="Coverage comparison: copied passages, same claims, "
             "only-here sentences, framing labels, summary, timeline")
    def api_compare(story_id: str) -> dict[str, Any]:
        store = pool.get()
        from .. import queries
        return views.compare_view(store, queries.show_story(store, story_id))

    @api.get("/stories/{story_id}/export", summary="A story's articles as JSONL or CSV",
             response_class=Response, responses=EXPORT_CONTENT)
    def api_story_export(story_id: str, format: str = ExportFormat) -> Response:
        from .. import queries
        rows = queries.export_rows(pool.get(), story_id=story_id)
        return _export(rows, format, f"story-{story_id}")

    @api.get("/articles/{article_id:path}", summary="One article as stored, with its body")
    def api_article(article_id: str) -> dict[str, Any]:
        return views.article_view(pool.get(), article_id)

    @api.get("/outlets", summary="Every outlet with article and story counts")
    def api_outlets() -> dict[str, Any]:
        return views.outlets_view(pool.get())

    @api.get("/outlets/{name:path}", summary="One outlet: its stories (paged) and its coverage gaps")
    def api_outlet(name: str, limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
        return views.outlet_view(pool.get(), name, limit, offset)

    @api.get("/actors", summary="Actors across the database (the stored analyses), most articles first, "
             "with aliases, counts and each outlet's labels")
    def api_actors(limit: int = Query(50, description="Page size, 1–100.", json_schema_extra=PAGE_SIZE),
                   offset: int = Offset) -> dict[str, Any]:
        return views.actors_view(pool.get(), limit, offset)

    @api.get("/actors/{actor_id}", summary="One actor: how each outlet names it, how often, week by week, "
             "and the stories behind each label")
    def api_actor(actor_id: str) -> dict[str, Any]:
        return views.actor_view(pool.get(), actor_id)

    @api.get("/search", summary="Full-text search, ranked, highlighted, grouped by story")
    def api_search(q: str = SearchText,
                   outlet: str | None = Outlet, since: str | None = Since, until: str | None = Until,
                   limit: int = Limit, offset: int = Offset) -> dict[str, Any]:
        return views.search_view(pool.get(), q, outlet, since, until, limit, offset)

    @api.get("/search/export", summary="One page of search results as JSONL or CSV",
             response_class=Response, responses=EXPORT_CONTENT)
    def api_search_export(q: str = SearchText, outlet: str | None = Outlet, since: str | None = Since,
                          until: str | None = Until,
                          limit: int = Query(100, description="Page size, 1–100.", json_schema_extra=PAGE_SIZE),
                          offset: int = Offset, format: str = ExportFormat) -> Response:
        from .. import queries
        rows = queries.export_rows(pool.get(), q=q, outlet=outlet, since=since, until=until,
                                   limit=limit, offset=offset)
        return _export(rows, format, "search")

    app.include_router(api)

    # -- HTML pages ---------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, limit: int = Limit, offset: int = Offset, outlet: str | None = Outlet,
                     since: str | None = Since, until: str | None = Until, actor: str | None = Actor,
                     place: str | None = Place) -> HTMLResponse:
        store = pool.get()
        data = views.stories_view(store, limit, offset, outlet, since, until, actor, place)
        return page("stories.html", request, data, with_query(f"{API}/stories", request),
                    outlets=views.outlets_view(store)["outlets"], paging=_paging(request, data))

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        store = pool.get()
        data = views.story_view(store, story_id, with_entities=False)
        compare = views.compare_view(store, data)
        if compare.get("available") and compare.get("labels"):
            data["entities"] = compare["labels"]          # the comparison already ran the actor extraction
        else:
            data = views.story_view(store, story_id)
        return page("story.html", request, data, f"{API}/stories/{quote(story_id, safe='')}", compare=compare,
                    columns=views.outlet_columns(data, compare), framing=views.framing_rows(data, data["entities"]))

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str) -> HTMLResponse:
        data = views.article_view(pool.get(), article_id)
        return page("article.html", request, data, f"{API}/articles/{quote(article_id, safe='')}")

    @app.get("/outlets", response_class=HTMLResponse, include_in_schema=False)
    def outlets_page(request: Request) -> HTMLResponse:
        return page("outlets.html", request, views.outlets_view(pool.get()), f"{API}/outlets")

    @app.get("/outlets/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_page(request: Request, name: str, limit: int = Limit, offset: int = Offset) -> HTMLResponse:
        data = views.outlet_view(pool.get(), name, limit, offset)
        return page("outlet.html", request, data, with_query(f"{API}/outlets/{quote(name, safe='')}", request),
                    paging=_paging(request, data))

    @app.get("/actors/{actor_id}", response_class=HTMLResponse, include_in_schema=False)
    def actor_page(request: Request, actor_id: str) -> HTMLResponse:
        data = views.actor_view(pool.get(), actor_id)
        return page("actor.html", request, data, f"{API}/actors/{quote(actor_id, safe='')}",
                    charts={o["outlet"]: views.weekly_chart(o, data["weeks"]) for o in data["outlets"]})

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", outlet: str | None = Outlet, since: str | None = Since,
                    until: str | None = Until, limit: int = Limit, offset: int = Offset) -> HTMLResponse:
        store = pool.get()
        outlets = views.outlets_view(store)["outlets"]
        form = {"q": q, "outlet": outlet or "", "since": since or "", "until": until or ""}
        if not q.strip():
            return page("search.html", request, {}, "", outlets=outlets, form=form, paging=None)
        data = views.search_view(store, q, outlet, since, until, limit, offset)
        return page("search.html", request, data, with_query(f"{API}/search", request), outlets=outlets,
                    form=form, paging=_paging(request, data, count=data["total"]["articles"]),
                    export_query=with_query("", request))

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page(request: Request) -> HTMLResponse:
        """The API reference, rendered on the server from the OpenAPI schema (no scripts from a CDN)."""
        return page("docs.html", request, app.openapi(), "/openapi.json")

    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    app.openapi = lambda: _documented(app)  # type: ignore[method-assign]
    return app


def _documented(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI schema as the API answers: bad parameters are 400 in the one error shape, never FastAPI's 422."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                operation.get("responses", {}).pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema


def _each_once(request: Request) -> None:
    """API parameters are single values, given once and not empty: a 400 rather than a silent choice
    (the HTML pages, whose forms send empty fields, take an empty one as not given)."""
    repeated = sorted({k for k in request.query_params if len(request.query_params.getlist(k)) > 1})
    if repeated:
        raise BadParameter(f"{', '.join(repeated)} given more than once", hint="give each parameter once")
    empty = sorted(k for k, v in request.query_params.items() if v == "" and k != "q")
    if empty:
        raise BadParameter(f"{', '.join(empty)} given without a value", hint="give a value or leave it out")


def _http_url(url: str | None) -> str | None:
    """The URL when it is http(s); a source URL is untrusted and must not become a javascript: link."""
    return url if url and url.strip().lower().startswith(("http://", "https://")) else None


def _paging(request: Request, data: dict[str, Any], count: int | None = None) -> dict[str, Any]:
    """Links to the previous and next pages, keeping the other query parameters."""
    total = data["total"] if count is None else count
    limit, offset = data["limit"], data["offset"]

    def link(new_offset: int) -> str:
        params = {k: v for k, v in request.query_params.items() if v != ""}
        params["offset"] = str(new_offset)
        return request.url.path + "?" + urlencode(params)

    return {"total": total, "from": offset + 1 if total else 0, "to": min(offset + limit, total),
            "prev": link(max(0, offset - limit)) if offset > 0 else None,
            "next": link(offset + limit) if offset + limit < total else None}


def _export(rows: list[dict[str, Any]], fmt: str, name: str) -> Response:
    if fmt == "csv":
        return Response(views.to_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(views.to_jsonl(rows), media_type="application/x-ndjson; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.jsonl"'})


__all__ = ["create_app"]
