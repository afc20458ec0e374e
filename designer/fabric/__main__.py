"""``python -m designer.fabric``: the ``weft`` command line without the installed script."""

from .cli import entry_point

entry_point()
