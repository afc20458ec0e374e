"""Subcommands of the ``fabric`` command line."""
