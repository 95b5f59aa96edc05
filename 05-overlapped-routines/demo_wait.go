package main

import (
	"fmt"
	"time"
)

// serverTerminal is the server's terminal in the demo, which also notes
// where the server's last alertable wait returned, so that the demo can
// wait for the routines of one step to have run before the next step.
type serverTerminal struct {
	*terminal
	waitEnd int // how much of output there was when the last wait ended
}

func newServerTerminal(command string) *serverTerminal {
	return &serverTerminal{terminal: newTerminal(command)}
}

// markWaitEnd notes that the server's alertable wait has returned.
func (s *serverTerminal) markWaitEnd() {
	s.mu.Lock()
	s.waitEnd = s.output.Len()
	s.mu.Unlock()
	s.Write(nil) // a token for waitForLine
}

// waitForLine is waitFor; with afterWait, it also waits until the server's
// alertable wait that printed the line has returned, so that the next
// step's routines run in a wait of their own. Both waits are one step,
// bounded by one stepTimeout.
func (s *serverTerminal) waitForLine(text string, afterWait bool) error {
	deadline := time.After(stepTimeout)
	if err := s.waitFor(text); err != nil || !afterWait {
		return err
	}
	for {
		s.mu.Lock()
		returned := s.waitEnd >= s.seen
		s.mu.Unlock()
		if returned {
			return nil
		}
		select {
		case <-s.changed:
		case <-deadline:
			return fmt.Errorf("demo: the wait that printed %q did not return within %v",
				text, stepTimeout)
		}
	}
}
