"""The `pressurepoint` command line."""
