#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# figures.sh sync | check
#
# The benchmark's headline table lives in one generated page,
# docs/BENCH.md, between "<!-- headline -->" and "<!-- /headline -->"
# (scripts/bench-md.sh writes it). The README quotes it between the same
# markers; each cover letter quotes it as the block of "|" lines after the
# paragraph that starts with "Headline figures". No copy is edited by hand:
#
#   sync   copy the page's table into the README and every cover letter
#          (patches/*/0000-cover-letter.patch, and the branch description
#          of a "tree.sh dev" tree, which "tree.sh export" writes back)
#   check  fail, naming the file, if a copy differs from the page
. "$(dirname "$0")/lib.sh"

cmd=${1:?usage: figures.sh sync|check}
PAGE=$TOP/docs/BENCH.md
[ -f "$PAGE" ] || die "no $PAGE: run make demo (or make bench), then make results"

table=$(awk '/^<!-- headline -->$/ { on = 1; next } /^<!-- \/headline -->$/ { on = 0 } on' "$PAGE")
[ -n "$table" ] || die "$PAGE has no headline table"

# replace_readme FILE: print FILE with the table between its markers replaced.
replace_readme() {
	TABLE=$table awk '
		/^<!-- headline -->$/ { print; print ENVIRON["TABLE"]; skip = 1; next }
		/^<!-- \/headline -->$/ { skip = 0 }
		!skip' "$1"
}

# replace_cover FILE: the "|" lines after the "Headline figures" line.
replace_cover() {
	TABLE=$table awk '
		/^Headline figures/ { hdr = 1 }
		hdr && /^$/ { print; print ENVIRON["TABLE"]; hdr = 0; skip = 1; next }
		skip && /^\|/ { next }
		{ skip = 0; print }' "$1"
}

covers=()
for c in "$TOP"/patches/*/0000-cover-letter.patch; do
	grep -q '^Headline figures' "$c" && covers+=("$c")
done
grep -q '^<!-- headline -->$' "$TOP/README.md" || die "README.md has no <!-- headline --> markers"

case $cmd in
check)
	bad=0
	if ! diff -u "$TOP/README.md" <(replace_readme "$TOP/README.md") >/dev/null; then
		echo "README.md: the headline table differs from docs/BENCH.md (run scripts/figures.sh sync)" >&2
		bad=1
	fi
	for c in "${covers[@]}"; do
		if ! diff -u "$c" <(replace_cover "$c") >/dev/null; then
			echo "${c#"$TOP"/}: the headline table differs from docs/BENCH.md" >&2
			bad=1
		fi
	done
	[ ${#covers[@]} -gt 0 ] || { echo "no cover letter quotes the headline figures" >&2; bad=1; }
	exit $bad
	;;
sync)
	replace_readme "$TOP/README.md" > "$TOP/README.md.tmp" && mv "$TOP/README.md.tmp" "$TOP/README.md"
	for c in "${covers[@]}"; do
		replace_cover "$c" > "$c.tmp" && mv "$c.tmp" "$c"
		base=$(basename "$(dirname "$c")")
		dev=$CACHE/src/$base
		if git -C "$dev" rev-parse -q --verify refs/heads/series >/dev/null 2>&1; then
			desc=$(git -C "$dev" config branch.series.description || true)
			if [ -n "$desc" ]; then
				printf '%s\n' "$desc" > "$c.desc"
				git -C "$dev" config branch.series.description "$(replace_cover "$c.desc")"
				rm -f "$c.desc"
			fi
		fi
	done
	msg "headline table copied into README.md and ${#covers[@]} cover letter(s)"
	;;
*) die "usage: figures.sh sync|check" ;;
esac
