package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"sync"
)

// family is the parent's side of its children: it starts them, reaps each
// one when it exits, and stops them all.
type family struct {
	stdout, stderr io.Writer // the parent's, which its children write on too

	mu      sync.Mutex
	started int               // children started so far: the next is started+1
	running map[int]io.Closer // the pipe to each running child's stdin
	reaped  sync.WaitGroup    // a count for each child not yet reaped

	exe string // the program a child runs; "" for this one
}

// startTries bounds how often start tries to start a child whose process
// did not start at all. A server that stops at the first such failure
// serves nobody, so it tries again, a few times, as Apache's prefork server
// does after a failed fork. Wine, which runs the Windows build in the
// tests, once failed a CreateProcess under load with "Internal error."
// (ERROR_INTERNAL_ERROR).
const startTries = 3

// start starts the next child, "child K" (this program, run as "lab child
// K"), hands it s, and prints "child K started". Our copy of s stays open:
// close it when the child has exited, in afterExit (nil if there is
// nothing to do then). Winsock needs it open until the child has made its
// own, and this way POSIX and Windows work alike.
func (f *family) start(s *sock, afterExit func()) error {
	exe := f.exe
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return err
		}
	}
	f.mu.Lock()
	f.started++
	n := f.started
	f.mu.Unlock()
	var cmd *exec.Cmd
	var toChild io.WriteCloser
	for try := 1; ; try++ {
		cmd = exec.Command(exe, "child", strconv.Itoa(n))
		cmd.Stdout, cmd.Stderr = f.stdout, f.stderr

		// A pipe on the child's stdin is how we stop it: the child exits when
		// it reads end-of-file, which it also does if we die. On Windows the
		// socket's description goes down the pipe first.
		var err error
		if toChild, err = cmd.StdinPipe(); err != nil {
			return err
		}
		err = startChild(cmd, s.h, toChild)
		if err == nil {
			break
		}
		toChild.Close()
		if cmd.Process != nil {
			cmd.Wait() // it started, then the hand-over failed
			return fmt.Errorf("starting child %d: %s", n, describe(err))
		}
		if try == startTries {
			return fmt.Errorf("starting child %d: %s (%d tries)", n, describe(err), try)
		}
		fmt.Fprintf(f.stderr, "starting child %d: %s; trying again\n", n, describe(err))
	}
	fmt.Fprintf(f.stdout, "child %d started\n", n)

	f.mu.Lock()
	if f.running == nil {
		f.running = make(map[int]io.Closer)
	}
	f.running[n] = toChild
	f.mu.Unlock()
	f.reaped.Go(func() { f.reap(n, cmd, afterExit) })
	return nil
}

// reap waits for child n to exit: cmd.Wait is wait4(2) on POSIX and
// WaitForSingleObject on Windows. Until then it would be a zombie, an
// entry in the process table holding its exit status.
func (f *family) reap(n int, cmd *exec.Cmd, afterExit func()) {
	cmd.Wait()
	f.mu.Lock()
	delete(f.running, n)
	f.mu.Unlock()
	if afterExit != nil {
		afterExit()
	}
	how := cmd.ProcessState.String()
	if cmd.ProcessState.Exited() {
		how = "status " + strconv.Itoa(cmd.ProcessState.ExitCode())
	}
	fmt.Fprintf(f.stdout, "child %d exited (%s)\n", n, how)
}

// stopAll stops every running child and returns once all have exited and
// been reaped. Closing the pipe to a child's stdin stops it, on every
// system: Windows has no SIGTERM to send to one process.
func (f *family) stopAll() {
	f.mu.Lock()
	for _, toChild := range f.running {
		toChild.Close()
	}
	f.mu.Unlock()
	f.reaped.Wait()
}
