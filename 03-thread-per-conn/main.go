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

// The main goroutine stays on the process's main thread, which runs the
// accept loop, as the seed's main does. Locking it here, before main runs,
// also keeps serving threads off the main thread: Go never ends the main
// thread, so a goroutine that locked it would not take it down on return.
func init() { runtime.LockOSThread() }

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
		"demo":    {"show-tid"},
		"server":  {"addr", "trace", "quiet", "max-threads", "clients", "show-tid"},
		"client":  {"addr", "trace", "timeout"},
		"measure": {"server", "quick"},
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
	maxThreads := flags.Int("max-threads", defaultMaxThreads, "")
	maxClients := flags.Int("clients", 0, "")
	showTID := flags.Bool("show-tid", false, "")
	timeout := flags.Duration("timeout", defaultTimeout, "")
	program := flags.String("server", "", "")
	quick := flags.Bool("quick", false, "")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, help)
			return 0
		}
		return 2
	}
	var misplaced []string
	flags.Visit(func(f *flag.Flag) {
		if !strings.Contains(" "+strings.Join(allowed[command], " ")+" ", " "+f.Name+" ") {
			misplaced = append(misplaced, "-"+f.Name)
		}
	})
	switch {
	case len(misplaced) > 0:
		fmt.Fprintf(stderr, "the %s does not take %s\n%s", command, strings.Join(misplaced, " "), usage)
		return 2
	case flags.NArg() > 0:
		fmt.Fprintf(stderr, "the %s takes no arguments\n%s", command, usage)
		return 2
	case *maxThreads < 1:
		fmt.Fprintf(stderr, "bad -max-threads %d: want at least 1\n%s", *maxThreads, usage)
		return 2
	case *maxClients < 0:
		fmt.Fprintf(stderr, "bad -clients %d: want 0 (no limit) or more\n%s", *maxClients, usage)
		return 2
	case *timeout < time.Millisecond || *timeout > time.Hour:
		// Winsock takes the timeout in whole milliseconds, and 0 means none.
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
		return exitStatus(runDemo(stdout, *showTID), stderr)
	case "measure":
		return exitStatus(runMeasure(stdout, *program, *quick), stderr)
	case "client":
		return exitStatus(chat(socks, stdout, stdin, at, *timeout), stderr)
	}
	srv := &server{socks: socks, out: &lockedWriter{w: stdout}, errs: &lockedWriter{w: stderr},
		maxThreads: *maxThreads, maxClients: *maxClients, showTID: *showTID, quiet: *quiet,
		serving: map[int]*sock{}}
	return serveUntilInterrupted(srv, stderr, at)
}

// serveUntilInterrupted runs the accept loop on the main thread until
// -clients have come and gone, or until Ctrl-C (SIGINT, CTRL_C_EVENT or
// CTRL_BREAK_EVENT on Windows) or SIGTERM. A thread blocked in accept or
// recv cannot be called back; stop wakes each blocked call instead, each
// call then reports errInterrupted, and we wait for every thread. The
// server's last line comes after WSACleanup, once no socket is left.
func serveUntilInterrupted(srv *server, stderr io.Writer, at endpoint) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)

	if _, err := srv.listen(at); err != nil {
		if srv.listener != nil {
			srv.listener.close()
		}
		srv.socks.cleanup()
		return exitStatus(err, stderr)
	}
	stopped := make(chan os.Signal, 1)
	go func() {
		sig := <-stop
		srv.stop()
		stopped <- sig
	}()

	if err := srv.acceptLoop(); err != nil {
		srv.stop()
		srv.wait(stopGrace)
		srv.socks.cleanup()
		return exitStatus(err, stderr)
	}

	if !srv.isStopping() {
		srv.socks.cleanup()
		clients := "clients"
		if srv.maxClients == 1 {
			clients = "client"
		}
		srv.out.printf("served %d %s: server stopped\n", srv.maxClients, clients)
		return 0
	}
	sig := <-stopped
	if !srv.wait(stopGrace) {
		fmt.Fprintf(stderr, "a thread did not return within %v of being woken\n", stopGrace)
	}
	srv.socks.cleanup()
	srv.out.printf("%v: server stopped\n", sig)
	return 0
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
