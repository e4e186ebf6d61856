.\" export learns clock offsets, the lab's root and veth pairs (branch exportext).
.\" For man/nslab.1, section .SS Export:
.\" 1. Replace the paragraph "In this version export does not yet see a
.\"    lab's clock offsets, its root or its veth pairs (see BUGS)." with the
.\"    text below up to the first .TP.
.\" 2. Append each .TP paragraph's addition (marked) to that form's entry.
.\" 3. In .SH BUGS, delete the first paragraph ("export does not yet learn a
.\"    lab's clock offsets ... once they are known.") and its .PP.
It also carries what the fs and net commands made:
the offsets that
.B clock
set, once
.B "unshare time"
has written them;
the lab's root, from
.B rootfs
.I dir
.RB ( pivot_root (2))
or
.B chroot
.I dir
(both: the two paths joined, which is what the lab's programs see as
.IR / );
and each veth pair with an end in the lab, its names and addresses.
An overlay, and an overlay made the lab's root, exist only in the lab's
mount namespace (on the host the merged directory is empty): they are
left out, and every form says so in a comment or note.
.\" ---- addition to "export unshare":
.TP
.BR "export unshare" " (addition)"
The lab's root becomes
.BI \-\-root= dir
(a
.BR chroot (2);
a note says that the lab's was made with
.BR pivot_root (2)
and has
.I /dev
and
.I /sys
in it) and, when
.B rootfs
mounted a
.I /proc
there,
.BR \-\-mount\-proc ,
which unshare mounts after the chroot.
An
.B unshare
line cannot make a veth pair: a note says so.
.\" ---- addition to "export sh":
.TP
.BR "export sh" " (addition)"
For a root made by
.BR rootfs ,
the inner script binds the directory onto itself, mounts in it what
.B rootfs
mounts (a new
.I /proc
or the old one bound where a user namespace may not mount one, a tmpfs
.I /dev
with
.IR null ,
.IR zero ,
.IR full ,
.IR random ,
.I urandom
and
.I tty
bound from the old one,
.IR /dev/pts ,
.IR /dev/shm ,
a read-only
.IR /sys ),
then
.B "pivot_root . ."
and
.BR "umount \-l ." ;
for
.B chroot
it execs the program through
.BR chroot (8).
Each veth pair is made with
.B "ip link add"
.I far
.B "type veth peer name"
.I name
.B netns
.I holder
straight into the held network namespace (so a lab end called
.B eth0
never meets the host's), with the addresses and both ends and the lab's
.B lo
up, waiting up to a second for the carrier.
The far end is on the host and named after the script,
.BI nslx PID v N\c
: nslab's own host end may still exist, a later nslab would sweep a name
of nslab's shape once its nslab is gone, and an end that was in another
lab may be called what a host link is.
.\" ---- addition to "export c":
.TP
.BR "export c" " (addition)"
For a root made by
.B rootfs
the program mounts the same
.IR /proc ,
.I /dev
and
.I /sys
in it, then calls
.BR pivot_root (2)
and detaches the old root; for
.B chroot
it calls
.BR chroot (2)
and
.BR chdir (2).
Veth pairs are not written (a comment says so; rtnetlink is left to
.BR "export sh" ).
.\" ---- addition to "export oci":
.TP
.BR "export oci" " (addition)"
A lab with a root of its own gets
.B root.path
set to that directory (read-write) and no busybox root.
OCI has no veth: a note says so (a runtime's hooks or a CNI plugin make
them).
