package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// The fault tests of CONVENTIONS: clients of Go's net package do to the
// server what careless or hostile clients would. The server must echo
// every byte to the others, name what went wrong for the one, and close
// every socket it opened. Each runs on every native backend and on the
// Windows build under Wine.

func TestFaults(t *testing.T) {
	for _, backend := range nativeBackends() {
		t.Run(backend, func(t *testing.T) { testFaults(t, nativeProgram(backend), false) })
	}
}

// Wine, unlike Windows, may report a connection reset as an orderly
// end-of-stream (see resetSeen); resetMayBeEOF says so.
func TestFaultsWine(t *testing.T) {
	testFaults(t, testkit.WineProgram(t, name, windowsBinary), true)
}

func testFaults(t *testing.T, program *testkit.Program, resetMayBeEOF bool) {
	t.Run("every byte value", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
		sent := make([]byte, 256)
		for i := range sent {
			sent[i] = byte(i)
		}
		if got := echo(t, server.Port, sent); !bytes.Equal(got, sent) {
			t.Errorf("echo of 0..255 = %q, want %q", got, sent)
		}
		expectExit(t, server, "served 1 client, echoed 256 bytes")
	})

	// 1 MiB, read while it is written: the server's sends fill the
	// client's window, so some of them complete with part of the buffer.
	t.Run("1 MiB", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
		sent := testkit.Bytes(1 << 20)
		if got := echo(t, server.Port, sent); !bytes.Equal(got, sent) {
			t.Errorf("echo of 1 MiB: got %d bytes, equal=%v", len(got), bytes.Equal(got, sent))
		}
		expectExit(t, server, "served 1 client, echoed 1048576 bytes")
	})

	// A client that writes without reading, then resets (SO_LINGER 0) while
	// the server's send is in flight: that client's routine is told the
	// error, and the next client is served as if nothing happened.
	t.Run("reset mid-send", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "2", "-addr", "127.0.0.1:0")
		conn := dial(t, server.Port)
		// The write stops when both sides' buffers are full, since we
		// never read; the deadline bounds it.
		conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
		conn.Write(testkit.Bytes(4 << 20))
		conn.SetLinger(0)
		conn.Close()
		if got := echo(t, server.Port, []byte("hello")); string(got) != "hello" {
			t.Errorf("the next client got %q, want %q", got, "hello")
		}
		out := expectExit(t, server, "client 2: closing, 5 bytes echoed")
		if resetMayBeEOF && !resetSeen(out, 1) {
			t.Logf("the reset reached client 1's routines as end-of-stream")
		}
		if !resetSeen(out, 1) && !(resetMayBeEOF && strings.Contains(out, "client 1: recv routine: 0 bytes")) {
			t.Errorf("client 1's routine was not told of the reset; the server printed:\n%s", out)
		}
	})

	// A client that resets before the server accepts it: Linux accepts it
	// and the recv routine is told of the reset; Winsock's accept may fail
	// instead, and the server goes on. Ctrl-C ends the server.
	t.Run("reset before accept", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		conn := dial(t, server.Port)
		conn.SetLinger(0)
		conn.Close()
		if got := echo(t, server.Port, []byte("next")); string(got) != "next" {
			t.Errorf("the next client got %q, want %q", got, "next")
		}
		out, status := server.InterruptAndWait(t)
		if status != 0 && !(resetMayBeEOF && status == testkit.KilledBySignal) {
			t.Errorf("server exited %d, want 0:\n%s", status, out)
		}
		if leaked := unclosed(out); len(leaked) > 0 {
			t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, out)
		}
	})

	// Many clients at once, each sending in several writes and reading as
	// it goes; the one thread interleaves them all.
	t.Run("many at once", func(t *testing.T) {
		const clients, size = 50, 20000
		server := program.StartServer(t, "server", "-quiet", "-clients", "50", "-addr", "127.0.0.1:0")
		var wg sync.WaitGroup
		for i := range clients {
			wg.Go(func() {
				sent := testkit.Bytes(size + i)[i:]
				if got := echo(t, server.Port, sent); !bytes.Equal(got, sent) {
					t.Errorf("client %d: echo of %d bytes differs (%d came back)", i, size, len(got))
				}
			})
		}
		wg.Wait()
		expectExit(t, server, "served 50 clients, echoed 1000000 bytes")
	})
}

// resetSeen tells whether client n's routine, or the post that would have
// queued it, was told of a reset.
func resetSeen(out string, n int) bool {
	told := regexp.MustCompile(fmt.Sprintf(`client %d: ([a-z]+ routine: )?`, n) +
		`(connection reset by peer|broken pipe|software caused connection abort) \(`)
	return told.MatchString(out)
}

// echo sends msg on a new connection while it reads the reply, then
// half-closes and reads until the server closes.
func echo(t *testing.T, port string, msg []byte) []byte {
	t.Helper()
	conn := dial(t, port)
	defer conn.Close()
	go func() {
		for rest := msg; len(rest) > 0; {
			n := min(len(rest), 7001) // several writes, of an odd size
			if _, err := conn.Write(rest[:n]); err != nil {
				return
			}
			rest = rest[n:]
		}
		conn.CloseWrite()
	}()
	got, err := io.ReadAll(conn)
	if err != nil {
		t.Errorf("reading the echo: %v", err)
	}
	return got
}

func dial(t *testing.T, port string) *net.TCPConn {
	t.Helper()
	conn, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	return conn.(*net.TCPConn)
}

// expectExit waits for the server, checks that it exited 0 with a line
// containing line, and checks in its trace, if any, that every socket it
// opened was closed. It returns what the server printed.
func expectExit(t *testing.T, server *testkit.Server, line string) string {
	t.Helper()
	out, got := server.Wait(t)
	if got != 0 || !strings.Contains(out, line) {
		t.Fatalf("server exited %d, want 0 with a line containing %q; it printed:\n%s", got, line, out)
	}
	if leaked := unclosed(out); len(leaked) > 0 {
		t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, out)
	}
	return out
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
