#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-busybox.sh ARCH
#
# Print the path of a statically linked busybox for the guests of ARCH.
# x86_64: the host's own busybox-static (make deps). Other architectures:
# Debian's busybox-static package for that architecture, downloaded with
# apt-get through a private sources list and lists directory, as
# scripts/fetch-base.sh fetches the kernel sources (the machine's apt
# configuration is never touched; the mirror is the one its sources use
# for the "debian" archive), checked against its pinned sha256 and
# cached under $CACHE/busybox/ARCH.
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: fetch-busybox.sh ARCH}
# The package, pinned as bases/*.conf pin the kernel sources. When the
# pinned version leaves the suite the newest one is used, with a warning.
BB_PKG=busybox-static
BB_SUITE=bookworm
BB_VERSION=1:1.35.0-4+deb12u1+b1
declare -A BB_SHA256=(
	[arm64]=732c9135564fc71337e0e05fb4da4d11e6c28c1834bce3e405e575afef2a52f5
)

if [ "$arch" = x86_64 ]; then
	busybox=$(command -v busybox || true)
	[ -n "$busybox" ] && file -L "$busybox" 2>/dev/null | grep -q 'static' ||
		busybox=/bin/busybox
	[ -x "$busybox" ] || die "busybox-static is not installed (make deps)"
	echo "$busybox"
	exit 0
fi

DIR=$CACHE/busybox/$arch
if [ -x "$DIR/busybox" ] && [ -f "$DIR/version" ]; then
	echo "$DIR/busybox"
	exit 0
fi
need apt-get apt-cache dpkg-deb sha256sum
APTDIR=$CACHE/apt/busybox-$arch
private_apt "$APTDIR"
APT_OPTS+=(-o "APT::Architecture=$arch" -o "APT::Architectures::=$arch")
mirror=$(mirror_for debian)
[ -n "$mirror" ] || die "no 'debian' archive in this machine's apt sources; cannot fetch $BB_PKG:$arch"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
echo "deb [arch=$arch signed-by=$keyring] $mirror $BB_SUITE main" > "$APTDIR/sources.list"
msg "updating private package lists for $BB_SUITE ($arch)"
apt-get "${APT_OPTS[@]}" -qq update >&2 || die "apt-get update for $BB_SUITE ($arch) failed"

version=$BB_VERSION
if ! apt-cache "${APT_OPTS[@]}" show "$BB_PKG:$arch=$version" >/dev/null 2>&1; then
	version=$(apt-cache "${APT_OPTS[@]}" madison "$BB_PKG:$arch" |
		  awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -V | tail -n 1)
	[ -n "$version" ] || die "$BB_PKG:$arch is not in $BB_SUITE"
	warn "pinned $BB_PKG $BB_VERSION has left $BB_SUITE; using $version"
	warn "update BB_VERSION and BB_SHA256 in scripts/fetch-busybox.sh"
fi
want=$(apt-cache "${APT_OPTS[@]}" show "$BB_PKG:$arch=$version" | sed -n 's/^SHA256: //p' | head -n 1)
if [ "$version" = "$BB_VERSION" ] && [ -n "${BB_SHA256[$arch]:-}" ] &&
   [ "$want" != "${BB_SHA256[$arch]}" ]; then
	die "archive index says sha256 $want for $BB_PKG:$arch $version, fetch-busybox.sh pins ${BB_SHA256[$arch]}"
fi
tmp=$DIR.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
msg "downloading $BB_PKG:$arch $version"
(cd "$tmp" && apt-get "${APT_OPTS[@]}" -qq download "$BB_PKG:$arch=$version") >&2 ||
	die "apt-get download $BB_PKG:$arch=$version failed"
deb=$(find "$tmp" -maxdepth 1 -name "${BB_PKG}_*_$arch.deb" | head -n 1)
[ -n "$deb" ] || die "apt-get download left no $BB_PKG .deb in $tmp"
got=$(sha256sum "$deb" | cut -d' ' -f1)
[ "$got" = "$want" ] || die "sha256 mismatch for $deb: got $got, want $want"
dpkg-deb -x "$deb" "$tmp/root" || die "cannot unpack $deb"
[ -x "$tmp/root/bin/busybox" ] || die "$deb has no bin/busybox"
file -L "$tmp/root/bin/busybox" | grep -q 'statically linked' ||
	die "$deb's busybox is not statically linked"
rm -rf "$DIR"
mkdir -p "$DIR"
mv "$tmp/root/bin/busybox" "$DIR/busybox"
echo "$version $got" > "$DIR/version"
rm -rf "$tmp"
echo "$DIR/busybox"
