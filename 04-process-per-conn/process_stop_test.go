package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"iomodels/testkit"
)

// The process tests that stop the server or its children (see
// process_test.go).

// Ctrl-C with three children serving: each is told to stop, closes its
// connection (the clients read end-of-stream) and is reaped, and the
// server exits 0.
func stopWithChildrenRunning(t *testing.T, program *testkit.Program) {
	s := startWatched(t, program, "server", "-trace", "-addr", "127.0.0.1:0")
	var conns []*net.TCPConn
	for range 3 {
		c, _ := holdConn(t, s.Port)
		conns = append(conns, c)
	}
	var pids []int
	if inProc(program) {
		pids = childPIDs(t, s.cmd.Process.Pid)
	}
	out := s.stop(t)
	for n := 1; n <= 3; n++ {
		if !strings.Contains(out, fmt.Sprintf("child %d exited (status 0)\n", n)) {
			t.Errorf("child %d did not exit with status 0:\n%s", n, out)
		}
	}
	for i, c := range conns {
		if rest, err := io.ReadAll(c); err != nil || len(rest) != 0 {
			t.Errorf("client %d read %q, %v; want end-of-stream", i+1, rest, err)
		}
	}
	for _, pid := range pids {
		if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
			t.Errorf("child process %d is still there after the server exited", pid)
		}
	}
	expectAllClosed(t, out)
}

// After ten clients, one after another, no child process is left, not
// even a zombie, and the server holds as many descriptors as before.
func nothingLeftBehind(t *testing.T, program *testkit.Program) {
	s := startWatched(t, program, "server", "-trace", "-addr", "127.0.0.1:0")
	testkit.Echo(t, s.Port, []byte("warm-up")) // the runtime opens what it needs once
	s.waitFor(t, `child 1 exited`)
	before := openFiles(t, s.cmd.Process.Pid, inProc(program))
	for i := 2; i <= 11; i++ {
		if got := testkit.Echo(t, s.Port, []byte("hello")); string(got) != "hello" {
			t.Errorf("client %d got %q", i, got)
		}
		s.waitFor(t, fmt.Sprintf(`child %d exited \(status 0\)`, i))
	}
	if inProc(program) {
		if pids := childPIDs(t, s.cmd.Process.Pid); len(pids) != 0 {
			t.Errorf("child processes left: %v", pids)
		}
		if after := openFiles(t, s.cmd.Process.Pid, true); after != before {
			t.Errorf("the server holds %d descriptors after ten clients, %d before", after, before)
		}
	}
	expectAllClosed(t, s.stop(t))
}

// childPIDs returns the processes whose parent is pid, zombies included:
// a child not yet reaped keeps its entry in /proc.
func childPIDs(t *testing.T, pid int) []int {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var pids []int
	for _, stat := range stats {
		data, err := os.ReadFile(stat)
		if err != nil {
			continue
		}
		fields := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			child, _ := strconv.Atoi(filepath.Base(filepath.Dir(stat)))
			pids = append(pids, child)
		}
	}
	return pids
}

// openFiles counts the descriptors pid holds, from /proc/PID/fd, or
// returns 0 where procfs is false.
func openFiles(t *testing.T, pid int, procfs bool) int {
	t.Helper()
	if !procfs {
		return 0
	}
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}
