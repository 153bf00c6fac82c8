"""Pure types, no I/O: entities, statements, runs, issues."""

from pressurepoint.model.entity import TARGET_SCHEMATA, Entity, Value
from pressurepoint.model.issue import Issue
from pressurepoint.model.run import RunInfo
from pressurepoint.model.statement import StatementRow, statements_of

__all__ = [
    "TARGET_SCHEMATA",
    "Entity",
    "Issue",
    "RunInfo",
    "StatementRow",
    "Value",
    "statements_of",
]
