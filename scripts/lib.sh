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

# The architecture of the kernels and guests: "x86_64" (the default, what
# "make test" and CI run) or "arm64" (cross-built with aarch64-linux-gnu-,
# booted in qemu-system-aarch64; scripts/test-arm64.sh).
ARCH=${ARCH:-x86_64}
case $ARCH in
x86_64) CROSS_COMPILE='' KIMAGE=bzImage KIMAGE_PATH=arch/x86/boot/bzImage ;;
arm64) CROSS_COMPILE=aarch64-linux-gnu- KIMAGE=Image KIMAGE_PATH=arch/arm64/boot/Image ;;
*) die "unsupported ARCH '$ARCH' (x86_64 or arm64)" ;;
esac

# build_name BASE FLAVOUR: the name of a kernel build directory under
# $CACHE/build: BASE-FLAVOUR on x86_64, BASE-ARCH-FLAVOUR elsewhere.
build_name() {
	if [ "$ARCH" = x86_64 ]; then echo "$1-$2"; else echo "$1-$ARCH-$2"; fi
}

# kmake_setup SRC OUT: set KMAKE to the make arguments of every kernel
# build of the harness (tree, output directory, architecture and cross
# compiler, reproducible build identity, ccache when present). Host
# programs are always built with the host's gcc.
kmake_setup() {
	local cc=${CROSS_COMPILE}gcc

	KMAKE=(-C "$1" O="$2" ARCH="$ARCH" KBUILD_BUILD_USER=dhr KBUILD_BUILD_HOST=qemu
	       KBUILD_BUILD_TIMESTAMP="2000-01-01")
	[ -z "$CROSS_COMPILE" ] || KMAKE+=(CROSS_COMPILE="$CROSS_COMPILE")
	if command -v ccache >/dev/null 2>&1; then
		export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
		export CCACHE_BASEDIR=$CACHE CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
		KMAKE+=(CC="ccache $cc" HOSTCC="ccache gcc")
	elif [ -n "$CROSS_COMPILE" ]; then
		KMAKE+=(HOSTCC=gcc)
	fi
}

# mirror_for ARCHIVE: the first URI of the machine's apt sources whose
# path ends in /ARCHIVE ("debian", "debian-security"). The harness never
# names a mirror itself: it downloads from the one the machine uses.
mirror_for() {
	local f

	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		 /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		case $f in
		*.sources) sed -n 's/^URIs:[[:space:]]*//p' "$f" | tr ' ' '\n' ;;
		*) sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]\+\).*/\2/p' "$f" ;;
		esac
	done | sed 's:/*$::' | grep -E "/$1\$" | head -n 1
}

# private_apt DIR: set APT_OPTS to apt-get/apt-cache options that use
# DIR's own sources list, package lists and download cache (the
# machine's apt configuration and state are never touched), and create
# DIR's layout.
private_apt() {
	mkdir -p "$1/lists/partial" "$1/cache/archives/partial" \
		 "$1/sources.list.d" "$1/preferences.d"
	APT_OPTS=(
		-o "Dir::Etc::SourceList=$1/sources.list"
		-o "Dir::Etc::SourceParts=$1/sources.list.d"
		-o "Dir::Etc::Preferences=$1/preferences"
		-o "Dir::Etc::PreferencesParts=$1/preferences.d"
		-o "Dir::State::Lists=$1/lists"
		-o "Dir::Cache=$1/cache"
		-o "APT::Get::List-Cleanup=0"
		-o "Debug::NoLocking=1"
	)
	# Root's download dirs are not readable by _apt; do not ask it to sandbox.
	[ "$(id -u)" -ne 0 ] || APT_OPTS+=(-o "APT::Sandbox::User=root")
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

# verdict LOG P F S: the end of a test run: the failures LOG holds, the
# expected skips, and the closing "N passed, N failed, N skipped" line;
# fails if F is not 0.
verdict() {
	local fails

	echo "failures and kernel-log problems (all of them are above, in order):"
	sleep 1 # let tee catch up
	fails=$(grep -E '(^|: )(FAIL|KERNEL): ' "$1" | grep -v '^  ' | tail -n 40 || true)
	echo "${fails:-none}" | sed 's/^/  /'
	echo "expected skips (config/expected-skips; any other skip is a failure):"
	grep -v '^#' "$TOP/config/expected-skips" | sed 's/^/  /'
	echo "$2 passed, $3 failed, $4 skipped"
	[ "$3" -eq 0 ]
}
