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
// stops the process's calls when it is interrupted (stop). The server and
// each child have a table of their own.
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
	label string         // the address an error names: ours for a listener, the peer's otherwise
	peer  netip.AddrPort // the client, for a connection
	state sockState      // guarded by table.mu
}

// sockState is what stop must do to wake a call blocked on the socket.
type sockState int

const (
	fresh     sockState = iota // nothing blocks on it: new, or the server's copy of a child's socket
	listening                  // accept may block: connect to it
	connected                  // recv or send may block: shut it down
)

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

// setState records what may now block on s, for stop.
func (t *sockets) setState(s *sock, state sockState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s.state = state
}

// stopped says whether stop has been called. Each call in calls.go asks
// once its system call has returned: from then on the call reports
// errInterrupted, whatever it returned, since stop may have woken it.
func (t *sockets) stopped() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stopping
}

// stop is what Ctrl-C does, in the server and in a child told to stop. It
// never closes a socket that a call may still use: it marks the table
// stopping, then wakes every call that may be blocked, and the flow that
// owns each socket closes it.
//   - A connected socket is shut down (SHUT_RDWR, SD_BOTH): a recv blocked
//     on it returns 0 on POSIX, a send fails, and a later call returns at
//     once. Winsock's blocked call is cancelled with CancelIoEx.
//   - A listener is not woken by shutdown on Windows or macOS (Linux
//     fails the accept), so we connect to it ourselves: accept returns our
//     connection, which the accept loop closes at once.
//   - The server's copy of a socket it handed to a child is left alone:
//     the server makes no call on it that could block, and shutting it
//     down would end the child's connection under the child (fresh).
//
// stop returns a function that closes the sockets it opened for that, to
// be called once the accept loop has returned. A second stop does
// nothing. Should a system wake no call, the grace timeout (stopGrace)
// ends the program all the same: the server kills its children, and
// exits without waiting for a call that never returns.
func (t *sockets) stop() (closeWakers func()) {
	t.mu.Lock()
	if t.stopping {
		t.mu.Unlock()
		return func() {}
	}
	t.stopping = true
	var listeners []netip.AddrPort
	for n := 1; n <= t.last; n++ {
		s := t.live[n]
		switch {
		case s == nil:
		case s.state == connected:
			t.wake(s)
		case s.state == listening:
			addr, err := localAddr(s.h)
			t.tracef(addr.String(), err, "getsockname(%v)", s)
			if err == nil {
				listeners = append(listeners, addr)
			}
		}
	}
	t.mu.Unlock()
	var wakers []*sock
	for _, addr := range listeners {
		if addr.Addr().IsUnspecified() {
			// A listener on every interface is reached on loopback.
			addr = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), addr.Port())
		}
		h, err := openSocket(afINET)
		if err != nil {
			t.tracef("", err, "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)")
			continue
		}
		s := t.add(h, addr.String(), fresh)
		t.tracef(s.String(), nil, "socket(AF_INET, SOCK_STREAM, IPPROTO_TCP)")
		err = connectSocket(h, addr)
		t.tracef("0", err, "connect(%v, %v)", s, addr)
		wakers = append(wakers, s)
	}
	return func() {
		for _, s := range wakers {
			s.close()
		}
	}
}

// wake makes a call blocked on s return, without closing s; t.mu is held.
// shutdown wakes recv and send on POSIX, and makes every later call return
// at once; Winsock's blocked call is cancelled with CancelIoEx.
func (t *sockets) wake(s *sock) {
	err := shutdownBoth(s.h)
	t.tracef("0", err, "shutdown(%v, %s)", s, nameShutBoth)
	if nameCancel != "" {
		err = cancelBlocked(s.h)
		t.tracef("TRUE", err, "%s(%v, NULL)", nameCancel, s)
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
