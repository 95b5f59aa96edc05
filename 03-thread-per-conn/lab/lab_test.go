// The grading test: go test ./03-thread-per-conn/lab grades starter.go, or
// your work in it; with -tags solution it grades solution.go.
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

const (
	// answerWithin bounds every wait for an answer that should come.
	answerWithin = 5 * time.Second
	// quietFor is how long a client that should get no answer is watched.
	quietFor = time.Second
	// runtimeThreads is how many threads the server may add while 18 more
	// clients connect: the Go runtime's own, never 18.
	runtimeThreads = 5
)

// The lab program, built once for this system and once for Windows.
var binary, windowsBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "03-thread-per-conn-lab")
	if err == nil {
		binary, err = testkit.Build(dir, "lab", runtime.GOOS)
	}
	if err == nil {
		windowsBinary, err = testkit.Build(dir, "lab", "windows")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// forEachBuild runs check against the native build, then against the
// Windows build under Wine where Wine is installed (it skips otherwise);
// wine tells check which one it has.
func forEachBuild(t *testing.T, check func(t *testing.T, program *testkit.Program, wine bool)) {
	t.Run("native", func(t *testing.T) { check(t, testkit.NativeProgram("lab", binary), false) })
	t.Run("wine", func(t *testing.T) { check(t, testkit.WineProgram(t, "lab", windowsBinary), true) })
}

func startServer(t *testing.T, program *testkit.Program, threads int) *testkit.Server {
	t.Helper()
	return program.StartServer(t, "-addr", "127.0.0.1:0", "-threads", strconv.Itoa(threads))
}

// TestThirdClientWaits runs the server with -threads 2: two clients are
// answered at once; a third connects, but gets no answer until one of the
// first two leaves, and then it does.
func TestThirdClientWaits(t *testing.T) { forEachBuild(t, thirdClientWaits) }

func thirdClientWaits(t *testing.T, program *testkit.Program, _ bool) {
	server := startServer(t, program, 2)
	a, b := dial(t, server.Port, "A"), dial(t, server.Port, "B")
	for _, c := range []*client{a, b} {
		if err := c.exchange("hello from "+c.name, "Message received - hello from "+c.name); err != nil {
			t.Fatalf("with -threads 2, two clients should be served at once, but %v: do two threads wait in accept?", err)
		}
	}

	c := dial(t, server.Port, "C")
	if err := c.send("hello from C"); err != nil {
		t.Fatal(err)
	}
	if answer, err := c.answerWithin(quietFor); err == nil {
		t.Fatalf("with -threads 2 and clients A and B being served, client C was answered %q: "+
			"the server still makes a thread per client. Start the threads once, in serve, and make nothing per client", answer)
	}

	if err := a.quit(); err != nil {
		t.Fatal(err)
	}
	if err := c.expect("Message received - hello from C", answerWithin); err != nil {
		t.Fatalf("once client A left, %v: does each thread go back to accept after its client leaves?", err)
	}
	for _, c := range []*client{b, c} {
		if err := c.quit(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestThreadsDoNotGrow runs the server with -threads 2 and reads its OS
// thread count (the Threads: line of /proc/PID/status) with 2 clients
// connected, then for a second while 18 more connect and send a line:
// it must not grow with the clients.
func TestThreadsDoNotGrow(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the thread count is read from /proc/PID/status, which only Linux has")
	}
	port, pid := startWithPID(t, "-addr", "127.0.0.1:0", "-threads", "2")
	for i := 1; i <= 2; i++ {
		c := dial(t, port, strconv.Itoa(i))
		if err := c.exchange("hello", "Message received - hello"); err != nil {
			t.Fatalf("with -threads 2, two clients should be served at once, but %v: do two threads wait in accept?", err)
		}
	}
	with2 := osThreads(t, pid)

	for i := 3; i <= 20; i++ {
		if err := dial(t, port, strconv.Itoa(i)).send("hello"); err != nil {
			t.Fatal(err)
		}
	}
	most := with2
	for end := time.Now().Add(quietFor); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		most = max(most, osThreads(t, pid))
		if most > with2+runtimeThreads {
			t.Fatalf("with 2 clients connected the server had %d OS threads; with 20 it has %d: it makes a thread per client. "+
				"With -threads 2 it should have the same threads whatever the number of clients (we allow up to %d more for the Go runtime)",
				with2, most, runtimeThreads)
		}
	}
	t.Logf("OS threads: %d with 2 clients, at most %d with 20", with2, most)
}

// TestEveryClientIsAnswered runs the server with -threads 3 and 9 clients
// at once: each sends two lines in one write, then quit, and must get both
// answers, then "quit", then the close.
func TestEveryClientIsAnswered(t *testing.T) { forEachBuild(t, everyClientIsAnswered) }

func everyClientIsAnswered(t *testing.T, program *testkit.Program, _ bool) {
	server := startServer(t, program, 3)
	failures := make(chan error, 9)
	var wg sync.WaitGroup
	for i := 1; i <= 9; i++ {
		c := dial(t, server.Port, strconv.Itoa(i))
		wg.Go(func() {
			err := c.send("one from " + c.name + "\ntwo from " + c.name)
			for _, line := range []string{"one", "two"} {
				if err == nil {
					err = c.expect("Message received - "+line+" from "+c.name, answerWithin)
				}
			}
			if err == nil {
				err = c.quit()
			}
			failures <- err
		})
	}
	wg.Wait()
	close(failures)
	var failed []error
	for err := range failures {
		if err != nil {
			failed = append(failed, err)
		}
	}
	if len(failed) > 0 {
		t.Fatalf("%d of 9 clients were not served right; the first: %v. With -threads 3, clients 4 to 9 "+
			"are served only when a thread is back in accept: does each thread loop?", len(failed), failed[0])
	}
}

// TestCtrlC sends the server Ctrl-C and wants it to exit 0, saying
// "interrupt: server stopped": with every thread waiting in accept, and
// with two clients being served (one halfway through a line) and a third
// waiting.
func TestCtrlC(t *testing.T) { forEachBuild(t, ctrlC) }

func ctrlC(t *testing.T, program *testkit.Program, wine bool) {
	t.Run("no clients", func(t *testing.T) {
		expectStopped(t, startServer(t, program, 4), wine)
	})
	t.Run("clients connected", func(t *testing.T) {
		server := startServer(t, program, 2)
		for _, name := range []string{"A", "B"} {
			c := dial(t, server.Port, name)
			if err := c.exchange("hello", "Message received - hello"); err != nil {
				failWithOutput(t, server, err)
			}
		}
		if err := dial(t, server.Port, "C").send("hello from C"); err != nil {
			failWithOutput(t, server, err)
		}
		if _, err := io.WriteString(dial(t, server.Port, "D"), "half a li"); err != nil {
			failWithOutput(t, server, err)
		}
		expectStopped(t, server, wine)
	})
}

// expectStopped sends Ctrl-C and checks the exit. Wine 8 now and then
// kills the Windows build with SIGKILL as it exits after Ctrl-C, once its
// last line is out (see the chapter's README); under Wine that passes.
func expectStopped(t *testing.T, server *testkit.Server, wine bool) {
	t.Helper()
	out, status := server.InterruptAndWait(t)
	stopped := strings.Contains(out, "interrupt: server stopped\n")
	if wine && status == testkit.KilledBySignal && stopped {
		status = 0
	}
	if status != 0 || !stopped {
		t.Fatalf("after Ctrl-C the server exited %d, want 0 after %q; it printed:\n%s"+
			"does every thread return once accept or recv fails while the server is stopping?",
			status, "interrupt: server stopped", out)
	}
}

// failWithOutput stops the server and fails with err and what the server
// printed, which tells why it did not answer.
func failWithOutput(t *testing.T, server *testkit.Server, err error) {
	t.Helper()
	out, status := server.InterruptAndWait(t)
	t.Fatalf("%v\nafter Ctrl-C the server exited %d; it printed:\n%s", err, status, out)
}

// client is a test's connection to the server.
type client struct {
	net.Conn
	name    string
	answers *bufio.Reader
}

func dial(t *testing.T, port, name string) *client {
	t.Helper()
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, answerWithin)
	if err != nil {
		t.Fatalf("client %s could not connect: %v", name, err)
	}
	t.Cleanup(func() { conn.Close() })
	return &client{conn, name, bufio.NewReader(conn)}
}

func (c *client) send(lines string) error {
	c.SetWriteDeadline(time.Now().Add(answerWithin))
	if _, err := io.WriteString(c, lines+"\n"); err != nil {
		return fmt.Errorf("client %s could not send %q: %v", c.name, lines, err)
	}
	return nil
}

// answerWithin returns the next answer, without its newline, or an error
// if none came within wait.
func (c *client) answerWithin(wait time.Duration) (string, error) {
	c.SetReadDeadline(time.Now().Add(wait))
	answer, err := c.answers.ReadString('\n')
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "", fmt.Errorf("no answer within %v", wait)
	case err == io.EOF:
		return "", fmt.Errorf("the connection closed (after %q)", answer)
	case err != nil:
		return "", err
	}
	return strings.TrimSuffix(answer, "\n"), nil
}

