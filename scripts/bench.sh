#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [--quick | --sweep] [BASE]
#
# Build the "bench" kernel of BASE (default mainline) and the selftests
# with dmabuf-heap-load-bench, make an ext4 disk holding model-sized files
# of random data, and boot once per profile and scenario, loading each
# file into a dma-buf every way (see the program's header): the methods
# interleaved and shuffled, every load verified, min/median/max kept.
#
# Profiles: init_on_alloc=1 (what Android's GKI and several distributions
# boot: every page the allocator hands out is cleared; the headline) and
# init_on_alloc=0, on the kernel command line of the same kernel.
# Scenarios (NAME:READ_BYTES_PER_SECOND:PRESSURE):
#   clean     nothing in the way (rate 0 = the host disk's speed)
#   balanced  reading takes as long as a plain allocation takes in the
#             init_on_alloc=1 profile: the rate is measured, as
#             bytes / alloc ms of the first clean init_on_alloc=1 boot
#             (BENCH_BALANCED_BPS overrides)
#   io-bound  150 MiB/s, far slower than allocation
#   pressure  most of the RAM held by anonymous memory and another
#             file's page cache, so that every load has to reclaim
# Throttled boots read a fifth of a second's worth of another file before
# each run: QEMU lets a throttled drive burst a tenth of a second's worth,
# and a run must not start with that credit.
#
# Writes $CACHE/results/bench-BASE.csv:
#   scenario,init_on_alloc,bytes,method,status,runs,min_ms,median_ms,
#   max_ms,x_floor,cache_growth_kib
# and, from one more watched run of heap-sync, heap-async and alloc+io in
# every boot without memory pressure (the program's -T: when were 97% of
# the allocation and 97% of the reads done), $CACHE/results/timeline-BASE.csv:
#   scenario,init_on_alloc,bytes,method,end_ms,allocated_ms,read_ms,
#   mib_read_when_allocated
# prints the tables of scripts/bench-md.sh, and with gnuplot plots one
# PNG per profile (bench-BASE-ioaN.png). A method that fails or loads
# the wrong bytes, and a boot on the jiffies clocksource (after two
# retries), fail the run.
#
# --quick: the README's main command (make demo): 512 MiB, both profiles,
#   clean, balanced and pressure, 7 rounds.
# --sweep: the system heap's tuning, 512 MiB, init_on_alloc=1 (or
#   BENCH_SWEEP_IOA), clean and balanced (BENCH_SCENARIOS may add io-bound
#   and pressure): heap-async for every read_batch_kb x max_reads_in_flight
#   of BENCH_BATCH_KB x BENCH_INFLIGHT; writes $CACHE/results/sweep-BASE.csv.
# BENCH_SIZES, BENCH_SCENARIOS (names), BENCH_PROFILES, BENCH_RUNS
# override the defaults.
. "$(dirname "$0")/lib.sh"

QUICK=0 SWEEP=0
case ${1:-} in
--quick) QUICK=1; shift ;;
--sweep) SWEEP=1; shift ;;
esac
load_base "${1:-mainline}"
IOBOUND_BPS=157286400
if [ $SWEEP -eq 1 ]; then
	SIZES=512 SCENARIOS=${BENCH_SCENARIOS:-"clean balanced"} PROFILES=1
	RUNS=${BENCH_RUNS:-3}
	BATCH_KB=${BENCH_BATCH_KB:-"256 1024 4096 16384"}
	INFLIGHT=${BENCH_INFLIGHT:-"1 2 4 8"}
elif [ $QUICK -eq 1 ]; then
	SIZES=${BENCH_SIZES:-512}
	SCENARIOS=${BENCH_SCENARIOS:-"clean balanced pressure"}
	PROFILES=${BENCH_PROFILES:-"1 0"}
	RUNS=${BENCH_RUNS:-7}
else
	SIZES=${BENCH_SIZES:-"64 256 512 1024"}
	SCENARIOS=${BENCH_SCENARIOS:-"clean balanced io-bound pressure"}
	PROFILES=${BENCH_PROFILES:-"1 0"}
	RUNS=${BENCH_RUNS:-5}
fi
MEM_MB=${BENCH_MEM_MB:-3072}
# No ERMS/FSRM on the guest CPU: with them the kernel copies and clears
# with "rep movsb"/"rep stosb", which QEMU TCG runs a byte per step. A
# cached 512 MiB read() then costs 18 s of system time against 2.2 s
# without (dd, the same boot otherwise): the buffered method would be
# charged for an emulator artefact no phone has.
export DHR_QEMU_CPU=${DHR_QEMU_CPU:-max,la57=off,-erms,-fsrm}
MAXSIZE=$(printf '%s\n' $SIZES | sort -n | tail -n 1)

