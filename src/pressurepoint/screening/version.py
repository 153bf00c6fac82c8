"""A short stamp of the data an index is built from: it changes when a run is loaded, when
`resolve` rewrites the pairs or the clusters, or when a judgement is added. Cheap enough
(a handful of aggregate queries) to be checked every few seconds by a running server."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select

from pressurepoint.resolve.scorer import SCORER_VERSION
from pressurepoint.store import Store
from pressurepoint.store import schema as t

#: Bump when the index's layout changes, so that older cached indexes are not read.
INDEX_FORMAT = "screening-1"


def data_version(store: Store) -> str:
    """The stamp of the store's current data (16 hex digits)."""
    queries = [
        select(func.count(), func.max(t.run.c.id)),
        select(func.count(), func.max(t.resolver_pair.c.updated_at)),
        select(func.count(), func.max(t.judgement.c.id)),
        select(func.count(), func.max(t.canonical.c.canonical_id)),
        select(func.count(), func.max(t.canonical_redirect.c.created_at)),
    ]
    with store.engine.connect() as conn:
        parts = [[str(v) for v in conn.execute(q).one()] for q in queries]
    body = json.dumps([INDEX_FORMAT, SCORER_VERSION, parts])
    return hashlib.sha1(body.encode()).hexdigest()[:16]
