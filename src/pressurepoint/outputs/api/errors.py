"""One error shape for every failed request, `{"status", "error", "detail"}`, and the two
ASGI layers that guard every request: a body size limit and the security headers.

No response ever carries a stack trace: unexpected exceptions are logged and answered
with a generic 500 in the same shape.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from pressurepoint.errors import InvalidInput, NotFound, PressurepointError, StoreError
from pressurepoint.outputs.api.state import NotReady

log = logging.getLogger(__name__)
#: Largest request body accepted (a /match of MAX_BATCH queries is far below it).
MAX_BODY = 1024 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CODES = {400: "invalid_input", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 413: "body_too_large", 415: "unsupported_media_type",
         422: "invalid_request", 503: "not_ready", 500: "server_error"}

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
     b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class ApiError(Exception):
    """An error answered with `status` (for cases the library errors do not cover)."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None
                 ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


def error_body(status: int, detail: str) -> bytes:
    return orjson.dumps({"status": status, "error": CODES.get(status, "error"),
                         "detail": detail})


def error_response(status: int, detail: str, headers: dict[str, str] | None = None
                   ) -> Response:
    return Response(error_body(status, detail), status_code=status,
                    media_type="application/json", headers=headers)


def install_handlers(app: FastAPI) -> None:
    """Map every exception to the one error shape."""

    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.detail, exc.headers)

    @app.exception_handler(PressurepointError)
    async def _library(_: Request, exc: PressurepointError) -> Response:
        return error_response(_status_of(exc), str(exc))

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "request refused"
        return error_response(exc.status_code, detail, dict(exc.headers or {}) or None)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> Response:
        return error_response(422, _describe(exc.errors()))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> Response:
        log.exception("unexpected error")
        return error_response(500, "internal error (logged on the server)")


def _status_of(exc: PressurepointError) -> int:
    if isinstance(exc, NotReady | StoreError):
        return 503
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, InvalidInput):
        return 400
    return 400


def _describe(errors: Any) -> str:
    """The first few validation errors in one line ("body.queries.q1.schema: Field
    required")."""
    parts = []
    for error in list(errors)[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"{where[:120]}: {str(error.get('msg', 'invalid'))[:200]}")
    return "; ".join(parts) or "invalid request"


class Guard:
    """ASGI layer: refuses bodies over MAX_BODY (by Content-Length, or while a chunked body
    streams in) with a 413, and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and (not value.isdigit()
                                               or int(value) > self.max_body):
                await _refuse(send, self.max_body)
                return
        started = False
        received = 0

        async def guarded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge(self.max_body)
            return message

        async def secured_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        try:
            await self.app(scope, guarded_receive, secured_send)
        except _TooLarge:
            if not started:
                await _refuse(send, self.max_body)


class _TooLarge(HTTPException):
    """Raised from inside the body read: FastAPI passes HTTP exceptions on unchanged
    (any other error there would become a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body larger than {limit} bytes")


async def _refuse(send: Send, limit: int) -> None:
    body = error_body(413, f"request body larger than {limit} bytes")
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})
