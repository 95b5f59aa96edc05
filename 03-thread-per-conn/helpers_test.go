package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// forEachBuild runs check against the native build and the Windows build
// under Wine; wine tells check which one it has.
func forEachBuild(t *testing.T, check func(t *testing.T, program *testkit.Program, wine bool)) {
	t.Run("native", func(t *testing.T) {
		check(t, testkit.NativeProgram("03-thread-per-conn", nativeBinary), false)
	})
	t.Run("wine", func(t *testing.T) {
		check(t, testkit.WineProgram(t, "03-thread-per-conn", windowsBinary), true)
	})
}

// client is a test's connection to the server, with a reader of answers.
type client struct {
	*net.TCPConn
	answers *bufio.Reader
}

func dial(t *testing.T, port string) *client {
	t.Helper()
	conn, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	t.Cleanup(func() { conn.Close() })
	return &client{conn.(*net.TCPConn), bufio.NewReader(conn)}
}

// say sends line and returns the answer, without its newline.
func (c *client) say(t *testing.T, line string) string {
	t.Helper()
	if _, err := io.WriteString(c, line+"\n"); err != nil {
		t.Fatalf("sending %q: %v", line, err)
	}
	return c.answer(t)
}

func (c *client) answer(t *testing.T) string {
	t.Helper()
	answer, err := c.answers.ReadString('\n')
	if err != nil {
		t.Fatalf("reading an answer: %v (got %q)", err, answer)
	}
	return answer[:len(answer)-1]
}

// expectClosed reads until the server closes the connection and fails if
// anything else came.
func (c *client) expectClosed(t *testing.T) {
	t.Helper()
	rest, err := io.ReadAll(c.answers)
	if err != nil || len(rest) > 0 {
		t.Errorf("after the last answer: %q, %v; want the server to close", rest, err)
	}
}

// expectExit waits for the server, checks its exit status and a line of its
// output, and checks in its trace that every socket it opened was closed.
// Wine 8 now and then kills the Windows build with SIGKILL as it exits, once
// its last line is out: after Ctrl-C (see chapter 01), and, before the
// server joined its ended threads, after a normal exit too (2 in 180 here;
// 0 in 150 since). Under Wine that exit passes when the output is complete.
func expectExit(t *testing.T, server *testkit.Server, wine bool, status int, line string) string {
	t.Helper()
	out, got := server.Wait(t)
	if wine && got == testkit.KilledBySignal && strings.Contains(out, "WSACleanup() = 0\n") {
		got = status
	}
	if got != status || !regexp.MustCompile(line).MatchString(out) {
		t.Fatalf("server exited %d, want %d with output matching %q; it printed:\n%s", got, status, line, out)
	}
	if leaked := unclosed(out); len(leaked) > 0 {
		t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, out)
	}
	return out
}

var (
	opened = regexp.MustCompile(`= (sock \d+)`)
	closed = regexp.MustCompile(`close(?:socket)?\((sock \d+)\) = 0`)
)

// unclosed reads a trace and returns the sockets it opened but never closed.
func unclosed(trace string) []string {
	open := map[string]bool{}
	for _, m := range opened.FindAllStringSubmatch(trace, -1) {
		open[m[1]] = true
	}
	for _, m := range closed.FindAllStringSubmatch(trace, -1) {
		delete(open, m[1])
	}
	var names []string
	for name := range open {
		names = append(names, name)
	}
	return names
}

var (
	callOnSock = regexp.MustCompile(`^\w+\((sock \d+)`)
	closeCall  = regexp.MustCompile(`^close(?:socket)?\((sock \d+)\)`)
	badHandle  = regexp.MustCompile(`\b(WSA)?E(BADF|NOTSOCK)\b`)
)

// closeProblems reads a trace and returns what is wrong in how it closes
// sockets: one never closed, one closed twice, a call on a closed socket,
// or a call failing because its socket was closed (EBADF, ENOTSOCK). It
// is chapter 01's check.
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
