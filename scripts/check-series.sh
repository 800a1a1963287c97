#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-series.sh BASE
#
# Gates every patch of patches/BASE must pass before it is mailed; prints
# TAP, one result per patch and check:
#   - scripts/checkpatch.pl --strict: no error, warning or check, except
#     those waived with a reason in config/checkpatch-waivers.txt;
#   - scripts/get_maintainer.pl names the DMA-BUF HEAPS maintainer and
#     lists for the patch (for a prerequisite outside those files, a
#     list, and a maintainer from MAINTAINERS or from a Cc: trailer);
#   - scripts/kernel-doc -none is clean on each C file the patch touches;
# and once for the series: the UAPI header compiles on its own in
# userspace; on mainline, every mutants/*.patch still applies (make
# mutants would otherwise find one it cannot build, long after the
# change that moved its context). An empty series has nothing to check
# (one "ok" says so).
. "$(dirname "$0")/lib.sh"

load_base "${1:?usage: check-series.sh BASE}"
SRC=$("$TOP/scripts/tree.sh" apply "$BASE")
HDR=$CACHE/build/$BASE-debug/hdr/include
WAIVERS=$TOP/config/checkpatch-waivers.txt
mapfile -t patches < <(series_patches)

n=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
notok() { n=$((n + 1)); echo "not ok $n $*"; }
echo "TAP version 13"
if [ ${#patches[@]} -eq 0 ]; then
	echo "1..1"
	ok "$BASE: empty series, nothing to check"
	exit 0
fi
once=1
[ "$BASE" = mainline ] && once=2
echo "1..$(( ${#patches[@]} * 3 + once ))"

kdoc=$SRC/scripts/kernel-doc
bad=0
for p in "${patches[@]}"; do
	name=$(basename "$p")

	# checkpatch, with waivers "<patch>: <TYPE>: <reason>"
	# /usr/bin first: checkpatch runs scripts/spdxcheck.py with "env python3",
	# which needs the python3-ply that install-deps.sh installs there.
	out=$(cd "$SRC" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl --strict --show-types --terse \
		--no-summary "$p" 2>&1) || true
	unwaived=$(echo "$out" | grep -E ': (ERROR|WARNING|CHECK):' | while read -r line; do
		type=$(echo "$line" | sed -n 's/.*: \(ERROR\|WARNING\|CHECK\):\([A-Z_]*\):.*/\2/p')
		waived=0
		while IFS= read -r w; do
			case $w in "#"*|"") continue ;; esac
			# shellcheck disable=SC2053
			[[ $name == ${w%%: *} ]] && [ "$(echo "$w" | cut -d: -f2 | tr -d ' ')" = "$type" ] &&
				waived=1
		done < "$WAIVERS"
		[ $waived -eq 1 ] || echo "$line"
	done) || true
	# A helper that crashed (spdxcheck.py) checked nothing: not a pass.
	if grep -q '^Traceback' <<< "$out"; then
		unwaived+="${unwaived:+$'\n'}checkpatch: a helper script crashed: $(echo "$out" | grep -m1 'Error:')"
	fi
	if [ -z "$unwaived" ]; then
		ok "$BASE: checkpatch --strict: $name"
	else
		notok "$BASE: checkpatch --strict: $name"
		echo "$unwaived" | sed 's/^/# /'
		bad=1
	fi

	# get_maintainer: the DMA-BUF HEAPS entry must cover every patch
	# that touches its files; a prerequisite elsewhere (a backport may
	# need one) must at least reach a maintainer and a list.
	if grep -qE '^\+\+\+ b/(drivers/dma-buf/|include/linux/dma-heap|include/uapi/linux/dma-heap|include/trace/events/system_heap|tools/testing/selftests/dmabuf-heaps/|Documentation/userspace-api/dma-buf-heaps)' "$p"; then
		gm=$(cd "$SRC" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
			--no-rolestats --no-tree "$p" 2>/dev/null)
		if grep -q 'sumit.semwal@linaro.org' <<< "$gm" &&
		   grep -q 'dri-devel@lists.freedesktop.org' <<< "$gm" &&
		   grep -q 'linaro-mm-sig@lists.linaro.org' <<< "$gm"; then
			ok "$BASE: get_maintainer names the DMA-BUF HEAPS maintainers: $name"
		else
			notok "$BASE: get_maintainer names the DMA-BUF HEAPS maintainers: $name"
			echo "$gm" | sed 's/^/# /'
			bad=1
		fi
	else
		gm=$(cd "$SRC" && ./scripts/get_maintainer.pl --no-git --no-git-fallback \
			--rolestats --no-tree "$p" 2>/dev/null)
		# Where MAINTAINERS has no entry for the file (6.12's huge_mm.h),
		# a Cc: trailer in the patch must name who should see it.
		if grep -qE '\((open|moderated) list' <<< "$gm" &&
		   { grep -q '(maintainer:' <<< "$gm" || grep -q '^Cc: .*<.*@.*>' "$p"; }; then
			ok "$BASE: get_maintainer names a list, and a maintainer or a Cc: does: $name"
		else
			notok "$BASE: get_maintainer names a list, and a maintainer or a Cc: does: $name"
			echo "$gm" | sed 's/^/# /'
			bad=1
		fi
	fi

	# kernel-doc on the C sources and headers the patch touches: no
	# warning that the base version of the file did not have already.
	files=$(sed -n 's|^+++ b/\(.*\.[ch]\)$|\1|p' "$p" | grep -v '^tools/' || true)
	kout=""
	for f in $files; do
		[ -f "$SRC/$f" ] || continue
		new=$(cd "$SRC" && "$kdoc" -none "$f" 2>&1 | sed -E 's/:[0-9]+:? / /' | sort -u)
		# A file the series adds has no base version: nothing to subtract.
		old=""
		if (cd "$SRC" && git cat-file -e "base:$f" 2>/dev/null); then
			old=$(cd "$SRC" && git show "base:$f" > "$CACHE/kdoc-base.${f##*.}" &&
			      "$kdoc" -none "$CACHE/kdoc-base.${f##*.}" 2>&1 |
			      sed -E -e "s|$CACHE/kdoc-base\.${f##*.}|$f|" -e 's/:[0-9]+:? / /' | sort -u)
		fi
		kout+=$(comm -23 <(echo "$new") <(echo "$old") | grep -v '^$' || true)
	done
	if [ -z "$kout" ]; then
		ok "$BASE: kernel-doc -none: $name"
	else
		notok "$BASE: kernel-doc -none: $name"
		echo "$kout" | sed 's/^/# /'
		bad=1
	fi
done

# The UAPI header compiles on its own in userspace. Before the first
# kernel build there are no installed headers yet: install them alone.
if [ ! -d "$HDR" ]; then
	kmake_setup "$SRC" "$CACHE/build/$BASE-uapi"
	HDR=$CACHE/build/$BASE-uapi/hdr/include
	make -s "${KMAKE[@]}" headers_install INSTALL_HDR_PATH="$CACHE/build/$BASE-uapi/hdr" \
		> "$CACHE/uapi-install.log" 2>&1 || sed 's/^/# /' "$CACHE/uapi-install.log"
fi
if [ -d "$HDR" ] && echo '#include <linux/dma-heap.h>
int main(void) { return sizeof(struct dma_heap_allocation_data) == 0; }' |
	gcc -x c -Wall -Werror -isystem "$HDR" -o /dev/null - 2>"$CACHE/uapi-check.log"; then
	ok "$BASE: include/uapi/linux/dma-heap.h is self-contained"
else
	notok "$BASE: include/uapi/linux/dma-heap.h is self-contained"
	sed 's/^/# /' "$CACHE/uapi-check.log" 2>/dev/null
	bad=1
fi

if [ "$BASE" = mainline ]; then
	stale=""
	for m in "$TOP"/mutants/*.patch; do
		git -C "$SRC" apply --check "$m" 2>/dev/null || stale+=" $(basename "$m")"
	done
	if [ -z "$stale" ]; then
		ok "$BASE: every mutant applies to the series"
	else
		notok "$BASE: every mutant applies to the series"
		echo "# regenerate against the series:$stale"
		bad=1
	fi
fi
exit $bad
