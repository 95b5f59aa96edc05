// Command 01-blocking is chapter 01 of the course: the Winsock "Getting
// Started" echo server and client, made of blocking calls, on Windows through
// Winsock and on Linux and macOS through their POSIX twins.
//
//	go run ./01-blocking                 the demo
//	go run ./01-blocking server          serve one client on 127.0.0.1:27015
//	go run ./01-blocking client [text]   send text and print what comes back
package main

import (
	"io"
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
	if status, done := parseFlags(flags, args, stderr); done {
		return status
	}
	err = checkTimeout(*timeout)
	var at endpoint
	if err == nil {
		at, err = parseEndpoint(*addr)
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
	case "server":
		keepSpareP()
		return untilInterrupted(socks, stdout, stderr, "server", func() error {
			return serveOneClient(socks, stdout, at, *quiet, nil)
		})
	}
	message := messageSource(flags.Args(), stdin)
	return exitStatus(sendAndReceive(socks, stdout, at, message, *timeout, *quiet), stderr)
}

// takes lists the flags each command takes.
var takes = map[string][]string{
	"demo":   {"trace"},
	"server": {"addr", "trace", "quiet"},
	"client": {"addr", "trace", "quiet", "timeout"},
}
