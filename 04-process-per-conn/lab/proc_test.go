package main

// What the grading test reads in Linux's /proc about the server and its
// children: which processes they are, which descriptors each holds open,
// how long the server has been busy. Elsewhere, and under Wine (whose
// Windows handles /proc does not show), those checks are left out.

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// inProc tells whether /proc shows the server's processes as they are.
func (s *server) inProc() bool { return runtime.GOOS == "linux" && !s.program.UnderWine() }

// pid returns the server's process id, as /proc names it.
func (s *server) pid() string { return strconv.Itoa(s.cmd.Process.Pid) }

// children returns the server's child processes, from /proc on Linux (the
// children of each of its threads), or nil elsewhere and under Wine.
func (s *server) children(t *testing.T) []string {
	t.Helper()
	if !s.inProc() {
		return nil
	}
	lists, err := filepath.Glob("/proc/" + s.pid() + "/task/*/children")
	if err != nil || len(lists) == 0 {
		t.Fatalf("cannot list the server's child processes in /proc: %v", err)
	}
	pids := []string{}
	for _, list := range lists {
		data, _ := os.ReadFile(list)
		pids = append(pids, strings.Fields(string(data))...)
	}
	slices.Sort(pids)
	return pids
}

// descriptors returns the descriptors process pid holds open, each with
// what it is: "socket:[1234]", "pipe:[5678]", a file's path. A process
// that has exited has none, and an error.
func descriptors(pid string) (map[int]string, error) {
	dir := "/proc/" + pid + "/fd"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fds := map[int]string{}
	for _, e := range entries {
		fd, _ := strconv.Atoi(e.Name())
		// One may close as we read: it is then not open.
		if what, err := os.Readlink(filepath.Join(dir, e.Name())); err == nil {
			fds[fd] = what
		}
	}
	return fds, nil
}

// sockets returns the descriptors of fds that are sockets.
func sockets(fds map[int]string) map[int]string {
	only := map[int]string{}
	for fd, what := range fds {
		if strings.HasPrefix(what, "socket:") {
			only[fd] = what
		}
	}
	return only
}

// added returns the descriptors of now that before lacks, or had for something
// else.
func added(before, now map[int]string) map[int]string {
	out := map[int]string{}
	for fd, what := range now {
		if before[fd] != what {
			out[fd] = what
		}
	}
	return out
}

// change says how descriptors went from before to now: "now also 6
// socket:[1234]; no longer 7 pipe:[5678]".
func change(before, now map[int]string) string {
	var parts []string
	if more := added(before, now); len(more) > 0 {
		parts = append(parts, "now also "+list(more))
	}
	if gone := added(now, before); len(gone) > 0 {
		parts = append(parts, "no longer "+list(gone))
	}
	return strings.Join(parts, "; ")
}

// list writes descriptors as "3 socket:[1234], 5 pipe:[5678]".
func list(fds map[int]string) string {
	var parts []string
	for _, fd := range slices.Sorted(maps.Keys(fds)) {
		parts = append(parts, fmt.Sprintf("%d %s", fd, fds[fd]))
	}
	if parts == nil {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// pollEvery is how often settles looks again. No event says that another
// process has closed a descriptor, so we look until it has, or until
// waitLong has passed.
const pollEvery = 10 * time.Millisecond

// settles reports whether done becomes true within waitLong.
func settles(done func() bool) bool {
	deadline := time.Now().Add(waitLong)
	for !done() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(pollEvery)
	}
	return true
}

// busyTime returns how long the server's threads, all together, have so
// far been on a CPU or ready to run and waiting for one: the first two
// fields of each /proc/PID/task/TID/schedstat, in nanoseconds (see the
// kernel's Documentation/scheduler/sched-stats.rst). A thread asleep, as
// in a blocking receive, adds nothing, however busy the machine; a thread
// that never sleeps adds all the time that passes, however busy the
// machine: its CPU time would shrink on a loaded machine, this does not.
func (s *server) busyTime(t *testing.T) time.Duration {
	t.Helper()
	if !s.inProc() {
		return 0
	}
	stats, err := filepath.Glob("/proc/" + s.pid() + "/task/*/schedstat")
	if err != nil || len(stats) == 0 {
		t.Fatalf("cannot read the server's schedstat in /proc: %v", err)
	}
	var busy time.Duration
	for _, stat := range stats {
		data, err := os.ReadFile(stat)
		if err != nil {
			continue // a thread that has exited
		}
		var onCPU, waiting int64
		if _, err := fmt.Sscan(string(data), &onCPU, &waiting); err != nil {
			t.Fatalf("reading %s, %q: %v", stat, data, err)
		}
		busy += time.Duration(onCPU + waiting)
	}
	return busy
}
