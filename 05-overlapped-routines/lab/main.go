// Command lab is the classroom exercise of chapter 05, in two halves. On
// Linux 6.0 or later: the chapter's echo server on io_uring, with one
// multishot recv per connection taking its buffers from a ring the kernel
// shares with us. On Windows: the same echo server on an I/O completion
// port, whose completions a small fixed pool of worker threads takes.
//
//	go run ./05-overlapped-routines/lab                   serve on 127.0.0.1:9190 until Ctrl-C
//	go run ./05-overlapped-routines/lab -clients 3        stop once 3 clients have come and gone
//	go run ./05-overlapped-routines client                the chapter's client talks to it
//
// The student's part is starter_linux.go (io_uring) or starter_windows.go
// (the completion port); see the Lab section of the chapter's README.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

const usage = `usage: lab [-addr IP:PORT] [-clients N] [-buffers N] [-ring N] [-workers N] [-sndbuf N]
`

const help = `
An echo server on io_uring (Linux 6.0 or later), or on an I/O completion
port (Windows). As it exits it prints how many clients it served, how many
bytes it echoed, and how many recv completions came back; on Linux how many
recv requests it submitted, on Windows how many threads waited on the port.

  -addr IP:PORT  where to listen (default 127.0.0.1:9190; :PORT for every interface)
  -clients N     stop once N clients have come and gone (default 0: until Ctrl-C)
  -buffers N     Linux: buffers of 1024 bytes in the provided-buffer ring, a
                 power of two from 1 to 32768 (default 256)
  -ring N        Linux: submission slots in the io_uring, a power of two from
                 1 to 4096 (default 256), and twice as many for completions:
                 when they are full, the kernel ends a multishot recv early
  -workers N     Windows: worker threads that take the port's completions,
                 from 1 to 64 (default 2)
  -sndbuf N      Windows: SO_SNDBUF of each client's socket, in bytes, so that
                 a send waits sooner for a client that reads slowly
                 (default 0: leave the system's)
`

// config is what the command line chooses.
type config struct {
	at      netip.AddrPort
	clients int
	buffers int // Linux: the provided-buffer ring's
	ring    int // Linux: the io_uring's submission slots
	workers int // Windows: the completion port's
	sndbuf  int // Windows: each client's SO_SNDBUF; 0: the system's
}

// stopGrace bounds how long a stopping server may take to end its clients.
const stopGrace = 5 * time.Second

// maxWorkers bounds -workers: a pool is a few threads, not one per client.
const maxWorkers = 64

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program: 0 when done, 1 when a call failed, 2 when the
// command line was wrong.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("lab", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	addr := flags.String("addr", "127.0.0.1:9190", "")
	clients := flags.Int("clients", 0, "")
	buffers := flags.Int("buffers", 256, "")
	ringSize := flags.Int("ring", 256, "")
	workers := flags.Int("workers", 2, "")
	sndbuf := flags.Int("sndbuf", 0, "")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, help)
			return 0
		}
		return 2
	}
	at, err := parseAddr(*addr)
	switch {
	case err != nil:
	case *clients < 0:
		err = fmt.Errorf("bad -clients %d: want 0 or more", *clients)
	case *buffers < 1 || *buffers > 32768 || *buffers&(*buffers-1) != 0:
		err = fmt.Errorf("bad -buffers %d: want a power of two from 1 to 32768", *buffers)
	case *ringSize < 1 || *ringSize > 4096 || *ringSize&(*ringSize-1) != 0:
		err = fmt.Errorf("bad -ring %d: want a power of two from 1 to 4096", *ringSize)
	case *workers < 1 || *workers > maxWorkers:
		err = fmt.Errorf("bad -workers %d: want 1 to %d", *workers, maxWorkers)
	case *sndbuf < 0 || *sndbuf > 1<<20:
		err = fmt.Errorf("bad -sndbuf %d: want 0 to %d", *sndbuf, 1<<20)
	case flags.NArg() > 0:
		err = errors.New("the lab takes no arguments")
	}
	if err != nil {
		fmt.Fprintf(stderr, "%v\n%s", err, usage)
		return 2
	}
	cfg := config{at: at, clients: *clients, buffers: *buffers, ring: *ringSize, workers: *workers, sndbuf: *sndbuf}
	return runServer(cfg, stdout, stderr)
}

// runServer is the server once its command line is read: 0 when it has
// served its -clients or stopped on Ctrl-C, 1 when a call failed.
func runServer(cfg config, stdout, stderr io.Writer) int {
	// The server runs in a goroutine of its own; Ctrl-C (or SIGTERM)
	// closes stop, and the server ends its clients and returns.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- serve(cfg, stdout, stderr, stop) }()
	var err error
	select {
	case err = <-done:
	case sig := <-signals:
		close(stop)
		select {
		case err = <-done:
		case <-time.After(stopGrace):
			err = fmt.Errorf("the server did not stop within %v", stopGrace)
		}
		if err == nil {
			fmt.Fprintf(stdout, "%v: server stopped\n", sig)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// parseAddr reads IP:PORT; an empty IP is every interface. Names are not
// looked up: the lab listens on an address, which is all it needs.
func parseAddr(addr string) (netip.AddrPort, error) {
	host, port, err := net.SplitHostPort(addr) // only to split the string
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("bad address %q: want IP:PORT", addr)
	}
	if host == "" {
		host = "0.0.0.0"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("bad address %q: want an IP address such as 127.0.0.1", host)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("bad port %q: want a number from 0 to 65535", port)
	}
	return netip.AddrPortFrom(ip, uint16(n)), nil
}
