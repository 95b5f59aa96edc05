package main

import (
	"regexp"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestTrace checks the calls that make this chapter: FIONBIO on every
// socket, accept and recv that would block, and the non-blocking connect
// loop; and TCP_NODELAY on the accepted socket and on the client's once
// connected. How many passes find nothing changes from run to run, so
// this is a test of lines, not a transcript.
func TestTrace(t *testing.T) { eachProgram(t, testTrace) }

func testTrace(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-timestamps", "-clients", "1", "-addr", "127.0.0.1:0")
	client, status := runWithStdin(t, program, "hello\nquit\n", "client", "-trace", "-addr", "127.0.0.1:"+server.Port)
	if status != 0 {
		t.Fatalf("client exited %d, want 0; it printed:\n%s", status, client)
	}
	t.Logf("the client printed:\n%s", client)
	out := server.ExpectExit(t, 0, lastTraceLine(program))
	serverLines, clientLines := traceLines(program, server.Port)
	for _, line := range serverLines {
		if !strings.Contains(out, line+"\n") {
			t.Errorf("server: missing the line %q; it printed:\n%s", line, out)
		}
	}
	for _, line := range clientLines {
		if !strings.Contains(client, line+"\n") {
			t.Errorf("client: missing the line %q; it printed:\n%s", line, client)
		}
	}
	// Winsock is cleaned up once, by the thread that started it, after
	// every socket is closed: the seed calls WSACleanup from a worker
	// thread while others still use sockets.
	if end := "closesocket(sock 1) = 0\nWSACleanup() = 0\n"; windowsBuild(program) && !strings.HasSuffix(out, end) {
		t.Errorf("server output does not end with the listener's closesocket and WSACleanup:\n%s", out)
	}
	// The connect loop ends when connect says the socket is connected.
	if !regexp.MustCompile(`connect\(sock 1, [^)]*\) = (0|-1 EISCONN|SOCKET_ERROR WSAEISCONN)\n`).MatchString(client) {
		t.Errorf("client: connect never said connected; it printed:\n%s", client)
	}
	// -timestamps prints the seed's line, with the client's port.
	if !regexp.MustCompile(`\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,Recv From Client\[127\.0\.0\.1:\d+\]: hello\n`).MatchString(out) {
		t.Errorf("server: no timestamped line for hello; it printed:\n%s", out)
	}
	if leaked := testkit.Unclosed(client); len(leaked) > 0 {
		t.Errorf("client: sockets opened and never closed: %v", leaked)
	}
}

// traceLines returns the lines the server's trace and the client's must
// hold, in the program's system's names.
func traceLines(program *testkit.Program, port string) (server, client []string) {
	server = []string{
		`ioctl(sock 1, FIONBIO, 1) = 0`,
		`accept(sock 1) = -1 EAGAIN`,
		`accept(sock 1) = sock 2 from 127.0.0.1`,
		`setsockopt(sock 2, IPPROTO_TCP, TCP_NODELAY, 1) = 0`,
		`ioctl(sock 2, FIONBIO, 1) = 0`,
		`read(sock 2, 1024 bytes) = 6`,
	}
	client = []string{
		`ioctl(sock 1, FIONBIO, 1) = 0`,
		`connect(sock 1, 127.0.0.1:` + port + `) = -1 EINPROGRESS`,
		`setsockopt(sock 1, IPPROTO_TCP, TCP_NODELAY, 1) = 0`,
		`recv From Server: Message received - hello`,
	}
	if !windowsBuild(program) {
		return server, client
	}
	winsock := strings.NewReplacer("ioctl(", "ioctlsocket(", "read(", "recv(",
		"= -1 EAGAIN", "= SOCKET_ERROR WSAEWOULDBLOCK", "= -1 EINPROGRESS", "= SOCKET_ERROR WSAEWOULDBLOCK")
	for _, lines := range [][]string{server, client} {
		for i, line := range lines {
			lines[i] = winsock.Replace(line)
		}
	}
	return server, client
}
