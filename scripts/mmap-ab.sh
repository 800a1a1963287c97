#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mmap-ab.sh [BASE]
#
# A/B of the mapping patch on BASE (default mainline), side by side in one
# boot of the "bench" kernel with the series: dmabuf-heap-mmap-bench -a
# alternates, run by run, between the system heap's vm_insert_pages()
# mapping and the per-scatterlist-entry remap_pfn_range() mapping it
# replaced (the debugfs switch system_heap/mmap_pfnmap), -s MMAP_AB_MIB
# (default 512) -n MMAP_AB_RUNS (default 15). Prints both medians and the
# ratios against the goals: mmap+touch <= 1.0x, munmap <= 1.5x.
. "$(dirname "$0")/lib.sh"

load_base "${1:-mainline}"
MIB=${MMAP_AB_MIB:-512}
RUNS=${MMAP_AB_RUNS:-15}

"$TOP/scripts/install-deps.sh"
KDIR=$("$TOP/scripts/build-kernel.sh" "$BASE" bench)
KSFT=$CACHE/kselftest/$BASE-bench
"$TOP/scripts/build-selftests.sh" "$BASE" bench "$KSFT" dmabuf-heaps
[ -x "$KSFT/dmabuf-heaps/dmabuf-heap-mmap-bench" ] ||
	die "patches/$BASE has no dmabuf-heap-mmap-bench"

OUT=$CACHE/results/mmap-ab-$BASE
rm -rf "$OUT"
mkdir -p "$OUT"
# A guest that failed to calibrate its TSC ("tsc: Unable to calibrate
# against PIT"; this kernel has no ACPI, so no HPET to fall back on) runs
# on the jiffies clocksource, where every time is a multiple of 4 ms: such
# a boot is not used, and the bench boots again, up to 3 times.
cs=/sys/devices/system/clocksource/clocksource0/current_clocksource
for try in 1 2 3; do
	msg "$BASE: $MIB MiB, $RUNS runs of each mapping, alternating, in one boot"
	"$TOP/scripts/run-guest.sh" -k "$KDIR" -x "$KSFT" -o "$OUT/boot" -t 1800 -- \
		"echo clocksource: \$(cat $cs); ./dmabuf-heaps/dmabuf-heap-mmap-bench -a -s $MIB -n $RUNS" \
		> "$OUT/bench.out" || die "the boot failed (logs in $OUT/boot)"
	grep -q '^clocksource: .*jiffies' "$OUT/bench.out" || break
	[ "$try" -lt 3 ] || die "3 boots in a row ran on the jiffies clocksource"
	msg "$(grep '^clocksource:' "$OUT/bench.out"): not timed; booting again"
done
grep -q 'vm_insert_pages / remap_pfn_range' "$OUT/bench.out" ||
	die "no result (see $OUT/bench.out)"

field() { sed -n "s/^$1: .* $2 median \([0-9.]*\) ms.*/\1/p" "$OUT/bench.out"; }
im=$(field vm_insert_pages mmap+touch) iu=$(field vm_insert_pages munmap)
rm_=$(field remap_pfn_range mmap+touch) ru=$(field remap_pfn_range munmap)
echo
echo "$BASE, $MIB MiB, median of $RUNS runs each, alternating in one boot (ms, TCG, $(sed -n 's/^clocksource: //p' "$OUT/bench.out")):"
printf '| mapping | mmap+touch | munmap |\n|---|---:|---:|\n'
printf '| remap_pfn_range (before) | %s | %s |\n| vm_insert_pages (series) | %s | %s |\n' \
	"$rm_" "$ru" "$im" "$iu"
awk -v a="$im" -v b="$rm_" -v c="$iu" -v d="$ru" 'BEGIN {
	r1 = a / b; r2 = c / d
	printf "vm_insert_pages / remap_pfn_range: mmap+touch %.2f (goal <= 1.0: %s), munmap %.2f (goal <= 1.5: %s)\n",
		r1, r1 <= 1.0 ? "met" : "NOT met", r2, r2 <= 1.5 ? "met" : "NOT met" }'
