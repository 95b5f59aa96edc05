package main

import (
	"fmt"
	"io"
	"net/netip"
	"sync"
)

// sockets is the program's table of open sockets. It numbers them in the
// order they open (sock 1, sock 2, ...) so the trace reads the same on every
// run and every system, narrates each call when a trace writer is set, and
// stops the program when it is interrupted (stop).
type sockets struct {
	trace   io.Writer  // nil: no trace
	traceMu sync.Mutex // one trace line at a time

	// mu guards the table, and is held while a socket is closed, so that
	// stop never asks for the address of a handle closed (and perhaps
	// reused) by another flow.
	mu       sync.Mutex
	last     int           // the number of the socket opened last
	live     map[int]*sock // the sockets not yet closed, by number
	stopping bool          // stop has been called
}

// sock is one open socket and its number in the table.
type sock struct {
	table *sockets
	h     handle
	n     int
	label string // the address an error names: ours for the server, the peer's otherwise
	bound bool   // bind has named it, so recvfrom may block on it; guarded by table.mu
}

func (s *sock) String() string { return fmt.Sprintf("sock %d", s.n) }

// tracef writes one trace line; result is what the call returned.
func (t *sockets) tracef(result string, err error, format string, args ...any) {
	if t.trace == nil {
		return
	}
	if err != nil {
		name, _, _ := errorName(err)
		result = nameFailed + " " + name
	}
	t.traceMu.Lock()
	defer t.traceMu.Unlock()
	fmt.Fprintf(t.trace, format+" = %s\n", append(args, result)...)
}

// startup and cleanup bracket the use of sockets: WSAStartup and WSACleanup on
// Winsock, nothing on POSIX.
func (t *sockets) startup() error {
	err := startup()
	if nameStartup != "" {
		t.tracef("0", err, "%s", nameStartup)
	}
	if err != nil {
		return &opError{call: "WSAStartup", err: err}
	}
	return nil
}

func (t *sockets) cleanup() {
	cleanup()
	if nameCleanup != "" {
		t.tracef("0", nil, "%s", nameCleanup)
	}
}

// resolve finds the addresses for host and port (getaddrinfo).
func (t *sockets) resolve(host string, port uint16, family int, passive bool) ([]netip.AddrPort, error) {
	addrs, err := resolve(host, port, family, passive)
	flags := "0"
	if passive {
		flags = "AI_PASSIVE"
	}
	t.tracef(fmt.Sprint(addrs), err, "%s(%q, \"%d\", %s, %s)",
		nameResolver, host, port, familyName(family), flags)
	if err != nil {
		return nil, &opError{call: nameResolver, addr: host, why: familyMismatch(host, family, passive), err: err}
	}
	return addrs, nil
}

// familyMismatch says why an IPv6 address does not resolve for a server
// that asks for IPv4 only (AF_INET in its hints), as the seed's does; ""
// for any other failure. This chapter's client is IPv4 only too, as the
// seed's (passive is false): it says "this client".
func familyMismatch(host string, family int, passive bool) string {
	ip, err := netip.ParseAddr(host)
	if err != nil || family != afINET || !ip.Is6() || ip.Is4In6() {
		return ""
	}
	if !passive {
		return "this client is IPv4 only (AF_INET, as the seed)"
	}
	return "this server is IPv4 only (AF_INET, as the seed)"
}

// open makes a UDP socket for the family of addr.
func (t *sockets) open(addr netip.AddrPort) (*sock, error) {
	family := afINET
	if addr.Addr().Is6() {
		family = afINET6
	}
	h, err := openSocket(family)
	var s *sock
	result := ""
	if err == nil {
		s = t.add(h, addr.String())
		result = s.String()
	}
	t.tracef(result, err, "socket(%s, SOCK_DGRAM, IPPROTO_UDP)", familyName(family))
	if err != nil {
		return nil, &opError{call: "socket", addr: addr.String(), err: err}
	}
	return s, nil
}

// add enters a new socket in the table under the next number.
func (t *sockets) add(h handle, label string) *sock {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.live == nil {
		t.live = make(map[int]*sock)
	}
	t.last++
	s := &sock{table: t, h: h, n: t.last, label: label}
	t.live[t.last] = s
	return s
}

// stopped says whether stop has been called. Each call in calls.go asks
// once its system call has returned: from then on the call reports
// errInterrupted, whatever it returned, since stop may have woken it.
func (t *sockets) stopped() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stopping
}

// stop is what Ctrl-C does. It never closes a socket that the serving
// flow may still use: it marks the table stopping, then wakes a recvfrom
// that may be blocked, and the flow that owns each socket closes it.
//
// A UDP socket has no connection to shut down: Linux fails the shutdown
// with ENOTCONN (and wakes a blocked recvfrom all the same), and Winsock
// documents that a UDP socket shut down for receiving still accepts and
// queues datagrams. What wakes recvfrom on every system is what it waits
// for, a datagram: we send an empty one to each bound socket, from a
// socket of our own. Should the socket's receive buffer be full, our
// datagram is dropped, but then recvfrom has datagrams to return and does
// not block. A sendto blocked on a full send buffer is not woken by it:
// the caller's grace timeout ends the program all the same.
//
// stop returns a function that closes the sockets it opened, to be called
// once the serving flow has returned.
func (t *sockets) stop() (closeWakers func()) {
	t.mu.Lock()
	t.stopping = true
	var bound []netip.AddrPort
	for n := 1; n <= t.last; n++ {
		if s := t.live[n]; s != nil && s.bound {
			addr, err := localAddr(s.h)
			t.tracef(addr.String(), err, "getsockname(%v)", s)
			if err == nil {
				bound = append(bound, addr)
			}
		}
	}
	t.mu.Unlock()
	if len(bound) == 0 {
		return func() {}
	}

	// The serving flow may be calling WSACleanup as we go: we bracket our
	// own socket with our own WSAStartup and WSACleanup (they count).
	if t.startup() != nil {
		return func() {}
	}
	var wakers []*sock
	for _, addr := range bound {
		if addr.Addr().IsUnspecified() {
			// A socket bound to every interface is reached on loopback.
			addr = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), addr.Port())
		}
		h, err := openSocket(afINET)
		if err != nil {
			t.tracef("", err, "socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)")
			continue
		}
		s := t.add(h, addr.String())
		t.tracef(s.String(), nil, "socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)")
		err = sendTo(h, nil, addr)
		t.tracef("0", err, "sendto(%v, 0 bytes, %v)", s, addr.Addr())
		wakers = append(wakers, s)
	}
	return func() {
		for _, s := range wakers {
			s.close()
		}
		t.cleanup()
	}
}

func familyName(family int) string {
	switch family {
	case afINET:
		return "AF_INET"
	case afINET6:
		return "AF_INET6"
	}
	return "AF_UNSPEC"
}
