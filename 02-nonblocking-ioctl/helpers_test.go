package main

import (
	"bytes"
	"io"
	"net"
	"runtime"
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

// tryExchange is exchange for the many clients of one test that run in
// goroutines of their own, where t.Fatal may not be called.
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

// expectExitWith is server.ExpectExit(t, 0, last), where last is the
// server's last line, and it wants line in the output as well. testkit's
// takes one line, and it must be the program's last for one of Wine's
// endings to be accepted (see ExitAccepted); line is the one the test is
// about, often not the last.
func expectExitWith(t *testing.T, server *testkit.Server, last, line string) string {
	t.Helper()
	out := server.ExpectExit(t, 0, last)
	if !strings.Contains(out, line) {
		t.Fatalf("no line containing %q; the server printed:\n%s", line, testkit.LastLines(out, 40))
	}
	return out
}

// lastTraceLine is the last line a server run with -trace prints when it
// stops by itself: the listener's close, then on Winsock WSACleanup's.
func lastTraceLine(program *testkit.Program) string {
	return nameOf(program, "close(sock 1) = 0", "WSACleanup() = 0")
}

// nameOf returns posix or windows: the name the program's system gives
// a call.
func nameOf(program *testkit.Program, posix, windows string) string {
	if windowsBuild(program) {
		return windows
	}
	return posix
}

// windowsBuild tells whether program is the Windows build: under Wine,
// or natively on Windows.
func windowsBuild(program *testkit.Program) bool {
	return program.UnderWine() || runtime.GOOS == "windows"
}
