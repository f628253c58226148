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
    # (grep reads a here-string: with pipefail, `list | grep -q` can fail on SIGPIPE)
    if ! grep -q "^$1" <<<"$(rustup component list --installed 2>/dev/null)"; then
        say "installing rustup component $1"
        rustup component add "$1"
    fi
}

# sudo_if_needed: prints "sudo" when not root (for commands that need root).
sudo_if_needed() { [ "$(id -u)" -ne 0 ] && echo sudo || true; }

# ensure_valgrind : install valgrind from Debian (callgrind counts instructions
# for the gungraun suites).
ensure_valgrind() {
    if command -v valgrind >/dev/null 2>&1; then
        return 0
    fi
    say "valgrind missing: installing it with apt (instruction counts)"
    ensure_apt valgrind
}

# locked_version CRATE : the version of CRATE recorded in Cargo.lock (empty if absent).
locked_version() {
    awk -v name="$1" '
        $0 == "name = \"" name "\"" { found = 1; next }
        found && /^version = / { gsub(/"/, "", $3); print $3; exit }
    ' Cargo.lock
}

# ensure_cargo_tool CRATE VERSION BINARY : `cargo install CRATE --version VERSION
# --locked` unless `BINARY --version` already reports VERSION.
ensure_cargo_tool() {
    local crate="$1" version="$2" binary="$3"
    if command -v "$binary" >/dev/null 2>&1 \
        && grep -qw -- "$version" <<<"$("$binary" --version 2>/dev/null)"; then
        return 0
    fi
    say "installing $crate $version with cargo install (a few minutes on 2 cores)"
    cargo install "$crate" --version "$version" --locked
}

# ensure_gungraun_runner : install gungraun-runner at exactly the version of the
# `gungraun` library in Cargo.lock (the runner refuses any other version), plus
# valgrind which it drives.
ensure_gungraun_runner() {
    ensure_valgrind
    local version
    version="$(locked_version gungraun)"
    if [ -z "$version" ]; then
        echo "gungraun is not in Cargo.lock" >&2
        return 1
    fi
    ensure_cargo_tool gungraun-runner "$version" gungraun-runner
}


# ensure_pylibsrtp : the libsrtp binding used by the SRTP cross-check test
# (core/tests/srtp_libsrtp.rs). Installs python3 + pip from apt if missing.
ensure_pylibsrtp() {
    if python3 -c 'import pylibsrtp' >/dev/null 2>&1; then
        return 0
    fi
    command -v python3 >/dev/null 2>&1 || ensure_apt python3
    python3 -m pip --version >/dev/null 2>&1 || ensure_apt python3-pip
    say "installing pylibsrtp with pip (libsrtp reference for the SRTP tests)"
    python3 -m pip install --quiet pylibsrtp 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages pylibsrtp
}

# ensure_aiortc : aiortc (PyPI), the third data channel peer of the interop
# matrix (interop/tests/browsers.rs, interop/pages/aiortc-peer.py).
ensure_aiortc() {
    if python3 -c 'import aiortc' >/dev/null 2>&1; then
        return 0
    fi
    command -v python3 >/dev/null 2>&1 || ensure_apt python3
    python3 -m pip --version >/dev/null 2>&1 || ensure_apt python3-pip
    say "installing aiortc with pip (data channel peer for the interop matrix)"
    python3 -m pip install --quiet aiortc 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages aiortc
}

# ensure_interop_peers : everything the interop matrix starts: headless
# Chromium + chromedriver, Firefox ESR + geckodriver (a crate), aiortc,
# coturn (STUN scenario), tshark (captures of scripts/interop), and
# unshare/ip for the loopback-only namespace.
ensure_interop_peers() {
    ensure_apt chromium chromium-driver firefox-esr coturn tshark iproute2 util-linux python3
    ensure_cargo_tool geckodriver 0.37.1 geckodriver
    ensure_aiortc
}
