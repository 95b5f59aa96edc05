package main

import (
	"regexp"
	"strings"
	"testing"

	"iomodels/testkit"
)

// expectExit waits for the server, checks its exit status and a line of
// its output, and, with trace, that every socket it opened was closed.
func expectExit(t *testing.T, server *testkit.Server, status int, line string, trace bool) (string, int) {
	t.Helper()
	out, got := server.Wait(t)
	if got != status || !strings.Contains(out, line) {
		t.Fatalf("server exited %d, want %d with a line containing %q; it printed:\n%s", got, status, line, out)
	}
	if leaked := unclosed(out); trace && len(leaked) > 0 {
		t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, out)
	}
	return out, got
}

var (
	opened = regexp.MustCompile(`= (sock \d+)`)
	closed = regexp.MustCompile(`close(?:socket)?\((sock \d+)\) = 0`)
)

// unclosed reads a trace and returns the sockets it opened but never closed.
func unclosed(trace string) []string {
	open := map[string]bool{}
	for _, m := range opened.FindAllStringSubmatch(trace, -1) {
		open[m[1]] = true
	}
	for _, m := range closed.FindAllStringSubmatch(trace, -1) {
		delete(open, m[1])
	}
	var names []string
	for name := range open {
		names = append(names, name)
	}
	return names
}
