package main

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// terminal collects what one side prints, as its own window would show
// it, and lets the demo wait for a line to appear in it.
type terminal struct {
	command string
	mu      sync.Mutex
	text    strings.Builder
	seen    int // how much of text waitFor has looked at
	waitEnd int // how much of text there was when the last alertable wait ended
	changed chan struct{}
	status  int
}

func newTerminal(command string) *terminal {
	return &terminal{command: command, changed: make(chan struct{}, 1)}
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	t.text.Write(p)
	t.mu.Unlock()
	select {
	case t.changed <- struct{}{}:
	default:
	}
	return len(p), nil
}

// markWaitEnd notes that the server's alertable wait has returned.
func (t *terminal) markWaitEnd() {
	t.mu.Lock()
	t.waitEnd = t.text.Len()
	t.mu.Unlock()
	t.Write(nil)
}

// waitFor waits until a line containing s appears after what waitFor
// found last.
func (t *terminal) waitFor(s string) error { return t.waitForLine(s, false) }

// waitForLine is waitFor; with afterWait, it also waits until the server's
// alertable wait that printed the line has returned, so that the next
// step's routines run in a wait of their own.
func (t *terminal) waitForLine(s string, afterWait bool) error {
	timeout := time.After(10 * time.Second)
	found := -1
	for {
		t.mu.Lock()
		if found < 0 {
			if i := strings.Index(t.text.String()[t.seen:], s); i >= 0 {
				found = t.seen + i + len(s)
				t.seen = found
			}
		}
		ok := found >= 0 && (t.waitEnd >= found || !afterWait)
		t.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-t.changed:
		case <-timeout:
			return fmt.Errorf("demo: no %q from the server within 10s", s)
		}
	}
}

// finish records how the side ended: its error line, if any, and its status.
func (t *terminal) finish(err error) { t.status = exitStatus(err, t) }
