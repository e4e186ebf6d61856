.\" Fragment for nslab.1 (issue 6, export). Goes in COMMANDS after the
.\" teaching commands; the FILES note at the end goes where it says.
.SS Export
.B export
writes the lab as it is now in the forms used outside
.BR nslab .
It looks once into the lab (hostname and domain name, the uid and gid
maps, how many System V IPC objects it holds), reads the limits of its
cgroup, and replays the mounts it made: every
.BR mount " and " umount
that worked is recorded in order (an
.B umount
of what the lab mounted itself takes that mount out of the record), and
.BR "share mnt" ,
.B reset
and
.B "lab del"
forget the record with the mount namespace.
Names are exported only where they differ from the host's.
Everything that came from the learner (names, paths, arguments) is quoted
for
.BR sh (1)
(single quotes; a control byte is made by
.BR printf (1),
so that the text stays printable) and for C (escapes, octal for any byte
outside printable ASCII); the bundle's JSON is written by json-c.
System V IPC objects and their contents cannot be carried over: a note
says so.
.TP
.BI "export unshare " "\fR[\fPPROGRAM \fR[\fPARGS\fR...]]\fP"
One
.BR unshare (1)
command line, printed as the last line, that runs
.I PROGRAM
(the shell, without one) in an equivalent lab: an option per namespace
.RB ( \-\-mount ,
.BR \-\-uts ,
.BR \-\-ipc ,
.BR \-\-net ,
.BR \-\-pid ,
.BR \-\-cgroup ,
.BR \-\-time ),
.B \-\-fork
for a PID or time namespace,
.B \-\-mount\-proc
when the lab mounted
.I /proc
from its own PID namespace,
.B \-\-monotonic
and
.B \-\-boottime
for clock offsets, and for the user namespace
.B \-\-map\-root\-user
or
.BR \-\-map\-user / \-\-map\-group
when the maps give one id each, the caller's own (what any user may
write), else
.BR \-\-map\-users / \-\-map\-groups
(which need
.BR newuidmap (1),
.BR newgidmap (1)
and ranges in
.I /etc/subuid
and
.IR /etc/subgid ;
one range each) with
.BR \-\-setuid " 0 " \-\-setgid " 0."
What unshare has no option for (the names and the other mounts) goes into
a
.B "sh \-c"
that runs first inside the new namespaces and then execs the program,
which comes as
.B \(dq$@\(dq
so that its words are quoted once.
A hostname that Debian's
.BR hostname (1)
refuses (anything but letters, digits, dots and dashes) is written to
.I /proc/sys/kernel/hostname
instead, which only the host's root may do.
Lines before it, starting with
.BR # ,
say what the line cannot carry: cgroup limits, IPC objects, veth pairs.
.TP
.BI "export sh " "\fR[\fPFILE\fR]\fP"
A POSIX shell script using util-linux and iproute2 that makes the lab
again and then runs its arguments in it (the shell without any); printed,
or written to
.I FILE
(mode 0755).
It makes a cgroup
.BI nslab\-export. PID
in each hierarchy the lab's limits need (on v1 below the cgroup the script
runs in, on v2 below the root) and writes the files
.B nslab
wrote
.RI ( memory.limit_in_bytes " and " memory.memsw.limit_in_bytes ,
.IR pids.max ,
.IR cpu.cfs_period_us " and " cpu.cfs_quota_us ;
.IR memory.max ,
.IR memory.swap.max " and " cpu.max
on v2); the program's first process joins them before any namespace.
Maps of other ids (a range, as root) are written from outside, as
.B nslab
writes them: a holder process
.RB ( "unshare \-\-user" )
keeps the new user namespace while the script writes
.IR setgroups ,
.I uid_map
and
.I gid_map
under
.IR /proc/ PID,
then
.BR nsenter (1)
joins it and
.B unshare
makes the other namespaces inside; the same holder keeps a network
namespace while
.BR ip (8)
moves veth ends into it.
Maps of the caller's own ids use
.BR "unshare \-\-map\-user" .
An inner script, run as the PID 1 of the new PID namespace, sets the names
.RB ( hostname ,
.BR domainname ),
replays the mounts
.RB ( "mount \-t proc" ,
.BR "mount \-t tmpfs" ,
.BR "mount \-\-rbind" ,
.BR umount ),
and execs the program.
On exit, by signal too, the script kills what is left in its cgroups,
removes them, ends the holder and deletes the veths it made.
As root when the lab has limits, maps of other ids or veths; else as
any user.
.TP
.BI "export c " "\fR[\fPFILE\fR]\fP"
A standalone C program that makes the system calls that made the lab,
printed or written to
.IR FILE :
.B "cc \-Wall \-Werror \-o lab FILE && ./lab"
.RI [ PROGRAM " [" ARGS ...]].
A supervisor makes the cgroups and writes the limits, forks a child that
joins them and calls
.BR unshare (2)
once with every
.B CLONE_NEW*
flag; the child writes its own maps to
.IR /proc/self/setgroups " (" deny "), " uid_map " and " gid_map
when they are the caller's own ids, else the supervisor writes them to
.IR /proc/ CHILD /...
while the child waits on a pipe.
The child then becomes root inside
.RB ( setgroups (2),
.BR setresgid (2),
.BR setresuid (2)),
makes
.I /
private
.RB ( MS_REC|MS_PRIVATE ),
writes
.I /proc/self/timens_offsets
for clock offsets, forks the lab's PID 1 when the lab has a PID or time
namespace, calls
.BR sethostname (2),
.BR setdomainname (2),
.BR mount (2)
and
.BR umount2 (2)
as the lab did, and execs the program.
The supervisor waits, removes the cgroups and exits with the program's
status.
Only what the lab needs is written, so the compiler finds nothing unused.
Veth pairs are left to
.BR "export sh" .
.TP
.BI "export oci " "DIR \fR[\fPPROGRAM \fR[\fPARGS\fR...]]\fP"
An OCI runtime bundle in
.I DIR
(new, or empty) that
.BR crun (1)
and
.BR runc (8)
run:
.IR DIR /config.json
shaped as
.B "runc spec"
writes it (process, capabilities, masked and read-only paths, the
.IR /proc ,
.IR /dev ,
.IR /dev/pts ,
.IR /dev/shm ,
.IR /dev/mqueue ,
.I /sys
and
.I /sys/fs/cgroup
mounts) with the lab's
.B hostname
and
.BR domainname ,
a
.B linux.namespaces
entry per isolated type,
.BR uidMappings / gidMappings ,
.B linux.resources
.RB ( memory.limit
and, where swap is accounted,
.BR memory.swap ,
.BR pids.limit ,
.BR cpu.quota / cpu.period ),
.B linux.timeOffsets
and crun's
.B run.oci.timens_offset
annotation for clock offsets, and the lab's own mounts after the default
ones (an
.B umount
in the lab removes a default mount at that place).
The process is
.I PROGRAM
with
.B terminal
false, or
.B sh
on a terminal without one.
The root is
.IR DIR /rootfs,
a small root made from Debian's static
.I /bin/busybox
(a link per applet,
.IR /etc/passwd ,
.IR /etc/group ;
a dynamic busybox is refused), unless the lab has a root of its own.
The bundle always has a mount namespace, which a root filesystem needs; a
lab with a user namespace but no PID, IPC or network namespace of its own
gets the host's
.I /proc
and
.I /sys
bound (and no
.IR /dev/mqueue ),
since it may not mount new ones, as
.B "runc spec \-\-rootless"
does.
Run it as root:
.BI "crun run \-b " "DIR ID" \fR.\fP
runc 1.1 knows no time namespace and sets no domain name; a note says so.
Debian's crun 1.8 refuses a hybrid cgroup layout while it sees the v2
hierarchy at
.IR /sys/fs/cgroup/unified :
.B "unshare \-m sh \-c 'umount /sys/fs/cgroup/unified; crun run \-b DIR ID'"
hides it for that run only.
On failure
.B export oci
removes what it made.
.\" ---- FILES (add to the FILES section):
.\" .TP
.\" .IB DIR /config.json ", " DIR /rootfs
.\" The OCI bundle `export oci DIR` writes.
