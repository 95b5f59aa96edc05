package main

// The server as the grading tests see it: how it exits, the line of counts
// it prints then, and what it said when something failed.

import (
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"iomodels/testkit"
)

// counts is the line the server prints as it exits, by name: "clients",
// "bytes echoed", "recv completions", and each half's own ("recv
// requests" and "out of buffers" on Linux, "threads that waited on the
// port" on Windows).
type counts map[string]int

// countsLine is that line: "clients: 3, bytes echoed: 120, ...".
var countsLine = regexp.MustCompile(`(?m)^clients: \d+(, [a-z ]+: \d+)*$`)

// stop sends the server Ctrl-C, checks that it exits 0 within a few
// seconds, and returns the counts it printed. If the clients failed, it
// says so, after what the server said about it, which comes first.
func stop(t *testing.T, b *build, server *testkit.Server, clientsFailed error) counts {
	t.Helper()
	// The server may have stopped by itself, after a failure: os.Process
	// then says it is done, and we only wait.
	if p, err := os.FindProcess(server.Pid()); err == nil {
		p.Signal(os.Interrupt)
	}
	out, status := server.Wait(t)
	if clientsFailed != nil {
		t.Fatal(clientsSaw(b, out, clientsFailed))
	}
	return exited(t, b, server, out, status, "after Ctrl-C")
}

// exited checks that the server, which has exited (when says when), did
// so with status 0, and returns the counts it printed.
func exited(t *testing.T, b *build, server *testkit.Server, out string, status int, when string) counts {
	t.Helper()
	// Wine now and then ends a program as it exits, once its last line is
	// out: "interrupt: server stopped" after Ctrl-C, or its counts when it
	// stops by itself. Server.ExitAccepted accepts that, under Wine only.
	last := lastLine(out)
	whole := strings.HasSuffix(last, "server stopped") || countsLine.MatchString(last)
	if status != 0 && !(whole && server.ExitAccepted(t, status, 0, out, last)) {
		t.Fatalf("%s the server exited with status %d, want 0.%s%s",
			when, status, onNewLine(serverSaid(out, true)), onNewLine(b.hints.whyNotStopped(out)))
	}
	got, line := readCounts(out)
	if line == "" {
		t.Fatalf("the server printed no line of counts as it exited; it printed:\n%s", testkit.LastLines(out, 15))
	}
	t.Cleanup(func() { t.Log(line) }) // after any failure, which then comes first
	return got
}

// clientsSaw says what went wrong for clients that failed: what the server
// said first, if it said something as it served them, as the likelier
// cause; else what the clients saw, and the likely mistake behind it.
// (What it said as it stopped, after they failed, is no cause.)
func clientsSaw(b *build, out string, failed error) string {
	if said := serverSaid(out, false); said != "" {
		return said + "\nMeanwhile, " + failed.Error()
	}
	got, _ := readCounts(out)
	switch {
	case errors.Is(failed, errClosed):
		return failed.Error() + ".\n" + b.hints.closed
	case errors.Is(failed, errStalled):
		return failed.Error() + ".\n" + b.hints.whyStuck(got)
	}
	return failed.Error()
}

// readCounts finds the line of counts in what the server printed, and
// returns it, and the counts it holds; "" and none if there is none.
func readCounts(out string) (counts, string) {
	got := counts{}
	line := countsLine.FindString(out)
	if line == "" {
		return got, ""
	}
	for _, field := range strings.Split(line, ", ") {
		name, value, _ := strings.Cut(field, ": ")
		got[name], _ = strconv.Atoi(value)
	}
	return got, line
}

// failureLine is a line the server prints when something failed: a call
// and its error's name, a crash, a data race; stopFailure, one it prints
// when its stop timed out or left something behind.
var (
	failureLine = regexp.MustCompile(`\([A-Z][A-Z0-9_]+\)|^panic: |^fatal error: |DATA RACE`)
	stopFailure = regexp.MustCompile(`did not stop|^stop: `)
)

// clientLeft is a send or recv that failed because a client had gone:
// our clients leave with data unread only once they have failed, which
// the test says already, or when the test resets them on purpose.
var clientLeft = regexp.MustCompile(`^(send|recv|WSARecv|WSASend) .*\(` +
	`(ECONNRESET|EPIPE|ERROR_NETNAME_DELETED|WSAECONNRESET|ERROR_CONNECTION_ABORTED)\)`)

// serverSaid returns the first line in out that says something failed (or
// its stop did, with atStop), as "The server said: ...", with what it
// likely means; or "".
func serverSaid(out string, atStop bool) string {
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		failed := failureLine.MatchString(line) && !clientLeft.MatchString(line)
		if !failed && !(atStop && stopFailure.MatchString(line)) {
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

// lastLine is the last line of out.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	return lines[len(lines)-1]
}

// onNewLine returns s on a line of its own, or "" if s is.
func onNewLine(s string) string {
	if s == "" {
		return ""
	}
	return "\n" + s
}
