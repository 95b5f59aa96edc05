package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// terminal collects what one side of the demo prints, as its own terminal
// window would show it, so that the demo can print each side whole and in
// order, and lets the demo wait for a line to appear there, so that every
// step happens in the same order on every run. The demo never sleeps.
type terminal struct {
	command string // shown after a "%" prompt; empty for a side the demo plays
	status  int

	mu      sync.Mutex
	output  bytes.Buffer
	seen    int           // how much of output waitFor has looked at
	changed chan struct{} // a token whenever output grows
}

func newTerminal(command string) *terminal {
	return &terminal{command: command, changed: make(chan struct{}, 1)}
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case t.changed <- struct{}{}:
	default:
	}
	return t.output.Write(p)
}

func (t *terminal) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.output.String()
}

// finish records how the side ended: its error line, if any, and its
// status.
func (t *terminal) finish(err error) {
	t.status = exitStatus(err, t)
}

// stepTimeout bounds each step of the demo: a step that does not happen
// within it fails the demo instead of hanging it.
const stepTimeout = 10 * time.Second

// waitFor waits until text appears in the terminal after what waitFor
// found last. Chapter 01's demo needs no wait: its server's ready
// function says when the client may connect; the later demos wait for
// lines.
func (t *terminal) waitFor(text string) error {
	deadline := time.After(stepTimeout)
	for {
		t.mu.Lock()
		at := strings.Index(t.output.String()[t.seen:], text)
		if at >= 0 {
			t.seen += at + len(text)
		}
		t.mu.Unlock()
		if at >= 0 {
			return nil
		}
		select {
		case <-t.changed:
		case <-deadline:
			return fmt.Errorf("demo: %q did not appear in %q within %v",
				text, t.command, stepTimeout)
		}
	}
}

// demoSockets makes a side's socket table; its trace goes to the side's
// terminal, in order with the rest of what that side prints.
func demoSockets(w io.Writer, trace bool) *sockets {
	socks := &sockets{}
	if trace {
		socks.trace = w
	}
	return socks
}

// show prints one terminal, with the port the system chose written PORT.
func show(stdout io.Writer, title string, t *terminal, port string) {
	text := t.String()
	if t.command != "" {
		text = "% " + t.command + "\n" + text
	}
	text = strings.ReplaceAll(text, ":"+port, ":PORT")
	text = strings.ReplaceAll(text, `"`+port+`"`, `"PORT"`)
	fmt.Fprintf(stdout, "\n-- %s --\n%s(exit status %d)\n", title, text, t.status)
}
