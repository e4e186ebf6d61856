.\" man/net.frag: the network commands (issue 4, NET), for nslab(1)'s
.\" COMMANDS section, after .SS System V IPC; an EXAMPLES entry at the end.
.SS Network
A new network namespace has one interface,
.BR lo ,
and it is down:
.B status
and the panel show
.B lo(down)
on the
.B net
row, with the number of the host's links beside it.
Every program run in the lab
.RB ( ip ,
.BR ss ,
.BR ping )
sees only the lab's interfaces, addresses, routes and sockets.
.B nslab
talks to the kernel over rtnetlink
.RB ( netlink (7),
.BR rtnetlink (7),
with libmnl); it runs no
.BR ip (8).
.TP
.BR link " up|down \fIiface\fP"
Bring one of the lab's interfaces up or down: an
.B RTM_NEWLINK
request that changes
.BR IFF_UP ,
sent from a process that has joined the lab.
Refused while the lab's network is still the host's, because it would
change the host's interface:
.B "unshare net"
first.
An unknown name is refused with the list of the lab's interfaces.
.TP
.BR links " [" \-\-host ]
List the lab's interfaces (or, with
.BR \-\-host ,
the host's): index, name, state
.RB ( up ,
.BR down ,
or
.B "up, no carrier"
when the other end of a pair is down), IPv4 addresses, and for a veth pair
that
.B nslab
made, where its other end is.
.TP
.BR veth " [\fIname\fP] [\fB\-\-to\fP \fIlab\fP] [\fB\-\-peer\fP \fIaddr\fP/\fIprefix\fP] [\fB\-\-lab\fP \fIaddr\fP/\fIprefix\fP]"
Make a veth pair, the pipe between two network namespaces: one end in the
lab, called
.I name
(by default the first free
.BR eth N:
.BR eth0 ,
.BR eth1 ...),
the other on the host or, with
.BR "\-\-to \fIlab\fP" ,
in that lab (called its first free
.BR eth N).
One
.B RTM_NEWLINK
request, sent in the lab's network namespace, makes both ends, the far one
placed directly in its namespace with
.BR IFLA_NET_NS_FD ;
then
.B RTM_NEWADDR
gives each end its address,
.B RTM_NEWLINK
brings up the far end and the
.B lo
of both namespaces (the lab's end comes up as it is made), and
.B veth
waits until the kernel reports both ends running (operstate
.BR UP ),
so that a
.B ping
right after it is not lost.
.IP
.B \-\-lab
is the address of the lab's end,
.B \-\-peer
(or
.BR \-\-host )
that of the far end.
Given one, the other is the next address in the same subnet.
Given neither, the pair takes the first subnet
.BI 10.77. N .0/24
.RI ( N
from 1 to 254) that overlaps no address of the host, of either
namespace, or of another pair: the far end gets
.BI 10.77. N .1\fR,
the lab's end
.BI 10.77. N .2\fR.
The first pair of a session is thus
.B 10.77.1.1
(the host) and
.B 10.77.1.2
(the lab):
.B "host ping \-c1 10.77.1.2"
and
.B "run ping \-c1 10.77.1.1"
then work.
.IP
The host's end is named
.BI nsl PID v N\fR,
after the
.B nslab
process that made it
.RI ( N
counts its pairs).
It goes with
.BR "veth del" ,
.BR "share net" ,
.BR reset ,
.B "lab del"
and every way out of
.BR nslab ,
including SIGTERM and SIGHUP; a pair between two labs goes with either lab's
network.
A pair dies anyway with its network namespace, but a process left in the
lab could keep that alive: so at start
.B nslab
deletes every host link
.BI nsl PID v N
whose
.B nslab
process is gone (after a SIGKILL).
.IP
Refused, with nothing changed: an address that does not parse, or is a
network, broadcast, loopback or multicast address; a prefix outside /8
to /30 (/30 holds exactly the two ends; a shorter prefix than /8 would route
much of the address space into the pair); two ends not in one subnet, or
with one address; an address already in use on the host or in either
namespace; for a pair to the host, a subnet that overlaps one of the host's
(the host would route it two ways); an interface name longer than 15 bytes
.RB ( IFNAMSIZ ),
or one the lab has already;
.B veth
while the lab's network is still the host's
.RB ( "unshare net"
first);
.B \-\-to
an unknown lab, the current lab itself, or a lab whose network is still
the host's.
Without root, an end on the host needs
.B CAP_NET_ADMIN
on the host, which
.B nslab
does not have, so only
.B "veth \-\-to \fIlab\fP"
between two labs works: it needs no host privilege.
.TP
.BI "veth del " name
Delete the pair that
.B nslab
made with an end called
.I name
in the lab (or the host end
.IR name ):
.B RTM_DELLINK
on one end takes the other with it.
.\" ---- for EXAMPLES ----
.SS The network namespace: a pipe to the host, and two labs on one wire
.RS 4
.EX
$ sudo nslab \-x \-c \(aqunshare net; run ip \-o link; veth; host ping \-c1 \-q 10.77.1.2\(aq
nslab> unshare net; run ip \-o link; veth; host ping \-c1 \-q 10.77.1.2
net    isolated: namespace 4026532184 (host 4026531833)
1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT ...
veth pair: eth0 in lab1 (10.77.1.2/24) <\-> nsl4242v1 on the host (10.77.1.1/24), both up
try: host ping \-c1 10.77.1.2, run ping \-c1 10.77.1.1
PING 10.77.1.2 (10.77.1.2) 56(84) bytes of data.

\-\-\- 10.77.1.2 ping statistics \-\-\-
1 packets transmitted, 1 received, 0% packet loss, time 0ms
rtt min/avg/max/mdev = 0.045/0.045/0.045/0.000 ms
.EE
.RE
.PP
Two labs, each a "container", talk over a veth pair with the host in
neither path; as root or not:
.PP
.RS 4
.EX
$ nslab \-c \(aqunshare net; lab new lab2; unshare net; veth \-\-to lab1; run ping \-c1 \-q 10.77.1.1\(aq
.EE
.RE
