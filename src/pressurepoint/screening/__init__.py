"""Screening: names (with birth dates, countries, identifiers) against the sanctions data.

`engine` answers one query at a time from an in-memory index (the API's `/match`, the
batch `screen` command); `cache` keeps built indexes on disk, keyed by the data version.
"""

from pressurepoint.resolve.scorer import DEFAULT_THRESHOLD
from pressurepoint.screening.engine import (
    DEFAULT_CUTOFF,
    MatchHit,
    MatchQuery,
    ScreeningIndex,
    SearchHit,
    SearchResult,
)

__all__ = ["DEFAULT_CUTOFF", "DEFAULT_THRESHOLD", "MatchHit", "MatchQuery", "ScreeningIndex",
           "SearchHit", "SearchResult"]
