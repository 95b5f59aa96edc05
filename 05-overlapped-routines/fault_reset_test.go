package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// resetMidSend: a client that writes without reading, then resets
// (SO_LINGER 0) while the server's send is in flight: that client's
// routine is told the error, and the next client is served as if nothing
// happened. Under Wine the reset may reach the routine as end-of-stream
// (testkit.WineResetAsEOF).
func resetMidSend(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-clients", "2", "-addr", "127.0.0.1:0")
	conn := testkit.Dial(t, server.Port)
	// The write stops when both sides' buffers are full, since we
	// never read; the deadline bounds it.
	conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
	conn.Write(testkit.Bytes(4 << 20))
	conn.SetLinger(0)
	conn.Close()
	if got := testkit.Echo(t, server.Port, []byte("hello")); string(got) != "hello" {
		t.Errorf("the next client got %q, want %q", got, "hello")
	}
	out := server.ExpectExit(t, 0, "client 2: closing, 5 bytes echoed")
	eof := strings.Contains(out, "client 1: recv routine: 0 bytes")
	if !resetSeen(out, 1) && !program.Allows(t, testkit.WineResetAsEOF, eof) {
		t.Errorf("client 1's routine was not told of the reset; the server printed:\n%s", out)
	}
}

// resetBeforeAccept: a client that resets before the server accepts it:
// Linux accepts it and the recv routine is told of the reset; Winsock's
// accept may fail instead, and the server goes on. Ctrl-C ends the server,
// which closes every socket once and names none after its close.
func resetBeforeAccept(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	conn := testkit.Dial(t, server.Port)
	conn.SetLinger(0)
	conn.Close()
	if got := testkit.Echo(t, server.Port, []byte("next")); string(got) != "next" {
		t.Errorf("the next client got %q, want %q", got, "next")
	}
	out, status := server.InterruptAndWait(t)
	if !server.ExitAccepted(t, status, 0, out, "interrupt: server stopped") {
		t.Errorf("server exited %d, want 0:\n%s", status, out)
	}
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("how the server closed its sockets: %q; the trace:\n%s", problems, out)
	}
}

// resetSeen tells whether client n's routine, or the post that would have
// queued it, was told of a reset.
func resetSeen(out string, n int) bool {
	told := regexp.MustCompile(fmt.Sprintf(`client %d: ([a-z]+ routine: )?`, n) +
		`(connection reset by peer|broken pipe|software caused connection abort) \(`)
	return told.MatchString(out)
}
