package main

import (
	"bufio"
	"io"
	"net"
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

func dial(t *testing.T, port string) *net.TCPConn {
	t.Helper()
	conn, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	t.Cleanup(func() { conn.Close() })
	return conn.(*net.TCPConn)
}

// expectAllClosed reads the rest of the trace and checks that every
// socket the program opened was closed.
func expectAllClosed(t *testing.T, p *peer) {
	t.Helper()
	readRest(p)
	if leaked := unclosed(p.all.String()); len(leaked) > 0 {
		t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, p.all.String())
	}
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

var (
	opened = regexp.MustCompile(`= (sock \d+)`)
	closed = regexp.MustCompile(`close(?:socket)?\((sock \d+)\) = 0`)
)

// unclosed reads a trace and returns the sockets it opened but never closed.
func unclosed(trace string) []string {
	open := map[string]bool{}
	for _, m := range opened.FindAllStringSubmatch(trace, -1) {
		open[m[1]] = true
	}
	for _, m := range closed.FindAllStringSubmatch(trace, -1) {
		delete(open, m[1])
	}
	var names []string
	for name := range open {
		names = append(names, name)
	}
	return names
}
