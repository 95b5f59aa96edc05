package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// What Linux tells of the room in /proc/PID (see proc(5)): the peak of its
// resident memory, and its open sockets. Elsewhere, and under Wine, where
// the process the test started is Wine's, the tests do without them.

// measurable tells whether the test can look at the room in /proc.
func measurable(program *testkit.Program) bool {
	return program == native && runtime.GOOS == "linux"
}

// memoryGrowth bounds how much the room's peak resident set may grow while
// a test sends it 32 MiB that it need not keep. The reference solution's
// grows by 1 to 6 MiB, garbage the Go runtime has not yet collected; a
// room that keeps the 32 MiB grows by that much at least. Built with
// -race, the room's memory has a shadow the race detector keeps: the
// reference's grows by up to 15 MiB, so the bound is three times higher.
func memoryGrowth() int64 {
	if raceBuild() {
		return 48 << 20
	}
	return 16 << 20
}

// raceBuild tells whether the tests, and so the room, were built with -race.
func raceBuild() bool {
	info, ok := debug.ReadBuildInfo()
	return ok && slices.Contains(info.Settings, debug.BuildSetting{Key: "-race", Value: "true"})
}

// memoryWatch is the room's peak resident set when the test began to send.
type memoryWatch struct {
	pid    int
	before int64
}

// watchMemory notes the room's peak resident set, or returns nil where the
// test cannot measure it (a nil watch checks nothing).
func watchMemory(t *testing.T, server *testkit.Server, program *testkit.Program) *memoryWatch {
	t.Helper()
	if !measurable(program) {
		return nil
	}
	before, err := peakMemory(server.Pid())
	if err != nil {
		t.Fatal(err)
	}
	return &memoryWatch{pid: server.Pid(), before: before}
}

// check fails the test if the room's peak resident set grew by more than
// memoryGrowth since watchMemory; what says what the test sent, and hint
// the likely mistake. It returns what it saw, for the test to log once it
// has passed (a log line before a failure would read as its cause).
func (w *memoryWatch) check(t *testing.T, what, hint string) string {
	t.Helper()
	if w == nil {
		return "the room's memory not measured"
	}
	after, err := peakMemory(w.pid)
	if err != nil {
		t.Fatal(err)
	}
	grown := after - w.before
	if limit := memoryGrowth(); grown > limit {
		t.Fatalf("%s, and the room's peak resident memory (VmHWM) grew by %.1f MiB, want at most %d MiB: the room held on to what it need not keep: %s",
			what, mib(grown), limit>>20, hint)
	}
	return fmt.Sprintf("the room's peak resident memory grew by %.1f MiB (from %.1f MiB)", mib(grown), mib(w.before))
}

// peakMemory reads VmHWM, in bytes, from /proc/PID/status.
func peakMemory(pid int) (int64, error) {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if value, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(value), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no VmHWM line", pid)
}

func mib(bytes int64) float64 { return float64(bytes) / (1 << 20) }

// expectSockets waits, at most wait, until the room has want sockets open
// (its listener and one per peer in the room), and fails if more stay
// open: the room did not close the socket of a peer that left. The room
// may close it a moment after the others hear that it left, so we look
// again every few milliseconds.
func expectSockets(t *testing.T, server *testkit.Server, program *testkit.Program, want int, after string) {
	t.Helper()
	if !measurable(program) {
		return
	}
	deadline := time.Now().Add(wait)
	for {
		open, err := openSockets(server.Pid())
		if err != nil {
			t.Fatal(err)
		}
		if open <= want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s, the room has %d sockets open, want %d (the listener and one per peer in the room): close the socket of a peer that left, whether it closed, reset or was dropped",
				after, open, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// openSockets counts the sockets among the room's open descriptors.
func openSockets(pid int) (int, error) {
	fds, err := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", pid))
	if err != nil {
		return 0, err
	}
	count := 0
	for _, fd := range fds {
		if target, err := os.Readlink(fd); err == nil && strings.HasPrefix(target, "socket:") {
			count++
		}
	}
	return count, nil
}
