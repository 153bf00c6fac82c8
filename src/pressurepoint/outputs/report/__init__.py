"""The static HTML report (`pressurepoint report --out DIR`): the gap matrix, charts of
designations over time, per-entity pages linked to their source records, the company
trackers and the sources, all in one folder that opens offline."""

from pressurepoint.outputs.report.builder import ReportSummary, build_report

__all__ = ["ReportSummary", "build_report"]
