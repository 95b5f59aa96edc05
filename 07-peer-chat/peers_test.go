package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// peer is the program started by a test with a pipe for its keyboard, so
// that the test types when it likes, and its output read line by line.
type peer struct {
	cmd   *exec.Cmd
	keys  io.WriteCloser
	lines chan string   // stdout and stderr, in order; closed at the end
	done  chan struct{} // closed once the program has exited
	all   strings.Builder
}

// startPeer starts the program with args. testkit starts programs with a
// file as stdin; a chat needs a keyboard the test can type on at any time.
func startPeer(t *testing.T, program *testkit.Program, args ...string) *peer {
	t.Helper()
	argv := append(append([]string{}, program.Argv...), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), program.Env...)
	keys, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	p := &peer{cmd: cmd, keys: keys, lines: make(chan string, 64), done: make(chan struct{})}
	go func() {
		// Wine's helpers may hold the pipe open after the program exits
		// (see testkit), so the test stops reading at the line it waits for.
		scanner := bufio.NewScanner(r)
		scanner.Buffer(nil, 1<<20)
		for scanner.Scan() {
			p.lines <- scanner.Text()
		}
		close(p.lines)
	}()
	go func() {
		cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
		r.Close()
	})
	return p
}

// startServer starts the program's server on a port of its choosing,
// with flags, and returns it once it listens, and the port.
func startServer(t *testing.T, program *testkit.Program, flags ...string) (*peer, string) {
	t.Helper()
	server := startPeer(t, program, append(append([]string{"server"}, flags...), "-addr", "127.0.0.1:0")...)
	return server, server.waitFor(t, `^listening on 127\.0\.0\.1:(\d+)$`)[1]
}

// waitFor reads lines until one matches pattern and returns its submatches.
func (p *peer) waitFor(t *testing.T, pattern string) []string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	timeout := time.After(60 * time.Second)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				t.Fatalf("the output ended without a line matching %q:\n%s", pattern, p.all.String())
			}
			p.all.WriteString(line + "\n")
			if m := re.FindStringSubmatch(line); m != nil {
				return m
			}
		case <-timeout:
			t.Fatalf("no line matching %q within 60s:\n%s", pattern, p.all.String())
		}
	}
}

// exit waits for the program to exit and returns its status.
func (p *peer) exit(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
		return p.cmd.ProcessState.ExitCode()
	case <-time.After(60 * time.Second):
		t.Fatalf("still running after 60s:\n%s", p.all.String())
		return 0
	}
}

// expectAllClosed reads the rest of the trace and checks that every
// socket the program opened was closed. It is the check of testkit's
// ExpectExit for a program of this runner, which testkit does not start.
func expectAllClosed(t *testing.T, p *peer) {
	t.Helper()
	out := p.output()
	if leaked := testkit.Unclosed(out); len(leaked) > 0 {
		t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, out)
	}
}

// output reads the rest of what the program printed (readRest) and
// returns all of it without Wine's own lines (testkit.WithoutWineNoise):
// this runner is not testkit's, so it drops them itself.
func (p *peer) output() string {
	readRest(p)
	return string(testkit.WithoutWineNoise([]byte(p.all.String())))
}

// readRest waits for the program to exit and reads the rest of what it
// printed into p.all. The program has exited, so all it wrote is in the
// pipe; under Wine the pipe may never close (see testkit), so we stop
// when no line comes for 5 seconds.
func readRest(p *peer) {
	<-p.done
	for more := true; more; {
		select {
		case line, ok := <-p.lines:
			if ok {
				p.all.WriteString(line + "\n")
			}
			more = ok
		case <-time.After(5 * time.Second):
			more = false
		}
	}
}
