package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// measure answers what a process per client costs, on this machine: the
// time to accept and serve one short connection, child process included,
// next to a goroutine doing the same in this process; and the memory of the
// server and its children with 10 and then 50 clients connected. Clients
// use Go's net package: it is the measuring stick, not the lesson.
func measure(stdout io.Writer, runs, conns int) error {
	fmt.Fprintf(stdout, "%d runs; each times %d connections one after another, each sending 4 bytes\n", runs, conns)
	fmt.Fprintln(stdout, "and reading the echo, then holds 10 and 50 connections open.")
	fmt.Fprintln(stdout, "run  process/conn  goroutine/conn  server+children RSS at 10  at 50")
	var perProcess, perGoroutine []time.Duration
	var rss10, rss50 []int
	for run := 1; run <= runs; run++ {
		p, at10, at50, err := measureProcesses(conns)
		if err != nil {
			return err
		}
		g, err := measureGoroutines(conns)
		if err != nil {
			return err
		}
		perProcess, perGoroutine = append(perProcess, p), append(perGoroutine, g)
		rss10, rss50 = append(rss10, at10), append(rss50, at50)
		fmt.Fprintf(stdout, "%3d  %12v  %14v  %21s  %6s\n", run, p, g, mib(at10), mib(at50))
	}
	fmt.Fprintf(stdout, "median  %9v  %14v  %21s  %6s\n",
		median(perProcess), median(perGoroutine), mib(median(rss10)), mib(median(rss50)))
	return nil
}

// measureProcesses starts this program's server as a process of its own,
// times conns connections against it, and reads its memory (measure_linux.go).
func measureProcesses(conns int) (perConn time.Duration, at10, at50 int, err error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, 0, 0, err
	}
	cmd := exec.Command(exe, "server", "-addr", "127.0.0.1:0", "-quiet")
	out, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		return 0, 0, 0, err
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	lines := bufio.NewReader(out)
	first, err := lines.ReadString('\n')
	addr, found := strings.CutPrefix(strings.TrimSpace(first), "listening on ")
	if err != nil || !found {
		return 0, 0, 0, fmt.Errorf("the server said %q, not where it listens", first)
	}
	go io.Copy(io.Discard, lines)

	if perConn, err = timeConnections(addr, conns); err != nil {
		return 0, 0, 0, err
	}
	var held []net.Conn
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for _, want := range []int{10, 50} {
		for len(held) < want {
			c, err := holdConnection(addr)
			if err != nil {
				return 0, 0, 0, err
			}
			held = append(held, c)
		}
		rss, err := treeRSS(cmd.Process.Pid)
		if err != nil {
			return 0, 0, 0, err
		}
		at10, at50 = at50, rss
	}
	return perConn, at10, at50, nil
}

// measureGoroutines times the same connections against a server in this
// process that serves each client in a goroutine, with the same calls.
func measureGoroutines(conns int) (time.Duration, error) {
	socks := &sockets{}
	if err := socks.startup(); err != nil {
		return 0, err
	}
	defer socks.cleanup()
	listener, addr, err := listenOn(socks, endpoint{"127.0.0.1", 0}, nil)
	if err != nil {
		return 0, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			client, err := listener.accept()
			if err != nil {
				return
			}
			go func() {
				defer client.close()
				if echoUntilClosed(client, io.Discard, true, bufferSize) == nil {
					client.shutdownSend()
				}
			}()
		}
	}()
	perConn, err := timeConnections(addr.String(), conns)
	closeWakers := socks.stop() // wakes the accept: see sockets.stop
	<-done
	listener.close()
	closeWakers()
	return perConn, err
}

// timeConnections makes n short connections one after another and returns
// the median time of one: connect, send, shut down sending, read the echo
// until the server closes.
func timeConnections(addr string, n int) (time.Duration, error) {
	times := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return 0, err
		}
		c.SetDeadline(start.Add(10 * time.Second))
		c.Write([]byte("ping"))
		c.(*net.TCPConn).CloseWrite()
		echo, err := io.ReadAll(c)
		c.Close()
		if err != nil || string(echo) != "ping" {
			return 0, fmt.Errorf("connection %d: echo %q, %v", len(times)+1, echo, err)
		}
		times = append(times, time.Since(start))
	}
	return median(times).Round(time.Microsecond), nil
}

// holdConnection connects and waits for the echo of one byte, so that the
// child serving it is up and running before we read the memory.
func holdConnection(addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err = c.Write([]byte("x")); err == nil {
		_, err = io.ReadFull(c, make([]byte, 1))
	}
	if err != nil {
		c.Close()
		return nil, errors.Join(errors.New("holding a connection"), err)
	}
	return c, nil
}

func median[T int | time.Duration](values []T) T {
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	return sorted[len(sorted)/2]
}

func mib(kib int) string {
	if kib < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.1f MiB", float64(kib)/1024)
}
