#!/bin/sh
# run.sh - builds the library and runs the benchmark suite in one command.
#   bench/run.sh                 N = 1,000, 10,000 and 50,000, 15 rounds, and
#                                16,384 listeners on one port vs on 16,384 ports
#   bench/run.sh --quick         N = 300 and the 16,384 listeners, 3 rounds (what CI runs)
#   bench/run.sh [--rounds R] [--reuseport N] N...
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
if [ -n "$udp" ] && [ "${1:-}" = "--quick" ]; then
	set -- --rounds 3 300
elif [ -n "$udp" ] && [ $# -eq 0 ]; then
	set -- --rounds 15 1000 10000
elif [ "${1:-}" = "--quick" ]; then
	set -- --rounds 3 --reuseport 16384 300
elif [ $# -eq 0 ]; then
	set -- --rounds 15 --reuseport 16384 1000 10000 50000
fi
echo "tcpbench on $(nproc) CPUs, kernel $(uname -r)"
exec ./build/bench/tcpbench $udp --json "$out" "$@"
