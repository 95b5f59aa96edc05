package main

import (
	"bytes"
	"maps"
	"runtime"
	"slices"
	"strings"
	"testing"

	"iomodels/testkit"
)

// A client's failure is that client's. The tests below check that a child
// outlives a client that resets its connection, and that no process keeps
// a descriptor for a client once that client has left.

// TestResetClient: with -children 1, a client resets its connection
// (SO_LINGER 0); the child prints the error and serves the next client.
func TestResetClient(t *testing.T) { builds(t, testResetClient) }

func testResetClient(t *testing.T, p *testkit.Program) {
	s := start(t, p, 1)
	s.pool(t, 1)
	resetClient(t, s.port)
	msg := []byte("after the reset")
	if got := roundTrip(t, s.port, msg); !bytes.Equal(got, msg) {
		hint := "does the child go back to accept after a client's error?"
		if strings.Contains(s.output(), "child 1 exited") {
			hint = "the only child exited after the reset (\"child 1 exited\", below): a child serves " +
				"clients until Ctrl-C; after a client's error, print it, close that client's socket " +
				"and accept the next"
		}
		t.Fatalf("with -children 1, after a client reset its connection (SO_LINGER 0), the next client "+
			"got %q within %v, want its echo %q: %s", got, waitLong, msg, hint)
	}

	// Wine, unlike Windows, may report the reset to a recv already waiting
	// as an orderly end-of-stream, so only a native run must name it.
	if !s.program.UnderWine() && !s.waitFor(`child 1: .*connection reset by peer \(ECONNRESET\)\n`) {
		t.Errorf("a client reset its connection, and the server printed no line \"child 1: ... "+
			"connection reset by peer (ECONNRESET)\" within %v: print a client's error on stderr, "+
			"\"child N: \" and the error, then go on", waitLong)
	}
	s.stop(t)
}

// resetClient connects, has "hello" echoed, and resets the connection:
// with SO_LINGER 0, close sends RST instead of FIN, and the child's next
// recv fails with ECONNRESET.
func resetClient(t *testing.T, port string) {
	t.Helper()
	c := hold(t, port, "hello")
	if !c.echoed(t, waitLong) {
		t.Fatalf("a client got no echo within %v", waitLong)
	}
	c.SetLinger(0)
	c.Close()
}

// TestDescriptorsClosed: on Linux, once clients have come and gone (one
// after another, two at once, one that resets), the parent holds the
// descriptors it held when its pool was ready, and each child the sockets
// it held then: the listening socket, and no client's. It runs only the
// native build: /proc does not show a Windows program's handles.
func TestDescriptorsClosed(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the test counts descriptors in Linux's /proc")
	}
	s := start(t, testkit.NativeProgram("lab", nativeBinary), 2)
	s.pool(t, 2)
	parent := mustDescriptors(t, s.pid())
	children := map[string]map[int]string{}
	for _, pid := range s.children(t) {
		// The Go runtime opens files of its own as a child starts, maybe
		// after we look; so in a child we count only its sockets. At its
		// start it holds one: the listening socket it was handed.
		children[pid] = sockets(mustDescriptors(t, pid))
	}

	comeAndGo(t, s.port)
	childrenHoldOnly(t, children)
	var held map[int]string
	if !settles(func() bool { held = mustDescriptors(t, s.pid()); return maps.Equal(held, parent) }) {
		t.Errorf("once every client had left, the server's parent process did not hold the descriptors "+
			"it held when its pool was ready (%s): the parent opens nothing for a client, its children "+
			"accept", change(parent, held))
	}
	s.stop(t)
}

// childrenHoldOnly checks that each child process holds the sockets it
// held at its start, or comes to within waitLong: a child closes a
// client's socket only after the client has read the end of its echo.
func childrenHoldOnly(t *testing.T, atStart map[string]map[int]string) {
	t.Helper()
	now := map[string]map[int]string{}
	settles(func() bool {
		held := true
		for pid, before := range atStart {
			fds, err := descriptors(pid)
			if err != nil { // it has exited
				now[pid] = nil
				return true
			}
			now[pid] = sockets(fds)
			held = held && maps.Equal(now[pid], before)
		}
		return held
	})
	for _, pid := range slices.Sorted(maps.Keys(atStart)) {
		if now[pid] == nil {
			t.Fatalf("child process %s exited while clients came and went; the last of them reset its "+
				"connection: a child serves clients until Ctrl-C, whatever one client does", pid)
		}
		if !maps.Equal(now[pid], atStart[pid]) {
			t.Errorf("once every client had left, child process %s held sockets %s, which it did not "+
				"hold when it started (it held %s): close each client's socket once echo returns, "+
				"whether echo failed (the client that reset) or not",
				pid, list(added(atStart[pid], now[pid])), list(atStart[pid]))
		}
	}
}

// comeAndGo plays the clients of TestDescriptorsClosed, each checked to be
// echoed: three one after another, two at once, and one that resets.
func comeAndGo(t *testing.T, port string) {
	t.Helper()
	for _, msg := range []string{"one", "after", "another"} {
		if got := roundTrip(t, port, []byte(msg)); string(got) != msg {
			t.Fatalf("a client sent %q, and got back %q, want its echo: "+
				"does each child go back to accept once its client leaves?", msg, got)
		}
	}
	first, second := hold(t, port, "two"), hold(t, port, "at once")
	if !first.echoed(t, waitLong) || !second.echoed(t, waitLong) {
		t.Fatalf("with -children 2, two clients at once did not both get their echo within %v", waitLong)
	}
	first.leave()
	second.leave()
	resetClient(t, port)
}

// mustDescriptors returns the descriptors process pid holds open.
func mustDescriptors(t *testing.T, pid string) map[int]string {
	t.Helper()
	fds, err := descriptors(pid)
	if err != nil {
		t.Fatalf("reading the descriptors of process %s: %v", pid, err)
	}
	return fds
}
