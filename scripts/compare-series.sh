#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# compare-series.sh [REF [BASE...]]
#
# The backports must give userspace the same interface and run the same
# tests as the REF series (default: mainline). For every other BASE with a
# series (default: every bases/*.conf), compare with REF, after both series
# are applied:
#  - include/uapi/linux/dma-heap.h must be byte-identical, always;
#  - every file under tools/testing/selftests/ that either series touches
#    (the kselftests and the benchmark programs) must be identical, or be
#    listed in BASE's cover letter under the heading "Differences from the
#    mainline series" as a line "  <path>: <why>". A listed file that does
#    not differ is stale and fails too.
# Prints TAP.
. "$(dirname "$0")/lib.sh"

REF=${1:-mainline}
shift || true
bases=("$@")
[ ${#bases[@]} -gt 0 ] ||
	mapfile -t bases < <(cd "$TOP/bases" && ls -- *.conf | sed 's/\.conf$//' | sort)
UAPI=include/uapi/linux/dma-heap.h

# touched BASE: paths of the selftests that patches/BASE adds or changes.
touched() {
	cat "$TOP/patches/$1"/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null |
		sed -n 's|^+++ b/\(tools/testing/selftests/.*\)|\1|p'
}

# listed BASE: the paths BASE's cover letter lists as differing.
listed() {
	awk '/^Differences from the mainline series/ { on = 1; next }
	     on && /^[^ ]/ { on = 0 }
	     on && /^  [^ ]+:/ { p = $1; sub(/:$/, "", p); print p }' \
		"$TOP/patches/$1/0000-cover-letter.patch" 2>/dev/null | sort -u
}

ref_tree=$("$TOP/scripts/tree.sh" apply "$REF")
n=0
out=()
ok() { n=$((n + 1)); out+=("ok $n $*"); }
notok() { n=$((n + 1)); out+=("not ok $n $*"); }

for b in "${bases[@]}"; do
	[ "$b" != "$REF" ] || continue
	ls "$TOP/patches/$b"/0001-*.patch >/dev/null 2>&1 || continue
	tree=$("$TOP/scripts/tree.sh" apply "$b")
	if cmp -s "$ref_tree/$UAPI" "$tree/$UAPI"; then
		ok "$b: $UAPI is byte-identical to $REF's"
	else
		notok "$b: $UAPI differs from $REF's"
		diff -u "$ref_tree/$UAPI" "$tree/$UAPI" | sed 's/^/# /' | head -n 40 >&2 || true
	fi
	mapfile -t lst < <(listed "$b")
	mapfile -t files < <({ touched "$REF"; touched "$b"; } | sort -u)
	for f in "${files[@]}"; do
		[ -n "$f" ] || continue
		same=0
		cmp -s "$ref_tree/$f" "$tree/$f" && same=1
		in_list=0
		printf '%s\n' "${lst[@]}" | grep -xF -- "$f" >/dev/null && in_list=1
		if [ $same = 1 ] && [ $in_list = 0 ]; then
			ok "$b: $f is identical to $REF's"
		elif [ $same = 0 ] && [ $in_list = 1 ]; then
			ok "$b: $f differs from $REF's, as its cover letter lists"
		elif [ $same = 0 ]; then
			notok "$b: $f differs from $REF's and its cover letter does not list it"
			diff -u "$ref_tree/$f" "$tree/$f" 2>&1 | sed 's/^/# /' | head -n 40 >&2 || true
		else
			notok "$b: $f is listed as differing in its cover letter but is identical"
		fi
	done
	for f in "${lst[@]}"; do
		[ -n "$f" ] || continue
		printf '%s\n' "${files[@]}" | grep -xF -- "$f" >/dev/null ||
			notok "$b: its cover letter lists $f, which neither series touches"
	done
done

echo "1..$n"
[ $n -eq 0 ] || printf '%s\n' "${out[@]}"
