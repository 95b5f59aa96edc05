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
	"io"
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

const (
	defaultAddr = "127.0.0.1:9901"
	// defaultTimeout bounds each wait of the client for the server.
	defaultTimeout = 5 * time.Second
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
	poll := flags.Duration("poll", 100*time.Millisecond, "")
	maxClients := flags.Int("max-clients", 1024, "")
	clients := flags.Int("clients", 0, "")
	timestamps := flags.Bool("timestamps", false, "")
	timeout := flags.Duration("timeout", defaultTimeout, "")
	duration := flags.Duration("duration", 2*time.Second, "")
	rounds := flags.Int("rounds", 20, "")
	if status, done := parseFlags(flags, args, stderr); done {
		return status
	}
	err = checkTimeout(*timeout)
	if err == nil {
		err = checkValues(*poll, *duration, *maxClients, *clients, *rounds)
	}
	var at endpoint
	if err == nil {
		at, err = parseEndpoint(*addr)
	}
	if err == nil {
		err = onlyItsFlags(flags, takes[command], false)
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
		return exitStatus(measure(stdout, *duration, *rounds), stderr)
	case "server":
		config := serverConfig{at: at, poll: *poll, maxClients: *maxClients,
			clients: *clients, timestamps: *timestamps, quiet: *quiet}
		return serveUntilInterrupted(socks, stdout, stderr, config)
	}
	options := clientOptions{poll: *poll, timeout: *timeout, prompt: isTerminal(stdin)}
	return exitStatus(talk(socks, stdin, stdout, at, options), stderr)
}

// checkValues checks the values of the chapter's own flags, whichever
// command was given them.
func checkValues(poll, duration time.Duration, maxClients, clients, rounds int) error {
	switch {
	case poll < 0 || duration <= 0:
		return usageError{errors.New("-poll must not be negative, and -duration must be positive")}
	case maxClients < 1 || clients < 0 || rounds < 1:
		return usageError{errors.New("-max-clients and -rounds must be at least 1, -clients at least 0")}
	}
	return nil
}

// takes lists the flags each command takes; none takes arguments.
var takes = map[string][]string{
	"demo":    {"trace"},
	"server":  {"addr", "trace", "quiet", "poll", "max-clients", "clients", "timestamps"},
	"client":  {"addr", "trace", "poll", "timeout"},
	"measure": {"duration", "rounds"},
}
