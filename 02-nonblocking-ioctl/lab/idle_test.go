package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The point of the task: with clients connected and silent, a server that
// waits in poll uses no CPU, and one that sleeps and tries again uses some
// all the time; and a line that arrives gets its reply at once.

// The measure of TestIdleServerUsesNoCPU: idleClients connect, each
// sends a line and reads its reply, three more come and leave (see
// leave), then all stay silent for idleTime. Measured under -race on a
// 2-core machine busy with other work (load average 15 to 20), a server
// that waits in poll used 0 to 3.1 ms of CPU meanwhile (ten runs); the
// starter, sleeping 1 ms between passes, 420 to 506 ms; loops that never
// wait (a timeout of 0, pollOut asked on every client, closed sockets
// left in the array) 0.45 to 2.2 s. maxIdleShare, 30 ms, sits between
// them with a wide margin on each side. A timeout of 10 ms costs 64 to
// 77 ms (51 to 59 without -race), and fails; one of 100 ms costs 10 to 19
// ms, and passes.
const (
	idleClients  = 20
	idleTime     = 3 * time.Second
	maxIdleShare = 0.01 // of one core
)

// maxRoundTrip bounds the median time a line waits for its reply, in
// TestRepliesAtOnce. A server that waits in poll answered in 0.07 to 1.8
// ms (the median, measured as above); one that sleeps between passes
// makes a line wait up to its sleep.
const maxRoundTrip = 10 * time.Millisecond

// TestIdleServerUsesNoCPU is the point of the task: the CPU time the
// server uses while idleClients are connected and silent for idleTime,
// after three others have left.
// Under Wine, part of every socket call runs in another process
// (wineserver), so the test runs natively only.
func TestIdleServerUsesNoCPU(t *testing.T) {
	idle := idleCPU(t)
	share := float64(idle) / float64(idleTime)
	t.Logf("%d clients silent for %v: the server used %v of CPU, %.1f%% of a core",
		idleClients, idleTime, idle.Round(100*time.Microsecond), 100*share)
	if share > maxIdleShare {
		t.Errorf("while its %d clients were silent for %v, the server used %v of CPU time, %.1f%% of a core; want under %.0f%%.\n"+
			"A server with nothing to do should wait in poll (WSAPoll) until a socket is ready, and none is: "+
			"does the loop still sleep between passes? Does poll get a timeout other than -1 (0 means do not wait)? "+
			"Does it ask for pollOut on a socket with nothing to send (one that is always ready)? "+
			"Does the array still hold clients that left (srv.forgetClosed drops them), whose closed sockets are always ready?",
			idleClients, idleTime, idle.Round(100*time.Microsecond), 100*share, 100*maxIdleShare)
	}
}

// idleCPU returns the CPU time (user and system) the server used while
// its clients were silent. Linux tells a running process's CPU time in
// /proc, so we read it before and after the silence (see procCPU). Elsewhere
// we can read only a whole run's, once the server has exited, so we
// subtract that of a run without the silence; start-up and exit make
// that measure noisier.
func idleCPU(t *testing.T) time.Duration {
	if runtime.GOOS == "linux" {
		var before, after time.Duration
		runServer(t, func(pid int) {
			before = procCPU(t, pid)
			time.Sleep(idleTime) // what we measure: the CPU time used while nobody talks
			after = procCPU(t, pid)
		})
		return max(after-before, 0) // a thread that exited takes its time along
	}
	base := runServer(t, func(int) {})
	total := runServer(t, func(int) { time.Sleep(idleTime) })
	return max(total-base, 0)
}

// procCPU returns the CPU time a running process has used: the sum over
// its threads of the time the scheduler ran them, in nanoseconds, the
// first field of /proc/PID/task/TID/schedstat (proc(5)). utime and stime
// in /proc/PID/stat would do, but the kernel samples them at each clock
// tick, in steps of 10 ms: a server that ran for 0.2 ms may show 10 or 20.
// Where schedstat is missing (a kernel without CONFIG_SCHED_INFO), we
// read them all the same.
func procCPU(t *testing.T, pid int) time.Duration {
	t.Helper()
	threads, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	var sum time.Duration
	for _, thread := range threads {
		schedstat, err := os.ReadFile(thread)
		fields := strings.Fields(string(schedstat))
		if err != nil || len(fields) == 0 {
			return statCPU(t, pid)
		}
		ns, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return statCPU(t, pid)
		}
		sum += time.Duration(ns)
	}
	if len(threads) == 0 {
		return statCPU(t, pid)
	}
	return sum
}

// statCPU reads the CPU time a running process has used from
// /proc/PID/stat (proc(5)): utime and stime, the 14th and 15th fields,
// counted in ticks of 1/100 s (USER_HZ).
func statCPU(t *testing.T, pid int) time.Duration {
	t.Helper()
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	// The second field, the command's name in parentheses, may hold
	// spaces, so we count the fields after it: utime is the 12th.
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	utime, err1 := strconv.Atoi(fields[11])
	stime, err2 := strconv.Atoi(fields[12])
	if err1 != nil || err2 != nil {
		t.Fatalf("cannot read the CPU time in /proc/%d/stat: %q", pid, stat)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// TestRepliesAtOnce sends lines one after another, each as soon as the
// last reply came, with idleClients connected and silent, and checks the
// median time a line waits for its reply. A server that sleeps between
// passes makes every line wait for it to wake.
func TestRepliesAtOnce(t *testing.T) {
	server := native().StartServer(t, "-addr", "127.0.0.1:0")
	for range idleClients {
		defer dial(t, server.Port).Close()
	}
	conn := dial(t, server.Port)
	defer conn.Close()
	var times []time.Duration
	for i := range 21 {
		start := time.Now()
		if got, err := talk(conn, fmt.Sprintf("line %d\n", i)); err != nil {
			t.Fatalf("line %d got no reply (%v, got %q); %s", i, err, got, hint)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	median := times[len(times)/2]
	t.Logf("round trip: median %v, slowest %v", median, times[len(times)-1])
	if median > maxRoundTrip {
		t.Errorf("a line waited %v for its reply (the median of 21), want under %v: "+
			"does the loop still sleep? poll returns as soon as a socket is ready", median, maxRoundTrip)
	}
}
