#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The harness's own tests: scripts/ktap.py on sample logs (a pass, a
# failure, a skip, a crash with no summary, a KASAN report, ...). Each
# directory holds output.log, console.log and "exit=N counts=P F S K";
# an optional file "args" adds options (paths relative to the case).
# Prints TAP.
cd "$(dirname "$0")" || exit 1
ktap=../../scripts/ktap.py
cases=$(find . -mindepth 1 -maxdepth 1 -type d | sort)
echo "TAP version 13"
echo "1..$(echo "$cases" | wc -l)"
i=0 bad=0
for c in $cases; do
	i=$((i + 1))
	c=${c#./}
	tmp=$(mktemp)
	args=()
	[ -f "$c/args" ] && read -r -a args < "$c/args"
	(cd "$c" && python3 "../$ktap" --counts "$tmp" "${args[@]}" output.log console.log) > "$tmp.out"
	rc=$?
	got="exit=$rc counts=$(cat "$tmp")"
	want=$(cat "$c/expected")
	if [ "$got" = "$want" ]; then
		echo "ok $i harness: $c"
	else
		echo "not ok $i harness: $c"
		echo "# want: $want"
		echo "# got:  $got"
		sed 's/^/#   /' "$tmp.out"
		bad=1
	fi
	rm -f "$tmp" "$tmp.out"
done
exit $bad
