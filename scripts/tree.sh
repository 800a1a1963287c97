#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tree.sh init   BASE        git repo of the pristine base (tag "base")
# tree.sh apply  BASE        test tree: base + patches/BASE, re-made when
#                            the series changes; prints its path
# tree.sh dev    BASE        editable tree: branch "series" = base + series
# tree.sh export BASE        write branch "series" back to patches/BASE
# tree.sh bare   BASE        the base without the series (for A/B
#                            benchmarks); prints its path
#
# The pristine commit is made with a fixed identity and date so that its
# hash, quoted as base-commit in the cover letter, is the same everywhere.
# Patches are applied with "git am" (no fuzz: a patch that does not apply
# exactly fails and is named) and with committer date = author date, so
# applying and exporting an unchanged series reproduces it byte for byte.
. "$(dirname "$0")/lib.sh"

cmd=${1:?usage: tree.sh init|apply|dev|export|bare BASE}
load_base "${2:?usage: tree.sh $cmd BASE}"

REPO=$CACHE/src/$BASE
APPLY=$APPLYTREE
BARE=$CACHE/bare/$BASE
PRISTINE_ID=(GIT_AUTHOR_NAME="Debian kernel source" GIT_AUTHOR_EMAIL="debian-kernel@lists.debian.org"
	     GIT_COMMITTER_NAME="Debian kernel source" GIT_COMMITTER_EMAIL="debian-kernel@lists.debian.org"
	     GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z")
GIT_CFG=("${GIT_ID[@]}" -c am.threeWay=false)
AM_OPTS=(--quiet --committer-date-is-author-date --keep-cr)

series_files() { series_patches; }

do_init() {
	local ver deb tarball tmp

	if git -C "$REPO" rev-parse -q --verify refs/tags/base >/dev/null 2>&1 &&
	   [ "$(git -C "$REPO" config dhr.version)" = "$BASE_VERSION" ]; then
		return 0
	fi
	read -r ver deb < <("$TOP/scripts/fetch-base.sh" "$BASE")
	msg "unpacking $BASE_PKG $ver into $REPO"
	rm -rf "$REPO" "$APPLY" "$REPO.tmp"
	tmp=$REPO.tmp
	mkdir -p "$tmp"
	tarball=usr/src/$BASE_PKG.tar.xz
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./$tarball" |
		tar -xJ -C "$tmp" --strip-components=1 ||
		die "could not unpack $tarball from $deb"
	git -C "$tmp" init -q -b pristine
	git -C "$tmp" config core.autocrlf false
	git -C "$tmp" config gc.auto 0
	git -C "$tmp" add -A -f .
	env "${PRISTINE_ID[@]}" git -C "$tmp" commit -q -m "$BASE_PKG $ver (Debian)" \
			-m "Pristine source from the Debian package $BASE_PKG, version $ver."
	git -C "$tmp" tag base
	git -C "$tmp" config dhr.version "$ver"
	mv "$tmp" "$REPO"
}

# am_series DIR: apply patches/BASE on top of DIR's HEAD; name a failure.
am_series() {
	local dir=$1 p

	while read -r p; do
		[ -n "$p" ] || continue
		if ! git -C "$dir" "${GIT_CFG[@]}" am "${AM_OPTS[@]}" "$p" 2>"$dir.am.log"; then
			cat "$dir.am.log" >&2
			git -C "$dir" am --abort >/dev/null 2>&1 || true
			die "patch does not apply to $BASE ($BASE_DESCRIPTION): ${p#"$TOP"/}"
		fi
	done < <(series_files)
}

series_hash() {
	{ echo "$BASE_VERSION"; series_files | xargs -r cat; } | sha256sum | cut -c1-16
}

# add_worktree DIR: a worktree of the pristine base at DIR, if none is there.
add_worktree() {
	[ ! -d "$1" ] || return 0
	git -C "$REPO" worktree prune
	git -C "$REPO" worktree add -q --detach "$1" base
}

do_apply() {
	local h

	do_init
	h=$(series_hash)
	if [ -d "$APPLY" ] && [ "$(cat "$APPLY.series" 2>/dev/null)" = "$h" ] &&
	   [ -z "$(git -C "$APPLY" status --porcelain --untracked-files=no)" ]; then
		echo "$APPLY"
		return 0
	fi
	add_worktree "$APPLY"
	rm -f "$APPLY.series"
	# Only files that differ are rewritten, so make rebuilds just those.
	git -C "$APPLY" am --abort >/dev/null 2>&1 || true
	git -C "$APPLY" checkout -q -f --detach base
	git -C "$APPLY" clean -q -fdx
	am_series "$APPLY"
	echo "$h" > "$APPLY.series"
	msg "$BASE: $(git -C "$APPLY" rev-list --count base..HEAD) patch(es) applied in $APPLY"
	echo "$APPLY"
}

do_bare() {
	do_init
	add_worktree "$BARE"
	if [ "$(git -C "$BARE" rev-parse HEAD)" != "$(git -C "$REPO" rev-parse base)" ] ||
	   [ -n "$(git -C "$BARE" status --porcelain --untracked-files=no)" ]; then
		git -C "$BARE" checkout -q -f --detach base
	fi
	echo "$BARE"
}

# The cover letter's text lives in the branch description, which is what
# "git format-patch --cover-from-description" reads back.
cover_to_description() {
	local cover=$PATCHDIR/0000-cover-letter.patch

	[ -f "$cover" ] || return 0
	awk '
		BEGIN { state = "hdr" }
		state == "hdr" && /^Subject: / {
			s = $0; sub(/^Subject: (\[[^]]*\] *)?/, "", s); subj = s; next
		}
		state == "hdr" && /^ / && subj != "" && !body { subj = subj $0; next }
		state == "hdr" && /^$/ { state = "body"; body = 1; print subj; print ""; next }
		state == "body" && /^[^ ].* \([0-9]+\):$/ { exit }
		state == "body" { print }
	' "$cover" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' > "$REPO/.git/dhr-cover.txt"
	git -C "$REPO" config branch.series.description "$(cat "$REPO/.git/dhr-cover.txt")"
}

