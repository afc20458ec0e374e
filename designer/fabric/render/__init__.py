"""Renderers: the plan in, the text of every file a node (or the whole design) needs out.

Each target is one module here with its templates under ``templates/<target>/``. A module offers
``node_files(plan, device)`` for files on a node, with ``ACTIVATIONS`` saying how a node checks and
loads them, and/or ``design_files(plan)`` for design-wide files, with ``BUNDLE_FOLDER`` saying where
they go in the bundle and what its README tells of them; adding a target touches nothing else.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from types import ModuleType

from ..plan.model import Plan
from .target import Activation, BundleFolder

__all__ = ["Activation", "BundleFolder", "activation_for", "render_design", "render_node"]

def _targets() -> list[ModuleType]:
    """Every module here that renders files; the helpers beside them render none."""
    names = sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))
    modules = [importlib.import_module(f"{__name__}.{name}") for name in names]
    return [m for m in modules if hasattr(m, "node_files") or hasattr(m, "design_files")]


TARGETS = _targets()
NODE_TARGETS = [target for target in TARGETS if hasattr(target, "node_files")]
DESIGN_TARGETS = [target for target in TARGETS if hasattr(target, "design_files")]
ACTIVATIONS: list[Activation] = sorted((a for t in TARGETS for a in getattr(t, "ACTIVATIONS", ())),
                                       key=lambda a: a.order)
BUNDLE_FOLDERS: list[BundleFolder] = [target.BUNDLE_FOLDER for target in DESIGN_TARGETS]


def render_node(plan: Plan, device_id: str) -> dict[str, str]:
    """Every file of one device: absolute path on the node -> text. Unmanaged devices get none."""
    device = plan.devices.get(device_id)
    if device is None:
        raise KeyError(f"the plan of {plan.name} has no device with id '{device_id}'")
    if not device.managed:
        return {}
    files: dict[str, str] = {}
    for target in NODE_TARGETS:
        files.update(target.node_files(plan, device))
    return dict(sorted(files.items()))


def render_design(plan: Plan) -> dict[str, str]:
    """Design-wide files (DNS zones, the Proxmox cluster firewall): bundle path -> text."""
    files: dict[str, str] = {}
    for target in DESIGN_TARGETS:
        files.update(target.design_files(plan))
    return dict(sorted(files.items()))


@functools.lru_cache(maxsize=4096)
def activation_for(path: str) -> Activation | None:
    """How a node takes the file at ``path`` (absolute on the node) into use, if a target says."""
    return next((a for a in ACTIVATIONS if a.covers(path)), None)
