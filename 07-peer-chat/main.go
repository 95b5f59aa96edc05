// Command 07-peer-chat is chapter 07 of the course: the seed's peer chat,
// in which each side reads its keyboard and the socket at once, on Windows
// through Winsock and on Linux and macOS through their POSIX twins.
//
//	go run ./07-peer-chat                 the demo
//	go run ./07-peer-chat server          wait for one peer on 127.0.0.1:8001
//	go run ./07-peer-chat client          connect to it; type, and read
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// usage is printed after every mistake on the command line; -h adds help.
const usage = `usage: 07-peer-chat [demo] [-trace]
       07-peer-chat server [-addr HOST:PORT] [-trace]
       07-peer-chat client [-addr HOST:PORT] [-trace]
`

const help = `
The server waits for one peer; the client connects to it. Then both are
the same: each line typed goes to the peer, each line from the peer is
printed as "peer: LINE". End your input (Ctrl-D, Ctrl-Z on Windows) or
type /quit to stop sending; when the peer's side closes, the program says
"peer left" and exits. A line from the peer is shown up to 4096 bytes.

  -addr HOST:PORT  where to listen or connect (default 127.0.0.1:8001)
  -trace           narrate every socket call on stderr
`

const defaultAddr = "127.0.0.1:8001"

// stopGrace bounds how long an interrupted program waits for its blocked
// call to return once stop has woken it.
const stopGrace = 5 * time.Second

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole program: it returns 0 when done, 1 when a call failed,
// 2 when the command line was wrong.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	command := "demo"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}
	if command != "demo" && command != "server" && command != "client" {
		fmt.Fprintf(stderr, "unknown command %q\n%s", command, usage)
		return 2
	}

	flags := flag.NewFlagSet(command, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	addr := flags.String("addr", defaultAddr, "")
	trace := flags.Bool("trace", false, "")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, help)
			return 0
		}
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "the %s takes no arguments\n%s", command, usage)
		return 2
	}
	at, err := parseEndpoint(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n%s", err, usage)
		return 2
	}
	socks := &sockets{}
	if *trace {
		socks.trace = stderr
	}

	switch command {
	case "demo":
		extra := false
		flags.Visit(func(f *flag.Flag) { extra = extra || f.Name != "trace" })
		if extra {
			fmt.Fprintf(stderr, "the demo takes only -trace\n%s", usage)
			return 2
		}
		return exitStatus(runDemo(stdout, *trace), stderr)
	case "server":
		return untilInterrupted(socks, stdout, stderr, "server", func() error {
			return serveOnePeer(socks, stdin, stdout, at, nil)
		})
	}
	return untilInterrupted(socks, stdout, stderr, "client", func() error {
		return connectAndChat(socks, stdin, stdout, at)
	})
}

// untilInterrupted runs side until it returns, or until Ctrl-C (SIGINT, or
// CTRL_C_EVENT on Windows) or SIGTERM. A flow blocked in accept or recv
// cannot be called back; stop wakes the call instead, each call then
// reports errInterrupted, and we wait for side to return. The keyboard
// flow may stay blocked in its read of the terminal: the program exits
// without it (see chat).
func untilInterrupted(socks *sockets, stdout, stderr io.Writer, name string, side func() error) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)

	done := make(chan error, 1)
	go func() { done <- side() }()
	select {
	case err := <-done:
		return exitStatus(err, stderr)
	case sig := <-stop:
		closeWakers := socks.stop()
		// side closes its own sockets as it returns. Should a system not
		// wake its call, we stop all the same after stopGrace.
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, errInterrupted) {
				fmt.Fprintln(stderr, err)
			}
		case <-time.After(stopGrace):
			fmt.Fprintf(stderr, "a call did not return within %v of being woken\n", stopGrace)
		}
		closeWakers()
		fmt.Fprintf(stdout, "%v: %s stopped\n", sig, name)
		return 0
	}
}

// exitStatus prints err, if any, as one line and returns the exit status.
// A name that does not resolve is a usage error, as a bad port is.
func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, err)
	var failed *opError
	if errors.As(err, &failed) && failed.call == nameResolver {
		fmt.Fprint(stderr, usage)
		return 2
	}
	return 1
}

// parseEndpoint splits HOST:PORT and checks the port.
func parseEndpoint(addr string) (endpoint, error) {
	host, port, err := net.SplitHostPort(addr) // only to split the string
	if err != nil {
		return endpoint{}, fmt.Errorf("bad address %q: want HOST:PORT", addr)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil {
		return endpoint{}, fmt.Errorf("bad port %q: want a number from 0 to 65535", port)
	}
	return endpoint{host: host, port: uint16(n)}, nil
}
