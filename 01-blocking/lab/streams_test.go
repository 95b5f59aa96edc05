package main

import (
	"bufio"
	"bytes"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// The error line goes to stderr, and only there: stdout is the story of the
// clients served, stderr what went wrong (the course's rule for every
// program). testkit's StartServer reads both streams through one pipe, to
// keep their order, so this test starts the server by hand with a pipe for
// each. It runs natively only: the stream a line goes to is chosen by
// portable Go code, and Wine adds nothing to check.
func TestErrorLineOnStderr(t *testing.T) {
	server := startSplit(t, nativeBinary, "-addr", "127.0.0.1:0")
	resetWhileServerSends(t, server.port, "client 1")
	if err := visit(server.port, []byte("hello")); err != nil {
		t.Fatalf("client 2, after client 1 reset its connection: %v; "+
			"a client that fails should end only its own visit: print its error and go back to accept", err)
	}
	// Client 2 has been served, so all about client 1 has been said.
	stdout, stderr := server.kill()
	if line := firstLine(stdout, "client 1: "); line != "" {
		t.Fatalf("the server printed %q on stdout; want it on stderr: fmt.Fprintf(stderr, ...), not stdout or fmt.Printf", line)
	}
	if lines := linesBeginning(stderr, "client "); len(lines) != 1 || !errorLine(1).MatchString(lines[0]) {
		t.Fatalf("after client 1 reset, the server's lines on stderr about clients were %q; want one, %q and the error serveClient returned: %s",
			lines, "client 1: ", reported)
	}
}

// firstLine returns the first line of out that begins with prefix, or "".
func firstLine(out, prefix string) string {
	if lines := linesBeginning(out, prefix); len(lines) > 0 {
		return lines[0]
	}
	return ""
}

// linesBeginning returns the lines of out that begin with prefix.
func linesBeginning(out, prefix string) []string {
	var lines []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, prefix) {
			lines = append(lines, strings.TrimSuffix(line, "\r"))
		}
	}
	return lines
}

// splitServer is the lab program started with stdout and stderr apart.
type splitServer struct {
	port   string
	cmd    *exec.Cmd
	done   chan error
	stdout lockedBuffer
	stderr lockedBuffer
}

// startSplit starts binary with args and returns once it listens.
func startSplit(t *testing.T, binary string, args ...string) *splitServer {
	t.Helper()
	s := &splitServer{cmd: exec.Command(binary, args...), done: make(chan error, 1)}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stderr = &s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ports := make(chan string, 1)
	go func() {
		// We watch stdout for the "listening on" line, keep every line,
		// and wait for the program only once its stdout has closed.
		lines := bufio.NewScanner(io.TeeReader(stdout, &s.stdout))
		listening := regexp.MustCompile(`^listening on .*:(\d+)$`)
		for lines.Scan() {
			if m := listening.FindStringSubmatch(lines.Text()); m != nil {
				ports <- m[1]
			}
		}
		s.done <- s.cmd.Wait()
	}()
	t.Cleanup(func() {
		// A server that failed the test may be exiting, with its last
		// words still to come: we give it a second before we kill it.
		select {
		case <-s.done:
		case <-time.After(time.Second):
			s.cmd.Process.Kill()
			<-s.done
		}
		if t.Failed() {
			t.Logf("the lab printed on stdout:\n%s\nand on stderr:\n%s",
				testkit.LastLines(s.stdout.String(), 15), testkit.LastLines(s.stderr.String(), 15))
		}
	})
	select {
	case s.port = <-ports:
		return s
	case err := <-s.done:
		s.done <- err // for the clean-up
		t.Fatalf("the lab exited (%v) before it printed a %q line", err, "listening on")
	case <-time.After(clientDeadline):
		t.Fatalf("the lab printed no %q line within %v", "listening on", clientDeadline)
	}
	return nil
}

// kill ends the server and returns what it printed.
func (s *splitServer) kill() (stdout, stderr string) {
	s.cmd.Process.Kill()
	err := <-s.done
	s.done <- err // for the clean-up
	return s.stdout.String(), s.stderr.String()
}

// lockedBuffer is a bytes.Buffer that a goroutine may write while another
// reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
