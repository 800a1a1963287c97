#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-base.sh BASE
#
# Download the Debian linux-source package named in bases/BASE.conf with
# apt-get, through a private sources list and lists directory (the
# machine's apt configuration is never touched), check its sha256, and
# print the path of the kernel source tarball it contains. The mirror is
# the one the machine's own apt sources already use for that archive.
. "$(dirname "$0")/lib.sh"

load_base "${1:?usage: fetch-base.sh BASE}"
need apt-get apt-cache dpkg-deb sha256sum

APTDIR=$CACHE/apt/$BASE
DEBDIR=$CACHE/debs
private_apt "$APTDIR"
mkdir -p "$DEBDIR"

# A cached, verified .deb is enough: no network needed.
deb_name() { echo "${BASE_PKG}_${1//:/%3a}_all.deb"; }
stamp=$DEBDIR/$(deb_name "$BASE_VERSION").sha256
if [ -f "$stamp" ] && [ -f "$DEBDIR/$(deb_name "$BASE_VERSION")" ]; then
	deb=$DEBDIR/$(deb_name "$BASE_VERSION")
	(cd "$DEBDIR" && sha256sum --quiet -c "$stamp") ||
		die "cached $deb does not match its recorded sha256; delete it"
else
	mirror=$(mirror_for "$BASE_ARCHIVE")
	[ -n "$mirror" ] ||
		die "no '$BASE_ARCHIVE' archive in this machine's apt sources; cannot fetch $BASE_PKG"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	echo "deb [signed-by=$keyring] $mirror $BASE_SUITE main" > "$APTDIR/sources.list"
	msg "updating private package lists for $BASE_SUITE"
	apt-get "${APT_OPTS[@]}" -qq update >&2 ||
		die "apt-get update for $BASE_SUITE failed"

	version=$BASE_VERSION
	if ! apt-cache "${APT_OPTS[@]}" show "$BASE_PKG=$version" >/dev/null 2>&1; then
		series=${BASE_PKG#linux-source-}
		version=$(apt-cache "${APT_OPTS[@]}" madison "$BASE_PKG" |
			  awk -F'|' '{gsub(/ /, "", $2); print $2}' |
			  grep "^$series\." | sort -V | tail -n 1)
		[ -n "$version" ] || die "$BASE_PKG is not in $BASE_SUITE at all"
		warn "****************************************************************"
		warn "pinned $BASE_PKG $BASE_VERSION has left the archive;"
		warn "using the newest of the series instead: $version"
		warn "update bases/$BASE.conf (VERSION and SHA256) to pin it"
		warn "****************************************************************"
	fi
	want=$(apt-cache "${APT_OPTS[@]}" show "$BASE_PKG=$version" |
	       sed -n 's/^SHA256: //p' | head -n 1)
	if [ "$version" = "$BASE_VERSION" ] && [ -n "$BASE_SHA256" ] &&
	   [ "$want" != "$BASE_SHA256" ]; then
		die "archive index says sha256 $want for $BASE_PKG $version, bases/$BASE.conf pins $BASE_SHA256"
	fi
	msg "downloading $BASE_PKG $version"
	(cd "$DEBDIR" && apt-get "${APT_OPTS[@]}" -qq download "$BASE_PKG=$version") >&2 ||
		die "apt-get download $BASE_PKG=$version failed"
	deb=$DEBDIR/$(deb_name "$version")
	[ -f "$deb" ] || die "apt-get download left no $deb"
	got=$(sha256sum "$deb" | cut -d' ' -f1)
	[ "$got" = "$want" ] || { rm -f "$deb"; die "sha256 mismatch for $deb: got $got, want $want"; }
	echo "$got  $(basename "$deb")" > "$DEBDIR/$(deb_name "$version").sha256"
	BASE_VERSION=$version
fi

# Print: VERSION and path of the .deb.
echo "$BASE_VERSION $deb"
