//go:build !solution && !mutant_alwayspollout && !mutant_flushontimeout && !mutant_ignorehup && !mutant_noforget && !mutant_nolistener && !mutant_nopollout && !mutant_offbyone && !mutant_onlypollin && !mutant_outonlyclosing && !mutant_timeoutzero

package main

import "time"

// passInterval is how long the loop sleeps after each pass, like the
// chapter's server with -poll 1ms: short, so that a line waits little for
// its reply, and so the loop wakes a thousand times a second to find,
// most of the time, nothing.
const passInterval = time.Millisecond

// serve is the server's loop: it tries every socket once (they are
// non-blocking, so no call waits), sleeps, and starts again, until
// Ctrl-C asks it to stop.
//
// TODO: replace the sleep with one call that waits until a socket is
// ready: pollSockets, which is poll(2) on POSIX and WSAPoll on Windows
// (sock_unix.go, wsapoll_windows.go).
//  1. Build its array: pollFdFor(srv.listener, pollIn) waits for a client
//     to accept; for each client, pollIn while it still talks (c.closing
//     is ""), and pollOut only while replies wait to be sent
//     (len(c.pending) > 0): a socket with room to send is always ready.
//  2. Call pollSockets(fds, -1): no timeout, it returns once one is ready.
//     On an error, return failed(namePoll, srv.addr, err).
//  3. Try only the sockets whose Revents is not 0: acceptOne if it is the
//     listener's, serveClient for a client's. Mind that acceptOne adds
//     to srv.clients a client that was not in the array.
//
// Ctrl-C wakes the wait: srv.stop connects to the listener.
//
// Grading tests that fail on this code: TestIdleServerUsesNoCPU.
func (srv *server) serve() error {
	for !srv.stopping() {
		srv.acceptOne()
		for _, c := range srv.clients {
			srv.serveClient(c)
		}
		srv.forgetClosed()
		time.Sleep(passInterval)
	}
	return nil
}
