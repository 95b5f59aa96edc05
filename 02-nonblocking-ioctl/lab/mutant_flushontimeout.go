//go:build mutant_flushontimeout

// Mutant flushontimeout: it never asks for pollOut; instead poll gets a
// timeout of 1 s, and when it times out every client is tried, which
// sends what waits in c.pending. A slow client that reads gets a
// buffer-full of its replies a second, not as fast as it reads.
//
// Grading tests that fail on this code: TestSlowReader.

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
			fds = append(fds, pollFdFor(c.h, events))
		}

		// Every second at least, we try every client: that sends the
		// replies that wait in c.pending.
		n, err := pollSockets(fds, 1000)
		if err != nil {
			return failed(namePoll, srv.addr, err)
		}
		if n == 0 {
			for _, c := range srv.clients {
				srv.serveClient(c)
			}
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
		srv.forgetClosed()
	}
	return nil
}
