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
)

// child is one child process and the client it serves.
type child struct {
	n   int
	cmd *exec.Cmd
	// our copy of its socket: closed at once on POSIX, at exit on Winsock
	sock     *sock
	stopPipe io.Closer // Winsock: the pipe to its stdin, closed to stop it
	// what it prints, held back until we have said our part
	output *gate
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
// could not start; the caller releases its output. It is a fresh run of
// this very program, as "child N", with the connection handed over
// (child_unix.go, child_windows.go). A Go program cannot fork without exec:
// fork copies only the calling thread, and the runtime's other threads, its
// scheduler and garbage collector among them, would be missing in the copy
// (https://go.dev/issue/227). So we start a new program, as os/exec does:
// on Linux clone(CLONE_VM|CLONE_VFORK) then execve, on macOS fork then
// execve, on Windows CreateProcess.
func (srv *server) startChild(client *sock) *child {
	// From now on the child makes the calls on this socket, and we make
	// none that could block: our copy is fresh again, so that stop never
	// shuts it down under the child, which would end the child's
	// connection before the child knew it was told to stop. A stop that
	// came first has shut it down already: that client is not served.
	srv.mu.Lock()
	if srv.stopping {
		srv.mu.Unlock()
		client.close()
		return nil
	}
	srv.socks.setState(client, fresh)
	srv.started++
	k := &child{n: srv.started, sock: client}
	srv.mu.Unlock()
	// One writer for both streams: os/exec then gives the child one pipe,
	// and its stdout and stderr lines keep their order.
	k.output = &gate{w: srv.childOut, open: make(chan struct{})}

	// We name the child before it starts, so its own lines come after.
	fmt.Fprintf(srv.out, "child %d serves %v\n", k.n, client.label)
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(srv.out, "child %d: %v\n", k.n, err)
		client.close()
		return nil
	}
	k.cmd = exec.Command(exe, srv.childArgs(k.n)...)
	k.cmd.Stdout, k.cmd.Stderr = k.output, k.output
	err = client.handTo(k)

	// The seed's parent closes clientfd after fork; ours, once the child
	// has started: the child has its own descriptor now, and ours would
	// keep the connection open after the child closed its own. Winsock's
	// parent keeps its copy until the child exits (see startChild in
	// child_windows.go).
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

// childArgs is the command line of child n: the hidden command "child",
// and the server's flags that the child acts on.
func (srv *server) childArgs(n int) []string {
	args := []string{"child", "-n", strconv.Itoa(n)}
	if srv.config.trace {
		args = append(args, "-trace")
	}
	if srv.config.quiet {
		args = append(args, "-quiet")
	}
	if srv.config.buffer != bufferSize {
		args = append(args, "-buffer", strconv.Itoa(srv.config.buffer))
	}
	return args
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

func sortedKeys(m map[int]*child) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
