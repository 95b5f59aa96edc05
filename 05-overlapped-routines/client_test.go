package main

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// TestClientSeesReset runs the client against a server that reads the
// line and resets the connection instead of echoing. The seed's client
// would add recv's -1 to its count and loop; ours exits 1 with one line.
func TestClientSeesReset(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program) {
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
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
		}()
		out, status := runClient(t, program, "hello\n", "-addr", listener.Addr().String())
		// Under Wine the reset may reach the client's recv as end-of-stream
		// (testkit.WineResetAsEOF): then it says the server closed.
		eof := strings.Contains(out, "the server closed the connection after 0 of 6 bytes")
		told := strings.Contains(out, "connection reset by peer (") || program.Allows(t, testkit.WineResetAsEOF, eof)
		if status != 1 || !told || strings.Count(out, "\n") != 1 {
			t.Errorf("client exited %d, want 1 with one line naming the reset; it printed:\n%s", status, out)
		}
	}
	t.Run("native", func(t *testing.T) { run(t, nativeProgram("")) })
	t.Run("wine", func(t *testing.T) { run(t, chapter.Wine(t)) })
}

// TestClientTimeout runs the client against a server that takes the line
// and never answers. The seed's client waits in recv for ever; ours gives
// up after -timeout with one line, as chapter 02's client does, and exits 1.
func TestClientTimeout(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, recv string) {
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer listener.Close()
		silent := make(chan net.Conn, 1)
		go func() {
			conn, err := listener.Accept()
			if err == nil {
				silent <- conn // kept open, and never written to
			}
		}()
		defer func() {
			select {
			case conn := <-silent:
				conn.Close()
			default:
			}
		}()
		out, status := runClient(t, program, "hello\n", "-timeout", "300ms", "-addr", listener.Addr().String())
		want := recv + " " + listener.Addr().String() + ": no reply within 300ms\n"
		if status != 1 || out != want {
			t.Errorf("client exited %d, want 1 with %q; it printed:\n%s", status, want, out)
		}
	}
	t.Run("native", func(t *testing.T) { run(t, nativeProgram(""), "read") })
	t.Run("wine", func(t *testing.T) { run(t, chapter.Wine(t), "recv") })
}

// runClient runs the program's client with args and stdin as its input,
// and returns what it printed, without Wine's own lines, and its exit
// status. It is not testkit's Program.Run, which gives no stdin: the
// client needs a line to send.
func runClient(t *testing.T, program *testkit.Program, stdin string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	argv := append(append([]string{}, program.Argv...), "client")
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], args...)...)
	cmd.Env = append(os.Environ(), program.Env...)
	cmd.Stdin = strings.NewReader(stdin)
	// Wine's helpers may inherit the output pipe and hold it open
	// after the program has exited: wait for the rest at most 5 s.
	cmd.WaitDelay = 5 * time.Second
	out, _ := cmd.CombinedOutput()
	return string(testkit.WithoutWineNoise(out)), cmd.ProcessState.ExitCode()
}
