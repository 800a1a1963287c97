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
RES=$CACHE/results
mkdir -p "$RES"
# Everything printed is kept, so that the failures can be listed again
# next to the summary: CI may show only the head and the tail of a log.
LOG=$RES/test-output.log
exec > >(tee "$LOG") 2>&1
msg "repository revision $(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown)"
P=0 F=0 S=0 K=0 G=0
add() { P=$((P + $1)) F=$((F + $2)) S=$((S + $3)) K=$((K + $4)); }

# gate LABEL CMD...: run one TAP producer and count its stream with
# scripts/ktap.py, like the guest's: its plan is enforced (a gate that
# dies before its last result has the missing ones counted as failures),
# and a non-zero exit with no failing result is one failure more.
gate() {
	local label=$1 log rc p f s k
	shift
	G=$((G + 1))
	log=$RES/gate-$G-$label.tap
	set +e
	"$@" > "$log" 2>&1
	rc=$?
	set -e
	sed "s/^/$label: /" "$log"
	python3 "$TOP/scripts/ktap.py" --name "$label" --counts "$log.counts" "$log" |
		grep -E "^$label: ((FAIL|SKIP):|[0-9]+ passed, )" || true
	read -r p f s k < "$log.counts"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$label: FAIL: '$*' exited with status $rc and no failing result"
		f=1
	fi
	add "$p" "$f" "$s" 0
}

# mail_dry_run BASE: git send-email --dry-run over the series, stamped
# with a sample sender, and a real send refused for a placeholder sender;
# as TAP.
mail_dry_run() {
	local log=$RES/$1-mail.log sender="Sample Sender <sample.sender@dma-heap-read.example>"
	local n

	echo "TAP version 13"
	echo "1..3"
	if DHR_SENDER=$sender "$TOP/scripts/mail.sh" "$1" --dry-run > "$log" 2>&1; then
		echo "ok 1 git send-email --dry-run: $(grep -c '^Dry-OK' "$log") mails"
	else
		tail -n 20 "$log" | sed 's/^/# /'
		echo "not ok 1 git send-email --dry-run (log: $log)"
	fi
	# Every mail is from the sender and signed off by the sender alone.
	n=$(find "$CACHE/mail-$1" -name '0*.patch' | wc -l)
	if [ "$(grep -l "^From: $sender\$" "$CACHE/mail-$1"/0*.patch | wc -l)" = "$n" ] &&
	   [ "$(grep -l "^Signed-off-by: $sender\$" "$CACHE/mail-$1"/0*.patch | wc -l)" = "$((n - 1))" ] &&
	   ! grep -q '\.invalid>' "$CACHE/mail-$1"/0*.patch; then
		echo "ok 2 the $n mails are from, and signed off by, the sender: $(grep -m1 '^Signed-off-by:' "$CACHE/mail-$1"/0001-*.patch)"
	else
		echo "not ok 2 the mails carry the sender's From: and Signed-off-by: (in $CACHE/mail-$1)"
	fi
	# A real send as a placeholder is refused before git send-email runs.
	if ! DHR_SENDER="Nobody <nobody@dma-heap-read.invalid>" "$TOP/scripts/mail.sh" "$1" \
			> "$log.refused" 2>&1 && grep -q 'refusing to send' "$log.refused" &&
	   ! grep -q 'Dry-OK\|^OK\|Result:' "$log.refused"; then
		echo "ok 3 sending as a placeholder identity is refused"
	else
		sed 's/^/# /' "$log.refused" | tail -n 5
		echo "not ok 3 sending as a placeholder identity is refused (log: $log.refused)"
	fi
}

# figures_check: the benchmark figures the README and the cover letters
# quote are docs/BENCH.md's (scripts/figures.sh); as TAP.
figures_check() {
	local out

	echo "TAP version 13"
	echo "1..1"
	if out=$("$TOP/scripts/figures.sh" check 2>&1); then
		echo "ok 1 README and cover letters quote docs/BENCH.md's headline table"
	else
		printf '%s\n' "$out" | sed 's/^/# /'
		echo "not ok 1 README and cover letters quote docs/BENCH.md's headline table"
	fi
}

msg "harness self-tests"
gate harness "$TOP/tests/harness/run.sh"
msg "quoted figures: README and cover letters against docs/BENCH.md"
gate figures figures_check

msg "backports against mainline: UAPI header and tests"
gate series "$TOP/scripts/compare-series.sh" mainline "${bases[@]}"

for b in "${bases[@]}"; do
	msg "$b: series gates (checkpatch, get_maintainer, kernel-doc, UAPI)"
	gate "$b" "$TOP/scripts/check-series.sh" "$b"
	if ls "$TOP/patches/$b"/0001-*.patch >/dev/null 2>&1; then
		msg "$b: git send-email --dry-run over the series"
		gate "$b" mail_dry_run "$b"
	fi
	if ! "$TOP/scripts/test-base.sh" "$b"; then
		echo "$b: FAIL: could not build or run (see the messages above)"
		add 0 1 0 0
		continue
	fi
	# After the test run, so that the debug build exists and each
	# step rebuilds only what one patch changes.
	msg "$b: bisectability: build after each patch"
	gate "$b" "$TOP/scripts/bisect-check.sh" "$b"
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
verdict "$LOG" "$P" "$F" "$S"
