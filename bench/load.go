package main

import (
	"context"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// A protocol is one of the two TCP protocols of the course.
type protocol int

const (
	echo protocol = iota // 01, 04, 05: bytes in = bytes out
	line                 // 02, 03: "Message received - <line>\n" for each line
)

const linePrefix = "Message received - "

// A shape is one load: conns connections, each sending messages of size
// bytes, with window messages in flight (1: ping-pong).
type shape struct {
	conns, size, window int
}

func (s shape) String() string {
	size := fmt.Sprintf("%d B", s.size)
	if s.size >= 1024 {
		size = fmt.Sprintf("%d KiB", s.size/1024)
	}
	if s.window > 1 {
		return fmt.Sprintf("%d x %s, window %d", s.conns, size, s.window)
	}
	return fmt.Sprintf("%d x %s", s.conns, size)
}

// loadResult is what one load measured between the start and the end of
// the clock.
type loadResult struct {
	roundTrips int64
	bytes      int64 // bytes sent and received
	elapsed    time.Duration
	latencies  []time.Duration
	errors     int64
	firstError error
}

// runLoad connects sh.conns clients to addr, warms each up, then runs the
// load for duration and returns what was measured in that time. The clock
// starts once every connection is established and warm; snap is called at
// the start and at the end of the clock to read the server's counters, both
// times with every connection open.
func runLoad(ctx context.Context, addr string, proto protocol, sh shape,
	duration time.Duration, snap func()) loadResult {
	var (
		res      loadResult
		mu       sync.Mutex
		ready    sync.WaitGroup // connected and warm
		stopped  sync.WaitGroup // past the deadline, connection still open
		finished sync.WaitGroup // connection closed
		start    = make(chan struct{})
		release  = make(chan struct{})
		deadline atomic.Int64
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		res.errors++
		if res.firstError == nil {
			res.firstError = err
		}
	}
	ready.Add(sh.conns)
	stopped.Add(sh.conns)
	finished.Add(sh.conns)
	for i := range sh.conns {
		go func() {
			defer finished.Done()
			latencies, n, err := converse(ctx, addr, proto, sh, i, &ready, start, &deadline, &stopped, release)
			if err != nil {
				fail(err)
			}
			mu.Lock()
			res.roundTrips += n
			res.latencies = append(res.latencies, latencies...)
			mu.Unlock()
		}()
	}
	ready.Wait()
	snap()
	began := time.Now()
	deadline.Store(began.Add(duration).UnixNano())
	close(start)
	stopped.Wait()
	res.elapsed = time.Duration(deadline.Load() - began.UnixNano())
	snap()
	close(release)
	finished.Wait()
	res.bytes = res.roundTrips * int64(sh.size+replySize(proto, sh.size))
	return res
}

func replySize(proto protocol, size int) int {
	if proto == line {
		return len(linePrefix) + size
	}
	return size
}

// converse is one connection: connect, warm up, wait for the clock, then
// round trips until the deadline. Round trips that end after it do not count.
// The connection stays open until release, so that the server is measured
// at the end of the clock with every client still connected.
func converse(ctx context.Context, addr string, proto protocol, sh shape, index int,
	ready *sync.WaitGroup, start chan struct{}, deadline *atomic.Int64,
	stopped *sync.WaitGroup, release chan struct{}) ([]time.Duration, int64, error) {
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		ready.Done()
		stopped.Done()
		return nil, 0, err
	}
	defer conn.Close()
	defer func() { <-release }()
	defer stopped.Done()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	c := newConversation(conn, proto, sh.size, index)
	const warmUp = 5
	for range warmUp {
		if err := c.roundTrip(); err != nil {
			ready.Done()
			<-start
			return nil, 0, err
		}
	}
	ready.Done()
	<-start
	if sh.window > 1 {
		return c.pipeline(sh.window, deadline)
	}
	var latencies []time.Duration
	for {
		began := time.Now()
		if err := c.roundTrip(); err != nil {
			return latencies, int64(len(latencies)), err
		}
		ended := time.Now()
		if ended.UnixNano() > deadline.Load() {
			return latencies, int64(len(latencies)), nil
		}
		latencies = append(latencies, ended.Sub(began))
	}
}
