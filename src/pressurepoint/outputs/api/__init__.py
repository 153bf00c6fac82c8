"""The HTTP API of `pressurepoint serve` (FastAPI): screening, search, entities, gaps,
sources, companies, reconciliation. `create_app` is in `pressurepoint.outputs.api.app`."""
