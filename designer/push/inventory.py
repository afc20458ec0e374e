"""The inventory: how to reach each node (address, port, user, bastion) and which host keys it may present.

The same shape is stored per design in the database and read from ``INV.yaml`` on the command line::

    push_from: [10.0.0.5, 10.9.0.0/24]    # where the push server connects from (the key's from= option)
    bastions:
      jump: {address: 203.0.113.7, port: 22, user: weft, host_keys: ["ssh-ed25519 AAAA..."]}
    nodes:
      leaf1: {address: 10.10.0.11, user: root, host_keys: ["ssh-ed25519 AAAA..."]}
      pve1: {address: 10.10.0.21, bastion: jump, host_keys: []}
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from designer.fabric.errors import DesignError, Problem, format_path

Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
Host = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.:%_-]{0,252}$")]
Source = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9*?][A-Za-z0-9.:%_*?/-]{0,252}$")]  # from= patterns
HostKey = Annotated[str, StringConstraints(
    pattern=r"^(ssh-ed25519|ecdsa-sha2-nistp\d+|ssh-rsa) [A-Za-z0-9+/=]+( .*)?$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Endpoint(_Model):
    """Where an SSH server listens, who logs in, and the host keys it is pinned to (none: not enrolled)."""

    address: Host
    port: int = Field(default=22, ge=1, le=65535)
    user: Name = "root"
    host_keys: list[HostKey] = Field(default_factory=list)


class NodeAccess(Endpoint):
    bastion: Name | None = None


class Inventory(_Model):
    push_from: list[Source] = Field(default_factory=list)
    bastions: dict[Name, Endpoint] = Field(default_factory=dict)
    nodes: dict[Name, NodeAccess] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _bastions_exist(self) -> Inventory:
        for name, node in self.nodes.items():
            if node.bastion is not None and node.bastion not in self.bastions:
                raise ValueError(f"node {name} names bastion '{node.bastion}', which is not under 'bastions'")
        return self

    def missing(self, names: list[str]) -> list[str]:
        """Of ``names`` (the design's managed nodes), those the inventory does not say how to reach."""
        return [name for name in names if name not in self.nodes]


def read_inventory(data: Any, *, source: str = "inventory") -> Inventory:
    """An ``Inventory`` from parsed YAML or JSON; bad input is a ``DesignError`` naming each path."""
    try:
        return Inventory.model_validate(data or {})
    except ValidationError as exc:
        problems = [Problem(format_path(error["loc"]), error["msg"]) for error in exc.errors()]
        raise DesignError(problems, source=source) from None
