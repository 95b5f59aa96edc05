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
	"fmt"
	"io"
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
  -trace            narrate every socket call: the server's on stderr, its
                    children's on stdout, in order with their lines
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

const (
	defaultAddr = "127.0.0.1:8001"
	// defaultTimeout bounds each wait of the client for the server.
	defaultTimeout = 5 * time.Second
	// stopGrace bounds how long an interrupted server waits for its
	// children once it has asked them to stop; then it kills them. It is
	// also the fallback should a system not wake a blocked call
	// (sockets.stop): a child whose recv stays blocked is killed, and the
	// server waits for its own accept at most another stopGrace.
	stopGrace = 5 * time.Second
)

// run is the whole program: it returns 0 when done, 1 when a call failed,
// 2 when the command line was wrong.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	command, args, err := splitCommand(args, takes)
	if err != nil {
		return exitStatus(err, stderr)
	}
	flags := newFlags(command, stderr)
	addr := flags.String("addr", defaultAddr, "")
	trace := flags.Bool("trace", false, "")
	quiet := flags.Bool("quiet", false, "")
	timeout := flags.Duration("timeout", defaultTimeout, "")
	maxProcs := flags.Int("max-procs", 64, "")
	clients := flags.Int("clients", 0, "")
	reuseAddr := flags.Bool("reuseaddr", true, "")
	nagle := flags.Bool("nagle", false, "")
	buffer := flags.Int("buffer", bufferSize, "")
	runs := flags.Int("runs", 3, "")
	conns := flags.Int("conns", 200, "")
	number := flags.Int("n", 0, "") // the child's number, given by the server
	if status, done := parseFlags(flags, args, stderr); done {
		return status
	}
	err = checkTimeout(*timeout)
	var at endpoint
	if err == nil {
		at, err = parseEndpoint(*addr)
	}
	if err == nil {
		err = checkValues(*buffer, *maxProcs, *clients, *runs, *conns)
	}
	if err == nil {
		err = onlyItsFlags(flags, takes[command], command == "client")
	}
	if err != nil {
		return exitStatus(err, stderr)
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
		config := serverConfig{at: at, maxProcs: *maxProcs, clients: *clients,
			reuseAddr: *reuseAddr, nagle: *nagle, buffer: *buffer, trace: *trace, quiet: *quiet}
		return serveUntilInterrupted(socks, stdout, stderr, config)
	}
	message, err := readMessage(flags.Args(), stdin)
	if err != nil {
		return exitStatus(err, stderr)
	}
	return exitStatus(sendAndReceive(socks, stdout, at, message, *quiet, *timeout), stderr)
}

// checkValues checks the chapter's own numbers: the child's buffer, and
// the server's and measure's counts.
func checkValues(buffer, maxProcs, clients, runs, conns int) error {
	if buffer < 1 || buffer > maxBuffer {
		return usageError{fmt.Errorf("bad -buffer %d: want 1 to %d", buffer, maxBuffer)}
	}
	if maxProcs < 1 || clients < 0 || runs < 1 || conns < 1 {
		return usageError{errors.New("-max-procs, -runs and -conns must be at least 1, -clients at least 0")}
	}
	return nil
}

// takes lists the flags each command takes. The child command is the
// server's own: it starts each child with its number and the server's
// -trace, -quiet and -buffer.
var takes = map[string][]string{
	"demo":    {"trace"},
	"server":  {"addr", "trace", "quiet", "max-procs", "clients", "reuseaddr", "nagle", "buffer"},
	"client":  {"addr", "trace", "quiet", "timeout"},
	"measure": {"runs", "conns"},
	"child":   {"n", "trace", "quiet", "buffer"},
}
