#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-base.sh BASE
#
# Apply patches/BASE to its base kernel, build the debug flavour and the
# selftests, boot it in QEMU and run the selftests with kselftest's own
# run_kselftest.sh; print the verdict (scripts/ktap.py) and write the
# counts to $CACHE/results/BASE.counts.
#
# Knobs (scripts/mutants.sh uses them): SELFTESTS, the collections;
# KSFT_TESTS, "collection:test ..." to run only those tests (and not the
# overlap check, unless it names "overlap"); DHR_RUN_NAME, the name of the
# run directory and counts file (default test-BASE and BASE); DHR_MUTANT,
# passed on to build-kernel.sh.
. "$(dirname "$0")/lib.sh"

load_base "${1:?usage: test-base.sh BASE}"
TARGETS=${SELFTESTS:-"dmabuf-heaps drivers/dma-buf"}
RES=$CACHE/results
NAME=${DHR_RUN_NAME:-$BASE}
mkdir -p "$RES"
rm -f "$RES/$NAME.counts"

KBUILD=$("$TOP/scripts/build-kernel.sh" "$BASE" debug)
KSFT=$CACHE/kselftest/$BASE
"$TOP/scripts/build-selftests.sh" "$BASE" debug "$KSFT" $TARGETS
cp "$TOP/guest/overlap-check.sh" "$KSFT/"

RUN=$CACHE/runs/${DHR_RUN_NAME:-test-$BASE}
rm -rf "$RUN"
mkdir -p "$RUN"
msg "$BASE: booting the debug kernel and running: $TARGETS"
start=$(date +%s)
set +e
# One run_kselftest.sh per collection: udmabuf's test needs 1024 huge
# pages of 2 MiB, which are reserved for it alone.
if [ -n "${KSFT_TESTS:-}" ]; then
	guestcmd='export DMABUF_HEAP_TEST_DIR=/mnt/disk; rc=0'
	for t in $KSFT_TESTS; do
		case $t in
		overlap) guestcmd="$guestcmd; sh ./overlap-check.sh || rc=1" ;;
		*) guestcmd="$guestcmd; ./run_kselftest.sh -o 1200 -t $t || rc=1" ;;
		esac
	done
	guestcmd="$guestcmd; exit \$rc"
else
guestcmd='export DMABUF_HEAP_TEST_DIR=/mnt/disk; rc=0
for c in '$TARGETS'; do
	[ $c = drivers/dma-buf ] && echo 1024 > /proc/sys/vm/nr_hugepages
	./run_kselftest.sh -o 1200 -c $c || rc=1
	echo 0 > /proc/sys/vm/nr_hugepages
done
sh ./overlap-check.sh || rc=1
exit $rc'
fi
DHR_APPEND="page_poison=1 ${DHR_APPEND:-}" \
"$TOP/scripts/run-guest.sh" -k "$KBUILD" -x "$KSFT" -o "$RUN" -m 4G \
	-t "${GUEST_TIMEOUT:-2400}" -- "$guestcmd" > "$RUN/run.log" 2>&1
rc=$?
set -e
msg "$BASE: guest finished in $(( $(date +%s) - start ))s with status $rc (logs in $RUN)"
case $rc in
124) echo "$BASE: FAIL: the guest hung (time limit reached); see $RUN/console.log" ;;
125) echo "$BASE: FAIL: the guest died without a verdict; see $RUN/console.log" ;;
esac
# run.log also carries run-guest.sh's own messages; the TAP is output.log.
python3 "$TOP/scripts/ktap.py" --name "$BASE" --counts "$RES/$NAME.counts" \
	--expected-skips "$TOP/config/expected-skips" --base "$BASE" \
	"$RUN/output.log" "$RUN/console.log" || true
read -r p f s k < "$RES/$NAME.counts"
[ "$rc" -eq 0 ] || f=$((f + 1))
# Built-in KUnit suites ran at boot: their KTAP is on the console.
sed -n '/^KTAP version/,$p' "$RUN/console.log" | tr -d '\r' > "$RUN/kunit.log"
if [ -s "$RUN/kunit.log" ]; then
	python3 "$TOP/scripts/ktap.py" --name "$BASE-kunit" --counts "$RES/$NAME-kunit.counts" \
		--expected-skips "$TOP/config/expected-skips" --base "$BASE" \
		"$RUN/kunit.log" || true
	read -r kp kf ks _ < "$RES/$NAME-kunit.counts"
	p=$((p + kp)) f=$((f + kf)) s=$((s + ks))
fi
# The system heap's KUnit suite, which config/debug.config asks for,
# must have reported: a suite that silently did not run is a failure.
if grep -q '^CONFIG_DMABUF_HEAPS_SYSTEM_KUNIT_TEST=y' "$TOP/config/debug.config" &&
   ! grep -qE '^ *# Subtest: system_heap$' "$RUN/kunit.log"; then
	echo "$BASE: FAIL: no result from the system_heap KUnit suite on the console"
	f=$((f + 1))
fi
echo "$p $f $s $k" > "$RES/$NAME.counts"
