package main

import (
	"io"
	"net"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestClientTimeout runs the client against a server that reads the whole
// message and never answers, nor closes. The seed's client waits for ever
// in recv; ours gives up after -timeout with one line and exit status 1.
func TestClientTimeout(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, recv string) {
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
		out, status := program.Run(t, "client", "-timeout", "500ms", "-addr", addr)
		want := recv + " " + addr + ": no reply within 500ms\n"
		if status != 1 || !strings.HasSuffix(out, want) {
			t.Errorf("client exited %d, want 1 with %q; it printed:\n%s", status, want, out)
		}
	}
	t.Run("native", func(t *testing.T) {
		recv := "read"
		if runtime.GOOS == "windows" {
			recv = "recv"
		}
		run(t, testkit.NativeProgram("01-blocking", nativeBinary), recv)
	})
	t.Run("wine", func(t *testing.T) {
		run(t, testkit.WineProgram(t, "01-blocking", windowsBinary), "recv")
	})
}
