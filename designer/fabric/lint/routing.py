"""Checks on ASNs and BGP sessions: eBGP, iBGP route reflection, dynamic neighbours."""

from __future__ import annotations
