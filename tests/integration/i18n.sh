#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# i18n.sh: the zh_CN catalog. po/zh_CN.po is complete (no untranslated or
# fuzzy message, msgfmt -c clean); with it installed in a temp directory
# (NSLAB_LOCALEDIR), every `explain` topic, the topic list, `help`, the
# usage text and errors are in Chinese, every topic exists in both
# languages, system call names, paths and the "Try:" commands are kept as
# they are, explain lines fit 76 columns, the FILE:LINE prefix of an error
# is unchanged; the locale (LC_ALL/LANG + LANGUAGE) selects Chinese too,
# --lang en gives English and a bad --lang is a usage error.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"

PO=$TESTS_DIR/../po/zh_CN.po
command -v msgfmt >/dev/null || skip_all "msgfmt (GNU gettext) is not installed"
[ -f "$PO" ] || bail "no catalog at $PO"

# Some character of a CJK ideograph or fullwidth punctuation in UTF-8 (lead
# byte E3..E9): no locale needed.
CJK=$'[\xe3-\xe9][\x80-\xbf][\x80-\xbf]'
has_cjk() { LC_ALL=C grep -q "$CJK" <<<"$1"; }
# in_chinese DESC TEXT: ok when TEXT has Chinese in it.
in_chinese() {
	if has_cjk "$2"; then
		ok "$1"
	else
		not_ok "$1"
		diag_block "no Chinese in:" "$2"
		return 1
	fi
}
# The locale for display widths, if there is one.
UTF8=
for l in C.UTF-8 C.utf8 en_US.UTF-8; do
	if [ "$(LC_ALL=$l locale charmap 2>/dev/null)" = UTF-8 ]; then
		UTF8=$l
		break
	fi
done
# width TEXT: the widest line of TEXT, in terminal columns.
width() { LC_ALL=$UTF8 wc -L <<<"$1" | tr -d ' '; }

# ---- the catalog itself

stats=$(LC_ALL=C msgfmt -c --statistics -o /dev/null "$PO" 2>&1)
rc=$?
is "msgfmt -c accepts po/zh_CN.po" 0 "$rc" || diag "$stats"
like "every message is translated" "$stats" '^[0-9]+ translated messages\.$'
lacks "no fuzzy message" "$stats" fuzzy
lacks "no untranslated message" "$stats" untranslated
# printf conversions keep their order: no %N$ in a translation.
unlike "no translation reorders printf conversions (%N\$)" "$(grep '^msgstr\|^"' "$PO")" '%[0-9]+\$'
like "Plural-Forms is nplurals=1; plural=0;" "$(cat "$PO")" '^"Plural-Forms: nplurals=1; plural=0;\\n"$'
# The catalog is up to date with the sources: every message that the
# source files listed in po/POTFILES.in ask for is in it (a message
# changed in the code and not in the catalog shows in English).
if command -v xgettext >/dev/null && command -v msgcmp >/dev/null; then
	top=$TESTS_DIR/..
	opts=$(sed -n 's/^XGETTEXT_OPTIONS = //p' "$top/po/Makevars")
	# shellcheck disable=SC2086 # the options are words
	(cd "$top" && xgettext $opts --language=C -o "$T/sources.pot" -f po/POTFILES.in) 2>"$T/xgettext.err"
	cmp_out=$(msgcmp "$PO" "$T/sources.pot" 2>&1)
	is "po/zh_CN.po has every message of the sources (msgcmp)" 0 "$?" || diag "$cmp_out"
else
	skip "xgettext or msgcmp (gettext) is not installed"
fi

export NSLAB_LOCALEDIR=$T/locale
mkdir -p "$NSLAB_LOCALEDIR/zh_CN/LC_MESSAGES"
msgfmt -o "$NSLAB_LOCALEDIR/zh_CN/LC_MESSAGES/nslab.mo" "$PO" || bail "msgfmt cannot compile $PO"

# ---- explain: the topic list

