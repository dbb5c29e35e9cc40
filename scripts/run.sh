#!/bin/sh
# run.sh - the main job: installs what is missing, builds, and shows this
# machine's live TCP table through the library.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
exec ./build/examples/get_tcp_table2 "$@"
