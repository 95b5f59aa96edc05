package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
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
// sends a line and reads its reply, then all stay silent for idleTime.
// Measured under -race on a loaded 2-core machine, a server that waits in
// poll used 0 ms of CPU meanwhile, 10 ms once (Linux counts it in steps
// of 10 ms); the starter, sleeping 1 ms between passes, used 100 to 370 ms
// (3.3 % to 12.3 % of a core). maxIdleShare, 30 ms, sits between the two
// with a wide margin on each side.
const (
	idleClients  = 20
	idleTime     = 3 * time.Second
	maxIdleShare = 0.01 // of one core
)

// maxRoundTrip bounds the median time a line waits for its reply, in
// TestRepliesAtOnce. A server that waits in poll answered in 0.07 to 1.1
// ms (the median, measured as above); one that sleeps between passes
// makes a line wait up to its sleep.
const maxRoundTrip = 10 * time.Millisecond

// TestIdleServerUsesNoCPU is the point of the task: the CPU time the
// server uses while idleClients are connected and silent for idleTime.
// Under Wine, part of every socket call runs in another process
// (wineserver), so the test runs natively only.
func TestIdleServerUsesNoCPU(t *testing.T) {
	idle := idleCPU(t)
	share := float64(idle) / float64(idleTime)
	t.Logf("%d clients silent for %v: the server used %v of CPU, %.1f%% of a core",
		idleClients, idleTime, idle.Round(time.Millisecond), 100*share)
	if share > maxIdleShare {
		t.Errorf("while its %d clients were silent for %v, the server used %v of CPU time, %.1f%% of a core; want under %.0f%%.\n"+
			"A server with nothing to do should wait in poll (WSAPoll), not wake up to try every socket: "+
			"does the loop still sleep between passes? Does it ask for pollOut on a socket with nothing to send (one that is always ready)?",
			idleClients, idleTime, idle.Round(time.Millisecond), 100*share, 100*maxIdleShare)
	}
}

// idleCPU returns the CPU time (user and system) the server used while
// its clients were silent. Linux tells a running process's CPU time in
// /proc/PID/stat, so we read it before and after the silence. Elsewhere
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
		return after - before
	}
	base := runServer(t, func(int) {})
	total := runServer(t, func(int) { time.Sleep(idleTime) })
	return max(total-base, 0)
}

// procCPU reads the CPU time a running process has used from
// /proc/PID/stat (proc(5)): utime and stime, the 14th and 15th fields,
// counted in ticks of 1/100 s (USER_HZ).
func procCPU(t *testing.T, pid int) time.Duration {
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

// runServer runs the server, connects idleClients that each send a line
// and read the reply, calls during with the server's process id, and
// returns the CPU time (user and system) the server used in its whole
// run, read once it has exited. It kills the server rather than stopping
// it with Ctrl-C, which works the same everywhere. testkit.Server does
// not give the process, so we start it here.
func runServer(t *testing.T, during func(pid int)) time.Duration {
	t.Helper()
	lab := native()
	cmd := exec.Command(lab.Argv[0], "-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), lab.Env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()

	// We wait for "listening on 127.0.0.1:PORT", then let the rest of the
	// output go.
	listening := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if port, ok := strings.CutPrefix(lines.Text(), "listening on 127.0.0.1:"); ok {
				listening <- port
			}
		}
	}()
	var port string
	select {
	case port = <-listening:
	case <-time.After(clientDeadline):
		t.Fatal(`the server printed no "listening on" line`)
	}

	for i := range idleClients {
		conn := dial(t, port)
		defer conn.Close()
		if got, err := talk(conn, fmt.Sprintf("hello from %d\n", i)); err != nil {
			t.Fatalf("client %d of %d got no reply to its line (%v, got %q); %s", i+1, idleClients, err, got, hint)
		}
	}
	during(cmd.Process.Pid)
	cmd.Process.Kill()
	cmd.Wait()
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
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
