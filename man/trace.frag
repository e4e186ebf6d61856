.\" man/trace.frag: the syscall echo (issue 6, TRACE), for nslab(1).
.\" Four pieces: an OPTIONS entry (after --lang), a COMMANDS subsection
.\" (after Help and leaving, or wherever the teaching commands are), an
.\" ENVIRONMENT addition to NO_COLOR, and an EXAMPLES entry.
.\" ---- for OPTIONS ----
.TP
.B \-\-trace
Start with
.B "trace on"
(see
.BR "Watching the system calls" ):
every command shows the system calls it makes.
.\" ---- for COMMANDS ----
.SS Watching the system calls
.TP
.BR trace " [" on | off ]
With
.BR on ,
every later command shows the system calls it makes, one line each, on
standard error, in the form
.BR strace (1)
prints them:
.RS
.PP
.EX
unshare(CLONE_NEWUTS) = 0
sethostname("foo", 3) = 0
mount("proc", "/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL) = 0
setns(5, CLONE_NEWPID) = 0
umount2("/tmp", UMOUNT_NOFOLLOW) = \-1 EINVAL (Invalid argument)
.EE
.PP
Each line is written by the process that made the call (nslab, the helper
that makes namespaces, the lab's PID 1, the process that joins the lab, the
program about to be started), when the call returns, in one
.BR write (2),
so the lines of several processes never mix; they come in the order the
calls began, as
.B "strace \-f"
shows them.
A failed call ends in
.B "= \-1"
with the errno's name and its message.
Flags are shown by name
.RB ( CLONE_NEW* ,
.BR MS_* ,
.BR MOUNT_ATTR_* ,
.BR O_* ,
.BR IPC_* ),
strings quoted and escaped, cut after 32 bytes with
.BR ... ,
as
.B strace
does.
On a terminal the lines are dimmed, so that the commands' own output
stands out; they are plain when standard error is not a terminal, when
.B NO_COLOR
is set, or when
.B TERM
is
.BR dumb .
.PP
Shown are the calls that make the lab:
.BR clone (2)
(a
.BR fork (3)
is
.B clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD)
to the kernel) and the PID the parent got back,
.BR unshare (2),
.BR setns (2)
with the namespace fd and its type,
.BR execve (2)
of the program,
.BR kill (2)
of a PID 1;
the writes of
.IR /proc/ PID /setgroups ,
.IR uid_map ,
.I gid_map
and
.IR timens_offsets ,
and
.BR setgroups (2),
.BR setresgid (2),
.BR setresuid (2)
on entering a user namespace;
.BR sethostname (2),
.BR setdomainname (2);
.BR mount (2),
.BR umount2 (2),
and the new mount API
.RB ( fsopen (2),
.BR fsconfig (2),
.BR fsmount (2),
.BR move_mount (2))
for
.I /proc
and the overlay;
.BR pivot_root (2),
.BR chroot (2),
.BR mknod (2)
for the lab's
.IR /dev ;
.BR msgget (2),
.BR shmget (2),
.BR semget (2)
and their
.B IPC_RMID
calls;
the lab's cgroup directories
.RB ( mkdirat (2),
.BR unlinkat (2))
and every write to a cgroup file (limits,
.IR cgroup.procs ),
shown with the file's path after the fd as
.B "strace \-y"
shows it;
and each rtnetlink request that changes something, as one line:
.RS
.PP
.EX
sendmsg(RTM_NEWLINK veth "eth0" up peer "nsl4242v1" netns 8) = 0
sendmsg(RTM_NEWADDR 10.77.1.2/24 index 2) = 0
.EE
.RE
.PP
Not shown: what
.B nslab
does only to find out and report facts (reading
.IR /proc ,
the cgroup files' usage, the links it lists); so
.B status
and the panel print nothing, although they look inside the lab from a
process that joins it.
Programs run in the lab are not traced: use
.B "run strace"
for that.
.PP
Two things differ from
.BR strace .
A child process writes its parent's
.B clone
line itself, with the PID its parent got back, before anything else it
does: the line then always comes before the child's own.
A successful
.B execve
never returns, and the program it starts runs at once, so its line is
written just before the call, once the file is found and executable;
should the call fail all the same, a second line says how.
.PP
With no argument,
.B trace
says whether it is on.
Anything but
.B on
or
.B off
is refused, and nothing changes.
A script may turn tracing on and off around the steps it shows;
.B \-\-trace
turns it on from the start.
.RE
.\" ---- for ENVIRONMENT, added to NO_COLOR ----
.\" When set to a non-empty value, the lines of `trace` are not dimmed.
.\" ---- for EXAMPLES ----
.SS The system calls behind a hostname
.RS 4
.EX
$ sudo nslab \-\-trace \-c \(aqunshare uts; hostname foo\(aq
clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD) = 4243
unshare(CLONE_NEWUTS) = 0
uts    isolated: namespace 4026532179 (host 4026531838)
clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD) = 4244
setns(21, CLONE_NEWUTS) = 0
sethostname("foo", 3) = 0
.EE
.RE
.PP
The first child made the namespace and handed it to
.B nslab
(which never changes its own namespaces); the second joined it and renamed
it.
