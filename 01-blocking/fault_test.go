package main

import (
	"bytes"
	"io"
	"net"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// The fault tests of CONVENTIONS: a client of Go's net package does to the
// server what a careless or hostile client would, and the server must echo
// every byte, or fail with one clear line, and close every socket it opened.

func TestFaults(t *testing.T) {
	testFaults(t, testkit.NativeProgram("01-blocking", nativeBinary), false)
}

// Wine, unlike Windows, may report a connection reset to a recv already
// waiting as an orderly end-of-stream (16 runs in 20 here; the other 4 saw
// WSAECONNRESET); resetMayBeEOF says so.
func TestFaultsWine(t *testing.T) {
	testFaults(t, testkit.WineProgram(t, "01-blocking", windowsBinary), true)
}

func testFaults(t *testing.T, program *testkit.Program, resetMayBeEOF bool) {
	t.Run("every byte value", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		sent := make([]byte, 256)
		for i := range sent {
			sent[i] = byte(i)
		}
		if got := echo(t, server.Port, sent); !bytes.Equal(got, sent) {
			t.Errorf("echo of 0..255 = %q, want %q", got, sent)
		}
		expectExit(t, server, 0, "Connection closing...")
	})

	// The seed's client sends everything before it reads; this one reads
	// while it writes, so 1 MiB cannot fill both sides' buffers.
	t.Run("1 MiB", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-quiet", "-addr", "127.0.0.1:0")
		sent := testkit.Bytes(1 << 20)
		if got := echo(t, server.Port, sent); !bytes.Equal(got, sent) {
			t.Errorf("echo of 1 MiB: got %d bytes, equal=%v", len(got), bytes.Equal(got, sent))
		}
		expectExit(t, server, 0, "Bytes sent: 1048576 in all")
	})

	// A client that resets (SO_LINGER 0) in the middle of the exchange: the
	// server's recv fails, and it says so in one line and exits 1.
	t.Run("reset", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		conn := dial(t, server.Port)
		conn.Write([]byte("hello"))
		if _, err := io.ReadFull(conn, make([]byte, 5)); err != nil {
			t.Fatal(err)
		}
		conn.SetLinger(0)
		conn.Close()
		out, status := server.Wait(t)
		reported := status == 1 && strings.Contains(out, "connection reset by peer (")
		tookAsEOF := resetMayBeEOF && status == 0 && strings.Contains(out, "Connection closing...")
		if !reported && !tookAsEOF {
			t.Errorf("server exited %d, want 1 with the reset named; it printed:\n%s", status, out)
		}
		if leaked := unclosed(out); len(leaked) > 0 {
			t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, out)
		}
	})

	// A client that resets before the server accepts it. Linux accepts it
	// and recv reports the reset; Winsock's accept fails, and the server
	// must wait for the next client instead of giving up.
	t.Run("reset before accept", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		conn := dial(t, server.Port)
		conn.SetLinger(0)
		conn.Close()
		if next, err := net.Dial("tcp", "127.0.0.1:"+server.Port); err == nil {
			next.Close()
		}
		out, status := server.Wait(t)
		if strings.Contains(out, "accept 127.0.0.1") || status != 0 && !strings.Contains(out, "connection reset by peer (") {
			t.Errorf("server exited %d; it should have served a client or reported the reset:\n%s", status, out)
		}
		if leaked := unclosed(out); len(leaked) > 0 {
			t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, out)
		}
	})

	// Many clients at once: the first is served; the listener closes right
	// after accept, so the others are reset or refused, and none hangs.
	t.Run("many at once", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		var wg sync.WaitGroup
		var mu sync.Mutex
		served := 0
		for range 20 {
			wg.Go(func() {
				conn, err := net.Dial("tcp", "127.0.0.1:"+server.Port)
				if err != nil {
					return // refused: the listener is closed already
				}
				defer conn.Close()
				conn.SetDeadline(time.Now().Add(30 * time.Second))
				conn.Write([]byte("hello"))
				conn.(*net.TCPConn).CloseWrite()
				got, err := io.ReadAll(conn)
				if err == nil && string(got) == "hello" {
					mu.Lock()
					served++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if served != 1 {
			t.Errorf("%d clients were served, want exactly 1", served)
		}
		expectExit(t, server, 0, "Connection closing...")
	})
}

// echo sends msg on a new connection while it reads the reply, then
// half-closes and reads until the server closes.
func echo(t *testing.T, port string, msg []byte) []byte {
	t.Helper()
	conn := dial(t, port)
	defer conn.Close()
	go func() {
		conn.Write(msg)
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

// expectExit waits for the server, checks its exit status and a line of its
// output, and checks in its trace that every socket it opened was closed.
func expectExit(t *testing.T, server *testkit.Server, status int, line string) {
	t.Helper()
	out, got := server.Wait(t)
	if got != status || !strings.Contains(out, line) {
		t.Fatalf("server exited %d, want %d with a line containing %q; it printed:\n%s", got, status, line, out)
	}
	if leaked := unclosed(out); len(leaked) > 0 {
		t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, out)
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
