"""DNS: a BIND zone with every node, loopback and VTEP, and the reverse zones for them (seed 003)."""

from __future__ import annotations

from ..plan.model import DnsPlan, Plan
from ..plan.services import reverse_zones
from .target import BundleFolder
from .templating import render

BUNDLE_FOLDER = BundleFolder("dns", "a BIND zone file; load it on the zone's primary nameserver "
                                    "(`named-checkzone` first).")

# SOA timers: refresh, retry, expire, negative-answer TTL (seconds); RFC 1912's usual values
REFRESH, RETRY, EXPIRE, NEGATIVE_TTL = 3600, 900, 1209600, 3600


def design_files(plan: Plan) -> dict[str, str]:
    dns = plan.dns
    if dns is None:
        return {}
    zones = {dns.zone: [(r.name, r.type, r.value) for r in dns.records]}
    for zone, pointers in reverse_zones(dns).items():
        zones[zone] = [(label, "PTR", name) for label, name in pointers]
    return {f"{BUNDLE_FOLDER.name}/{zone}.zone": _zone(plan, dns, zone, records) for zone, records in zones.items()}


def _zone(plan: Plan, dns: DnsPlan, origin: str, records: list[tuple[str, str, str]]) -> str:
    nameservers = [_fqdn(name, dns.zone) for name in dns.nameservers]
    contact = _fqdn(dns.contact.replace("@", "."), dns.zone)
    return render("dns/zone.j2", plan=plan, dns=dns, origin=origin, nameservers=nameservers, contact=contact,
                  records=records, timers=(REFRESH, RETRY, EXPIRE, NEGATIVE_TTL))


def _fqdn(name: str, zone: str) -> str:
    return name if name.endswith(".") else f"{name}.{zone}."
