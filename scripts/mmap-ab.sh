#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mmap-ab.sh [BASE]
#
# A/B of the mmap patch on BASE (default mainline): build the "bench"
# kernel of BASE with the series and without it (build-kernel.sh
# --unpatched), boot each MMAP_AB_BOOTS times (default 2), alternating,
# and run dmabuf-heap-mmap-bench -s MMAP_AB_MIB (default 512) -n 9 in each
# boot. Prints the median over the boots of each kernel's mmap+touch and
# munmap medians, the ratio patched/unpatched and the goal (<= 1.2).
# The program is the series' own; it runs unchanged on the unpatched
# kernel, which only lacks the mapping code under test.
. "$(dirname "$0")/lib.sh"

load_base "${1:-mainline}"
BOOTS=${MMAP_AB_BOOTS:-2}
MIB=${MMAP_AB_MIB:-512}

"$TOP/scripts/install-deps.sh"
PATCHED=$("$TOP/scripts/build-kernel.sh" "$BASE" bench)
UNPATCHED=$("$TOP/scripts/build-kernel.sh" --unpatched "$BASE" bench)
KSFT=$CACHE/kselftest/$BASE-bench
"$TOP/scripts/build-selftests.sh" "$BASE" bench "$KSFT" dmabuf-heaps
[ -x "$KSFT/dmabuf-heaps/dmabuf-heap-mmap-bench" ] ||
	die "patches/$BASE has no dmabuf-heap-mmap-bench"

OUT=$CACHE/results/mmap-ab-$BASE
rm -rf "$OUT"
mkdir -p "$OUT"
for i in $(seq 1 "$BOOTS"); do
	for k in unpatched patched; do
		kdir=$PATCHED
		[ $k = patched ] || kdir=$UNPATCHED
		msg "$BASE $k, boot $i of $BOOTS"
		"$TOP/scripts/run-guest.sh" -k "$kdir" -x "$KSFT" -o "$OUT/$k-$i" -t 900 -- \
			"./dmabuf-heaps/dmabuf-heap-mmap-bench -s $MIB -n 9" > "$OUT/$k-$i.out" ||
			die "$k boot $i failed (logs in $OUT/$k-$i)"
		grep 'mmap+touch median' "$OUT/$k-$i.out" ||
			die "no result from the $k kernel (see $OUT/$k-$i.out)"
	done
done

# med KERNEL FIELD: the median over the boots of one printed median.
med() {
	sed -n "s/.*$2 median \([0-9.]*\) ms.*/\1/p" "$OUT/$1"-*.out | sort -n |
		awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
			else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
pm=$(med patched mmap+touch) um=$(med unpatched mmap+touch)
pu=$(med patched munmap) uu=$(med unpatched munmap)
echo
echo "$BASE, $MIB MiB, median of $BOOTS boots x 9 runs (ms):"
printf '| kernel | mmap+touch | munmap |\n|---|---:|---:|\n'
printf '| unpatched | %s | %s |\n| patched | %s | %s |\n' "$um" "$uu" "$pm" "$pu"
awk -v p="$pm" -v u="$um" 'BEGIN { r = p / u;
	printf "patched / unpatched mmap+touch: %.2f (goal <= 1.2: %s)\n", r, r <= 1.2 ? "met" : "NOT met" }'