nsl 'explain' --lang en
EN_LIST=$OUT
nsl 'explain' --lang zh_CN
ZH_LIST=$OUT
rc_is "explain (zh_CN) succeeds" 0
mapfile -t topics < <(awk 'NR > 1 { print $1 }' <<<"$EN_LIST")
mapfile -t zh_topics < <(awk 'NR > 1 { print $1 }' <<<"$ZH_LIST")
[ "${#topics[@]}" -gt 0 ] || bail "no topic in the English list: $EN_LIST"
diag "topics: ${#topics[@]} in English, ${#zh_topics[@]} in Chinese"
is "the same topics in both languages" "${topics[*]}" "${zh_topics[*]}"
in_chinese "the topic list's heading is in Chinese" "$(head -n 1 <<<"$ZH_LIST")"
bad=
while IFS= read -r line; do
	has_cjk "$line" || bad+="$line"$'\n'
done < <(tail -n +2 <<<"$ZH_LIST")
is "every topic's title in the list is in Chinese" "" "$bad"

# ---- explain TOPIC, for every topic

no_cjk='' same='' empty='' wide='' lost='' try=''
for t in "${topics[@]}"; do
	nsl "explain $t" --lang en
	en=$OUT en_rc=$RC
	nsl "explain $t" --lang zh_CN
	zh=$OUT
	[ "$en_rc" -eq 0 ] && [ "$RC" -eq 0 ] && [ -n "$en" ] && [ -n "$zh" ] || empty+=" $t"
	has_cjk "$zh" || no_cjk+=" $t"
	[ "$en" != "$zh" ] || same+=" $t"
	if [ -n "$UTF8" ] && [ "$(width "$zh")" -gt 76 ]; then
		wide+=" $t($(width "$zh"))"
	fi
	# What students type and look up stays as it is: calls, flags,
	# constants, errno names, paths.
	while IFS= read -r tok; do
		[[ $zh == *"$tok"* ]] || lost+=" $t:$tok"
	done < <(LC_ALL=C grep -oE '[a-z_0-9]+\([A-Z_0-9|]*\)|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\bE[A-Z]{3,}\b|/[a-z][A-Za-z0-9_./*-]*[A-Za-z0-9_*]' <<<"$en" | sort -u)
	# "Try:" lines: the word is translated, the commands are not.
	while IFS= read -r cmd; do
		found=
		while IFS= read -r line; do
			if [[ $line == *"$cmd" && $line != "Try: $cmd" && $line != "$cmd" ]] && has_cjk "${line%"$cmd"}"; then
				found=1
			fi
		done <<<"$zh"
		[ -n "$found" ] || try+=" $t:'$cmd'"
	done < <(sed -n 's/^Try: //p' <<<"$en")
done
is "explain TOPIC succeeds with text, in both languages" "" "$empty"
is "explain TOPIC is in Chinese, for every topic" "" "$no_cjk"
is "explain TOPIC differs from the English, for every topic" "" "$same"
if [ -n "$UTF8" ]; then
	is "explain TOPIC: every Chinese line fits 76 columns" "" "$wide"
else
	skip "explain TOPIC: every Chinese line fits 76 columns" "no UTF-8 locale to measure with"
fi
is "system calls, constants and paths are kept as they are" "" "$lost"
is "the \"Try:\" commands are kept; only the word is translated" "" "$try"

# Another name of a topic (mount, network, chroot) in Chinese too.
nsl 'explain chroot' --lang zh_CN
in_chinese "explain chroot (an alias) is in Chinese" "$OUT"

# ---- help

