// Command 06-udp is chapter 06 of the course: the seed's UDP echo server and
// client, made of socket, bind, recvfrom and sendto, on Windows through
// Winsock and on Linux and macOS through their POSIX twins.
//
//	go run ./06-udp                     the demo
//	go run ./06-udp server              echo datagrams on 127.0.0.1:7000
//	go run ./06-udp client [text]       send text, or each stdin line, and check the echo
package main

import (
	"fmt"
	"io"
	"time"
)

// usage is printed after every mistake on the command line; -h adds help.
const usage = `usage: 06-udp [demo] [-trace]
       06-udp server [-addr HOST:PORT] [-trace] [-buffer N] [-count N] [-ports]
       06-udp client [-addr HOST:PORT] [-trace] [-timeout D] [-retries N] [MESSAGE | -]
`

const help = `
The server echoes every datagram to its sender until Ctrl-C. The client
sends MESSAGE as one datagram, or each line of stdin as one (- sends all
of stdin as one), waits for each echo and checks it.

  -addr HOST:PORT  where to listen or send (default 127.0.0.1:7000)
  -trace           narrate every socket call on stderr
  -buffer N        the server's receive buffer, 1 to 65507 bytes (default 65507)
  -count N         the server stops after N datagrams (default 0: never)
  -ports           the server logs each sender's port too
  -timeout D       how long the client waits for an echo (default 1s)
  -retries N       how many times it sends a datagram again (default 3)
`

const (
	defaultAddr = "127.0.0.1:7000"
	// defaultTimeout bounds each wait of the client for an echo.
	defaultTimeout = time.Second
	// defaultRetries is how many times the client sends a datagram again.
	defaultRetries = 3
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
	server := serverConfig{}
	flags.IntVar(&server.buffer, "buffer", maxDatagram, "")
	flags.IntVar(&server.count, "count", 0, "")
	flags.BoolVar(&server.ports, "ports", false, "")
	client := clientOptions{}
	flags.DurationVar(&client.timeout, "timeout", defaultTimeout, "")
	flags.IntVar(&client.retries, "retries", defaultRetries, "")
	if status, done := parseFlags(flags, args, stderr); done {
		return status
	}
	err = checkValues(server, client)
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
		server.at = at
		return untilInterrupted(socks, stdout, stderr, "server", func() error {
			return serveDatagrams(socks, stdout, server, nil)
		})
	}
	next, err := messages(flags.Args(), stdin)
	if err != nil {
		return exitStatus(err, stderr)
	}
	return exitStatus(sendDatagrams(socks, stdout, at, client, next), stderr)
}

// takes lists the flags each command takes.
var takes = map[string][]string{
	"demo":   {"trace"},
	"server": {"addr", "trace", "buffer", "count", "ports"},
	"client": {"addr", "trace", "timeout", "retries"},
}

// checkValues checks the flags whose values have bounds, whichever
// command was given them.
func checkValues(server serverConfig, client clientOptions) error {
	switch {
	case server.buffer < 1 || server.buffer > maxDatagram:
		return usageError{fmt.Errorf("bad -buffer %d: want 1 to %d bytes", server.buffer, maxDatagram)}
	case server.count < 0:
		return usageError{fmt.Errorf("bad -count %d: want 0 or more", server.count)}
	}
	if err := checkTimeout(client.timeout); err != nil {
		return err
	}
	if client.retries < 0 || client.retries > 100 {
		return usageError{fmt.Errorf("bad -retries %d: want 0 to 100", client.retries)}
	}
	return nil
}
