package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// serveHandedClient is the child process, "child N": what the seed's
// child does after fork. It serves the one client the server handed it and
// returns; the process then exits, and the server reaps it. The seed's child
// also closes the listening socket it inherited; ours inherits none, since
// every socket the server opens is close-on-exec (sock_unix.go).
func serveHandedClient(number int, trace, quiet bool, buffer int,
	stdin io.Reader, stdout, stderr io.Writer) error {
	prefix := fmt.Sprintf("child %d: ", number)
	out := &linePrefixer{w: stdout, prefix: prefix}
	socks := &sockets{}
	if trace {
		socks.trace = &linePrefixer{w: stderr, prefix: prefix}
	}
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()
	client, err := socks.inherit(stdin)
	if err != nil {
		return err
	}
	defer client.close()

	// Ctrl-C in a terminal reaches the whole process group, children too,
	// and the server sends SIGTERM when it stops; on Windows the server
	// closes our stdin instead (child_windows.go). Either way the flow
	// watchForStop starts only wakes our blocked call (sockets.stop:
	// shutdown, and CancelIoEx on Winsock) and closes nothing: the call
	// then reports errInterrupted, the echo loop ends, and the deferred
	// close above closes the socket, once, after its last use. Should a
	// system not wake the call, the server kills us after its stopGrace.
	endWatch := watchForStop(socks, stdin)
	err = echoUntilClosed(client, out, quiet, buffer)
	reason := endWatch()
	if errors.Is(err, errInterrupted) {
		fmt.Fprintf(out, "%s: the server is stopping\n", reason)
		return nil
	}
	if err != nil {
		return err
	}

	// The client shut down its sending half and has all its bytes: we shut
	// down ours, so its read returns 0, and close. Told to stop meanwhile,
	// we have served the client all the same: that is not a failure.
	if err := client.shutdownSend(); !errors.Is(err, errInterrupted) {
		return err
	}
	return nil
}

// watchForStop wakes the child's blocked call (sockets.stop) when the
// child is told to stop: by a signal, or on Windows by its stdin closed
// (stopRequests). The function it returns is called once the echo is
// done: it ends the watch and says why we stopped, or "" if nobody told
// us to.
func watchForStop(socks *sockets, stdin io.Reader) (endWatch func() string) {
	var reason string // why we stopped; read after watch.Wait
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	served := make(chan struct{})
	var watch sync.WaitGroup
	watch.Go(func() {
		select {
		case sig := <-signals:
			reason = sig.String()
		case <-stopRequests(stdin):
			reason = "stdin closed"
		case <-served:
			return
		}
		socks.stop()
	})
	return func() string {
		// Once the echo is done, a late signal is ignored: the child
		// is ending already. (Stop would give SIGTERM back its
		// default, which kills.)
		signal.Ignore(os.Interrupt, syscall.SIGTERM)
		close(served)
		watch.Wait()
		return reason
	}
}

// echoUntilClosed sends back every byte it receives, until the client shuts
// down sending. The seed prints each buffer with cout << buf: that stops at
// the first NUL byte and runs past the end of a full buffer, which it keeps
// terminated only by zeroing it after every read. We print counts, and send
// back exactly the n bytes read. Each read takes at most buffer bytes
// (bufferSize unless -buffer says otherwise).
func echoUntilClosed(client *sock, stdout io.Writer, quiet bool,
	buffer int) error {
	buf := make([]byte, buffer)
	total := 0
	for {
		n, err := client.recv(buf)
		if err != nil {
			return err
		}
		if n == 0 {
			break
		}
		if !quiet {
			fmt.Fprintf(stdout, "Bytes received: %d\n", n)
		}
		// The seed's child calls exit when write fails, and its socket
		// closes with it; we return the error, and the deferred calls
		// close.
		if err := client.sendAll(buf[:n]); err != nil {
			return err
		}
		if !quiet {
			fmt.Fprintf(stdout, "Bytes sent: %d\n", n)
		}
		total += n
	}
	if quiet {
		fmt.Fprintf(stdout, "Bytes received: %d in all\n", total)
		fmt.Fprintf(stdout, "Bytes sent: %d in all\n", total)
	}
	fmt.Fprintln(stdout, "Connection closing...")
	return nil
}

// linePrefixer writes each line with the child's name in front, in one
// write, so that lines of several children sharing a terminal do not mix.
type linePrefixer struct {
	w      io.Writer
	prefix string

	mu      sync.Mutex
	partial []byte
}

func (p *linePrefixer) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.partial = append(p.partial, b...)
	for {
		end := bytes.IndexByte(p.partial, '\n')
		if end < 0 {
			return len(b), nil
		}
		line := append([]byte(p.prefix), p.partial[:end+1]...)
		p.partial = p.partial[end+1:]
		if _, err := p.w.Write(line); err != nil {
			return len(b), err
		}
	}
}
