package main

import "fmt"

// The calls only a stream socket (SOCK_STREAM: TCP) makes, as the server
// and the client make them: listen and accept, recv and send on the byte
// stream, shutdown, TCP_NODELAY. Like those in calls.go, each calls its
// twin (stream_unix.go, stream_windows.go), writes a trace line, and turns
// a failure into an error that names the call. A datagram socket makes
// none of them: chapter 06 has no stream.go.

// setNoDelay turns Nagle's algorithm off: see chapter 04's lesson,
// ../04-process-per-conn/README.md#nagles-algorithm-and-delayed-ack.
func (s *sock) setNoDelay() error {
	err := setNoDelay(s.h)
	s.table.tracef("0", err, "setsockopt(%v, IPPROTO_TCP, TCP_NODELAY, 1)", s)
	return s.fail("setsockopt TCP_NODELAY", err)
}

func (s *sock) listen() error {
	err := listenSocket(s.h)
	s.table.tracef("0", err, "listen(%v, SOMAXCONN)", s)
	return s.fail("listen", err)
}

// recv receives what has arrived, at most len(buf) bytes, waiting until
// something has. It returns 0 when the peer has shut down its sending half.
func (s *sock) recv(buf []byte) (int, error) {
	n, err := recvSome(s.h, buf)
	if s.table.tracing() {
		s.table.tracef(fmt.Sprint(n), err, "%s(%v, %d bytes)", nameRecv, s, len(buf))
	}
	return n, s.fail(nameRecv, err)
}

// sendAll sends every byte of buf. One send may take only part of it (the
// seed assumes it takes all), so we call again with the rest until none is left.
func (s *sock) sendAll(buf []byte) error {
	for len(buf) > 0 {
		n, err := sendSome(s.h, buf)
		if s.table.tracing() {
			s.table.tracef(fmt.Sprint(n), err, "%s(%v, %d bytes)", nameSend, s, len(buf))
		}
		if err := s.fail(nameSend, err); err != nil {
			return err
		}
		buf = buf[n:]
	}
	return nil
}

func (s *sock) shutdownSend() error {
	err := shutdownSend(s.h)
	s.table.tracef("0", err, "shutdown(%v, %s)", s, nameShutWR)
	return s.fail("shutdown", err)
}
