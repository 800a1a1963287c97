#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-guest.sh [options] [--] COMMAND...
#
# Boot a built kernel in QEMU (TCG, 2 vCPUs) with an initramfs holding
# busybox and the given host directories (under /dhr/host, the command's
# working directory), an ext4 disk on virtio-blk mounted at /mnt/disk,
# run COMMAND with /bin/sh, and exit with its status. The kernel log goes
# to the console log; the command's output comes back on a second port
# (a second serial port on x86_64, a virtio console on arm64), kept apart
# from the kernel's messages, and is printed here.
#
# ARCH (environment): x86_64 (default; qemu-system-x86_64 -machine q35,
# bzImage, console ttyS0) or arm64 (qemu-system-aarch64 -M virt -cpu max,
# Image, console ttyAMA0).
#
#   -k DIR     kernel build directory (default: $CACHE/build/mainline-debug,
#              mainline-arm64-debug for ARCH=arm64)
#   -x DIR     copy DIR into the guest (repeatable)
#   -d IMG     ext4 disk image to use as is (default: a fresh one)
#   -D DIR     fill the fresh disk image with DIR's files (mkfs.ext4 -d)
#   -s SIZE    size of the fresh disk image (default: 4G, sparse)
#   -m MEM     guest memory (default: 3G)
#   -t SECS    host-side time limit (default: 1800)
#   -l FILE    keep the kernel console log here (default: in the run dir)
#   -o DIR     run directory for logs and images (default: a new one under
#              $CACHE/runs)
#   -q ARGS    extra QEMU -drive properties for the disk, e.g.
#              "throttling.bps-read=104857600"
#   -e NAME:SIZE[:DRIVEARGS[:DEVICEARGS]]
#              one more fresh ext4 disk (4 KiB blocks), mounted at
#              /mnt/NAME, with extra -drive and -device properties (each a
#              comma-separated list), e.g. "slow:1G:throttling.bps-read=
#              8388608" or "disk4k:1G::logical_block_size=4096,
#              physical_block_size=4096"; repeatable
#
# Exit status: the command's, or 124 on time-out, 125 when the guest died
# before reporting one (panic, crash), 2 for a usage or setup error.
. "$(dirname "$0")/lib.sh"

KBUILD=$CACHE/build/$(build_name mainline debug)
EXTRA=() EXTRA_DISKS=() DISK="" DISKDIR="" DISK_SIZE=4G MEM=3G TIMEOUT=1800 LOG="" RUNDIR="" DRIVEOPTS=""
# Print the comment block at the top of this file (after the SPDX line).
usage() { awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0" >&2; exit 2; }
while getopts "k:x:d:D:s:m:t:l:o:q:e:h" opt; do
	case $opt in
	k) KBUILD=$OPTARG ;;
	x) EXTRA+=("$OPTARG") ;;
	d) DISK=$OPTARG ;;
	D) DISKDIR=$OPTARG ;;
	s) DISK_SIZE=$OPTARG ;;
	m) MEM=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	l) LOG=$OPTARG ;;
	o) RUNDIR=$OPTARG ;;
	q) DRIVEOPTS=,$OPTARG ;;
	e) EXTRA_DISKS+=("$OPTARG") ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
case $ARCH in
x86_64) QEMU=qemu-system-x86_64 CONSOLE=ttyS0 ;;
arm64) QEMU=qemu-system-aarch64 CONSOLE=ttyAMA0 ;;
esac
need "$QEMU" mkfs.ext4 timeout

KERNEL=$KBUILD/$KIMAGE_PATH
[ -f "$KERNEL" ] || { echo "*** ERROR: no kernel at $KERNEL (build it first)" >&2; exit 2; }
if [ -z "$RUNDIR" ]; then
	mkdir -p "$CACHE/runs"
	RUNDIR=$(mktemp -d "$CACHE/runs/$(date +%Y%m%d-%H%M%S)-XXXX")
fi
mkdir -p "$RUNDIR"
LOG=${LOG:-$RUNDIR/console.log}
OUTLOG=$RUNDIR/output.log
printf '%s\n' "$*" > "$RUNDIR/cmd"

"$TOP/scripts/mkinitramfs.sh" "$KBUILD" "$RUNDIR/initramfs.cpio" "$RUNDIR/cmd" \
	"${EXTRA[@]}" || exit 2
if [ -z "$DISK" ]; then
	DISK=$RUNDIR/disk.img
	rm -f "$DISK"
	truncate -s "$DISK_SIZE" "$DISK"
	mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 -L dhr \
		${DISKDIR:+-d "$DISKDIR"} "$DISK" || exit 2
