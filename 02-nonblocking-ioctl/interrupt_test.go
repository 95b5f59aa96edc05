package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// TestInterrupt sends Ctrl-C to a server with two clients connected in
// mid-exchange: client 1 has had one reply, client 2 two, and each has
// then sent the start of a line, which the server may or may not have read
// when the signal comes. The signal only tells the loop, the sockets' one
// owner: it sees the signal between two passes and returns, its deferred
// closes close each socket once, after its last call on it, WSACleanup
// comes after the last closesocket, and then the server says it was
// interrupted, as its last line, and exits 0. Nothing it prints may say a
// client left or finished (no "client N: closed"), and no call may fail on
// a closed handle (EBADF, ENOTSOCK). -poll 0 takes the other path to the
// signal, a loop that never sleeps, where a close made by another flow
// would be seen at once. Each client must see its connection end.
// testdata/interrupt shows Ctrl-C without -trace.
// Under Wine, one of Wine's endings after the last line is accepted
// (testkit's ExitAccepted).
func TestInterrupt(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, lines []string, end string) {
		for _, poll := range []string{"100ms", "0"} {
			t.Run("poll "+poll, func(t *testing.T) {
				server := program.StartServer(t, "server", "-trace", "-poll", poll, "-addr", "127.0.0.1:0")
				one := talkHalfway(t, server.Port, "hello\n", "hel")
				two := talkHalfway(t, server.Port, "one\ntwo\n", "thr")
				out, status := server.InterruptAndWait(t)
				checkInterrupted(t, server, out, status, lines, end)
				for n, conn := range []*net.TCPConn{one, two} {
					conn.SetReadDeadline(time.Now().Add(10 * time.Second))
					if _, err := io.ReadAll(conn); errors.Is(err, os.ErrDeadlineExceeded) {
						t.Errorf("client %d: the connection was still open after the server exited", n+1)
					}
				}
			})
		}
	}
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the Windows lines are checked under Wine")
		}
		run(t, chapter.Native(),
			[]string{"close(sock 2) = 0", "close(sock 3) = 0"},
			"close(sock 1) = 0\ninterrupt: server stopped\n")
	})
	t.Run("wine", func(t *testing.T) {
		run(t, chapter.Wine(t),
			[]string{"closesocket(sock 2) = 0", "closesocket(sock 3) = 0"},
			"closesocket(sock 1) = 0\nWSACleanup() = 0\ninterrupt: server stopped\n")
	})
}

// talkHalfway connects, sends lines and reads the reply to each, then
// sends part of a line, which the server keeps until the rest comes.
func talkHalfway(t *testing.T, port, lines, part string) *net.TCPConn {
	t.Helper()
	conn := testkit.Dial(t, port)
	conn.Write([]byte(lines))
	replies := bufio.NewReader(conn)
	for range strings.Count(lines, "\n") {
		if _, err := replies.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
	}
	conn.Write([]byte(part))
	return conn
}

// checkInterrupted checks what an interrupted server printed and how it
// exited: lines anywhere, and end last of all.
func checkInterrupted(t *testing.T, server *testkit.Server, out string, status int, lines []string, end string) {
	t.Helper()
	for _, line := range lines {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("missing the line %q; the server printed:\n%s", line, out)
		}
	}
	if !strings.HasSuffix(out, "\n"+end) {
		t.Errorf("the output does not end with\n%sthe server printed:\n%s", end, out)
	}
	if left := regexp.MustCompile(`client \d+: closed.*`).FindString(out); left != "" {
		t.Errorf("the server says a client left (%q); it was interrupted:\n%s", left, out)
	}
	if !server.ExitAccepted(t, status, 0, out, "interrupt: server stopped") {
		t.Errorf("exit status %d, want 0", status)
	}
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
	}
}
