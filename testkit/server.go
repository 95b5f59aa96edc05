package testkit

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Server is the program started in the background by a Go test.
type Server struct {
	Port   string // the port it listens on
	name   string
	prog   *Program
	bg     *background
	waited bool
	out    string // what it printed, once it has exited
}

// StartServer starts the program with args and returns once it listens.
func (p *Program) StartServer(t *testing.T, args ...string) *Server {
	t.Helper()
	bg, port, err := p.launch(args, "")
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", p.Name, strings.Join(args, " "), err, bg.rest())
	}
	s := &Server{Port: port, name: p.Name, prog: p, bg: bg}
	t.Cleanup(func() {
		if !s.waited {
			s.bg.cmd.Process.Kill()
			<-s.bg.done
			s.out = string(s.bg.output.finish())
		}
		if t.Failed() {
			t.Logf("the last lines %s printed (stdout and stderr):\n%s", s.name, LastLines(s.out, serverTail))
		}
	})
	return s
}

// Pid returns the server's process id.
func (s *Server) Pid() int { return s.bg.cmd.Process.Pid }

// serverTail is how many of its last lines a server shows when a test
// that started it fails: what it said about the failure is there.
const serverTail = 15

// LastLines returns the last n lines of out, or "(nothing)".
func LastLines(out string, n int) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	if strings.TrimSpace(out) == "" {
		return "(nothing)"
	}
	return strings.Join(lines, "\n")
}

// Run runs the program with args to the end and returns what it printed,
// stdout and stderr in order, and its exit status.
func (p *Program) Run(t *testing.T, args ...string) (string, int) {
	t.Helper()
	out, err := p.run(args, "")
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%v\n%s", err, out)
	}
	if exit != nil {
		return string(out), exit.ExitCode()
	}
	return string(out), 0
}

// KilledBySignal is the exit status Run and Wait report for a program that
// a signal ended. Under Wine it is one of Wine's endings (WineKillAtExit),
// which a test accepts through ExitAccepted.
const KilledBySignal = -1

// InterruptAndWait sends the server Ctrl-C and waits for it to exit.
func (s *Server) InterruptAndWait(t *testing.T) (string, int) {
	t.Helper()
	// A server that has stopped by itself already is waited for as it is:
	// the test then sees how it ended.
	if err := interruptProcess(s.bg.cmd.Process); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatal(err)
	}
	return s.Wait(t)
}

// Wait waits for the server to exit and returns what it printed, stdout
// and stderr in order, and its exit status.
func (s *Server) Wait(t *testing.T) (string, int) {
	t.Helper()
	s.waited = true
	err := waitWithTimeout(s.bg.cmd, s.bg.done)
	out := string(s.bg.output.finish())
	s.out = out
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("%v\n%s", err, out)
	}
	return out, s.bg.cmd.ProcessState.ExitCode()
}
