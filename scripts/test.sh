#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh [BASE...]
#
# The test command: the harness's own tests; the backports compared with
# mainline (scripts/compare-series.sh); then for every base (default:
# every bases/*.conf) the series gates, the series applied, a debug kernel
# built and booted and the selftests run, and the build checked after
# each patch (scripts/bisect-check.sh). Ends with one line
# "N passed, N failed, N skipped" summing everything; exits non-zero when
# anything failed or a kernel log showed a problem.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/install-deps.sh"
bases=("$@")
[ ${#bases[@]} -gt 0 ] ||
	mapfile -t bases < <(cd "$TOP/bases" && ls -- *.conf | sed 's/\.conf$//' | sort -r)

start=$(date +%s)
P=0 F=0 S=0 K=0
add() { P=$((P + $1)) F=$((F + $2)) S=$((S + $3)) K=$((K + $4)); }

# tap_count LABEL OUTPUT: print a TAP stream under LABEL and add it up.
tap_count() {
	echo "$2" | sed "s/^/$1: /"
	add "$(echo "$2" | grep -c '^ok ')" "$(echo "$2" | grep -c '^not ok ')" 0 0
}

msg "harness self-tests"
tap_count harness "$("$TOP/tests/harness/run.sh")" || true
mkdir -p "$CACHE/results"

msg "backports against mainline: UAPI header and tests"
tap_count series "$("$TOP/scripts/compare-series.sh" mainline "${bases[@]}" 2>&1)" || true

for b in "${bases[@]}"; do
	msg "$b: series gates (checkpatch, get_maintainer, kernel-doc, UAPI)"
	out=$("$TOP/scripts/check-series.sh" "$b" 2>&1) || true
	tap_count "$b" "$out"
	if ls "$TOP/patches/$b"/0001-*.patch >/dev/null 2>&1; then
		msg "$b: git send-email --dry-run over the series"
		if "$TOP/scripts/mail.sh" "$b" --dry-run \
			--from "Series Check <check@dma-heap-read.invalid>" \
			> "$CACHE/results/$b-mail.log" 2>&1; then
			tap_count "$b" "ok 1 git send-email --dry-run: $(grep -c '^Dry-OK' "$CACHE/results/$b-mail.log") mails"
		else
			tail -n 20 "$CACHE/results/$b-mail.log" | sed 's/^/# /'
			tap_count "$b" "not ok 1 git send-email --dry-run (log: $CACHE/results/$b-mail.log)"
		fi
	fi
	if ! "$TOP/scripts/test-base.sh" "$b"; then
		echo "$b: FAIL: could not build or run (see the messages above)"
		add 0 1 0 0
		continue
	fi
	# After the test run, so that the debug build exists and each
	# step rebuilds only what one patch changes.
	msg "$b: bisectability: build after each patch"
	tap_count "$b" "$("$TOP/scripts/bisect-check.sh" "$b" 2>&1)" || true
	if [ -f "$CACHE/results/$b.counts" ]; then
		read -r p f s k < "$CACHE/results/$b.counts"
		# A kernel log with problems is one failure of that base.
		[ "$k" -eq 0 ] || k=1
		add "$p" "$f" "$s" "$k"
	else
		echo "$b: FAIL: no verdict"
		add 0 1 0 0
	fi
done

msg "test run took $(( $(date +%s) - start ))s"
[ "$K" -eq 0 ] || { echo "kernel logs: problems in $K base(s), one failure each"; F=$((F + K)); }
echo "$P passed, $F failed, $S skipped"
[ "$F" -eq 0 ]
