// Command 02-nonblocking-ioctl is chapter 02 of the course: sockets made
// non-blocking with ioctlsocket(FIONBIO) on Windows and ioctl(FIONBIO) on
// POSIX, and one thread that serves many clients by polling each socket in
// turn.
//
//	go run ./02-nonblocking-ioctl            the demo
//	go run ./02-nonblocking-ioctl server     serve clients on 127.0.0.1:9901
//	go run ./02-nonblocking-ioctl client     send stdin's lines, print the replies
//	go run ./02-nonblocking-ioctl measure    what polling costs, in CPU and latency
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
const usage = `usage: 02-nonblocking-ioctl [demo] [-trace]
       02-nonblocking-ioctl server [-addr HOST:PORT] [-trace] [-quiet] [-poll D] [-max-clients N] [-clients N] [-timestamps]
       02-nonblocking-ioctl client [-addr HOST:PORT] [-trace] [-poll D] [-timeout D]
       02-nonblocking-ioctl measure [-duration D] [-rounds N]
`

const help = `
The demo runs a server and three clients in one process. The server serves
every client from one thread, polling non-blocking sockets. Each line a
client sends gets "Message received - <line>"; "quit" gets "quit" and ends
that connection. The client sends the lines of stdin and prints the replies.

  -addr HOST:PORT  where to listen or connect (default 127.0.0.1:9901)
  -trace           narrate every socket call on stderr; a call that returns
                   what it returned last time on that socket is not repeated
  -quiet           print totals instead of a line per line received:
                   each client's count of lines, as it is closed
  -poll D          sleep D after a pass that found nothing (default 100ms; 0 spins)
  -max-clients N   poll N clients at most; one more is told "server busy" (default 1024)
  -clients N       stop once N connections have closed (default 0: until Ctrl-C)
  -timestamps      log the seed's line: the time, the client's address and port
  -timeout D       give up on a connect or a reply after D (default 5s)
  -duration D      measure: how long each idle server is watched (default 2s)
  -rounds N        measure: round trips timed at each poll interval (default 20)
`

const defaultAddr = "127.0.0.1:9901"

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
	allowed := map[string][]string{
		"demo":    {"trace"},
		"server":  {"addr", "trace", "quiet", "poll", "max-clients", "clients", "timestamps"},
		"client":  {"addr", "trace", "poll", "timeout"},
		"measure": {"duration", "rounds"},
	}
	if allowed[command] == nil {
		fmt.Fprintf(stderr, "unknown command %q\n%s", command, usage)
		return 2
	}

	flags := flag.NewFlagSet(command, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	addr := flags.String("addr", defaultAddr, "")
	trace := flags.Bool("trace", false, "")
	quiet := flags.Bool("quiet", false, "")
	poll := flags.Duration("poll", 100*time.Millisecond, "")
	maxClients := flags.Int("max-clients", 1024, "")
	clients := flags.Int("clients", 0, "")
	timestamps := flags.Bool("timestamps", false, "")
	timeout := flags.Duration("timeout", 5*time.Second, "")
	duration := flags.Duration("duration", 2*time.Second, "")
	rounds := flags.Int("rounds", 20, "")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, help)
			return 0
		}
		return 2
	}
	if err := checkFlags(flags, allowed[command]); err != nil {
		fmt.Fprintf(stderr, "%v\n%s", err, usage)
		return 2
	}
	switch {
	case *timeout < time.Millisecond || *timeout > time.Hour:
		// Winsock takes a timeout in whole milliseconds, where 0 means none.
		fmt.Fprintf(stderr, "bad -timeout %v: want 1ms to 1h\n%s", *timeout, usage)
		return 2
	case *poll < 0 || *duration <= 0:
		fmt.Fprintf(stderr, "-poll must not be negative, and -duration must be positive\n%s", usage)
		return 2
	case *maxClients < 1 || *clients < 0 || *rounds < 1:
		fmt.Fprintf(stderr, "-max-clients and -rounds must be at least 1, -clients at least 0\n%s", usage)
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
		return exitStatus(runDemo(stdout, *trace), stderr)
	case "measure":
		return exitStatus(measure(stdout, *duration, *rounds), stderr)
	case "server":
		config := serverConfig{at: at, poll: *poll, maxClients: *maxClients,
			serve: *clients, timestamps: *timestamps, quiet: *quiet}
		return serveUntilInterrupted(socks, stdout, stderr, config)
	}
	options := clientOptions{poll: *poll, timeout: *timeout, prompt: isTerminal(stdin)}
	return exitStatus(talk(socks, stdin, stdout, at, options), stderr)
}

// checkFlags refuses arguments, and flags that the command does not take.
func checkFlags(flags *flag.FlagSet, allowed []string) error {
	if flags.NArg() > 0 {
		return fmt.Errorf("the %s takes no arguments", flags.Name())
	}
	var wrong error
	flags.Visit(func(f *flag.Flag) {
		ok := false
		for _, name := range allowed {
			ok = ok || f.Name == name
		}
		if !ok && wrong == nil {
			wrong = fmt.Errorf("the %s does not take -%s", flags.Name(), f.Name)
		}
	})
	return wrong
}

// serveUntilInterrupted runs the server until Ctrl-C (SIGINT, or
// CTRL_C_EVENT on Windows) or SIGTERM, or until -clients says it is done.
// The server's one thread never waits in a call, so it can look at the
// signal itself between passes, and close everything on its own: the
// signal closes nothing here, and no grace time is needed. Once the
// server has closed its sockets (and called WSACleanup), we say it was
// interrupted, as the last line, and exit 0.
func serveUntilInterrupted(socks *sockets, stdout, stderr io.Writer, config serverConfig) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)
	err := servePolling(socks, stdout, config, nil, stop)
	var stopped *interrupted
	if errors.As(err, &stopped) {
		fmt.Fprintln(stdout, stopped)
		return 0
	}
	return exitStatus(err, stderr)
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
