#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# jsontext.sh: `status --json` stays valid JSON (UTF-8, RFC 8259) whatever
# bytes the lab puts in the names it reports.
: "${TESTS_DIR:=$(cd "$(dirname "$0")/.." && pwd)}"
# shellcheck source=../lib.sh
. "$TESTS_DIR/lib.sh"
require_root
snapshot_begin

bad=$(printf 'a\377b\001c\300')
nsl "unshare uts; hostname '$bad'; domainname '$(printf '\342\202')'; status --json"
rc_is "status --json with invalid UTF-8 in the lab's names" 0
json=$(sed -n '/^{/,$p' <<<"$OUT")
check "the output is valid UTF-8" iconv -f UTF-8 -t UTF-8 -o /dev/null <<<"$json"
contains "each invalid byte is U+FFFD, a control byte is escaped" "$json" \
	"\"hostname\": \"a$(printf '\357\277\275')b\\u0001c$(printf '\357\277\275')\""
contains "a sequence cut short is U+FFFD too" "$json" "\"domainname\": \"$(printf '\357\277\275\357\277\275')\""
snapshot_check "host unchanged"
no_lab_process_left "no lab process left"
done_testing
