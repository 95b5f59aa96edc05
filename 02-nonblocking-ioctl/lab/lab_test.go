package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// The grading test. It builds the lab program, starts it as a student
// would, and plays clients against it with Go's net package. The point
// of the task is checked in idle_test.go; the tests here check that the
// server still answers every client, and stops on Ctrl-C. Every wait has
// a deadline, so a server that does not do the task fails in seconds.

// clientDeadline bounds each client's whole visit. A correct server on a
// loaded machine needs milliseconds.
const clientDeadline = 5 * time.Second

// hint ends every failure that shows a server that stopped answering.
const hint = "does the loop try every socket poll says is ready, the listener included?"

// The lab program, built once for this system and once for Windows.
var nativeBinary, windowsBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "02-nonblocking-ioctl-lab")
	if err == nil {
		nativeBinary, err = testkit.Build(dir, "lab", runtime.GOOS)
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

func native() *testkit.Program { return testkit.NativeProgram("lab", nativeBinary) }

// eachBuild runs test against the native build, then the Windows build
// under Wine, which it skips where Wine is missing (see testkit.WineProgram).
func eachBuild(t *testing.T, test func(t *testing.T, lab *testkit.Program)) {
	t.Run("native", func(t *testing.T) { test(t, native()) })
	t.Run("wine", func(t *testing.T) { test(t, testkit.WineProgram(t, "lab", windowsBinary)) })
}

// TestLineProtocol checks the seed 001 line protocol with many clients at
// once: each sends a line in two pieces, the second only once the server
// has answered the line before it, then two lines in one send, then
// "quit", after which the server closes the connection.
func TestLineProtocol(t *testing.T) { eachBuild(t, testLineProtocol) }

func testLineProtocol(t *testing.T, lab *testkit.Program) {
	const clients = 50
	server := lab.StartServer(t, "-addr", "127.0.0.1:0")
	var wg sync.WaitGroup
	failures := make(chan string, clients)
	for i := range clients {
		wg.Go(func() {
			if err := converse(server.Port, i); err != nil {
				failures <- fmt.Sprintf("client %d of %d: %v", i+1, clients, err)
			}
		})
	}
	wg.Wait()
	close(failures)
	if failed := len(failures); failed > 0 {
		// Three say what went wrong; fifty would hide it. The server is
		// then killed: it may not even see Ctrl-C.
		var shown []string
		for failure := range failures {
			shown = append(shown, failure)
		}
		t.Fatalf("%d of %d clients failed:\n%s", failed, clients, strings.Join(shown[:min(failed, 3)], "\n"))
	}
	out, status := server.InterruptAndWait(t)
	if closed := regexp.MustCompile(`client \d+: closed \(quit\)`).FindAllString(out, -1); len(closed) != clients {
		t.Errorf("the server printed %d lines \"client N: closed (quit)\", want %d; it printed:\n%s", len(closed), clients, out)
	}
	checkStopped(t, server, out, status)
}

// converse is one client of TestLineProtocol.
func converse(port string, n int) error {
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, clientDeadline)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(clientDeadline))
	replies := bufio.NewReader(conn)
	exchange := func(send string, want ...string) error {
		if _, err := conn.Write([]byte(send)); err != nil {
			return err
		}
		for _, line := range want {
			if got, err := replies.ReadString('\n'); got != line {
				return fmt.Errorf("sent %q, got the reply %q (%v), want %q; %s", send, got, err, line, hint)
			}
		}
		return nil
	}
	first, second := fmt.Sprintf("first line of %d", n), fmt.Sprintf("second line of %d", n)
	steps := []struct {
		send string
		want []string
	}{
		// The reply to the first line shows that the server has read the
		// start of the second, "sec", which it must keep for later.
		{first + "\nsec", []string{"Message received - " + first + "\n"}},
		{second[3:] + "\nthird\nfourth\n", []string{"Message received - " + second + "\n",
			"Message received - third\n", "Message received - fourth\n"}},
		{"quit\n", []string{"quit\n"}},
	}
	for _, step := range steps {
		if err := exchange(step.send, step.want...); err != nil {
			return err
		}
	}
	if rest, err := replies.ReadString('\n'); rest != "" || err != io.EOF {
		return fmt.Errorf(`after "quit" the connection stays open (read %q, %v): the server closes it once "quit" is sent`, rest, err)
	}
	return nil
}

// TestCtrlC stops a server that has silent clients: its loop may be
// waiting in poll, and Ctrl-C must still stop it, with exit status 0.
func TestCtrlC(t *testing.T) { eachBuild(t, testCtrlC) }

func testCtrlC(t *testing.T, lab *testkit.Program) {
	server := lab.StartServer(t, "-addr", "127.0.0.1:0")
	conn := dial(t, server.Port)
	defer conn.Close()
	if got, err := talk(conn, "hello\n"); err != nil {
		t.Fatalf("no reply to %q (%v, got %q); %s", "hello\n", err, got, hint)
	}
	out, status := server.InterruptAndWait(t)
	checkStopped(t, server, out, status)
}

// checkStopped checks how a server ended after Ctrl-C: the last line and
// exit status 0, or, under Wine only, one of Wine's endings after that
// line (testkit's ExitAccepted).
func checkStopped(t *testing.T, server *testkit.Server, out string, status int) {
	t.Helper()
	const last = "interrupt: server stopped"
	if !strings.HasSuffix(out, last+"\n") || !server.ExitAccepted(t, status, 0, out, last) {
		t.Errorf("after Ctrl-C the server exited %d, want 0 after the line %q; it printed:\n%s",
			status, last, out)
	}
}

// dial connects a client whose every call has a deadline.
func dial(t *testing.T, port string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, clientDeadline)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(clientDeadline))
	return conn
}

// talk sends one line and reads the reply, which must be the protocol's.
func talk(conn net.Conn, line string) (string, error) {
	if _, err := conn.Write([]byte(line)); err != nil {
		return "", err
	}
	buf := make([]byte, 0, 64)
	one := make([]byte, 1)
	for !strings.HasSuffix(string(buf), "\n") {
		if _, err := conn.Read(one); err != nil {
			return string(buf), err
		}
		buf = append(buf, one[0])
	}
	if want := "Message received - " + line; string(buf) != want {
		return string(buf), fmt.Errorf("want %q", want)
	}
	return string(buf), nil
}
