package main

import (
	"fmt"
	"io"
	"net"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to the server while it waits in accept. It
// connects to its own listener, which makes the blocked accept return (a
// listener is not woken by shutdown on Windows or macOS), closes that
// connection and its listener, each once, and exits 0 (testdata/interrupt
// shows it without -trace; TestInterruptWithClients stops it with clients
// mid-exchange). Under Wine, Wine's endings after the last line are
// accepted (testkit's ExitAccepted).
func TestInterrupt(t *testing.T) {
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the Windows lines are checked under Wine")
		}
		interruptInAccept(t, chapter.Native(),
			"accept(sock 1) = sock 3 from 127.0.0.1", "close(sock 3) = 0", "close(sock 1) = 0", "close(sock 2) = 0")
	})
	t.Run("wine", func(t *testing.T) {
		interruptInAccept(t, chapter.Wine(t),
			"accept(sock 1) = sock 3 from 127.0.0.1", "closesocket(sock 3) = 0", "closesocket(sock 1) = 0",
			"closesocket(sock 2) = 0", "WSACleanup() = 0")
	})
}

// interruptInAccept is TestInterrupt with one build, whose trace must
// hold lines.
func interruptInAccept(t *testing.T, program *testkit.Program, lines ...string) {
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	out, status := server.InterruptAndWait(t)
	for _, line := range append(lines, stoppedLine) {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("missing the line %q; the server printed:\n%s", line, out)
		}
	}
	if !server.ExitAccepted(t, status, 0, out, stoppedLine) {
		t.Errorf("exit status %d, want 0", status)
	}
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
	}
}

// TestInterruptWithClients sends Ctrl-C to the server with clients
// connected mid-exchange: two children have each echoed a byte and wait
// in recv for more, and a third client, told "server busy", is still
// connected, the parent reading what it sends (turnAway). The interrupt
// flow only wakes the blocked calls (the parent's accept and turnAway's
// recv; each child, told to stop, its own recv); each call then reports
// the interruption, so no child says its client finished ("Connection
// closing..."); each process closes each of its sockets once, after its
// last use; the clients read end-of-stream; and the server exits 0 with
// "interrupt: server stopped" as its last line.
func TestInterruptWithClients(t *testing.T) {
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the Windows build is checked under Wine")
		}
		interruptWithClients(t, chapter.Native())
	})
	t.Run("wine", func(t *testing.T) { interruptWithClients(t, chapter.Wine(t)) })
}

func interruptWithClients(t *testing.T, program *testkit.Program) {
	s := startWatched(t, program, "server", "-trace", "-max-procs", "2", "-addr", "127.0.0.1:0")
	var conns []*net.TCPConn
	for range 2 {
		c, first := holdConn(t, s.Port)
		if first != "x" {
			t.Fatalf("a client got %q, want its echo %q", first, "x")
		}
		conns = append(conns, c)
	}
	busy, reply := holdConn(t, s.Port)
	s.waitFor(t, `turned away\n`)
	out := s.stop(t)
	if !strings.HasSuffix(out, "\n"+stoppedLine+"\n") {
		t.Errorf("the last line is not %q; the server printed:\n%s", stoppedLine, out)
	}
	stopping := regexp.MustCompile(`(?m)^child [12]: [a-z ]+: the server is stopping$`)
	if n := len(stopping.FindAllString(out, -1)); n != 2 {
		t.Errorf("%d children say the server is stopping, want 2; the server printed:\n%s", n, out)
	}
	for n := 1; n <= 2; n++ {
		if wrong := fmt.Sprintf("child %d: Connection closing...", n); strings.Contains(out, wrong) {
			t.Errorf("the server says %q: it was interrupted; it printed:\n%s", wrong, out)
		}
		if !strings.Contains(out, fmt.Sprintf("child %d exited (status 0)\n", n)) {
			t.Errorf("child %d did not exit with status 0:\n%s", n, out)
		}
	}
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
	}
	for i, c := range conns {
		if rest, err := io.ReadAll(c); err != nil || len(rest) != 0 {
			t.Errorf("client %d read %q, %v; want end-of-stream", i+1, rest, err)
		}
	}
	if rest, err := io.ReadAll(busy); err != nil || reply+string(rest) != busyReply {
		t.Errorf("the busy client read %q, %v; want %q, then end-of-stream", reply+string(rest), err, busyReply)
	}
}
