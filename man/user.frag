.\" man/user.frag: user namespaces and rootless nslab (issue 4, USER part).
.\" For the COMMANDS section of nslab.1, after "Namespaces":
.SS User namespaces
.TP
.BR uidmap " [\fIin out count\fP]... | " clear
.TQ
.BR gidmap " [\fIin out count\fP]... | " clear
Add lines to the uid (gid) map that the next
.B "unshare user"
writes to the new namespace's
.I /proc/PID/uid_map
.RI ( gid_map ).
A line maps
.I count
IDs from
.I in
inside the namespace to
.I out
outside it, in
.BR nslab 's
own user namespace.
Several lines may be given at once, and each call adds to the lines given
before;
.B clear
forgets them.
Without any line, the map is the default one of
.BR "unshare \-r" :
.BI "0 " UID " 1" \fR,
root inside is the invoking user outside.
.IP
The kernel takes a map only once, in one
.BR write (2),
before the namespace is used, so
.B nslab
keeps the lines and writes them when
.B "unshare user"
makes the namespace.
Once the lab has a user namespace it is too late: the command is refused,
and the message says what works instead
.RB ( "share user" ,
or
.BR reset ,
then the maps, then
.B "unshare user"
again).
.IP
Refused, with nothing changed: a line that is not three whole numbers;
a count of 0; a range that reaches 4294967295 ((uid_t)\-1, no ID at all);
lines whose ranges overlap, inside or outside;
more than 340 lines, or more than 4095 bytes of map text (the kernel's
limits, since Linux 4.15).
Without
.B CAP_SETUID
.RB ( CAP_SETGID
for
.BR gidmap ),
the kernel lets a process map only its own effective ID, with a count of 1,
so that is all
.B nslab
accepts then:
.B nslab
does not use
.BR newuidmap (1),
.BR newgidmap (1)
or
.IR /etc/subuid .
Without an argument, print the map the next
.B "unshare user"
will write and the lab's current one, read from
.I /proc/self/uid_map
by a process inside the lab.
.TP
.BR setgroups " [" allow | deny ]
Say what the next
.B "unshare user"
writes to
.IR /proc/PID/setgroups ,
before the gid map:
.B deny
(the default, as
.B "unshare \-r"
does) forbids
.BR setgroups (2)
inside the namespace for good.
Without
.BR CAP_SETGID ,
the kernel takes a gid map only once setgroups is denied, so
.B "setgroups allow"
is refused.
Too late, as for the maps, once the lab has a user namespace.
Without an argument, print the setting and the lab's current one.
.TP
.B id
Show who a process in the lab is, twice.
Inside: its user and group IDs and supplementary groups as
.BR getresuid (2),
.BR getresgid (2)
and
.BR getgroups (2)
give them, with names from the lab's
.I /etc/passwd
and
.IR /etc/group ,
and its effective, permitted and bounding capabilities (from
.BR libcap :
.BR cap_get_proc (3),
.BR cap_get_bound (3)),
as
.BI "all " N\fR,
.BR none ,
a list, or
.BI "all " N " but" " list\fR;"
with the user namespace it is in and who made it
.RB ( NS_GET_OWNER_UID ).
Then the same process as the host sees it:
.B nslab
reads its
.IR /proc/PID/status ,
whose IDs the kernel translates into the host's user namespace.
Rootless, that is "root inside, you outside":
.IP
.RS 4
.EX
inside lab1, in user namespace 4026532177, made by uid 65534:
  uid=0(root) gid=0(root) groups=(none)
  capabilities effective: all 41
               permitted: all 41
               bounding:  all 41
  (capabilities act only on what user namespace 4026532177 owns)
as the host sees the same process (PID 1644):
  uid=65534(nobody) gid=65534(nogroup) groups=(none)
.EE
.RE
.IP
The capabilities are held in the lab's user namespace: they act on the
namespaces it owns, never on the host's.
.B "run id"
still runs
.BR id (1).
.\" For "status" in COMMANDS/Namespaces, after the DETAIL description:
.TP
.BR status " [" \-\-json "] (ownership)"
Each row also shows, in the
.B OWNER
column, the inode of the user namespace that owns the namespace
.RB ( ioctl (2)
.B NS_GET_USERNS
on its descriptor; for a user namespace, its parent), or
.B \-
where there is none that
.B nslab
may see.
A namespace made while the lab had a user namespace is owned by it; one
made before is owned by the host's, even after
.BR "unshare user" .
The panel says the same after the detail
.RB ( "owner: the lab's user ns" ,
.BR "parent: the host's" ).
With
.BR \-\-json ,
every namespace has a key
.BR owner ,
the user and PID namespaces a key
.B parent
.RB ( NS_GET_PARENT ),
and the user namespace a key
.B creator_uid
.RB ( NS_GET_OWNER_UID );
each is null where there is none to see (the host's own).
.\" For the ROOTLESS section, after the paragraph on the maps:
.PP
Where the maps are the default ones (or any single line mapping the
invoking user's own uid and gid, count 1, with setgroups denied), the
helper writes them itself, as
.B "unshare \-r"
does, since the kernel lets any process do so; other maps need
.BR CAP_SETUID / CAP_SETGID ,
and
.B nslab
writes them from outside while the helper waits.
.PP
Every process
.B nslab
starts in a lab with a user namespace joins it last, after the other
namespaces, then becomes root there as
.BR nsenter (1)
does:
.BR setgroups (2)
to none (refused while setgroups is denied: the groups stay, and read as
the overflow gid, nogroup, inside),
.BR setresgid (2)
and
.BR setresuid (2)
to 0.
Where 0 is not mapped the process keeps its IDs and reads as
.I nobody
inside; where the map makes 0 another user outside, as with
.BR "uidmap 0 100000 65536" ,
it becomes that user on the host.
.PP
Several labs
.RB ( "lab new" )
of a rootless
.B nslab
live in one user namespace: the first lab that needs one creates it, and
every other lab's first
.B unshare
joins it, and says so:
.PP
.RS 4
.EX
nslab: note: rootless: b joins lab1's user namespace 4026532177, in which you are root
.EE
.RE
.PP
The namespaces of all the labs are then owned by that one user namespace,
in which
.B nslab
is root, so that whatever joins two labs (a veth pair from one lab's
network namespace to another's) needs no privilege on the host.
A lab given maps of its own
.RB ( uidmap ,
.BR gidmap ,
.BR setgroups )
gets a user namespace of its own instead, and an explicit
.B "unshare user"
always makes a new one.
Deleting the lab that made the shared user namespace does not end it while
another lab uses it.
.PP
A user namespace can be left only after what it owns: rootless,
.B "share user"
is refused while the lab has other namespaces owned by it (share them, or
.BR reset ),
while
.BR reset ,
.B "lab del"
and leaving
.B nslab
give up everything at once and need no privilege.
What truly needs privilege on the host fails with one line that says why:
.BR uidmap / gidmap
beyond your own ID, and
.BR "setgroups allow" .
