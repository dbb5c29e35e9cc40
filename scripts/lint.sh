#!/bin/sh
# lint.sh - cppcheck and clang-tidy (configuration: .clang-tidy) over the
# shipped code: the library (src/) and the tcptable command (tools/).
# Any finding fails.
set -eu
cd "$(dirname "$0")/.."
./scripts/deps.sh
[ -f build/compile_commands.json ] || meson setup build >/dev/null
files=$(ls src/common/*.c src/linux/*.c tools/tcptable/*.c)
echo "cppcheck: $(echo "$files" | wc -l) files"
cppcheck --enable=warning,style,performance,portability --std=c11 --inline-suppr \
	--error-exitcode=1 --quiet -D__linux__ -D_GNU_SOURCE \
	-Iinclude -Isrc/common -Isrc/linux --suppress=missingIncludeSystem $files
echo "clang-tidy: $(echo "$files" | wc -l) files"
# shellcheck disable=SC2086
clang-tidy -p build --quiet $files 2>&1 | grep -vE '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' |
	tee build/clang-tidy.log
if grep -q 'error:' build/clang-tidy.log; then
	echo "clang-tidy: findings above"
	exit 1
fi
echo "lint: clean"
