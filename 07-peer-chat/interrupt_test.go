package main

import (
	"os"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to the server while it waits in accept. It
// shuts down and closes its socket, which makes the blocked accept return,
// and exits 0 (the transcript testdata/interrupt shows it without -trace).
// Under Wine the exit after Ctrl-C may be a SIGKILL once the output is
// complete (see 01-blocking), which is accepted there only.
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
		run(t, testkit.NativeProgram("07-peer-chat", nativeBinary),
			[]string{"shutdown(sock 1, SHUT_RDWR) = 0", "close(sock 1) = 0"}, false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "07-peer-chat", windowsBinary),
			[]string{"closesocket(sock 1) = 0", "WSACleanup() = 0"}, true)
	})
}

// TestInterruptChat sends Ctrl-C to a client in the middle of a chat,
// while one flow waits in recv and the other in a read of the keyboard:
// the socket's shutdown wakes the first, and the client exits 0 without
// waiting for the second.
func TestInterruptChat(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, wineKill bool) {
		server := startPeer(t, program, "server", "-addr", "127.0.0.1:0")
		port := server.waitFor(t, `^listening on 127\.0\.0\.1:(\d+)$`)[1]
		client := startPeer(t, program, "client", "-addr", "127.0.0.1:"+port)
		client.waitFor(t, `^connected to 127\.0\.0\.1:\d+$`)
		server.waitFor(t, `^peer connected from 127\.0\.0\.1$`)
		// SIGINT is Ctrl-C; Wine turns it into the CTRL_C_EVENT of Windows.
		if err := client.cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		if line := client.waitFor(t, `^interrupt: client stopped$|^peer left$`)[0]; line != "interrupt: client stopped" {
			t.Errorf("the client printed %q: the peer did not leave, the client was stopped", line)
		}
		if status := client.exit(t); status != 0 && !(wineKill && status == testkit.KilledBySignal) {
			t.Errorf("client exited %d, want 0:\n%s", status, client.all.String())
		}
		server.waitFor(t, `^peer left$`)
		if status := server.exit(t); status != 0 {
			t.Errorf("server exited %d, want 0:\n%s", status, server.all.String())
		}
	}
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("Go cannot send Ctrl-C to one process on Windows; the Windows build is checked under Wine")
		}
		run(t, testkit.NativeProgram("07-peer-chat", nativeBinary), false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "07-peer-chat", windowsBinary), true)
	})
}
