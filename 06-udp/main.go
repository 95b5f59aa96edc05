// Command 06-udp is chapter 06 of the course: the seed's UDP echo server and
// client, made of socket, bind, recvfrom and sendto, on Windows through
// Winsock and on Linux and macOS through their POSIX twins.
//
//	go run ./06-udp                     the demo
//	go run ./06-udp server              echo datagrams on 127.0.0.1:7000
//	go run ./06-udp client [text]       send text, or each stdin line, and check the echo
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
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

const defaultAddr = "127.0.0.1:7000"

// stopGrace bounds how long an interrupted program waits for its blocked
// call to return once stop has woken it.
const stopGrace = 5 * time.Second

// The flags each command takes, besides -addr and -trace.
var commandFlags = map[string][]string{
	"demo":   {"trace"},
	"server": {"addr", "trace", "buffer", "count", "ports"},
	"client": {"addr", "trace", "timeout", "retries"},
}

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
	if commandFlags[command] == nil {
		fmt.Fprintf(stderr, "unknown command %q\n%s", command, usage)
		return 2
	}

	flags := flag.NewFlagSet(command, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	addr := flags.String("addr", defaultAddr, "")
	trace := flags.Bool("trace", false, "")
	server := serverOptions{}
	flags.IntVar(&server.buffer, "buffer", maxDatagram, "")
	flags.IntVar(&server.count, "count", 0, "")
	flags.BoolVar(&server.ports, "ports", false, "")
	client := clientOptions{}
	flags.DurationVar(&client.timeout, "timeout", time.Second, "")
	flags.IntVar(&client.retries, "retries", 3, "")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, help)
			return 0
		}
		return 2
	}
	if err := checkFlags(command, flags, server, client); err != nil {
		fmt.Fprintf(stderr, "%v\n%s", err, usage)
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
		return exitStatus(runDemo(stdout, *trace), stderr)
	case "server":
		return serveUntilInterrupted(socks, stdout, stderr, at, server)
	}
	next, err := messages(flags.Args(), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n%s", err, usage)
		return 2
	}
	return exitStatus(sendDatagrams(socks, stdout, at, client, next), stderr)
}

// checkFlags refuses a flag the command does not take, and values out of range.
func checkFlags(command string, flags *flag.FlagSet, server serverOptions, client clientOptions) error {
	var err error
	flags.Visit(func(f *flag.Flag) {
		for _, name := range commandFlags[command] {
			if f.Name == name {
				return
			}
		}
		err = fmt.Errorf("the %s does not take -%s", command, f.Name)
	})
	switch {
	case err != nil:
		return err
	case command != "client" && flags.NArg() > 0:
		return fmt.Errorf("the %s takes no arguments", command)
	case server.buffer < 1 || server.buffer > maxDatagram:
		return fmt.Errorf("bad -buffer %d: want 1 to %d bytes", server.buffer, maxDatagram)
	case server.count < 0:
		return fmt.Errorf("bad -count %d: want 0 or more", server.count)
	case client.timeout < time.Millisecond || client.timeout > time.Hour:
		// Winsock reads 0 milliseconds as "no timeout at all".
		return fmt.Errorf("bad -timeout %v: want 1ms to 1h", client.timeout)
	case client.retries < 0 || client.retries > 100:
		return fmt.Errorf("bad -retries %d: want 0 to 100", client.retries)
	}
	return nil
}

// serveUntilInterrupted runs the server until it has served -count
// datagrams, or until Ctrl-C (SIGINT, or CTRL_C_EVENT on Windows) or SIGTERM.
// A thread blocked in recvfrom cannot be called back; stop wakes the call
// instead (a datagram to the server's socket), each call then reports
// errInterrupted, and we wait for the server to return.
func serveUntilInterrupted(socks *sockets, stdout, stderr io.Writer, at endpoint, opts serverOptions) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)

	done := make(chan error, 1)
	go func() { done <- serveDatagrams(socks, stdout, at, opts, nil) }()
	select {
	case err := <-done:
		return exitStatus(err, stderr)
	case sig := <-stop:
		closeWakers := socks.stop()
		// The server closes its own socket as it returns. Should a system
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
