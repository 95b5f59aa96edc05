package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"runtime"
	"slices"
	"time"
)

// measurePolls are the poll intervals the measure command compares: a
// spin, a millisecond, and the seed's Sleep(100).
var measurePolls = []time.Duration{0, time.Millisecond, 100 * time.Millisecond}

// measure runs the chapter's server in this process at each poll interval
// and reports what polling costs: the CPU an idle server burns, and how
// long a line waits for its reply. The client that times the round trips
// uses Go's net package: it is the benchmark, not the lesson.
func measure(stdout io.Writer, duration time.Duration, rounds int) error {
	fmt.Fprintf(stdout, "%s/%s, %d CPUs; idle for %v, %d round trips at each interval\n\n",
		runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), duration, rounds)
	fmt.Fprintf(stdout, "%-10s %12s %14s %14s\n", "poll", "idle CPU", "round trip", "slowest")

	// With no server at all, this process still uses a little CPU (the Go
	// runtime's own timers); the first row shows how much.
	idle, err := cpuShare(duration)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%-10s %11.1f%% %14s %14s\n", "no server", idle, "-", "-")

	for _, poll := range measurePolls {
		stop := make(chan os.Signal, 1)
		ready := make(chan netip.AddrPort, 1)
		done := make(chan error, 1)
		config := serverConfig{at: endpoint{"127.0.0.1", 0}, poll: poll, maxClients: 1}
		go func() {
			listening := func(addr netip.AddrPort) { ready <- addr }
			done <- servePolling(&sockets{}, io.Discard, config, listening, stop)
		}()
		var addr netip.AddrPort
		select {
		case addr = <-ready:
		case err := <-done:
			return err
		}
		idle, err := cpuShare(duration)
		var median, slowest time.Duration
		if err == nil {
			median, slowest, err = roundTrips(addr.String(), poll, rounds)
		}
		stop <- os.Interrupt
		if serverErr := <-done; err == nil && !errors.As(serverErr, new(*interrupted)) {
			err = serverErr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-10s %11.1f%% %14s %14s\n", pollName(poll), idle,
			median.Round(10*time.Microsecond), slowest.Round(10*time.Microsecond))
	}
	fmt.Fprintln(stdout, "\nidle CPU: share of one core used by this process while the server waits")
	fmt.Fprintln(stdout, "round trip: median time from sending a line to reading its reply")
	return nil
}

// cpuShare sleeps for duration and returns the CPU time this process used
// meanwhile, as a percentage of the time that passed.
func cpuShare(duration time.Duration) (float64, error) {
	before, err := cpuTime()
	if err != nil {
		return 0, fmt.Errorf("measuring CPU time: %v", err)
	}
	start := time.Now()
	time.Sleep(duration)
	after, err := cpuTime()
	if err != nil {
		return 0, fmt.Errorf("measuring CPU time: %v", err)
	}
	return 100 * float64(after-before) / float64(time.Since(start)), nil
}

// roundTrips sends rounds lines, one at a time, and returns the median and
// the longest time each took to come back. Before each line it waits a
// random part of the poll interval, as a person typing would: a line
// that lands just as the server falls asleep waits the whole interval,
// one that lands as it wakes waits hardly at all. Near a millisecond that
// is not so: Go times sleeps in whole milliseconds on Linux (epoll_wait),
// and this client, in the server's process, wakes on the tick that wakes
// the server, just after its pass, so each line waits a whole interval.
func roundTrips(addr string, poll time.Duration, rounds int) (median, slowest time.Duration, err error) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0, 0, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Duration(rounds)*(2*poll+time.Second) + 5*time.Second))
	replies := bufio.NewReader(conn)
	var times []time.Duration
	for range rounds {
		time.Sleep(rand.N(poll + time.Millisecond))
		start := time.Now()
		if _, err := conn.Write([]byte("ping\n")); err != nil {
			return 0, 0, err
		}
		if _, err := replies.ReadString('\n'); err != nil {
			return 0, 0, err
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[len(times)/2], times[len(times)-1], nil
}

// pollName writes a poll interval as -poll takes it.
func pollName(poll time.Duration) string {
	if poll == 0 {
		return "0 (spin)"
	}
	return poll.String()
}
