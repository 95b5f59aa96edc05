package main

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to the server while it waits in recvfrom. The
// interrupt flow sends an empty datagram to the server's socket from a
// socket of its own (sock 2), which makes the blocked recvfrom return; the
// server closes its socket, the interrupt flow its own, and the program
// exits 0 (the transcript testdata/interrupt shows it without -trace).
// Under Wine the exit after Ctrl-C may be a SIGKILL once the output is
// complete (see 01-blocking).
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
		run(t, testkit.NativeProgram("06-udp", nativeBinary), []string{
			"socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = sock 2",
			"sendto(sock 2, 0 bytes, 127.0.0.1) = 0",
			"recvmsg(sock 1, 65507 bytes) = 0 from 127.0.0.1",
			"close(sock 1) = 0", "close(sock 2) = 0"}, false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "06-udp", windowsBinary), []string{
			"socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) = sock 2",
			"sendto(sock 2, 0 bytes, 127.0.0.1) = 0",
			"recvfrom(sock 1, 65507 bytes) = 0 from 127.0.0.1",
			"closesocket(sock 1) = 0", "closesocket(sock 2) = 0", "WSACleanup() = 0"}, true)
	})
}

// TestInterruptMidExchange sends Ctrl-C to the server while a client is in
// the middle of an exchange: it sends a datagram as soon as the echo of the
// last one is back, so the server is in recvfrom or in sendto when Ctrl-C
// comes. The server must say it was interrupted and nothing else after its
// last datagram line (no "echo not sent"), exit 0, and, in its trace,
// close each socket once, after its last use, with no call failing on a
// closed socket (EBADF, ENOTSOCK).
func TestInterruptMidExchange(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, wineKill bool) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		conn := dialUDP(t, server.Port)
		exchanged := make(chan struct{})
		quit := make(chan struct{})
		go func() {
			buf := make([]byte, 64)
			for n := 0; ; n++ {
				select {
				case <-quit:
					return
				default:
				}
				conn.SetDeadline(time.Now().Add(time.Second))
				if _, err := conn.Write([]byte("ping")); err == nil {
					conn.Read(buf) // a lost echo or a refused datagram: we go on
				}
				if n == 20 {
					close(exchanged)
				}
			}
		}()
		<-exchanged
		out, status := server.InterruptAndWait(t)
		close(quit)
		if !strings.HasSuffix(out, "interrupt: server stopped\n") {
			t.Errorf("the last line is not %q; the server printed:\n%s", "interrupt: server stopped", out)
		}
		if strings.Contains(out, "echo not sent") {
			t.Errorf("the server says an echo failed; it was interrupted:\n%s", out)
		}
		if status != 0 && !(wineKill && status == testkit.KilledBySignal) {
			t.Errorf("exit status %d, want 0", status)
		}
		if problems := closeProblems(out); len(problems) > 0 {
			t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
		}
	}
	t.Run("native", func(t *testing.T) {
		run(t, testkit.NativeProgram("06-udp", nativeBinary), false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "06-udp", windowsBinary), true)
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
