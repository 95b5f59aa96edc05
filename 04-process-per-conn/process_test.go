package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"iomodels/testkit"
)

// The tests of the model itself: a child per client, -max-procs, Ctrl-C
// with children running, and nothing left behind. Natively on Linux they
// also look at the processes in /proc; under Wine, where the children are
// Wine's processes, they read the server's lines only.

func TestProcesses(t *testing.T) {
	testProcesses(t, testkit.NativeProgram("04-process-per-conn", nativeBinary), runtime.GOOS == "linux", false)
}

// Wine 8 sometimes ends the Windows build with SIGKILL as it exits after
// Ctrl-C, once it has printed its last line (as in chapter 01); wineKill
// accepts that exit there.
func TestProcessesWine(t *testing.T) {
	testProcesses(t, testkit.WineProgram(t, "04-process-per-conn", windowsBinary), false, true)
}

func testProcesses(t *testing.T, program *testkit.Program, procfs, wineKill bool) {
	stopped := func(t *testing.T, s *watchedServer) string {
		t.Helper()
		out, status := s.wait(t, true)
		if status != 0 && !wineEnded(wineKill, status, out) || !strings.Contains(out, "interrupt: server stopped\n") {
			t.Errorf("exit status %d, want 0 after Ctrl-C; the server printed:\n%s", status, out)
		}
		return out
	}

	// Five clients connected at once: five children, five processes.
	t.Run("a child for each client", func(t *testing.T) {
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
		if procfs {
			if pids := childPIDs(t, s.cmd.Process.Pid); len(pids) != 5 {
				t.Errorf("the server has %d child processes (%v), want 5", len(pids), pids)
			}
		}
		for _, c := range conns {
			c.Close()
		}
		s.waitFor(t, `(?s)(child \d exited.*){5}`)
		stopped(t, s)
	})

	// -max-procs 2: the third client is told "server busy" and closed; once
	// a child has exited, the next client is served again.
	t.Run("max procs", func(t *testing.T) {
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
		expectAllClosed(t, stopped(t, s))
	})

	// -max-procs 1: one child, so the busy line says "1 child serves",
	// not "1 children serve".
	t.Run("max procs 1", func(t *testing.T) {
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
		stopped(t, s)
	})

	// Ctrl-C with three children serving: each is told to stop, closes its
	// connection (the clients read end-of-stream) and is reaped, and the
	// server exits 0.
	t.Run("stop with children running", func(t *testing.T) {
		s := startWatched(t, program, "server", "-trace", "-addr", "127.0.0.1:0")
		var conns []*net.TCPConn
		for range 3 {
			c, _ := holdConn(t, s.Port)
			conns = append(conns, c)
		}
		var pids []int
		if procfs {
			pids = childPIDs(t, s.cmd.Process.Pid)
		}
		out := stopped(t, s)
		for n := 1; n <= 3; n++ {
			if !strings.Contains(out, fmt.Sprintf("child %d exited (status 0)\n", n)) {
				t.Errorf("child %d did not exit with status 0:\n%s", n, out)
			}
		}
		for i, c := range conns {
			if rest, err := io.ReadAll(c); err != nil || len(rest) != 0 {
				t.Errorf("client %d read %q, %v; want end-of-stream", i+1, rest, err)
			}
			c.Close()
		}
		for _, pid := range pids {
			if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err == nil {
				t.Errorf("child process %d is still there after the server exited", pid)
			}
		}
		expectAllClosed(t, out)
	})

	// After ten clients, one after another, no child process is left, not
	// even a zombie, and the server holds as many descriptors as before.
	t.Run("nothing left behind", func(t *testing.T) {
		s := startWatched(t, program, "server", "-trace", "-addr", "127.0.0.1:0")
		echo(t, s.Port, []byte("warm-up")) // the runtime opens what it needs once
		s.waitFor(t, `child 1 exited`)
		before := openFiles(t, s.cmd.Process.Pid, procfs)
		for i := 2; i <= 11; i++ {
			if got := echo(t, s.Port, []byte("hello")); string(got) != "hello" {
				t.Errorf("client %d got %q", i, got)
			}
			s.waitFor(t, fmt.Sprintf(`child %d exited \(status 0\)`, i))
		}
		if procfs {
			if pids := childPIDs(t, s.cmd.Process.Pid); len(pids) != 0 {
				t.Errorf("child processes left: %v", pids)
			}
			if after := openFiles(t, s.cmd.Process.Pid, procfs); after != before {
				t.Errorf("the server holds %d descriptors after ten clients, %d before", after, before)
			}
		}
		expectAllClosed(t, stopped(t, s))
	})
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

// openFiles counts the descriptors pid holds, from /proc/PID/fd.
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
