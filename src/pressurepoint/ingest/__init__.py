"""Fetch, archive, parse and load official files."""
