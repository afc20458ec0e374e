#!/bin/sh
# Take the configuration of leaf1 from design proxmox-evpn into use: run it on leaf1
# as root, from this directory. Every file is checked by the tool that reads it before anything is
# installed; what changed is backed up, installed and loaded, and put back if any step fails.
#
#   ./apply.sh --check                check only        ./apply.sh --diff [--json]    what would change
#   ./apply.sh --confirm-timeout S    roll back on its own unless `./apply.sh --confirm RUN` comes in S s
#   ./apply.sh --health [--json]      sessions, links, tunnels as planned       ./apply.sh --help   the rest
#
# With DESTDIR set, files are installed under that directory (an image being built) and not loaded.
here=$(cd "$(dirname "$0")" && pwd) || exit 2
if ! command -v python3 >/dev/null 2>&1; then
    echo 'apply leaf1: python3 is missing (ifupdown2 needs it too): apt-get install python3' >&2
    exit 2
fi
exec python3 "$here/apply.py" "$@"
