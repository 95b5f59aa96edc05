package main

// What a failure message tells the student to look at, in the words of the
// half being graded: the tests see the same symptoms on both, and the
// likely mistakes differ.

import (
	"fmt"
	"strings"
	"time"
)

// hints are the likely mistakes behind each symptom the tests see.
type hints struct {
	stuck      string // an echo stopped coming
	stuckDry   string // the same, after recvs ended with ENOBUFS (%d: how many times); "": no ring of buffers
	differs    string // an echo came back different from what was sent
	closed     string // the server closed a client that had not gone
	takesAll   string // the server kept receiving from a client that read nothing
	busy       string // the server used CPU while it had nothing to do
	notStopped string // Ctrl-C did not stop the server within its grace
	// The same, when the Windows half said why: clients it could not
	// release (stillOpen), or workers that did not return (stillRunning).
	stillOpen, stillRunning string
	leaking                 string // clients that have gone were not closed, and the server is idle
	looping                 string // the same, and the server is busy: %v is the CPU time it used
	afterErrors             string // the server stopped serving after some clients failed
}

// busyWhileWaiting is the CPU time that a server whose clients have all
// gone uses, in the deadline we wait for it to stop, beyond which it is
// looping rather than waiting: the reference solutions exit at once.
const busyWhileWaiting = deadline / 20

// whyStuck says why the server likely stopped echoing, from its counts:
// on io_uring, whether the ring ran dry and stayed dry.
func (h hints) whyStuck(got counts) string {
	if n := got["out of buffers"]; n > 0 && h.stuckDry != "" {
		return fmt.Sprintf(h.stuckDry, n)
	}
	return h.stuck
}

// whyNotStopped says why the server may not have stopped cleanly, from
// what it printed; or "" when it said nothing we know.
func (h hints) whyNotStopped(out string) string {
	switch {
	case h.stillOpen != "" && strings.Contains(out, "clients were still open"):
		return h.stillOpen
	case h.stillRunning != "" && strings.Contains(out, "workers had not all returned"):
		return h.stillRunning
	case strings.Contains(out, "did not stop"):
		return h.notStopped
	}
	return ""
}

// whyStillServing says why clients that have gone may not have been
// closed, from the CPU time the server used while we waited for it to
// stop: a leak leaves it idle, a loop does not.
func (h hints) whyStillServing(cpu time.Duration) string {
	if cpu > busyWhileWaiting {
		return fmt.Sprintf(h.looping, cpu)
	}
	return h.leaking
}

// uringHints are the io_uring half's: the multishot recv and the ring of
// provided buffers.
var uringHints = hints{
	stuck: "No recv ended with ENOBUFS: did one end with data (res > 0) but without IORING_CQE_F_MORE, " +
		"and the server not post it again (or not echo that last chunk)?",
	stuckDry: "The ring ran dry %d times. After -ENOBUFS, srv.waitForBuffer(c) posts the recv again " +
		"once a buffer is back: is each buffer given back (srv.bufs.giveBack in onEchoed) once its echo is sent?",
	differs: "does onRecv echo from the buffer the completion names (flags >> IORING_CQE_BUFFER_SHIFT), and give " +
		"each buffer back only once the send that reads it has completed (onEchoed)?",
	closed: "A completion without IORING_CQE_F_MORE ends the recv, not the connection: " +
		"hang up only at res 0, or at an error other than -ENOBUFS.",
	takesAll: "a server that gives each buffer back only once its send has completed (onEchoed) runs dry, " +
		"and stops receiving, once the client's echo waits",
	busy: "On -ENOBUFS, a recv posted again at once fails again at once, for ever: call srv.waitForBuffer(c), " +
		"which posts it once a buffer is back.",
	notStopped: "Something stays in flight: is a recv posted again after end-of-stream (res 0) or an error? " +
		"It completes at once, for ever.",
	leaking: "Does each connection end once its recv completes with res 0 (the client has gone) or an error " +
		"other than -ENOBUFS: srv.hangUp(c, \"recv\", res)?",
	looping: "Meanwhile it used %v of CPU: is a recv posted again after end-of-stream (res 0)? It completes " +
		"at once, for ever: hang up instead (srv.hangUp).",
	afterErrors: "A failed send ends its own connection, and onEchoed runs for each chunk it dropped: each " +
		"chunk's buffer must go back to the ring then (srv.bufs.giveBack), as after a send that succeeded, " +
		"or the ring runs dry for good.",
}

// portHints are the Windows half's: the pool, the handlers, the records.
var portHints = hints{
	stuck: "Does a worker take every completion (startWorkers, worker), and does each completion post the " +
		"client's next operation: after a recv, the send of what came; after a send, the rest of the buffer " +
		"or the next recv?",
	differs: "does the send go out of the bytes the recv put in the buffer (c.buf[c.sent:c.filled]), and is no " +
		"recv posted into that buffer until the send that reads it has completed?",
	closed: "Is the client released before it has gone? A WSARecv or WSASend that returns ERROR_IO_PENDING " +
		"has started, not failed: its completion comes through the port later.",
	takesAll: "a server that posts the next recv only once the send of what the last one brought has " +
		"completed stops receiving once the client's echo waits: is a recv posted while a send is in flight?",
	busy: "A worker waits on the port for as long as it takes, srv.getQueuedCompletionStatus(windows.INFINITE), " +
		"and nothing in a worker waits in a loop: a wait with a timeout of 0 ms returns at once, again and again.",
	notStopped: "As it stops, the server cancels what is in flight on every client and waits for the workers " +
		"to release each one (srv.release, as the cancelled operation completes with an error), then posts " +
		"one stop packet per worker: does each worker return when it takes a packet with no OVERLAPPED?",
	stillOpen: "As it stops, the server cancels every client's operation in flight, which then completes with " +
		"an error (WSA_OPERATION_ABORTED): a worker must hand that completion to its handler, and the handler " +
		"must release the client (srv.release). A worker that returns at an error, or a handler that does not " +
		"release at 0 bytes or an error, leaves the client open.",
	stillRunning: "Once every client is released, the server posts one stop packet per worker (-workers), a " +
		"packet with no OVERLAPPED, and each worker must return when it takes one: does the worker return " +
		"then, and are there no more workers than -workers (none started per client)?",
	leaking: "Is each client released once a recv completes with 0 bytes (it has gone) or with an error, " +
		"or once a send fails: srv.release(c, ...), once, in onRecv and onSend?",
	looping: "Meanwhile it used %v of CPU: a worker is looping. Is a recv or a send posted again after a recv " +
		"completed with 0 bytes? 0 bytes means the client has gone: release it, and post nothing more.",
	afterErrors: "GetQueuedCompletionStatus returns a failed operation's error along with its OVERLAPPED: " +
		"that error ends the client (srv.release), not the worker, which goes on taking completions.",
}
