package main

import (
	"regexp"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// TestChildSocketNoDelay checks that the child's socket has TCP_NODELAY
// although the child never sets it: the option belongs to the socket, and
// the child's descriptor names the socket the server accepted and set it
// on. The test takes a copy of the child's descriptor (pidfd_getfd(2)) and
// asks it with getsockopt; with -nagle the answer is 0.
func TestChildSocketNoDelay(t *testing.T) {
	program := chapter.Native()
	for _, nagle := range []bool{false, true} {
		args := []string{"server", "-trace", "-addr", "127.0.0.1:0"}
		want := 1
		if nagle {
			args, want = append(args, "-nagle"), 0
		}
		s := startWatched(t, program, args...)
		c, _ := holdConn(t, s.Port)
		fd := s.waitFor(t, `\(child 1, sock 2 as fd (\d+)\)`)
		pids := childPIDs(t, s.cmd.Process.Pid)
		if fd == nil || len(pids) != 1 {
			t.Fatalf("want one child and its descriptor; children %v:\n%s", pids, s.output())
		}
		n, _ := strconv.Atoi(fd[1])
		got, err := childOption(pids[0], n)
		if err != nil {
			t.Skipf("cannot read the child's socket (pidfd_getfd): %v", err)
		}
		if got != want {
			t.Errorf("nagle %v: the child's socket has TCP_NODELAY %d, want %d", nagle, got, want)
		}
		c.Close()
		s.waitFor(t, regexp.QuoteMeta("child 1 exited"))
		s.wait(t, true)
	}
}

// childOption returns TCP_NODELAY of descriptor fd of process pid.
func childOption(pid, fd int) (int, error) {
	pidfd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(pidfd)
	own, err := unix.PidfdGetfd(pidfd, fd, 0)
	if err != nil {
		return 0, err
	}
	defer unix.Close(own)
	return unix.GetsockoptInt(own, unix.IPPROTO_TCP, unix.TCP_NODELAY)
}
