package main

import (
	"io"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestReuseAddr is the demo's restart, with a program of each kind: a
// server stopped while a client is connected closes that connection first,
// so its side waits in TIME_WAIT; a server started at once on the same
// port binds only with -reuseaddr. Under Wine the restart without the
// option listens too (every run here): Wine's sockets are Linux sockets,
// and Wine lets bind over TIME_WAIT as Windows does.
func TestReuseAddr(t *testing.T) {
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("see the Wine case")
		}
		reuseAddr(t, chapter.Native(), "address already in use (EADDRINUSE)")
	})
	t.Run("wine", func(t *testing.T) { reuseAddr(t, chapter.Wine(t), "") })
}

// reuseAddr is TestReuseAddr with one build, whose restart without
// -reuseaddr fails with refused, or listens if refused is "".
func reuseAddr(t *testing.T, program *testkit.Program, refused string) {
	first := startWatched(t, program, "server", "-addr", "127.0.0.1:0")
	conn, _ := holdConn(t, first.Port)
	if first.stop(t); t.Failed() {
		t.FailNow()
	}
	if rest, err := io.ReadAll(conn); err != nil || len(rest) != 0 {
		t.Fatalf("the client read %q, %v after the server stopped; want end-of-stream", rest, err)
	}
	conn.Close()

	without := startWatched(t, program, "server", "-reuseaddr=false", "-addr", "127.0.0.1:"+first.Port)
	out, status := without.wait(t, without.Port != "")
	if refused != "" && (status != 1 || !strings.Contains(out, refused)) {
		t.Errorf("without -reuseaddr: exit %d, want 1 with %q:\n%s", status, refused, out)
	}
	if refused == "" && without.Port == "" {
		t.Errorf("without -reuseaddr the server did not listen:\n%s", out)
	}
	with := startWatched(t, program, "server", "-addr", "127.0.0.1:"+first.Port)
	if with.Port == "" {
		t.Errorf("with -reuseaddr the server did not listen:\n%s", with.output())
		return
	}
	with.stop(t)
}
