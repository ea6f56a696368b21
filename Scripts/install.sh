#!/usr/bin/env bash
# Installs the built baton and baton-bench where a user's shell finds them: /usr/local/bin as
# root, else ~/.local/bin (BATON_BIN_DIR overrides), and says where, and how to put that folder
# on the PATH when it is not. Scripts/setup.sh runs it after the release build; InstallScriptTests
# runs it on the test build with a scratch HOME.
#   usage: bash Scripts/install.sh [BUILD_DIR]     (default: .build/release)
# Copies, not links, so a later 'swift build' in this checkout cannot half-replace the binary;
# each copy is renamed into place, so a running baton is never overwritten mid-file.
set -euo pipefail
build_dir="${1:-.build/release}"
for tool in baton baton-bench; do
    if [ ! -x "$build_dir/$tool" ]; then
        echo "error: $build_dir/$tool is not built (swift build -c release --product $tool)" >&2
        exit 1
    fi
done
if [ "$(id -u)" -eq 0 ]; then bin_dir="${BATON_BIN_DIR:-/usr/local/bin}"; else bin_dir="${BATON_BIN_DIR:-$HOME/.local/bin}"; fi
mkdir -p "$bin_dir"
for tool in baton baton-bench; do
    install -m 0755 "$build_dir/$tool" "$bin_dir/$tool.part" && mv "$bin_dir/$tool.part" "$bin_dir/$tool"
done
echo "installed: $bin_dir/baton"
case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) echo "note: $bin_dir is not on your PATH; add it with: export PATH=\"$bin_dir:\$PATH\" (e.g. in ~/.profile)" ;;
esac
