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
# Three boots. The first runs every test. The second boots with
# page_poison=1 (config/poison-tests lists what it runs): freed pages hold
# 0xaa and are checked when handed out again, so a read that never
# happened shows as poison instead of the zeroes of fresh guest memory,
# and a write into a freed page (a read still in flight when its pages
# were freed) is reported by the allocator. The check costs a 20x slower
# page allocator under TCG, hence the short list. The third boots the
# GKI-like kernel (flavour debug+gki, config/gki.config): transparent huge
# pages always on where the others have THP=n, the system heap built as
# a module and loaded by the guest where it is tristate (mainline), and
# init_on_alloc=1; it runs config/gki-tests: the tests of user mappings
# of heap pages, whose madvise() and accounting paths differ with THP,
# loads through the module, and the memory cgroup test; and the KUnit
# suites, from the module where it is one.
#
# Knobs (scripts/mutants.sh uses them): SELFTESTS, the collections;
# KSFT_TESTS, the tests of one boot instead of the two above, each
# "collection:binary", "collection:binary:FIXTURE.VARIANT.TEST,..." (that
# binary's tests only) or "overlap"; DHR_POISON=1 boots that run with
# page_poison=1; DHR_RUN_NAME, the name of the run directory and counts
# file (default test-BASE and BASE); DHR_MUTANT, passed on to
# build-kernel.sh.
#
# Knobs of scripts/test-arm64.sh: DHR_FLAVOUR, the flavour of the normal
# and poison boots (default debug; the GKI-like boot's is DHR_FLAVOUR+gki);
# DHR_BOOTS, which of the boots "normal poison gki" to run (default all
# three); DHR_VARIANT, a name for the kernel's architecture and page size
# ("arm64-16k"...), matched by config/expected-skips and appended to the
# run directories' names. ARCH (scripts/lib.sh) picks the architecture.
. "$(dirname "$0")/lib.sh"

load_base "${1:?usage: test-base.sh BASE}"
TARGETS=${SELFTESTS:-"dmabuf-heaps drivers/dma-buf"}
RES=$CACHE/results
NAME=${DHR_RUN_NAME:-$BASE}
FLAVOUR=${DHR_FLAVOUR:-debug}
BOOTS=" ${DHR_BOOTS:-normal poison gki} "
VARIANT=${DHR_VARIANT:-}
RUN=test-$BASE${VARIANT:+-$VARIANT}
mkdir -p "$RES"
rm -f "$RES/$NAME.counts"

# The selftests are built against the headers of the first kernel built.
case $BOOTS in
*" normal "*|*" poison "*) first=$FLAVOUR ;;
*) first=$FLAVOUR+gki ;;
esac
KBUILD=$("$TOP/scripts/build-kernel.sh" "$BASE" "$first")
KSFT=$CACHE/kselftest/$BASE${VARIANT:+-$VARIANT}
"$TOP/scripts/build-selftests.sh" "$BASE" "$first" "$KSFT" $TARGETS
# At 16 KiB pages upstream's udmabuf test cannot size its huge page
# memfds (guest/udmabuf-large-pages.sh): it runs through that wrapper,
# which turns that one failure into a skip of its last two tests.
case $VARIANT in *-16k)
	if [ -x "$KSFT/drivers/dma-buf/udmabuf" ]; then
		mv "$KSFT/drivers/dma-buf/udmabuf" "$KSFT/drivers/dma-buf/udmabuf.bin"
		cp "$TOP/guest/udmabuf-large-pages.sh" "$KSFT/drivers/dma-buf/udmabuf"
	fi
esac
cp "$TOP/guest/overlap-check.sh" "$KSFT/"

# guest_cmd TEST...: the guest command that runs these tests.
guest_cmd() {
	local t c b list disk cmd='export DMABUF_HEAP_TEST_DIR=/mnt/disk; rc=0'

	for t in "$@"; do
		case $t in
		overlap) cmd="$cmd; sh ./overlap-check.sh || rc=1" ;;
		*:*:*)
			IFS=: read -r c b list disk <<< "$t"
			cmd="$cmd; $(on_disk "${disk:-disk}" \
				"(cd $c && ./$b -r ${list//,/ -r })")" ;;
		*) cmd="$cmd; ./run_kselftest.sh -o 1200 -t $t || rc=1" ;;
		esac
	done
	echo "$cmd; exit \$rc"
}

