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
	if err == nil {
		s.table.setState(s, listening)
	}
	return s.fail("listen", err)
}

// accept waits for a client and returns its connected socket. A client
// that gave up between connecting and our accept makes accept fail; that
// is not our failure, so we wait for the next one (UNP 5.11). The trace,
// and the errors the client's socket names, leave out the client's port,
// which changes from run to run. Once the server is stopping, the client
// may be stop's own: we close it.
func (s *sock) accept() (*sock, error) {
	for {
		h, peer, err := acceptConn(s.h)
		if err != nil {
			s.table.tracef("", err, "accept(%v)", s)
			if abortedBeforeAccept(err) && !s.table.stopped() {
				continue
			}
			return nil, s.fail("accept", err)
		}
		c := s.table.add(h, peer.Addr().String(), connected)
		s.table.tracef(fmt.Sprintf("%v from %v", c, peer.Addr()), nil, "accept(%v)", s)
		if err := s.fail("accept", nil); err != nil {
			c.close()
			return nil, err
		}
		return c, nil
	}
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
