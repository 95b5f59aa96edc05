// Command 05-overlapped-routines is chapter 05 of the course: the echo server
// of the seed "pure overlapped I/O", in which one thread serves every client
// by posting operations with completion routines and running those routines
// in an alertable wait; on Windows with WSARecv, WSASend and SleepEx, on
// Linux with io_uring (or, without it, an emulation over poll(2)).
//
//	go run ./05-overlapped-routines            the demo
//	go run ./05-overlapped-routines server     serve on 127.0.0.1:9190
//	go run ./05-overlapped-routines client     the seed's StableEchoClient
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// usage is printed after every mistake on the command line; -h adds help.
const usage = `usage: 05-overlapped-routines [demo] [-trace] [-backend NAME]
       05-overlapped-routines server [-addr HOST:PORT] [-trace] [-quiet] [-backend NAME]
                              [-max-clients N] [-clients N] [-accept poll|posted]
       05-overlapped-routines client [-addr HOST:PORT] [-trace] [-quiet] [-timeout D]
`

const help = `
The demo runs a server and two clients in one process. The server echoes
every byte each client sends, all on one thread. The client reads lines from
stdin, sends each, prints "msg from server: LINE", and stops at Q, q or the
end of its input.

  -addr HOST:PORT  where to listen or connect (default 127.0.0.1:9190)
  -trace           narrate every socket call on stderr
  -quiet           print totals only: the server's when it stops, the
                   client's at the end of its input
  -backend NAME    uring or poll on Linux, poll elsewhere on POSIX; Windows
                   always runs the real completion routines. The variable
                   OVERLAPPED_BACKEND gives the default.
  -max-clients N   how many clients are served at once (default 10000)
  -clients N       stop once N clients have come and gone (default 0: serve
                   until Ctrl-C)
  -accept MODE     poll: try accept after every wait, as the seed does
                   (default); posted: post an accept with a routine, as
                   recv and send are (AcceptEx on Windows, IORING_OP_ACCEPT
                   on io_uring, the listener in poll's set on the emulation)
  -timeout D       give up on a connect or a reply after D (default 5s)
`

const (
	defaultAddr       = "127.0.0.1:9190"
	defaultMaxClients = 10000
	defaultTimeout    = 5 * time.Second
	backendVariable   = "OVERLAPPED_BACKEND"
)

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
	quiet := flags.Bool("quiet", false, "")
	backend := flags.String("backend", os.Getenv(backendVariable), "")
	maxClients := flags.Int("max-clients", defaultMaxClients, "")
	clients := flags.Int("clients", 0, "")
	accept := flags.String("accept", "poll", "")
	timeout := flags.Duration("timeout", defaultTimeout, "")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, help)
			return 0
		}
		return 2
	}
	at, err := parseEndpoint(*addr)
	if err == nil && !validBackend(*backend) {
		err = fmt.Errorf("unknown backend %q: this system has %s", *backend, backends)
	}
	if err == nil && (*maxClients < 1 || *maxClients > 100000) {
		err = fmt.Errorf("bad -max-clients %d: want 1 to 100000", *maxClients)
	}
	if err == nil && *clients < 0 {
		err = fmt.Errorf("bad -clients %d: want 0 or more", *clients)
	}
	if err == nil && *accept != "poll" && *accept != "posted" {
		err = fmt.Errorf("unknown -accept %q: want poll or posted", *accept)
	}
	if err == nil && (*timeout < time.Millisecond || *timeout > time.Hour) {
		// Winsock reads 0 milliseconds as "no timeout at all".
		err = fmt.Errorf("bad -timeout %v: want 1ms to 1h", *timeout)
	}
	if err == nil && flags.NArg() > 0 {
		err = fmt.Errorf("the %s takes no arguments", command)
	}
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
		if flagsSet(flags, "addr", "quiet", "max-clients", "clients", "accept", "timeout") {
			fmt.Fprintf(stderr, "the demo takes only -trace and -backend\n%s", usage)
			return 2
		}
		return exitStatus(runDemo(stdout, stderr, *trace, *backend), stderr)
	case "server":
		if flagsSet(flags, "timeout") {
			fmt.Fprintf(stderr, "the server takes no -timeout: only its clients wait for it\n%s", usage)
			return 2
		}
		cfg := serverConfig{at: at, quiet: *quiet, backend: *backend, maxClients: *maxClients,
			clients: *clients, acceptPosted: *accept == "posted"}
		return serveUntilInterrupted(socks, stdout, stderr, cfg)
	}
	if flagsSet(flags, "backend", "max-clients", "clients", "accept") {
		fmt.Fprintf(stderr, "the client takes only -addr, -trace, -quiet and -timeout\n%s", usage)
		return 2
	}
	return exitStatus(echoLines(socks, stdin, stdout, at, false, *quiet, *timeout), stderr)
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

// flagsSet tells whether any of the named flags was given.
func flagsSet(flags *flag.FlagSet, names ...string) bool {
	set := false
	flags.Visit(func(f *flag.Flag) {
		for _, name := range names {
			set = set || f.Name == name
		}
	})
	return set
}
