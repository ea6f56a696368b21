#!/usr/bin/env bash
# Installs the system libraries Baton links (libyaml, libsqlite3) and the reference tools its tests
# compare against (PyPI). Safe to run again: it installs only what is missing.
set -euo pipefail
need_apt=()
for pkg in libyaml-dev libsqlite3-dev sqlite3 pkg-config; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q "${need_apt[@]}"
fi
python3 - <<'PY' || python3 -m pip install -q -r Scripts/requirements-test.txt
import importlib.util, sys
mods = ["jinja2", "croniter"]
missing = [m for m in mods if importlib.util.find_spec(m) is None]
sys.exit(1 if missing else 0)
PY
