"""What the pages read from the running service: `request.app.state.pp`, set by the API's
app factory. A Protocol, so that the pages depend on the shape, not on the factory."""

from __future__ import annotations

from typing import Any, Protocol, cast

from fastapi import Request

from pressurepoint.analysis.designations import Designations
from pressurepoint.config import Settings
from pressurepoint.store import Store
from pressurepoint.trackers.companies import Companies


class Service(Protocol):
    """The service state the pages use (pressurepoint.outputs.api.state.ServiceState)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def store(self) -> Store: ...

    def index(self) -> Any: ...

    def designations(self) -> Designations: ...

    def companies(self) -> Companies: ...


def service(request: Request) -> Service:
    return cast(Service, request.app.state.pp)
