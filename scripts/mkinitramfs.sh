#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh BUILDDIR OUT.cpio CMDFILE [DIR...]
#
# Write a gen_init_cpio spec for the guest (busybox-static for $ARCH,
# guest/init, the command to run, and each DIR copied under /dhr/host)
# and pack it with the kernel's own usr/gen_init_cpio from BUILDDIR.
. "$(dirname "$0")/lib.sh"

build=${1:?usage: mkinitramfs.sh BUILDDIR OUT.cpio CMDFILE [DIR...]}
out=${2:?} cmdfile=${3:?}
shift 3
# The host's busybox-static on x86_64; Debian's for the guest's
# architecture otherwise (ARCH=arm64), cached by fetch-busybox.sh.
busybox=$("$TOP/scripts/fetch-busybox.sh" "$ARCH") || exit 1
[ -x "$build/usr/gen_init_cpio" ] || die "$build/usr/gen_init_cpio missing: build the kernel first"

spec=$out.spec
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	for d in /bin /sbin /usr /usr/bin /usr/sbin /proc /sys /tmp /root /mnt /dhr /dhr/host; do
		echo "dir $d 0755 0 0"
	done
	echo "file /bin/busybox $busybox 0755 0 0"
	echo "file /init $TOP/guest/init 0755 0 0"
	echo "file /dhr/cmd $cmdfile 0644 0 0"
	# The kernel's modules, if it has any (build-kernel.sh): guest/init
	# loads them all.
	if [ -d "$build/modules" ]; then
		echo "dir /lib 0755 0 0"
		echo "dir /lib/modules 0755 0 0"
		for m in "$build"/modules/*.ko; do
			[ -f "$m" ] && echo "file /lib/modules/$(basename "$m") $m 0644 0 0"
		done
	fi
	for src in "$@"; do
		[ -d "$src" ] || die "not a directory: $src"
		src=$(cd "$src" && pwd)
		(cd "$src" && find . -mindepth 1 | LC_ALL=C sort) | while read -r rel; do
			rel=${rel#./}
			p=$src/$rel
			mode=$(stat -c %a "$p")
			if [ -L "$p" ]; then
				echo "slink /dhr/host/$rel $(readlink "$p") 0777 0 0"
			elif [ -d "$p" ]; then
				echo "dir /dhr/host/$rel $mode 0 0"
			elif [ -f "$p" ]; then
				echo "file /dhr/host/$rel $p $mode 0 0"
			fi
		done
	done
} > "$spec"
"$build/usr/gen_init_cpio" "$spec" > "$out" || die "gen_init_cpio failed"
