#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mail.sh BASE [--dry-run] [git send-email options...]
#
# Send patches/BASE with git send-email, addressed by the kernel's own
# get_maintainer.pl: the maintainers and reviewers go in To, the lists in
# Cc, for each patch (the cover letter gets the union). The mails are the
# files in patches/BASE, unchanged. --dry-run shows every mail without
# sending anything (the test command runs it that way).
. "$(dirname "$0")/lib.sh"

load_base "${1:?usage: mail.sh BASE [--dry-run] [send-email options]}"
shift
need git
git send-email --help >/dev/null 2>&1 || die "git send-email is missing (make deps: git-email)"
SRC=$("$TOP/scripts/tree.sh" apply "$BASE")
mapfile -t mails < <(find "$PATCHDIR" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' | LC_ALL=C sort)
[ ${#mails[@]} -gt 1 ] || die "patches/$BASE holds no series to mail"

# Called by send-email with each mail; the cover letter gets the union of
# the patches' addresses. "to": maintainers and reviewers; "cc": lists.
addr=$CACHE/mail-addr-$BASE.sh
cat > "$addr" <<EOS
#!/bin/sh
role=\$1
shift
cd "$SRC" || exit 1
case "\$(basename "\$1")" in
0000-cover-letter.patch) set -- $(printf '"%s" ' "${mails[@]:1}") ;;
esac
if [ "\$role" = to ]; then
	opts="--no-l"
else
	opts="--no-m --no-r"
fi
./scripts/get_maintainer.pl --no-git --no-git-fallback --no-rolestats --no-tree \$opts "\$@"
EOS
chmod +x "$addr"
git -C "$SRC" send-email --confirm=never --suppress-cc=self --no-chain-reply-to \
	--to-cmd="$addr to" --cc-cmd="$addr cc" "$@" "${mails[@]}"
