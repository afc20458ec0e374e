"""Where export archives are kept: they hold WireGuard private keys, so only the server's own user reads them."""

from __future__ import annotations

from pathlib import Path

from django.core.files.storage import FileSystemStorage

PRIVATE_FILE = 0o600
PRIVATE_DIRECTORY = 0o700


class PrivateFileSystemStorage(FileSystemStorage):
    """Files written 0600 in folders 0700, the storage's own folder included, however it came to exist."""

    def __init__(self, **options):
        super().__init__(**{"file_permissions_mode": PRIVATE_FILE,
                            "directory_permissions_mode": PRIVATE_DIRECTORY, **options})

    def _save(self, name: str, content) -> str:
        root = Path(self.location)
        root.mkdir(mode=PRIVATE_DIRECTORY, parents=True, exist_ok=True)
        root.chmod(PRIVATE_DIRECTORY)  # a checkout or an older version may have made it readable to all
        return super()._save(name, content)
