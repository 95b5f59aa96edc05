package main

// The server as the grading tests see it: the line of counts it prints as
// it exits, what it said when something failed, and the CPU time it uses.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// counts is the line the server prints as it exits.
type counts struct{ clients, echoed, requests, completions, outOfBuffers int }

var countsLine = regexp.MustCompile(`clients: (\d+), bytes echoed: (\d+), recv requests: (\d+), recv completions: (\d+), out of buffers: (\d+)`)

// stop sends the server Ctrl-C, checks that it exits 0 within a few
// seconds, and returns the counts it printed. If the clients failed, it
// says so, after what the server said about it, which comes first.
func stop(t *testing.T, server *testkit.Server, clientsFailed error) counts {
	t.Helper()
	// The server may have stopped by itself, after a failure: os.Process
	// then says it is done, and we only wait.
	if p, err := os.FindProcess(server.Pid()); err == nil {
		p.Signal(os.Interrupt)
	}
	out, status := server.Wait(t)
	said := serverSaid(out)
	more := "" // said, after a failure message of ours
	if said != "" {
		more = "\n" + said
	}
	switch {
	case clientsFailed != nil && said != "":
		t.Fatalf("%s\nMeanwhile, %v", said, clientsFailed)
	case errors.Is(clientsFailed, errClosed):
		t.Fatalf("%v.\nA completion without IORING_CQE_F_MORE ends the recv, not the connection: "+
			"hang up only at res 0, or at an error other than -ENOBUFS.", clientsFailed)
	case errors.Is(clientsFailed, errStalled):
		t.Fatalf("%v.\n%s", clientsFailed, whyStalled(out))
	case clientsFailed != nil:
		t.Fatal(clientsFailed)
	case status != 0 && strings.Contains(out, "did not stop"):
		t.Fatalf("after Ctrl-C the server did not stop (status %d): something stays in flight. "+
			"Is a recv posted again after end-of-stream (res 0) or an error? It completes at once, for ever.%s",
			status, more)
	case status != 0:
		t.Fatalf("after Ctrl-C the server exited with status %d, want 0.%s", status, more)
	}
	m := countsLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the server printed no line of counts as it exited; it printed:\n%s", testkit.LastLines(out, 15))
	}
	t.Cleanup(func() { t.Log(m[0]) }) // after any failure, which then comes first
	n := make([]int, len(m))
	for i := 1; i < len(m); i++ {
		n[i], _ = strconv.Atoi(m[i])
	}
	return counts{n[1], n[2], n[3], n[4], n[5]}
}

// What a client sees when the server closed its connection, or when its
// echo stopped coming.
var (
	errClosed  = errors.New("the server closed the connection")
	errStalled = errors.New("the server stopped echoing")
)

// whyStalled says why a server likely stopped echoing, from its counts:
// either its recv ended and was not posted again, or the ring ran dry and
// stayed dry.
func whyStalled(out string) string {
	m := countsLine.FindStringSubmatch(out)
	if m == nil || m[5] == "0" {
		return "No recv ended with ENOBUFS: did one end with data (res > 0) but without IORING_CQE_F_MORE, " +
			"and the server not post it again (or not echo that last chunk)?"
	}
	return "The ring ran dry " + m[5] + " times. After -ENOBUFS, srv.waitForBuffer(c) posts the recv again " +
		"once a buffer is back: is each buffer given back (srv.bufs.giveBack in onEchoed) once its echo is sent?"
}

// failureLine is a line the server prints when something failed: a call
// and its error's name, a crash, a data race, a stop that timed out.
var failureLine = regexp.MustCompile(`\([A-Z][A-Z0-9]+\)|^panic: |^fatal error: |DATA RACE|did not stop`)

// clientLeft is a send or recv that failed because a client had gone:
// our clients leave with data unread only once they have failed, which
// the test says already.
var clientLeft = regexp.MustCompile(`^(send|recv) .*\((ECONNRESET|EPIPE)\)`)

// serverSaid returns the first line in out that says something failed,
// as "The server said: ...", with what it likely means; or "".
func serverSaid(out string) string {
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		if !failureLine.MatchString(line) || clientLeft.MatchString(line) {
			continue
		}
		said := "The server said: " + line
		switch {
		case strings.Contains(line, "(ENOBUFS)"):
			said += "\nENOBUFS is no failure of the client: the ring of buffers ran dry. " +
				"srv.waitForBuffer(c) posts the recv again once a buffer is back."
		case strings.HasPrefix(line, "panic: "):
			said += "\n" + whereInLab(lines[i:])
		}
		return said
	}
	return ""
}

// whereInLab returns where in the lab a panic happened: the first line of
// its stack in the code a student writes, else in any of the lab's files.
func whereInLab(stack []string) string {
	for _, file := range []string{"/lab/starter", "/lab/solution", "/lab/mutant_", "/lab/"} {
		for _, line := range stack {
			if strings.Contains(line, file) && strings.Contains(line, ".go:") {
				return "It crashed at " + strings.TrimSpace(line)
			}
		}
	}
	return "It crashed."
}

// processCPU reads the CPU time a running process has used from
// /proc/PID/stat (proc(5)): utime and stime, the 14th and 15th fields,
// counted in ticks of 1/100 s (USER_HZ).
func processCPU(pid int) (time.Duration, error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The second field, the command's name in parentheses, may hold
	// spaces, so we count the fields after it: utime is the 12th.
	fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if len(fields) < 13 {
		return 0, errors.New("too few fields in " + string(stat))
	}
	utime, err1 := strconv.Atoi(fields[11])
	stime, err2 := strconv.Atoi(fields[12])
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("cannot read the CPU time in /proc/%d/stat: %q", pid, stat)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}
