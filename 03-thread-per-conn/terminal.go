package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// stepTimeout bounds each step of the demo: a step that does not happen
// within it fails the demo instead of hanging it.
const stepTimeout = 10 * time.Second

// terminal collects what one side of the demo prints, as its own terminal
// window would show it, and lets the demo wait for a line to appear there,
// so that every step happens in the same order on every run.
type terminal struct {
	command string
	status  int

	mu      sync.Mutex
	output  bytes.Buffer
	changed chan struct{} // a token whenever output grows
}

func newTerminal(command string) *terminal {
	return &terminal{command: command, changed: make(chan struct{}, 1)}
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.output.Write(p)
	select {
	case t.changed <- struct{}{}:
	default:
	}
	return len(p), nil
}

// finish records how the side ended: its error line, if any, and its status.
func (t *terminal) finish(err error) {
	t.status = exitStatus(err, t)
}

// waitFor waits until text appears in the terminal count times.
func (t *terminal) waitFor(text string, count int) error {
	deadline := time.After(stepTimeout)
	for {
		t.mu.Lock()
		seen := strings.Count(t.output.String(), text)
		t.mu.Unlock()
		if seen >= count {
			return nil
		}
		select {
		case <-t.changed:
		case <-deadline:
			return fmt.Errorf("demo: %q did not appear in %q within %v", text, t.command, stepTimeout)
		}
	}
}

// show prints the terminal, with the port the system chose written PORT.
func (t *terminal) show(stdout io.Writer, title, port string) {
	t.mu.Lock()
	text := "% " + t.command + "\n" + t.output.String()
	t.mu.Unlock()
	text = strings.ReplaceAll(text, ":"+port, ":PORT")
	fmt.Fprintf(stdout, "\n-- %s --\n%s(exit status %d)\n", title, text, t.status)
}

// lockedWriter lets many threads print whole lines without interleaving.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format, args...)
}