# on_disk NAME CMD: guest shell code running CMD with its test files on
# the disk mounted at /mnt/NAME (a run-guest.sh -e disk, or the main one),
# failing when that disk is not mounted: the tests would otherwise run
# on the initramfs and skip.
on_disk() {
	echo "if grep -q ' /mnt/$1 ' /proc/mounts; then
	(export DMABUF_HEAP_TEST_DIR=/mnt/$1; $2) || rc=1
else
	echo '# /mnt/$1 is not mounted'; rc=1
fi"
}

# run_boot RUNNAME APPEND GUESTCMD [MEM [DRIVEOPTS [DISK...]]]: boot, run,
# and add up the verdict into P F S K. DRIVEOPTS: QEMU -drive properties
# of the test disk (run-guest.sh -q); DISK: more disks (run-guest.sh -e).
P=0 F=0 S=0 K=0
run_boot() {
	local run=$CACHE/runs/$1 rc start p f s k d edisks=() boot=${BOOT:-normal}

	rm -rf "$run"
	mkdir -p "$run"
	for d in "${@:6}"; do edisks+=(-e "$d"); done
	# The boot's name for config/expected-skips: "normal" or "poison".
	case " $2 " in *" page_poison=1 "*) boot=poison ;; esac
	msg "$BASE: booting the $(basename "$KBUILD" | sed "s/^$BASE-//") kernel ${2:+($2) }for $1"
	start=$(date +%s)
	set +e
	DHR_APPEND="$2 ${DHR_APPEND:-}" \
	"$TOP/scripts/run-guest.sh" -k "$KBUILD" -x "$KSFT" -o "$run" -m "${4:-4G}" \
		${5:+-q "$5"} "${edisks[@]}" \
		-t "${GUEST_TIMEOUT:-2400}" -- "$3" > "$run/run.log" 2>&1
	rc=$?
	set -e
	msg "$BASE: guest finished in $(( $(date +%s) - start ))s with status $rc (logs in $run)"
	case $rc in
	124) echo "$BASE: FAIL: the guest hung (time limit reached); see $run/console.log" ;;
	125) echo "$BASE: FAIL: the guest died without a verdict; see $run/console.log" ;;
	esac
	# run.log also carries run-guest.sh's own messages; the TAP is output.log.
	python3 "$TOP/scripts/ktap.py" --name "$BASE" --counts "$run/counts" \
		--expected-skips "$TOP/config/expected-skips" --base "$BASE" --boot "$boot" \
		${VARIANT:+--variant "$VARIANT"} "$run/output.log" "$run/console.log" || true
	read -r p f s k < "$run/counts"
	if [ "$rc" -ne 0 ]; then
		echo "$BASE: FAIL: the guest's tests ended with status $rc"
		f=$((f + 1))
	fi
	# Built-in KUnit suites ran at boot: their KTAP is on the console.
	sed -n '/^KTAP version/,$p' "$run/console.log" | tr -d '\r' > "$run/kunit.log"
	if [ -s "$run/kunit.log" ]; then
		python3 "$TOP/scripts/ktap.py" --name "$BASE-kunit" --counts "$run/kunit.counts" \
			--expected-skips "$TOP/config/expected-skips" --base "$BASE" --boot "$boot" \
			${VARIANT:+--variant "$VARIANT"} "$run/kunit.log" || true
		read -r kp kf ks _ < "$run/kunit.counts"
		p=$((p + kp)) f=$((f + kf)) s=$((s + ks))
	fi
	# The series' KUnit suites, which config/debug.config asks for, must
	# have reported: a suite that silently did not run is a failure.
	for suite in dma_heap_file:FILE system_heap:SYSTEM; do
		if grep -q "^CONFIG_DMABUF_HEAPS_${suite#*:}_KUNIT_TEST=y" "$TOP/config/debug.config" &&
		   ! grep -qE "^ *# Subtest: ${suite%:*}\$" "$run/kunit.log"; then
			echo "$BASE: FAIL: no result from the ${suite%:*} KUnit suite on the console"
			f=$((f + 1))
		fi
	done
	P=$((P + p)) F=$((F + f)) S=$((S + s)) K=$((K + k))
}

