package main

import (
	"bufio"
	"errors"
	"fmt"
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
// Wine 8 sometimes kills the Windows build with SIGKILL as it exits after
// a Ctrl-C, after its last line (see 01-blocking), so under Wine that exit
// is accepted once the output is complete.
func TestInterrupt(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, lines []string, end string, wineKill bool) {
		for _, poll := range []string{"100ms", "0"} {
			t.Run("poll "+poll, func(t *testing.T) {
				server := program.StartServer(t, "server", "-trace", "-poll", poll, "-addr", "127.0.0.1:0")
				one := talkHalfway(t, server.Port, "hello\n", "hel")
				two := talkHalfway(t, server.Port, "one\ntwo\n", "thr")
				out, status := server.InterruptAndWait(t)
				checkInterrupted(t, out, status, lines, end, wineKill)
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
		run(t, testkit.NativeProgram(name, nativeBinary),
			[]string{"close(sock 2) = 0", "close(sock 3) = 0"},
			"close(sock 1) = 0\ninterrupt: server stopped\n", false)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, name, windowsBinary),
			[]string{"closesocket(sock 2) = 0", "closesocket(sock 3) = 0"},
			"closesocket(sock 1) = 0\nWSACleanup() = 0\ninterrupt: server stopped\n", true)
	})
}

// talkHalfway connects, sends lines and reads the reply to each, then
// sends part of a line, which the server keeps until the rest comes.
func talkHalfway(t *testing.T, port, lines, part string) *net.TCPConn {
	t.Helper()
	conn := dial(t, port)
	t.Cleanup(func() { conn.Close() })
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
func checkInterrupted(t *testing.T, out string, status int, lines []string, end string, wineKill bool) {
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
	if status != 0 && !(wineKill && status == testkit.KilledBySignal) {
		t.Errorf("exit status %d, want 0", status)
	} else if status != 0 {
		t.Logf("Wine ended the server as it exited, after its last line (accepted)")
	}
	if problems := closeProblems(out); len(problems) > 0 {
		t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
	}
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
