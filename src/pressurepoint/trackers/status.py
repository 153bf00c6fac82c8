"""One status scale across company trackers, and each tracker's own categories mapped to it.

The normalised statuses, from most to least pressure-compliant:

* ``exited``  — has left Russia (sold, handed over or closed the Russian business).
* ``exiting`` — operations suspended or announced to be leaving, with a way back kept open.
* ``reduced`` — some business cut while other business continues.
* ``staying`` — business goes on (as usual, or with only new investment held off).
* ``unknown`` — the tracker's category is not known to pressurepoint, or none was given.

Each tracker grade also has a **rank** from 1 (business as usual) to 5 (left), finer than
the normalised status: Yale's D ("Buying Time", rank 2) and F ("Digging In", rank 1) are
both ``staying``, but a move from F to D is still a move. Changes over time compare ranks
within one tracker. The original grade is always kept beside the normalised status.

The mapping is documented, table by table, in docs/companies.md (a test keeps the two in
step).
"""

from __future__ import annotations

from dataclasses import dataclass

EXITED, EXITING, REDUCED, STAYING, UNKNOWN = "exited", "exiting", "reduced", "staying", "unknown"
#: The scale, most pressure-compliant first.
STATUSES = (EXITED, EXITING, REDUCED, STAYING, UNKNOWN)

#: Kinds of change between two dates (see `pressurepoint.trackers.changes`).
IMPROVED, SLID_BACK, REGRADED, NEW, DROPPED, RETURNED = (
    "improved", "slid back", "regraded", "new", "no longer listed", "moved and returned")
CHANGE_KINDS = (IMPROVED, SLID_BACK, REGRADED, NEW, DROPPED, RETURNED)

YALE = "yale_celi"
KSE = "kse_leave_russia"
GENERIC = "company_tracker_csv"


@dataclass(frozen=True, slots=True)
class Grade:
    """One category of one tracker, and where it sits on the common scale."""

    code: str  # as the tracker writes it: "F", "continue"
    label: str  # the tracker's name for it: "Digging In", "Doing business as usual"
    status: str  # normalised status
    rank: int  # 1 (business as usual) .. 5 (left); 0 when unknown


#: Yale CELI's letter grades (Yale's own names and descriptions).
YALE_GRADES: dict[str, Grade] = {g.code: g for g in (
    Grade("A", "Withdrawal", EXITED, 5),  # clean break, fully leaving Russia
    Grade("B", "Suspension", EXITING, 4),  # operations paused, way back kept open
    Grade("C", "Scaling Back", REDUCED, 3),  # some business cut, other business continues
    Grade("D", "Buying Time", STAYING, 2),  # new investment held off, business goes on
    Grade("F", "Digging In", STAYING, 1),  # business as usual, defying calls to leave
)}

#: KSE Institute's status classes (as used on leave-russia.org).
KSE_CLASSES: dict[str, Grade] = {g.code: g for g in (
    Grade("withdrawal", "Withdrawal", EXITED, 5),  # has left
    Grade("transfer", "Exit by sale or transfer of the Russian business", EXITED, 5),
    Grade("suspension", "Suspension", EXITING, 4),  # activity suspended
    Grade("scalingback", "Scaling back", REDUCED, 3),  # reduced activity
    Grade("holdoff", "Holding off new investment", STAYING, 2),  # new activity paused
    Grade("continue", "Doing business as usual", STAYING, 1),
)}

#: The generic CSV's status words (case and spaces do not matter). The normalised words
#: themselves, Yale's letters and names, KSE's classes, and common synonyms.
_GENERIC_WORDS: dict[str, tuple[str, int]] = {
    **{w: (EXITED, 5) for w in ("exited", "exit", "left", "withdrawn", "withdrawal",
                                "transfer", "transferred", "sold", "a")},
    **{w: (EXITING, 4) for w in ("exiting", "leaving", "suspended", "suspension", "paused",
                                 "b")},
    **{w: (REDUCED, 3) for w in ("reduced", "reducing", "scaling back", "scalingback",
                                 "scaled back", "c")},
    **{w: (STAYING, 2) for w in ("holding off", "holdoff", "buying time", "d")},
    **{w: (STAYING, 1) for w in ("staying", "stay", "continue", "continuing", "digging in",
                                 "business as usual", "f")},
    UNKNOWN: (UNKNOWN, 0),
}


def generic_grade(text: str) -> Grade | None:
    """The grade of a status word of the generic CSV format, or None if not known."""
    code = " ".join(text.split())
    found = _GENERIC_WORDS.get(code.lower().replace("-", " ").replace("_", " "))
    if found is None:
        return None
    status, rank = found
    label = code if len(code) > 1 else YALE_GRADES[code.upper()].label
    return Grade(code, label, status, rank)


def grade_for(source: str, code: str | None) -> Grade:
    """The grade of a tracker's category; unknown categories map to ``unknown``."""
    text = (code or "").strip()
    found: Grade | None = None
    if source == YALE:
        found = YALE_GRADES.get(text.upper())
    elif source == KSE:
        found = KSE_CLASSES.get(text.lower())
    else:
        found = generic_grade(text) if text else None
    return found or Grade(text, text or "no status given", UNKNOWN, 0)


def status_order(status: str) -> int:
    """Position on the scale (0 = exited); for sorting."""
    return STATUSES.index(status) if status in STATUSES else len(STATUSES)
