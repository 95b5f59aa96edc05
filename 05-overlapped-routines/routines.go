package main

import "fmt"

// The completion routines and the posts that name them: the seed's
// ReadCompRoutine and WriteCompRoutine, and what they do that it does not.
// Each routine runs in the server's alertable wait, on its one thread
// (called by Windows inside SleepEx, by our own loop on Linux), and
// ends by posting the record's next operation, or by closing the client.

// postRecv asks for up to bufferSize bytes; onRecvComplete runs when they came.
func postRecv(srv *server, c *record) {
	c.op, c.routine = opRecv, onRecvComplete
	if err := srv.eng.postRecv(c); err != nil {
		c.routine = nil
		finish(srv, c, err)
		return
	}
	if srv.narrating() {
		srv.sayf("client %d: recv posted", c.number)
	}
}

// What the routines say when they run, in the alertable wait: the client,
// and what the routine was told (outcome, stoppedOutcome).
const (
	recvRoutineLine = "  in the alertable wait: client %d: recv routine: %s"
	sendRoutineLine = "  in the alertable wait: client %d: send routine: %s"
)

// onRecvComplete is the seed's ReadCompRoutine: 0 bytes means the client
// has gone; otherwise we send back what came.
func onRecvComplete(srv *server, c *record, n int, err error) {
	if c.cancelled {
		// The stop ended it: on POSIX shutdown makes it read 0 bytes,
		// on Windows closesocket makes it fail. The client did not go.
		if srv.narrating() {
			srv.sayf(recvRoutineLine,
				c.number, stoppedOutcome(n, err))
		}
		finish(srv, c, nil)
		return
	}
	if srv.narrating() {
		srv.sayf(recvRoutineLine, c.number, outcome(n, err))
	}
	if err != nil || n == 0 {
		finish(srv, c, err)
		return
	}
	c.filled, c.sent = n, 0
	postSend(srv, c)
}

// postSend sends what is left of the buffer; onSendComplete runs when the
// kernel took some or all of it.
func postSend(srv *server, c *record) {
	c.op, c.routine = opSend, onSendComplete
	if err := srv.eng.postSend(c); err != nil {
		c.routine = nil
		finish(srv, c, err)
		return
	}
	if srv.narrating() {
		srv.sayf("client %d: send posted: %d bytes",
			c.number, c.filled-c.sent)
	}
}

// onSendComplete is the seed's WriteCompRoutine. A send may take part of
// the buffer (the seed assumes all): we post the rest before the next recv.
func onSendComplete(srv *server, c *record, n int, err error) {
	if c.cancelled {
		c.echoed += int64(n)
		if srv.narrating() {
			srv.sayf(sendRoutineLine,
				c.number, stoppedOutcome(n, err))
		}
		finish(srv, c, nil)
		return
	}
	if srv.narrating() {
		srv.sayf(sendRoutineLine, c.number, outcome(n, err))
	}
	if err != nil {
		finish(srv, c, err)
		return
	}
	c.sent += n
	c.echoed += int64(n)
	if c.sent < c.filled {
		postSend(srv, c)
		return
	}
	postRecv(srv, c)
}

// finish closes a client's socket and frees its record. A reset or any
// other error ends that client only; the server goes on with the others.
func finish(srv *server, c *record, err error) {
	if err != nil {
		srv.sayf("client %d: %s", c.number, outcome(0, err))
	}
	srv.sayf("client %d: closing, %d bytes echoed", c.number, c.echoed)
	srv.echoed += c.echoed
	c.s.close()
	c.s = nil
	srv.free = append(srv.free, c.slot)
	if srv.config.acceptPosted {
		// If every record was in use, no accept was in flight.
		postAccept(srv)
	}
	srv.closed++
}

// stoppedOutcome says what the routine of an operation that the stopping
// server cancelled was told, and that the stop, not the client, ended it.
func stoppedOutcome(n int, err error) string {
	switch {
	case err != nil:
		return outcome(0, err) + ": the server ended it as it stops"
	case n == 0:
		return "0 bytes: the server's shutdown ended it as it stops"
	}
	return fmt.Sprintf("%d bytes, the last: the server stops", n)
}

// describe is an error alone, as a routine is told it: "connection reset
// by peer (ECONNRESET)".
func describe(err error) string {
	if name, message, ok := errorName(err); ok {
		return fmt.Sprintf("%s (%s)", message, name)
	}
	return err.Error()
}

// outcome says what a routine was told: bytes, or the error.
func outcome(n int, err error) string {
	if err != nil {
		return describe(err)
	}
	if n == 0 {
		return "0 bytes: the client has gone"
	}
	return fmt.Sprintf("%d bytes", n)
}
