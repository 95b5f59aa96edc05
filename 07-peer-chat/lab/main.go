// Command room is the lab of chapter 07: a chat room that any line client
// can join (nc, or the chapter's client). You write the room itself, in
// starter.go; this file is what stays the same: the command line, the
// listening socket, the accept loop and Ctrl-C.
//
//	go run ./07-peer-chat/lab                                a room on 127.0.0.1:8001
//	go run ./07-peer-chat/lab -addr 127.0.0.1:0 -max 3        any free port, three peers at most
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

const usage = "usage: room [-addr HOST:PORT] [-max N]\n"

const help = `
The room listens for peers. Each line a peer sends goes to every other
peer as "peer K: LINE", K counting the peers in the order they joined.

  -addr HOST:PORT  where to listen, an IPv4 address (default 127.0.0.1:8001;
                   :PORT listens on every interface)
  -max N           at most N peers at once (default 16)
`

// maxLine bounds a line: the room relays at most this many bytes of one.
const maxLine = 4096

// stopGrace bounds how long Ctrl-C waits, once every socket is closed,
// for the calls that were blocked on them and the accept loop to return.
const stopGrace = 5 * time.Second

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program: it returns 0 when done, 1 when a call failed,
// 2 when the command line was wrong.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("room", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	addr := flags.String("addr", "127.0.0.1:8001", "")
	maxPeers := flags.Int("max", 16, "")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, help)
			return 0
		}
		return 2
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "the room takes no arguments\n%s", usage)
		return 2
	}
	at, err := parseAddr(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n%s", err, usage)
		return 2
	}
	if *maxPeers < 1 {
		fmt.Fprintf(stderr, "bad -max %d: want at least 1\n%s", *maxPeers, usage)
		return 2
	}
	return runServer(at, *maxPeers, stdout, stderr)
}

// runServer is the room once its command line is read: it serves peers on
// at, maxPeers at most at once, until Ctrl-C, and returns 0 when stopped,
// 1 when a call failed.
func runServer(at netip.AddrPort, maxPeers int, stdout, stderr io.Writer) int {
	// A log.Logger writes each line whole, so the flows of many peers may
	// share it.
	say := log.New(stdout, "", 0)
	r := &room{max: maxPeers, say: say}
	socks := &sockets{}

	// Ctrl-C (SIGINT, CTRL_C_EVENT on Windows) or SIGTERM: closeAll shuts
	// down and closes every socket, which makes the blocked accept and
	// every blocked recv return.
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)
	done := make(chan error, 1)
	go func() { done <- serve(socks, at, r, say) }()
	select {
	case err := <-done:
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		return 0
	case sig := <-stop:
		say.SetOutput(io.Discard) // what the peers' flows say as they end
		ctx, cancel := context.WithTimeout(context.Background(), stopGrace)
		defer cancel()
		socks.closeAll(ctx)
		select {
		case <-done:
		case <-ctx.Done():
		}
		fmt.Fprintf(stdout, "%v: server stopped\n", sig)
		return 0
	}
}

// serve listens on at and hands each peer that connects to the room, in
// the order they arrive, until the listening socket is closed.
func serve(socks *sockets, at netip.AddrPort, r *room, say *log.Logger) error {
	// Initialize Winsock (WSAStartup); nothing to do on POSIX.
	if err := startup(); err != nil {
		return failed("WSAStartup", "", err)
	}
	defer cleanup()

	listener, err := socks.listen(at)
	if err != nil {
		return err
	}
	defer listener.close()
	say.Printf("listening on %v", listener.label)

	for {
		peer, err := listener.accept()
		if err != nil {
			if socks.isStopped() {
				return nil // Ctrl-C closed the listener
			}
			return err
		}
		// join must return at once: the next peer waits in accept.
		r.join(peer)
	}
}

// parseAddr reads HOST:PORT. The lab takes numeric IPv4 addresses only, as
// the chapter's server listens on IPv4 only, so it needs no resolver; an
// empty host listens on every interface.
func parseAddr(addr string) (netip.AddrPort, error) {
	full := addr
	if strings.HasPrefix(addr, ":") {
		full = "0.0.0.0" + addr
	}
	at, err := netip.ParseAddrPort(full)
	if err != nil || !at.Addr().Is4() {
		return at, fmt.Errorf("bad address %q: want an IPv4 HOST:PORT such as 127.0.0.1:8001", addr)
	}
	return at, nil
}
