package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// runServer runs the server natively, connects idleClients that each send
// a line and read the reply, lets three more clients come and leave (see
// leave), calls during with the server's process id, and returns the CPU
// time (user and system) the server used in its whole run, read once it
// has exited. It kills the server rather than stopping it with Ctrl-C,
// which works the same everywhere. testkit.Server does not give the CPU
// time of a process that exited, so we start it here, and show its last
// lines ourselves when the test fails.
func runServer(t *testing.T, during func(pid int)) time.Duration {
	t.Helper()
	lab := native()
	cmd := exec.Command(lab.Argv[0], "-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), lab.Env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout // a panic's trace, too, among the last lines
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	printed := keepLines(t, out)
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()

	var port string
	select {
	case port = <-printed.listening:
	case <-time.After(clientDeadline):
		t.Fatal(`the server printed no "listening on" line`)
	}
	var conn net.Conn
	for i := range idleClients {
		conn = dial(t, port)
		defer conn.Close()
		if got, err := talk(conn, fmt.Sprintf("hello from %d\n", i)); err != nil {
			t.Fatalf("client %d of %d got no reply to its line (%v, got %q); %s", i+1, idleClients, err, got, hint)
		}
	}
	leave(t, port, conn)
	during(cmd.Process.Pid)
	cmd.Process.Kill()
	cmd.Wait()
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// serverOutput keeps what the server prints, to show when the test
// fails, and tells the port of its "listening on 127.0.0.1:PORT" line.
type serverOutput struct {
	listening chan string
	all       strings.Builder // to read once done is closed
}

// keepLines reads the server's output until it ends, and shows its last
// lines if the test fails.
func keepLines(t *testing.T, out io.Reader) *serverOutput {
	printed := &serverOutput{listening: make(chan string, 1)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if port, ok := strings.CutPrefix(lines.Text(), "listening on 127.0.0.1:"); ok {
				printed.listening <- port
			}
			printed.all.WriteString(lines.Text() + "\n")
		}
	}()
	t.Cleanup(func() {
		<-done // runServer has killed the server: its output has ended
		if t.Failed() {
			t.Logf("the last lines the server printed:\n%s", testkit.LastLines(printed.all.String(), 15))
		}
	})
	return printed
}
