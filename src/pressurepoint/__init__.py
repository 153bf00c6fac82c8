"""pressurepoint: official sanctions lists in one versioned, sourced statement store."""

__version__ = "0.1.0"
