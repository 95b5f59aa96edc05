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
// keeps the sockets still open, so that none is closed twice.
type sockets struct {
	trace io.Writer // nil: no trace

	mu   sync.Mutex
	last int            // the number of the socket opened last
	live map[int]handle // the sockets not yet closed, by number
}

// sock is one open socket and its number in the table.
type sock struct {
	table *sockets
	h     handle
	n     int
	label string // the address an error names: ours for a listener, the peer's otherwise

	// lastResult holds, by call, the result of the last call made again
	// and again (see traceAgain), so that the trace shows each once.
	lastResult map[string]string
}

func (s *sock) String() string { return fmt.Sprintf("sock %d", s.n) }

// tracef writes one trace line; result is what the call returned.
func (t *sockets) tracef(result string, err error, format string, args ...any) {
	if t.trace == nil {
		return
	}
	result = traceResult(result, err)
	t.mu.Lock()
	defer t.mu.Unlock()
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
		s = t.add(h, addr.String())
		result = s.String()
	}
	t.tracef(result, err, "socket(%s, SOCK_STREAM, IPPROTO_TCP)", familyName(family))
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
		t.live = make(map[int]handle)
	}
	t.last++
	t.live[t.last] = h
	return &sock{table: t, h: h, n: t.last, label: label}
}

// traceResult is what a trace line says a call returned: result, or
// the failure value and the error's name.
func traceResult(result string, err error) string {
	if err == nil {
		return result
	}
	name, _, _ := errorName(err)
	return nameFailed + " " + name
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
