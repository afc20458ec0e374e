"""Checks on host services: WireGuard meshes, egress, firewall, fail2ban, cluster networks."""

from __future__ import annotations
