// How Ctrl-C (stop) wakes a blocked call without closing its socket under it.
package main

import (
	"errors"
	"net/netip"
)

// stop is what Ctrl-C does. It never closes a socket that the serving
// flow may still use: it marks the table stopping, then wakes every call
// that may be blocked, and the flow that owns each socket closes it.
//   - A connected socket is shut down (SHUT_RDWR, SD_BOTH): a recv blocked
//     on it returns 0 on POSIX, a send fails, and a later call returns at
//     once. Winsock's blocked call is cancelled with CancelIoEx.
//   - A listener is not woken by shutdown on Windows or macOS (Linux
//     fails the accept), so we connect to it ourselves: accept returns our
//     connection, which the serving flow closes at once.
//
// stop returns a function that closes the sockets it opened for that, to
// be called once the serving flow has returned. Should a system wake no
// call, the caller's grace timeout ends the program all the same.
func (t *sockets) stop() (closeWakers func()) {
	t.mu.Lock()
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
	if len(listeners) == 0 {
		return func() {}
	}

	// The serving flow may be calling WSACleanup as we go: we bracket our
	// own sockets with our own WSAStartup and WSACleanup (they count).
	if t.startup() != nil {
		return func() {}
	}
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
		t.cleanup()
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

// sockState is what stop must do to wake a call blocked on the socket.
type sockState int

const (
	fresh     sockState = iota // nothing can block on it yet
	listening                  // accept may block: connect to it
	connected                  // recv or send may block: shut it down
)

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

// errInterrupted is what every call reports once the program is stopping.
var errInterrupted = errors.New("interrupted")
