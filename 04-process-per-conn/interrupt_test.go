package main

import (
	"io"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to the server while it waits in accept. It
// shuts down and closes its listening socket, which makes the blocked
// accept return, and exits 0 (testdata/interrupt shows it without -trace;
// TestProcesses stops it with children running). Wine 8 sometimes kills the
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
		expectAllClosed(t, out)
	}
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the Windows lines are checked under Wine")
		}
		run(t, testkit.NativeProgram("04-process-per-conn", nativeBinary),
			[]string{"shutdown(sock 1, SHUT_RDWR) = 0", "close(sock 1) = 0"}, false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "04-process-per-conn", windowsBinary),
			[]string{"closesocket(sock 1) = 0", "accept(sock 1) = SOCKET_ERROR WSA_OPERATION_ABORTED", "WSACleanup() = 0"}, true)
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
