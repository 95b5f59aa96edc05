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

// The fault tests (fault_test.go) of long lines, and of much typing.

// faultLongLineFromPeer: a peer that sends a line of 1 MiB, then a short
// one, then half-closes. The server shows the first maxLine bytes of the
// long line and says how much it dropped, then the next line whole.
func faultLongLineFromPeer(t *testing.T, program *testkit.Program) {
	server, port := startServer(t, program, "-trace")
	conn := testkit.Dial(t, port)
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
}

// faultLongLineTyped: our client types a line of 1 MiB. It goes to the
// peer whole, in pieces of maxLine bytes, while the keyboard flow never
// holds more.
func faultLongLineTyped(t *testing.T, program *testkit.Program) {
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
}

// faultBothTyping: both sides type 1 MiB at once, in lines of 1000 bytes.
// Each side reads the socket while it writes it, so neither send can
// block for good: the seed's two flows, and our two goroutines, are what
// make that so (chapter 01's client, which sends all before it reads,
// must stop at 64 KiB).
func faultBothTyping(t *testing.T, program *testkit.Program) {
	server, port := startServer(t, program, "-trace")
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
}
