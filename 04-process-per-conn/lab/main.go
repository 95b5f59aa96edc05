// Command lab is the lab of chapter 04: the echo server that starts a
// process for every client, made into a preforked server, whose children
// are started once and each accept clients on the listening socket they
// share (Stevens, UNP chapter 30). The parts to write are serve and
// serveChild, in starter.go.
//
//	go run ./04-process-per-conn/lab [-addr HOST:PORT] [-children N]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
)

// usage is printed after every mistake on the command line; -h adds help.
// The child command is not in it: only the server starts children.
const usage = `usage: lab [-addr HOST:PORT] [-children N]
`

const help = `
An echo server whose clients are served by child processes: -children N
of them, started at once, each accepting clients on the listening socket
they share, while the server waits for Ctrl-C.

  -addr HOST:PORT  where to listen; HOST is an IPv4 address, or empty for
                   every interface (default 127.0.0.1:8001)
  -children N      how many child processes serve clients, 1 to 64
                   (default 3)
`

const defaultAddr = "127.0.0.1:8001"

// maxChildren bounds -children: each child is a whole process.
const maxChildren = 64

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole program: it returns 0 when done, 1 when a call failed,
// 2 when the command line was wrong.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// The server starts its children as "lab child K".
	if len(args) == 2 && args[0] == "child" {
		n, err := strconv.Atoi(args[1])
		if err == nil {
			err = runChild(n, stdin, stdout, stderr)
		}
		if err != nil {
			fmt.Fprintf(stderr, "child %s: %v\n", args[1], err)
			return 1
		}
		return 0
	}

	flags := flag.NewFlagSet("lab", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	addr := flags.String("addr", defaultAddr, "")
	children := flags.Int("children", 3, "")
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
	case *children < 1 || *children > maxChildren:
		err = fmt.Errorf("bad -children %d: want 1 to %d", *children, maxChildren)
	case flags.NArg() > 0:
		err = errors.New("the server takes no arguments")
	}
	if err != nil {
		fmt.Fprintf(stderr, "%v\n%s", err, usage)
		return 2
	}
	return runServer(at, *children, stdout, stderr)
}

// runServer is the server once its command line is read: it listens on
// at, serves with that many children until Ctrl-C, and returns 0 when
// stopped, 1 when a call failed.
func runServer(at netip.AddrPort, children int, stdout, stderr io.Writer) int {
	// Ctrl-C (SIGINT, or CTRL_C_EVENT on Windows) or SIGTERM stops the
	// server: serve learns it on stop. We keep the signal first, so that
	// the last line names it, as the chapter's server does
	// ("interrupt: server stopped").
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	stop := make(chan os.Signal, 1)
	var caught atomic.Value
	go func() {
		sig := <-signals
		caught.Store(sig)
		stop <- sig
	}()
	if err := startup(); err != nil {
		fmt.Fprintf(stderr, "WSAStartup: %s\n", describe(err))
		return 1
	}
	defer cleanup()
	listener, err := listen(at)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer listener.close()
	fmt.Fprintf(stdout, "listening on %v\n", listener.addr)
	if err := serve(listener, children, stop, &family{stdout: stdout, stderr: stderr}); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if sig, ok := caught.Load().(os.Signal); ok {
		fmt.Fprintf(stdout, "%v: server stopped\n", sig)
	} else {
		fmt.Fprintln(stdout, "server stopped")
	}
	return 0
}

// parseAddr reads HOST:PORT. HOST is an IPv4 address, or empty for every
// interface.
func parseAddr(addr string) (netip.AddrPort, error) {
	full := addr
	if strings.HasPrefix(addr, ":") {
		full = "0.0.0.0" + addr
	}
	at, err := netip.ParseAddrPort(full)
	if err != nil || !at.Addr().Is4() {
		return at, fmt.Errorf("bad address %q: want IPv4:PORT, such as 127.0.0.1:8001, or :PORT", addr)
	}
	return at, nil
}
