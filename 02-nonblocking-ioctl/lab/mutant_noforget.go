//go:build mutant_noforget

// Mutant noforget: the loop no longer calls srv.forgetClosed, so the clients
// that left stay in the array with their closed sockets, which poll finds
// invalid (POLLNVAL) at once, every time: once a client has left, the loop
// spins at full speed.
//
// Grading tests that fail on this code: TestIdleServerUsesNoCPU.

package main

// serve is the server's loop: it waits in poll (WSAPoll on Windows) until
// at least one socket is ready, tries only the ready ones, and starts
// again, until Ctrl-C asks it to stop. While every client is silent, it
// sleeps in the kernel and uses no CPU; a line wakes it at once.
func (srv *server) serve() error {
	for !srv.stopping() {
		// We wait for a client to accept on the listener; for a line, or
		// the end of the stream, from each client that still talks; and
		// for room in the send buffer only while replies wait for it,
		// since a socket with room is always ready to send.
		fds := []pollFd{pollFdFor(srv.listener, pollIn)}
		for _, c := range srv.clients {
			var events int16
			if c.closing == "" {
				events |= pollIn
			}
			if len(c.pending) > 0 {
				events |= pollOut
			}
			fds = append(fds, pollFdFor(c.h, events))
		}

		// No timeout: poll returns when a socket is ready, not before.
		if _, err := pollSockets(fds, -1); err != nil {
			return failed(namePoll, srv.addr, err)
		}

		// Revents says what each socket is ready for; an error or a
		// hang-up counts too, and the call that follows reports it. A
		// client acceptOne adds was not polled, so we keep the old list.
		polled := srv.clients
		if fds[0].Revents != 0 {
			srv.acceptOne()
		}
		for i, c := range polled {
			if fds[i+1].Revents != 0 {
				srv.serveClient(c)
			}
		}
	}
	return nil
}
