#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [--quick | --sweep] [BASE]
#
# Build the "bench" kernel of BASE (default mainline) and the selftests
# with dmabuf-heap-load-bench, make an ext4 disk holding model-sized files
# of random data, and boot once per scenario and size, loading the file
# into a dma-buf every way (see the program's header). Prints one table
# per boot and writes all rows to $CACHE/results/bench-BASE.csv, plus a
# plot (bench-BASE.png) when gnuplot is there.
#
# --quick: one size and two scenarios (the README's main command).
# --sweep: the system heap's tuning, 512 MiB, unthrottled and at the
#   io-bound rate: heap-async for every read_batch_kb x max_reads_in_flight
#   of BENCH_BATCH_KB x BENCH_INFLIGHT, one boot per rate; prints a table
#   per rate and writes $CACHE/results/sweep-BASE.csv.
# Scenarios: NAME:READ_BYTES_PER_SECOND(0 = unlimited):PRESSURE(0|1).
. "$(dirname "$0")/lib.sh"

QUICK=0 SWEEP=0
case ${1:-} in
--quick) QUICK=1; shift ;;
--sweep) SWEEP=1; shift ;;
esac
load_base "${1:-mainline}"
if [ $SWEEP -eq 1 ]; then
	SIZES=512
	SCENARIOS=${BENCH_SCENARIOS:-"clean:0:0 io-bound:157286400:0"}
	RUNS=${BENCH_RUNS:-3}
	BATCH_KB=${BENCH_BATCH_KB:-"256 1024 4096 16384"}
	INFLIGHT=${BENCH_INFLIGHT:-"1 2 4 8"}
elif [ $QUICK -eq 1 ]; then
	SIZES=${BENCH_SIZES:-512}
	SCENARIOS=${BENCH_SCENARIOS:-"clean:0:0 pressure:0:1"}
	RUNS=${BENCH_RUNS:-3}
else
	SIZES=${BENCH_SIZES:-"64 256 512 1024"}
	# balanced: 750 MiB/s, where reading 512 MiB takes about as long as a
	# plain 512 MiB allocation in QEMU TCG.
	SCENARIOS=${BENCH_SCENARIOS:-"clean:0:0 io-bound:157286400:0 balanced:786432000:0 pressure:0:1"}
	RUNS=${BENCH_RUNS:-5}
fi
MEM_MB=${BENCH_MEM_MB:-3072}

"$TOP/scripts/install-deps.sh"
KBUILD=$("$TOP/scripts/build-kernel.sh" "$BASE" bench)
KSFT=$CACHE/kselftest/$BASE-bench
"$TOP/scripts/build-selftests.sh" "$BASE" bench "$KSFT" dmabuf-heaps
BENCH=$KSFT/dmabuf-heaps/dmabuf-heap-load-bench
[ -x "$BENCH" ] ||
	die "patches/$BASE has no tools/testing/selftests/dmabuf-heaps/dmabuf-heap-load-bench"

# The data: random bytes, made once and kept with the image.
DATA=$CACHE/bench-data
IMG=$DATA/disk-$(echo $SIZES | tr ' ' '-').img
if [ ! -f "$IMG" ]; then
	msg "making the bench disk (files of $SIZES MiB and a 1 GiB filler)"
	rm -rf "$DATA/files" && mkdir -p "$DATA/files"
	total=1024
	for s in $SIZES; do
		head -c "$((s << 20))" /dev/urandom > "$DATA/files/model-$s.bin"
		total=$((total + s))
	done
	head -c 1G /dev/urandom > "$DATA/files/filler.bin"
	truncate -s $((total + total / 8 + 256))M "$IMG.tmp"
	mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 -d "$DATA/files" "$IMG.tmp"
	rm -rf "$DATA/files"
	mv "$IMG.tmp" "$IMG"
fi

