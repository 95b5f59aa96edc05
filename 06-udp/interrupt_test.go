package main

import (
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// stopped is the server's last line after Ctrl-C.
const stopped = "interrupt: server stopped"

// TestInterrupt sends Ctrl-C to the server while it waits in recvfrom. The
// interrupt flow sends an empty datagram to the server's socket from a
// socket of its own (sock 2), which makes the blocked recvfrom return; the
// server closes its socket, the interrupt flow its own, and the program
// exits 0 (the transcript testdata/interrupt shows it without -trace).
func TestInterrupt(t *testing.T) {
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the Windows lines are checked under Wine")
		}
		interruptWaiting(t, chapter.Native(), []string{
			"socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = sock 2",
			"sendto(sock 2, 0 bytes, 127.0.0.1) = 0",
			"recvmsg(sock 1, 65507 bytes) = 0 from 127.0.0.1",
			"close(sock 1) = 0", "close(sock 2) = 0"})
	})
	t.Run("wine", func(t *testing.T) {
		interruptWaiting(t, chapter.Wine(t), []string{
			"socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = sock 2",
			"sendto(sock 2, 0 bytes, 127.0.0.1) = 0",
			"recvfrom(sock 1, 65507 bytes) = 0 from 127.0.0.1",
			"closesocket(sock 1) = 0", "closesocket(sock 2) = 0", "WSACleanup() = 0"})
	})
}

// interruptWaiting is TestInterrupt against one build: the trace must
// hold lines, and the server must close each socket once, after its last
// use.
func interruptWaiting(t *testing.T, program *testkit.Program, lines []string) {
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	out, status := server.InterruptAndWait(t)
	for _, line := range append(lines, stopped) {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("missing the line %q; the server printed:\n%s", line, out)
		}
	}
	if !server.ExitAccepted(t, status, 0, out, stopped) {
		t.Errorf("exit status %d, want 0", status)
	}
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
	}
}

// TestInterruptMidExchange sends Ctrl-C to the server while a client is in
// the middle of an exchange: it sends a datagram as soon as the echo of the
// last one is back, so the server is in recvfrom or in sendto when Ctrl-C
// comes. The server must say it was interrupted and nothing else after its
// last datagram line (no "echo not sent"), exit 0, and, in its trace,
// close each socket once, after its last use, with no call failing on a
// closed socket (EBADF, ENOTSOCK).
func TestInterruptMidExchange(t *testing.T) {
	t.Run("native", func(t *testing.T) { interruptMidExchange(t, chapter.Native()) })
	t.Run("wine", func(t *testing.T) { interruptMidExchange(t, chapter.Wine(t)) })
}

func interruptMidExchange(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
	quit := pingUntilQuit(dialUDP(t, server.Port), 20)
	out, status := server.InterruptAndWait(t)
	close(quit)
	if !strings.HasSuffix(out, stopped+"\n") {
		t.Errorf("the last line is not %q; the server printed:\n%s", stopped, out)
	}
	if strings.Contains(out, "echo not sent") {
		t.Errorf("the server says an echo failed; it was interrupted:\n%s", out)
	}
	if !server.ExitAccepted(t, status, 0, out, stopped) {
		t.Errorf("exit status %d, want 0", status)
	}
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
	}
}

// pingUntilQuit sends "ping" on conn, waiting up to a second for each
// echo, until the returned channel is closed; it returns once n
// exchanges are done.
func pingUntilQuit(conn *net.UDPConn, n int) chan struct{} {
	exchanged := make(chan struct{})
	quit := make(chan struct{})
	go func() {
		buf := make([]byte, 64)
		for i := 0; ; i++ {
			select {
			case <-quit:
				return
			default:
			}
			conn.SetDeadline(time.Now().Add(time.Second))
			if _, err := conn.Write([]byte("ping")); err == nil {
				conn.Read(buf) // a lost echo or a refused datagram: we go on
			}
			if i == n {
				close(exchanged)
			}
		}
	}()
	<-exchanged
	return quit
}
