package main

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// TestClientSeesReset runs the client against a server that resets the
// connection instead of echoing. The seed's client prints the error and
// still exits 0; ours exits 1 with one line that names the reset. Under
// Wine the reset may reach the waiting recv as end of stream
// (testkit.WineResetAsEOF): the client then finds the echo short, and
// says so, exiting 1.
func TestClientSeesReset(t *testing.T) {
	t.Run("native", func(t *testing.T) { clientSeesReset(t, chapter.Native()) })
	t.Run("wine", func(t *testing.T) { clientSeesReset(t, chapter.Wine(t)) })
}

func clientSeesReset(t *testing.T, program *testkit.Program) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	go func() {
		conn, err := listener.Accept()
		if err != nil {
			return
		}
		io.ReadAll(conn) // the whole message, up to the client's shutdown
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	}()
	out, status := program.Run(t, "client", "-addr", listener.Addr().String())
	named := strings.Contains(out, resetLine)
	if status != 1 || !named && !program.Allows(t, testkit.WineResetAsEOF, strings.Contains(out, "echo is short")) {
		t.Errorf("client exited %d, want 1 with the reset named; it printed:\n%s", status, out)
	}
}

// TestClientTimeout runs the client against a server that accepts and then
// says nothing: the seed's client would wait in recv for ever. With
// -timeout the client gives up with chapter 02's line and exits 1.
func TestClientTimeout(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, recv string) {
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer listener.Close()
		accepted := make(chan net.Conn, 1)
		go func() {
			conn, err := listener.Accept()
			if err == nil {
				accepted <- conn // held open, never read nor written
			}
			close(accepted)
		}()
		defer func() {
			listener.Close()
			for conn := range accepted {
				conn.Close()
			}
		}()
		addr := listener.Addr().String()
		started := time.Now()
		out, status := program.Run(t, "client", "-timeout", "300ms", "-addr", addr)
		want := recv + " " + addr + ": no reply within 300ms\n"
		if status != 1 || !strings.HasSuffix(out, want) {
			t.Errorf("client exited %d, want 1 with %q; it printed:\n%s", status, want, out)
		}
		if took := time.Since(started); took < 300*time.Millisecond {
			t.Errorf("the client gave up after %v, before its -timeout of 300ms", took)
		}
	}
	t.Run("native", func(t *testing.T) { run(t, chapter.Native(), nameRecv) })
	t.Run("wine", func(t *testing.T) { run(t, chapter.Wine(t), "recv") })
}
