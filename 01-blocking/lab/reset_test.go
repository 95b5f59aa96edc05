package main

import (
	"testing"
	"time"

	"iomodels/testkit"
)

// stallWindow is how long one write may take no byte before we count it as
// a sign that the server has stopped reading. A server that is still
// reading takes our bytes within microseconds; we wait for two such windows
// in a row, so that our own goroutine, held up once by a busy machine,
// cannot pass for a stalled server. A server held up that long is no
// harm: it has our unread bytes, so its next recv returns at once, and the
// send after it fails.
const stallWindow = 100 * time.Millisecond

// resetWhileServerSends is a client that resets its connection (SO_LINGER
// 0, so close sends RST) in the middle of its visit, at a moment when the
// server must find out. It sends without ever reading the echo, until the
// server, blocked in send because nobody reads, stops reading too and our
// writes stall; then it resets, and the server's send fails.
//
// We do not reset while the server waits in recv: Wine may report a reset
// to a recv already waiting as an orderly end-of-stream (the chapter's
// TestFaultsWine; 12 runs in 15 here), and then even a correct server sees
// no error. A stalled server has unread bytes, so it cannot be waiting in
// recv; its send fails under Wine as natively (every run here, over 50
// under Wine, most on a machine loaded by other test runs).
func resetWhileServerSends(t *testing.T, port, who string) {
	t.Helper()
	conn := dial(t, port, who)
	// Small buffers on our side: the server fills them, and blocks, sooner.
	// With 64 KiB ones, the server's own send buffer sometimes grew to
	// megabytes first, which took the Windows build under Wine 4 seconds
	// to fill, 512 bytes a call; with 4 KiB, it stalls after about 250 KB,
	// in half a second (6 runs each here).
	conn.SetReadBuffer(4 << 10)
	conn.SetWriteBuffer(4 << 10)
	chunk := testkit.Bytes(16 << 10)
	giveUp := time.Now().Add(clientDeadline)
	for stalled := 0; stalled < 2; {
		if time.Now().After(giveUp) {
			t.Fatalf("%s sent for %v without reading a byte, and the server kept reading: it should echo, and block once nobody reads", who, clientDeadline)
		}
		conn.SetWriteDeadline(time.Now().Add(stallWindow))
		n, err := conn.Write(chunk)
		switch {
		case err != nil && !isTimeout(err):
			t.Fatalf("%s, sending without reading the echo: %v; the server closed the connection, or is gone", who, err)
		case n > 0:
			stalled = 0
		default:
			stalled++
		}
	}
	conn.SetLinger(0)
	conn.Close()
}
