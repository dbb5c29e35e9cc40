#!/bin/sh
# soak.sh - the full soak run: 60 s, 4 threads calling every table function
# while 1,000 connections a second open and close in the same namespace;
# then descriptors and resident memory must be back at their starting level.
# (The test suite runs 10 s of it.)  Needs root.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build tests/soak >/dev/null
exec ./build/tests/soak --seconds "${1:-60}" --threads 4 --rate 1000
