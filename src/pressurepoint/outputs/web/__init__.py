"""Server-rendered web pages. `router` is mounted by the API's app factory
(pressurepoint.outputs.api.app.create_app)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
