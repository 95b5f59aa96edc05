// Command lab is chapter 03's classroom exercise: the line server of the
// chapter, to be turned from a thread per client into a fixed pool of
// threads started with the server, the prethreaded server of Stevens' UNP,
// chapter 30. starter.go is the part to change; see the chapter's README.
//
//	go run ./03-thread-per-conn/lab -threads 2
//	go run ./03-thread-per-conn client      in other terminals
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
	"runtime"
	"strconv"
	"syscall"
	"time"
)

const usage = "usage: lab [-addr HOST:PORT] [-threads N]\n"

const help = `
  -addr HOST:PORT  where to listen (default 127.0.0.1:9901); HOST is an
                   IPv4 address, or empty for every interface
  -threads N       how many serving threads to start (default 4)
`

const (
	defaultAddr = "127.0.0.1:9901" // the chapter's port, so its client works unchanged
	// maxThreads keeps -threads far from the 10,000 threads at which the Go
	// runtime stops a program (runtime/debug.SetMaxThreads).
	maxThreads = 1000
	// stopGrace bounds how long Ctrl-C waits for the threads to return.
	stopGrace = 5 * time.Second
)

// The main goroutine keeps the main thread, thread 1, as in the chapter:
// Go never ends the main thread, so a serving goroutine locked to it would
// not take it down when it returns.
func init() { runtime.LockOSThread() }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program: it returns 0 when stopped by Ctrl-C, 1 when a
// call failed, 2 when the command line was wrong.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("lab", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	addr := flags.String("addr", defaultAddr, "")
	threads := flags.Int("threads", 4, "")
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
		fmt.Fprintf(stderr, "%v\n%s", err, usage)
		return 2
	case flags.NArg() > 0:
		fmt.Fprintf(stderr, "lab takes no arguments\n%s", usage)
		return 2
	case *threads < 1 || *threads > maxThreads:
		fmt.Fprintf(stderr, "bad -threads %d: want 1 to %d\n%s", *threads, maxThreads, usage)
		return 2
	}

	// Ctrl-C (SIGINT, CTRL_C_EVENT or CTRL_BREAK_EVENT on Windows) and
	// SIGTERM stop the server: a thread blocked in accept or recv cannot
	// be called back, so stop shuts its socket down, and the call returns.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)

	srv := &server{out: stdout, errs: stderr, serving: map[*sock]bool{}, stopped: make(chan struct{})}
	defer cleanup()
	if err := srv.listen(at); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	interrupted := make(chan os.Signal, 1)
	go func() {
		sig := <-signals
		srv.stop()
		interrupted <- sig
	}()

	srv.serve(*threads) // starter.go or solution.go
	<-srv.stopped       // by Ctrl-C, or by a failed accept
	if !srv.wait(stopGrace) {
		fmt.Fprintf(stderr, "a thread did not return within %v of the stop\n", stopGrace)
		return 1
	}
	if srv.failed() {
		return 1
	}
	srv.printf("%v: server stopped\n", <-interrupted)
	return 0
}

// parseAddr reads HOST:PORT, where HOST is an IPv4 address or empty (every
// interface). The lab resolves no names: the chapter shows getaddrinfo.
func parseAddr(addr string) (netip.AddrPort, error) {
	host, port, err := net.SplitHostPort(addr) // only to split the string
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("bad address %q: want HOST:PORT", addr)
	}
	if host == "" {
		host = "0.0.0.0"
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Is4() {
		return netip.AddrPort{}, fmt.Errorf("bad host %q: want an IPv4 address such as 127.0.0.1", host)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("bad port %q: want a number from 0 to 65535", port)
	}
	return netip.AddrPortFrom(ip, uint16(n)), nil
}
