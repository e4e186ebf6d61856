.\" fs.frag: the layered filesystem and clock commands, for nslab(1).
.\" Four pieces, each headed by where it goes.
.\"
.\" ==== COMMANDS, after .SS Mounts ==========================================
.SS Layered filesystem
A container's filesystem is a read-only image under a writable layer that
is thrown away, made the container's root so that nothing of the host is
left reachable.
These commands build it one step at a time; all of them need the lab's own
mount namespace
.RB ( "unshare mnt" ),
and paths are looked up in the lab's mount namespace unless said otherwise.
.TP
.BI "overlay " "\fR[\fPlower\fR...]\fP"
Mount an overlay filesystem for the lab: the
.I lower
directories (top first; by default the host's root,
.IR / )
read-only, under an upper directory that takes every change.
The upper and work directories are made on the host, in the lab's run
directory
.I RUN/PID/LAB
(see
.BR FILES ;
usually in memory), and removed with it; the overlay itself is mounted only in the lab's mount
namespace, at
.IR RUN/PID/LAB/merged ,
with the new mount API:
.BR fsopen (2)
of
.BR overlay ,
one
.BR fsconfig (2)
.B lowerdir+
per layer (so no path needs escaping),
.BR upperdir ,
.BR workdir ,
.B volatile
(the upper layer is scratch: no sync of the filesystem it lives on),
.B userxattr
when a user namespace mounts it, then
.BR fsmount (2)
and
.BR move_mount (2).
On the host that directory stays empty.
.B nslab
also keeps a private, detached copy of each lower layer
.RB ( open_tree (2)
with
.BR OPEN_TREE_CLONE ,
without the mounts below it), which is what the overlay sees, for
.BR diff .
.IP
Refused: a lab without its own mount namespace; a lower that does not exist
in the lab or is not a directory; a second overlay
.RB ( "share mnt"
ends the first); an overlay after
.B rootfs
or
.BR chroot ,
when the run directory is out of the lab's reach.
The kernel refuses layers that lie inside one another (except the host's
root with the run directory in it): keep a saved layer beside the others,
or on another filesystem such as
.IR /dev/shm .
Without root privileges the host's root cannot be a layer, since the mounts
under it
.RI ( /proc ,
.IR /sys ...)
hide what an unprivileged user may not see: give a directory, such as a
root made by
.BR tools/mkrootfs.sh .
.TP
.BI "rootfs " "\fR[\fPdir\fR]\fP"
Make
.I dir
(or, without it, the overlay) the lab's root, as a container runtime does.
In a process in the lab (in the lab's PID namespace when it has one),
.B nslab
bind-mounts
.I dir
onto itself, since
.BR pivot_root (2)
wants a mount point, mounts in it a new
.B proc
on
.IR /proc ,
a tmpfs on
.I /dev
with
.BR null ,
.BR zero ,
.BR full ,
.BR random ,
.B urandom
and
.B tty
(made with
.BR mknod (2)
as root; in a user namespace, which may not make devices, the lab's own are
bind-mounted onto empty files), a new
.B devpts
instance on
.IR /dev/pts ,
a tmpfs on
.IR /dev/shm ,
and
.B sysfs
read-only on
.IR /sys ,
then calls
.B "pivot_root(\(dq.\(dq, \(dq.\(dq)"
and detaches the old root
.RB ( umount2 (2)
with
.BR MNT_DETACH ).
From then on no path, not even
.IR /proc/1/root ,
leads back to the host's files; unless the lab's PID 1 was made before
its mount namespace
.RB ( "unshare pid" ,
then
.BR "unshare mnt" ):
it lives in the host's mount namespace, which
.B pivot_root
does not touch, and
.B rootfs
warns
.RB ( "share pid" ,
.B "unshare pid"
makes one inside).
Without a PID namespace of its own, a rootless lab gets its
.I /proc
bound instead of new (it lists the host's processes); without a network
namespace of its own, a rootless lab gets its
.I /sys
bound read-only
.RB ( mount_setattr (2)).
A directory the root lacks
.RI ( /proc ,
.IR /dev ,
.IR /sys )
is left out, with a note.
.IP
Refused, with nothing changed: a lab in the host's mount namespace;
.I dir
that does not exist, is not a directory or has no
.I /bin/sh
(it does not look like a root filesystem);
.B rootfs
without
.I dir
and without an overlay, or when the overlay is the root already; a
chrooted lab.
If a step fails half-way, the bind of
.I dir
is detached, and with it everything mounted in it.
.TP
.BI "chroot " dir
Start every later program of the lab, and every process
.B nslab
runs there for a command, with
.BR chroot (2)
into
.I dir
and
.B chdir("/")
before anything else (the namespace helpers are not chrooted: a chrooted
process may not create a user namespace).
The root is checked as for
.BR rootfs .
.IP
This is why container runtimes use
.B pivot_root
and not
.BR chroot :
chroot changes only the root directory of the processes that call it.
The mount namespace keeps the old root, the lab's PID 1 keeps it (so
.I /proc/1/root
leads there once a
.I /proc
is mounted in the chroot), and a process that is root in the chroot can
chroot again into a subdirectory without changing its working directory
and climb out with
.BR .. ,
or use a directory it had open.
.B pivot_root
changes the mount namespace's root itself, moves every process's root with
it, and the old root, once detached, is gone from the namespace.
.TP
.B diff
List what the lab changed over its overlay's lower layers, as
.BR "docker diff" :
.B A
for a path the lab added,
.B C
for one it changed (a file copied up, or a directory that holds changes),
.B D
for one it deleted, sorted by path.
.B nslab
reads the upper directory on the host: overlayfs records a deletion as a
whiteout, a character device 0/0, and a directory that replaced one below
it as opaque, with the extended attribute
.B trusted.overlay.opaque
(or
.B user.overlay.opaque
when a user namespace mounted it) set to
.BR y ;
every entry the lower layers had in an opaque directory and the lab did not
make again is listed as deleted.
Whether a path was in the lower layers is looked up the way the overlay
does: the first layer that has it decides, a whiteout there hides it, and
an opaque directory hides the layers below.
Refused without an overlay.
.TP
.BI "layer save " dir
Copy the overlay's upper layer to
.IR dir ,
a path on the host (not in the lab), new or empty: files, directories,
symbolic links, whiteouts (which anyone may make) and opaque marks (as
.B user.overlay.opaque
and, as root, also
.BR trusted.overlay.opaque ),
with modes, owners where allowed, and times.
.BI "overlay " "dir lower..."
later stacks it on the same lower layers, which
.B nslab
names.
Refused without an overlay, into a directory that is not empty, or inside
the run directory.
.\"
.\" ==== COMMANDS, a new .SS after Layered filesystem ===========================
.SS Time
.TP
.BI "clock " "\fR[\fPmonotonic\fR|\fPboottime offset\fR]\fP"
Without arguments, show the lab's clock offsets: the ones its time
namespace has, or those waiting for it.
With a clock and an
.I offset
(whole seconds, or with a unit:
.BR 90 ,
.BR -15m ,
.BR 2h ,
.BR 3d ),
keep the offset for the lab's next time namespace:
.B "unshare time"
writes it.
A time namespace shifts
.B CLOCK_MONOTONIC
and
.B CLOCK_BOOTTIME
(and so
.IR /proc/uptime )
for the processes in it, never the wall clock.
.IP
The kernel takes offsets only through
.IR /proc/PID/timens_offsets ,
which names the time namespace
.IR PID 's
children are born into, and refuses them
.RB ( EACCES )
once any process has entered the namespace: on this kernel both a
.BR setns (2)
into it and a
.BR fork (2)
of the process that made it freeze them.
So the helper that makes the namespace writes them right after
.BR unshare (2)
with
.BR CLONE_NEWTIME ,
before it starts the lab's PID 1 and before it hands the namespace to
.BR nslab .
.IP
Refused: an offset that does not parse; a clock other than
.B monotonic
or
.BR boottime ;
an offset that would take the clock below zero or past what the kernel
keeps (it checks the same when the offset is written); and any
offset once the lab has its time namespace
.RB ( "share time" ,
.BR clock ,
then
.B "unshare time"
makes a new one).
.\"
.\" ==== FILES, a new entry ==================================================
.TP
.I /run/nslab/PID/LAB/
.TQ
.I /dev/shm/nslab/PID/LAB/
.TQ
.I $XDG_RUNTIME_DIR/nslab/PID/LAB/
.TQ
.I /tmp/nslab-UID/PID/LAB/
The run directory of lab
.I LAB
of the
.B nslab
whose process ID is
.IR PID :
the overlay's
.I upper
and
.I work
directories and the empty mount point
.IR merged .
As root the first, or the second where
.I /run
is not a tmpfs (the upper layer is scratch and belongs in memory; on a
disk every change waits for the journal); unprivileged, the third when
.B XDG_RUNTIME_DIR
is set, the fourth otherwise.
It must be a directory of the user's own that only the user may write to,
or
.B nslab
refuses it.
.B nslab
holds a lock
.RB ( flock (2))
on
.I PID/
while it runs, removes a lab's directory on
.BR "share mnt" ,
.BR reset ,
.BR "lab del" ,
exit and fatal signals, and at start removes every
.I PID/
whose lock is free: what a killed
.B nslab
left.
Nothing is ever mounted there on the host.
.\"
.\" ==== EXAMPLES, a new .SS ==================================================
.SS A container in five commands
.EX
$ \fBtools/mkrootfs.sh /tmp/root\fP
# \fBnslab\fP
lab1> \fBunshare mnt pid uts ipc net\fP
lab1> \fBoverlay /tmp/root\fP
lab1> \fBrootfs\fP
lab1> \fBrun sh -c 'ps; echo hi > /greeting; rm /etc/passwd'\fP
lab1> \fBdiff\fP
C /etc
D /etc/passwd
A /greeting
.EE
.PP
.I /tmp/root
is unchanged; the changes live in the lab's upper layer until
.B "share mnt"
or
.BR "layer save" .
With
.B "chroot /tmp/root"
and
.B "mount proc"
instead of
.BR overlay " and " rootfs ,
.B "run cat /proc/1/root/etc/hostname"
prints the host's name: the way out that
.B pivot_root
closes.
