// Command lab is the lab of chapter 01: the blocking echo server, made to
// serve clients one after another instead of one and done. The part to
// write is serveClients, in starter.go.
//
//	go run ./01-blocking/lab [-addr HOST:PORT] [-clients N]
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

// usage is printed after every mistake on the command line; -h adds help.
const usage = `usage: lab [-addr HOST:PORT] [-clients N]
`

const help = `
The echo server of chapter 01, serving clients one after another until
Ctrl-C, or until N clients have come and gone.

  -addr HOST:PORT  where to listen; HOST is an IPv4 address, or empty for
                   every interface (default 127.0.0.1:27015)
  -clients N       stop after N clients (default 0: no limit)
`

const defaultAddr = "127.0.0.1:27015"

// stopGrace bounds how long an interrupted server waits for serveClients
// to return once its sockets are closed.
const stopGrace = 5 * time.Second

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program: it returns 0 when done, 1 when a call failed,
// 2 when the command line was wrong.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("lab", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	addr := flags.String("addr", defaultAddr, "")
	clients := flags.Int("clients", 0, "")
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
		err = fmt.Errorf("bad -clients %d: want 0 (no limit) or more", *clients)
	case flags.NArg() > 0:
		err = errors.New("the server takes no arguments")
	}
	if err != nil {
		fmt.Fprintf(stderr, "%v\n%s", err, usage)
		return 2
	}

	// Ctrl-C (SIGINT, or CTRL_C_EVENT on Windows) or SIGTERM stops the
	// server. A thread blocked in accept or recv cannot be called back;
	// closing its socket makes the call fail and return, so that is how we
	// stop, and we wait for it.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	socks := &sockets{}
	done := make(chan error, 1)
	go func() { done <- listenAndServe(socks, at, *clients, stdout, stderr) }()
	select {
	case err := <-done:
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintln(stdout, "server stopped")
		return 0
	case sig := <-stop:
		socks.closeAll()
		select {
		case <-done:
		case <-time.After(stopGrace):
			fmt.Fprintf(stderr, "serveClients did not return within %v of its sockets closing\n", stopGrace)
		}
		fmt.Fprintf(stdout, "%v: server stopped\n", sig)
		return 0
	}
}

// parseAddr reads HOST:PORT. The server listens on IPv4, as the seed does,
// so HOST is an IPv4 address, or empty for every interface.
func parseAddr(addr string) (netip.AddrPort, error) {
	host, port, err := net.SplitHostPort(addr) // only to split the string
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("bad address %q: want HOST:PORT", addr)
	}
	ip := netip.IPv4Unspecified()
	if host != "" {
		if ip, err = netip.ParseAddr(host); err != nil || !ip.Is4() {
			return netip.AddrPort{}, fmt.Errorf("bad host %q: want an IPv4 address such as 127.0.0.1", host)
		}
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("bad port %q: want a number from 0 to 65535", port)
	}
	return netip.AddrPortFrom(ip, uint16(n)), nil
}
