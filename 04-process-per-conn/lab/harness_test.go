package main

// What the grading test uses to run the lab program and read what it prints.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// builds runs test against the native build, and for the solution against
// the Windows build under Wine too (where Wine is installed). What differs
// on Windows is the given code, not the part you write; so grading your
// work, proving the test fails on the starter, and proving it fails on
// each mutant (-tags mutant_NAME: a mistake in solution.go, which is the
// same code on every system) stay native and quick. The native run is also
// the stricter: /proc and the name of a reset's error are checked there.
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
	cmd     *exec.Cmd
	program *testkit.Program
	port    string
	exited  chan struct{} // closed once the program has exited
	reader  *os.File      // its stdout and stderr
	copied  chan struct{} // closed once all it printed is in out

	mu      sync.Mutex
	out     bytes.Buffer
	written chan struct{} // closed at the next write
}

// start starts the server with -children children and waits for its
// "listening on" line.
func start(t *testing.T, p *testkit.Program, children int) *server {
	t.Helper()
	argv := append(slices.Clone(p.Argv), "-addr", "127.0.0.1:0", "-children", strconv.Itoa(children))
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
	s := &server{cmd: cmd, program: p, exited: make(chan struct{}), reader: r,
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
		if t.Failed() {
			t.Logf("the last lines the server and its children printed:\n%s", testkit.LastLines(s.output(), serverTail))
		}
	})
	if !s.waitFor(`listening on 127\.0\.0\.1:\d+\n`) {
		t.Fatalf("no \"listening on\" line within %v", waitLong)
	}
	s.port = regexp.MustCompile(`listening on 127\.0\.0\.1:(\d+)`).FindStringSubmatch(s.output())[1]
	return s
}

// pool waits until the server has started its n children, before any
// client comes: the tests that are about the pool start with it.
func (s *server) pool(t *testing.T, n int) {
	t.Helper()
	if !s.waitFor(fmt.Sprintf(`(?s)(child \d+ started\n.*){%d}`, n)) {
		t.Fatalf("with -children %d, before any client connected, the server started %d of its %d children "+
			"within %v: start all -children N children at once, before any client comes",
			n, startedCount(s.output()), n, waitLong)
	}
}

// serverTail is how many of its last lines the server shows when a test
// fails: what went wrong is often there ("child 1 exited (status 1)").
const serverTail = 20

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
		t.Fatalf("the server did not exit within %v of Ctrl-C", waitLong)
	}
	s.finish()
	// Under Wine, Wine's endings after the last line are accepted
	// (testkit's ExitAccepted). What we read here is raw, so Wine's own
	// client-error line is looked for here (testkit.WineClientErrorAtExit).
	out, status, last := s.output(), s.cmd.ProcessState.ExitCode(), "interrupt: server stopped\n"
	noise := out != string(testkit.WithoutWineNoise([]byte(out)))
	if !s.program.Allows(t, testkit.WineClientErrorAtExit, status == 1 && noise && strings.Contains(out, last)) &&
		!s.program.ExitAccepted(t, status, 0, out, last) {
		t.Errorf("exit status %d after Ctrl-C, want 0", status)
	}
	return out
}

// finish reads what is left in the pipe once the server has exited. A
// child still running would keep the pipe open, so we wait only a little
// for end-of-file.
func (s *server) finish() {
	s.reader.SetReadDeadline(time.Now().Add(time.Second))
	<-s.copied
}

func startedCount(out string) int {
	return len(regexp.MustCompile(`child \d+ started\n`).FindAllString(out, -1))
}
