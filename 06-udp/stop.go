// How Ctrl-C (stop) wakes a blocked call without closing its socket under it.
package main

import (
	"errors"
	"net/netip"
)

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
// stop returns a function that closes the sockets it opened for that, to
// be called once the serving flow has returned.
func (t *sockets) stop() (closeWakers func()) {
	t.mu.Lock()
	t.stopping = true
	var addrs []netip.AddrPort
	for n := 1; n <= t.last; n++ {
		if s := t.live[n]; s != nil && s.state == bound {
			addr, err := localAddr(s.h)
			t.tracef(addr.String(), err, "getsockname(%v)", s)
			if err == nil {
				addrs = append(addrs, addr)
			}
		}
	}
	t.mu.Unlock()
	if len(addrs) == 0 {
		return func() {}
	}

	// The serving flow may be calling WSACleanup as we go: we bracket our
	// own sockets with our own WSAStartup and WSACleanup (they count).
	if t.startup() != nil {
		return func() {}
	}
	var wakers []*sock
	for _, addr := range addrs {
		if addr.Addr().IsUnspecified() {
			// A socket bound to every interface is reached on loopback.
			addr = netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), addr.Port())
		}
		h, err := openSocket(afINET)
		if err != nil {
			t.tracef("", err, "socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP)")
			continue
		}
		s := t.add(h, addr.String(), fresh)
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

// sockState is what stop must do to wake a call blocked on the socket.
type sockState int

const (
	fresh sockState = iota // stop leaves it: no call on it waits without a timeout
	bound                  // recvfrom may block: send it a datagram
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
