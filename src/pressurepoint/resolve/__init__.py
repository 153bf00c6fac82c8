"""Entity resolution: which records of different lists are one person, company, vessel or
aircraft.

Pure functions over plain data (no store access in these modules):
`prepare(schema, props)` reads a record's FollowTheMoney properties once into a
`Prepared` record; `score(left, right)` scores a pair with the versioned scorer
(`SCORER_VERSION`, `DEFAULT_THRESHOLD`) and explains each feature's contribution.
"""

from pressurepoint.resolve.features import Prepared, prepare
from pressurepoint.resolve.scorer import DEFAULT_THRESHOLD, SCORER_VERSION, Result, score

__all__ = ["DEFAULT_THRESHOLD", "SCORER_VERSION", "Prepared", "Result", "prepare", "score"]
