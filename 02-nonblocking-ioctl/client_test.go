package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// eachProgram runs test against the native build and the Windows build
// under Wine.
func eachProgram(t *testing.T, test func(t *testing.T, program *testkit.Program)) {
	t.Run("native", func(t *testing.T) { test(t, chapter.Native()) })
	t.Run("wine", func(t *testing.T) { test(t, chapter.Wine(t)) })
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
		first := testkit.Dial(t, server.Port)
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
		expectExitWith(t, server, "client 1: closed (quit)", "client 2: closed (server busy: 1 clients already)")
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
		server.ExpectExit(t, 0, "client 1: closed (end of stream)")
	})
}
