//go:build linux

package main

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"iomodels/testkit"
)

// TestConnectTimeout runs the client against a listener whose queue is
// full: Linux drops the client's handshake, so connect waits, and the
// client must give up after -timeout with one line. The listener is a
// Linux one, so this runs on Linux only, for both builds.
func TestConnectTimeout(t *testing.T) {
	// A listen queue of one: listen(fd, 0) lets one connection wait.
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := unix.Listen(fd, 0); err != nil {
		t.Fatal(err)
	}
	sa, _ := unix.Getsockname(fd)
	addr := "127.0.0.1:" + strconv.Itoa(sa.(*unix.SockaddrInet4).Port)

	// We fill the queue until a connect no longer completes.
	full := false
	for range 8 {
		conn, err := net.DialTimeout("tcp", addr, 300*time.Millisecond)
		if err != nil {
			full = true
			break
		}
		defer conn.Close()
	}
	if !full {
		t.Skip("the listen queue never filled: this kernel does not drop handshakes here")
	}

	run := func(t *testing.T, program *testkit.Program, name string) {
		out, status := program.Run(t, "client", "-timeout", "500ms", "-addr", addr)
		want := "connect " + addr + ": connection timed out (" + name + ")\n"
		if status != 1 || !strings.HasSuffix(out, want) {
			t.Errorf("client exited %d, want 1 with %q; it printed:\n%s", status, want, out)
		}
	}
	t.Run("native", func(t *testing.T) {
		run(t, testkit.NativeProgram("01-blocking", nativeBinary), "ETIMEDOUT")
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "01-blocking", windowsBinary), "WSAETIMEDOUT")
	})
}
