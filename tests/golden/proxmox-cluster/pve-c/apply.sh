#!/bin/bash
# Apply the configuration of pve-c from design proxmox-cluster: run it on pve-c, as root,
# from this directory. `./apply.sh --check` only checks the files.
#
# Every file is checked first. Files that differ from the installed ones are backed up, installed
# and loaded; if any step fails, the backup is put back and reloaded and the script exits with 1.
# With DESTDIR set, files are installed under that directory (an image being built) and not loaded.
set -Eeuo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${DESTDIR:-}"
backup=""
changed=()

log() { printf '%s: %s\n' 'apply pve-c' "$*" >&2; }

was_changed() {
    local rel item
    for rel in "$@"; do
        for item in "${changed[@]}"; do
            if [ "$item" = "$rel" ]; then return 0; fi
        done
    done
    return 1
}

install_file() {
    local rel="$1" mode="$2"
    if [ -f "$root/$rel" ] && cmp -s "$here/$rel" "$root/$rel"; then return 0; fi
    if [ -e "$root/$rel" ]; then
        mkdir -p "$backup/$(dirname "$rel")"
        cp -a "$root/$rel" "$backup/$rel"
    fi
    changed+=("$rel")
    install -D -T -m "$mode" "$here/$rel" "$root/$rel"
}

# tools that read the installed tree rather than one file
verify_changed() {
    if [ -n "$root" ]; then return 0; fi
    return 0
}

load_changed() {
    if [ -n "$root" ]; then return 0; fi
    if was_changed etc/network/interfaces; then ifreload -a; fi
    return 0
}

rollback() {
    trap - ERR
    set +e  # put back all that can be put back
    log "a step failed: putting back the files saved in $backup"
    local rel
    for rel in "${changed[@]}"; do
        if [ -e "$backup/$rel" ]; then
            cp -a -T "$backup/$rel" "$root/$rel" || log "could not put back /$rel"
        else
            rm -f "$root/$rel" || log "could not remove /$rel"
        fi
    done
    load_changed || log "reloading the previous files failed too: check this node by hand"
    exit 1
}

need() { command -v "$1" >/dev/null || { log "$1 is missing: install it first"; exit 1; }; }
need ifreload

trap 'log "a check failed: nothing was changed"' ERR
mkdir -p /run/network
ifup --syntax-check -a -i "$here/etc/network/interfaces"
trap - ERR
if [ "${1:-}" = "--check" ]; then
    log "every file passes its check"
    exit 0
fi
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
    log "installing needs root"
    exit 1
fi

mkdir -p "$root/var/backups/fabric"
backup="$(mktemp -d "$root"/var/backups/fabric/pve-c.XXXXXX)"
trap rollback ERR
install_file etc/network/interfaces 644
install_file etc/pve/nodes/pve-c/host.fw 640
verify_changed
load_changed
trap - ERR


if [ "${#changed[@]}" -eq 0 ]; then
    rmdir "$backup"
    log "nothing to do: every file is already installed"
else
    log "installed and loaded ${#changed[@]} files; the previous ones are in $backup"
fi
