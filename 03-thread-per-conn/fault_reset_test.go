package main

import (
	"regexp"
	"strings"
	"testing"

	"iomodels/testkit"
)

// The resets of the fault tests (see TestFaults): a client resets its
// connection (SO_LINGER 0), and the server must end that client's thread
// with one line, keep serving the others and close every socket it opened.

// resetNamed matches the line of thread 3 when its recv was told of the
// reset, with the names the program's build gives the call and the error.
func resetNamed(program *testkit.Program) *regexp.Regexp {
	recv, _ := callNames(program)
	return regexp.MustCompile(`thread 3 ends: ` + recv + ` 127\.0\.0\.1: connection reset by peer \((WSA)?ECONNRESET\)\n`)
}

// A client that resets while another is served: its thread ends with one
// line, and the other client does not notice. Under Wine the reset may
// reach the waiting recv as end of stream (testkit.WineResetAsEOF): the
// thread then says the client closed.
func reset(t *testing.T, program *testkit.Program) {
	server := startFor(t, program, 2)
	other, reset := dial(t, server.Port), dial(t, server.Port)
	other.say(t, "before")
	reset.say(t, "hello")
	reset.SetLinger(0)
	reset.Close()
	other.say(t, "after")
	other.CloseWrite()
	other.expectClosed(t)
	out := expectServed(t, server, "thread 3 ends: ")
	tookAsEOF := strings.Contains(out, "thread 3 ends: the client closed the connection\n")
	named := resetNamed(program)
	if !named.MatchString(out) && !program.Allows(t, testkit.WineResetAsEOF, tookAsEOF) {
		t.Errorf("no line matching %q; the server printed:\n%s", named, out)
	}
}

// A client that resets before the server accepts it: Linux accepts it
// and recv reports the reset; Winsock's accept fails, and the server
// must go on accepting. We stop it with Ctrl-C.
func resetBeforeAccept(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	c := dial(t, server.Port)
	c.SetLinger(0)
	c.Close()
	next := dial(t, server.Port)
	next.say(t, "still here")
	expectInterrupted(t, server)
}
