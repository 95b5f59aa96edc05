package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
)

// runDemo runs the server and two of the seed's clients in this process.
// The clients take turns, one line at a time, and each waits until the
// server has finished with the line before the next is typed, so that the
// server's narration comes out in the same order on every run.
func runDemo(stdout, stderr io.Writer, trace bool, backend string) error {
	fmt.Fprint(stdout, `Chapter 05: overlapped I/O with completion routines, one thread.
The server posts each recv and send with a completion routine and returns
at once; the routines run later, on the server's one thread: Windows calls
them inside its alertable wait (SleepEx); on Linux the server itself calls
each one once io_uring_enter has returned its completion.
Two clients type in turn; the server listens on 127.0.0.1 at a port the
system picks (shown as PORT).
`)
	server := newServerTerminal("05-overlapped-routines server -addr 127.0.0.1:0")
	ready := make(chan netip.AddrPort, 1)
	stop := make(chan os.Signal, 1)
	done := make(chan error, 1)
	go func() {
		config := serverConfig{at: endpoint{"127.0.0.1", 0}, backend: backend,
			maxClients: 16, clients: 2, waited: server.markWaitEnd}
		done <- runServer(demoSockets(server, trace), server, stderr, config,
			func(addr netip.AddrPort) { ready <- addr }, stop)
	}()
	var addr netip.AddrPort
	select {
	case addr = <-ready:
	case err := <-done:
		return err
	}
	to := endpoint{"127.0.0.1", addr.Port()}
	command := fmt.Sprintf("05-overlapped-routines client -addr 127.0.0.1:%d", to.port)
	one, two := startClient(command, to, trace), startClient(command, to, trace)

	err := playScript(server, one, two)
	// The server stops once both clients have gone, or at this Ctrl-C.
	stop <- os.Interrupt
	server.finish(<-done)
	one.finish(<-one.done)
	two.finish(<-two.done)

	port := strconv.Itoa(int(addr.Port()))
	show(stdout, "the server's terminal", server.terminal, port)
	show(stdout, "the first client's terminal", one.terminal, port)
	show(stdout, "the second client's terminal", two.terminal, port)
	fmt.Fprint(stdout, `
One thread served both clients, and never asked whether a socket was
ready: it posted an operation, and its routine ran when the operation was
done. Chapter 06 leaves connections for datagrams.
`)
	if err != nil || server.status != 0 || one.status != 0 || two.status != 0 {
		return errors.Join(err, errors.New("demo: the exchange failed; see the terminals above"))
	}
	return nil
}

// playScript plays the demo's script: the two clients connect, then type
// in turn; after each step it waits for the server's line that says the
// server is done with it.
func playScript(server *serverTerminal, one, two *demoClient) error {
	// The script: who types what, and the server line that says it is done.
	steps := []struct {
		client   *demoClient
		line     string
		serverAt string
	}{
		{one, "", "client 1: recv posted"},
		{two, "", "client 2: recv posted"},
		{one, "Hello from the first client\n", "client 1: recv posted"},
		{two, "And from the second\n", "client 2: recv posted"},
		{one, "One more line\n", "client 1: recv posted"},
		{two, "q\n", "client 2: closing"},
		{one, "Q\n", "client 1: closing"},
	}
	var err error
	for _, step := range steps {
		if step.line == "" {
			step.client.connect()
		} else {
			err = errors.Join(err, step.client.typeLine(step.line))
		}
		// A routine printed the server's line, in a wait, unless the
		// step was a connection, which the accept after the wait took.
		err = errors.Join(err, server.waitForLine(step.serverAt, step.line != ""))
	}
	return err
}

// demoClient is one of the seed's clients, reading lines the demo types.
type demoClient struct {
	*terminal
	to    endpoint
	trace bool
	input *io.PipeWriter
	done  chan error
}

func startClient(command string, to endpoint, trace bool) *demoClient {
	return &demoClient{terminal: newTerminal(command), to: to, trace: trace, done: make(chan error, 1)}
}

// connect starts the client: it connects and prompts for its first line.
func (c *demoClient) connect() {
	stdin, input := io.Pipe()
	c.input = input
	go func() {
		c.done <- echoLines(demoSockets(c.terminal, c.trace), stdin, c.terminal, c.to, true, false, defaultTimeout)
	}()
}

// typeLine types one line, shown in the terminal as a user's typing is,
// once the client prompts for it; Q and q end the client.
func (c *demoClient) typeLine(line string) error {
	if err := c.waitFor("Input msg(Q to quit): "); err != nil {
		return err
	}
	c.Write([]byte(line))
	c.input.Write([]byte(line))
	if line == "Q\n" || line == "q\n" {
		c.input.Close()
		return nil
	}
	return c.waitFor("msg from server: ")
}
