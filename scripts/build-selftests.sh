#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-selftests.sh BASE FLAVOUR OUTDIR TARGET...
#
# Build and install the kselftest TARGETs of the patched tree of BASE,
# statically linked, against the UAPI headers installed by the FLAVOUR
# kernel build, into OUTDIR (with run_kselftest.sh and its list). With
# ARCH=arm64 they are cross-compiled with aarch64-linux-gnu-gcc and
# libc6-dev-arm64-cross's static libc.
. "$(dirname "$0")/lib.sh"

load_base "${1:?usage: build-selftests.sh BASE FLAVOUR OUTDIR TARGET...}"
FLAVOUR=${2:?} OUTDIR=${3:?}
shift 3
[ $# -gt 0 ] || die "no selftest targets given"
SRC=$APPLYTREE
KB=$CACHE/build/$(build_name "$BASE" "$FLAVOUR")
HDR=$KB/hdr/include
[ -d "$HDR" ] || die "no installed headers at $HDR: build the $(basename "$KB") kernel first"

OBJ=$KB/kselftest
cross=()
if [ -n "$CROSS_COMPILE" ]; then
	need "${CROSS_COMPILE}gcc"
	cross=(ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE")
fi
rm -rf "$OUTDIR"
# LDFLAGS=-static links every target statically (the guest has no libc).
make -s -C "$SRC/tools/testing/selftests" O="$OBJ" "${cross[@]}" \
	TARGETS="$*" KHDR_INCLUDES="-isystem $HDR" LDFLAGS=-static \
	KSFT_INSTALL_PATH="$OUTDIR" install >&2 ||
	die "$BASE: selftests ($*) failed to build"
for t in $(sed 's/:.*//' "$OUTDIR/kselftest-list.txt" | sort -u); do
	for f in "$OUTDIR/$t"/*; do
		[ -f "$f" ] && [ -x "$f" ] && file "$f" | grep -q 'ELF.*dynamically' &&
			die "$BASE: ${f#"$OUTDIR"/} is not statically linked"
	done
done
msg "$BASE: selftests ($*) installed in $OUTDIR"
