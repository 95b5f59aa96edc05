package main

import (
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// TestClientTimeout runs the client against a server that reads the whole
// message and never answers, nor closes. The seed's client waits for ever
// in recv; ours gives up after -timeout with one line and exit status 1.
// Its SO_RCVTIMEO makes the recv itself fail: the trace shows EAGAIN on
// POSIX (socket(7)), WSAETIMEDOUT on Winsock.
func TestClientTimeout(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, timedOut string) {
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer listener.Close()
		held := make(chan net.Conn, 1)
		go func() {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			io.ReadAll(conn) // up to the client's shutdown, and no reply
			held <- conn
		}()
		defer func() {
			select {
			case conn := <-held:
				conn.Close()
			default:
			}
		}()
		addr := listener.Addr().String()
		started := time.Now()
		out, status := program.Run(t, "client", "-trace", "-timeout", "500ms", "-addr", addr)
		recv, _, _ := strings.Cut(timedOut, "(")
		want := recv + " " + addr + ": no reply within 500ms\n"
		if status != 1 || !strings.HasSuffix(out, want) {
			t.Errorf("client exited %d, want 1 with %q; it printed:\n%s", status, want, out)
		}
		if !strings.Contains(out, "\n"+timedOut+"\n") {
			t.Errorf("the trace has no line %q; it printed:\n%s", timedOut, out)
		}
		if took := time.Since(started); took < 500*time.Millisecond {
			t.Errorf("the client gave up after %v, before its -timeout of 500ms", took)
		}
	}
	t.Run("native", func(t *testing.T) {
		timedOut := "read(sock 1, 512 bytes) = -1 EAGAIN"
		if runtime.GOOS == "windows" {
			timedOut = "recv(sock 1, 512 bytes) = SOCKET_ERROR WSAETIMEDOUT"
		}
		run(t, chapter.Native(), timedOut)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, chapter.Wine(t), "recv(sock 1, 512 bytes) = SOCKET_ERROR WSAETIMEDOUT")
	})
}