# pressure_args MIB: the bench program's memory pressure for a file of MIB:
# most of the RAM held as anonymous memory, plus another file's page cache.
pressure_args() {
	local hog=$((MEM_MB - 2 * $1 - 640))
	[ $hog -gt 0 ] || hog=0
	echo "-P $hog -F /mnt/disk/filler.bin"
}

"$TOP/scripts/install-deps.sh"
KBUILD=$("$TOP/scripts/build-kernel.sh" "$BASE" bench)
KSFT=$CACHE/kselftest/$BASE-bench
"$TOP/scripts/build-selftests.sh" "$BASE" bench "$KSFT" dmabuf-heaps
[ -x "$KSFT/dmabuf-heaps/dmabuf-heap-load-bench" ] ||
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

# What every boot runs first: udmabuf's size limit lifted (64 MiB by
# default), shmem huge pages on request (the udmabuf method asks), and
# the clocksource shown.
PRE="p=/sys/module/udmabuf/parameters/size_limit_mb; [ ! -w \$p ] || echo 65536 > \$p"
PRE="$PRE; t=/sys/kernel/mm/transparent_hugepage/shmem_enabled; [ ! -w \$t ] || echo advise > \$t"
PRE="$PRE; cd dmabuf-heaps; rc=0"

# boot NAME IOA RATE CMD: boot the bench kernel with init_on_alloc=IOA and
# the disk throttled to RATE bytes/s (0: not), run CMD, show its progress
# lines ("# round ...") as they come; the output in $CACHE/runs/NAME.out.
# Retries a boot that came up on the jiffies clocksource, twice.
boot() {
	local name=$1 ioa=$2 rate=$3 cmd=$4 run=$CACHE/runs/$1 try rc pid seen n
	local throttle=()

	[ "$rate" -eq 0 ] || throttle=(-q "throttling.bps-read=$rate")

	for try in 1 2 3; do
		rm -rf "$run"
		mkdir -p "$run"
		: > "$run/output.log"
		DHR_APPEND="init_on_alloc=$ioa" "$TOP/scripts/run-guest.sh" -k "$KBUILD" \
			-x "$KSFT" -d "$IMG" -o "$run" -m "${MEM_MB}M" -t 3000 \
			"${throttle[@]}" \
			-- "$cmd" > "$run.out" 2> "$run.err" &
		pid=$!
		seen=0
		while kill -0 $pid 2>/dev/null; do
			sleep 3
			n=$(wc -l < "$run/output.log")
			[ "$n" -gt "$seen" ] || continue
			sed -n "$((seen + 1)),${n}p" "$run/output.log" | tr -d '\r' |
				grep -E '^(# round|file |clocksource|timeline )' | sed 's/^/    /' >&2 || true
			seen=$n
		done
		rc=0
		wait $pid || rc=$?
		grep -q '^clocksource .*jiffies' "$run.out" || return $rc
		warn "$name: the guest came up on the jiffies clocksource; booting again"
	done
	return 1
}

