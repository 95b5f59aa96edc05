package main

import (
	"io"
	"net"
	"strings"
	"testing"

	"iomodels/testkit"
)

// The resets of the fault tests (see fault_test.go). A client resets its
// connection (SO_LINGER 0) and the server must say so in one line, or go
// on with the next client, and close every socket it opened.

// resetLine is the part of the server's error line that names a reset.
const resetLine = "connection reset by peer ("

// A client that resets in the middle of the exchange: the server's recv
// fails, and it says so in one line and exits 1. Under Wine the reset may
// reach the waiting recv as end of stream (testkit.WineResetAsEOF): the
// server then says the client closed, and exits 0.
func reset(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	conn := testkit.Dial(t, server.Port)
	conn.Write([]byte("hello"))
	if _, err := io.ReadFull(conn, make([]byte, 5)); err != nil {
		t.Fatal(err)
	}
	conn.SetLinger(0)
	conn.Close()
	out, status := server.Wait(t)
	named := strings.Contains(out, resetLine)
	tookAsEOF := !named && strings.Contains(out, "Connection closing...")
	switch {
	case named && server.ExitAccepted(t, status, 1, out, resetLine):
	case program.Allows(t, testkit.WineResetAsEOF, tookAsEOF) &&
		server.ExitAccepted(t, status, 0, out, "Connection closing..."):
	default:
		t.Errorf("server exited %d, want 1 with the reset named; it printed:\n%s", status, out)
	}
	expectClosed(t, out)
}

// A client that resets before the server accepts it. Linux accepts it
// and recv reports the reset (ECONNRESET); Winsock's accept fails
// (WSAECONNRESET; Wine's, WSAENOTCONN), and the server must wait for the
// next client instead of giving up.
func resetBeforeAccept(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	conn := testkit.Dial(t, server.Port)
	conn.SetLinger(0)
	conn.Close()
	if next, err := net.Dial("tcp", "127.0.0.1:"+server.Port); err == nil {
		next.Close()
	}
	out, status := server.Wait(t)
	if strings.Contains(out, "accept 127.0.0.1") {
		t.Errorf("the server gave up when accept failed; it should wait for the next client:\n%s", out)
	}
	want, line := 0, "Connection closing..."
	if strings.Contains(out, resetLine) {
		want, line = 1, resetLine
	}
	if !server.ExitAccepted(t, status, want, out, line) {
		t.Errorf("server exited %d; it should have served a client (0) or reported the reset (1):\n%s", status, out)
	}
	expectClosed(t, out)
}

// expectClosed fails the test if the trace leaves a socket open. It is
// the check of testkit's ExpectExit, for tests that must read the server's
// output before they know which exit status to want.
func expectClosed(t *testing.T, trace string) {
	t.Helper()
	if leaked := testkit.Unclosed(trace); len(leaked) > 0 {
		t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, trace)
	}
}
