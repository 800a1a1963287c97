#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Show that the system heap overlaps allocation with reads: trace one
# O_DIRECT load of a 64 MiB file and count the read batches submitted
# while the buffer was still being allocated (allocated < total). Prints
# TAP; prints nothing on a kernel without the system_heap tracepoint.
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs tracefs $T 2>/dev/null
ev=$T/events/system_heap/system_heap_read_batch
[ -d $ev ] || exit 0
bench=${1:-./dmabuf-heaps/dmabuf-heap-load-bench}
f=/mnt/disk/overlap-check.bin

echo "TAP version 13"
echo "1..1"
dd if=/dev/urandom of=$f bs=1M count=64 2>/dev/null && sync
echo > $T/trace
echo 1 > $ev/enable
$bench -r 1 -m heap-async $f > /tmp/overlap-bench.out 2>&1
rc=$?
echo 0 > $ev/enable
grep 'system_heap_read_batch:' $T/trace > /tmp/overlap-trace.txt
rm -f $f
total=$(wc -l < /tmp/overlap-trace.txt)
early=$(sed -n 's/.*allocated=\([0-9]*\)\/\([0-9]*\) inflight=\([0-9]*\).*/\1 \2 \3/p' \
	/tmp/overlap-trace.txt | awk '$1 < $2 { n++ } END { print n + 0 }')
maxin=$(sed -n 's/.* inflight=\([0-9]*\).*/\1/p' /tmp/overlap-trace.txt | sort -n | tail -n 1)
echo "# $total read batches, $early submitted before allocation finished, up to ${maxin:-0} in flight"
if [ $rc -eq 0 ] && grep -q verified /tmp/overlap-bench.out && [ "$early" -gt 0 ]; then
	echo "ok 1 system heap: reads in flight before allocation finished"
else
	sed 's/^/# /' /tmp/overlap-bench.out
	echo "not ok 1 system heap: reads in flight before allocation finished"
fi
