package main

import (
	"io"
	"strings"
	"testing"

	"iomodels/testkit"
)

// The resets of the fault tests (see fault_test.go). A client resets its
// connection (SO_LINGER 0): the child serving it says so in one line, or
// the server goes on accepting, and every process closes every socket it
// opened.

// resetLine is the part of a child's error line that names a reset.
const resetLine = "connection reset by peer ("

// A client that resets in the middle of the exchange: its child's recv
// fails, the child says so in one line and exits 1, and the server serves
// the next client. Under Wine the reset may reach the waiting recv as end
// of stream (testkit.WineResetAsEOF): child 1 then says its client closed,
// and exits 0.
func reset(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-clients", "2", "-addr", "127.0.0.1:0")
	conn := testkit.Dial(t, server.Port)
	conn.Write([]byte("hello"))
	if _, err := io.ReadFull(conn, make([]byte, 5)); err != nil {
		t.Fatal(err)
	}
	conn.SetLinger(0)
	conn.Close()
	if got := testkit.Echo(t, server.Port, []byte("next")); string(got) != "next" {
		t.Errorf("the next client got %q, want %q", got, "next")
	}
	out := server.ExpectExit(t, 0, "child 2 exited (status 0)")
	named := strings.Contains(out, resetLine) && strings.Contains(out, "child 1 exited (status 1)")
	endOfStream := strings.Contains(out, "child 1: Connection closing...") &&
		strings.Contains(out, "child 1 exited (status 0)")
	if !named && !program.Allows(t, testkit.WineResetAsEOF, endOfStream) {
		t.Errorf("child 1 should name the reset and exit 1; the server printed:\n%s", out)
	}
}

// A client that resets before the server accepts it. Linux accepts it and
// the child's recv reports the reset; Winsock's accept fails, and the
// server must go on accepting.
func resetBeforeAccept(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	conn := testkit.Dial(t, server.Port)
	conn.SetLinger(0)
	conn.Close()
	if got := testkit.Echo(t, server.Port, []byte("next")); string(got) != "next" {
		t.Errorf("the next client got %q, want %q", got, "next")
	}
	out, status := server.InterruptAndWait(t)
	if !server.ExitAccepted(t, status, 0, out, stoppedLine) {
		t.Errorf("server exited %d, want 0:\n%s", status, out)
	}
	if strings.Contains(out, "accept 127.0.0.1") {
		t.Errorf("accept gave up:\n%s", out)
	}
	expectAllClosed(t, out)
}

// expectAllClosed fails the test if a process of the trace (the server or
// a child) leaves a socket open. It is the check of testkit's ExpectExit,
// for tests that wait for the server themselves: after Ctrl-C, or while
// they watch it (watch_test.go).
func expectAllClosed(t *testing.T, trace string) {
	t.Helper()
	if leaked := testkit.Unclosed(trace); len(leaked) > 0 {
		t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, trace)
	}
}
