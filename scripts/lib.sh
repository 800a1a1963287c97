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
