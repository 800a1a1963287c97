#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cma-ab.sh [BASE]
#
# The CMA heap's allocate_async_read against the core's generic path
# (debugfs dma_heap/generic_read), side by side: one boot of the "bench"
# kernel with the series per profile (init_on_alloc=1, then 0), a CMA area
# of CMA_AB_CMA (default 640M), and in each the benchmark's alloc, io,
# heap-generic and heap-async methods on the first CMA heap, CMA_AB_RUNS
# (default 9) rounds, for the bench disk's files of 64 and 256 MiB.
# Prints each run's table; the outputs stay in $CACHE/results/cma-ab-BASE.
. "$(dirname "$0")/lib.sh"

load_base "${1:-mainline}"
RUNS=${CMA_AB_RUNS:-9}

"$TOP/scripts/install-deps.sh"
KDIR=$("$TOP/scripts/build-kernel.sh" "$BASE" bench)
KSFT=$CACHE/kselftest/$BASE-bench
"$TOP/scripts/build-selftests.sh" "$BASE" bench "$KSFT" dmabuf-heaps
IMG=$CACHE/bench-data/disk-64-256-512-1024.img
[ -f "$IMG" ] || die "no $IMG: run make bench once to make the bench disk"

OUT=$CACHE/results/cma-ab-$BASE
rm -rf "$OUT"
mkdir -p "$OUT"
cs=/sys/devices/system/clocksource/clocksource0/current_clocksource
cmd="echo clocksource: \$(cat $cs); cd dmabuf-heaps"
cmd="$cmd; h=/dev/dma_heap/\$(ls /dev/dma_heap | grep -v '^system' | head -n 1); rc=0"
cmd="$cmd; for s in 64 256; do ./dmabuf-heap-load-bench -H \$h -r $RUNS"
cmd="$cmd -m alloc,io,heap-generic,heap-async -t cma-\$s /mnt/disk/model-\$s.bin || rc=1; done; exit \$rc"
for ioa in 1 0; do
	msg "$BASE: CMA heap, op against the generic path, init_on_alloc=$ioa"
	DHR_CMA=${CMA_AB_CMA:-640M} DHR_APPEND="init_on_alloc=$ioa" \
		"$TOP/scripts/run-guest.sh" -k "$KDIR" -x "$KSFT" -d "$IMG" \
		-o "$OUT/boot$ioa" -m 3072M -t 3000 -- "$cmd" > "$OUT/ioa$ioa.out" ||
		die "the boot failed (logs in $OUT/boot$ioa)"
	! grep -q '^clocksource: .*jiffies' "$OUT/ioa$ioa.out" ||
		die "the guest ran on the jiffies clocksource: not timed"
	grep -E '^(file|method|alloc |io |heap-|floor)' "$OUT/ioa$ioa.out"
done
