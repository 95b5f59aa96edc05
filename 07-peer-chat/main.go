// Command 07-peer-chat is chapter 07 of the course: the seed's peer chat,
// in which each side reads its keyboard and the socket at once, on Windows
// through Winsock and on Linux and macOS through their POSIX twins.
//
//	go run ./07-peer-chat                 the demo
//	go run ./07-peer-chat server          wait for one peer on 127.0.0.1:8001
//	go run ./07-peer-chat client          connect to it; type, and read
package main

import (
	"io"
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
	if status, done := parseFlags(flags, args, stderr); done {
		return status
	}
	at, err := parseEndpoint(*addr)
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

	// Ctrl-C stops either side alike. The keyboard flow may stay blocked
	// in its read of the terminal: the program exits without it (see chat).
	switch command {
	case "demo":
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

// takes lists the flags each command takes.
var takes = map[string][]string{
	"demo":   {"trace"},
	"server": {"addr", "trace"},
	"client": {"addr", "trace"},
}
