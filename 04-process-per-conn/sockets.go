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

	// mu guards the table, and is held while a socket is closed or woken,
	// so that no call is made on a handle closed (and perhaps reused) by
	// another flow.
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
	label string    // the address an error names: ours for a listener, the peer's otherwise
	state sockState // guarded by table.mu
}

func (s *sock) String() string { return fmt.Sprintf("sock %d", s.n) }

// tracing says whether -trace is on. recv and send ask before they build
// their line: fmt.Sprint and the arguments boxed for tracef allocate, and
// that would cost every round trip something even with no trace to write.
func (t *sockets) tracing() bool { return t.trace != nil }

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
		return nil, &opError{call: nameResolver, addr: host, why: familyMismatch(host, family), err: err}
	}
	return addrs, nil
}

// familyMismatch says why an IPv6 address does not resolve for a server
// that asks for IPv4 only (AF_INET in its hints), as the seed's does; ""
// for any other failure.
func familyMismatch(host string, family int) string {
	ip, err := netip.ParseAddr(host)
	if err != nil || family != afINET || !ip.Is6() || ip.Is4In6() {
		return ""
	}
	return "this server is IPv4 only (AF_INET, as the seed)"
}

// open makes a TCP socket for the family of addr.
func (t *sockets) open(addr netip.AddrPort) (*sock, error) {
	family := afINET
	if addr.Addr().Is6() {
		family = afINET6
	}
	h, err := openSocket(family)
	var s *sock
	result := ""
	if err == nil {
		s = t.add(h, addr.String(), fresh)
		result = s.String()
	}
	t.tracef(result, err, "socket(%s, SOCK_STREAM, IPPROTO_TCP)", familyName(family))
	if err != nil {
		return nil, &opError{call: "socket", addr: addr.String(), err: err}
	}
	return s, nil
}

// add enters a new socket in the table under the next number.
func (t *sockets) add(h handle, label string, state sockState) *sock {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.live == nil {
		t.live = make(map[int]*sock)
	}
	t.last++
	s := &sock{table: t, h: h, n: t.last, label: label, state: state}
	t.live[t.last] = s
	return s
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
