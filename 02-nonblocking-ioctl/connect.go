package main

import (
	"errors"
	"net/netip"
	"time"
)

// connectToAny resolves the server's name and connects to the first of its
// addresses that accepts. Each failed try is an error line on its own.
func connectToAny(socks *sockets, to endpoint,
	opt clientOptions) (*sock, error) {
	addrs, err := socks.resolve(to.host, to.port, 0, false)
	if err != nil {
		return nil, err
	}
	var failures []error
	for _, addr := range addrs {
		s, err := socks.open(addr)
		if err != nil {
			return nil, err
		}
		if err = s.setNonblocking(); err == nil {
			err = connectNonblocking(s, addr, opt.timeout)
		}
		if err != nil {
			s.close()
			failures = append(failures, err)
			continue
		}
		// Our sends go out at once, as the server's do (accept.go).
		if err := s.setNoDelay(); err != nil {
			s.close()
			return nil, err
		}
		return s, nil
	}
	return nil, errors.Join(failures...)
}

// connectNonblocking is the seed's connect loop. The first connect starts
// the handshake and returns at once; we call it again until it says the
// socket is connected. Between tries, SO_ERROR tells a handshake that
// failed, such as a refused one. The seed loops forever; we give up after
// timeout.
func connectNonblocking(s *sock, addr netip.AddrPort,
	timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	err := s.connect(addr)
	for {
		switch connectProgress(err) {
		case connected:
			return nil
		case connectFailed:
			return err
		}
		if err := s.pendingError(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return s.fail("connect", errTimedOut)
		}
		time.Sleep(connectStep)
		err = s.connect(addr)
	}
}

// connect starts the handshake, or asks how it goes: on a non-blocking
// socket the same call does both (see connectProgress).
func (s *sock) connect(addr netip.AddrPort) error {
	err := connectSocket(s.h, addr)
	s.traceAgain("connect", "0", err, "connect(%v, %v)", s, addr)
	return s.fail("connect", err)
}

// pendingError returns the error of a handshake that failed, if it has.
func (s *sock) pendingError() error {
	failed, err := pendingError(s.h)
	result := "0 (no error)"
	if failed != nil {
		name, _, _ := errorName(failed)
		result = "0 (error " + name + ")"
	}
	s.traceAgain("getsockopt", result, err,
		"getsockopt(%v, SOL_SOCKET, SO_ERROR)", s)
	if err != nil {
		return s.fail("getsockopt", err)
	}
	return s.fail("connect", failed)
}

// connectState is how a connect on a non-blocking socket stands.
type connectState int

const (
	connecting connectState = iota
	connected
	connectFailed
)
