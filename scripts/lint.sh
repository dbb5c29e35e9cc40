#!/bin/sh
# lint.sh - cppcheck and clang-tidy (configuration: .clang-tidy) over the
# shipped code: the library (src/) and the tcptable command (tools/).  The
# BSD backends' pure files are linted as the tests build them here (on the
# transcribed records); their sysctl I/O files need BSD headers and are
# checked by scripts/bsd-check.sh instead.  Any finding fails.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
[ -f build/compile_commands.json ] || meson setup build >/dev/null
bsd_files=$(ls src/bsd/owners.c src/bsd/*/walker.c src/bsd/*/collect.c)
files="$(ls src/common/*.c src/linux/*.c tools/tcptable/*.c) $bsd_files"
echo "cppcheck: $(echo "$files" | wc -w) files"
cppcheck --enable=warning,style,performance,portability --std=c11 --inline-suppr \
	--error-exitcode=1 --quiet -D__linux__ -D_GNU_SOURCE \
	-Iinclude -Isrc/common -Isrc/linux --suppress=missingIncludeSystem \
	$(ls src/common/*.c src/linux/*.c tools/tcptable/*.c)
# shellcheck disable=SC2086
cppcheck --enable=warning,style,performance,portability --std=c11 --inline-suppr \
	--error-exitcode=1 --quiet -DTT_BSD_TRANSCRIBED -Iinclude -Isrc/common -Isrc/bsd \
	-Itests/bsd --suppress=missingIncludeSystem $bsd_files
echo "clang-tidy: $(echo "$files" | wc -w) files"
# shellcheck disable=SC2086
clang-tidy -p build --quiet $files 2>&1 | grep -vE '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' |
	tee build/clang-tidy.log
if grep -q 'error:' build/clang-tidy.log; then
	echo "clang-tidy: findings above"
	exit 1
fi
echo "lint: clean"
