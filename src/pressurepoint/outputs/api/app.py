"""The app factory: `create_app(settings)` makes the FastAPI app of `pressurepoint serve`
(the JSON API and the web pages), with its `ServiceState` in `app.state.pp`."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from pressurepoint import __version__
from pressurepoint.config import Settings, from_env
from pressurepoint.outputs.api import data, extend, matching, reconcile
from pressurepoint.outputs.api.errors import Guard, install_handlers
from pressurepoint.outputs.api.state import REFRESH_SECONDS, ServiceState

#: The bearer token of the write endpoints (none: writes are refused).
TOKEN_ENV = "PRESSUREPOINT_API_TOKEN"
#: Seconds between two checks of the data version (default 5).
REFRESH_ENV = "PRESSUREPOINT_REFRESH_SECONDS"

DESCRIPTION = """Official sanctions lists of US, EU, UK, UN, CA, CH, AU and JP in one
versioned store, resolved into canonical entities.

* `POST /match/{dataset}` screens entities (yente's API: yente clients work unchanged);
* `GET /search/{dataset}` searches names; `GET /entities/{id}` shows an entity with every
  source record and designation; `GET /gaps` is the gap matrix; `GET /sources` the
  freshness of each list; `GET /companies` the company trackers;
* `/reconcile` is an OpenRefine reconciliation service.

Every error is `{"status", "error", "detail"}`. Reads are public; `POST /judgements`
needs a bearer token."""


def create_app(settings: Settings, *, refresh_seconds: float | None = None,
               api_token: str | None = None, watch: bool = True) -> FastAPI:
    """The app over the store of `settings`. The screening index loads in the background
    when the app starts (`/readyz` says when it is ready). `watch`: whether the app
    rebuilds its index itself when the data changes (False: under the supervisor of
    `pressurepoint serve`, which forks new workers with the new index instead)."""
    pp = ServiceState(
        settings,
        refresh_seconds=refresh_seconds if refresh_seconds is not None else float(
            os.environ.get(REFRESH_ENV) or REFRESH_SECONDS),
        api_token=api_token if api_token is not None else os.environ.get(TOKEN_ENV) or None,
        watch=watch,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        pp.start()
        try:
            yield
        finally:
            pp.stop()

    app = FastAPI(title="pressurepoint", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.pp = pp
    install_handlers(app)
    app.add_middleware(Guard)
    for module in (matching, data, reconcile, extend):
        app.include_router(module.router)
    _include_web(app)
    return app


def _include_web(app: FastAPI) -> None:
    """The server-rendered pages, when that package is present."""
    try:
        from pressurepoint.outputs import web
    except ModuleNotFoundError as exc:
        if exc.name != "pressurepoint.outputs.web":
            raise
        return
    app.include_router(web.router)


def app_from_env() -> FastAPI:
    """The factory uvicorn's worker processes call (`pressurepoint serve --workers N`):
    the settings come from PRESSUREPOINT_DB and PRESSUREPOINT_DATA_DIR."""
    return create_app(from_env(dict(os.environ)))
