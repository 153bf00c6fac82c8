"""Company trackers: who still does business in Russia, who left, and how that changed.

- `status` — the normalised status scale and each tracker's categories mapped to it;
- `history` — tracker records and their dated assessments, read from the store;
- `matching` / `grouping` — one company across trackers and snapshots;
- `companies` — one view per company, filters, counts per snapshot;
- `changes` — who moved between two dates;
- `review` — close calls for human judgement;
- `sanctions` — sanctions records linked to a tracked company.

See docs/companies.md.
"""
