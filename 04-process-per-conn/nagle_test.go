package main

import (
	"io"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestNagle checks TCP_NODELAY on the server's side: by default the server
// sets it on every socket it accepts, right after accept, and says so in
// its trace; with -nagle it leaves Nagle's algorithm on and the trace has
// no such line. The client's line is in the transcripts (testdata/*/trace.ct).
func TestNagle(t *testing.T) { testNagle(t, chapter.Native()) }

func TestNagleWine(t *testing.T) { testNagle(t, chapter.Wine(t)) }

func testNagle(t *testing.T, program *testkit.Program) {
	const line = "setsockopt(sock 2, IPPROTO_TCP, TCP_NODELAY, 1) = 0\n"
	for _, nagle := range []bool{false, true} {
		name := "default"
		args := []string{"server", "-trace", "-clients", "1", "-addr", "127.0.0.1:0"}
		if nagle {
			name = "-nagle"
			args = append(args, "-nagle")
		}
		t.Run(name, func(t *testing.T) {
			s := program.StartServer(t, args...)
			c, first := holdConn(t, s.Port)
			if first != "x" {
				t.Fatalf("the client got %q, want its echo %q", first, "x")
			}
			c.CloseWrite()
			io.ReadAll(c)
			c.Close()
			out := s.ExpectExit(t, 0, "child 1 exited (status 0)")
			accepted := strings.Index(out, "accept(sock 1) = sock 2")
			set := strings.Index(out, line)
			switch {
			case accepted < 0:
				t.Fatalf("no accept in the trace:\n%s", out)
			case nagle && set >= 0:
				t.Errorf("with -nagle the server set TCP_NODELAY:\n%s", out)
			case !nagle && set < 0:
				t.Errorf("the server did not set TCP_NODELAY on the socket it accepted (want %q):\n%s", line, out)
			case !nagle && strings.Contains(out[accepted:set], "serves"):
				t.Errorf("the server set TCP_NODELAY after it handed the socket on, want right after accept:\n%s", out)
			}
		})
	}
}
