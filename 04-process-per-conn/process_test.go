package main

import (
	"io"
	"net"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// The tests of the model itself: a child per client, -max-procs, Ctrl-C
// with children running, and nothing left behind. Natively on Linux they
// also look at the processes in /proc (inProc); under Wine, where the
// children are Wine's processes, they read the server's lines only. Each
// is a function below (the stops are in process_stop_test.go), run
// against both builds.
var processTests = []testkit.Case{
	{Name: "a child for each client", Test: aChildForEachClient},
	{Name: "max procs", Test: maxProcs},
	{Name: "max procs 1", Test: maxProcsOne},
	{Name: "stop with children running", Test: stopWithChildrenRunning},
	{Name: "nothing left behind", Test: nothingLeftBehind},
}

func TestProcesses(t *testing.T) { testkit.RunCases(t, chapter.Native(), processTests) }

func TestProcessesWine(t *testing.T) { testkit.RunCases(t, chapter.Wine(t), processTests) }

// inProc tells whether the program's processes are in /proc as its own:
// natively on Linux.
func inProc(program *testkit.Program) bool { return runtime.GOOS == "linux" && !program.UnderWine() }

// Five clients connected at once: five children, five processes.
func aChildForEachClient(t *testing.T, program *testkit.Program) {
	s := startWatched(t, program, "server", "-addr", "127.0.0.1:0")
	var conns []*net.TCPConn
	for range 5 {
		c, first := holdConn(t, s.Port)
		if first != "x" {
			t.Fatalf("a client got %q, want its echo %q", first, "x")
		}
		conns = append(conns, c)
	}
	out := s.output()
	if childCount(out) != 5 || strings.Contains(out, "exited") {
		t.Errorf("want 5 children serving at once:\n%s", out)
	}
	if inProc(program) {
		if pids := childPIDs(t, s.cmd.Process.Pid); len(pids) != 5 {
			t.Errorf("the server has %d child processes (%v), want 5", len(pids), pids)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	s.waitFor(t, `(?s)(child \d exited.*){5}`)
	s.stop(t)
}

// -max-procs 2: the third client is told "server busy" and closed; once a
// child has exited, the next client is served again.
func maxProcs(t *testing.T, program *testkit.Program) {
	s := startWatched(t, program, "server", "-trace", "-max-procs", "2", "-addr", "127.0.0.1:0")
	first, _ := holdConn(t, s.Port)
	second, _ := holdConn(t, s.Port)
	busy, reply := holdConn(t, s.Port)
	rest, _ := io.ReadAll(busy)
	if reply+string(rest) != busyReply {
		t.Errorf("the third client got %q, want %q", reply+string(rest), busyReply)
	}
	s.waitFor(t, `server busy: 2 children serve already \(-max-procs 2\); 127.0.0.1 turned away`)
	first.CloseWrite()
	io.ReadAll(first)
	s.waitFor(t, `child 1 exited \(status 0\)`)
	third, reply := holdConn(t, s.Port)
	if reply != "x" {
		t.Errorf("after child 1 exited a client got %q, want its echo", reply)
	}
	s.waitFor(t, `child 3 serves`)
	second.Close()
	third.Close()
	busy.Close()
	first.Close()
	expectAllClosed(t, s.stop(t))
}

// -max-procs 1: one child, so the busy line says "1 child serves", not "1
// children serve".
func maxProcsOne(t *testing.T, program *testkit.Program) {
	s := startWatched(t, program, "server", "-max-procs", "1", "-addr", "127.0.0.1:0")
	first, _ := holdConn(t, s.Port)
	busy, reply := holdConn(t, s.Port)
	rest, _ := io.ReadAll(busy)
	if reply+string(rest) != busyReply {
		t.Errorf("the second client got %q, want %q", reply+string(rest), busyReply)
	}
	s.waitFor(t, `server busy: 1 child serves already \(-max-procs 1\); 127.0.0.1 turned away`)
	busy.Close()
	first.Close()
	s.stop(t)
}

// holdConn connects and sends one byte, and returns the connection and
// what came back first: "x" when a child serves it (it then stays
// connected until the test closes it), or the busy reply.
func holdConn(t *testing.T, port string) (*net.TCPConn, string) {
	t.Helper()
	c := testkit.Dial(t, port)
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(busyReply))
	n, err := c.Read(got)
	if err != nil {
		t.Fatalf("reading the echo: %v", err)
	}
	return c, string(got[:n])
}

// childCount counts the lines "child N serves" in out.
func childCount(out string) int { return strings.Count(out, " serves 127.0.0.1\n") }
