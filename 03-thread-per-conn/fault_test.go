package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"syscall"
	"testing"

	"iomodels/testkit"
)

// The fault tests of CONVENTIONS: clients of Go's net package do to the
// server what a careless or hostile client would. The server must answer
// every line byte for byte, or drop that one client with one clear line,
// keep serving the others, and close every socket it opened.

func TestFaults(t *testing.T) {
	forEachBuild(t, testFaults)
}

func testFaults(t *testing.T, program *testkit.Program, wine bool) {
	// Every byte value but the newline, which ends the line.
	t.Run("every byte value", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
		line := make([]byte, 0, 255)
		for b := range 256 {
			if b != '\n' {
				line = append(line, byte(b))
			}
		}
		c := dial(t, server.Port)
		if got, want := c.say(t, string(line)), "Message received - "+string(line); got != want {
			t.Errorf("answer %q, want %q", got, want)
		}
		c.CloseWrite()
		c.expectClosed(t)
		expectExit(t, server, wine, 0, "ends: the client closed the connection")
	})

	// 1 MiB in 16 lines of 64 KiB, the longest the server takes (and their
	// 16 newlines), written
	// while the answers are read, so that neither side's buffers fill.
	t.Run("1 MiB in lines", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
		sent := bytes.ReplaceAll(testkit.Bytes(16*(maxLine+1)), []byte("\n"), []byte("|"))
		var want bytes.Buffer
		for i := 0; i < len(sent); i += maxLine + 1 {
			sent[i+maxLine] = '\n'
			fmt.Fprintf(&want, "Message received - %s", sent[i:i+maxLine+1])
		}
		c := dial(t, server.Port)
		go func() {
			c.Write(sent)
			c.CloseWrite()
		}()
		got, err := io.ReadAll(c.answers)
		if err != nil || !bytes.Equal(got, want.Bytes()) {
			t.Errorf("answers: %d bytes (%v), want the %d bytes of 16 answers", len(got), err, want.Len())
		}
		expectExit(t, server, wine, 0, "ends: the client closed the connection")
	})

	// A line one byte over the limit is refused, and that client dropped.
	// The server closes with bytes unread, which resets the connection: the
	// client may read the refusal or only the reset.
	t.Run("line over 64 KiB", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
		c := dial(t, server.Port)
		go c.Write(bytes.Repeat([]byte("x"), 1<<20))
		got, err := io.ReadAll(c.answers)
		refused := fmt.Sprintf("error: line longer than %d bytes; closing the connection\n", maxLine)
		if string(got) != refused && !(len(got) == 0 && errors.Is(err, syscall.ECONNRESET)) {
			t.Errorf("got %q, %v; want %q or a reset", got, err, refused)
		}
		expectExit(t, server, wine, 0, `(?s)thread 2 refuses a line over 65536 bytes\n.*thread 2 ends: line too long\n`)
	})

	// A client that resets (SO_LINGER 0) while another is served: its
	// thread ends with one line, and the other client does not notice.
	t.Run("reset", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "2", "-addr", "127.0.0.1:0")
		other, reset := dial(t, server.Port), dial(t, server.Port)
		other.say(t, "before")
		reset.say(t, "hello")
		reset.SetLinger(0)
		reset.Close()
		other.say(t, "after")
		other.CloseWrite()
		other.expectClosed(t)
		// Wine, unlike Windows, may report the reset to a waiting recv as
		// the end of the stream (see chapter 01).
		pattern := `thread 3 ends: (read|recv) 127.0.0.1: connection reset by peer \((ECONNRESET|WSAECONNRESET)\)`
		if wine {
			pattern = `thread 3 ends: (recv 127.0.0.1: connection reset by peer \(WSAECONNRESET\)|the client closed the connection)`
		}
		expectExit(t, server, wine, 0, pattern)
	})

	// A client that shuts down sending after a last line without its
	// newline: that line is answered, then the server closes.
	t.Run("half-close", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0")
		c := dial(t, server.Port)
		c.Write([]byte("first\nlast"))
		c.CloseWrite()
		for _, want := range []string{"Message received - first", "Message received - last"} {
			if got := c.answer(t); got != want {
				t.Errorf("answer %q, want %q", got, want)
			}
		}
		c.expectClosed(t)
		expectExit(t, server, wine, 0, "ends: the client closed the connection")
	})

	// Many clients at once, within -max-threads, each sending its lines a
	// few bytes per write, so that lines split across recv calls and merge
	// within them.
	t.Run("many at once", func(t *testing.T) {
		const clients = 40
		server := program.StartServer(t, "server", "-trace", "-max-threads", "64",
			"-clients", fmt.Sprint(clients), "-addr", "127.0.0.1:0")
		var wg sync.WaitGroup
		for i := range clients {
			c := dial(t, server.Port)
			wg.Go(func() {
				var text, want strings.Builder
				for j := range 10 {
					fmt.Fprintf(&text, "client %d line %d\n", i, j)
					fmt.Fprintf(&want, "Message received - client %d line %d\n", i, j)
				}
				text.WriteString("quit\n")
				want.WriteString("quit\n")
				go func() {
					for s := text.String(); len(s) > 0; s = s[min(7, len(s)):] {
						c.Write([]byte(s[:min(7, len(s))]))
					}
				}()
				got, err := io.ReadAll(c.answers)
				if err != nil || string(got) != want.String() {
					t.Errorf("client %d got %q (%v), want %q", i, got, err, want.String())
				}
			})
		}
		wg.Wait()
		out := expectExit(t, server, wine, 0, "served 40 clients")
		if n := strings.Count(out, "ends: the client sent quit\n"); n != clients {
			t.Errorf("%d threads ended on quit, want %d", n, clients)
		}
	})

	// A client that resets before the server accepts it: Linux accepts it
	// and recv reports the reset; Winsock's accept fails, and the server
	// must go on accepting. We stop it with Ctrl-C.
	t.Run("reset before accept", func(t *testing.T) {
		server := program.StartServer(t, "server", "-trace", "-addr", "127.0.0.1:0")
		c := dial(t, server.Port)
		c.SetLinger(0)
		c.Close()
		next := dial(t, server.Port)
		next.say(t, "still here")
		out, status := server.InterruptAndWait(t)
		if status != 0 && !(wine && status == testkit.KilledBySignal) {
			t.Errorf("exit status %d, want 0; the server printed:\n%s", status, out)
		}
		if problems := closeProblems(out); len(problems) > 0 {
			t.Errorf("%s\nthe trace:\n%s", strings.Join(problems, "\n"), out)
		}
	})
}
