"""A node's ``apply.sh``, built from what each target declares: check, back up, install, load, roll back."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass

from ..plan.model import DevicePlan, Plan
from .target import Activation, file_mode
from .templating import render


@dataclass(frozen=True, slots=True)
class _Step:
    """One activation on one node, with the node's files it covers (relative to ``/``)."""

    activation: Activation
    files: list[str]

    def commands(self, kind: str) -> list[tuple[list[str], str]]:
        """``(files whose change calls for it, command)`` for ``check``, ``verify`` or ``load``."""
        out: list[tuple[list[str], str]] = []
        for template in getattr(self.activation, kind):
            if any(field in template for field in ("{file}", "{path}", "{name}")):
                out += [([rel], _fill(template, rel)) for rel in self.files]
            else:
                out.append((self.files, template))  # once, whichever of the files changed
        return out


def _fill(template: str, rel: str) -> str:
    name = posixpath.splitext(posixpath.basename(rel))[0]
    return template.format(file=f'"$here/{rel}"', path=f"/{rel}", name=name)


def apply_script(plan: Plan, device: DevicePlan, activations: Mapping[str, Activation | None]) -> str:
    """The script for the node's files: absolute path on the node -> how the node takes it into use."""
    relative = {path.lstrip("/"): activation for path, activation in activations.items()}
    grouped: dict[Activation, list[str]] = {}
    for rel, activation in relative.items():
        if activation is not None:
            grouped.setdefault(activation, []).append(rel)
    steps = [_Step(activation, files) for activation, files in sorted(grouped.items(), key=lambda s: s[0].order)]
    return render("bundle/apply.sh.j2", plan=plan, device=device,
                  installs=[(rel, file_mode(activation)) for rel, activation in relative.items()],
                  tools=sorted({step.activation.tool for step in steps if step.activation.tool}),
                  checks=[c for step in steps for c in step.commands("check")],
                  verifies=[c for step in steps for c in step.commands("verify")],
                  loads=[c for step in steps for c in step.commands("load")])
