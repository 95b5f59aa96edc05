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
// window would show it, so the demo can print each side whole and in order.
// The server's terminal is written by the server, its reapers and its
// children at once, and the demo waits on it for the lines it expects.
type terminal struct {
	command string // shown after a "%" prompt; empty for a client the demo plays

	mu      sync.Mutex
	output  bytes.Buffer
	status  int
	written chan struct{} // closed at the next write
}

func newTerminal(command string) *terminal {
	return &terminal{command: command, written: make(chan struct{})}
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	close(t.written)
	t.written = make(chan struct{})
	return t.output.Write(p)
}

// demoWait bounds how long the demo waits for a line it expects.
const demoWait = 30 * time.Second

// waitFor waits until the terminal shows text. The demo does not sleep: the
// order of its steps comes from what the programs print.
func (t *terminal) waitFor(text string) error {
	deadline := time.After(demoWait)
	for {
		t.mu.Lock()
		seen := strings.Contains(t.output.String(), text)
		written := t.written
		t.mu.Unlock()
		if seen {
			return nil
		}
		select {
		case <-written:
		case <-deadline:
			return fmt.Errorf("demo: no %q from the server within %v", strings.TrimSpace(text), demoWait)
		}
	}
}

// finish records how the side ended: its error line, if any, and its status.
func (t *terminal) finish(err error) {
	t.status = exitStatus(err, t)
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

// show prints one terminal, with the port the server listens on written PORT.
func show(stdout io.Writer, title string, t *terminal, port uint16) {
	t.mu.Lock()
	text := t.output.String()
	t.mu.Unlock()
	if t.command != "" {
		text = "% " + t.command + "\n" + text
	}
	p := fmt.Sprint(port)
	text = strings.ReplaceAll(text, ":"+p, ":PORT")
	text = strings.ReplaceAll(text, `"`+p+`"`, `"PORT"`)
	fmt.Fprintf(stdout, "\n-- %s --\n%s(exit status %d)\n", title, text, t.status)
}
