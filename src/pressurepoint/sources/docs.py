"""docs/sources.md is generated from the source specs, so it never drifts from the code:

    python -m pressurepoint.sources.docs > docs/sources.md

A test fails when the committed page differs from what this prints.
"""

from __future__ import annotations

from pressurepoint.sources import available_sources
from pressurepoint.sources.spec import SourceSpec

HEADER = """# Sources

Generated from the source specs (`python -m pressurepoint.sources.docs > docs/sources.md`);
do not edit by hand.

`update` downloads the URLs below; `update --from DIR` and `update --file` read the same
formats from local files. File names are matched case-insensitively, `.gz` read
transparently. A run fails (and changes nothing) when it finds no record, or fewer than the
share of the previous run given below; official downloads must also reach the minimum.
"""


def source_section(spec: SourceSpec) -> str:
    lines = [
        f"## `{spec.id}` — {spec.title}",
        "",
        f"- Publisher: {spec.publisher} (jurisdiction code `{spec.jurisdiction}`, "
        f"authority country `{spec.authority_country}`; kind: {spec.kind})",
        f"- Licence: {spec.licence}",
    ]
    if spec.homepage:
        lines.append(f"- Home page: <{spec.homepage}>")
    if spec.urls:
        lines.append("- Downloads: " + ", ".join(f"<{url}>" for url in spec.urls))
    else:
        lines.append("- Downloads: none automatic (place the file in the mirror)")
    lines.append(f"- Data assertions: at least {spec.min_records} records on download; "
                 f"at least {spec.min_share_of_previous:.0%} of the previous run")
    lines.append("- Formats:")
    for fmt in spec.formats:
        companions = f"; with companions {', '.join(fmt.companions)}" if fmt.companions else ""
        lines.append(f"  - `{fmt.name}`: {', '.join(f'`{p}`' for p in fmt.main)}{companions}")
    for note in spec.notes:
        lines.append(f"- {note}")
    return "\n".join(lines) + "\n"


def sources_markdown() -> str:
    return HEADER + "\n" + "\n".join(source_section(s) for s in available_sources())


if __name__ == "__main__":
    print(sources_markdown(), end="")