# Debian's tarball ends .gitignore with "ignore everything at the top
# level", which hides every new file of a dev tree from git. Drop that
# stanza from the working copy only; the pristine commit keeps it.
unhide_new_files() {
	local gi=$1/.gitignore

	grep -q '^# Debian packaging' "$gi" 2>/dev/null || return 0
	sed -i '/^# Debian packaging/,$d' "$gi"
	sed -i '${/^#$/d}' "$gi"
	git -C "$1" update-index --skip-worktree .gitignore
}

do_dev() {
	do_init
	unhide_new_files "$REPO"
	if git -C "$REPO" rev-parse -q --verify refs/heads/series >/dev/null; then
		msg "$REPO already has branch 'series'; edit it there (make export to save)"
	else
		git -C "$REPO" checkout -q -b series base
		am_series "$REPO"
		cover_to_description
	fi
	echo "$REPO"
}

do_export() {
	local n

	git -C "$REPO" rev-parse -q --verify refs/heads/series >/dev/null ||
		die "no dev tree for $BASE: run 'make tree BASE=$BASE' first"
	[ -z "$(git -C "$REPO" status --porcelain --untracked-files=no)" ] ||
		die "$REPO has uncommitted changes: commit them first"
	n=$(git -C "$REPO" rev-list --count base..series)
	mkdir -p "$PATCHDIR"
	find "$PATCHDIR" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' -delete
	if [ "$n" -eq 0 ]; then
		msg "$BASE: empty series (the base kernel)"
		return 0
	fi
	# The cover letter is dated and signed like the newest patch, not
	# with the time of the export, so an unchanged series exports the same.
	GIT_COMMITTER_DATE=$(git -C "$REPO" log -1 --format=%aI series) \
	GIT_COMMITTER_NAME=$(git -C "$REPO" log -1 --format=%an series) \
	GIT_COMMITTER_EMAIL=$(git -C "$REPO" log -1 --format=%ae series) \
	git -C "$REPO" -c core.abbrev=12 format-patch -q -o "$PATCHDIR" \
		--cover-letter --cover-from-description=subject \
		--base=base --no-signature --zero-commit \
		base..series
	msg "$BASE: exported $n patch(es) and the cover letter to ${PATCHDIR#"$TOP"/}"
}

case $cmd in
init) do_init ;;
apply) do_apply ;;
dev) do_dev ;;
export) do_export ;;
bare) do_bare ;;
*) die "unknown command '$cmd'" ;;
esac
