"""Who push is and whom it talks to: the design's deploy key, the inventory, and host keys pinned by owners."""

from __future__ import annotations

import asyncio

from django.db import transaction

from designer.fabric.errors import DesignError, Problem
from designer.models import DeployKey, Design, HostKey, NodeAccess, Revision
from designer.models.push import AuditAction

from .audit import audit
from .inventory import Inventory, read_inventory
from .keys import authorized_keys_line, bastion_authorized_keys_line, fingerprint, generate_deploy_key
from .ssh import Unreachable, fetch_host_key


def deploy_key_ensure(*, design: Design, user) -> DeployKey:
    """The design's deploy key, made on first use."""
    existing = DeployKey.objects.filter(design=design).first()
    if existing is not None:
        return existing
    return _make_key(design, user, AuditAction.DEPLOY_KEY_CREATE, push_from=[])


def deploy_key_rotate(*, design: Design, user) -> DeployKey:
    """A new deploy key; the old one stops working on the nodes once their authorized_keys line is replaced."""
    old = DeployKey.objects.filter(design=design).first()
    push_from = old.push_from if old is not None else []
    with transaction.atomic():
        if old is not None:
            old.delete()
        return _make_key(design, user, AuditAction.DEPLOY_KEY_ROTATE, push_from=push_from,
                         old=old.fingerprint if old is not None else None)


def _make_key(design: Design, user, action: str, *, push_from: list[str], old: str | None = None) -> DeployKey:
    key = generate_deploy_key(f"weft-push@{design.slug}")
    deploy = DeployKey.objects.create(design=design, public=key.public, fingerprint=key.fingerprint,
                                      sealed={"private": key.private}, push_from=push_from, created_by=user)
    audit(design=design, actor=user, action=action, detail={"fingerprint": key.fingerprint, "replaced": old})
    return deploy


def deploy_key_private(design: Design) -> str:
    """The deploy key's private half, opened from its seal for the worker's SSH sessions only."""
    return DeployKey.objects.get(design=design).sealed["private"]


def bootstrap_lines(deploy: DeployKey, inventory: Inventory) -> dict[str, str]:
    """The authorized_keys lines an owner installs once: on every node, and on each bastion."""
    lines = {"node": authorized_keys_line(deploy.public, push_from=deploy.push_from)}
    for name in inventory.bastions:
        addresses = [f"{n.address}:{n.port}" for n in inventory.nodes.values() if n.bastion == name]
        lines[f"bastion {name}"] = bastion_authorized_keys_line(deploy.public, push_from=deploy.push_from,
                                                                node_addresses=addresses)
    return lines


def managed_nodes(revision: Revision | None) -> list[str]:
    """The names of the devices of ``revision`` that get a bundle, read from its document (nothing compiled)."""
    devices = revision.document.get("devices", []) if revision is not None else []
    return sorted(d["name"] for d in devices if isinstance(d, dict) and d.get("managed", True) and "name" in d)


def inventory_of(design: Design) -> Inventory:
    rows = NodeAccess.objects.filter(design=design).prefetch_related("host_keys")
    data: dict = {"push_from": _push_from(design), "bastions": {}, "nodes": {}}
    for row in rows:
        entry = {"address": row.address, "port": row.port, "user": row.user,
                 "host_keys": [key.key for key in row.host_keys.all()]}
        if row.is_bastion:
            data["bastions"][row.node] = entry
        else:
            data["nodes"][row.node] = {**entry, "bastion": row.bastion or None}
    return read_inventory(data)


def _push_from(design: Design) -> list[str]:
    deploy = DeployKey.objects.filter(design=design).first()
    return list(deploy.push_from) if deploy is not None else []


