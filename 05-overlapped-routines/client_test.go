package main

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"regexp"
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

		// testkit's Run gives no stdin; the client needs a line to send.
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		argv := append(append([]string{}, program.Argv...), "client", "-addr", listener.Addr().String())
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), program.Env...)
		cmd.Stdin = strings.NewReader("hello\n")
		// Wine's helpers may inherit the output pipe and hold it open
		// after the program has exited: wait for the rest at most 5 s.
		cmd.WaitDelay = 5 * time.Second
		out, _ := cmd.CombinedOutput()
		status := cmd.ProcessState.ExitCode()
		// Wine may report the reset as end-of-stream (see TestFaultsWine):
		// then the client says the server closed after 0 of 6 bytes.
		told := regexp.MustCompile(`connection reset by peer \(|the server closed the connection after 0 of 6 bytes`)
		if status != 1 || !told.Match(out) || strings.Count(string(out), "\n") != 1 {
			t.Errorf("client exited %d, want 1 with one line naming the reset; it printed:\n%s", status, out)
		}
	}
	t.Run("native", func(t *testing.T) { run(t, nativeProgram("")) })
	t.Run("wine", func(t *testing.T) { run(t, testkit.WineProgram(t, name, windowsBinary)) })
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

		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		argv := append(append([]string{}, program.Argv...), "client", "-timeout", "300ms", "-addr", listener.Addr().String())
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.Env = append(os.Environ(), program.Env...)
		cmd.Stdin = strings.NewReader("hello\n")
		// Wine's helpers may inherit the output pipe and hold it open
		// after the program has exited: wait for the rest at most 5 s.
		cmd.WaitDelay = 5 * time.Second
		out, _ := cmd.CombinedOutput()
		status := cmd.ProcessState.ExitCode()
		want := recv + " " + listener.Addr().String() + ": no reply within 300ms\n"
		if status != 1 || string(testkit.WithoutWineNoise(out)) != want {
			t.Errorf("client exited %d, want 1 with %q; it printed:\n%s", status, want, out)
		}
	}
	t.Run("native", func(t *testing.T) { run(t, nativeProgram(""), "read") })
	t.Run("wine", func(t *testing.T) { run(t, testkit.WineProgram(t, name, windowsBinary), "recv") })
}
