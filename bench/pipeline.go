package main

import (
	"sync/atomic"
	"time"
)

// inFlight is one message sent whose reply has not been read yet.
type inFlight struct {
	expected []byte
	sent     time.Time
}

// pipeline keeps window messages in flight: a writer sends while the
// reader checks replies in order, for bandwidth rather than latency. It
// stops sending at the deadline and reads the replies still owed.
func (c *conversation) pipeline(window int, deadline *atomic.Int64) ([]time.Duration, int64, error) {
	queue := make(chan inFlight, window)
	writeErr := make(chan error, 1)
	go func() {
		defer close(queue)
		for time.Now().UnixNano() < deadline.Load() {
			c.next()
			queue <- inFlight{expected: append([]byte(nil), c.expected...), sent: time.Now()}
			if _, err := c.conn.Write(c.message); err != nil {
				writeErr <- err
				return
			}
		}
	}()

	var latencies []time.Duration
	for m := range queue {
		if err := c.readReply(m.expected); err != nil {
			c.conn.Close() // a writer blocked in Write returns
			for range queue {
			}
			return latencies, int64(len(latencies)), err
		}
		if ended := time.Now(); ended.UnixNano() <= deadline.Load() {
			latencies = append(latencies, ended.Sub(m.sent))
		}
	}
	select {
	case err := <-writeErr:
		return latencies, int64(len(latencies)), err
	default:
		return latencies, int64(len(latencies)), nil
	}
}
