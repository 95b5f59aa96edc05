package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// eachProgram runs test against the native build and the Windows build
// under Wine.
func eachProgram(t *testing.T, test func(t *testing.T, program *testkit.Program)) {
	t.Run("native", func(t *testing.T) { test(t, testkit.NativeProgram(name, nativeBinary)) })
	t.Run("wine", func(t *testing.T) { test(t, testkit.WineProgram(t, name, windowsBinary)) })
}

// runWithStdin runs the program with args and stdin, and returns what it
// printed and its exit status. Its output goes to a file: under Wine, a
// helper process may keep a pipe open after the program has exited.
func runWithStdin(t *testing.T, program *testkit.Program, stdin string, args ...string) (string, int) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "stdin")
	if err := os.WriteFile(in, []byte(stdin), 0o600); err != nil {
		t.Fatal(err)
	}
	inFile, _ := os.Open(in)
	defer inFile.Close()
	outFile, err := os.Create(filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer outFile.Close()
	argv := append(append([]string{}, program.Argv...), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), program.Env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inFile, outFile, outFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatal("the program ran for a minute: killed")
	}
	out, _ := os.ReadFile(outFile.Name())
	return string(out), cmd.ProcessState.ExitCode()
}

// TestClientSeesClose runs the client against a server that reads the
// line and closes without a reply. The seed's client never checks recv
// for 0 and spins for ever; ours exits 1 with one line.
func TestClientSeesClose(t *testing.T) {
	eachProgram(t, func(t *testing.T, program *testkit.Program) {
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer listener.Close()
		go func() {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			bufio.NewReader(conn).ReadString('\n')
			conn.Close()
		}()
		out, status := runWithStdin(t, program, "hello\n", "client", "-addr", listener.Addr().String())
		if status != 1 || !strings.Contains(out, "the server closed the connection without a reply") {
			t.Errorf("client exited %d, want 1 with the close named; it printed:\n%s", status, out)
		}
	})
}

// TestClientBusy runs the client against a server that polls one client
// already: the client prints the server's "server busy" and exits 1.
func TestClientBusy(t *testing.T) {
	eachProgram(t, func(t *testing.T, program *testkit.Program) {
		server := program.StartServer(t, "server", "-max-clients", "1", "-clients", "2", "-addr", "127.0.0.1:0")
		first := dial(t, server.Port)
		replies := bufio.NewReader(first)
		first.Write([]byte("first\n"))
		if _, err := replies.ReadString('\n'); err != nil {
			t.Fatal(err) // now the server polls the first client
		}
		out, status := runWithStdin(t, program, "hello\n", "client", "-addr", "127.0.0.1:"+server.Port)
		if status != 1 || !strings.Contains(out, "recv From Server: server busy\n") {
			t.Errorf("client exited %d, want 1 after %q; it printed:\n%s", status, "server busy", out)
		}
		first.Write([]byte("quit\n"))
		expectExit(t, server, 0, "client 2: closed (server busy: 1 clients already)")
	})
}

// TestClientLongLine gives the client a line over the server's limit: it
// says so and exits 1 without sending it.
func TestClientLongLine(t *testing.T) {
	eachProgram(t, func(t *testing.T, program *testkit.Program) {
		server := program.StartServer(t, "server", "-clients", "1", "-addr", "127.0.0.1:0")
		out, status := runWithStdin(t, program, strings.Repeat("x", 70000)+"\n", "client", "-addr", "127.0.0.1:"+server.Port)
		if status != 1 || out != "a line of stdin is over 65536 bytes, the server's limit\n" {
			t.Errorf("client exited %d, want 1 with the limit named; it printed:\n%s", status, out)
		}
		expectExit(t, server, 0, "client 1: closed (end of stream)")
	})
}

// TestTrace checks the calls that make this chapter: FIONBIO on every
// socket, accept and recv that would block, and the non-blocking connect
// loop; and TCP_NODELAY on the accepted socket and on the client's once
// connected. How many passes find nothing changes from run to run, so
// this is a test of lines, not a transcript.
func TestTrace(t *testing.T) {
	eachProgram(t, func(t *testing.T, program *testkit.Program) {
		windows := nameOf(program, "", "windows") != ""
		server := program.StartServer(t, "server", "-trace", "-timestamps", "-clients", "1", "-addr", "127.0.0.1:0")
		client, status := runWithStdin(t, program, "hello\nquit\n", "client", "-trace", "-addr", "127.0.0.1:"+server.Port)
		out, serverStatus := server.Wait(t)
		if status != 0 || serverStatus != 0 {
			t.Fatalf("client exited %d, server %d; they printed:\n%s\n%s", status, serverStatus, client, out)
		}
		t.Logf("the client printed:\n%s", client)
		serverLines := []string{
			`ioctl(sock 1, FIONBIO, 1) = 0`,
			`accept(sock 1) = -1 EAGAIN`,
			`accept(sock 1) = sock 2 from 127.0.0.1`,
			`setsockopt(sock 2, IPPROTO_TCP, TCP_NODELAY, 1) = 0`,
			`ioctl(sock 2, FIONBIO, 1) = 0`,
			`read(sock 2, 1024 bytes) = 6`,
		}
		clientLines := []string{
			`ioctl(sock 1, FIONBIO, 1) = 0`,
			`connect(sock 1, 127.0.0.1:` + server.Port + `) = -1 EINPROGRESS`,
			`setsockopt(sock 1, IPPROTO_TCP, TCP_NODELAY, 1) = 0`,
			`recv From Server: Message received - hello`,
		}
		if windows {
			for _, lines := range [][]string{serverLines, clientLines} {
				for i, line := range lines {
					line = strings.ReplaceAll(line, "ioctl(", "ioctlsocket(")
					line = strings.ReplaceAll(line, "= -1 EAGAIN", "= SOCKET_ERROR WSAEWOULDBLOCK")
					line = strings.ReplaceAll(line, "= -1 EINPROGRESS", "= SOCKET_ERROR WSAEWOULDBLOCK")
					lines[i] = strings.ReplaceAll(line, "read(", "recv(")
				}
			}
			// Winsock is cleaned up once, by the thread that started it,
			// after every socket is closed: the seed calls WSACleanup from
			// a worker thread while others still use sockets.
			if !strings.HasSuffix(out, "closesocket(sock 1) = 0\nWSACleanup() = 0\n") {
				t.Errorf("server output does not end with the listener's closesocket and WSACleanup:\n%s", out)
			}
		}
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
		// The connect loop ends when connect says the socket is connected.
		if !regexp.MustCompile(`connect\(sock 1, [^)]*\) = (0|-1 EISCONN|SOCKET_ERROR WSAEISCONN)\n`).MatchString(client) {
			t.Errorf("client: connect never said connected; it printed:\n%s", client)
		}
		// -timestamps prints the seed's line, with the client's port.
		if !regexp.MustCompile(`\n\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,Recv From Client\[127\.0\.0\.1:\d+\]: hello\n`).MatchString(out) {
			t.Errorf("server: no timestamped line for hello; it printed:\n%s", out)
		}
		if leaked := unclosed(out); len(leaked) > 0 {
			t.Errorf("server: sockets opened and never closed: %v", leaked)
		}
		if leaked := unclosed(client); len(leaked) > 0 {
			t.Errorf("client: sockets opened and never closed: %v", leaked)
		}
	})
}
