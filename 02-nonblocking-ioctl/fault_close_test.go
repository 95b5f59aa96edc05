package main

import (
	"bufio"
	"io"
	"strings"
	"testing"

	"iomodels/testkit"
)

// The fault tests in which a client leaves before the server is done
// with it (see fault_test.go).

// reset has a client reset (SO_LINGER 0) after a line: the server closes
// it, says why, and serves the next client. Wine may tell the server's
// recv end of stream instead (testkit.WineResetAsEOF).
func reset(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-clients", "2", "-addr", "127.0.0.1:0")
	conn := testkit.Dial(t, server.Port)
	conn.Write([]byte("hello\n"))
	if _, err := bufio.NewReader(conn).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	conn.SetLinger(0)
	conn.Close()
	if got := exchange(t, server.Port, [][]byte{[]byte("quit")}); got != "quit\n" {
		t.Errorf("the next client got %q, want %q", got, "quit\n")
	}
	out := expectExitWith(t, server, lastTraceLine(program), "client 1: closed (")
	reported := strings.Contains(out, "client 1: closed ("+nameOf(program, "read", "recv")+": connection reset by peer (")
	if !reported && !program.Allows(t, testkit.WineResetAsEOF, strings.Contains(out, "client 1: closed (end of stream)")) {
		t.Errorf("the server did not name the reset; it printed:\n%s", out)
	}
}

// halfClose has a client shut down its sending half after its lines: it
// still gets every reply, then the server closes it.
func halfClose(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
	conn := testkit.Dial(t, server.Port)
	conn.Write([]byte("one\ntwo\n"))
	conn.CloseWrite()
	got, err := io.ReadAll(conn)
	if want := "Message received - one\nMessage received - two\n"; string(got) != want || err != nil {
		t.Errorf("after half-close: %q, %v; want %q", got, err, want)
	}
	expectExitWith(t, server, lastTraceLine(program), "client 1: closed (end of stream)")
}