if [ $SWEEP -eq 1 ]; then
	CSV=$CACHE/results/sweep-$BASE.csv
	P=/sys/module/system_heap/parameters
	echo "scenario,init_on_alloc,bytes,method,status,runs,min_ms,median_ms,max_ms,x_floor,cache_growth_kib" > "$CSV"
	ioa=${BENCH_SWEEP_IOA:-1}
	for name in $SCENARIOS; do
		hog=
		case $name in
		clean) rate=0 ;;
		balanced) rate=${BENCH_BALANCED_BPS:-629145600} ;;
		io-bound) rate=$IOBOUND_BPS ;;
		pressure) rate=0 hog=$(pressure_args 512) ;;
		*) die "no such sweep scenario: $name" ;;
		esac
		f=/mnt/disk/model-512.bin
		drain="-B /mnt/disk/filler.bin -D $((rate / 5)) $hog"
		cmd="$PRE; ./dmabuf-heap-load-bench -r $RUNS $drain -m alloc,io,heap-sync -t $name.floor $f"
		for kb in $BATCH_KB; do
			for q in $INFLIGHT; do
				cmd="$cmd; echo $kb > $P/read_batch_kb; echo $q > $P/max_reads_in_flight"
				cmd="$cmd; ./dmabuf-heap-load-bench -r $RUNS $drain -m heap-async -t $name.b$kb.q$q $f || rc=1"
			done
		done
		msg "$BASE sweep, $name (read limit $rate B/s): batch KiB {$BATCH_KB} x in flight {$INFLIGHT}"
		boot "sweep-$BASE-$name" "$ioa" "$rate" "$cmd; exit \$rc" ||
			die "sweep $name failed (logs in $CACHE/runs/sweep-$BASE-$name)"
		grep '^csv,' "$CACHE/runs/sweep-$BASE-$name.out" | cut -d, -f2- >> "$CSV"
		awk -F, -v name="$name" -v kbs="$BATCH_KB" -v qs="$INFLIGHT" -v ioa="$ioa" '
			$1 ~ /\.floor$/ { fl[$4] = $8 }
			$4 == "heap-async" { n = split($1, t, "."); ms[substr(t[n - 1], 2), substr(t[n], 2)] = $8 }
			END {
				printf "%s, 512 MiB, init_on_alloc=%s: alloc %s ms, io %s ms, heap-sync %s ms; heap-async (ms):\n",
					name, ioa, fl["alloc"], fl["io"], fl["heap-sync"]
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
TCSV=$CACHE/results/timeline-$BASE.csv
echo "scenario,init_on_alloc,bytes,method,status,runs,min_ms,median_ms,max_ms,x_floor,cache_growth_kib" > "$CSV"
echo "scenario,init_on_alloc,bytes,method,end_ms,allocated_ms,read_ms,mib_read_when_allocated" > "$TCSV"
failed=0 balanced_bps=${BENCH_BALANCED_BPS:-}
start=$(date +%s)
# The init_on_alloc=1 clean boot goes first: it measures the balanced rate.
for ioa in $PROFILES; do
	order=$SCENARIOS
	case " $SCENARIOS " in *" clean "*) order="clean ${SCENARIOS/clean/}" ;; esac
	for name in $order; do
		pressure=0
		case $name in
		clean) rate=0 ;;
		balanced)
			if [ -z "$balanced_bps" ]; then
				# bytes * 1000 / alloc ms, at the largest size
				balanced_bps=$(awk -F, -v b=$((MAXSIZE << 20)) '$1 == "clean" &&
					$2 == 1 && $3 == b && $4 == "alloc" && $5 == "ok" {
					printf "%.0f", $3 * 1000 / $8 }' "$CSV")
				[ -n "$balanced_bps" ] || balanced_bps=629145600
			fi
			rate=$balanced_bps ;;
		io-bound) rate=$IOBOUND_BPS ;;
		pressure) rate=0 pressure=1 ;;
		*) die "unknown scenario '$name'" ;;
		esac
		cmd=$PRE
		for s in $SIZES; do
			args="-r $RUNS -t $name"
			# Watch one more run, where only the load moves MemFree.
			[ "$pressure" = 1 ] || args="$args -T"
			[ "$rate" -eq 0 ] || args="$args -B /mnt/disk/filler.bin -D $((rate / 5))"
			[ "$pressure" = 0 ] || args="$args $(pressure_args "$s")"
			cmd="$cmd; ./dmabuf-heap-load-bench $args /mnt/disk/model-$s.bin || rc=1"
		done
		msg "$BASE bench [$(( ($(date +%s) - start) / 60 )) min]: init_on_alloc=$ioa, $name (read limit ${rate} B/s, pressure $pressure), $SIZES MiB, $RUNS rounds"
		if ! boot "bench-$BASE-ioa$ioa-$name" "$ioa" "$rate" "$cmd; exit \$rc"; then
			warn "bench init_on_alloc=$ioa $name failed (logs in $CACHE/runs/bench-$BASE-ioa$ioa-$name)"
			failed=1
		fi
		grep -v '^csv,\|^timeline\|^# round' "$CACHE/runs/bench-$BASE-ioa$ioa-$name.out" | sed 's/^/    /' >&2 || true
		grep '^csv,' "$CACHE/runs/bench-$BASE-ioa$ioa-$name.out" | cut -d, -f2- >> "$CSV" || true
		grep '^timeline,' "$CACHE/runs/bench-$BASE-ioa$ioa-$name.out" | cut -d, -f2- >> "$TCSV" || true
	done
done
msg "$BASE bench done in $(( ($(date +%s) - start) / 60 )) min; results: $CSV"
"$TOP/scripts/bench-md.sh" "$CSV"
if command -v gnuplot >/dev/null 2>&1; then
	for ioa in $PROFILES; do
		"$TOP/scripts/plot-bench.sh" "$CSV" "$ioa" "$CACHE/results/bench-$BASE-ioa$ioa.png" "$BASE" &&
			msg "plot: $CACHE/results/bench-$BASE-ioa$ioa.png"
	done
fi
[ "$failed" -eq 0 ] || die "a method failed, loaded wrong content or a boot failed: see the status column of $CSV"
# A complete run becomes the results page's source: docs/bench-BASE.csv,
# its plots, and docs/BENCH.md (scripts/figures.sh sync then copies the
# headline table into the README and the cover letters).
cp "$CSV" "$TOP/docs/bench-$BASE.csv"
cp "$TCSV" "$TOP/docs/timeline-$BASE.csv"
rm -f "$TOP"/docs/bench-"$BASE"-ioa*.png
cp "$CACHE"/results/bench-"$BASE"-ioa*.png "$TOP/docs/" 2>/dev/null || true
"$TOP/scripts/results-md.sh" --bench
msg "docs/bench-$BASE.csv and docs/BENCH.md updated; scripts/figures.sh sync copies the headline"
