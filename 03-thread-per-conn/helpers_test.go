package main

import (
	"bufio"
	"io"
	"net"
	"strings"
	"testing"

	"iomodels/testkit"
)

// forEachBuild runs check against the native build and the Windows build
// under Wine (program.UnderWine tells which).
func forEachBuild(t *testing.T, check func(t *testing.T, program *testkit.Program)) {
	t.Run("native", func(t *testing.T) { check(t, chapter.Native()) })
	t.Run("wine", func(t *testing.T) { check(t, chapter.Wine(t)) })
}

// callNames returns the names the program's trace gives recv and send:
// the Windows build's under Wine, this system's natively.
func callNames(program *testkit.Program) (recv, send string) {
	if program.UnderWine() {
		return "recv", "send"
	}
	return nameRecv, nameSend
}

// client is a test's connection to the server (testkit.Dial's), with a
// reader of answers: this chapter's server answers line by line, which
// testkit's Echo, made for a whole stream, does not read.
type client struct {
	*net.TCPConn
	answers *bufio.Reader
}

func dial(t *testing.T, port string) *client {
	t.Helper()
	conn := testkit.Dial(t, port)
	return &client{conn, bufio.NewReader(conn)}
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

// stoppedLine ends the server's last line, after WSACleanup's on Winsock:
// "served N clients: server stopped" with -clients, "interrupt: server
// stopped" after Ctrl-C. Wine's endings are accepted only once it is out.
const stoppedLine = "server stopped\n"

// expectServed is testkit's ExpectExit (exit 0, every socket closed) for
// a server run with -clients, and checks that its output holds line too.
// It is not ExpectExit alone because the line a test is about is seldom
// the last: ExpectExit takes its line for the last one, which must be out
// before Wine's endings are accepted.
func expectServed(t *testing.T, server *testkit.Server, line string) string {
	t.Helper()
	out := server.ExpectExit(t, 0, stoppedLine)
	if !strings.Contains(out, line) {
		t.Errorf("the server's output has no line %q; it printed:\n%s", line, out)
	}
	return out
}

// expectInterrupted sends the server Ctrl-C and wants it to exit 0 (or with
// one of Wine's endings, after its last line), with no socket closed
// twice, used after its close or never closed (testkit.CloseProblems).
func expectInterrupted(t *testing.T, server *testkit.Server) string {
	t.Helper()
	out, status := server.InterruptAndWait(t)
	if !server.ExitAccepted(t, status, 0, out, "interrupt: "+stoppedLine) {
		t.Errorf("exit status %d, want 0; the server printed:\n%s", status, out)
	}
	if problems := testkit.CloseProblems(out); len(problems) > 0 {
		t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
	}
	return out
}
