# Shared helpers for the scripts (sourced, not executed).
# shellcheck shell=bash

step() { printf '\n==> %s\n' "$*" >&2; }
say() { printf '    %s\n' "$*" >&2; }

apt_updated=0
# ensure_apt PACKAGE... : install Debian packages that are missing.
ensure_apt() {
    local missing=()
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "installing with apt: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    if [ "$apt_updated" -eq 0 ]; then
        $sudo apt-get update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_rustup_component NAME : add a rustup component if missing.
ensure_rustup_component() {
    if ! rustup component list --installed 2>/dev/null | grep -q "^$1"; then
        say "installing rustup component $1"
        rustup component add "$1"
    fi
}
