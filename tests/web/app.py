"""The app the web tests serve. Until the API's app factory exists, a bare FastAPI app
with the web router and a service state read from the store (the same attributes as
pressurepoint.outputs.api.state.ServiceState)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from fastapi import FastAPI

from pressurepoint.analysis.designations import Designations, load_designations
from pressurepoint.config import Settings
from pressurepoint.outputs import web
from pressurepoint.store import Store
from pressurepoint.trackers.companies import Companies, load_companies


class StoreState:
    """settings, store, index(), designations() and companies(), each built once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.db_url)

    @cached_property
    def _designations(self) -> Designations:
        return load_designations(self.store)

    @cached_property
    def _companies(self) -> Companies:
        return load_companies(self.store)

    def designations(self) -> Designations:
        return self._designations

    def companies(self) -> Companies:
        return self._companies

    @cached_property
    def _index(self) -> Any:
        from pressurepoint.screening.engine import ScreeningIndex

        return ScreeningIndex.build(self.store)

    def index(self) -> Any:
        return self._index


def web_app(settings: Settings) -> FastAPI:
    app = FastAPI()
    app.include_router(web.router)
    app.state.pp = StoreState(settings)
    return app