# The poison boot's disk reads at 200 MiB/s: a 16 MiB read batch then
# takes 80 ms, so reads are still in flight when a load fails or is
# killed. Its second disk, "slow", reads at 8 MiB/s: a batch takes 2 s
# there, longer than freeing (and poisoning) a whole failed 128 MiB load
# takes, so a page freed under a read in flight is written after its
# poisoning, and the allocator reports it when the next load takes the
# page again. config/poison-tests says which tests use it.
POISON_DISK=throttling.bps-read=209715200
SLOW_DISK=slow:1G:throttling.bps-read=8388608
# The normal boot's second disk has 4 KiB logical blocks: direct I/O
# there needs 4 KiB-aligned file offsets (STATX_DIOALIGN), where the
# main disk takes 512-byte ones.
DISK4K=disk4k:1G::logical_block_size=4096,physical_block_size=4096
# Dma-buf heap allocations charged to memory cgroups, as on Android
# (file.memcg checks it); 6.12 has no such parameter and ignores it.
NORMAL_APPEND=dma_heap.mem_accounting=1

if [ -n "${KSFT_TESTS:-}" ]; then
	# shellcheck disable=SC2086
	if [ "${DHR_POISON:-0}" = 1 ]; then
		run_boot "${DHR_RUN_NAME:-test-$BASE}" page_poison=1 "$(guest_cmd $KSFT_TESTS)" 2G \
			"$POISON_DISK" "$SLOW_DISK"
	else
		run_boot "${DHR_RUN_NAME:-test-$BASE}" "$NORMAL_APPEND" "$(guest_cmd $KSFT_TESTS)" 4G "" "$DISK4K"
	fi
else
	# One run_kselftest.sh per collection: udmabuf's test needs 1024 huge
	# pages of 2 MiB, which are reserved for it alone.
	# The file tests assert the direct I/O alignment each disk claims:
	# 512 bytes on the main disk, 4 KiB on disk4k, where the direct
	# variants run once more.
	case $BOOTS in *" normal "*)
	run_boot "$RUN" "$NORMAL_APPEND" 'export DMABUF_HEAP_TEST_DIR=/mnt/disk DMABUF_HEAP_TEST_DIO_ALIGN=512; rc=0
for c in '"$TARGETS"'; do
	[ $c = drivers/dma-buf ] && echo 1024 > /proc/sys/vm/nr_hugepages
	./run_kselftest.sh -o 1200 -c $c || rc=1
	echo 0 > /proc/sys/vm/nr_hugepages
done
sh ./overlap-check.sh || rc=1
export DMABUF_HEAP_TEST_DIO_ALIGN=4096
'"$(on_disk disk4k "(cd dmabuf-heaps && ./dmabuf-heap-file -r heap_file.system_direct.dio_alignment -r heap_file.cma_direct.dio_alignment -r heap_file.generic_direct.dio_alignment)")"'
exit $rc' 4G "" "$DISK4K"
	esac
	case $BOOTS in *" poison "*)
	# shellcheck disable=SC2046
	# 2 GiB: poisoning all of the guest's free memory at boot costs time.
	run_boot "$RUN-poison" page_poison=1 \
		"$(guest_cmd $(grep -v '^#' "$TOP/config/poison-tests"))" 2G "$POISON_DISK" \
		"$SLOW_DISK"
	esac
	case $BOOTS in *" gki "*)
	[ "$first" = "$FLAVOUR+gki" ] ||
		KBUILD=$("$TOP/scripts/build-kernel.sh" "$BASE" "$FLAVOUR+gki")
	# The heap that should be a module must be one, loaded.
	modcheck=
	if grep -q '^CONFIG_DMABUF_HEAPS_SYSTEM=m' "$KBUILD/.config"; then
		modcheck='grep -q "^system_heap " /proc/modules ||
	{ echo "# FAIL: system_heap.ko is not loaded"; exit 1; }; '
	fi
	# shellcheck disable=SC2046
	BOOT=gki run_boot "$RUN-gki" "$NORMAL_APPEND init_on_alloc=1" \
		"$modcheck$(guest_cmd $(grep -v '^#' "$TOP/config/gki-tests"))" 4G
	esac
fi
echo "$P $F $S $K" > "$RES/$NAME.counts"
