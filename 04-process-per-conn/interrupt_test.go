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
// mid-exchange). Wine 8 sometimes kills the
// Windows build with SIGKILL as it exits after a Ctrl-C (as in chapter 01),
// so under Wine that exit is accepted once the output is complete.
func TestInterrupt(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, lines []string, wineKill bool) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		out, status := server.InterruptAndWait(t)
		for _, line := range append(lines, "interrupt: server stopped") {
			if !strings.Contains(out, line+"\n") {
				t.Errorf("missing the line %q; the server printed:\n%s", line, out)
			}
		}
		if status != 0 && !wineEnded(wineKill, status, out) {
			t.Errorf("exit status %d, want 0", status)
		}
		if problems := closeProblems(out); len(problems) > 0 {
			t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
		}
	}
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the Windows lines are checked under Wine")
		}
		run(t, testkit.NativeProgram("04-process-per-conn", nativeBinary),
			[]string{"accept(sock 1) = sock 3 from 127.0.0.1", "close(sock 3) = 0", "close(sock 1) = 0", "close(sock 2) = 0"}, false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "04-process-per-conn", windowsBinary),
			[]string{"accept(sock 1) = sock 3 from 127.0.0.1", "closesocket(sock 3) = 0", "closesocket(sock 1) = 0", "closesocket(sock 2) = 0", "WSACleanup() = 0"}, true)
	})
}

// TestReuseAddr is the demo's restart, with a program of each kind: a
// server stopped while a client is connected closes that connection first,
// so its side waits in TIME_WAIT; a server started at once on the same
// port binds only with -reuseaddr. Under Wine the restart without the
// option listens too (every run here): Wine's sockets are Linux sockets,
// and Wine lets bind over TIME_WAIT as Windows does.
func TestReuseAddr(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, refused string, wineKill bool) {
		first := startWatched(t, program, "server", "-addr", "127.0.0.1:0")
		conn, _ := holdConn(t, first.Port)
		out, status := first.wait(t, true)
		if status != 0 && !wineEnded(wineKill, status, out) {
			t.Fatalf("the first server exited %d:\n%s", status, out)
		}
		if rest, err := io.ReadAll(conn); err != nil || len(rest) != 0 {
			t.Fatalf("the client read %q, %v after the server stopped; want end-of-stream", rest, err)
		}
		conn.Close()

		without := startWatched(t, program, "server", "-reuseaddr=false", "-addr", "127.0.0.1:"+first.Port)
		out, status = without.wait(t, without.Port != "")
		if refused != "" && (status != 1 || !strings.Contains(out, refused)) {
			t.Errorf("without -reuseaddr: exit %d, want 1 with %q:\n%s", status, refused, out)
		}
		if refused == "" && without.Port == "" {
			t.Errorf("without -reuseaddr the server did not listen:\n%s", out)
		}
		with := startWatched(t, program, "server", "-addr", "127.0.0.1:"+first.Port)
		if with.Port == "" {
			t.Errorf("with -reuseaddr the server did not listen:\n%s", with.output())
			return
		}
		with.wait(t, true)
	}
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("see the Wine case")
		}
		run(t, testkit.NativeProgram("04-process-per-conn", nativeBinary),
			"address already in use (EADDRINUSE)", false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "04-process-per-conn", windowsBinary), "", true)
	})
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
	run := func(t *testing.T, program *testkit.Program, wine bool) {
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
		out, status := s.wait(t, true)
		if status != 0 && !wineEnded(wine, status, out) {
			t.Errorf("exit status %d, want 0", status)
		}
		if !strings.HasSuffix(out, "\ninterrupt: server stopped\n") {
			t.Errorf("the last line is not %q; the server printed:\n%s", "interrupt: server stopped", out)
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
		if problems := closeProblems(out); len(problems) > 0 {
			t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
		}
		for i, c := range conns {
			if rest, err := io.ReadAll(c); err != nil || len(rest) != 0 {
				t.Errorf("client %d read %q, %v; want end-of-stream", i+1, rest, err)
			}
			c.Close()
		}
		if rest, err := io.ReadAll(busy); err != nil || reply+string(rest) != busyReply {
			t.Errorf("the busy client read %q, %v; want %q, then end-of-stream", reply+string(rest), err, busyReply)
		}
		busy.Close()
	}
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the Windows build is checked under Wine")
		}
		run(t, testkit.NativeProgram("04-process-per-conn", nativeBinary), false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "04-process-per-conn", windowsBinary), true)
	})
}
