// Command 01-blocking is chapter 01 of the course: the Winsock "Getting
// Started" echo server and client, made of blocking calls, on Windows through
// Winsock and on Linux and macOS through their POSIX twins.
//
//	go run ./01-blocking                 the demo
//	go run ./01-blocking server          serve one client on 127.0.0.1:27015
//	go run ./01-blocking client [text]   send text and print what comes back
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// usage is printed after every mistake on the command line; -h adds help.
const usage = `usage: 01-blocking [demo] [-trace]
       01-blocking server [-addr HOST:PORT] [-trace] [-quiet]
       01-blocking client [-addr HOST:PORT] [-trace] [-quiet] [-timeout D] [MESSAGE | -]
`

const help = `
The demo runs a server and a client in one process. The server serves one
client, echoing what it sends. The client sends MESSAGE (default "this is a
test"; - reads it from stdin, at most 64 KiB) and receives the echo.

  -addr HOST:PORT  where to listen or connect (default 127.0.0.1:27015)
  -trace           narrate every socket call on stderr
  -quiet           print totals instead of a line per recv and send
  -timeout D       give up on a reply or a send after D (default 5s); on
                   Linux, on a connect too
`

const (
	defaultAddr = "127.0.0.1:27015"
	// defaultTimeout bounds each wait of the client for the server.
	defaultTimeout = 5 * time.Second
	// stopGrace bounds how long an interrupted program waits for its
	// blocked call to return once stop has woken it.
	stopGrace = 5 * time.Second
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
	timeout := flags.Duration("timeout", defaultTimeout, "")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, help)
			return 0
		}
		return 2
	}
	if *timeout < time.Millisecond || *timeout > time.Hour {
		// The same bounds as every chapter's client: Winsock takes a
		// timeout in whole milliseconds, where 0 means none.
		fmt.Fprintf(stderr, "bad -timeout %v: want 1ms to 1h\n%s", *timeout, usage)
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
		extra := flags.NArg() > 0
		flags.Visit(func(f *flag.Flag) { extra = extra || f.Name != "trace" })
		if extra {
			fmt.Fprintf(stderr, "the demo takes only -trace\n%s", usage)
			return 2
		}
		return exitStatus(runDemo(stdout, *trace), stderr)
	case "server":
		if flags.NArg() > 0 {
			fmt.Fprintf(stderr, "the server takes no arguments\n%s", usage)
			return 2
		}
		timed := false
		flags.Visit(func(f *flag.Flag) { timed = timed || f.Name == "timeout" })
		if timed {
			fmt.Fprintf(stderr, "-timeout is the client's: a server waits for its clients\n%s", usage)
			return 2
		}
		return serveUntilInterrupted(socks, stdout, stderr, at, *quiet)
	}
	message := messageSource(flags.Args(), stdin)
	return exitStatus(sendAndReceive(socks, stdout, at, message, *timeout, *quiet), stderr)
}

// serveUntilInterrupted runs the server until its client is done, or until
// Ctrl-C (SIGINT, or CTRL_C_EVENT on Windows) or SIGTERM. A thread blocked in
// accept or recv cannot be called back; stop wakes the call instead, each
// call then reports errInterrupted, and we wait for the server to return.
func serveUntilInterrupted(socks *sockets, stdout, stderr io.Writer, at endpoint, quiet bool) int {
	keepSpareP()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)

	done := make(chan error, 1)
	go func() { done <- serveOneClient(socks, stdout, at, quiet, nil) }()
	select {
	case err := <-done:
		return exitStatus(err, stderr)
	case sig := <-stop:
		closeWakers := socks.stop()
		// The server closes its own sockets as it returns. Should a system
		// not wake its call, we stop all the same after stopGrace.
		select {
		case err := <-done:
			if err != nil && !errors.Is(err, errInterrupted) {
				fmt.Fprintln(stderr, err)
			}
		case <-time.After(stopGrace):
			fmt.Fprintf(stderr, "a call did not return within %v of being woken\n", stopGrace)
		}
		closeWakers()
		fmt.Fprintf(stdout, "%v: server stopped\n", sig)
		return 0
	}
}

// keepSpareP makes sure the Go scheduler has a P to spare, even on one CPU,
// unless the GOMAXPROCS variable says how many it wants.
//
// A P is the runtime's licence to run Go code: GOMAXPROCS of them, by
// default one per CPU the process may use. Our recv blocks in the system
// call read(2) (recv on Winsock) through Go's wrapper (entersyscall before,
// exitsyscall after), which lets the goroutine keep its P while its thread
// sleeps in the kernel. The runtime's monitor thread, sysmon, looks at such
// a P (every 20 µs while it finds work, backing off to 10 ms when it does
// not) and takes it back for other work once the call has lasted past one
// look, unless another P is idle anyway (retake in runtime/proc.go).
// On one CPU (taskset -c 0, a container's limit) GOMAXPROCS is 1, no P is
// ever idle, so every recv that waits for the client loses its P, the
// return from the call has to get one back, and sysmon, finding something
// to take every time, keeps waking every 20 µs on the CPU the server and its
// client share. With a spare P idle while we wait, sysmon leaves ours alone
// for up to 10 ms and sleeps longer and longer. The lesson measures both
// (README.md, "What a blocking call costs in Go"). With two CPUs or more
// nothing changes.
func keepSpareP() {
	if os.Getenv("GOMAXPROCS") == "" && runtime.GOMAXPROCS(0) < 2 {
		runtime.GOMAXPROCS(2)
	}
}

// exitStatus prints err, if any, as one line and returns the exit status.
// A name that does not resolve is a usage error, as a bad port is, and so
// is a message too long for this client.
func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, err)
	var failed *opError
	if errors.Is(err, errTooLong) || errors.As(err, &failed) && failed.call == nameResolver {
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

// messageSource returns where the client's message comes from: its
// arguments joined by spaces, the seed's "this is a test" when there are
// none, or stdin for "-". The client reads it once it has connected.
func messageSource(args []string, stdin io.Reader) io.Reader {
	switch {
	case len(args) == 0:
		return strings.NewReader("this is a test")
	case len(args) == 1 && args[0] == "-":
		return stdin
	}
	return strings.NewReader(strings.Join(args, " "))
}
