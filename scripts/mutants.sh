#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mutants.sh [BASE] [MUTANT...]
#
# Proof that the tests have teeth: for each mutants/*.patch (or the ones
# named), a small deliberately broken change to the series, build the
# debug kernel with it applied on top of patches/BASE (default mainline),
# boot it (with page_poison=1 if its "Poison: yes" line says so) and run
# the tests its "Caught-by:" line names (as test-base.sh's KSFT_TESTS). A
# mutant is caught when a test fails, the kernel log shows a report, or
# the guest hangs or dies. Prints TAP, one result per mutant, naming what caught
# it, then the table mutant -> catcher; fails unless every mutant was
# caught. The plain build is restored by the next normal build (only the
# files a mutant touched are recompiled).
. "$(dirname "$0")/lib.sh"

BASE=mainline
if [ $# -gt 0 ] && [ -f "$TOP/bases/$1.conf" ]; then
	BASE=$1
	shift
fi
if [ $# -gt 0 ]; then
	mutants=()
	for m in "$@"; do
		mutants+=("$TOP/mutants/${m%.patch}.patch")
	done
else
	mapfile -t mutants < <(ls "$TOP"/mutants/*.patch)
fi
RES=$CACHE/results
mkdir -p "$RES"
table=$RES/mutants-$BASE.txt
: > "$table"

echo "TAP version 13"
echo "1..${#mutants[@]}"
i=0 bad=0
for m in "${mutants[@]}"; do
	i=$((i + 1))
	name=$(basename "$m" .patch)
	what=$(sed -n 's/^Mutant: //p' "$m")
	tests=$(sed -n 's/^Caught-by: //p' "$m")
	poison=$(sed -n 's/^Poison: //p' "$m")
	[ -n "$tests" ] || die "$m has no Caught-by: line"
	msg "mutant $i/${#mutants[@]}: $name ($what); running $tests"
	log=$RES/mutant-$BASE-$name.log
	start=$(date +%s)
	DHR_MUTANT=$m DHR_RUN_NAME=mutant-$BASE-$name KSFT_TESTS=$tests \
		DHR_POISON=$([ "$poison" = yes ] && echo 1 || echo 0) \
		GUEST_TIMEOUT=${MUTANT_TIMEOUT:-1500} \
		"$TOP/scripts/test-base.sh" "$BASE" > "$log" 2>&1 || true
	secs=$(( $(date +%s) - start ))
	if [ -f "$RES/mutant-$BASE-$name.counts" ]; then
		read -r _ f _ k < "$RES/mutant-$BASE-$name.counts"
	else
		f=0 k=0
		echo "# $name: no verdict (the build failed?); see $log"
	fi
	# Kernel reports first (they say what broke), without the "cut here"
	# line of a warning; then the failed tests.
	# A guest command that ran no test ("no test result at all", a
	# non-zero exit alone) catches nothing: that is a harness error.
	caught=$( { grep -E "^$BASE(-kunit)?: KERNEL:" "$log" | grep -v 'cut here' || true;
		    grep -E "^$BASE(-kunit)?: FAIL:" "$log" |
			grep -vE 'FAIL: (no test result at all|the guest.s tests ended with status)' ||
			true; } | sed "s/^$BASE[^ ]*: //" | cut -c1-160 | head -n 3)
	if { [ "$f" -gt 0 ] || [ "$k" -gt 0 ]; } && [ -n "$caught" ]; then
		echo "ok $i mutant $name caught ($secs s)"
		printf '%s\n' "$caught" | sed 's/^/#   /'
		printf '%s | %s | %s\n' "$name" "$what" \
			"$(printf '%s' "$caught" | head -n 1)" >> "$table"
	else
		echo "not ok $i mutant $name survived: $what ($secs s; log $log)"
		printf '%s | %s | SURVIVED\n' "$name" "$what" >> "$table"
		bad=1
	fi
done
echo "# mutant | what it breaks | first report that caught it"
sed 's/^/# /' "$table"
exit $bad
