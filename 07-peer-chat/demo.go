package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"time"
)

// The conversation the demo types, in turn: the side that types, the line.
var demoLines = []struct{ side, line string }{
	{"server", "hello, who is there?"},
	{"client", "a client, on 127.0.0.1"},
	{"server", "nice to meet you"},
	{"client", "/quit"},
}

// runDemo runs a server and a client in this process, types the lines
// above on their keyboards in lock-step (each line typed, sent, and
// printed by the peer before the next), and prints both terminals.
func runDemo(stdout io.Writer, trace bool) error {
	fmt.Fprint(stdout, `Chapter 07: a peer chat, two flows of control on each side.
The server and the client run in this one process, as they would in two
terminals. The server listens on 127.0.0.1 at a port the system picks
(shown as PORT). The demo types each line on one side's keyboard and waits
until the other side has printed it before it types the next.
`)
	server, client, port, err := startSides(trace)
	if err != nil {
		return err
	}

	// Both keyboard flows start once the two are connected.
	sides := map[string]*side{"server": server, "client": client}
	peers := map[string]*side{"server": client, "client": server}
	err = errors.Join(server.keyboard.waitForRead(), client.keyboard.waitForRead())
	for _, step := range demoLines {
		if err != nil {
			break
		}
		err = sides[step.side].typeLine(step.line, peers[step.side])
	}
	server.wait()
	client.wait()
	// The server's keyboard flow is still blocked in its keyboard's Read:
	// the conversation is over, and nothing in chat wakes it. In the real
	// program that Read is read(2) of the terminal (ReadFile of the console
	// on Windows), which the exit of the process ends: Go has no call that
	// stops one goroutine's read, and a signal would not help, since Go's
	// runtime installs its handlers with SA_RESTART and the read starts
	// again after them (signal(7)). The seed could end its keyboard reader
	// because it was a process: SIGUSR1, whose handler exits. Here both
	// sides share this process, which goes on, so the demo ends the read
	// itself: it closes the keyboard it types on, as Ctrl-D would.
	server.keyboard.close()
	client.keyboard.close()

	show(stdout, "the server's terminal", server.terminal, port)
	show(stdout, "the client's terminal", client.terminal, port)
	fmt.Fprint(stdout, `
Lines without "peer:" are what each side typed. The client typed /quit: it
shut down its sending half, the server read end-of-stream, said "peer left"
and exited, closing the connection; then the client read end-of-stream too.
The server's keyboard flow was still waiting for a line when the server
exited, and nothing in the program woke it. In two terminals that flow is
blocked in a read of the terminal, and the program exits without waiting
for it: the end of the process ends the read. (The seed's parent ended its
child, blocked in fgets, with SIGUSR1; Go cannot send a signal to one
goroutine.) Here both sides share one process, so the demo ends that read
by closing the keyboard it typed on.
`)
	if err != nil || server.status != 0 || client.status != 0 {
		return errors.Join(err, errors.New("demo: the chat went wrong; see the terminals above"))
	}
	return nil
}

// startSides starts the server, and the client once the server listens,
// each in a goroutine of its own that types nothing yet; port is the one
// the system picked.
func startSides(trace bool) (server, client *side, port string, err error) {
	server = newSide("07-peer-chat server -addr 127.0.0.1:0")
	ready := make(chan netip.AddrPort, 1)
	go func() {
		socks := demoSockets(server, trace)
		listening := func(addr netip.AddrPort) { ready <- addr }
		at := endpoint{"127.0.0.1", 0}
		server.finish(serveOnePeer(socks, server.keyboard, server, at, listening))
	}()
	var addr netip.AddrPort
	select {
	case addr = <-ready:
	case <-server.done:
		return nil, nil, "", errors.New("demo: the server did not start: " + server.String())
	}
	port = strconv.Itoa(int(addr.Port()))
	client = newSide("07-peer-chat client -addr 127.0.0.1:" + port)
	go func() {
		socks := demoSockets(client, trace)
		to := endpoint{"127.0.0.1", addr.Port()}
		client.finish(connectAndChat(socks, client.keyboard, client, to))
	}()
	return server, client, port, nil
}

// side is one side of the demo: its terminal, the keyboard the demo types
// on, and done, closed once the side has ended.
type side struct {
	*terminal
	keyboard *script
	done     chan struct{}
}

func newSide(command string) *side {
	return &side{terminal: newTerminal(command), keyboard: newScript(),
		done: make(chan struct{})}
}

// finish records how the side ended, as its terminal's finish does, and
// closes done.
func (s *side) finish(err error) {
	s.terminal.finish(err)
	close(s.done)
}

// wait waits until the side has ended; a side still running after
// stepTimeout says so in its terminal.
func (s *side) wait() {
	select {
	case <-s.done:
	case <-time.After(stepTimeout):
		fmt.Fprintf(s, "(still running after %v)\n", stepTimeout)
	}
}

// typeLine types line, as a terminal echoes it, and waits until the peer
// has printed it and this side's keyboard flow is back for the next line.
func (s *side) typeLine(line string, peer *side) error {
	fmt.Fprintln(s, line)
	s.keyboard.lines <- line
	if line == "/quit" {
		return nil
	}
	if err := peer.waitFor("\npeer: " + line + "\n"); err != nil {
		return err
	}
	return s.keyboard.waitForRead()
}
