package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"

	"iomodels/testkit"
)

// TestFaults runs the fault tests of CONVENTIONS: clients of Go's net
// package do to the server what a careless or hostile client would. The
// server must answer every line byte for byte, or drop that one client
// with one clear line, keep serving the others, and close every socket it
// opened. The resets are in fault_reset_test.go.
func TestFaults(t *testing.T) {
	faults := []struct {
		name string
		run  func(*testing.T, *testkit.Program)
	}{
		{"every byte value", everyByteValue},
		{"1 MiB in lines", oneMiBInLines},
		{"line over 64 KiB", lineOver64KiB},
		{"reset", reset},
		{"half-close", halfClose},
		{"many at once", manyAtOnce},
		{"reset before accept", resetBeforeAccept},
	}
	forEachBuild(t, func(t *testing.T, program *testkit.Program) {
		for _, fault := range faults {
			t.Run(fault.name, func(t *testing.T) { fault.run(t, program) })
		}
	})
}

// startFor starts the server with -trace, to serve clients clients and
// exit.
func startFor(t *testing.T, program *testkit.Program, clients int, args ...string) *testkit.Server {
	t.Helper()
	args = append([]string{"server", "-trace", "-clients", fmt.Sprint(clients)}, args...)
	return program.StartServer(t, append(args, "-addr", "127.0.0.1:0")...)
}

// Every byte value but the newline, which ends the line.
func everyByteValue(t *testing.T, program *testkit.Program) {
	server := startFor(t, program, 1)
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
	expectServed(t, server, "ends: the client closed the connection")
}

// 1 MiB in 16 lines of 64 KiB, the longest the server takes (and their 16
// newlines), written while the answers are read, so that neither side's
// buffers fill.
func oneMiBInLines(t *testing.T, program *testkit.Program) {
	server := startFor(t, program, 1)
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
	expectServed(t, server, "ends: the client closed the connection")
}

var refusedThenEnded = regexp.MustCompile(`(?s)thread 2 refuses a line over 65536 bytes\n.*thread 2 ends: line too long\n`)

// A line one byte over the limit is refused, and that client dropped.
// The server closes with bytes unread, which resets the connection: the
// client may read the refusal or only the reset.
func lineOver64KiB(t *testing.T, program *testkit.Program) {
	server := startFor(t, program, 1)
	c := dial(t, server.Port)
	go c.Write(bytes.Repeat([]byte("x"), 1<<20))
	got, err := io.ReadAll(c.answers)
	refused := fmt.Sprintf("error: line longer than %d bytes; closing the connection\n", maxLine)
	if string(got) != refused && !(len(got) == 0 && errors.Is(err, syscall.ECONNRESET)) {
		t.Errorf("got %q, %v; want %q or a reset", got, err, refused)
	}
	out := expectServed(t, server, "thread 2 ends: line too long\n")
	if !refusedThenEnded.MatchString(out) {
		t.Errorf("thread 2 ends without a line %q before; the server printed:\n%s", "thread 2 refuses a line over 65536 bytes", out)
	}
}

// A client that shuts down sending after a last line without its
// newline: that line is answered, then the server closes.
func halfClose(t *testing.T, program *testkit.Program) {
	server := startFor(t, program, 1)
	c := dial(t, server.Port)
	c.Write([]byte("first\nlast"))
	c.CloseWrite()
	for _, want := range []string{"Message received - first", "Message received - last"} {
		if got := c.answer(t); got != want {
			t.Errorf("answer %q, want %q", got, want)
		}
	}
	c.expectClosed(t)
	expectServed(t, server, "ends: the client closed the connection")
}

// Many clients at once, within -max-threads, each sending its lines a few
// bytes per write, so that lines split across recv calls and merge within
// them.
func manyAtOnce(t *testing.T, program *testkit.Program) {
	const clients = 40
	server := startFor(t, program, clients, "-max-threads", "64")
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
	out := expectServed(t, server, "served 40 clients")
	if n := strings.Count(out, "ends: the client sent quit\n"); n != clients {
		t.Errorf("%d threads ended on quit, want %d", n, clients)
	}
}
