# SPDX-License-Identifier: GPL-2.0
# Common settings for the harness scripts. Sourced, not executed.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${DHR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dma-heap-read}
JOBS=${JOBS:-$(nproc)}

msg() { printf '>>> %s\n' "$*" >&2; }
warn() { printf '*** WARNING: %s\n' "$*" >&2; }
die() { printf '*** ERROR: %s\n' "$*" >&2; exit 1; }

# load_base NAME: read bases/NAME.conf into BASE_* variables.
load_base() {
	local conf="$TOP/bases/$1.conf"

	[ -f "$conf" ] || die "unknown base '$1' (no $conf)"
	BASE=$1
	# shellcheck disable=SC1090
	. "$conf"
	BASE_PKG=$PKG BASE_VERSION=$VERSION BASE_SUITE=$SUITE
	BASE_ARCHIVE=$ARCHIVE BASE_SHA256=$SHA256 BASE_DESCRIPTION=$DESCRIPTION
	PATCHDIR=$TOP/patches/$BASE
	SRCTREE=$CACHE/trees/$BASE
	# The test tree (tree.sh apply) and the build directories.
	APPLYTREE=$CACHE/apply/$BASE
}

# series_patches: the patches of patches/$BASE in order, cover letter
# excluded. The one definition of what the series is.
series_patches() {
	find "$PATCHDIR" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-cover-letter.patch' 2>/dev/null | LC_ALL=C sort
}

# The identity git am commits the series with in the harness's trees (the
# patches keep their authors; this only names the committer).
GIT_ID=(-c user.name=dma-heap-read -c user.email=dma-heap-read@localhost)

# kmake_setup SRC OUT: set KMAKE to the make arguments of every kernel
# build of the harness (tree, output directory, reproducible build
# identity, ccache when present).
kmake_setup() {
	KMAKE=(-C "$1" O="$2" ARCH=x86_64 KBUILD_BUILD_USER=dhr KBUILD_BUILD_HOST=qemu
	       KBUILD_BUILD_TIMESTAMP="2000-01-01")
	if command -v ccache >/dev/null 2>&1; then
		export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
		export CCACHE_BASEDIR=$CACHE CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
		KMAKE+=(CC="ccache gcc" HOSTCC="ccache gcc")
	fi
}

# need CMD...: fail with the install command when a host tool is missing.
need() {
	local missing=() c

	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || missing+=("$c")
	done
	[ ${#missing[@]} -eq 0 ] ||
		die "missing host tools: ${missing[*]} (run: make deps, or as root: $TOP/scripts/install-deps.sh)"
}
