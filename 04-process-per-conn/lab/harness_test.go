package main

// What the grading test uses to run the lab program and play its clients.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// builds runs test against the native build, and for the solution against
// the Windows build under Wine too (where Wine is installed). What differs
// on Windows is the given code, not the part you write; so grading your
// work, and proving the test fails on the starter, stay native and quick.
func builds(t *testing.T, test func(t *testing.T, p *testkit.Program)) {
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the grading test sends Ctrl-C as a signal, which Windows has not: run it on Linux or macOS")
		}
		test(t, testkit.NativeProgram("lab", nativeBinary))
	})
	if testkit.Solution {
		t.Run("wine", func(t *testing.T) {
			test(t, testkit.WineProgram(t, "lab", windowsBinary))
		})
	}
}

// server is the lab program, started by a test, and what it has printed.
type server struct {
	cmd    *exec.Cmd
	wine   bool
	port   string
	exited chan struct{} // closed once the program has exited
	reader *os.File      // its stdout and stderr
	copied chan struct{} // closed once all it printed is in out

	mu      sync.Mutex
	out     bytes.Buffer
	written chan struct{} // closed at the next write
}

// start starts the server with args and waits for its "listening on" line.
func start(t *testing.T, p *testkit.Program, args ...string) *server {
	t.Helper()
	argv := append(append(slices.Clone(p.Argv), "-addr", "127.0.0.1:0"), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), p.Env...)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	err = cmd.Start()
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, wine: p.Argv[0] != nativeBinary, exited: make(chan struct{}), reader: r,
		copied: make(chan struct{}), written: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(s.exited)
	}()
	go s.copy()
	t.Cleanup(func() {
		cmd.Process.Kill() // its children exit when their stdin closes
		<-s.exited
		s.finish()
	})
	if !s.waitFor(`listening on 127\.0\.0\.1:\d+\n`) {
		t.Fatalf("no \"listening on\" line within %v; the server printed:\n%s", waitLong, s.output())
	}
	s.port = regexp.MustCompile(`listening on 127\.0\.0\.1:(\d+)`).FindStringSubmatch(s.output())[1]
	return s
}

func (s *server) copy() {
	defer close(s.copied)
	chunk := make([]byte, 4096)
	for {
		n, err := s.reader.Read(chunk)
		s.mu.Lock()
		s.out.Write(chunk[:n])
		close(s.written)
		s.written = make(chan struct{})
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
}

func (s *server) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// waitFor waits at most waitLong for the output to match pattern.
func (s *server) waitFor(pattern string) bool {
	re := regexp.MustCompile(pattern)
	deadline := time.After(waitLong)
	for {
		s.mu.Lock()
		matched, written := re.MatchString(s.out.String()), s.written
		s.mu.Unlock()
		if matched {
			return true
		}
		select {
		case <-written:
		case <-deadline:
			return false
		}
	}
}

// stop sends Ctrl-C, waits for the server to exit, checks that it exited
// 0, and returns all it printed.
func (s *server) stop(t *testing.T) string {
	t.Helper()
	if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.exited:
	case <-time.After(waitLong):
		t.Fatalf("the server did not exit within %v of Ctrl-C; it printed:\n%s", waitLong, s.output())
	}
	s.finish()
	// Wine 8 sometimes kills a program with SIGKILL as it exits after
	// Ctrl-C, once it has printed its last line (see the chapter's README).
	status := s.cmd.ProcessState.ExitCode()
	if s.wine && status == testkit.KilledBySignal && strings.HasSuffix(s.output(), "server stopped\n") {
		status = 0
	}
	if status != 0 {
		t.Errorf("exit status %d after Ctrl-C, want 0; the server printed:\n%s", status, s.output())
	}
	return s.output()
}

// finish reads what is left in the pipe once the server has exited. A
// child still running would keep the pipe open, so we wait only a little
// for end-of-file.
func (s *server) finish() {
	s.reader.SetReadDeadline(time.Now().Add(time.Second))
	<-s.copied
}

// children returns the server's child processes, from /proc on Linux (the
// children of each of its threads), or nil elsewhere and under Wine.
func (s *server) children(t *testing.T) []string {
	t.Helper()
	if runtime.GOOS != "linux" || s.wine {
		return nil
	}
	lists, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", s.cmd.Process.Pid))
	if err != nil || len(lists) == 0 {
		t.Fatalf("cannot list the server's child processes in /proc: %v", err)
	}
	pids := []string{}
	for _, list := range lists {
		data, _ := os.ReadFile(list)
		pids = append(pids, strings.Fields(string(data))...)
	}
	slices.Sort(pids)
	return pids
}

func startedCount(out string) int {
	return len(regexp.MustCompile(`child \d+ started\n`).FindAllString(out, -1))
}

// client is a connection that has sent msg and has not yet left.
type client struct {
	*net.TCPConn
	msg string
}

func dial(t *testing.T, port string) *net.TCPConn {
	t.Helper()
	conn, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	return conn.(*net.TCPConn)
}

// hold connects and sends msg, and stays connected.
func hold(t *testing.T, port, msg string) *client {
	t.Helper()
	c := &client{dial(t, port), msg}
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	return c
}

// echoed waits at most wait for the echo of msg, and says whether it came.
func (c *client) echoed(t *testing.T, wait time.Duration) bool {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(wait))
	got := make([]byte, len(c.msg))
	_, err := io.ReadFull(c, got)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return false
	}
	if err != nil || string(got) != c.msg {
		t.Fatalf("a client sent %q and read %q, %v; want its echo", c.msg, got, err)
	}
	return true
}

// roundTrip connects, sends msg while it reads, shuts down sending, and returns
// all it read until the server closed, or until waitLong.
func roundTrip(t *testing.T, port string, msg []byte) []byte {
	t.Helper()
	c := dial(t, port)
	defer c.Close()
	c.SetDeadline(time.Now().Add(waitLong))
	go func() {
		c.Write(msg)
		c.CloseWrite()
	}()
	got, _ := io.ReadAll(c)
	return got
}

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
