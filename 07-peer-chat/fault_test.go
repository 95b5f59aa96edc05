package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// The fault tests of CONVENTIONS that apply to a chat of two: a client of
// Go's net package does to the server what a careless or hostile peer
// would, and the server must print what it can, or fail with one clear
// line, and close every socket it opened.

func TestFaults(t *testing.T) {
	testFaults(t, testkit.NativeProgram("07-peer-chat", nativeBinary), false)
}

// Wine, unlike Windows, may report a connection reset to a recv already
// waiting as an orderly end-of-stream (see 01-blocking); resetMayBeEOF
// accepts "peer left" there.
func TestFaultsWine(t *testing.T) {
	testFaults(t, testkit.WineProgram(t, "07-peer-chat", windowsBinary), true)
}

func testFaults(t *testing.T, program *testkit.Program, resetMayBeEOF bool) {
	// A peer that resets (SO_LINGER 0) after one line: the server's recv
	// fails, and it says so in one line and exits 1.
	t.Run("peer resets", func(t *testing.T) {
		server := startPeer(t, program, "server", "-trace", "-addr", "127.0.0.1:0")
		port := server.waitFor(t, `^listening on 127\.0\.0\.1:(\d+)$`)[1]
		conn := dial(t, port)
		conn.Write([]byte("hello\n"))
		server.waitFor(t, `^peer: hello$`)
		conn.SetLinger(0)
		conn.Close()
		end := server.waitFor(t, `connection reset by peer \(|^peer left$`)[0]
		status := server.exit(t)
		reported := status == 1 && end != "peer left"
		tookAsEOF := resetMayBeEOF && status == 0 && end == "peer left"
		if !reported && !tookAsEOF {
			t.Errorf("server exited %d after %q, want 1 with the reset named", status, end)
		}
		t.Logf("the reset ended the server with %q, exit %d", end, status)
		server.keys.Close()
		expectAllClosed(t, server)
	})

	// One peer at a time, as in the seed: the server closes its listening
	// socket once its peer is there, so a second one is refused.
	t.Run("a second peer", func(t *testing.T) {
		server := startPeer(t, program, "server", "-trace", "-addr", "127.0.0.1:0")
		port := server.waitFor(t, `^listening on 127\.0\.0\.1:(\d+)$`)[1]
		first := dial(t, port)
		server.waitFor(t, `^peer connected from 127\.0\.0\.1$`)
		if second, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
			second.Close()
			t.Error("a second peer could connect")
		}
		first.CloseWrite()
		server.waitFor(t, `^peer left$`)
		if status := server.exit(t); status != 0 {
			t.Errorf("server exited %d, want 0", status)
		}
		expectAllClosed(t, server)
	})

	// A peer that sends a line of 1 MiB, then a short one, then half-closes:
	// the server shows the first maxLine bytes of the long line and says how
	// much it dropped, then the next line whole.
	t.Run("1 MiB line from the peer", func(t *testing.T) {
		server := startPeer(t, program, "server", "-trace", "-addr", "127.0.0.1:0")
		port := server.waitFor(t, `^listening on 127\.0\.0\.1:(\d+)$`)[1]
		conn := dial(t, port)
		go func() {
			conn.Write(append(bytes.Repeat([]byte("x"), 1<<20), "\nafter\n"...))
			conn.CloseWrite()
		}()
		shown := server.waitFor(t, `^peer: (x*)$`)[1]
		if len(shown) != maxLine {
			t.Errorf("the server showed %d bytes of the long line, want %d", len(shown), maxLine)
		}
		server.waitFor(t, fmt.Sprintf(`^\(the line went on for %d more bytes, not shown\)$`, 1<<20-maxLine))
		server.waitFor(t, `^peer: after$`)
		server.waitFor(t, `^peer left$`)
		if status := server.exit(t); status != 0 {
			t.Errorf("server exited %d, want 0", status)
		}
		expectAllClosed(t, server)
	})

	// Our client types a line of 1 MiB: it goes to the peer whole, in
	// pieces of maxLine bytes, while the keyboard flow never holds more.
	t.Run("1 MiB line typed", func(t *testing.T) {
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer listener.Close()
		client := startPeer(t, program, "client", "-addr", listener.Addr().String())
		conn, err := listener.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		line := append(testkit.Bytes(1<<20), '\n')
		line = bytes.ReplaceAll(line, []byte("\n"), []byte(" "))
		line[len(line)-1] = '\n'
		go func() {
			client.keys.Write(line)
			client.keys.Close()
		}()
		conn.SetDeadline(time.Now().Add(60 * time.Second))
		got, err := io.ReadAll(conn) // until the client shuts down sending
		if err != nil || !bytes.Equal(got, line) {
			t.Errorf("got %d bytes (%v), want the %d typed, equal=%v", len(got), err, len(line), bytes.Equal(got, line))
		}
		conn.Close()
		client.waitFor(t, `^peer left$`)
		if status := client.exit(t); status != 0 {
			t.Errorf("client exited %d, want 0", status)
		}
	})

	// Both sides type 1 MiB at once, in lines of 1000 bytes. Each side
	// reads the socket while it writes it, so neither send can block for
	// good: the seed's two flows, and our two goroutines, are what make
	// that so (chapter 01's client, which sends all before it reads, must
	// stop at 64 KiB).
	t.Run("both typing at once", func(t *testing.T) {
		server := startPeer(t, program, "server", "-trace", "-addr", "127.0.0.1:0")
		port := server.waitFor(t, `^listening on 127\.0\.0\.1:(\d+)$`)[1]
		client := startPeer(t, program, "client", "-trace", "-addr", "127.0.0.1:"+port)
		const count = 1049
		var wg sync.WaitGroup
		for _, side := range []struct {
			name     string
			from, to *peer
		}{{"server", server, client}, {"client", client, server}} {
			wg.Go(func() {
				for i := range count {
					fmt.Fprintf(side.from.keys, "%s %04d %s\n", side.name, i, strings.Repeat("-", 988))
				}
			})
			wg.Go(func() {
				for i := range count {
					side.to.waitFor(t, fmt.Sprintf(`^peer: %s %04d -{988}$`, side.name, i))
				}
			})
		}
		wg.Wait()
		// Everything arrived, in order; now both stop typing.
		server.keys.Close()
		client.keys.Close()
		for _, p := range []*peer{server, client} {
			p.waitFor(t, `^peer left$`)
			if status := p.exit(t); status != 0 {
				t.Errorf("exited %d, want 0:\n%s", status, p.all.String())
			}
			expectAllClosed(t, p)
		}
	})
}
