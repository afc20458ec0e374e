"""Checks on pools, subnets and addresses."""

from __future__ import annotations
