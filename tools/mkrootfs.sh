#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mkrootfs.sh DIR: build a small root filesystem for nslab's lessons and
# tests from Debian's busybox-static, with nothing downloaded: bin/ holds
# busybox and a link for each of its applets (sh, ls, ps, cat, mount, ip...),
# etc/ a passwd and a group, and proc/ sys/ dev/ tmp/ root/ are empty, for
# `rootfs DIR` to mount into. Works unprivileged.
#   BUSYBOX=/path/to/busybox   use another static busybox
set -eu

usage() {
	cat <<EOF
Usage: $0 DIR

Build a small root filesystem in DIR (new or empty, or one this script
built before) from a static busybox: $busybox by default.
Debian: apt-get install busybox-static
EOF
}

busybox=${BUSYBOX:-/bin/busybox}
case "${1:-}" in
-h|--help) usage; exit 0 ;;
"") usage >&2; exit 2 ;;
esac
[ $# -eq 1 ] || { usage >&2; exit 2; }
dir=$1

die() { echo "mkrootfs: $*" >&2; exit 1; }

[ -x "$busybox" ] || die "no busybox at $busybox (apt-get install busybox-static)"
# A dynamic busybox would need the host's libraries inside the root.
if LC_ALL=C readelf -l "$busybox" 2>/dev/null | grep -q 'Requesting program interpreter'; then
	die "$busybox is dynamically linked: it needs busybox-static (apt-get install busybox-static)"
fi
if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ] && [ ! -x "$dir/bin/busybox" ]; then
	die "$dir is not empty and not a root this script built"
fi

mkdir -p "$dir/bin" "$dir/etc" "$dir/proc" "$dir/sys" "$dir/dev" "$dir/tmp" "$dir/root" "$dir/usr"
cp "$busybox" "$dir/bin/busybox.new"
mv -f "$dir/bin/busybox.new" "$dir/bin/busybox"
chmod 755 "$dir/bin/busybox"
for applet in $("$dir/bin/busybox" --list); do
	[ "$applet" = busybox ] || ln -sfn busybox "$dir/bin/$applet"
done
# Scripts that say #!/usr/bin/env or call /sbin/ip find them too.
ln -sfn bin "$dir/sbin"
ln -sfn ../bin "$dir/usr/bin"
ln -sfn ../bin "$dir/usr/sbin"

cat >"$dir/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$dir/etc/group" <<'EOF'
root:x:0:
tty:x:5:
nogroup:x:65534:
EOF
echo nslab >"$dir/etc/hostname"
cat >"$dir/etc/profile" <<'EOF'
export PATH=/bin
export PS1='[rootfs] \w \$ '
EOF
chmod 1777 "$dir/tmp"
chmod 700 "$dir/root"
echo "mkrootfs: $dir: busybox $("$dir/bin/busybox" | sed -n '1s/^BusyBox \(v[^ ]*\).*/\1/p') with $(find "$dir/bin" -mindepth 1 -maxdepth 1 | wc -l) commands"
