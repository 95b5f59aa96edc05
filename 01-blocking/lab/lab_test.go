package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"iomodels/testkit"
)

// The grading test. It builds the lab program, starts it as a student
// would, and plays clients against it with Go's net package. Every wait has
// a deadline, so a server that does not do the task fails in seconds. Most
// tests run twice: against the native build, and against the Windows build
// under Wine, which they skip where Wine is missing (see testkit.WineProgram).
// This file holds what the tests share: the builds and the clients;
// serving_test.go checks that clients are served, output_test.go what the
// server says about them.

// clientDeadline bounds one client's whole visit: connect, send, read the
// echo. A correct server on a loaded machine needs milliseconds.
const clientDeadline = 10 * time.Second

// The lab program, built once for this system and once for Windows.
var nativeBinary, windowsBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "01-blocking-lab")
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

// eachBuild runs test against the native build, then the Windows build.
func eachBuild(t *testing.T, test func(t *testing.T, lab *testkit.Program)) {
	t.Run("native", func(t *testing.T) { test(t, testkit.NativeProgram("lab", nativeBinary)) })
	t.Run("wine", func(t *testing.T) { test(t, testkit.WineProgram(t, "lab", windowsBinary)) })
}

// What a client may find, so that a test can say what likely caused it.
var (
	errGone     = errors.New("nothing listens on its port any more")
	errUnserved = errors.New("the server closed the connection without serving it")
)

// visit is one client's whole visit: it connects, sends msg while it reads
// the echo, shuts down sending and reads until the server closes. It
// returns what went wrong, in words a student can act on.
func visit(port string, msg []byte) error {
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, clientDeadline)
	if err != nil {
		return fmt.Errorf("could not connect (%v): %w", err, errGone)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(clientDeadline))
	go func() {
		conn.Write(msg)
		conn.(*net.TCPConn).CloseWrite()
	}()
	got, err := io.ReadAll(conn)
	return check(got, err, msg)
}

// check compares an echo with what was sent.
func check(got []byte, err error, sent []byte) error {
	switch {
	case isTimeout(err):
		return fmt.Errorf("no echo within %v (%d of %d bytes came back)", clientDeadline, len(got), len(sent))
	case err != nil && len(got) == 0:
		return fmt.Errorf("the connection failed before a byte came back (%v): %w", err, errUnserved)
	case err != nil:
		return fmt.Errorf("the connection failed after %d of %d bytes came back (%v)", len(got), len(sent), err)
	case len(got) == 0 && len(sent) > 0:
		return fmt.Errorf("the connection ended before a byte came back: %w", errUnserved)
	case !bytes.Equal(got, sent):
		return fmt.Errorf("got %d bytes back, not the %d sent (first difference at byte %d)", len(got), len(sent), firstDifference(got, sent))
	}
	return nil
}

// dial connects a client that the test drives step by step.
func dial(t *testing.T, port, who string) *net.TCPConn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, clientDeadline)
	if err != nil {
		t.Fatalf("%s could not connect (%v): %v", who, err, errGone)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(clientDeadline))
	return conn.(*net.TCPConn)
}

// echoOnce sends a few bytes and reads them back.
func echoOnce(t *testing.T, conn *net.TCPConn, who string) {
	t.Helper()
	got := make([]byte, 5)
	conn.Write([]byte("hello"))
	if _, err := io.ReadFull(conn, got); err != nil || string(got) != "hello" {
		t.Fatalf("%s sent %q and got %q back (%v)", who, "hello", got, err)
	}
}

func isTimeout(err error) bool {
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

func firstDifference(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}
