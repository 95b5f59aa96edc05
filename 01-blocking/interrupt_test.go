package main

import (
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to the server while it waits in accept. It
// shuts down and closes its socket, which makes the blocked accept return,
// and exits 0 (the transcript testdata/interrupt shows it without -trace).
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
		if leaked := unclosed(out); len(leaked) > 0 {
			t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, out)
		}
	}
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the Windows lines are checked under Wine")
		}
		run(t, testkit.NativeProgram("01-blocking", nativeBinary),
			[]string{"shutdown(sock 1, SHUT_RDWR) = 0", "close(sock 1) = 0"}, false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "01-blocking", windowsBinary),
			[]string{"closesocket(sock 1) = 0", "accept(sock 1) = SOCKET_ERROR WSA_OPERATION_ABORTED", "WSACleanup() = 0"}, true)
	})
}
