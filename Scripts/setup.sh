#!/usr/bin/env bash
# Set-up for users: installs libyaml and libsqlite3 when missing and builds the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
for pkg in libyaml-dev libsqlite3-dev pkg-config; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q "${need_apt[@]}"
fi
swift build -c release --product baton
