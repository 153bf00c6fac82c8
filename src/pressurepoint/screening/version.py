"""A short stamp of the data an index is built from: it changes when a run is loaded, when
`resolve` rewrites the pairs or the clusters, or when a judgement is added. Cheap enough
(a handful of aggregate queries, ~25 ms on the full shared data, mostly in the database)
to be checked every few seconds by a running server.

It also changes with the code that prepares and scores records (`code_digest`), so that a
cached index is never read by a different version of the names engine.

What it cannot see: `resolve` moving one record from one multi-record entity to another
with nothing else changing (same counts, same id lengths). The next run or judgement
brings the index up to date.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from sqlalchemy import func, select

from pressurepoint.resolve.scorer import SCORER_VERSION
from pressurepoint.store import Store
from pressurepoint.store import schema as t

#: Bump when the index's layout changes, so that older cached indexes are not read.
INDEX_FORMAT = "screening-4"  # 3: written by screening.pickling; 4: with the word tables
#: The code whose output a cached index holds: prepared records are objects of the names
#: engine, so a change to it (or to the scorer) makes older caches unreadable or stale.
CODE = ("names", "resolve/features.py", "resolve/matcher.py", "resolve/scorer.py",
        "screening/engine.py", "screening/building.py", "screening/pickling.py")


@cache
def code_digest() -> str:
    """A digest of the source files in CODE (read once per process)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha1()
    for part in CODE:
        path = root / part
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def data_version(store: Store) -> str:
    """The stamp of the store's current data (16 hex digits)."""
    queries = [
        select(func.count(), func.max(t.run.c.id)),
        select(func.count()).select_from(t.resolver_pair),
        select(func.count(), func.max(t.judgement.c.id)),
        # a split or merge changes which records carry a cluster id ("pp-...") and which
        # their own id: the total length of the ids moves
        select(func.count(), func.sum(func.length(t.canonical.c.canonical_id))),
        select(func.count(), func.max(t.canonical_redirect.c.created_at)),
    ]
    digest = hashlib.sha1(json.dumps([INDEX_FORMAT, SCORER_VERSION, code_digest()]).encode())
    with store.engine.connect() as conn:
        for query in queries:
            digest.update(repr(tuple(conn.execute(query).one())).encode())
    return digest.hexdigest()[:16]
