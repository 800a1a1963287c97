#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bisect-check.sh BASE
#
# The series must be bisectable. Walk patches/BASE one patch at a time,
# starting from the bare base (with any leading prerequisites that touch
# none of the series' files applied), in the test tree and the debug build of
# BASE (both incremental, so only what a patch touches is rebuilt):
#   - after a patch that touches the kernel: vmlinux builds, and every C
#     file of the series present at that point builds with W=1 and, when
#     this kernel accepts the host's sparse, with C=2;
#   - after a patch that touches the selftests: tools/testing/selftests
#     TARGETS=dmabuf-heaps builds;
# and no step may print a warning the starting point did not print
# (compared without line numbers). Prints TAP, one result per patch.
# Leaves the test tree with the whole series applied again, and the
# build directory's .config as it found it.
. "$(dirname "$0")/lib.sh"

load_base "${1:?usage: bisect-check.sh BASE}"
mapfile -t patches < <(series_patches)
if [ ${#patches[@]} -eq 0 ]; then
	echo "1..1"
	echo "ok 1 $BASE: empty series, nothing to bisect"
	exit 0
fi

KBUILD=$("$TOP/scripts/build-kernel.sh" "$BASE" debug)
SRC=$APPLYTREE
HDR=$KBUILD/hdr/include
KSFT=$CACHE/build/$BASE-bisect-kselftest
LOG=$CACHE/results/$BASE-bisect
rm -rf "$LOG" "$KSFT"
mkdir -p "$LOG"
kmake_setup "$SRC" "$KBUILD"

# The C files the series touches, kernel side; checked at every step.
mapfile -t cfiles < <(cat "${patches[@]}" |
	sed -n 's|^+++ b/\(.*\.c\)$|\1|p' | grep -v '^tools/' | sort -u)

# Sparse: this kernel's Makefile refuses a sparse it cannot use. Since
# 6.14 it asks for __typeof_unqual__, which Debian's sparse 0.6.4 lacks;
# then sparse runs with __typeof_unqual__ read as __typeof__ (it keeps the
# qualifiers the kernel meant to strip, so it errs towards more warnings),
# and the TAP output says so.
SPARSE=()
sparse_note=
# (no "make | grep -q" under pipefail: grep quitting early fails the pipe)
refused() {
	local out

	out=$(make -s "${KMAKE[@]}" C=2 "$@" scripts 2>&1) || true
	grep -q 'is not available or not up to date' <<< "$out"
}
if ! command -v sparse >/dev/null 2>&1; then
	sparse_note="sparse not run: no sparse on this host"
elif ! refused; then
	SPARSE=(C=2)
elif ! refused CHECK="sparse -D__typeof_unqual__=__typeof__"; then
	SPARSE=(C=2 CHECK="sparse -D__typeof_unqual__=__typeof__")
	sparse_note="sparse $(sparse --version) run with -D__typeof_unqual__=__typeof__: this kernel wants a newer sparse"
else
	sparse_note="sparse not run: this kernel rejects the host's $(sparse --version)"
fi

# warnings FILE: the warnings of a build log, without line and column.
warnings() {
	grep -E '(warning|error):' "$1" |
		sed -E "s|$SRC/||g; s|$KSFT/||g; s|:[0-9]+:[0-9]+:|:|; s|:[0-9]+:|:|" |
		sort -u || true
}

# build_step NAME KERNEL SELFTESTS: build what changed, log to $LOG/NAME.*;
# fails if something does not build.
build_step() {
	local name=$1 kernel=$2 selftests=$3 objs=() f rc=0

	: > "$LOG/$name.log"
	if [ "$kernel" = 1 ]; then
		make "${KMAKE[@]}" -j"$JOBS" vmlinux >> "$LOG/$name.log" 2>&1 || rc=1
		for f in "${cfiles[@]}"; do
			# A file #included by another one has no object of its own.
			[ -f "$SRC/$f" ] &&
				grep -qw "$(basename "$f" .c)\.o" "$SRC/$(dirname "$f")/Makefile" &&
				objs+=("${f%.c}.o")
		done
		echo "${#objs[@]}" > "$LOG/$name.objs"
		[ ${#objs[@]} -eq 0 ] ||
			make "${KMAKE[@]}" -j"$JOBS" W=1 "${SPARSE[@]}" "${objs[@]}" \
				>> "$LOG/$name.log" 2>&1 || rc=1
	fi
	if [ "$selftests" = 1 ]; then
		# Incremental, like the kernel: make rebuilds what a patch
		# touched (the Makefile names each program's sources and
		# headers); the walk starts from an empty directory.
		make -C "$SRC/tools/testing/selftests" O="$KSFT" TARGETS=dmabuf-heaps \
			KHDR_INCLUDES="-isystem $HDR" LDFLAGS=-static \
			>> "$LOG/$name.log" 2>&1 || rc=1
	fi
	warnings "$LOG/$name.log" > "$LOG/$name.warnings"
	return $rc
}

# am_patch P: apply P to the test tree.
am_patch() {
	git -C "$SRC" "${GIT_ID[@]}" \
		am --quiet --committer-date-is-author-date --keep-cr "$1" > "$LOG/am.log" 2>&1 ||
		{ git -C "$SRC" am --abort >/dev/null 2>&1 || true; return 1; }
}

# Leading patches that touch none of the series' own files are
# prerequisites of a backport (e.g. an mm fix). They are part of the
# starting point: a prerequisite that changes a header like mm.h would
# otherwise cost two rebuilds of the whole kernel.
own='^\+\+\+ b/(drivers/dma-buf/|include/linux/dma-heap|include/uapi/linux/dma-heap|include/trace/events/system_heap|tools/testing/selftests/dmabuf-heaps/|Documentation/userspace-api/dma-buf-heaps)'
pre=()
for p in "${patches[@]}"; do
	grep -qE "$own" "$p" && break
	pre+=("$p")
done
patches=("${patches[@]:${#pre[@]}}")

# Start from the base (and prerequisites); the test tree is rebuilt from
# scratch by "tree.sh apply" afterwards, even if this script dies half way.
rm -f "$SRC.series"
# The walk's first builds drop the symbols the series adds from .config
# (syncconfig), so the .config the test run was built with is put back
# too: the next build then rebuilds only what the walk changed.
cp "$KBUILD/.config" "$LOG/config.saved"
trap 'cp "$LOG/config.saved" "$KBUILD/.config"; "$TOP/scripts/tree.sh" apply "$BASE" >/dev/null' EXIT
git -C "$SRC" checkout -q -f --detach base
git -C "$SRC" clean -q -fdx
start="the bare base"
for p in "${pre[@]}"; do
	am_patch "$p" || die "$(basename "$p") does not apply"
	start="the base with prerequisite $(basename "$p")"
done

echo "1..$(( ${#patches[@]} + 1 ))"
n=1
if build_step base 1 1; then
	echo "ok $n $BASE: $start builds ($(wc -l < "$LOG/base.warnings") warning(s) of its own)"
else
	echo "not ok $n $BASE: $start does not build (log: $LOG/base.log)"
fi
[ -z "$sparse_note" ] || echo "# $BASE: $sparse_note"

for p in "${patches[@]}"; do
	n=$((n + 1))
	name=$(basename "$p" .patch)
	name=${name:0:4}
	if ! am_patch "$p"; then
		echo "not ok $n $BASE: $(basename "$p") does not apply"
		break
	fi
	kernel=0 selftests=0
	grep -q '^+++ b/tools/testing/selftests/' "$p" && selftests=1
	files=$(grep '^+++ b/' "$p" || true)
	grep -qvE '^\+\+\+ b/(tools/|Documentation/|MAINTAINERS$)' <<< "$files" && kernel=1
	what=()
	if ! build_step "$name" $kernel $selftests; then
		echo "not ok $n $BASE: does not build after $(basename "$p") (log: $LOG/$name.log)"
		grep -E 'error' "$LOG/$name.log" | head -n 10 | sed 's/^/# /'
		continue
	fi
	[ $kernel = 0 ] ||
		what+=("vmlinux, W=1${SPARSE:+ C=2} on $(cat "$LOG/$name.objs") object(s) of the series")
	[ $selftests = 0 ] || what+=("selftests")
	[ ${#what[@]} -gt 0 ] || what=("nothing to build")
	new=$(comm -13 "$LOG/base.warnings" "$LOG/$name.warnings")
	if [ -n "$new" ]; then
		echo "not ok $n $BASE: new warnings after $(basename "$p") (log: $LOG/$name.log)"
		echo "$new" | head -n 20 | sed 's/^/# /'
	else
		echo "ok $n $BASE: builds after $(basename "$p"): $(IFS=';'; echo "${what[*]}"), no new warning"
	fi
done
