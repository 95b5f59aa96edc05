package main

import (
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to the server while it waits in recvfrom. It
// shuts down and closes its socket, which makes the blocked call return,
// and exits 0 (the transcript testdata/interrupt shows it without -trace).
// On Linux, shutdown of a socket that is not connected fails with ENOTCONN,
// yet it wakes the receive all the same. Under Wine the exit after Ctrl-C
// may be a SIGKILL once the output is complete (see 01-blocking).
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
		lines := []string{"close(sock 1) = 0"}
		if runtime.GOOS == "linux" {
			lines = append(lines, "shutdown(sock 1, SHUT_RDWR) = -1 ENOTCONN")
		}
		run(t, testkit.NativeProgram("06-udp", nativeBinary), lines, false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "06-udp", windowsBinary),
			[]string{"closesocket(sock 1) = 0", "WSACleanup() = 0"}, true)
	})
}
