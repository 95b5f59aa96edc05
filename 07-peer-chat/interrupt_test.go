package main

import (
	"os"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to the server while it waits in accept. The
// interrupt flow connects to the listener (sock 2), which makes the blocked
// accept return; the serving flow closes what accept returned (sock 3) and
// its listener, and exits 0 (testdata/interrupt shows it without -trace).
// Under Wine the exit after Ctrl-C may be one of Wine's endings once the
// output is complete (testkit.ExitAccepted), which is accepted there only.
func TestInterrupt(t *testing.T) {
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the Windows lines are checked under Wine")
		}
		checkInterrupt(t, chapter.Native(), []string{
			"socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = sock 2",
			"accept(sock 1) = sock 3 from 127.0.0.1",
			"close(sock 3) = 0", "close(sock 1) = 0", "close(sock 2) = 0"})
	})
	t.Run("wine", func(t *testing.T) {
		checkInterrupt(t, chapter.Wine(t), []string{
			"socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = sock 2",
			"accept(sock 1) = sock 3 from 127.0.0.1",
			"closesocket(sock 3) = 0", "closesocket(sock 1) = 0", "closesocket(sock 2) = 0",
			"WSACleanup() = 0"})
	})
}

// checkInterrupt is TestInterrupt against one build, whose trace must
// hold lines.
func checkInterrupt(t *testing.T, program *testkit.Program, lines []string) {
	const last = "interrupt: server stopped"
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	out, status := server.InterruptAndWait(t)
	for _, line := range append(lines, last) {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("missing the line %q; the server printed:\n%s", line, out)
		}
	}
	if !server.ExitAccepted(t, status, 0, out, last) {
		t.Errorf("exit status %d, want 0", status)
	}
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
	}
}

// TestInterruptChat sends Ctrl-C to a client in the middle of a chat,
// while one flow waits in recv and the other in a read of the keyboard:
// the socket's shutdown wakes the first, and the client exits 0 without
// waiting for the second.
func TestInterruptChat(t *testing.T) {
	onBothBuilds(t, "", checkInterruptChat)
}

func checkInterruptChat(t *testing.T, program *testkit.Program) {
	const last = "interrupt: client stopped"
	server, port := startServer(t, program)
	client := startPeer(t, program, "client", "-addr", "127.0.0.1:"+port)
	client.waitFor(t, `^connected to 127\.0\.0\.1:\d+$`)
	server.waitFor(t, `^peer connected from 127\.0\.0\.1$`)
	// SIGINT is Ctrl-C; Wine turns it into the CTRL_C_EVENT of Windows.
	if err := client.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if line := client.waitFor(t, `^`+last+`$|^peer left$`)[0]; line != last {
		t.Errorf("the client printed %q: the peer did not leave, the client was stopped", line)
	}
	if status := client.exit(t); !program.ExitAccepted(t, status, 0, client.all.String(), last) {
		t.Errorf("client exited %d, want 0:\n%s", status, client.all.String())
	}
	server.waitFor(t, `^peer left$`)
	if status := server.exit(t); status != 0 {
		t.Errorf("server exited %d, want 0:\n%s", status, server.all.String())
	}
}

// onBothBuilds runs check against the native build and the Windows build
// under Wine, as subtests prefix+"native" and prefix+"wine". On Windows
// the native one is skipped: Go cannot send Ctrl-C to one process there.
func onBothBuilds(t *testing.T, prefix string, check func(*testing.T, *testkit.Program)) {
	t.Run(prefix+"native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("Go cannot send Ctrl-C to one process on Windows; the Windows build is checked under Wine")
		}
		check(t, chapter.Native())
	})
	t.Run(prefix+"wine", func(t *testing.T) { check(t, chapter.Wine(t)) })
}