// exchange sends line and checks the answer.
func (c *client) exchange(line, want string) error {
	if err := c.send(line); err != nil {
		return err
	}
	return c.expect(want, answerWithin)
}

// expect reads the next answer and says how it differs from want.
func (c *client) expect(want string, wait time.Duration) error {
	answer, err := c.answerWithin(wait)
	switch {
	case err != nil:
		return fmt.Errorf("client %s got %v, want %q", c.name, err, want)
	case answer != want:
		return fmt.Errorf("client %s got %q, want %q", c.name, answer, want)
	}
	return nil
}

// quit sends quit and wants "quit", then the server's close.
func (c *client) quit() error {
	if err := c.exchange("quit", "quit"); err != nil {
		return err
	}
	c.SetReadDeadline(time.Now().Add(answerWithin))
	if rest, err := io.ReadAll(c.answers); err != nil || len(rest) > 0 {
		return fmt.Errorf("after quit, client %s got %q, %v; want the server to close the connection", c.name, rest, err)
	}
	return nil
}

// startWithPID starts the server as testkit's StartServer does, and
// returns its port and its process id, which testkit.Server does not give.
func startWithPID(t *testing.T, args ...string) (port string, pid int) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "GORACE=atexit_sleep_ms=0 halt_on_error=1")
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	listening := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() { // to the end, so that the server never waits on a full pipe
			if port, found := strings.CutPrefix(lines.Text(), "listening on 127.0.0.1:"); found {
				listening <- port
			}
		}
	}()
	select {
	case port = <-listening:
		return port, cmd.Process.Pid
	case <-time.After(answerWithin):
		t.Fatalf("the server printed no %q line within %v", "listening on", answerWithin)
	}
	return "", 0
}

// osThreads reads the Threads: line of /proc/PID/status (proc(5)).
func osThreads(t *testing.T, pid int) int {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Threads:\s+(\d+)$`).FindSubmatch(status)
	if m == nil {
		t.Fatalf("/proc/%d/status has no Threads: line", pid)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}
