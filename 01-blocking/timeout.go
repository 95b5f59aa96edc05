// How a client bounds each of its waits: the socket's own timeouts,
// SO_RCVTIMEO and SO_SNDTIMEO, set once after the socket opens.
package main

import "time"

// setTimeouts bounds each later wait of a blocking call on the socket by
// d: SO_RCVTIMEO for a receive, SO_SNDTIMEO for a send (and, on Linux, for
// connect). A call that waits longer fails (see timedOut).
func (s *sock) setTimeouts(d time.Duration) error {
	err := setReceiveTimeout(s.h, d)
	s.table.tracef("0", err, "setsockopt(%v, SOL_SOCKET, SO_RCVTIMEO, %v)", s, d)
	if err != nil {
		return s.fail("setsockopt SO_RCVTIMEO", err)
	}
	err = setSendTimeout(s.h, d)
	s.table.tracef("0", err, "setsockopt(%v, SOL_SOCKET, SO_SNDTIMEO, %v)", s, d)
	return s.fail("setsockopt SO_SNDTIMEO", err)
}
