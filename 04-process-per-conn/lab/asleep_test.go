package main

// The parent asleep while its children serve: how long it may be busy, and
// the check, which reads /proc (proc_test.go) and so is made on Linux only.

import (
	"testing"
	"time"
)

// maxParentBusy is how long the parent may be busy, on a CPU or ready to
// run, while the third client of TestTwoAtOnce waits for a second: it has
// nothing to do then. A parent asleep until Ctrl-C was busy for 0 ms (23
// runs, -race, 2 cores at a load average of 15 to 20); one that polls in a
// loop, for 1.25 to 1.97 s (23 runs), though on that machine it got only
// 130 to 360 ms of CPU time.
const maxParentBusy = 250 * time.Millisecond

// checkAsleep checks, on Linux, that the parent was busy for at most
// maxParentBusy since it had been busy for before, during quiet.
func (s *server) checkAsleep(t *testing.T, before, quiet time.Duration) {
	t.Helper()
	if !s.inProc() {
		return
	}
	if busy := s.busyTime(t) - before; busy > maxParentBusy {
		t.Errorf("in the %v the third client waited, the server's parent process was on a CPU or "+
			"ready to run for %v (its threads together), want at most %v: its children serve the "+
			"clients, so it has nothing to do until Ctrl-C. Does it poll for Ctrl-C in a loop? "+
			"Block on the channel instead (<-interrupted)",
			quiet.Round(time.Millisecond), busy.Round(time.Millisecond), maxParentBusy)
	}
}