fi

# The extra disks: /dev/vdb, /dev/vdc... in order; the guest's init
# mounts each where dhr.disks= on the command line says.
QDISKS=() MOUNTS=""
letters=bcdefghij
for i in "${!EXTRA_DISKS[@]}"; do
	IFS=: read -r name size dopts vopts <<< "${EXTRA_DISKS[$i]}"
	[[ $name =~ ^[a-z0-9]+$ ]] && [ -n "$size" ] && [ "$i" -lt 9 ] ||
		{ echo "*** ERROR: bad -e ${EXTRA_DISKS[$i]}" >&2; exit 2; }
	img=$RUNDIR/disk-$name.img
	rm -f "$img"
	truncate -s "$size" "$img"
	# -b 4096: a small image would get 1 KiB blocks, which a disk
	# with 4 KiB logical blocks cannot mount.
	mkfs.ext4 -q -F -b 4096 -E lazy_itable_init=0,lazy_journal_init=0 \
		-L "$name" "$img" || exit 2
	QDISKS+=(-drive "file=$img,if=none,id=disk$((i + 1)),format=raw,cache=none,aio=threads${dopts:+,$dopts}"
		 -device "virtio-blk-pci,drive=disk$((i + 1))${vopts:+,$vopts}")
	MOUNTS=$MOUNTS${MOUNTS:+,}vd${letters:$i:1}:$name
done

# The CMA heap's tests load files of 64 MiB + 1 byte: 128 MiB of CMA.
APPEND="console=$CONSOLE panic=-1 oops=panic cma=${DHR_CMA:-128M} loglevel=7 ${MOUNTS:+dhr.disks=$MOUNTS }${DHR_APPEND:-}"
: > "$OUTLOG"
# No 5-level paging: with -cpu max, an interrupt that lands while
# identify_cpu() re-detects the CPU features (LA57 cleared for a moment)
# made KASAN report a "wild-memory-access" on an ff11... direct-map
# address during boot of the unpatched 7.3.4 kernel; not this series'
# bug, and not one a 4-level guest can hit. DHR_QEMU_CPU overrides.
# arm64: the virt board has one UART, the kernel's console; the
# command's output goes to a virtio console (hvc0 in the guest).
# pauth-impdef=on: QEMU's own pointer authentication algorithm, much
# cheaper under TCG than the architected QARMA one.
case $ARCH in
x86_64)
	QMACHINE=(-machine q35 -accel tcg -cpu "${DHR_QEMU_CPU:-max,la57=off}")
	QOUT=(-chardev "file,id=out,path=$OUTLOG" -serial chardev:out) ;;
arm64)
	QMACHINE=(-machine virt -accel tcg -cpu "${DHR_QEMU_CPU:-max,pauth-impdef=on}")
	QOUT=(-device virtio-serial-pci -chardev "file,id=out,path=$OUTLOG"
	      -device virtconsole,chardev=out) ;;
esac
set +e
timeout --foreground -k 10 "$TIMEOUT" "$QEMU" \
	"${QMACHINE[@]}" -smp 2 -m "$MEM" \
	-kernel "$KERNEL" -initrd "$RUNDIR/initramfs.cpio" -append "$APPEND" \
	-drive "file=$DISK,if=none,id=disk0,format=raw,cache=none,aio=threads$DRIVEOPTS" \
	-device virtio-blk-pci,drive=disk0 \
	"${QDISKS[@]}" \
	-display none -monitor none -no-reboot -nodefaults \
	-chardev "file,id=con,path=$LOG" -serial chardev:con \
	"${QOUT[@]}" \
	</dev/null
qrc=$?
set -e

sed -e '/^DHR-BEGIN\r\?$/d' -e '/^DHR-END\r\?$/d' -e '/^DHR-EXIT-STATUS: /d' "$OUTLOG" | tr -d '\r'
rc=$(sed -n 's/^DHR-EXIT-STATUS: \([0-9]*\).*/\1/p' "$OUTLOG" | tail -n 1)
if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
	echo "*** guest timed out after ${TIMEOUT}s (console log: $LOG)" >&2
	exit 124
fi
if [ -z "$rc" ]; then
	echo "*** guest ended without reporting an exit status (qemu exit $qrc); last console lines:" >&2
	tail -n 25 "$LOG" | tr -d '\r' >&2
	exit 125
fi
exit "$rc"
