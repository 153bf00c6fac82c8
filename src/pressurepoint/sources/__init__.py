"""The registry of official lists. Each source is one module exposing `SPEC`."""

from __future__ import annotations

import importlib
from functools import cache

from pressurepoint.errors import NotFound
from pressurepoint.sources.spec import FileFormat, SourceSpec

# Source id -> module. Modules are imported on first use so that the CLI starts fast.
SOURCE_MODULES: dict[str, str] = {
    "ofac_sdn": "pressurepoint.sources.ofac_sdn",
    "ofac_consolidated": "pressurepoint.sources.ofac_consolidated",
    "eu_fsf": "pressurepoint.sources.eu_fsf",
    "uk_ofsi": "pressurepoint.sources.uk_ofsi",
    "uk_fcdo": "pressurepoint.sources.uk_fcdo",
    "un_sc": "pressurepoint.sources.un_sc",
    "ca_sema": "pressurepoint.sources.ca_sema",
    "ch_seco": "pressurepoint.sources.ch_seco",
    "au_dfat": "pressurepoint.sources.au_dfat",
    "jp_mof": "pressurepoint.sources.jp_mof",
    # company trackers (kind "tracker")
    "yale_celi": "pressurepoint.sources.yale_celi",
    "kse_leave_russia": "pressurepoint.sources.kse_leave_russia",
    "company_tracker_csv": "pressurepoint.sources.company_tracker_csv",
}

# Source id -> (jurisdiction code, kind) as each SPEC states them, for readers that need
# only these (the analysis): importing a spec imports its parser and FollowTheMoney's
# model, a second of start-up. A test keeps this table equal to the specs.
SOURCE_JURISDICTIONS: dict[str, tuple[str, str]] = {
    "ofac_sdn": ("US", "sanctions"),
    "ofac_consolidated": ("US", "sanctions"),
    "eu_fsf": ("EU", "sanctions"),
    "uk_ofsi": ("UK", "sanctions"),
    "uk_fcdo": ("UK", "sanctions"),
    "un_sc": ("UN", "sanctions"),
    "ca_sema": ("CA", "sanctions"),
    "ch_seco": ("CH", "sanctions"),
    "au_dfat": ("AU", "sanctions"),
    "jp_mof": ("JP", "sanctions"),
    "yale_celi": ("YALE", "tracker"),
    "kse_leave_russia": ("KSE", "tracker"),
    "company_tracker_csv": ("CSV", "tracker"),
}


@cache
def get_source(source_id: str) -> SourceSpec:
    """The spec of one source; NotFound names the known ids."""
    module_name = SOURCE_MODULES.get(source_id)
    if module_name is None:
        known = ", ".join(sorted(SOURCE_MODULES))
        raise NotFound(f"unknown source {source_id!r} (known: {known})")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise NotFound(f"source {source_id!r} has no parser yet") from exc
    spec = module.SPEC
    assert isinstance(spec, SourceSpec)
    return spec


def available_sources() -> list[SourceSpec]:
    """Every source whose module exists."""
    specs = []
    for source_id in SOURCE_MODULES:
        try:
            specs.append(get_source(source_id))
        except NotFound:
            continue
    return specs


__all__ = ["SOURCE_JURISDICTIONS", "SOURCE_MODULES", "FileFormat", "SourceSpec",
           "available_sources", "get_source"]
