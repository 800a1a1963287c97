#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Show that the system heap overlaps allocation with reads. Trace O_DIRECT
# loads of a 64 MiB file through the system_heap_read_batch tracepoint,
# in 1 MiB batches, and count the batches submitted while the buffer was
# still being allocated (allocated < total) with an earlier direct read
# still in flight (inflight > 0): only those show I/O and allocation
# running at once. A synchronous read, buffered or direct, never leaves a
# read in flight at the next submission.
#
#   1. heap-async (the overlap on): such batches must be seen;
#   2. heap-sync (debugfs system_heap/async_read=N: allocate, then read):
#      none may be seen, or the check could not tell the two apart;
#   3. heap-generic (debugfs dma_heap/generic_read=Y): the core's generic
#      path never reaches the system heap's op, so no batch at all may be
#      traced; otherwise the selftests' generic_direct variant would test
#      the op a second time and the generic path not at all.
#
# A missing tracepoint, a load that fails or loads the wrong bytes, and
# an empty trace are failures. Prints TAP.
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs tracefs $T 2>/dev/null
ev=$T/events/system_heap/system_heap_read_batch
P=/sys/module/system_heap/parameters
bench=${1:-./dmabuf-heaps/dmabuf-heap-load-bench}
f=/mnt/disk/overlap-check.bin
name1="system heap: direct reads in flight while the buffer is allocated"
name2="system heap: none with async_read=N (the check tells the two apart)"
name3="dma_heap/generic_read=Y: the load bypasses the system heap's op"

echo "TAP version 13"
echo "1..3"
if [ ! -d $ev ]; then
	echo "# no tracepoint $ev"
	echo "not ok 1 $name1"
	echo "not ok 2 $name2"
	echo "not ok 3 $name3"
	exit 1
fi
dd if=/dev/urandom of=$f bs=1M count=64 2>/dev/null && sync
old_kb=$(cat $P/read_batch_kb)
echo 1024 > $P/read_batch_kb

# trace_load METHOD: run one verified load; print "batches overlapped
# max_inflight status" from its trace.
trace_load() {
	echo > $T/trace
	echo 1 > $ev/enable
	$bench -J -r 1 -m "$1" $f > /tmp/overlap-$1.out 2>&1
	rc=$?
	echo 0 > $ev/enable
	grep 'system_heap_read_batch:' $T/trace > /tmp/overlap-$1.txt
	grep -q verified /tmp/overlap-$1.out || rc=1
	sed -n 's/.*allocated=\([0-9]*\)\/\([0-9]*\) inflight=\([0-9]*\).*/\1 \2 \3/p' \
		/tmp/overlap-$1.txt |
		awk -v rc=$rc '{ n++; if ($1 < $2 && $3 > 0) o++; if ($3 > m) m = $3 }
			END { print n + 0, o + 0, m + 0, rc }'
}

check() {
	# check NUM NAME METHOD WANT(some|none)
	set -- "$@" $(trace_load $3)
	echo "# $3: $5 read batches, $6 submitted during allocation with reads in flight, up to $7 in flight"
	if [ "$8" -ne 0 ] || [ "$5" -lt 2 ]; then
		sed 's/^/# /' /tmp/overlap-$3.out
		echo "not ok $1 $2"
	elif { [ $4 = some ] && [ "$6" -gt 0 ]; } || { [ $4 = none ] && [ "$6" -eq 0 ]; }; then
		echo "ok $1 $2"
	else
		sed 's/^/# /' /tmp/overlap-$3.txt | head -n 20
		echo "not ok $1 $2"
	fi
}

check 1 "$name1" heap-async some
check 2 "$name2" heap-sync none
set -- $(trace_load heap-generic)
echo "# heap-generic: $1 read batches of the system heap's op"
if [ "$4" -eq 0 ] && [ "$1" -eq 0 ]; then
	echo "ok 3 $name3"
else
	sed 's/^/# /' /tmp/overlap-heap-generic.out
	echo "not ok 3 $name3"
fi
echo $old_kb > $P/read_batch_kb
rm -f $f
