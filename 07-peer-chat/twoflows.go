// What two flows of control on one socket need of its calls: a shutdown
// traced in order with the other flow's calls, and a way for one flow to
// wake the other's send. They are calls.go's calls, written for this
// chapter's model.
package main

// shutdownSend shuts down our sending half (SHUT_WR, SD_SEND): the peer
// reads end-of-stream. It holds the trace across the call and its line:
// the peer answers a shutdown at once, and the other flow of control
// traces the answer (recv = 0), which must come after the shutdown in the
// trace too. The line is written by the tracef of a table of its own,
// which writes to the same trace without the lock we hold.
func (s *sock) shutdownSend() error {
	t := s.table
	t.traceMu.Lock()
	err := shutdownSend(s.h)
	if t.tracing() {
		line := &sockets{trace: t.trace}
		line.tracef("0", err, "shutdown(%v, %s)", s, nameShutWR)
	}
	t.traceMu.Unlock()
	return s.fail("shutdown", err)
}

// wake makes a flow of control blocked in send or recv on s return, as
// stop does, without closing s; a closed socket is left alone.
func (s *sock) wake() {
	t := s.table
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.live[s.n] == s {
		t.wake(s)
	}
}
