package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The measurement: a server runs as a process of its own, so that what we
// count is the server alone; clients of Go's net package connect to it from
// this process.
var (
	idleSizes = []int{10, 100, 1000}
	busySizes = []int{1, 10, 100}
)

// measureLimit bounds every wait of the measurement.
const measureLimit = 30 * time.Second

// runMeasure counts the server's threads and resident memory with idle
// clients connected, and the round trips per second that busy clients get.
// program, if set, is another chapter's server and its flags ("PROGRAM
// -poll 0"), measured the same way.
func runMeasure(stdout io.Writer, program string, quick bool) error {
	fields := strings.Fields(program)
	var argv []string
	if len(fields) > 0 {
		argv = append([]string{fields[0], "server", "-addr", "127.0.0.1:0"}, fields[1:]...)
	} else {
		self, err := os.Executable()
		if err != nil {
			return err
		}
		argv = []string{self, "server", "-addr", "127.0.0.1:0", "-max-threads", "1100"}
	}
	runs, busyFor := 3, 2*time.Second
	if quick {
		runs, busyFor = 1, 300*time.Millisecond
	}
	fmt.Fprintf(stdout, "server: %s\nmachine: %s/%s, %d CPUs; medians of %d runs\n\n",
		strings.Join(append([]string{"PROGRAM"}, argv[1:]...), " "), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runs)

	fmt.Fprintln(stdout, "idle clients  server threads  resident memory")
	for _, n := range idleSizes {
		var threads, memory []int
		for range runs {
			t, m, err := measureIdle(argv, n)
			if err != nil {
				return err
			}
			threads, memory = append(threads, t), append(memory, m)
		}
		t, m := median(threads), median(memory)
		if t < 0 {
			fmt.Fprintf(stdout, "%12d  %s\n", n, errNotMeasured)
			continue
		}
		rss := errNotMeasured.Error()
		if m >= 0 {
			rss = fmt.Sprintf("%.1f MiB", float64(m)/1024)
		}
		fmt.Fprintf(stdout, "%12d  %14d  %15s\n", n, t, rss)
	}

	fmt.Fprintf(stdout, "\nbusy clients  round trips/s (each client: send a line, read its answer, for %v)\n", busyFor)
	for _, n := range busySizes {
		var rates []int
		for range runs {
			r, err := measureBusy(argv, n, busyFor)
			if err != nil {
				return err
			}
			rates = append(rates, r)
		}
		fmt.Fprintf(stdout, "%12d  %13d\n", n, median(rates))
	}
	return nil
}

// measureIdle connects n clients, has each exchange one line so that its
// thread surely exists, and counts the server's threads and memory while
// all n wait idle. A count not measured here is -1.
func measureIdle(argv []string, n int) (threads, kib int, err error) {
	child, err := startChild(argv)
	if err != nil {
		return 0, 0, err
	}
	defer child.stop()
	conns, err := dialAll(child.addr, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	if err != nil {
		return 0, 0, err
	}
	ids, err := processThreads(child.cmd.Process.Pid)
	threads = len(ids)
	if errors.Is(err, errNotMeasured) {
		threads = -1
	} else if err != nil {
		return 0, 0, err
	}
	kib, err = residentKiB(child.cmd.Process.Pid)
	if errors.Is(err, errNotMeasured) {
		kib = -1
	} else if err != nil {
		return 0, 0, err
	}
	return threads, kib, nil
}

// measureBusy runs n clients that each send a line and wait for its answer,
// again and again, for d, and returns the round trips per second of all.
func measureBusy(argv []string, n int, d time.Duration) (int, error) {
	child, err := startChild(argv)
	if err != nil {
		return 0, err
	}
	defer child.stop()
	conns, err := dialAll(child.addr, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	if err != nil {
		return 0, err
	}
	var total atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for _, c := range conns {
		wg.Go(func() {
			answers := bufio.NewReader(c)
			for time.Since(start) < d {
				if err := roundTrip(c, answers); err != nil {
					failed.Store(err)
					return
				}
				total.Add(1)
			}
		})
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		return 0, err
	}
	return int(float64(total.Load()) / time.Since(start).Seconds()), nil
}

// dialAll connects n clients and has each exchange one line.
func dialAll(addr string, n int) ([]net.Conn, error) {
	var conns []net.Conn
	for range n {
		c, err := net.DialTimeout("tcp", addr, measureLimit)
		if err != nil {
			return conns, err
		}
		c.SetDeadline(time.Now().Add(2 * measureLimit))
		conns = append(conns, c)
		if err := roundTrip(c, bufio.NewReader(c)); err != nil {
			return conns, err
		}
	}
	return conns, nil
}

func roundTrip(c net.Conn, answers *bufio.Reader) error {
	if _, err := io.WriteString(c, "ping\n"); err != nil {
		return err
	}
	answer, err := answers.ReadString('\n')
	if err == nil && answer != "Message received - ping\n" {
		err = fmt.Errorf("measure: the server answered %q", answer)
	}
	return err
}

func median(xs []int) int {
	xs = slices.Sorted(slices.Values(xs))
	return xs[len(xs)/2]
}
