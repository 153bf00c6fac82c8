"""Analysis over the resolved store: who lists whom (the gap matrix), regimes, timelines."""
