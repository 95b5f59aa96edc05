// Command 03-thread-per-conn is chapter 03 of the course: the seed's
// multi-connection server, which gives every client a thread of its own
// that makes blocking calls, and its client, on Windows through Winsock and
// on Linux and macOS through their POSIX twins.
//
//	go run ./03-thread-per-conn                 the demo
//	go run ./03-thread-per-conn server          serve clients on 127.0.0.1:9901
//	go run ./03-thread-per-conn client          send lines of stdin, print the answers
//	go run ./03-thread-per-conn measure         threads, memory and round trips
package main

import (
	"fmt"
	"io"
	"time"
)

// usage is printed after every mistake on the command line; -h adds help.
const usage = `usage: 03-thread-per-conn [demo] [-show-tid]
       03-thread-per-conn server [-addr HOST:PORT] [-trace] [-quiet] [-max-threads N] [-clients N] [-show-tid]
       03-thread-per-conn client [-addr HOST:PORT] [-trace] [-timeout D]
       03-thread-per-conn measure [-server 'PROGRAM [FLAGS]'] [-quick]
`

const help = `
The demo runs a server and four clients in one process. The server gives
each client a thread of its own; the client sends each line of stdin and
prints the answer, and stops after "quit" or at the end of stdin.

  -addr HOST:PORT  where to listen or connect (default 127.0.0.1:9901)
  -trace           narrate every socket call on stderr
  -quiet           print totals instead of a line per line received:
                   each thread's count of lines, as it ends
  -timeout D       give up on a reply or a send after D (default 5s); on
                   Linux, on a connect too
  -max-threads N   serve at most N clients at once; tell the others
                   "server busy" (default 256)
  -clients N       accept N clients, then stop accepting and exit once
                   they are done (default 0: run until Ctrl-C)
  -show-tid        print OS thread ids and raw thread counts, which change
                   from run to run
  -server 'PROGRAM [FLAGS]'
                   measure another chapter's server (same protocol)
  -quick           measure once, briefly, instead of three times
`

const (
	defaultAddr       = "127.0.0.1:9901"
	defaultMaxThreads = 256
	// defaultTimeout bounds each wait of the client for the server, as
	// chapter 02's -timeout does.
	defaultTimeout = 5 * time.Second
	// stopGrace bounds how long an interrupted server waits for its
	// threads to return once stop has woken them.
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
	maxThreads := flags.Int("max-threads", defaultMaxThreads, "")
	clients := flags.Int("clients", 0, "")
	showTID := flags.Bool("show-tid", false, "")
	program := flags.String("server", "", "")
	quick := flags.Bool("quick", false, "")
	if status, done := parseFlags(flags, args, stderr); done {
		return status
	}
	err = checkValues(*timeout, *maxThreads, *clients)
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
		return exitStatus(runDemo(stdout, *showTID), stderr)
	case "measure":
		return exitStatus(runMeasure(stdout, *program, *quick), stderr)
	case "client":
		return exitStatus(chat(socks, stdout, stdin, at, *timeout), stderr)
	}
	config := serverConfig{at: at, maxThreads: *maxThreads, clients: *clients,
		showTID: *showTID, quiet: *quiet}
	return serveUntilInterrupted(socks, stdout, stderr, config)
}

// checkValues checks the values of the flags: the client's -timeout, as
// every chapter's, then the server's -max-threads and -clients.
func checkValues(timeout time.Duration, maxThreads, clients int) error {
	if err := checkTimeout(timeout); err != nil {
		return err
	}
	if maxThreads < 1 {
		return usageError{fmt.Errorf("bad -max-threads %d: want at least 1", maxThreads)}
	}
	if clients < 0 {
		return usageError{fmt.Errorf("bad -clients %d: want 0 (no limit) or more", clients)}
	}
	return nil
}

// takes lists the flags each command takes.
var takes = map[string][]string{
	"demo":    {"show-tid"},
	"server":  {"addr", "trace", "quiet", "max-threads", "clients", "show-tid"},
	"client":  {"addr", "trace", "timeout"},
	"measure": {"server", "quick"},
}
