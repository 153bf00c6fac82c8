"""Server-rendered web pages. `router` is mounted by the API's app factory
(pressurepoint.outputs.api.app.create_app).

Pages live under /web/ (the home page at /), their CSS and JavaScript under /static/: no
path the JSON API owns. Every page works without JavaScript; app.js only adds comfort."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.staticfiles import StaticFiles

from pressurepoint.outputs.web import companies, entities, gaps, screen, search, sources
from pressurepoint.outputs.web.rendering import STATIC

router = APIRouter(include_in_schema=False)
for module in (search, entities, gaps, sources, screen, companies):
    router.include_router(module.router)
router.mount("/static", StaticFiles(directory=STATIC), name="static")