def inventory_update(*, design: Design, data, user) -> Inventory:
    """Replace where nodes and bastions are reached. Host keys are kept for hosts whose address and port stay;
    a host that moved loses its pins (its key must be enrolled again), and keys are never set here."""
    inventory = read_inventory(data)
    if any(entry.host_keys for entry in [*inventory.nodes.values(), *inventory.bastions.values()]):
        raise DesignError(Problem("nodes", "host keys are not set with the inventory",
                                  "pin each host key on its own: paste its fingerprint, or fetch it and confirm"))
    with transaction.atomic():
        existing = {(row.node, row.is_bastion): row for row in NodeAccess.objects.filter(design=design)}
        wanted = {**{(name, True): entry for name, entry in inventory.bastions.items()},
                  **{(name, False): entry for name, entry in inventory.nodes.items()}}
        for key, row in existing.items():
            if key not in wanted:
                row.delete()
        for (name, is_bastion), entry in wanted.items():
            row = existing.get((name, is_bastion))
            if row is not None and (row.address, row.port) != (entry.address, entry.port):
                row.host_keys.all().delete()
            NodeAccess.objects.update_or_create(design=design, node=name, is_bastion=is_bastion, defaults={
                "address": entry.address, "port": entry.port, "user": entry.user,
                "bastion": "" if is_bastion else (entry.bastion or "")})
        deploy = deploy_key_ensure(design=design, user=user)
        deploy.push_from = list(inventory.push_from)
        deploy.save(update_fields=["push_from"])
        audit(design=design, actor=user, action=AuditAction.INVENTORY,
              detail={"nodes": sorted(inventory.nodes), "bastions": sorted(inventory.bastions),
                      "push_from": list(inventory.push_from)})
    return inventory_of(design)


def _access(design: Design, node: str, *, bastion: bool) -> NodeAccess:
    row = NodeAccess.objects.filter(design=design, node=node, is_bastion=bastion).first()
    if row is None:
        raise DesignError(Problem("node", f"the inventory has no {'bastion' if bastion else 'node'} named '{node}'",
                                  "add it to the inventory first"))
    return row


def host_key_fetch(*, design: Design, node: str, bastion: bool = False) -> dict[str, str]:
    """The key the host presents now, for a person to compare with the node's console; nothing is pinned."""
    row = _access(design, node, bastion=bastion)
    try:
        key = asyncio.run(fetch_host_key(row.address, row.port))
    except (Unreachable, OSError, TimeoutError) as exc:
        raise DesignError(Problem("node", f"{node} ({row.address}:{row.port}) did not present a host key: {exc}",
                                  "check the address, or paste the key line from the node")) from None
    return {"node": node, "key": key, "fingerprint": fingerprint(key)}


def host_key_pin(*, design: Design, node: str, user, fingerprint_seen: str = "", key: str = "",
                 replace: bool = False, bastion: bool = False) -> HostKey:
    """Pin a host key: a key line pasted from the node, or the fingerprint a person confirmed (the key is
    fetched again and must match it). Replacing pinned keys is an owner's audited re-pin."""
    row = _access(design, node, bastion=bastion)
    if not key:
        if not fingerprint_seen:
            raise DesignError(Problem("fingerprint", "give the fingerprint you confirmed, or the key line"))
        key = host_key_fetch(design=design, node=node, bastion=bastion)["key"]
        if fingerprint(key) != fingerprint_seen.strip():
            raise DesignError(Problem("fingerprint", f"{node} presents {fingerprint(key)}, not the "
                                      f"{fingerprint_seen.strip()} you confirmed: nothing pinned",
                                      "compare with ssh-keygen -lf on the node's console"))
    try:
        seen = fingerprint(key)
    except ValueError as exc:
        raise DesignError(Problem("key", str(exc))) from None
    old = list(row.host_keys.values_list("fingerprint", flat=True))
    if old and not replace:
        raise DesignError(Problem("replace", f"{node} already has pinned key(s) {', '.join(old)}",
                                  "re-pinning replaces them: say replace, as an owner"))
    with transaction.atomic():
        row.host_keys.all().delete()
        pinned = HostKey.objects.create(access=row, key=key.strip(), fingerprint=seen, pinned_by=user)
        audit(design=design, actor=user, action=AuditAction.HOST_KEY_REPIN if old else AuditAction.HOST_KEY_PIN,
              detail={"node": node, "bastion": bastion, "old": old, "new": seen})
    return pinned
