package main

import (
	"bytes"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// exchange connects, sends the lines in one write while it reads, and
// returns everything the server sent until it closed the connection.
func exchange(t *testing.T, port string, lines [][]byte) string {
	t.Helper()
	got, err := tryExchange(port, lines)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func tryExchange(port string, lines [][]byte) (string, error) {
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 30*time.Second)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	go conn.Write(append(bytes.Join(lines, []byte("\n")), '\n'))
	got, err := io.ReadAll(conn)
	return string(got), err
}

func dial(t *testing.T, port string) *net.TCPConn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	return conn.(*net.TCPConn)
}

// expectExit waits for the server, checks its exit status and a line of its
// output, and checks in its trace that every socket it opened was closed.
func expectExit(t *testing.T, server *testkit.Server, status int, line string) {
	t.Helper()
	out, got := server.Wait(t)
	if got != status || !strings.Contains(out, line) {
		t.Fatalf("server exited %d, want %d with a line containing %q; it printed:\n%s", got, status, line, tail(out))
	}
	if leaked := unclosed(out); len(leaked) > 0 {
		t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, tail(out))
	}
}

// nameOf returns posix or windows: the name the program's system gives
// a call.
func nameOf(program *testkit.Program, posix, windows string) string {
	if strings.HasSuffix(program.Argv[len(program.Argv)-1], ".exe") {
		return windows
	}
	return posix
}

// tail returns the last lines of a long output.
func tail(out string) string {
	lines := strings.SplitAfter(out, "\n")
	return strings.Join(lines[max(0, len(lines)-40):], "")
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