mkdir -p "$CACHE/results" "$CACHE/runs"
if [ $SWEEP -eq 1 ]; then
	CSV=$CACHE/results/sweep-$BASE.csv
	P=/sys/module/system_heap/parameters
	echo "scenario,bytes,method,status,median_ms,x_floor,cache_growth_kib" > "$CSV"
	for sc in $SCENARIOS; do
		IFS=: read -r name rate _ <<< "$sc"
		drive=""
		[ "$rate" -gt 0 ] && drive="throttling.bps-read=$rate"
		f=/mnt/disk/model-512.bin
		cmd="cd dmabuf-heaps; ./dmabuf-heap-load-bench -r $RUNS -m alloc,io,heap-sync -t $name.floor $f"
		for kb in $BATCH_KB; do
			for q in $INFLIGHT; do
				cmd="$cmd; echo $kb > $P/read_batch_kb; echo $q > $P/max_reads_in_flight"
				cmd="$cmd; ./dmabuf-heap-load-bench -r $RUNS -m heap-async -t $name.b$kb.q$q $f"
			done
		done
		msg "$BASE sweep, scenario $name (read limit $rate B/s): batch KiB {$BATCH_KB} x in flight {$INFLIGHT}"
		run=$CACHE/runs/sweep-$BASE-$name
		rm -rf "$run"
		"$TOP/scripts/run-guest.sh" -k "$KBUILD" -x "$KSFT" -d "$IMG" -o "$run" \
			-m "${MEM_MB}M" -t 3000 ${drive:+-q "$drive"} -- "$cmd" > "$run.out" ||
			die "sweep scenario $name failed (logs in $run)"
		grep '^csv,' "$run.out" | cut -d, -f2- >> "$CSV"
		# The table: median ms of heap-async, batch KiB down, in flight across.
		awk -F, -v name="$name" -v kbs="$BATCH_KB" -v qs="$INFLIGHT" '
			$1 ~ /\.floor$/ { fl[$3] = $5 }
			$3 == "heap-async" { n = split($1, t, "."); ms[substr(t[n - 1], 2), substr(t[n], 2)] = $5 }
			END {
				printf "%s, 512 MiB: alloc %s ms, io %s ms, heap-sync %s ms; heap-async (ms):\n",
					name, fl["alloc"], fl["io"], fl["heap-sync"]
				nk = split(kbs, K, " "); nq = split(qs, Q, " ")
				printf "%12s", "batch \\ q"; for (j = 1; j <= nq; j++) printf "%9s", Q[j]; printf "\n"
				for (i = 1; i <= nk; i++) {
					printf "%9s KiB", K[i]
					for (j = 1; j <= nq; j++) printf "%9s", ms[K[i], Q[j]]
					printf "\n"
				}
			}' < <(grep "^$name\." "$CSV")
	done
	msg "results: $CSV"
	exit 0
fi
CSV=$CACHE/results/bench-$BASE.csv
failed=0
echo "scenario,bytes,method,status,median_ms,x_floor,cache_growth_kib" > "$CSV"
for sc in $SCENARIOS; do
	IFS=: read -r name rate pressure <<< "$sc"
	drive=""
	[ "$rate" -gt 0 ] && drive="throttling.bps-read=$rate"
	# udmabuf's size limit is 64 MiB by default on 6.12 (a module
	# parameter): lift it, or the udmabuf method could not run at all.
	cmd="p=/sys/module/udmabuf/parameters/size_limit_mb; [ ! -w \$p ] || echo 65536 > \$p"
	cmd="$cmd; cd dmabuf-heaps; rc=0"
	for s in $SIZES; do
		args="-r $RUNS -t $name"
		if [ "$pressure" = 1 ]; then
			# Most of the RAM: anonymous memory plus others' page cache.
			hog=$(( MEM_MB - 2 * s - 640 ))
			[ $hog -gt 0 ] || hog=0
			args="$args -P $hog -F /mnt/disk/filler.bin"
		fi
		cmd="$cmd; ./dmabuf-heap-load-bench $args /mnt/disk/model-$s.bin || rc=1"
	done
	# A method that failed or loaded the wrong bytes fails the guest.
	cmd="$cmd; exit \$rc"
	msg "$BASE bench, scenario $name (read limit ${rate:-0} B/s, pressure $pressure): $SIZES MiB"
	run=$CACHE/runs/bench-$BASE-$name
	rm -rf "$run"
	# The loads only read the image's files: it is reused as it is.
	"$TOP/scripts/run-guest.sh" -k "$KBUILD" -x "$KSFT" -d "$IMG" -o "$run" \
		-m "${MEM_MB}M" -t 3000 ${drive:+-q "$drive"} -- "$cmd" | tee "$run.out" | grep -v '^csv,' ||
		{ warn "bench scenario $name failed (logs in $run)"; failed=1; }
	grep '^csv,' "$run.out" | cut -d, -f2- >> "$CSV" || true
done
msg "results: $CSV"

if command -v gnuplot >/dev/null 2>&1; then
	"$TOP/scripts/plot-bench.sh" "$CSV" "$CACHE/results/bench-$BASE.png" "$BASE" &&
		msg "plot: $CACHE/results/bench-$BASE.png"
fi
[ "$failed" -eq 0 ] || die "a method failed or loaded wrong content: see the status column of $CSV"
