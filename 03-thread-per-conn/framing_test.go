package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"iomodels/testkit"
)

// TestNoNewlineNoAnswer is the lesson of framing, as seed 001's client
// meets it: that client sends "hello" with no newline and waits for an
// answer. The thread reads the bytes, but nothing says the line is whole,
// so it answers nothing and waits in recv for more. Its trace shows it:
// the recv that took "hello", then the next recv on that socket, which
// takes more of the line, with no send between. Once the client shuts
// down its sending side, the end of the stream ends the line, and the
// answer comes.
func TestNoNewlineNoAnswer(t *testing.T) {
	forEachBuild(t, func(t *testing.T, program *testkit.Program) {
		recv, send := callNames(program)
		server := startTraced(t, program, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
		c := dial(t, server.port)

		c.Write([]byte("hello"))
		server.waitFor(t, recv+`(sock 2, 1024 bytes) = 5`)
		c.Write([]byte(" world"))
		between := server.waitFor(t, recv+`(sock 2, 1024 bytes) = 6`)
		for _, line := range between {
			if strings.HasPrefix(line, send+"(sock 2") || strings.Contains(line, " received ") {
				t.Fatalf("the server answered a line with no newline: %q; its output since \"hello\":\n%s",
					line, strings.Join(between, "\n"))
			}
		}

		c.CloseWrite()
		got, err := io.ReadAll(c)
		if want := "Message received - hello world\n"; string(got) != want || err != nil {
			t.Errorf("after the half-close the client read %q, %v; want %q and the end of the stream", got, err, want)
		}
		server.expectExit(t, program, `thread 2 received "hello world"`)
	})
}

// traced is a server whose output a test reads line by line while it
// runs, to see what it did and in which order.
type traced struct {
	cmd   *exec.Cmd
	port  string
	lines chan string
	seen  []string
	noise atomic.Bool // a line of Wine's own came: see testkit.WithoutWineNoise
}

// startTraced starts the program with args and returns once it listens.
// Its stdout and stderr go to one pipe, read line by line; under Wine a
// helper may hold the pipe open, so nothing waits for its end.
func startTraced(t *testing.T, program *testkit.Program, args ...string) *traced {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	argv := append(append([]string{}, program.Argv...), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), program.Env...)
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	s := &traced{cmd: cmd, lines: make(chan string, 1000)}
	go func() {
		lines := bufio.NewScanner(r)
		for lines.Scan() {
			line := string(testkit.WithoutWineNoise(lines.Bytes()))
			if line != lines.Text() {
				s.noise.Store(true)
			}
			s.lines <- line
		}
		close(s.lines)
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		r.Close()
		if t.Failed() {
			t.Logf("what the server printed:\n%s", strings.Join(s.seen, "\n"))
		}
	})
	listening := regexp.MustCompile(`^listening on 127\.0\.0\.1:(\d+)$`)
	for _, line := range s.waitFor(t, "listening on ") {
		if m := listening.FindStringSubmatch(line); m != nil {
			s.port = m[1]
		}
	}
	return s
}

// waitFor reads the server's output until a line that starts with prefix,
// and returns the lines read before it. A deadline of seconds only ends a
// test that has failed.
func (s *traced) waitFor(t *testing.T, prefix string) []string {
	t.Helper()
	deadline := time.After(30 * time.Second)
	var before []string
	for {
		select {
		case line, ok := <-s.lines:
			if !ok {
				t.Fatalf("the server's output ended before a line %q", prefix)
			}
			s.seen = append(s.seen, line)
			if strings.HasPrefix(line, prefix) {
				return append(before, line)
			}
			before = append(before, line)
		case <-deadline:
			t.Fatalf("no line %q from the server within 30 s", prefix)
		}
	}
}

// expectExit waits for a line that starts with prefix among what the
// server prints, then for its last line, and for it to exit 0 (or with one
// of Wine's endings after that line). It is not testkit's ExpectExit: this
// server is not a testkit.Server, whose output is read only once it exits.
func (s *traced) expectExit(t *testing.T, program *testkit.Program, prefix string) {
	t.Helper()
	s.waitFor(t, prefix)
	last := "served 1 client: " + stoppedLine
	s.waitFor(t, strings.TrimSuffix(last, "\n"))
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not exit within 30 s of its last line")
	}
	status, out := s.cmd.ProcessState.ExitCode(), strings.Join(s.seen, "\n")+"\n"
	// As testkit's Server.ExitAccepted does, a status 1 with Wine's client
	// error line is that quirk, not a plain status 1.
	clientError := status == 1 && s.noise.Load()
	if !program.Allows(t, testkit.WineClientErrorAtExit, clientError) &&
		!program.ExitAccepted(t, status, 0, out, last) {
		t.Errorf("the server exited %d, want 0", status)
	}
}
