package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
)

// terminal collects what one side of the demo prints, as its own terminal
// window would show it, so the demo can print each side whole and in order.
type terminal struct {
	command string
	output  bytes.Buffer
	status  int
}

// finish records how the side ended: its error line, if any, and its status.
func (t *terminal) finish(err error) {
	t.status = exitStatus(err, &t.output)
}

// runDemo runs the chapter's server and the seed's client in this process,
// each in its own goroutine, and prints both terminals once both are done.
func runDemo(stdout io.Writer, trace bool) error {
	fmt.Fprint(stdout, `Chapter 01: blocking calls, one client.
The server and the client run in this one process, as they would in two
terminals. The server listens on 127.0.0.1 at a port the system picks
(shown as PORT); the client sends "this is a test" and shuts down sending.
`)
	server := &terminal{command: "01-blocking server -addr 127.0.0.1:0"}
	ready := make(chan netip.AddrPort, 1)
	done := make(chan error, 1)
	go func() {
		socks := demoSockets(&server.output, trace)
		listening := func(addr netip.AddrPort) { ready <- addr }
		done <- serveOneClient(socks, &server.output, endpoint{"127.0.0.1", 0}, false, listening)
	}()

	// The client may connect only once the server listens.
	var addr netip.AddrPort
	select {
	case addr = <-ready:
	case err := <-done:
		return err
	}
	to := endpoint{"127.0.0.1", addr.Port()}
	client := runClient(to, trace)
	server.finish(<-done)
	port := strconv.Itoa(int(addr.Port()))
	show(stdout, "the server's terminal", server, port)
	show(stdout, "the client's terminal", client, port)
	if server.status != 0 || client.status != 0 {
		return errors.New("demo: the exchange failed; see the terminals above")
	}

	// The server closed its listening socket right after accept; now that
	// it has exited too, a second client finds nobody there.
	fmt.Fprint(stdout, `
The server served its one client and exited. It closed its listening socket
right after accept, so a second client, even one that came during the first
exchange, finds nobody listening:
`)
	second := runClient(to, trace)
	show(stdout, "a second client", second, port)
	fmt.Fprintln(stdout, "\nChapter 02 serves many clients with one thread.")
	if second.status != 1 {
		return errors.New("demo: the second client should have been refused")
	}
	return nil
}

// runClient runs the seed's client against to and returns its terminal.
func runClient(to endpoint, trace bool) *terminal {
	t := &terminal{command: fmt.Sprintf("01-blocking client -addr 127.0.0.1:%d", to.port)}
	socks := demoSockets(&t.output, trace)
	message := strings.NewReader("this is a test")
	t.finish(sendAndReceive(socks, &t.output, to, message, defaultTimeout, false))
	return t
}

// demoSockets makes a side's socket table; its trace goes to the side's
// terminal, in order with the rest of what that side prints.
func demoSockets(w io.Writer, trace bool) *sockets {
	socks := &sockets{}
	if trace {
		socks.trace = w
	}
	return socks
}

// show prints one terminal, with the port the system chose written PORT.
func show(stdout io.Writer, title string, t *terminal, port string) {
	text := "% " + t.command + "\n" + t.output.String()
	text = strings.ReplaceAll(text, ":"+port, ":PORT")
	text = strings.ReplaceAll(text, `"`+port+`"`, `"PORT"`)
	fmt.Fprintf(stdout, "\n-- %s --\n%s(exit status %d)\n", title, text, t.status)
}
