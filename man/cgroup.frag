.\" Fragment for nslab.1 (issue 5, cgroups). Goes in COMMANDS after the
.\" namespace commands; the two short notes at the end go where they say.
.SS Cgroups
A lab has no cgroup until it needs one: when a limit is first set, or at
.B "unshare cgroup"
(so that the new namespace's root is the lab's cgroup).
It then gets a directory
.BI nslab. PID . LAB
below
.BR nslab 's
own cgroup in every hierarchy that carries
.BR memory ,
.BR pids ,
.B cpu
or
.BR cpuacct ,
so the lab stays inside whatever limits or delegation
.B nslab
itself was given, and the name says which
.B nslab
process it belongs to.
Each controller is taken, at run time, from the cgroup v1 hierarchy that
carries it, else from the cgroup v2 hierarchy, as
.I /proc/self/mountinfo
and
.I /proc/self/cgroup
show them.
Processes of the lab's PID namespace move in when the cgroup is made;
every process
.B nslab
starts in the lab afterwards joins it (a write of 0 to
.I cgroup.procs
through a directory descriptor
.B nslab
holds) before it joins any namespace.
Processes started earlier in a lab without a PID namespace stay where they
were.
.TP
.B cgroup
Show the lab's limits and what it uses now: memory used, its peak and the
OOM kills
.RI ( memory.usage_in_bytes ,
.IR memory.max_usage_in_bytes ,
.I memory.oom_control
on v1;
.IR memory.current ,
.IR memory.peak ,
.I memory.events
on v2), processes and refused forks
.RI ( pids.current ,
.IR pids.events ),
CPU time and throttling
.RI ( cpuacct.usage
on v1,
.I cpu.stat
on v2), and the directories.
Without a cgroup it says, per controller, whether it is available here and
if not, why.
.B status
and the panel's cgroup row show the same usage against the limits.
.TP
.BI "cgroup memory " size " \fR|\fP max"
Limit the memory of the lab's processes to
.I size
(bytes, or with K, M, G or T; at least 1M), or lift the limit.
Written to
.I memory.limit_in_bytes
and
.I memory.memsw.limit_in_bytes
on v1,
.I memory.max
on v2 with
.I memory.swap.max
at 0: no swap beyond the limit, so a process that goes over it is killed
by the OOM killer.
.B run
reports such a process as
.RI "killed by the OOM killer (memory limit " size ),
told apart from any other SIGKILL by the cgroup's OOM-kill count before
and after, and a program whose child was OOM-killed says so after its exit
status.
.TP
.BI "cgroup pids " n " \fR|\fP max"
Allow at most
.I n
processes (and threads) in the lab
.RI ( pids.max ).
A fork over the limit fails inside the lab with EAGAIN; a fork bomb stops
there, and
.B nslab
goes on answering.
.TP
.BI "cgroup cpu " percent " \fR|\fP max"
Allow the lab
.I percent
of one CPU (1 to 100 times the number of CPUs; a trailing % is allowed):
.I cpu.cfs_quota_us
per 100 ms of
.I cpu.cfs_period_us
on v1,
.I cpu.max
on v2.
The lab's processes then run for that share of every period and wait out
the rest (they are throttled).
.PP
Refused, with one line and nothing changed: a size, number or percentage
that does not parse or is out of range; a limit below what the lab uses
now (for memory the kernel would reclaim and then OOM-kill; for pids it
would end nothing but refuse every fork until fewer processes remain); a
controller that is not available here (disabled, bound to a v1 hierarchy
that is not mounted, so v2 cannot have it, or not enabled in the parent's
.I cgroup.subtree_control
on v2); and, without root, a cgroup that is not delegated: cgroup v1 has no
safe delegation, on v2 run
.B nslab
in a delegated cgroup
.RB ( "systemd-run \-\-user \-\-scope \-p Delegate=yes nslab" ).
On v2 a cgroup gives controllers to its children only while it holds no
process of its own, so
.B nslab
moves itself and its children into a leaf
.BI nslab. PID
beside the labs' cgroups, and back once the last one is gone.
.PP
.BR reset ,
.BR "lab del" ,
.BR quit ,
end of input and the signals that end
.B nslab
kill every process still in the lab's cgroup and remove it;
.B "share cgroup"
gives back only the namespace and keeps the limits.
At start,
.B nslab
removes the
.BI nslab. PID .*
cgroups beside its own whose
.B nslab
is gone (killed with SIGKILL), and what still runs in them.
It never touches cgroups of other names.
.\" ---- For the namespace list, under .B cgroup:
.\" With `unshare cgroup` the lab first gets a cgroup of its own and the
.\" helper joins it before unshare(CLONE_NEWCGROUP), so /proc/self/cgroup
.\" reads / in the lab. Without a cgroup of its own (rootless on v1) the
.\" root is nslab's cgroup, and it reads / all the same.
.\" ---- For FILES:
.\" /sys/fs/cgroup/.../nslab.PID.LAB   the lab's cgroups, beside nslab's own.
