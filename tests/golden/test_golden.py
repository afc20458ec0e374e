"""Every example's bundle, file by file, against the expected output kept beside this test.

The expected files change only on purpose: ``make golden`` (``WEFT_REGENERATE_GOLDEN=1``) rewrites
them from the current code, and the diff is then reviewed like any other change.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from designer.fabric.bundle import Bundle
from tests.conftest import EXAMPLE_NAMES
from tests.render.bundles import bundle

GOLDEN = Path(__file__).resolve().parent
REGENERATE = os.environ.get("WEFT_REGENERATE_GOLDEN", "") not in ("", "0")
SHOWN_DIFFS = 3
ENGINE = "apply.py"  # each node's copy of designer/fabric/apply/engine.py: its bytes are that source file


def _kept(path: str) -> bool:
    return path.rpartition("/")[2] != ENGINE


def _expected(directory: Path) -> dict[str, bytes]:
    return {path.relative_to(directory).as_posix(): path.read_bytes()
            for path in sorted(directory.rglob("*")) if path.is_file() and _kept(path.name)}


def _diff(path: str, expected: bytes, actual: bytes) -> str:
    lines = difflib.unified_diff(expected.decode().splitlines(), actual.decode().splitlines(),
                                 f"expected/{path}", f"generated/{path}", lineterm="", n=2)
    return "\n".join(list(lines)[:60])


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_bundle_matches_the_golden_files(name):
    built = bundle(name)
    generated = Bundle(built.name, {path: data for path, data in built.files.items() if _kept(path)}, built.modes)
    directory = GOLDEN / name
    if REGENERATE:
        shutil.rmtree(directory, ignore_errors=True)
        generated.write_dir(directory)
    expected = _expected(directory)
    missing, extra = sorted(set(expected) - set(generated.files)), sorted(set(generated.files) - set(expected))
    assert not missing and not extra, (f"files no longer generated: {missing}; new files: {extra}; "
                                       "regenerate on purpose with `make golden`")
    # the files themselves first; the manifest and checksums change with any of them
    changed = sorted((path for path, data in generated.files.items() if expected[path] != data),
                     key=lambda path: (path in ("manifest.json", "SHA256SUMS"), path))
    assert not changed, "\n\n".join(
        [f"{len(changed)} files differ from tests/golden/{name} (regenerate on purpose with `make golden`)"]
        + [_diff(path, expected[path], generated.files[path]) for path in changed[:SHOWN_DIFFS]])
