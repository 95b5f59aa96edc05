package main

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
