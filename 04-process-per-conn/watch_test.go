package main

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// watchedServer is the server started by a Go test that must follow what
// it prints while it runs: wait for "child 2 exited" before the next step,
// instead of sleeping. (testkit's Server shows the output only at the end.)
type watchedServer struct {
	program   *testkit.Program
	cmd       *exec.Cmd
	reader    *os.File
	exited    chan struct{} // closed once the process has exited
	copied    chan struct{}
	waited    bool
	finishing sync.Once
	Port      string

	mu      sync.Mutex
	out     bytes.Buffer
	written chan struct{}
}

const watchTimeout = 60 * time.Second

func startWatched(t *testing.T, p *testkit.Program, args ...string) *watchedServer {
	t.Helper()
	argv := append(append([]string{}, p.Argv...), args...)
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
	s := &watchedServer{program: p, cmd: cmd, reader: r, exited: make(chan struct{}),
		copied: make(chan struct{}), written: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(s.exited)
	}()
	go s.copy()
	t.Cleanup(func() {
		if !s.waited {
			cmd.Process.Kill()
			<-s.exited
			s.finish()
		}
	})
	if m := s.waitFor(t, `listening on .*:(\d+)\n`); m != nil {
		s.Port = m[1]
	}
	return s
}

func (s *watchedServer) copy() {
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

// waitFor waits until the output matches pattern and returns the match,
// or nil if the server exits first.
func (s *watchedServer) waitFor(t *testing.T, pattern string) []string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.After(watchTimeout)
	exited := s.exited
	for {
		s.mu.Lock()
		written := s.written
		s.mu.Unlock()
		m := re.FindStringSubmatch(s.output())
		if m != nil || exited == nil {
			return m
		}
		select {
		case <-written:
		case <-exited:
			s.finish()
			exited = nil // one last look at the output
		case <-deadline:
			t.Fatalf("no %q within %v; the server printed:\n%s", pattern, watchTimeout, s.output())
		}
	}
}

// output returns what the server has printed, without Wine's own
// client-error lines (testkit.WithoutWineNoise), as testkit's Server does.
func (s *watchedServer) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(testkit.WithoutWineNoise(s.out.Bytes()))
}

// sawWineNoise tells whether Wine wrote a client-error line of its own
// among the server's.
func (s *watchedServer) sawWineNoise() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !bytes.Equal(s.out.Bytes(), testkit.WithoutWineNoise(s.out.Bytes()))
}

// wait waits for the server to exit, after Ctrl-C if interrupt is set, and
// returns its output and exit status (testkit.KilledBySignal if killed).
func (s *watchedServer) wait(t *testing.T, interrupt bool) (string, int) {
	t.Helper()
	s.waited = true
	if interrupt {
		if err := s.cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-s.exited:
	case <-time.After(watchTimeout):
		s.cmd.Process.Kill()
		<-s.exited
		t.Fatalf("the server did not exit within %v:\n%s", watchTimeout, s.output())
	}
	s.finish()
	return s.output(), s.cmd.ProcessState.ExitCode()
}

// finish lets the copy read what is left in the pipe. The server has
// exited, so all it wrote is there; but Wine's helper processes may keep
// the pipe open, so we do not wait long for end-of-file.
func (s *watchedServer) finish() {
	s.finishing.Do(func() {
		s.reader.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
		<-s.copied
		s.reader.Close()
	})
}

// stoppedLine is the server's last line after Ctrl-C.
const stoppedLine = "interrupt: server stopped"

// stop sends Ctrl-C, waits for the server to exit, and checks that it
// exited 0 (or with one of Wine's endings, see exitAccepted) after its
// last line. It returns what the server printed.
func (s *watchedServer) stop(t *testing.T) string {
	t.Helper()
	out, status := s.wait(t, true)
	if !s.exitAccepted(t, status, 0, out, stoppedLine) || !strings.Contains(out, stoppedLine+"\n") {
		t.Errorf("exit status %d, want 0 after Ctrl-C with the line %q; the server printed:\n%s", status, stoppedLine, out)
	}
	return out
}

// exitAccepted is testkit's Server.ExitAccepted for a watched server,
// which testkit's capture does not read: Wine's client-error line at the
// exit (testkit.WineClientErrorAtExit) is looked for here.
func (s *watchedServer) exitAccepted(t *testing.T, status, want int, out, last string) bool {
	t.Helper()
	if status == 1 && want != 1 && s.program.Allows(t, testkit.WineClientErrorAtExit,
		s.sawWineNoise() && strings.Contains(out, last)) {
		return true
	}
	return s.program.ExitAccepted(t, status, want, out, last)
}
