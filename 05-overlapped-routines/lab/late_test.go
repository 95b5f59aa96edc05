package main

// A client that sends and does not read. The server's sends then wait for
// the client to read, the buffers they read from wait with them, and the
// server must not receive into those buffers meanwhile: it stops
// receiving, and the client's writes stall. Until the client reads, the
// server has nothing to do. On io_uring the ring runs dry, and the kernel
// ends the recv with ENOBUFS: a server that posts it again at once gets
// ENOBUFS again at once, and spins. On Windows, a worker that polls the
// port instead of waiting on it spins.

import (
	"errors"
	"fmt"
	"net"
	"testing"
	"time"
)

// The measures of TestClientReadsLate (see there for what we saw).
const (
	stallAfter  = 500 * time.Millisecond // a write that sends nothing so long: the server has stopped receiving
	idleWindow  = 2 * time.Second        // how long we measure the server's CPU time once it stopped
	idleWindows = 2                      // windows we measure, until one is quiet (see idleCPU)
	maxIdleCPU  = 100 * time.Millisecond // the most it may use in a quiet window

	// A server on io_uring that waits for a buffer after ENOBUFS posts
	// its recv again only once one is back, so the next completion brings
	// data: it sees ENOBUFS at most once per completion with data (or
	// end-of-stream).
	maxDryPerChunk = 4
)

// TestClientReadsLate: one client sends until the server stops receiving,
// reading nothing; meanwhile the server must use almost no CPU, and on
// io_uring, over the test, its recvs may end with ENOBUFS no more than
// maxDryPerChunk times as often as with data. Then the client reads, and
// must get back every byte it sent.
//
// Measured in 10 runs each on a 2-core machine shared at a load average
// of 11 to 20: on Linux the client sent 4.5 to 6.3 MB before the server
// stopped receiving. The solution then used 0 ms of CPU (Linux counts it
// in steps of 10 ms), with -race or without, and saw ENOBUFS 0.81 to 0.98
// times per other completion. A server that posts the recv again at once
// on ENOBUFS used 380 to 780 ms of CPU in its quietest 2 s, and saw
// ENOBUFS 95 to 313 times per other completion.
func TestClientReadsLate(t *testing.T) { eachBuild(t, testClientReadsLate) }

func testClientReadsLate(t *testing.T, b *build) {
	server := b.StartServer(t, append([]string{"-addr", "127.0.0.1:0"}, b.slowReader...)...)
	conn := dial(t, server.Port)
	// A small send buffer on our side: less to send before the server
	// stops receiving, and less to read back.
	conn.(*net.TCPConn).SetWriteBuffer(64 << 10)
	sent, err := sendUntilStalled(conn, b)
	var idle time.Duration
	if err == nil {
		idle, err = idleCPU(server.Pid())
	}
	if err == nil {
		err = readEcho(conn, stream(0, sent), b.hints)
	}
	conn.Close()
	got := stop(t, b, server, err)
	t.Cleanup(func() {
		t.Logf("%d bytes sent unread; then the server used %v of CPU in its quietest %v", sent, idle, idleWindow)
	})
	dry, others := got["out of buffers"], got["recv completions"]-got["out of buffers"]
	if !b.wine && dry == 0 {
		t.Fatalf("no recv completed with ENOBUFS, so the %s provided buffers never ran out while the client sent "+
			"%d bytes and read none: does the recv take its buffers from the ring (IOSQE_BUFFER_SELECT, bufGroup), "+
			"and does each stay out of it until the send that reads it has completed?", lateBuffers, sent)
	}
	switch {
	case !b.wine && (idle > maxIdleCPU || dry > maxDryPerChunk*others):
		t.Errorf("while its client was not reading, the server used %v of CPU in its quietest %v (want at most %v), "+
			"and its recvs ended with ENOBUFS %d times for %d completions with data (want at most %d times as many).\n%s",
			idle, idleWindow, maxIdleCPU, dry, others, maxDryPerChunk, b.hints.busy)
	case idle > maxIdleCPU:
		t.Errorf("while its client was not reading, the server used %v of CPU in its quietest %v (want at most %v).\n%s",
			idle, idleWindow, maxIdleCPU, b.hints.busy)
	}
}

// sendUntilStalled writes to conn, reading nothing, until a write sends
// not a byte in stallAfter, which a server that has stopped receiving
// makes it do. (A write that sends part of its bytes in that time meets a
// server that is slow, as Wine's is with several clients at once, not one
// that has stopped.) It returns how many bytes it sent.
func sendUntilStalled(conn net.Conn, b *build) (int, error) {
	const chunk = 64 << 10
	sent := 0
	for sent < b.maxUnread {
		conn.SetWriteDeadline(time.Now().Add(stallAfter))
		n, err := conn.Write(stream(sent, chunk))
		sent += n
		var timeout net.Error
		switch {
		case errors.As(err, &timeout) && timeout.Timeout() && n > 0:
			// slow, not stopped: write on
		case errors.As(err, &timeout) && timeout.Timeout():
			return sent, nil
		case err != nil:
			return sent, fmt.Errorf("after %d bytes sent and none read, the write failed: %v: %w", sent, err, errClosed)
		}
	}
	return sent, fmt.Errorf("the server received %d bytes from a client that read none of its echo, and would "+
		"take more: %s", sent, b.hints.takesAll)
}

// idleCPU returns the least CPU time the process pid uses in one of up to
// idleWindows windows of idleWindow, and stops at the first quiet one. On
// a busy machine a server can stay off a core for stallAfter with work
// left, and under Wine the Go runtime and Wine wind down in the first
// second: it has done it by the next window. A server that spins is never
// quiet.
func idleCPU(pid int) (time.Duration, error) {
	least := time.Duration(1<<63 - 1)
	for range idleWindows {
		before, err := processCPU(pid)
		if err != nil {
			return 0, err
		}
		time.Sleep(idleWindow) // what we measure: the CPU time used while the client reads nothing
		after, err := processCPU(pid)
		if err != nil {
			return 0, err
		}
		if least = min(least, after-before); least <= maxIdleCPU {
			break
		}
	}
	return least, nil
}

// stream returns n bytes of an endless pattern from offset off on: bytes
// echoed out of place or twice do not match it.
func stream(off, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		k := off + i
		b[i] = byte(k + k/251)
	}
	return b
}
