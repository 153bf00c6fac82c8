"""Writing the report's files: one autoescaping Jinja2 environment over the templates
shipped in this package, the static CSS/JS copied beside the pages, and safe file names
for entities and companies.

Templates and static files are package data read through importlib.resources, so an
installed wheel finds them as well as a source checkout does.
"""

from __future__ import annotations

import hashlib
import re
from importlib import resources
from pathlib import Path
from typing import Any

from followthemoney.types import registry
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

PACKAGE = "pressurepoint.outputs.report"
STATIC_FILES = ("report.css", "report.js")
_SAFE = re.compile(r"[a-z0-9][a-z0-9._-]{0,100}")


def page_name(identifier: str) -> str:
    """A file name for an id: the id itself when it is a short lower-case slug, else a
    cleaned form plus a hash (ids may hold ':' or '/', or differ only in case, which some
    file systems would fold together)."""
    if _SAFE.fullmatch(identifier) and ".." not in identifier:
        return f"{identifier}.html"
    cleaned = re.sub(r"[^a-z0-9]+", "-", identifier.lower()).strip("-")[:80] or "id"
    digest = hashlib.sha1(identifier.encode("utf-8")).hexdigest()[:10]
    return f"{cleaned}-{digest}.html"


def country_name(code: str | None) -> str:
    """The English name of a country code (the code itself when it is not one)."""
    if not code:
        return ""
    return str(registry.country.names.get(code.lower(), code.upper()))


class Site:
    """The output folder and the environment that renders into it."""

    def __init__(self, out: Path, context: dict[str, Any]) -> None:
        self.out = out
        self.env = Environment(
            loader=PackageLoader(PACKAGE, "templates"),
            autoescape=select_autoescape(["html", "svg"], default_for_string=True),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        )
        self.env.globals.update(context, page_name=page_name)
        self.env.filters["country"] = country_name
        self.written = 0
        self.bytes = 0

    def write_static(self) -> None:
        folder = self.out / "static"
        folder.mkdir(parents=True, exist_ok=True)
        for name in STATIC_FILES:
            text = resources.files(PACKAGE).joinpath("static", name).read_text("utf-8")
            self._write(folder / name, text)

    def page(self, relative: str, template: str, **context: Any) -> None:
        """Render a template to `relative` (e.g. "entities/x.html"); `root` is the way
        back to the top of the report from that page."""
        depth = relative.count("/")
        html = self.env.get_template(template).render(root="../" * depth, **context)
        target = self.out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        self._write(target, html)

    def _write(self, target: Path, text: str) -> None:
        data = text.encode("utf-8")
        target.write_bytes(data)
        self.written += 1
        self.bytes += len(data)
