package main

// What only the Windows half has: a pool of worker threads, seen from
// outside, in the server's OS threads counted in /proc/PID/task and the
// threads it says waited on the port. The io_uring half has no pool: one
// thread serves every client, and what a student writes there starts no
// thread, so these checks run under Wine alone.

import (
	"fmt"
	"net"
	"sync"
	"testing"

	"iomodels/testkit"
)

// The measures of TestFixedPool.
const (
	poolWorkers  = 3  // -workers
	poolClients  = 30 // connected at once: ten times the pool
	poolMessages = 10 // each client's, one after the other
	// maxNewThreads is how many threads the server may add while its
	// clients come, beyond those it had after its first client. The Go
	// runtime and Wine add a few of their own under load (0 to 3 in 30
	// runs of the reference solution); a thread per client adds 30.
	maxNewThreads = 8
)

// TestFixedPool: -workers 3, and 30 clients connected at once, each
// sending 10 messages and reading each echo. The server must not add a
// thread per client: its pool is fixed, started before it listens. Once
// the clients have gone, Ctrl-C: the threads that waited on the port must
// be the 3 workers, no more and no fewer.
func TestFixedPool(t *testing.T) { portOnly(t, testFixedPool) }

func testFixedPool(t *testing.T, b *build) {
	// One processor for the Go runtime to run every goroutine on: a
	// worker whose goroutine is not locked to its thread, back from its
	// wait while another goroutine runs, goes on on whichever thread the
	// runtime has free, and the port sees a new thread.
	b.Env = append(b.Env, "GOMAXPROCS=1")
	server := b.StartServer(t, "-addr", "127.0.0.1:0", "-workers", fmt.Sprint(poolWorkers))
	// One client first, served and gone: by then the threads that start
	// with the server (the workers, the runtime's, Wine's) have started.
	first := dial(t, server.Port)
	failed := echoOnce(first, []byte("hello"), b.hints)
	if failed != nil {
		failed = fmt.Errorf("the first client: %w", failed)
	}
	first.Close()
	before, during := 0, 0
	if failed == nil {
		before, failed = threadsOf(server)
	}
	if failed == nil {
		var conns []net.Conn
		conns, failed = holdClients(server.Port, b.hints)
		if failed == nil {
			during, failed = threadsOf(server)
		}
		for _, conn := range conns {
			conn.Close()
		}
	}
	// The threads first: a thread per client leaves workers that no stop
	// packet ends, and stop fails on that.
	if failed == nil && during > before+maxNewThreads {
		t.Errorf("with -workers %d, the server had %d OS threads after one client, and %d with %d clients "+
			"connected: want at most %d more. A pool is started once, with the server (startWorkers), "+
			"not a thread per client (onAccept)", poolWorkers, before, during, poolClients, maxNewThreads)
	}
	samePool(t, stop(t, b, server, failed), poolWorkers)
	t.Logf("OS threads: %d after one client, %d with %d clients connected", before, during, poolClients)
}

// holdClients connects poolClients clients, has each exchange
// poolMessages messages, and returns them still connected, with the
// first error.
func holdClients(port string, h hints) ([]net.Conn, error) {
	var conns []net.Conn
	for i := range poolClients {
		conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, deadline)
		if err != nil {
			return conns, fmt.Errorf("client %d of %d could not connect: %v: has the server stopped?", i+1, poolClients, err)
		}
		conns = append(conns, conn)
	}
	errs := make([]error, poolClients)
	var wg sync.WaitGroup
	for i, conn := range conns {
		wg.Go(func() {
			for m := range poolMessages {
				if err := echoOnce(conn, pattern(i*poolMessages+m, 1+(i*37+m*11)%300), h); err != nil {
					errs[i] = fmt.Errorf("client %d of %d, message %d: %w", i+1, poolClients, m+1, err)
					return
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return conns, err
		}
	}
	return conns, nil
}

// threadsOf counts the server's threads, or says why it cannot.
func threadsOf(server *testkit.Server) (int, error) {
	n, err := threads(server.Pid())
	if err != nil {
		return 0, fmt.Errorf("cannot count the server's threads (has it stopped?): %v", err)
	}
	return n, nil
}

// samePool checks, on Windows, that the threads that waited on the port
// were the pool's, no more and no fewer: each worker is one OS thread for
// its whole life.
func samePool(t *testing.T, got counts, workers int) {
	t.Helper()
	switch waited := got["threads that waited on the port"]; {
	case waited == 0:
		t.Errorf("no thread waited on the port through srv.getQueuedCompletionStatus, which counts them: " +
			"have the workers call it, not windows.GetQueuedCompletionStatus directly")
	case waited < workers:
		t.Errorf("with -workers %d, %d OS threads waited on the port: start srv.workers workers, each of "+
			"which waits on the port (startWorkers)", workers, waited)
	case waited > workers:
		t.Errorf("with -workers %d, %d different OS threads waited on the port, want %d: a pool is a fixed set "+
			"of threads. Does each worker's goroutine call runtime.LockOSThread before it first waits, and are "+
			"the workers started once (startWorkers), not per client?", workers, waited, workers)
	}
}
