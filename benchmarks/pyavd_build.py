"""Arista AVD (pyavd) from inputs to every device's EOS configuration, as one process: run by the peers' Python.

``pyavd_build.py INPUTS.json OUT_DIR``: validates each device's inputs, builds the fabric's facts, each
device's structured configuration and its CLI configuration, and writes ``OUT_DIR/<device>.cfg``.
"""

import json
import sys
from pathlib import Path

from pyavd import get_avd_facts, get_device_config, get_device_structured_config, validate_inputs


def main() -> int:
    inputs, out = json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    validated = {}
    for host, data in inputs.items():
        result = validate_inputs(data)
        if result.validated_data is None:
            print(f"{host}: {[str(e) for e in result.validation_result.validation_errors][:3]}", file=sys.stderr)
            return 1
        validated[host] = result.validated_data
    facts = get_avd_facts(validated)
    for host, data in validated.items():
        config = get_device_config(get_device_structured_config(host, data, facts))
        (out / f"{host}.cfg").write_text(config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
