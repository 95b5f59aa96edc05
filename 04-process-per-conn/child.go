package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
)

// serveHandedClient is the child process, "child N": what the seed's
// child does after fork. It serves the one client the server handed it and
// returns; the process then exits, and the server reaps it. The seed's child
// also closes the listening socket it inherited; ours inherits none, since
// every socket the server opens is close-on-exec (sock_unix.go).
func serveHandedClient(number int, trace, quiet bool, stdin io.Reader, stdout, stderr io.Writer) error {
	out := &linePrefixer{w: stdout, prefix: fmt.Sprintf("child %d: ", number)}
	socks := &sockets{}
	if trace {
		socks.trace = &linePrefixer{w: stderr, prefix: out.prefix}
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
	// and the server sends SIGTERM when it stops. Either way we shut the
	// socket down: our blocked read returns 0 and the echo loop ends.
	// On Windows the server closes our stdin instead (child_windows.go).
	var stopped atomic.Bool
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	served := make(chan struct{})
	var watch sync.WaitGroup
	watch.Go(func() {
		reason := ""
		select {
		case sig := <-signals:
			reason = sig.String()
		case <-stopRequests(stdin):
			reason = "stdin closed"
		case <-served:
			return
		}
		// As in chapter 01, shutting the socket down wakes a blocked read
		// on Linux, and closing it wakes a blocked recv on Winsock.
		stopped.Store(true)
		fmt.Fprintf(out, "%s: closing the connection\n", reason)
		socks.closeAll()
	})
	// Once the echo is done, a late signal is ignored: the child is ending
	// already. (Stop would give SIGTERM back its default, which kills.)
	err = echoUntilClosed(client, out, quiet)
	signal.Ignore(os.Interrupt, syscall.SIGTERM)
	close(served)
	watch.Wait()
	if stopped.Load() {
		return nil // what failed, failed because we closed the socket
	}
	if err != nil {
		return err
	}

	// The client shut down its sending half and has all its bytes: we shut
	// down ours, so its read returns 0, and close.
	return client.shutdownSend()
}

// echoUntilClosed sends back every byte it receives, until the client shuts
// down sending. The seed prints each buffer with cout << buf: that stops at
// the first NUL byte and runs past the end of a full buffer, which it keeps
// terminated only by zeroing it after every read. We print counts, and send
// back exactly the n bytes read.
func echoUntilClosed(client *sock, stdout io.Writer, quiet bool) error {
	buf := make([]byte, bufferSize)
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
		// closes with it; we return the error, and the deferred calls close.
		if err := client.sendAll(buf[:n]); err != nil {
			return err
		}
		if !quiet {
			fmt.Fprintf(stdout, "Bytes sent: %d\n", n)
		}
		total += n
	}
	if quiet {
		fmt.Fprintf(stdout, "Bytes received: %d in all\nBytes sent: %d in all\n", total, total)
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
