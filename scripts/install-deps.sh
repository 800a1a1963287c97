#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the host packages the harness needs (Debian). Run as root, or
# read the command it prints. "install-deps.sh arm64" (or ARCH=arm64 in
# the environment: make deps ARCH=arm64) adds what the arm64 runs need
# (scripts/test-arm64.sh): the cross compiler, its static libc for the
# selftests, and qemu-system-aarch64.
set -euo pipefail

pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio
	xz-utils zstd kmod rsync git python3 perl
	qemu-system-x86 busybox-static e2fsprogs
	ccache sparse gnuplot-nox git-email
	libcap-dev libdrm-dev python3-ply python3-git libmailtools-perl
)
if [ "${1:-${ARCH:-}}" = arm64 ]; then
	pkgs+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "Missing host packages. As root, run:" >&2
	echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
	exit 1
fi
echo ">>> installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
