package main

import (
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to the server while a client is connected and
// its recv is in flight. The server cancels it, runs its routine, closes
// every socket once, names none after its close (testkit.CloseProblems)
// and exits 0 (testdata/interrupt shows it without a client).
// Under Wine, an exit that Wine ends once the output is complete is
// accepted too (Server.ExitAccepted).
func TestInterrupt(t *testing.T) {
	for _, backend := range nativeBackends() {
		t.Run(backend, func(t *testing.T) {
			if runtime.GOOS == "windows" {
				t.Skip("the Windows lines are checked under Wine")
			}
			// io_uring cancels the recv (IORING_OP_ASYNC_CANCEL), which
			// completes with -ECANCELED; the emulation shuts the socket
			// down, and its read reads end-of-stream.
			lines := map[string][]string{
				"uring": {"IORING_OP_ASYNC_CANCEL(sock 2, user_data 0) = queued",
					"  in the alertable wait: client 1: recv routine: operation canceled (ECANCELED): the server ended it as it stops"},
				"poll": {"shutdown(sock 2, SHUT_RDWR) = 0",
					"  in the alertable wait: client 1: recv routine: 0 bytes: the server's shutdown ended it as it stops"},
			}[backend]
			interruptWithAClient(t, nativeProgram(backend), lines)
		})
	}
	t.Run("wine", func(t *testing.T) {
		// Windows tells the routine of a cancelled WSARecv
		// WSA_OPERATION_ABORTED; Wine 8 tells it WSAEINVAL, so under
		// Wine either is accepted.
		interruptWithAClient(t, chapter.Wine(t), []string{"closesocket(sock 2) = 0",
			": the server ended it as it stops", "WSACleanup() = 0"})
	})
}

// interruptWithAClient is TestInterrupt against one build: lines are what
// that build's trace must hold besides the lines every build prints.
func interruptWithAClient(t *testing.T, program *testkit.Program, lines []string) {
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	conn := testkit.Dial(t, server.Port)
	conn.Write([]byte("hi"))
	if _, err := conn.Read(make([]byte, 2)); err != nil {
		t.Fatal(err)
	}
	out, status := server.InterruptAndWait(t)
	for _, line := range append(lines, "client 1: closing, 2 bytes echoed", "interrupt: server stopped") {
		if !strings.Contains(out, line) {
			t.Errorf("missing the line %q; the server printed:\n%s", line, out)
		}
	}
	// The stop ended the recv: the client did not go, and must not be
	// said to have gone.
	if strings.Contains(out, "the client has gone") {
		t.Errorf("the server says the client has gone; it was the stop that ended the recv:\n%s", out)
	}
	if i := strings.LastIndex(out, "client 1: recv routine: "); i >= 0 {
		t.Logf("the cancelled recv's routine was told: %s", strings.SplitN(out[i:], "\n", 2)[0])
	}
	if !server.ExitAccepted(t, status, 0, out, "interrupt: server stopped") {
		t.Errorf("exit status %d, want 0", status)
	}
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("how the server closed its sockets: %q; the trace:\n%s", problems, out)
	}
}
