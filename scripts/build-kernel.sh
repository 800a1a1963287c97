#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh [--unpatched] BASE FLAVOUR
#
# Configure (allnoconfig + config/base.config + config/arch-$ARCH.config
# + config/FLAVOUR.config, and config/BASE.config and
# config/BASE-FLAVOUR.config when present, merged by the kernel's own
# merge_config.sh) and build the kernel image (bzImage; Image on arm64)
# and usr/gen_init_cpio out of tree, in $CACHE/build/BASE-FLAVOUR
# ($CACHE/build/BASE-ARCH-FLAVOUR for ARCH=arm64), from the tree made by
# "tree.sh apply". Fails naming every requested option that did not
# survive olddefconfig. Prints the build directory.
#
# ARCH (environment): x86_64 (default) or arm64, cross-compiled with
# aarch64-linux-gnu- (scripts/lib.sh).
#
# DHR_MUTANT=FILE: build with FILE (a patch from mutants/) applied on top
# of the series, in the same build directory, and take it out again when
# done (scripts/mutants.sh); the next plain build recompiles what it
# touched.
#
# --unpatched: the base without the series ("tree.sh bare"), built in
# $CACHE/build/BASE-FLAVOUR-unpatched, for A/B benchmarks. Only "bench":
# config/debug.config asks for the series' KUnit symbol, so a debug
# build of the bare base stops at the config check, naming it.
. "$(dirname "$0")/lib.sh"

UNPATCHED=0
[ "${1:-}" != --unpatched ] || { UNPATCHED=1; shift; }
load_base "${1:?usage: build-kernel.sh BASE FLAVOUR}"
FLAVOUR=${2:?usage: build-kernel.sh BASE FLAVOUR}
need make gcc flex bison bc ${CROSS_COMPILE:+${CROSS_COMPILE}gcc}

# FLAVOUR may add fragments to a flavour: "debug+gki" is the debug
# flavour with config/gki.config (and config/BASE-gki.config) on top.
frags=("$TOP/config/base.config" "$TOP/config/arch-$ARCH.config")
[ -f "$TOP/config/$BASE.config" ] && frags+=("$TOP/config/$BASE.config")
IFS=+ read -r -a parts <<< "$FLAVOUR"
for f in "${parts[@]}"; do
	[ -f "$TOP/config/$f.config" ] || die "unknown flavour '$f' (no config/$f.config)"
	frags+=("$TOP/config/$f.config")
	[ -f "$TOP/config/$BASE-$f.config" ] && frags+=("$TOP/config/$BASE-$f.config")
done

if [ $UNPATCHED = 1 ]; then
	SRC=$("$TOP/scripts/tree.sh" bare "$BASE")
	OUT=$CACHE/build/$(build_name "$BASE" "$FLAVOUR")-unpatched
else
	SRC=$("$TOP/scripts/tree.sh" apply "$BASE")
	OUT=$CACHE/build/$(build_name "$BASE" "$FLAVOUR")
fi
NAME=$(basename "$OUT")
mkdir -p "$OUT"
if [ -n "${DHR_MUTANT:-}" ]; then
	[ $UNPATCHED = 0 ] || die "DHR_MUTANT applies on top of the series, not to the bare base"
	git -C "$SRC" apply "$DHR_MUTANT" || die "mutant does not apply: $DHR_MUTANT"
	# shellcheck disable=SC2064
	trap "git -C '$SRC' apply -R '$DHR_MUTANT'" EXIT
	NAME="$NAME + $(basename "$DHR_MUTANT" .patch)"
fi

kmake_setup "$SRC" "$OUT"

# check_config .config FRAG...: every CONFIG_X=v and "# CONFIG_X is not
# set" of the fragments must hold in .config.
check_config() {
	local cfg=$1 bad=0 line sym want got
	local -A req=()
	shift
	# The last fragment that sets a symbol wins, as in merge_config.sh.
	while read -r line; do
		case $line in
		CONFIG_*=*) sym=${line%%=*}; want=${line#*=} ;;
		"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *}; want=n ;;
		*) continue ;;
		esac
		req[$sym]=$want
	done < <(cat "$@")
	for sym in "${!req[@]}"; do
		want=${req[$sym]}
		got=$(sed -n "s/^$sym=//p" "$cfg")
		[ -n "$got" ] || got=n
		if [ "$got" != "$want" ]; then
			echo "*** config: $sym=$want requested, got $sym=$got" >&2
			bad=1
		fi
	done
	return $bad
}

# Reconfigure when the fragments changed, and also when the .config no
# longer holds what they request: a build of another tree state in this
# directory (bisect-check.sh starts from the bare base) lets syncconfig
# drop a symbol the series adds, and it would come back as "not set".
stamp=$(cat "${frags[@]}" | sha256sum | cut -c1-16)
if [ ! -f "$OUT/.config" ] || [ "$(cat "$OUT/.config.frags" 2>/dev/null)" != "$stamp" ] ||
   ! check_config "$OUT/.config" "${frags[@]}" 2>/dev/null; then
	msg "configuring $NAME"
	rm -f "$OUT/.config.frags"
	(cd "$SRC" && scripts/kconfig/merge_config.sh -n -O "$OUT" "${frags[@]}") \
		> "$OUT/merge_config.log" 2>&1 ||
		{ cat "$OUT/merge_config.log" >&2; die "merge_config.sh failed for $NAME"; }
	make -s "${KMAKE[@]}" olddefconfig >&2
	check_config "$OUT/.config" "${frags[@]}" ||
		die "$NAME: requested config options did not survive (above); fix config/"
	echo "$stamp" > "$OUT/.config.frags"
fi

msg "building $NAME in $OUT"
start=$(date +%s)
make -s "${KMAKE[@]}" -j"$JOBS" "$KIMAGE" >&2 ||
	die "$NAME: kernel build failed"
[ -x "$OUT/usr/gen_init_cpio" ] || die "$NAME: usr/gen_init_cpio was not built (CONFIG_BLK_DEV_INITRD?)"
# With CONFIG_MODULES, the modules go to OUT/modules, which
# mkinitramfs.sh puts in the guest's /lib/modules for guest/init to load.
rm -rf "$OUT/modules"
if grep -q '^CONFIG_MODULES=y' "$OUT/.config"; then
	make -s "${KMAKE[@]}" -j"$JOBS" modules >&2 || die "$NAME: module build failed"
	mkdir -p "$OUT/modules"
	find "$OUT" -path "$OUT/modules" -prune -o -name '*.ko' -print |
		xargs -r cp -t "$OUT/modules"
fi
make -s "${KMAKE[@]}" headers_install INSTALL_HDR_PATH="$OUT/hdr" >&2 ||
	die "$NAME: headers_install failed"
msg "$NAME built in $(( $(date +%s) - start ))s"
echo "$OUT"