nsl 'help' --lang en
EN_HELP=$OUT
mapfile -t cmds < <(awk '/^  [a-z]/ { print $1 }' <<<"$EN_HELP")
nsl 'help' --lang zh_CN
ZH_HELP=$OUT
rc_is "help (zh_CN) succeeds" 0
mapfile -t zh_cmds < <(awk '/^  [a-z]/ { print $1 }' <<<"$ZH_HELP")
is "help lists the same commands in both languages" "${cmds[*]}" "${zh_cmds[*]}"
# Each command's line (or the line under it, for long usages) in Chinese.
untranslated=$(awk -v cjk="$CJK" '
	/^  [a-z]/ { if (name != "" && !done) print name; name = $1; done = ($0 ~ cjk); next }
	/^   / { if ($0 ~ cjk) done = 1; next }
	END { if (name != "" && !done) print name }' <<<"$ZH_HELP")
is "help: every command's help line is in Chinese" "" "$untranslated"
in_chinese "help: the heading is in Chinese" "$(head -n 1 <<<"$ZH_HELP")"
in_chinese "help: the last line is in Chinese" "$(tail -n 1 <<<"$ZH_HELP")"
help_cmds=
for c in "${cmds[@]}"; do help_cmds+="help $c; "; done
nsl "$help_cmds" --lang zh_CN
n_usage=$(grep -c '^用法：' <<<"$OUT")
is "help COMMAND (zh_CN) says 用法 for every command" "${#cmds[@]}" "$n_usage"
nslab_run --lang zh_CN --help
rc_is "--help (zh_CN) exits 0" 0
like "--help is in Chinese, the options as they are" "$OUT" '^ -c, --command TEXT +运行 TEXT'

# ---- errors: Chinese message, the FILE:LINE prefix as it was

nsl 'unshare foo' --lang en
EN_ERR=$ERR
nsl 'unshare foo' --lang zh_CN
fails_cleanly "unshare foo (zh_CN) fails with one line on stderr" '^-c:1: '
in_chinese "the error is in Chinese" "$ERR"
contains "the error keeps the word it is about" "$ERR" "'foo'"
is "the same prefix in both languages" "${EN_ERR%%: *}" "${ERR%%: *}"
lacks "no English left in the error" "$ERR" "unknown namespace"
script=$(printf 'say one\nunshare foo\n' | nsl_script lesson.nslab)
nslab_run --lang zh_CN "$script"
fails_cleanly "a failing script (zh_CN) fails with one line on stderr" "^$script:2: "
in_chinese "a script's error is in Chinese after FILE:LINE" "$ERR"
nsl 'frobnicate' --lang zh_CN
fails_cleanly "an unknown command (zh_CN) fails cleanly" "^-c:1: .*'frobnicate'"
in_chinese "an unknown command is reported in Chinese" "$ERR"

# ---- status: a table in Chinese whose header lines up with its rows

nsl 'status' --lang zh_CN
rc_is "status (zh_CN) succeeds" 0
header=$(sed -n 2p <<<"$OUT")
row=$(grep '^uts ' <<<"$OUT")
in_chinese "status: the header is in Chinese" "$header"
if [ -n "$UTF8" ]; then
	# The last header word starts where the rows' details start.
	last=${header##* }
	head_w=$(width "${header%"$last"}")
	read -r _ _ _ _ _ detail <<<"$row"
	row_w=$(width "${row%"$detail"}")
	is "status: the header's columns line up with the rows" "$row_w" "$head_w"
else
	skip "status: the header's columns line up with the rows" "no UTF-8 locale to measure with"
fi

# ---- choosing the language

if [ -n "$UTF8" ]; then
	NSL_WRAP=(env -u LANG LC_ALL="$UTF8" LANGUAGE=zh_CN)
	nsl 'explain uts'
	NSL_WRAP=()
	in_chinese "LC_ALL=$UTF8 LANGUAGE=zh_CN selects Chinese" "$OUT"
	NSL_WRAP=(env LC_ALL="$UTF8" LANGUAGE=zh_CN)
	nsl 'explain uts' --lang en
	NSL_WRAP=()
	is "--lang en wins over LANGUAGE=zh_CN" "UTS namespace: the machine's names" "$(head -n 1 <<<"$OUT")"
else
	skip "LC_ALL=C.UTF-8 LANGUAGE=zh_CN selects Chinese" "no UTF-8 locale"
	skip "--lang en wins over LANGUAGE=zh_CN" "no UTF-8 locale"
fi
zh_locale=$(locale -a 2>/dev/null | grep -iE '^zh_CN\.utf-?8$' | head -n 1)
if [ -n "$zh_locale" ]; then
	NSL_WRAP=(env -u LC_ALL -u LANGUAGE LANG=zh_CN.UTF-8)
	nsl 'explain uts'
	NSL_WRAP=()
	in_chinese "LANG=zh_CN.UTF-8 selects Chinese" "$OUT"
else
	skip "LANG=zh_CN.UTF-8 selects Chinese" "the zh_CN.UTF-8 locale is not installed"
fi
nsl 'explain uts' --lang en
is "--lang en gives English" "UTS namespace: the machine's names" "$(head -n 1 <<<"$OUT")"
nsl 'explain uts'
is "the C locale gives English" "UTS namespace: the machine's names" "$(head -n 1 <<<"$OUT")"
nsl 'help' --lang fr
rc_is "a bad --lang value exits 2" 2
fails_cleanly "a bad --lang value: one line on stderr" '--lang'
is "a bad --lang value: nothing on stdout" "" "$OUT"

done_testing
