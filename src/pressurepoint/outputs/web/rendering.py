"""Rendering of the web pages: one Jinja2 environment (autoescaped), the security headers
every page carries, and the error page."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar, cast

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from followthemoney.types import registry
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pressurepoint.errors import InvalidInput, NotFound, PressurepointError

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

# The security headers (a Content-Security-Policy allowing only this origin's scripts and
# styles, no framing, nosniff) are added to every response by the API's Guard layer
# (pressurepoint.outputs.api.errors). The pages are written for that policy: no inline
# script or style; the SVG charts colour with presentation attributes, which it allows.

NAVIGATION = (("search", "/", "Search"), ("gaps", "/web/gaps", "Gaps"),
              ("companies", "/web/companies", "Companies"),
              ("screen", "/web/screen", "Screen a list"), ("sources", "/web/sources", "Sources"))


def country_name(code: str | None) -> str:
    """The English name of a country code (the code itself when it is not one)."""
    if not code:
        return ""
    return str(registry.country.names.get(code.lower(), code.upper()))


def thousands(number: int | None) -> str:
    return "" if number is None else f"{number:,}"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["country"] = country_name
    env.filters["thousands"] = thousands
    env.globals["navigation"] = NAVIGATION
    env.globals["asset_version"] = _asset_version()
    return env


def _asset_version() -> str:
    """Changes when a static file changes, so browsers never keep a stale stylesheet (a
    hash of the contents: wheels give every file the same timestamp)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in STATIC.iterdir() if p.is_file()):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


ENV = _environment()


def page(request: Request, template: str, *, section: str = "", status_code: int = 200,
         **context: Any) -> HTMLResponse:
    """A rendered page with the security headers."""
    html = ENV.get_template(template).render(request=request, section=section,
                                             today=date.today(), **context)
    return HTMLResponse(html, status_code=status_code)


def error_page(request: Request, status_code: int, message: str, *, section: str = ""
               ) -> HTMLResponse:
    """A page that says in one line what was wrong (never a stack trace)."""
    titles = {400: "Bad request", 404: "Not found", 413: "Too large", 422: "Cannot use this",
              503: "Not ready yet"}
    response = page(request, "error.html", section=section, status_code=status_code,
                    title=titles.get(status_code, "Error"), message=message)
    if status_code == 503:
        response.headers["Retry-After"] = "5"
    return response


def status_of(exc: PressurepointError) -> int:
    """The HTTP status of a library error, as the API answers it."""
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, InvalidInput):
        return 400
    # the service still loading its index (api.state.NotReady) or a store that cannot be
    # read: try again later
    return 503


Handler = TypeVar("Handler", bound=Callable[..., Response])


def html_errors(section: str) -> Callable[[Handler], Handler]:
    """Answer the library's errors raised by a page handler with an HTML error page
    (the API's handlers would answer JSON)."""
    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def guarded(request: Request, *args: Any, **kwargs: Any) -> Response:
            try:
                return handler(request, *args, **kwargs)
            except PressurepointError as exc:
                return error_page(request, status_of(exc), str(exc), section=section)

        return cast(Handler, guarded)

    return decorate
