package main

// Clients that leave, politely or not: each one must be closed once, when
// its last operation completes, and the server must go on serving the
// others. Both halves have the same duty here, so both are graded.

import (
	"errors"
	"fmt"
	"net"
	"os"
	"testing"
	"time"
)

// TestClientsComeAndGo: -clients 30, and three waves of 10 clients, each
// exchanging 3 messages, then closing. The server stops by itself once 30
// clients have come and gone (each closed, on Windows released), so it
// must exit 0 within a few seconds of the last one's close, and say it
// served 30.
func TestClientsComeAndGo(t *testing.T) { eachBuild(t, testClientsComeAndGo) }

func testClientsComeAndGo(t *testing.T, b *build) {
	const waves, perWave, messages = 3, 10, 3
	const served = waves * perWave
	server := b.StartServer(t, "-addr", "127.0.0.1:0", "-clients", fmt.Sprint(served))
	for w := range waves {
		err := runClients(t, server.Port, perWave, func(conn net.Conn, i int) error {
			for m := range messages {
				if err := echoOnce(conn, pattern(w*perWave+i, 1+m*100), b.hints); err != nil {
					return fmt.Errorf("wave %d of %d, client %d, message %d: %w", w+1, waves, i+1, m+1, err)
				}
			}
			return nil
		})
		if err != nil {
			stop(t, b, server, err)
		}
	}
	if cpu, done := waitForExit(server.Pid(), deadline); !done {
		out, _ := server.InterruptAndWait(t)
		t.Fatalf("%d clients have come and gone, but the server, run with -clients %d, had not stopped by "+
			"itself %v later: it stops once that many have. %s%s",
			served, served, deadline, b.hints.whyStillServing(cpu), onNewLine(serverSaid(out, true)))
	}
	out, status := server.Wait(t)
	got := exited(t, b, server, out, status, fmt.Sprintf("with -clients %d,", served))
	if got["clients"] != served {
		t.Errorf("the server counted %d clients, want %d", got["clients"], served)
	}
}

// waitForExit waits until the process pid has exited, at most within, and
// says how much CPU time it used while we waited.
func waitForExit(pid int, within time.Duration) (time.Duration, bool) {
	start, _ := processCPU(pid)
	used := time.Duration(0)
	for end := time.Now().Add(within); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		now, err := processCPU(pid)
		if errors.Is(err, os.ErrNotExist) {
			return used, true
		}
		used = now - start
	}
	return used, false
}

// TestResetClients: a client served, then 4 clients, one after the other,
// that each send without reading until the server stops receiving from
// it, its send waiting for the client to read; then each resets its
// connection (SO_LINGER 0), and that send completes with an error. (A
// reset that reaches a recv in flight is no sure error: Wine 8 completed
// most of them with 0 bytes, as end-of-stream.) A sixth client must still
// be served, and Ctrl-C must stop the server cleanly. On Windows with
// -workers 2: a worker that returns at an error leaves no pool after two;
// on Linux, the buffers a failed send held must go back to the ring.
func TestResetClients(t *testing.T) { eachBuild(t, testResetClients) }

func testResetClients(t *testing.T, b *build) {
	const resets = 4
	// -workers is the Windows half's: the Linux half has one thread.
	server := b.StartServer(t, append([]string{"-addr", "127.0.0.1:0", "-workers", "2"}, b.slowReader...)...)
	// A client served first: a server that serves nobody is not one that
	// stopped serving after the resets.
	first := dial(t, server.Port)
	err := echoOnce(first, pattern(resets+1, 100), b.hints)
	if err != nil {
		err = fmt.Errorf("the first client, before any reset: %w", err)
	}
	first.Close()
	for i := 0; i < resets && err == nil; i++ {
		conn := dial(t, server.Port)
		// Small buffers on our side: less to send before the server
		// stops receiving.
		conn.(*net.TCPConn).SetWriteBuffer(64 << 10)
		conn.(*net.TCPConn).SetReadBuffer(4 << 10)
		if _, err = sendUntilStalled(conn, b); err != nil {
			err = fmt.Errorf("client %d of %d, before it resets: %w", i+1, resets, err)
		}
		conn.(*net.TCPConn).SetLinger(0) // Close resets
		conn.Close()
	}
	if err == nil {
		last := dial(t, server.Port)
		err = echoOnce(last, pattern(resets, 100), b.hints)
		switch {
		case errors.Is(err, errStalled):
			// %v, not %w: afterErrors is the hint here, not the one for
			// an echo that stopped (see clientsSaw).
			err = fmt.Errorf("after %d clients reset their connections, a new client was not served: %v\n%s",
				resets, err, b.hints.afterErrors)
		case err != nil:
			err = fmt.Errorf("after %d clients reset their connections, a new client: %w", resets, err)
		}
		last.Close()
	}
	got := stop(t, b, server, err)
	if got["clients"] != resets+2 {
		t.Errorf("the server counted %d clients, want %d", got["clients"], resets+2)
	}
}
