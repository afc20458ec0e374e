"""SSH keys of push: the design's deploy key, fingerprints as ``ssh-keygen -lf`` prints them, and the
``authorized_keys`` line that lets the deploy key run the node-side dispatcher and nothing else."""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

DISPATCHER_PATH = "/usr/local/lib/weft/dispatch"


@dataclass(frozen=True, slots=True)
class DeployKey:
    """An ed25519 key pair: ``private`` in OpenSSH format (sealed at rest), ``public`` as one line."""

    private: str
    public: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)


def generate_deploy_key(comment: str) -> DeployKey:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()
    return DeployKey(private, f"{public} {comment}")


def fingerprint(public_line: str) -> str:
    """``SHA256:...`` of an OpenSSH public key line (``type base64 [comment]``), as ``ssh-keygen -lf`` shows it."""
    try:
        blob = base64.b64decode(public_line.split()[1], validate=True)
    except (IndexError, binascii.Error):
        raise ValueError(f"not an OpenSSH public key: {public_line[:40]!r}") from None
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def authorized_keys_line(public_line: str, *, push_from: list[str], dispatcher: str = DISPATCHER_PATH) -> str:
    """The line for ``/root/.ssh/authorized_keys`` on every node: no shell, no forwarding, no pty; only the
    dispatcher runs, whatever command the client asks for; with ``push_from``, only from those addresses."""
    options = ["restrict"]
    if push_from:
        options.append(f'from="{",".join(push_from)}"')
    options.append(f'command="{dispatcher}"')
    return f"{','.join(options)} {public_line}"


def bastion_authorized_keys_line(public_line: str, *, push_from: list[str], node_addresses: list[str]) -> str:
    """The line for a bastion: the key may only open tunnels to the nodes' SSH ports, nothing else."""
    options = ["restrict", "port-forwarding", 'command="/bin/false"']
    if push_from:
        options.insert(1, f'from="{",".join(push_from)}"')
    options += [f'permitopen="{address}"' for address in node_addresses]
    return f"{','.join(options)} {public_line}"
