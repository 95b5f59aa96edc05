//go:build linux

package main

import (
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// The io_uring engine's alertable wait; the engine itself, and its posts,
// are in uring_linux.go.

// alertableWait submits what the routines queued, waits for at least one
// completion or the timeout, then runs the routine of every completion there.
func (e *uringEngine) alertableWait(srv *server, timeout time.Duration) (int, error) {
	_, err := e.ring.enter(1, timeout)
	if err != nil {
		return 0, &opError{call: "io_uring_enter", err: err}
	}
	ran := 0
	for seen := 0; seen < completionEntries; seen++ {
		c, ok := e.ring.nextCQE()
		if !ok {
			break
		}
		// The trace shows the waits that found completions, and not
		// what each submitted: both change with timing from run to run.
		if seen == 0 && e.socks.tracing() {
			e.socks.tracef("returned with completions", nil, "io_uring_enter(ring, GETEVENTS, min_complete 1, %v)", timeout)
		}
		result, err := int(c.res), error(nil)
		if c.res < 0 {
			result, err = 0, unix.Errno(-c.res)
		}
		if c.userData == cancelUserData {
			// The cancel's own completion: 0 (found and cancelled),
			// ENOENT or EALREADY (completing already). No routine.
			if e.socks.tracing() {
				e.socks.tracef(fmt.Sprint(c.res), nil, "completion(user_data cancel)")
			}
			continue
		}
		if c.userData == acceptUserData {
			var client *sock
			if err == nil {
				client = e.listener.adopt(result, "completion(user_data accept)")
			} else if e.socks.tracing() {
				e.socks.tracef("", err, "completion(user_data accept)")
			}
			onAcceptComplete(srv, client, err)
			ran++
			continue
		}
		if e.socks.tracing() {
			e.socks.tracef(fmt.Sprint(c.res), nil, "completion(user_data %d)", c.userData)
		}
		srv.complete(int(c.userData), result, err)
		ran++
	}
	return ran, nil
}
