package main

import (
	"io"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// The interrupt tests send Ctrl-C to a server started with -trace. Wine
// sometimes kills the Windows build with SIGKILL as it exits after a
// Ctrl-C, after its last line: expectStopped accepts that exit there
// (testkit.WineKillAtExit).

// stoppedLine is the server's last line after Ctrl-C.
const stoppedLine = "interrupt: server stopped"

// TestInterrupt sends Ctrl-C to the server while it waits in accept. The
// interrupt flow connects to the listener (sock 2), which makes the blocked
// accept return; the serving flow closes what accept returned (sock 3) and
// its listener, and exits 0 (testdata/interrupt shows it without -trace).
func TestInterrupt(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, lines ...string) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		out := expectStopped(t, server)
		for _, line := range append(lines, stoppedLine) {
			if !strings.Contains(out, line+"\n") {
				t.Errorf("missing the line %q; the server printed:\n%s", line, out)
			}
		}
	}
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the Windows lines are checked under Wine")
		}
		run(t, chapter.Native(),
			"socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = sock 2",
			"accept(sock 1) = sock 3 from 127.0.0.1",
			"close(sock 3) = 0", "close(sock 1) = 0", "close(sock 2) = 0")
	})
	t.Run("wine", func(t *testing.T) {
		run(t, chapter.Wine(t),
			"socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = sock 2",
			"accept(sock 1) = sock 3 from 127.0.0.1",
			"closesocket(sock 3) = 0", "closesocket(sock 1) = 0", "closesocket(sock 2) = 0",
			"WSACleanup() = 0")
	})
}

// TestInterruptWithClient sends Ctrl-C to the server while a client is
// connected and the server waits in recv for its next bytes. The server
// must say it was interrupted, not that the client finished; exit 0; and,
// in its trace, close each socket once, after its last use, with no call
// failing on a closed socket.
func TestInterruptWithClient(t *testing.T) {
	t.Run("native", func(t *testing.T) {
		out := interruptWithClient(t, chapter.Native())
		if runtime.GOOS != "windows" && !strings.Contains(out, "shutdown(sock 2, SHUT_RDWR) = 0\n") {
			t.Errorf("the client's socket was not shut down; the trace:\n%s", out)
		}
	})
	// Under Wine, shutdown does not wake a blocked recv: CancelIoEx does,
	// and the trace reads recv(sock 2, 512 bytes) = SOCKET_ERROR WSA_OPERATION_ABORTED.
	// A recv called only after them (Ctrl-C came as the server sent)
	// returns at once.
	t.Run("wine", func(t *testing.T) {
		out := interruptWithClient(t, chapter.Wine(t))
		_, after, cancelled := strings.Cut(out, "CancelIoEx(sock 2, NULL) = TRUE\n")
		recv := regexp.MustCompile(`recv\(sock 2, 512 bytes\) = (.*)\n`).FindStringSubmatch(after)
		switch {
		case !cancelled:
			t.Errorf("no CancelIoEx(sock 2, NULL) = TRUE; the trace:\n%s", out)
		case recv != nil && !regexp.MustCompile(`^(SOCKET_ERROR WSA_OPERATION_ABORTED|0|SOCKET_ERROR WSAESHUTDOWN)$`).MatchString(recv[1]):
			t.Errorf("the recv after CancelIoEx returned %q; the trace:\n%s", recv[1], out)
		}
	})
}

// interruptWithClient connects a client, sees its first echo, sends the
// server Ctrl-C and checks how the server stopped. It returns the trace.
func interruptWithClient(t *testing.T, program *testkit.Program) string {
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	conn := testkit.Dial(t, server.Port)
	conn.Write([]byte("hello"))
	if _, err := io.ReadFull(conn, make([]byte, 5)); err != nil {
		t.Fatal(err)
	}
	out := expectStopped(t, server)
	if !strings.HasSuffix(out, stoppedLine+"\n") {
		t.Errorf("the last line is not %q; the server printed:\n%s", stoppedLine, out)
	}
	if strings.Contains(out, "Connection closing...") {
		t.Errorf("the server says the client finished; it was interrupted:\n%s", out)
	}
	return out
}

// expectStopped sends the server Ctrl-C and fails the test unless it
// exits 0 (or as Wine ends it, see testkit.Server.ExitAccepted) and its
// trace closes each socket once, after its last use (testkit.CloseProblems).
// It is not ExpectExit: that waits for an exit, and checks only that
// every socket was closed. It returns what the server printed.
func expectStopped(t *testing.T, server *testkit.Server) string {
	t.Helper()
	out, status := server.InterruptAndWait(t)
	if !server.ExitAccepted(t, status, 0, out, stoppedLine) {
		t.Errorf("exit status %d, want 0", status)
	}
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
	}
	return out
}
