package main

import "time"

// engine is what the model needs from the system. It posts an operation
// and returns at once; the operation's routine runs later, and only inside
// alertableWait, on the thread that calls it. overlapped_windows.go has the
// real thing (WSARecv, WSASend, SleepEx); Linux has io_uring (uring_linux.go)
// and, where that is missing, an emulation over poll(2) (poll_unix.go).
type engine interface {
	buffer(slot int) []byte // the fixed buffer of a record
	postRecv(c *record) error
	postSend(c *record) error
	// postAccept posts an accept on the listener; its routine is
	// onAcceptComplete, with the new client's socket.
	postAccept(listener *sock) error
	// blockingSockets tells whether the sockets the engine reads and
	// writes stay blocking. io_uring's do: the kernel waits for a blocking
	// socket itself, while on an O_NONBLOCK one a recv or send may
	// complete with EAGAIN (uring_linux.go). The poll emulation does the
	// I/O itself once poll says "ready", and needs O_NONBLOCK, as the
	// seed's sockets have FIONBIO on Windows.
	blockingSockets() bool
	// cancel makes the operation in flight on the socket complete, as
	// the server stops, so that its routine runs: s is a client's socket,
	// or the listener of the accept in flight.
	cancel(s *sock, userData uint64)
	// alertableWait waits at most timeout for completions and runs each
	// one's routine through srv.complete; it returns how many ran.
	alertableWait(srv *server, timeout time.Duration) (int, error)
	close()
}
