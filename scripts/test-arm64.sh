#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-arm64.sh [RUN...]
#
# "make test ARCH=arm64": the mainline series on arm64, as phones run it,
# cross-built (aarch64-linux-gnu-) and booted in qemu-system-aarch64 -M
# virt -cpu max (TCG). Each RUN (default: $DHR_ARM64_RUNS, else
# "16k gki 4k") builds its kernel and the selftests and boots it once
# through scripts/test-base.sh, with the same expected skips
# (config/expected-skips, variant arm64-4k or arm64-16k) and kernel-log
# checks as x86_64:
#
#   16k  the debug flavour (KASAN, lockdep, kmemleak, KUnit...) with
#        16 KiB pages (config/16k.config): every selftest collection, the
#        overlap check and the KUnit suites, as x86_64's first boot
#   gki  the GKI-like profile at 16 KiB pages (flavour debug+16k+gki:
#        system_heap.ko loaded by the guest, THP always, init_on_alloc=1,
#        memcg with dma_heap.mem_accounting=1): config/gki-tests, as
#        x86_64's third boot, loads charged to a memory cgroup
#   4k   the debug flavour with 4 KiB pages, as the 16k run
#
# Not part of plain "make test" (x86_64, what CI runs): a cold arm64
# kernel build takes 17 to 42 minutes on two cores. Ends with one line
# "N passed, N failed, N skipped"; exits non-zero when anything failed or
# a kernel log showed a problem.
. "$(dirname "$0")/lib.sh"

[ "$ARCH" = arm64 ] || die "test-arm64.sh runs with ARCH=arm64 (make test ARCH=arm64)"
export ARCH
"$TOP/scripts/install-deps.sh" arm64
runs=("$@")
[ ${#runs[@]} -gt 0 ] || read -r -a runs <<< "${DHR_ARM64_RUNS:-16k gki 4k}"
BASE=mainline

start=$(date +%s)
RES=$CACHE/results
mkdir -p "$RES"
LOG=$RES/test-arm64-output.log
exec > >(tee "$LOG") 2>&1
msg "repository revision $(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown)"
P=0 F=0 S=0 K=0
summary=()
for r in "${runs[@]}"; do
	case $r in
	16k) flavour=debug+16k boots=normal variant=arm64-16k ;;
	gki) flavour=debug+16k boots=gki variant=arm64-16k ;;
	4k) flavour=debug boots=normal variant=arm64-4k ;;
	*) die "unknown arm64 run '$r' (16k, gki or 4k)" ;;
	esac
	name=$BASE-arm64-$r
	msg "arm64 run $r: flavour $flavour, boot $boots, variant $variant"
	t0=$(date +%s)
	rm -f "$RES/$name.counts"
	if ! DHR_FLAVOUR=$flavour DHR_BOOTS=$boots DHR_VARIANT=$variant DHR_RUN_NAME=$name \
		"$TOP/scripts/test-base.sh" "$BASE"; then
		echo "$name: FAIL: could not build or run (see the messages above)"
		F=$((F + 1))
		summary+=("$r: could not build or run, $(( $(date +%s) - t0 ))s")
		continue
	fi
	read -r p f s k < "$RES/$name.counts"
	[ "$k" -eq 0 ] || { echo "$name: KERNEL: problems in the kernel log, one failure"; k=1; }
	P=$((P + p)) F=$((F + f + k)) S=$((S + s))
	summary+=("$r: $p passed, $((f + k)) failed, $s skipped in $(( $(date +%s) - t0 ))s")
done

msg "arm64 test run took $(( $(date +%s) - start ))s"
echo "runs:"
printf '  %s\n' "${summary[@]}"
verdict "$LOG" "$P" "$F" "$S"
