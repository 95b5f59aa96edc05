package main

import (
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to the server while it waits in accept. The
// interrupt flow connects to the listener (sock 2), which makes the blocked
// accept return; the serving flow closes what accept returned (sock 3) and
// its listener, and exits 0 (testdata/interrupt shows it without -trace).
// Wine 8 sometimes kills the Windows build with SIGKILL as it exits after a
// Ctrl-C (3 runs in 60 here, each after the last line was printed), so
// under Wine that exit is accepted once the output is complete.
func TestInterrupt(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, lines []string, wineKill bool) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		out, status := server.InterruptAndWait(t)
		for _, line := range append(lines, "interrupt: server stopped") {
			if !strings.Contains(out, line+"\n") {
				t.Errorf("missing the line %q; the server printed:\n%s", line, out)
			}
		}
		if status != 0 && !(wineKill && status == testkit.KilledBySignal) {
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
		run(t, testkit.NativeProgram("01-blocking", nativeBinary), []string{
			"socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = sock 2",
			"accept(sock 1) = sock 3 from 127.0.0.1",
			"close(sock 3) = 0", "close(sock 1) = 0", "close(sock 2) = 0"}, false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "01-blocking", windowsBinary), []string{
			"socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = sock 2",
			"accept(sock 1) = sock 3 from 127.0.0.1",
			"closesocket(sock 3) = 0", "closesocket(sock 1) = 0", "closesocket(sock 2) = 0",
			"WSACleanup() = 0"}, true)
	})
}

// TestInterruptWithClient sends Ctrl-C to the server while a client is
// connected and the server waits in recv for its next bytes. The server
// must say it was interrupted, not that the client finished; exit 0; and,
// in its trace, close each socket once, after its last use, with no call
// failing on a closed socket.
func TestInterruptWithClient(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, wineKill bool) string {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		conn := dial(t, server.Port)
		defer conn.Close()
		conn.Write([]byte("hello"))
		if _, err := io.ReadFull(conn, make([]byte, 5)); err != nil {
			t.Fatal(err)
		}
		out, status := server.InterruptAndWait(t)
		if !strings.HasSuffix(out, "interrupt: server stopped\n") {
			t.Errorf("the last line is not %q; the server printed:\n%s", "interrupt: server stopped", out)
		}
		if strings.Contains(out, "Connection closing...") {
			t.Errorf("the server says the client finished; it was interrupted:\n%s", out)
		}
		if status != 0 && !(wineKill && status == testkit.KilledBySignal) {
			t.Errorf("exit status %d, want 0", status)
		}
		if problems := closeProblems(out); len(problems) > 0 {
			t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
		}
		return out
	}
	t.Run("native", func(t *testing.T) {
		out := run(t, testkit.NativeProgram("01-blocking", nativeBinary), false)
		if runtime.GOOS != "windows" && !strings.Contains(out, "shutdown(sock 2, SHUT_RDWR) = 0\n") {
			t.Errorf("the client's socket was not shut down; the trace:\n%s", out)
		}
	})
	// Under Wine, shutdown does not wake a blocked recv: CancelIoEx does,
	// and the trace reads recv(sock 2, 512 bytes) = SOCKET_ERROR WSA_OPERATION_ABORTED.
	// A recv called only after them (Ctrl-C came as the server sent)
	// returns at once.
	t.Run("wine", func(t *testing.T) {
		out := run(t, testkit.WineProgram(t, "01-blocking", windowsBinary), true)
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

var (
	callOnSock = regexp.MustCompile(`^\w+\((sock \d+)`)
	closeCall  = regexp.MustCompile(`^close(?:socket)?\((sock \d+)\)`)
	badHandle  = regexp.MustCompile(`\b(WSA)?E(BADF|NOTSOCK)\b`)
)

// closeProblems reads a trace and returns what is wrong in how it closes
// sockets: one never closed, one closed twice, a call on a closed socket,
// or a call failing because its socket was closed (EBADF, ENOTSOCK).
func closeProblems(trace string) []string {
	var problems []string
	closed := map[string]bool{}
	for _, line := range strings.Split(trace, "\n") {
		if badHandle.MatchString(line) {
			problems = append(problems, fmt.Sprintf("a call on a closed handle: %q", line))
		}
		m := callOnSock.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if closed[m[1]] {
			problems = append(problems, fmt.Sprintf("%s used after it was closed: %q", m[1], line))
		}
		if closeCall.MatchString(line) {
			closed[m[1]] = true
		}
	}
	for _, leaked := range unclosed(trace) {
		problems = append(problems, leaked+" was never closed")
	}
	return problems
}
