"""The plan as tables people read: IP, ASN, MTU, VNI, BGP sessions and cabling; text, Markdown, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from .plan.model import Plan


@dataclass(frozen=True, slots=True)
class Table:
    """One plan table: its name, title, columns and rows of text."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "columns": list(self.columns),
                "rows": [dict(zip(self.columns, row, strict=True)) for row in self.rows]}


def _s(value: object) -> str:
    return "" if value is None else str(value)


def ip_table(plan: Plan) -> Table:
    rows = []
    for device in plan.devices.values():
        for iface in device.interfaces:
            for address in iface.addresses:
                rows.append((device.name, iface.name, address, iface.purpose or iface.kind, _s(iface.gateway)))
        for wg in device.wireguard:
            for address in wg.addresses:
                rows.append((device.name, wg.interface, address, "wireguard vtep", ""))
            for address in wg.vxlan_addresses:
                rows.append((device.name, _s(wg.vxlan_interface), address, "mesh overlay", ""))
    return Table("ip", "IP addresses", ("device", "interface", "address", "purpose", "gateway"), rows)


def asn_table(plan: Plan) -> Table:
    rows = [(d.name, d.role, _s(d.rack), _s(d.asn), _s(d.router_id), _s(d.loopback_v4), _s(d.loopback_v6),
             _s(d.vtep)) for d in plan.devices.values() if d.asn is not None or d.loopback_v4]
    return Table("asn", "ASNs, router-ids and loopbacks",
                 ("device", "role", "rack", "asn", "router_id", "loopback_v4", "loopback_v6", "vtep"), rows)


def mtu_table(plan: Plan) -> Table:
    rows = []
    # a fabric has a few MTUs on a million interfaces: each is written once, not a string per row
    mtus: dict[int, str] = {}
    for device in plan.devices.values():
        for iface in device.interfaces:
            if iface.mtu is not None:
                mtu = mtus.get(iface.mtu) or mtus.setdefault(iface.mtu, str(iface.mtu))
                rows.append((device.name, iface.name, iface.kind, mtu, iface.mtu_reason))
        for wg in device.wireguard:
            rows.append((device.name, wg.interface, "wireguard", str(wg.mtu), "path MTU minus WireGuard"))
            if wg.vxlan_interface:
                rows.append((device.name, wg.vxlan_interface, "vxlan", str(wg.vxlan_mtu),
                             "WireGuard MTU minus VXLAN"))
    return Table("mtu", "MTUs", ("device", "interface", "kind", "mtu", "why"), rows)


def vni_table(plan: Plan) -> Table:
    rows = []
    for vni in plan.vnis:
        targets = "auto" if not vni.explicit_route_targets else " ".join(sorted(set(
            vni.route_targets_import + vni.route_targets_export)))
        bridges = sorted(set(vni.bridges.values()))
        rows.append((str(vni.vni), vni.name, "l2", _s(vni.vlan), _s(vni.vrf), _s(vni.subnet), _s(vni.gateway),
                     str(vni.mtu), ",".join(bridges), " ".join(plan.devices[d].name for d in vni.vteps), targets))
    for vrf in plan.vrfs:
        if vrf.l3vni is not None:
            targets = " ".join(sorted(set(vrf.route_targets_import + vrf.route_targets_export))) or "auto"
            rows.append((str(vrf.l3vni), vrf.name, "l3", "", vrf.name, "", "", "", "", " ".join(
                plan.devices[d].name for d in vrf.members), targets))
    return Table("vni", "VNIs", ("vni", "name", "type", "vlan", "vrf", "subnet", "gateway", "mtu", "bridge",
                                 "vteps", "route_targets"), rows)


def session_table(plan: Plan) -> Table:
    rows = [(s.id, s.kind, plan.devices[s.a].name, s.a_peer, str(s.a_asn), plan.devices[s.b].name, s.b_peer,
             str(s.b_asn), "yes" if s.evpn else "no") for s in plan.sessions]
    return Table("bgp", "BGP sessions", ("session", "kind", "a", "a_peer", "a_asn", "b", "b_peer", "b_asn",
                                         "evpn"), rows)


def cabling_table(plan: Plan) -> Table:
    rows = [(link.id, plan.devices[link.a_device].name, link.a_interface, plan.devices[link.b_device].name,
             link.b_interface, link.kind, _s(link.a_speed or link.b_speed),
             _s(link.a_mtu) if link.a_mtu == link.b_mtu else f"{link.a_mtu}/{link.b_mtu}", _s(link.subnet))
            for link in plan.links]
    return Table("cabling", "Cabling", ("link", "a", "a_interface", "b", "b_interface", "kind", "speed", "mtu",
                                        "subnet"), rows)


TABLES: dict[str, Callable[[Plan], Table]] = {
    "ip": ip_table, "asn": asn_table, "mtu": mtu_table, "vni": vni_table, "bgp": session_table,
    "cabling": cabling_table}


def all_tables(plan: Plan) -> list[Table]:
    return [table(plan) for table in TABLES.values()]


def to_text(table: Table) -> str:
    header = [table.columns, *table.rows]
    widths = [max(len(row[i]) for row in header) for i in range(len(table.columns))]
    lines = [table.title, "=" * len(table.title)]
    if not table.rows:
        return "\n".join([*lines, "(none)"])
    for index, row in enumerate(header):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


# rows made into text at a time: a table of a million rows (the MTU table of 10,000 nodes) is never also a list of
# a million lines beside its text
_BLOCK = 20_000


def to_markdown(table: Table) -> str:
    head = "\n".join([f"## {table.title}", "", _markdown_line(table.columns), "|" + "---|" * len(table.columns)])
    return f"{head}\n{_in_blocks(table.rows, len(table.columns), _markdown_rows)}"


def _in_blocks(rows: list[tuple[str, ...]], columns: int, render: Callable[[list[tuple[str, ...]], int], str]) -> str:
    return "".join([render(rows[start:start + _BLOCK], columns) for start in range(0, len(rows), _BLOCK)])


def _markdown_rows(rows: list[tuple[str, ...]], columns: int) -> str:
    text = "".join([f"| {' | '.join(row)} |\n" for row in rows])
    # a cell holding a pipe or a line end of its own is rare: looked for over many rows at once, each row is
    # escaped only when some cell has one
    if text.count("|") != (columns + 1) * len(rows) or text.count("\n") != len(rows):
        text = "".join([_markdown_line(row) + "\n" for row in rows])
    return text


def _markdown_line(cells: tuple[str, ...]) -> str:
    """A row of a Markdown table: a pipe in a cell escaped, a line end written as the break a table cell can hold."""
    return "| " + " | ".join(cell.replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")
                             for cell in cells) + " |"


def to_csv(table: Table) -> str:
    """What ``csv.writer`` writes (minimal quoting, ``\\n`` line ends)."""
    return _csv_rows([table.columns], len(table.columns)) + _in_blocks(table.rows, len(table.columns), _csv_rows)


def _csv_rows(rows: list[tuple[str, ...]], columns: int) -> str:
    """Plain cells, as nearly all are, joined with commas directly: a tenth of the csv module's time."""
    text = "".join([f"{','.join(row)}\n" for row in rows])
    if (columns > 1 and text.count(",") == (columns - 1) * len(rows) and text.count("\n") == len(rows)
            and '"' not in text and "\r" not in text):
        return text
    buffer = io.StringIO()  # some cell needs quoting
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
