"""`python -m archivekg.cli`: the command line, as the `archivekg` script runs it."""

from archivekg.cli import main

main()
