#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mail.sh BASE [--dry-run] [git send-email options...]
#
# Send patches/BASE with git send-email, addressed by the kernel's own
# get_maintainer.pl: the maintainers and reviewers go in To, the lists in
# Cc, for each patch (the cover letter gets the union). --dry-run shows
# every mail without sending anything (the test command runs it that way).
#
# The person who sends the series signs it off (DCO): the files in
# patches/BASE carry a placeholder author, and the mails are copies of
# them stamped with the sender's identity, in From: and in every
# Signed-off-by: and shortlog line of the placeholder. The sender is
# $DHR_SENDER ("Name <address>") or else git's user.name and user.email.
# Sending refuses no identity, or a placeholder one (an address at
# .invalid, .example, .test, .localhost, localhost or example.com/.net/
# .org); a dry run shows what such a sender would get, and says it would
# be refused.
. "$(dirname "$0")/lib.sh"

load_base "${1:?usage: mail.sh BASE [--dry-run] [send-email options]}"
shift
need git
git send-email --help >/dev/null 2>&1 || die "git send-email is missing (make deps: git-email)"
SRC=$("$TOP/scripts/tree.sh" apply "$BASE")
mapfile -t files < <(find "$PATCHDIR" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' | LC_ALL=C sort)
[ ${#files[@]} -gt 1 ] || die "patches/$BASE holds no series to mail"

dry=0
for a in "$@"; do [ "$a" != --dry-run ] || dry=1; done
sender=${DHR_SENDER:-}
if [ -z "$sender" ]; then
	name=$(git config user.name || true)
	email=$(git config user.email || true)
	[ -z "$name" ] || [ -z "$email" ] || sender="$name <$email>"
fi
[ -n "$sender" ] ||
	die "no sender identity: set git config user.name and user.email (or DHR_SENDER=\"Name <address>\")"
case $sender in
*'<'*@*'>') ;;
*) die "sender identity \"$sender\" is not \"Name <address>\"" ;;
esac
addr=${sender##*<}
addr=${addr%>}
placeholder='(\.invalid|\.example|\.test|\.localhost|@localhost|@example\.(com|net|org))$'
if grep -qiE "$placeholder" <<< "$addr"; then
	[ $dry = 1 ] || die "refusing to send as \"$sender\": a placeholder address; the series is signed off by whoever sends it (DCO)"
	echo "NOTE: \"$sender\" is a placeholder: make mail would refuse to send as it."
fi

# The stamped copies: the placeholder identity of patches/BASE is any
# "Name <address>" whose address ends in .invalid.
OUT=$CACHE/mail-$BASE
rm -rf "$OUT"
mkdir -p "$OUT"
mails=()
for f in "${files[@]}"; do
	# From: (the placeholder's name is also the cover letter's shortlog
	# heading, "Name (N):"), Signed-off-by: and Co-developed-by:.
	SENDER=$sender perl -pe '
		BEGIN { $s = $ENV{SENDER}; ($n = $s) =~ s/\s*<.*//; }
		if ($. < 5 && s/^From: ([^<\n]*?) <[^>]*\.invalid>$/From: $s/) { $p = $1; }
		s/^(Signed-off-by|Co-developed-by): [^<\n]*<[^>]*\.invalid>$/$1: $s/;
		s/^\Q$p\E (\(\d+\):)$/$n $1/ if defined $p;
	' "$f" > "$OUT/$(basename "$f")"
	mails+=("$OUT/$(basename "$f")")
done
! grep -l '\.invalid>' "${mails[@]}" >/dev/null ||
	die "a placeholder identity is left in $(grep -l '\.invalid>' "${mails[@]}" | head -1)"
echo "Signed off as: $sender"

# Called by send-email with each mail; the cover letter gets the union of
# the patches' addresses. "to": maintainers and reviewers; "cc": lists.
addrcmd=$CACHE/mail-addr-$BASE.sh
cat > "$addrcmd" <<EOS
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
chmod +x "$addrcmd"
git -C "$SRC" send-email --confirm=never --suppress-cc=self --no-chain-reply-to \
	--from "$sender" --to-cmd="$addrcmd to" --cc-cmd="$addrcmd cc" "$@" "${mails[@]}"
