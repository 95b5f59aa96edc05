package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestCtrlC sends the server Ctrl-C and wants it to exit 0, saying
// "interrupt: server stopped": with every thread waiting in accept; and
// with 8 threads serving 8 clients (one halfway through a line) and a
// ninth client waiting, after each of the 8 threads said it stops.
func TestCtrlC(t *testing.T) { forEachBuild(t, ctrlC) }

// stopTries is how many times the native build is stopped with clients
// connected. A server that does not wait for its threads says it stopped
// before they all did in about 4 tries of 5 here: one try is not enough.
const stopTries = 10

func ctrlC(t *testing.T, program *testkit.Program, wine bool) {
	t.Run("no clients", func(t *testing.T) {
		expectStopped(t, startServer(t, program, 4))
	})
	t.Run("clients connected", func(t *testing.T) {
		for try := 1; try <= stopTries && !(wine && try > 1); try++ {
			stopServing(t, program)
		}
	})
}

// stopServing sends Ctrl-C to a server with -threads 8 whose threads all
// serve a client, and a ninth client waiting.
func stopServing(t *testing.T, program *testkit.Program) {
	t.Helper()
	server := startServer(t, program, 8)
	for i := 1; i <= 8; i++ {
		c := dial(t, server.Port, strconv.Itoa(i))
		if err := c.exchange("hello", "Message received - hello"); err != nil {
			failWithOutput(t, server, fmt.Errorf("with -threads 8, 8 clients should be served at once, but %v", err))
		}
		if _, err := io.WriteString(c, "half a li"); i == 8 && err != nil {
			failWithOutput(t, server, err)
		}
	}
	if err := dial(t, server.Port, "9").send("hello from 9"); err != nil {
		failWithOutput(t, server, err)
	}
	out := expectStopped(t, server)
	// A server that waits for its threads prints its last line after
	// each of them said it stops.
	before, _, _ := strings.Cut(out, "interrupt: server stopped\n")
	if stops := strings.Count(before, " stops: the server is stopping\n"); stops < 8 {
		t.Fatalf("after Ctrl-C with 8 clients being served, %d of their threads said %q before the server said %q, "+
			"want all 8; it printed:\n%sdoes serve count each thread in s.threads (Add, and Done when the thread "+
			"returns), so that Ctrl-C waits for them?",
			stops, "thread N stops: the server is stopping", "interrupt: server stopped", out)
	}
}

// expectStopped sends Ctrl-C and checks the exit. Under Wine one of
// Wine's endings after the last line passes too (testkit's ExitAccepted).
func expectStopped(t *testing.T, server *testkit.Server) string {
	t.Helper()
	out, status := server.InterruptAndWait(t)
	stopped := strings.Contains(out, "interrupt: server stopped\n")
	if !stopped || !server.ExitAccepted(t, status, 0, out, "interrupt: server stopped\n") {
		t.Fatalf("after Ctrl-C the server exited %d, want 0 after %q; it printed:\n%s"+
			"does every thread return once accept or recv fails while the server is stopping?",
			status, "interrupt: server stopped", out)
	}
	return out
}

// failWithOutput stops the server and fails with err and what the server
// printed, which tells why it did not answer.
func failWithOutput(t *testing.T, server *testkit.Server, err error) {
	t.Helper()
	out, status := server.InterruptAndWait(t)
	t.Fatalf("%v\nafter Ctrl-C the server exited %d; it printed:\n%s", err, status, out)
}
