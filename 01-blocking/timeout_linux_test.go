//go:build linux

package main

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestConnectTimeout runs the client against a listener whose queue is
// full: Linux drops the client's handshake, so a blocking connect waits.
// SO_SNDTIMEO bounds that wait on Linux (socket(7): connect fails with
// EINPROGRESS), and the client says so in one line. The listener is a
// Linux one, so this runs on Linux only; and Winsock's connect does not
// take SO_SNDTIMEO (under Wine it waited past a minute), so it runs the
// native build only.
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

	out, status := chapter.Native().Run(t, "client", "-trace", "-timeout", "500ms", "-addr", addr)
	want := "connect " + addr + ": connection timed out (ETIMEDOUT)\n"
	if status != 1 || !strings.HasSuffix(out, want) {
		t.Errorf("client exited %d, want 1 with %q; it printed:\n%s", status, want, out)
	}
	timedOut := "connect(sock 1, " + addr + ") = -1 EINPROGRESS"
	if !strings.Contains(out, "\n"+timedOut+"\n") {
		t.Errorf("the trace has no line %q; it printed:\n%s", timedOut, out)
	}
}
