"""`python -m pressurepoint` runs the command line."""

from pressurepoint.outputs.cli.main import main

main()
