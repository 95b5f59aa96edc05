// Command lab is the exercise of chapter 02: the chapter's server in small,
// one thread serving many clients over non-blocking sockets in the seed 001
// line protocol. Its loop (starter.go) tries every socket, then sleeps;
// the task is to make it wait until a socket is ready instead.
//
//	go run ./02-nonblocking-ioctl/lab [-addr HOST:PORT]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = "usage: lab [-addr HOST:PORT]\n"

const help = `
Serves clients on HOST:PORT (default 127.0.0.1:9901; HOST is an IPv4
address, :PORT is every interface) from one thread, until Ctrl-C. Each
line a client sends gets "Message received - <line>"; "quit" gets "quit"
and ends that connection. Chapter 02's client talks to it:
go run ./02-nonblocking-ioctl client
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program: it returns 0 when stopped by Ctrl-C, 1 when a
// call failed, 2 when the command line was wrong.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("lab", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	addr := flags.String("addr", "127.0.0.1:9901", "")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, help)
			return 0
		}
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "lab takes no arguments\n%s", usage)
		return 2
	}
	if strings.HasPrefix(*addr, ":") {
		*addr = "0.0.0.0" + *addr
	}
	at, err := netip.ParseAddrPort(*addr)
	if err != nil || !at.Addr().Is4() {
		fmt.Fprintf(stderr, "bad address %q: want an IPv4 address and a port, such as 127.0.0.1:9901\n%s", *addr, usage)
		return 2
	}

	// WSAStartup comes first on Winsock, WSACleanup after the last close.
	if err := startup(); err != nil {
		fmt.Fprintln(stderr, describe("WSAStartup", err))
		return 1
	}
	defer cleanup()
	srv := &server{stdout: stdout, buf: make([]byte, bufferSize)}
	if err := srv.listen(at); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer srv.closeEverything()

	// Ctrl-C (SIGINT, CTRL_C_EVENT on Windows) or SIGTERM stops the loop,
	// which then returns; the deferred calls close every socket.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	caught := make(chan os.Signal, 1)
	go func() {
		sig := <-signals
		caught <- sig
		srv.stop()
	}()
	if err := srv.serve(); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "%v: server stopped\n", <-caught)
	return 0
}
