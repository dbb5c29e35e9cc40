#!/bin/sh
# run.sh - the main job: installs what is missing, builds, and shows this
# machine's live TCP table with `tcptable -ano` (the netstat port); other
# tcptable options may be given instead.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
[ $# -gt 0 ] || set -- -ano
exec ./build/tools/tcptable/tcptable "$@"
