package main

import (
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"iomodels/testkit"
)

// TestDemoTrace runs the demo with -trace. Its lines are those of the
// transcript in testdata/*/demo.ct plus the calls; while the server stops,
// the calls of the server and of child 1 interleave differently from run
// to run, so this test checks the lines that matter instead of them all.
func TestDemoTrace(t *testing.T) {
	run := func(t *testing.T, program *testkit.Program, want []string) {
		out, status := program.Run(t, "demo", "-trace")
		if status != 0 {
			t.Fatalf("demo -trace exited %d:\n%s", status, out)
		}
		for _, line := range append(want, "child 1 exited (status 0)", "interrupt: server stopped") {
			if !strings.Contains(out, line+"\n") {
				t.Errorf("missing the line %q:\n%s", line, out)
			}
		}
		// Each terminal's trace is one process's, except the server's,
		// which holds its children's lines too.
		for _, terminal := range regexp.MustCompile(`\n-- `).Split(out, -1) {
			expectAllClosed(t, terminal)
		}
	}
	t.Run("native", func(t *testing.T) {
		if runtime.GOOS == "windows" {
			t.Skip("the Windows lines are checked under Wine")
		}
		run(t, chapter.Native(), []string{
			fmt.Sprintf(formatStartChild, 1, "sock 2") + " = 0",
			"kill(child 1, SIGTERM) = 0",
			"setsockopt(sock 1, SOL_SOCKET, SO_REUSEADDR, 1) = 0",
			"bind(sock 1, 127.0.0.1:PORT) = -1 EADDRINUSE",
		})
	})
	t.Run("wine", func(t *testing.T) {
		run(t, chapter.Wine(t), []string{
			"CreateProcess+WSADuplicateSocketW(child 1, sock 2) = 0",
			"CloseHandle(child 1's stdin) = 0",
			"setsockopt(sock 1, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1) = 0",
		})
	})
}
