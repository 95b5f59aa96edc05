package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"

	"iomodels/testkit"
)

// The fault tests of CONVENTIONS: clients of Go's net package do to the
// server what careless or hostile clients would. The server must answer
// every line, or close the one client with a line saying why, keep serving
// the others, and close every socket it opened.

func TestFaults(t *testing.T) {
	testFaults(t, testkit.NativeProgram(name, nativeBinary), false)
}

// Wine, unlike Windows, may report a connection reset to recv as an
// orderly end of stream; resetMayBeEOF says so (see the reset test).
func TestFaultsWine(t *testing.T) {
	testFaults(t, testkit.WineProgram(t, name, windowsBinary), true)
}

func testFaults(t *testing.T, program *testkit.Program, resetMayBeEOF bool) {
	// Every byte value but the newline, NUL and CR included: the seed's
	// strcpy_s and strlen would stop at the first NUL.
	t.Run("every byte value", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
		line := bytes.ReplaceAll(testkit.Bytes(256), []byte("\n"), nil)
		got := exchange(t, server.Port, [][]byte{line, []byte("quit")})
		want := "Message received - " + string(line) + "\nquit\n"
		if got != want {
			t.Errorf("replies = %q, want %q", got, want)
		}
		expectExit(t, server, 0, "client 1: closed (quit)")
	})

	// 1 MiB of lines, read while it is written, in one connection.
	t.Run("1 MiB", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "1", "-poll", "1ms", "-addr", "127.0.0.1:0")
		var lines [][]byte
		var want strings.Builder
		for i := range 1024 {
			line := bytes.Repeat([]byte{'a' + byte(i%26)}, 1023)
			lines = append(lines, line)
			fmt.Fprintf(&want, "Message received - %s\n", line)
		}
		got := exchange(t, server.Port, append(lines, []byte("quit")))
		if got != want.String()+"quit\n" {
			t.Errorf("replies: got %d bytes, want %d", len(got), want.Len()+5)
		}
		expectExit(t, server, 0, "client 1: closed (quit)")
	})

	// A client that resets (SO_LINGER 0) after a line: the server closes
	// it, says why, and serves the next client.
	t.Run("reset", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "2", "-addr", "127.0.0.1:0")
		conn := dial(t, server.Port)
		conn.Write([]byte("hello\n"))
		if _, err := bufio.NewReader(conn).ReadString('\n'); err != nil {
			t.Fatal(err)
		}
		conn.SetLinger(0)
		conn.Close()
		if got := exchange(t, server.Port, [][]byte{[]byte("quit")}); got != "quit\n" {
			t.Errorf("the next client got %q, want %q", got, "quit\n")
		}
		out, status := server.Wait(t)
		t.Logf("client 1: %s", regexp.MustCompile(`client 1: closed \((.*)\)`).FindStringSubmatch(out))
		reported := strings.Contains(out, "client 1: closed ("+nameOf(program, "read", "recv")+": connection reset by peer (")
		tookAsEOF := resetMayBeEOF && strings.Contains(out, "client 1: closed (end of stream)")
		if status != 0 || !reported && !tookAsEOF {
			t.Errorf("server exited %d, want 0 with the reset named; it printed:\n%s", status, out)
		}
		if leaked := unclosed(out); len(leaked) > 0 {
			t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, out)
		}
	})

	// A client that shuts down its sending half after its lines still gets
	// every reply, then the server closes it.
	t.Run("half-close", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
		conn := dial(t, server.Port)
		conn.Write([]byte("one\ntwo\n"))
		conn.CloseWrite()
		got, err := io.ReadAll(conn)
		if want := "Message received - one\nMessage received - two\n"; string(got) != want || err != nil {
			t.Errorf("after half-close: %q, %v; want %q", got, err, want)
		}
		expectExit(t, server, 0, "client 1: closed (end of stream)")
	})

	// A client that sends and never reads: its replies pile up, and past
	// maxPending the server closes it. Meanwhile a second client is served
	// as if nothing happened.
	t.Run("slow reader", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "21", "-poll", "1ms", "-addr", "127.0.0.1:0")
		flooder := dial(t, server.Port)
		flooded := make(chan struct{})
		go func() {
			defer close(flooded)
			chunk := bytes.Repeat([]byte("x\n"), 32<<10)
			for range 256 { // 16 MiB at most; the server gives up long before
				if _, err := flooder.Write(chunk); err != nil {
					return
				}
			}
		}()
		for i := range 20 {
			line := fmt.Appendf(nil, "line %d", i)
			if got := exchange(t, server.Port, [][]byte{line, []byte("quit")}); !strings.HasPrefix(got, "Message received - line") {
				t.Fatalf("the other client got %q", got)
			}
		}
		<-flooded
		flooder.Close()
		out, status := server.Wait(t)
		if status != 0 || !regexp.MustCompile(`client 1: closed \(not reading: \d+ bytes of replies unsent\)`).MatchString(out) {
			t.Errorf("server exited %d, want 0 with client 1 closed for not reading; it printed:\n%s", status, tail(out))
		}
		if leaked := unclosed(out); len(leaked) > 0 {
			t.Errorf("sockets opened and never closed: %v", leaked)
		}
	})

	// 200 clients at once, each with two lines; all are served.
	t.Run("200 at once", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "200", "-poll", "1ms", "-addr", "127.0.0.1:0")
		var wg sync.WaitGroup
		var mu sync.Mutex
		served := 0
		for i := range 200 {
			wg.Go(func() {
				line := fmt.Appendf(nil, "client %d", i)
				got, err := tryExchange(server.Port, [][]byte{line, []byte("quit")})
				if err == nil && got == "Message received - "+string(line)+"\nquit\n" {
					mu.Lock()
					served++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if served != 200 {
			t.Errorf("%d clients of 200 were served", served)
		}
		expectExit(t, server, 0, "client 200: closed")
	})
}
