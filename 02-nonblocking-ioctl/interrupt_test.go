package main

import (
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to a server that polls a connected client.
// Its one thread sees the signal between two passes, closes every socket
// and exits 0 (the transcript testdata/interrupt shows it without -trace).
// Wine 8 sometimes kills the Windows build with SIGKILL as it exits after
// a Ctrl-C, after its last line (see 01-blocking), so under Wine that exit
// is accepted once the output is complete.
func TestInterrupt(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, lines []string, wineKill bool) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		conn := dial(t, server.Port)
		defer conn.Close()
		conn.Write([]byte("hello\n"))
		if _, err := conn.Read(make([]byte, 64)); err != nil {
			t.Fatal(err) // the server has accepted the client
		}
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
		run(t, testkit.NativeProgram(name, nativeBinary),
			[]string{"close(sock 2) = 0", "close(sock 1) = 0"}, false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, name, windowsBinary),
			[]string{"closesocket(sock 2) = 0", "closesocket(sock 1) = 0", "WSACleanup() = 0"}, true)
	})
}
