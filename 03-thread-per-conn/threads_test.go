package main

import (
	"fmt"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestSlowClientDoesNotBlockOthers is the failure of chapter 01, fixed: a
// client that connects and sends half a line holds its own thread, blocked
// in recv, and the clients after it are answered all the same.
func TestSlowClientDoesNotBlockOthers(t *testing.T) {
	forEachBuild(t, func(t *testing.T, program *testkit.Program) {
		server := program.StartServer(t, "server", "-trace", "-clients", "3", "-addr", "127.0.0.1:0")
		slow := dial(t, server.Port)
		slow.Write([]byte("hel"))
		for _, name := range []string{"second", "third"} {
			c := dial(t, server.Port)
			if got, want := c.say(t, "I am the "+name), "Message received - I am the "+name; got != want {
				t.Fatalf("answer %q, want %q", got, want)
			}
			c.CloseWrite()
			c.expectClosed(t)
		}
		if got, want := slow.say(t, "lo"), "Message received - hello"; got != want {
			t.Fatalf("the slow client's answer %q, want %q", got, want)
		}
		if got := slow.say(t, "quit"); got != "quit" {
			t.Fatalf("answer to quit %q, want %q", got, "quit")
		}
		slow.expectClosed(t)
		expectServed(t, server, "served 3 clients")
	})
}

// TestMaxThreads fills the server's two threads: a third client is told
// "server busy" and closed, and once a thread ends its slot serves the
// next client.
func TestMaxThreads(t *testing.T) {
	forEachBuild(t, func(t *testing.T, program *testkit.Program) {
		server := program.StartServer(t, "server", "-trace", "-max-threads", "2", "-clients", "4", "-addr", "127.0.0.1:0")
		first, second := dial(t, server.Port), dial(t, server.Port)
		first.say(t, "one")
		second.say(t, "two")

		// The third client sends nothing, so the server's close is an
		// orderly one, never a reset, and the answer surely arrives.
		third := dial(t, server.Port)
		if got := third.answer(t); got != "server busy" {
			t.Fatalf("third client got %q, want %q", got, "server busy")
		}
		third.expectClosed(t)

		// The server frees a thread's slot before it closes the socket,
		// so once the first client has seen the close, the fourth fits.
		first.say(t, "quit")
		first.expectClosed(t)
		fourth := dial(t, server.Port)
		if got, want := fourth.say(t, "four"), "Message received - four"; got != want {
			t.Fatalf("fourth client got %q, want %q", got, want)
		}
		fourth.CloseWrite()
		fourth.expectClosed(t)
		second.CloseWrite()
		second.expectClosed(t)
		expectServed(t, server, `thread limit reached (2): 127.0.0.1 is told "server busy"`)
	})
}

// TestInterruptWithClients sends Ctrl-C to a server with four clients
// connected, mid-exchange: each has had an answer, and the last has sent
// half a line since. The interrupt flow only wakes the blocked calls
// (shutdown); each call then reports the interruption, so no thread takes
// the half line for a last line or says the client left; each thread
// closes its own socket, once, after its last use; and the server exits 0
// with "interrupt: server stopped" as its last line (under Wine, one of
// Wine's endings after that line passes too: see expectInterrupted).
func TestInterruptWithClients(t *testing.T) {
	forEachBuild(t, func(t *testing.T, program *testkit.Program) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		var clients []*client
		for i := range 4 {
			c := dial(t, server.Port)
			c.say(t, "hello")
			if i == 3 {
				c.Write([]byte("half a li"))
			}
			clients = append(clients, c)
		}
		out := expectInterrupted(t, server)
		if n := strings.Count(out, "ends: the server is stopping\n"); n != 4 {
			t.Errorf("%d threads ended by the stop, want 4; the server printed:\n%s", n, out)
		}
		for _, wrong := range []string{`received "half a li"`, "the client closed the connection"} {
			if strings.Contains(out, wrong) {
				t.Errorf("the server says %q: it was interrupted; it printed:\n%s", wrong, out)
			}
		}
		if !strings.HasSuffix(out, "\ninterrupt: server stopped\n") {
			t.Errorf("the last line is not %q; the server printed:\n%s", "interrupt: server stopped", out)
		}
		for _, c := range clients {
			c.expectClosed(t)
		}
	})
}

// TestMeasureQuick runs "measure -quick" against the native build: one run
// of each size, a fraction of a second of busy clients. The server's
// thread count must hold a thread per idle client, where it is measured.
func TestMeasureQuick(t *testing.T) {
	out, status := chapter.Native().Run(t, "measure", "-quick")
	if status != 0 {
		t.Fatalf("measure exited %d:\n%s", status, out)
	}
	for _, n := range idleSizes {
		var clients, threads int
		for line := range strings.Lines(out) {
			if _, err := fmt.Sscanf(line, "%d %d", &clients, &threads); err == nil && clients == n {
				break
			}
		}
		if clients != n || threads < n && !strings.Contains(out, "not measured here") {
			t.Errorf("for %d idle clients the server has %d threads, want at least %d:\n%s", n, threads, n, out)
		}
	}
	t.Log("\n" + out)
}
