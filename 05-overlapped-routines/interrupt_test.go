package main

import (
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to the server while a client is connected and
// its recv is in flight. The server cancels it, runs its routine, closes
// every socket and exits 0 (testdata/interrupt shows it without a client).
// Wine 8 sometimes kills the Windows build with SIGKILL as it exits after a
// Ctrl-C (see 01-blocking), so under Wine that exit is accepted once the
// output is complete.
func TestInterrupt(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, lines []string, wineKill bool) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		conn := dial(t, server.Port)
		defer conn.Close()
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
		if status != 0 && !(wineKill && status == testkit.KilledBySignal) {
			t.Errorf("exit status %d, want 0", status)
		}
		if leaked := unclosed(out); len(leaked) > 0 {
			t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, out)
		}
	}
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
			run(t, nativeProgram(backend), lines, false)
		})
	}
	t.Run("wine", func(t *testing.T) {
		// Windows tells the routine of a cancelled WSARecv
		// WSA_OPERATION_ABORTED; Wine 8 tells it WSAEINVAL (every run
		// here), so under Wine either is accepted.
		run(t, testkit.WineProgram(t, name, windowsBinary), []string{"closesocket(sock 2) = 0",
			": the server ended it as it stops", "WSACleanup() = 0"}, true)
	})
}
