// Command lab is the classroom exercise of chapter 06: a UDP echo server, and
// a client that must get every message through a path that loses, repeats
// and reorders datagrams. The part to write is in starter.go.
//
//	go run ./06-udp/lab server            echo datagrams on 127.0.0.1:7000
//	go run ./06-udp/lab client -n 10      send messages 1 to 10, print each echo
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"syscall"
	"time"
)

const usage = `usage: 06-udp-lab server [-addr IPV4:PORT]
       06-udp-lab client [-addr IPV4:PORT] [-n COUNT] [-timeout D] [-retries N]
`

const help = `
The server echoes every datagram to its sender until Ctrl-C. The client
sends messages 1 to COUNT, one datagram each, and prints "message N echoed"
for each echo it accepts.

  -addr IPV4:PORT  where to listen or send (default 127.0.0.1:7000)
  -n COUNT         how many messages the client sends (default 10)
  -timeout D       how long the client waits for an echo (default 1s)
  -retries N       how many times it may send a message again (default 3)
`

// clientOptions are the client's flags.
type clientOptions struct {
	count   int           // send messages 1 to count
	timeout time.Duration // how long one receive waits (SO_RCVTIMEO)
	retries int           // how many times a message may be sent again
}

// body is what every message says. It is the same for all of them on
// purpose: only a number can tell the echo of one from the echo of another.
const body = "ping"

// seqLen is the length of the sequence number at the start of a datagram:
// 4 bytes, big-endian (network byte order).
const seqLen = 4

// maxDatagram is the largest UDP payload over IPv4.
const maxDatagram = 65507

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program: it returns 0 when done, 1 when a call failed
// or the client gave up, 2 when the command line was wrong.
func run(args []string, stdout, stderr io.Writer) int {
	command := ""
	if len(args) > 0 {
		command, args = args[0], args[1:]
	}
	if command == "-h" || command == "-help" {
		fmt.Fprint(stderr, usage+help)
		return 0
	}
	flags := flag.NewFlagSet(command, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	addr := flags.String("addr", "127.0.0.1:7000", "")
	opts := clientOptions{}
	if command == "client" {
		flags.IntVar(&opts.count, "n", 10, "")
		flags.DurationVar(&opts.timeout, "timeout", time.Second, "")
		flags.IntVar(&opts.retries, "retries", 3, "")
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, help)
			return 0
		}
		return 2
	}
	at, err := netip.ParseAddrPort(*addr)
	switch {
	case command != "server" && command != "client":
		err = fmt.Errorf("unknown command %q: want server or client", command)
	case flags.NArg() > 0:
		err = fmt.Errorf("the %s takes no arguments", command)
	case err != nil || !at.Addr().Is4():
		err = fmt.Errorf("bad address %q: want IPV4:PORT, such as 127.0.0.1:7000", *addr)
	case command == "server":
		// The cases below check the client's flags.
	case opts.count < 1 || opts.count > 10000:
		err = fmt.Errorf("bad -n %d: want 1 to 10000", opts.count)
	case opts.timeout < time.Millisecond || opts.timeout > time.Hour:
		// Winsock reads 0 milliseconds as "no timeout at all".
		err = fmt.Errorf("bad -timeout %v: want 1ms to 1h", opts.timeout)
	case opts.retries < 0 || opts.retries > 100:
		err = fmt.Errorf("bad -retries %d: want 0 to 100", opts.retries)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%v\n%s", err, usage)
		return 2
	}

	if command == "server" {
		return serveUntilInterrupted(stdout, stderr, at)
	}
	return exitStatus(runClient(stdout, at, opts), stderr)
}

// serveUntilInterrupted echoes until Ctrl-C (SIGINT, or CTRL_C_EVENT on
// Windows) or SIGTERM. The server's thread is blocked in recvfrom and
// cannot be called back; we leave it there and exit, and the system closes
// its socket (chapter 06 shows how to wake it and close the socket first).
func serveUntilInterrupted(stdout, stderr io.Writer, at netip.AddrPort) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- serve(stdout, at) }()
	select {
	case err := <-done:
		return exitStatus(err, stderr)
	case sig := <-stop:
		fmt.Fprintf(stdout, "%v: server stopped\n", sig)
		return 0
	}
}

// exitStatus prints err, if any, as one line and returns the exit status.
func exitStatus(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, err)
	return 1
}

// failed turns the error of a call into one line: "bind 127.0.0.1:7000:
// address already in use (EADDRINUSE)".
func failed(call string, at netip.AddrPort, err error) error {
	if err == nil {
		return nil
	}
	message, name := describe(err)
	if name == "" {
		return fmt.Errorf("%s %v: %s", call, at, message)
	}
	return fmt.Errorf("%s %v: %s (%s)", call, at, message, name)
}

// openUDP initializes Winsock (WSAStartup, version 2.2; nothing to do on
// POSIX) and makes a UDP socket; at is the address its errors name. On
// Winsock, the ICMP "port unreachable" of a datagram we sent would make our
// next recvfrom fail, even on a socket that is not connected: a client that
// left would stop the server. We turn that off, as POSIX behaves.
func openUDP(at netip.AddrPort) (handle, error) {
	if err := startup(); err != nil {
		return 0, failed("WSAStartup", at, err)
	}
	s, err := openSocket()
	if err != nil {
		cleanup()
		return 0, failed("socket", at, err)
	}
	if err := ignorePortUnreachable(s); err != nil {
		closeUDP(s)
		return 0, failed("WSAIoctl", at, err)
	}
	return s, nil
}

// closeUDP closes the socket, and lets Winsock go (WSACleanup).
func closeUDP(s handle) {
	closeSocket(s)
	cleanup()
}
