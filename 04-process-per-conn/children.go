package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"time"
)

// busyReply is what a client is told when -max-procs children serve already.
const busyReply = "server busy\n"

// busyLinger bounds how long we read what a turned-away client still sends.
const busyLinger = 5 * time.Second

// child is one child process and the client it serves.
type child struct {
	n        int
	cmd      *exec.Cmd
	sock     *sock     // our copy of its socket: closed at once on POSIX, at exit on Winsock
	stopPipe io.Closer // Winsock: the pipe to its stdin, closed to stop it
	output   *gate     // what it prints, held back until we have said our part
}

// gate passes a child's output on once it is opened. The accept loop opens
// it when it has printed its own lines about the child, so that the two
// processes' lines come in the same order on every run, not in the order
// two processes happened to be scheduled in.
type gate struct {
	w    io.Writer
	open chan struct{}
	once sync.Once
}

func (g *gate) Write(p []byte) (int, error) {
	<-g.open
	return g.w.Write(p)
}

// release opens the gate of k, if there is one.
func (k *child) release() {
	if k != nil {
		k.output.once.Do(func() { close(k.output.open) })
	}
}

// startChild starts the next child for client and returns it, or nil if it
// could not start; the caller releases its output. It is a fresh run of this very
// program, as "child N", with the connection handed over (child_unix.go,
// child_windows.go). A Go program cannot fork without exec: fork copies only
// the calling thread, and the runtime's other threads, its scheduler and
// garbage collector among them, would be missing in the copy
// (https://go.dev/issue/227). So we start a new program, as os/exec does:
// on Linux clone(CLONE_VM|CLONE_VFORK) then execve, on macOS fork then
// execve, on Windows CreateProcess.
func (srv *server) startChild(client *sock) *child {
	srv.mu.Lock()
	srv.started++
	k := &child{n: srv.started, sock: client}
	srv.mu.Unlock()
	// One writer for both streams: os/exec then gives the child one pipe,
	// and its stdout and stderr lines keep their order.
	k.output = &gate{w: srv.childOut, open: make(chan struct{})}

	// We name the child before it starts, so its own lines come after.
	fmt.Fprintf(srv.out, "child %d serves %v\n", k.n, client.peer.Addr())
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(srv.out, "child %d: %v\n", k.n, err)
		client.close()
		return nil
	}
	args := []string{"child", "-n", strconv.Itoa(k.n)}
	if srv.cfg.trace {
		args = append(args, "-trace")
	}
	if srv.cfg.quiet {
		args = append(args, "-quiet")
	}
	if srv.cfg.buffer != bufferSize {
		args = append(args, "-buffer", strconv.Itoa(srv.cfg.buffer))
	}
	k.cmd = exec.Command(exe, args...)
	k.cmd.Stdout, k.cmd.Stderr = k.output, k.output
	err = client.handTo(k)

	// The seed's parent closes clientfd after fork; ours, once the child has
	// started: the child has its own descriptor now, and ours would keep the
	// connection open after the child closed its own. Winsock's parent keeps
	// its copy until the child exits (see startChild in child_windows.go).
	if !parentKeepsCopy || k.cmd.Process == nil {
		client.close()
	}
	if err != nil {
		fmt.Fprintln(srv.out, err)
	}
	if k.cmd.Process == nil {
		return nil
	}
	srv.mu.Lock()
	srv.running[k.n] = k
	srv.pending.Add(1)
	if srv.stopping {
		srv.stopChild(k) // stop came while we were starting it
	}
	srv.mu.Unlock()
	go srv.reap(k)
	return k
}

// reap waits for the child to exit, as the seed never does: each child it
// forks stays a zombie, an entry in the process table holding its exit
// status, until its parent waits for it or exits itself (wait(2)). cmd.Wait
// is the wait: on Linux waitid(2) with P_PIDFD on the pidfd os/exec got
// from clone (strace shows it), elsewhere on POSIX wait4(2), on Windows
// WaitForSingleObject and GetExitCodeProcess. No SIGCHLD handler is
// involved: the Go runtime catches SIGCHLD and does nothing with it, and
// the wait itself reaps.
func (srv *server) reap(k *child) {
	defer srv.pending.Done()
	k.cmd.Wait()
	srv.mu.Lock()
	delete(srv.running, k.n)
	srv.mu.Unlock()
	if parentKeepsCopy {
		k.sock.close()
	}
	if k.stopPipe != nil {
		k.stopPipe.Close() // if stop did not close it already
	}
	state := k.cmd.ProcessState
	how := state.String()
	if state.Exited() {
		how = "status " + strconv.Itoa(state.ExitCode())
	}
	fmt.Fprintf(srv.out, "child %d exited (%s)\n", k.n, how)
}

// stopChild asks the child k to stop. It is called with the server's lock
// held, so the reaper cannot close the stop pipe stopChild may use. A child
// that has exited but is not reaped yet has nothing left to stop. The
// child wakes its own recv (child.go); our copy of its socket (Winsock)
// stays ours to close once the child has exited, as the reaper does.
func (srv *server) stopChild(k *child) {
	err := k.sock.stopChild(k)
	if err != nil && !errors.Is(err, os.ErrProcessDone) {
		fmt.Fprintf(srv.out, "stopping child %d: %v\n", k.n, err)
	}
}

// busy turns client away if -max-procs children serve already, and says
// whether it did. The seed forks for every client: a client that connects
// a thousand times makes a thousand processes.
func (srv *server) busy(client *sock) bool {
	srv.mu.Lock()
	running := len(srv.running)
	refusing := srv.refusing < srv.cfg.maxProcs
	if running >= srv.cfg.maxProcs && refusing {
		srv.refusing++
		srv.pending.Add(1)
	}
	srv.mu.Unlock()
	if running < srv.cfg.maxProcs {
		return false
	}
	serve := "children serve"
	if running == 1 {
		serve = "child serves"
	}
	fmt.Fprintf(srv.out, "server busy: %d %s already (-max-procs %d); %v turned away\n",
		running, serve, srv.cfg.maxProcs, client.peer.Addr())
	if !refusing {
		client.close() // as many are being turned away: no more goroutines for them
		return true
	}
	// turnAway's recv may block: stop must wake it.
	srv.socks.setState(client, connected)
	go srv.turnAway(client)
	return true
}

// turnAway tells a client we are busy, shuts down our sending half and
// reads what the client still sends, until it closes or busyLinger is over.
// Closing a socket with unread bytes in it would send a reset (RFC 1122,
// 4.2.2.13), and the client might lose our reply with it.
func (srv *server) turnAway(client *sock) {
	defer func() {
		client.close()
		srv.mu.Lock()
		srv.refusing--
		srv.mu.Unlock()
		srv.pending.Done()
	}()
	if client.sendAll([]byte(busyReply)) != nil || client.shutdownSend() != nil {
		return
	}
	var watch sync.WaitGroup
	read := make(chan struct{})
	watch.Go(func() {
		select {
		case <-read:
		case <-time.After(busyLinger):
			client.wake() // ends the recv below
		}
	})
	buf := make([]byte, bufferSize)
	for total := 0; total < 1<<20; {
		// stop, or the linger's end, wakes this recv: either way we close.
		n, err := client.recv(buf)
		if n == 0 || err != nil {
			break
		}
		total += n
	}
	close(read)
	watch.Wait()
}

func sortedKeys(m map[int]*child) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
