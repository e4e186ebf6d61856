.\" Hardening (issue 7): text for nslab(1). The lead merges it.
.\"
.\" ---- For the run/enter entries (COMMANDS), after `enter`:
.TP
.I The terminal
A program started by
.BR run ,
.BR enter ,
.B compare
or a bare program name never gets
.BR nslab 's
own terminal.
When any of
.BR nslab 's
standard input, output or error is a terminal, the program gets a
pseudo-terminal of its own instead
.RB ( posix_openpt (3),
.BR TIOCGPTPEER ),
in a session of its own
.RB ( setsid (2))
of which it is the controlling terminal, so that a shell has job
control; its size follows the real terminal's.
.B nslab
copies keys to it and its output back
.RB ( poll (2))
until the program ends, and puts the real terminal back as it was.
Text that a program in the lab pushes into its terminal's input
.RB ( TIOCSTI )
reaches only that pseudo-terminal: never
.BR nslab 's
prompt, and never the shell that started
.BR nslab .
The program starts with SIGHUP ignored, so that what it leaves in the
background outlives it, as on a terminal of one's own.
Programs started by
.B host
keep the real terminal.
Where no pseudo-terminal can be had (a
.I /dev/pts
mounted with
.BR ptmxmode=000 ,
which refuses everyone but root), a
.B nslab
without CAP_SYS_ADMIN over the host starts the program in a session of
its own on the terminal itself: the kernel refuses TIOCSTI on a terminal
that is not the caller's controlling one.
.B nslab
then passes SIGINT and SIGQUIT on to it.
With CAP_SYS_ADMIN and no pseudo-terminal, the command fails.
.\"
.\" ---- For DESCRIPTION, after "Everything the lab made goes away with it":
.PP
Every process
.B nslab
starts for a lab ends when
.B nslab
ends, even by SIGKILL
.RB ( PR_SET_PDEATHSIG ,
checked against a parent already gone), and holds only file descriptors
0, 1 and 2; it has no inheritable or ambient capability
.RB ( capset (2),
.BR PR_CAP_AMBIENT_CLEAR_ALL ),
whatever
.B nslab
was started with, and it starts in the lab's view of the working
directory.
A cgroup that a lab made below its own goes with the lab's.
.PP
A lab without a user namespace, run by root, is root on the host: a
program in it can ptrace
.BR nslab ,
write the host's files, and even remove a mount point of the host that
its own mount namespace no longer has (after
.BR "umount \-l /proc" ,
.B rmdir /proc
detaches the host's
.IR /proc ).
With a user namespace and root's default map
.RB ( "0 0 1" ),
the lab's root is the host's uid 0 as owner of files.
For a lab that must not reach the host, give it a user namespace with
ids of its own:
.BR "uidmap 0 100000 65536" ,
.BR "gidmap 0 100000 65536" ,
.BR "unshare user ..." ,
or run
.B nslab
as an unprivileged user.
.\"
.\" ---- For ENVIRONMENT:
.TP
.B NSLAB_TEST_PAUSE
For
.BR nslab 's
own tests: a comma-separated list of named points between the steps of
multi-step work
.RB ( unshare:after-fork ,
.BR unshare:after-maps ,
.BR unshare:after-helper ,
.BR helper:after-unshare ,
.BR cgroup:after-mkdir ,
.BR call:after-join ,
.BR spawn:after-join ,
.BR destroy:after-share )
at which the process that reaches one stops itself (SIGSTOP), so that a
test can kill
.B nslab
exactly there.
