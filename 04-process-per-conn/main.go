// Command 04-process-per-conn is chapter 04 of the course: the seed's echo
// server that forks a process for every client, written without fork: the
// server starts a fresh copy of itself for each client and hands it the
// connected socket, on POSIX as an inherited descriptor, on Windows with
// WSADuplicateSocket.
//
//	go run ./04-process-per-conn                 the demo
//	go run ./04-process-per-conn server          serve clients on 127.0.0.1:8001
//	go run ./04-process-per-conn client [text]   send text and print what comes back
//	go run ./04-process-per-conn measure         what a process per client costs
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// usage is printed after every mistake on the command line; -h adds help.
// The child command is not in it: only the server starts children.
const usage = `usage: 04-process-per-conn [demo] [-trace]
       04-process-per-conn server [-addr HOST:PORT] [-trace] [-quiet] [-max-procs N] [-clients N] [-reuseaddr=false] [-nagle] [-buffer N]
       04-process-per-conn client [-addr HOST:PORT] [-trace] [-quiet] [-timeout D] [MESSAGE | -]
       04-process-per-conn measure [-runs N] [-conns N]
`

const help = `
The server starts a child process for every client it accepts; the child
echoes what the client sends and exits. The client sends MESSAGE (default
"this is a test"; - reads it from stdin, at most 64 KiB) and receives the echo.

  -addr HOST:PORT   where to listen or connect (default 127.0.0.1:8001)
  -trace            narrate every socket call on stderr, the children's too
  -quiet            print totals instead of a line per recv and send
  -max-procs N      children at once; past it a client is told "server busy" (default 64)
  -clients N        stop after N clients, once their children exit (default 0: run until Ctrl-C)
  -reuseaddr=false  bind without SO_REUSEADDR (SO_EXCLUSIVEADDRUSE on Windows)
  -nagle            leave Nagle's algorithm on: no TCP_NODELAY on the clients' sockets
  -buffer N         bytes each child's read may take (default 65536; the seed's is 512)
  -timeout D        give up on a reply or a send after D (default 5s); on
                    Linux, on a connect too
  -runs N, -conns N measure N runs of N connections each (default 3, 200)
`

const defaultAddr = "127.0.0.1:8001"

// stopGrace bounds how long an interrupted server waits for its children
// once it has asked them to stop; then it kills them. It is also the
// fallback should a system not wake a blocked call (sockets.stop): a child
// whose recv stays blocked is killed, and the server waits for its own
// accept at most another stopGrace.
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
	switch command {
	case "demo", "server", "client", "measure", "child":
	default:
		fmt.Fprintf(stderr, "unknown command %q\n%s", command, usage)
		return 2
	}

	flags := flag.NewFlagSet(command, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	addr := flags.String("addr", defaultAddr, "")
	trace := flags.Bool("trace", false, "")
	quiet := flags.Bool("quiet", false, "")
	maxProcs := flags.Int("max-procs", 64, "")
	clients := flags.Int("clients", 0, "")
	reuseAddr := flags.Bool("reuseaddr", true, "")
	nagle := flags.Bool("nagle", false, "")
	buffer := flags.Int("buffer", bufferSize, "")
	timeout := flags.Duration("timeout", 5*time.Second, "")
	runs := flags.Int("runs", 3, "")
	conns := flags.Int("conns", 200, "")
	number := flags.Int("n", 0, "") // the child's number, given by the server
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, help)
			return 0
		}
		return 2
	}
	at, err := parseEndpoint(*addr)
	if err == nil && (*buffer < 1 || *buffer > maxBuffer) {
		err = fmt.Errorf("bad -buffer %d: want 1 to %d", *buffer, maxBuffer)
	}
	if err == nil && (*maxProcs < 1 || *clients < 0 || *runs < 1 || *conns < 1) {
		err = errors.New("-max-procs, -runs and -conns must be at least 1, -clients at least 0")
	}
	if err == nil && (*timeout < time.Millisecond || *timeout > time.Hour) {
		// Winsock takes the timeout in whole milliseconds, and 0 means none.
		err = fmt.Errorf("bad -timeout %v: want 1ms to 1h", *timeout)
	}
	if err == nil {
		err = onlyItsFlags(command, flags)
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
		return exitStatus(runDemo(stdout, *trace), stderr)
	case "measure":
		return exitStatus(measure(stdout, *runs, *conns), stderr)
	case "child":
		err := serveHandedClient(*number, *trace, *quiet, *buffer, stdin, stdout, stderr)
		return exitStatus(err, &linePrefixer{w: stderr, prefix: fmt.Sprintf("child %d: ", *number)})
	case "server":
		cfg := serverConfig{at: at, maxProcs: *maxProcs, clients: *clients,
			reuseAddr: *reuseAddr, nagle: *nagle, buffer: *buffer, trace: *trace, quiet: *quiet}
		return serveUntilInterrupted(newServer(socks, stdout, stderr, cfg), stdout, stderr)
	}
	message, err := readMessage(flags.Args(), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n%s", err, usage)
		return 2
	}
	return exitStatus(sendAndReceive(socks, stdout, at, message, *quiet, *timeout), stderr)
}

// onlyItsFlags checks that the command was given only the flags it takes,
// and arguments only if it is the client.
func onlyItsFlags(command string, flags *flag.FlagSet) error {
	takes := map[string][]string{
		"demo":    {"trace"},
		"server":  {"addr", "trace", "quiet", "max-procs", "clients", "reuseaddr", "nagle", "buffer"},
		"client":  {"addr", "trace", "quiet", "timeout"},
		"measure": {"runs", "conns"},
		"child":   {"n", "trace", "quiet", "buffer"},
	}[command]
	var wrong error
	flags.Visit(func(f *flag.Flag) {
		if !slices.Contains(takes, f.Name) {
			wrong = fmt.Errorf("the %s does not take -%s", command, f.Name)
		}
	})
	if wrong == nil && command != "client" && flags.NArg() > 0 {
		wrong = fmt.Errorf("the %s takes no arguments", command)
	}
	return wrong
}

// serveUntilInterrupted runs the server until it has served -clients
// clients, or until Ctrl-C (SIGINT, or CTRL_C_EVENT on Windows) or SIGTERM:
// then it stops accepting, asks its children to stop, waits for them, and
// exits 0.
func serveUntilInterrupted(srv *server, stdout, stderr io.Writer) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)

	done := make(chan error, 1)
	go func() { done <- srv.serve(nil) }()
	select {
	case err := <-done:
		return exitStatus(err, stderr)
	case sig := <-stop:
		srv.stopAndWait(done)
		fmt.Fprintf(srv.out, "%v: server stopped\n", sig)
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

// readMessage returns what the client sends: its arguments joined by spaces,
// the seed's "this is a test" when there are none, or stdin for "-".
func readMessage(args []string, stdin io.Reader) ([]byte, error) {
	switch {
	case len(args) == 0:
		return []byte("this is a test"), nil
	case len(args) == 1 && args[0] == "-":
		message, err := io.ReadAll(io.LimitReader(stdin, maxMessage+1))
		if err != nil {
			return nil, fmt.Errorf("reading stdin: %v", err)
		}
		if len(message) > maxMessage {
			return nil, fmt.Errorf("message on stdin is over %d bytes: this client sends it all before it reads", maxMessage)
		}
		return message, nil
	}
	return []byte(strings.Join(args, " ")), nil
}
