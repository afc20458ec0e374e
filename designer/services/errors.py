"""Refusals the services raise; the API turns each into its HTTP answer."""

from __future__ import annotations

from designer.models import Revision


class StaleRevision(Exception):
    """A save was based on a revision that is no longer the design's current one."""

    def __init__(self, current: Revision | None):
        self.current = current
        number = f"revision {current.number}" if current is not None else "no revision"
        super().__init__(f"the design has moved on to {number} since this edit started; "
                         "merge your change into the current revision and save again")


class ExportRefused(Exception):
    """The revision cannot be exported as it stands (its design has error findings)."""
