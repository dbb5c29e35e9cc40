#!/bin/sh
# run.sh - builds the library and runs the benchmark suite in one command.
#   bench/run.sh                 N = 1,000, 10,000 and 50,000, 15 rounds
#   bench/run.sh --quick         N = 300, 3 rounds (what CI runs)
#   bench/run.sh [--rounds R] N...
#   bench/run.sh --udp [--quick | --rounds R N...]   the UDP functions on N
#                                UDP sockets (default N = 1,000 and 10,000)
# Needs root (a private network namespace).  Results: a table on stdout and
# bench/results/bench-<date>.json.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build bench/tcpbench >/dev/null
mkdir -p bench/results
udp=
if [ "${1:-}" = "--udp" ]; then
	udp=--udp
	shift
fi
out="bench/results/bench${udp:+-udp}-$(date +%Y%m%d-%H%M%S).json"
if [ "${1:-}" = "--quick" ]; then
	set -- --rounds 3 300
elif [ $# -eq 0 ] && [ -n "$udp" ]; then
	set -- --rounds 15 1000 10000
elif [ $# -eq 0 ]; then
	set -- --rounds 15 1000 10000 50000
fi
echo "tcpbench on $(nproc) CPUs, kernel $(uname -r)"
exec ./build/bench/tcpbench $udp --json "$out" "$@"
