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
	"fmt"
	"io"
	"os"
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
	// stopGrace bounds how long a stopping server waits for the routines
	// of the operations still in flight once their sockets are cancelled.
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
	backend := flags.String("backend", os.Getenv(backendVariable), "")
	maxClients := flags.Int("max-clients", defaultMaxClients, "")
	clients := flags.Int("clients", 0, "")
	accept := flags.String("accept", "poll", "")
	timeout := flags.Duration("timeout", defaultTimeout, "")
	if status, done := parseFlags(flags, args, stderr); done {
		return status
	}
	err = checkTimeout(*timeout)
	var at endpoint
	if err == nil {
		at, err = parseEndpoint(*addr)
	}
	if err == nil {
		err = checkValues(*backend, *maxClients, *clients, *accept)
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
		return exitStatus(runDemo(stdout, stderr, *trace, *backend), stderr)
	case "server":
		config := serverConfig{at: at, quiet: *quiet, backend: *backend, maxClients: *maxClients,
			clients: *clients, acceptPosted: *accept == "posted"}
		return serveUntilInterrupted(socks, stdout, stderr, config)
	}
	return exitStatus(echoLines(socks, stdin, stdout, at, false, *quiet, *timeout), stderr)
}

// checkValues checks the values of the server's flags (and -backend, the
// demo's too).
func checkValues(backend string, maxClients, clients int, accept string) error {
	switch {
	case !validBackend(backend):
		return usageError{fmt.Errorf("unknown backend %q: this system has %s", backend, backends)}
	case maxClients < 1 || maxClients > 100000:
		return usageError{fmt.Errorf("bad -max-clients %d: want 1 to 100000", maxClients)}
	case clients < 0:
		return usageError{fmt.Errorf("bad -clients %d: want 0 or more", clients)}
	case accept != "poll" && accept != "posted":
		return usageError{fmt.Errorf("unknown -accept %q: want poll or posted", accept)}
	}
	return nil
}

// takes lists the flags each command takes.
var takes = map[string][]string{
	"demo":   {"trace", "backend"},
	"server": {"addr", "trace", "quiet", "backend", "max-clients", "clients", "accept"},
	"client": {"addr", "trace", "quiet", "timeout"},
}
