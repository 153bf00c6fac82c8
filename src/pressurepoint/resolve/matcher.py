"""The default matcher of `pressurepoint resolve`: the pp-v2 scorer plus blocking keys.

Blocking keys say which records are worth scoring against each other: records that share
a strong identifier (INN, OGRN, IMO, passport...), or a name key (all of a name's skeleton
words, sorted), or one distinctive name word in any of its spelling variants. Legal forms,
particles, initials and generic words never propose a pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pressurepoint.names.forms import NAME
from pressurepoint.resolve.features import Prepared, prepare
from pressurepoint.resolve.scorer import (
    DEFAULT_THRESHOLD,
    SCORER_VERSION,
    score,
    score_floor_names,
    score_value,
)

# Pairs scoring in this band are the uncertain ones that `review` offers to a human.
REVIEW_BAND = (0.5, DEFAULT_THRESHOLD + 0.15)
# Name words this short are too unspecific to propose a pair on their own.
MIN_KEY_LENGTH = 3


class DefaultMatcher:
    """pp-v2 with the blocking keys above."""

    version = SCORER_VERSION
    threshold = DEFAULT_THRESHOLD

    def prepare(self, schema: str, props: Mapping[str, Sequence[str]]) -> Prepared:
        return prepare(schema, {k: list(v) for k, v in props.items()})

    def block_keys(self, prepared: Any) -> Iterable[str]:
        assert isinstance(prepared, Prepared)
        keys = {f"id:{key}" for key in prepared.id_keys}
        for form in prepared.names:
            keys.add(f"k:{form.key}")
            for token in form.toks:
                if token.role != NAME or len(token.skel) < MIN_KEY_LENGTH:
                    continue
                keys.add(f"w:{token.skel}")
                keys.update(f"w:{v}" for v in token.variants if len(v) >= MIN_KEY_LENGTH)
        return keys

    def score(self, left: Any, right: Any) -> float:
        return score(left, right).score

    def score_floor(self, left: Any, right: Any, floor: float) -> float:
        """The score when it reaches `floor`, else some value below it (faster)."""
        return score_value(left, right, floor)

    def score_floor_names(self, left: Any, right: Any, floor: float
                          ) -> tuple[float, int, int]:
        """`score_floor`, and the pair of names behind it (for `explain`)."""
        return score_floor_names(left, right, floor)

    def explain(self, left: Any, right: Any, names: tuple[int, int] | None = None
                ) -> dict[str, Any]:
        """The explanation of a pair's score; `names` as `score_floor_names` gave them
        (else the best pair is looked for)."""
        return dict(score(left, right, names=names).explanation)


def default_matcher() -> DefaultMatcher:
    return DefaultMatcher()
