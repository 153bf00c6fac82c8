"""The error tree. Library code raises these; the CLI maps them to one line and an exit code."""


class PressurepointError(Exception):
    """Root of every error pressurepoint raises on purpose."""

    exit_code = 1


class FetchError(PressurepointError):
    """A source could not be downloaded (dead URL, timeout, too large, HTTP error)."""


class FormatError(PressurepointError):
    """A file is not what its source's parser expects: empty, truncated, HTML, wrong source,
    changed layout, unreadable encoding. The message names the file and, where it applies,
    the line or element."""


class StoreError(PressurepointError):
    """The store could not be opened, migrated or written."""


class NotFound(PressurepointError):
    """A source, record or entity that was asked for does not exist."""


class InvalidInput(PressurepointError):
    """The caller passed an argument that cannot be used."""

    exit_code = 2
