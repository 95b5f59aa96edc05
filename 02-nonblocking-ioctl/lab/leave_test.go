package main

import (
	"fmt"
	"io"
	"net"
	"strings"
	"testing"

	"iomodels/testkit"
)

// hangUpHint ends the failures that show a client's hang-up went unseen.
// Linux's poll reports the end of a client's stream as pollIn, and adds
// pollIn to a reset's POLLHUP and POLLERR; WSAPoll, and so Wine, does not.
const hangUpHint = "under Windows, a client that shuts down sending or resets is ready with POLLHUP or POLLERR " +
	"in Revents, without pollIn: does the loop serve every socket whose Revents is not 0?"

// TestClientsLeave has clients leave in the three ways a client leaves,
// while another stays, and checks that the server closes each of them and
// still serves the one that stays.
func TestClientsLeave(t *testing.T) { eachBuild(t, testClientsLeave) }

func testClientsLeave(t *testing.T, lab *testkit.Program) {
	server := lab.StartServer(t, "-addr", "127.0.0.1:0")
	stayer := dial(t, server.Port)
	defer stayer.Close()
	if got, err := talk(stayer, "hello\n"); err != nil {
		t.Fatalf("no reply to %q (%v, got %q); %s", "hello\n", err, got, hint)
	}
	leave(t, server.Port, stayer)
	out, status := server.InterruptAndWait(t)
	for i, how := range []string{`sent "quit"`, "shut down sending", "reset its connection"} {
		if n := i + 2; !strings.Contains(out, fmt.Sprintf("client %d: closed (", n)) {
			t.Errorf("client %d, which %s, was never closed (no line \"client %d: closed (...)\"); %s",
				n, how, n, hangUpHint)
		}
	}
	checkStopped(t, server, out, status)
}

// leave has three more clients come and go, in the three ways a client
// leaves: one sends "quit", one shuts down its sending side and reads
// until the server closes, and one resets the connection (SO_LINGER 0).
// They are all connected before any leaves, so that none gets the socket
// number of one that left. Last, we wait for the reply to a line of
// stayer, a client that stays, which comes in a pass after the reset
// reached the server.
func leave(t *testing.T, port string, stayer net.Conn) {
	t.Helper()
	quitter, halfCloser, resetter := dial(t, port), dial(t, port), dial(t, port)
	defer quitter.Close()
	defer halfCloser.Close()

	quitter.Write([]byte("quit\n"))
	if got, err := io.ReadAll(quitter); string(got) != "quit\n" || err != nil {
		t.Fatalf(`a client sent "quit" and got %q (%v), want "quit\n" and the end of the stream; %s`, got, err, hint)
	}
	halfCloser.Write([]byte("bye\n"))
	halfCloser.(*net.TCPConn).CloseWrite()
	if got, err := io.ReadAll(halfCloser); string(got) != "Message received - bye\n" || err != nil {
		t.Fatalf(`a client sent "bye" and shut down its sending side; it got %q (%v), `+
			"want the reply and then the end of the stream, as the server closes it; %s", got, err, hangUpHint)
	}
	resetter.(*net.TCPConn).SetLinger(0)
	resetter.Close()

	if got, err := talk(stayer, "after the reset\n"); err != nil {
		t.Fatalf("after a client reset its connection, another client's line got no reply (%v, got %q); %s", err, got, hint)
	}
}
