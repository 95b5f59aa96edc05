//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"iomodels/testkit"
)

// TestUringSocketsBlock checks, in the server's /proc/PID/fdinfo, which of
// its sockets are non-blocking. On io_uring, the sockets the ring reads and
// writes must be blocking: the kernel then waits for them itself (it arms a
// poll and retries), while on an O_NONBLOCK socket a recv or send it
// retries from a worker may complete with -EAGAIN under load
// (https://github.com/axboe/liburing/issues/364), which the routines would
// take for the client's end. The poll emulation needs O_NONBLOCK, as the
// seed does (FIONBIO); so does the listener of the seed's accept loop.
func TestUringSocketsBlock(t *testing.T) {
	cases := []struct {
		backend, accept                  string
		clientNonblock, listenerNonblock bool
	}{
		{"uring", "poll", false, true},
		{"uring", "posted", false, false},
		{"poll", "poll", true, true},
		{"poll", "posted", true, true},
	}
	for _, c := range cases {
		t.Run(c.backend+"/accept="+c.accept, func(t *testing.T) {
			server := nativeProgram(c.backend).StartServer(t, "server", "-accept", c.accept, "-addr", "127.0.0.1:0")
			conn := testkit.Dial(t, server.Port)
			// One echo: the server has accepted the client and posted its recv.
			conn.Write([]byte("hi"))
			if _, err := conn.Read(make([]byte, 2)); err != nil {
				t.Fatal(err)
			}
			listener, clients := socketFlags(t, server.Pid(), server.Port)
			if len(clients) != 1 {
				t.Fatalf("the server has %d connected sockets, want 1", len(clients))
			}
			if got := listener&unix.O_NONBLOCK != 0; got != c.listenerNonblock {
				t.Errorf("listener O_NONBLOCK = %v, want %v (flags %#o)", got, c.listenerNonblock, listener)
			}
			if got := clients[0]&unix.O_NONBLOCK != 0; got != c.clientNonblock {
				t.Errorf("client socket O_NONBLOCK = %v, want %v (flags %#o)", got, c.clientNonblock, clients[0])
			}
		})
	}
}

// socketFlags returns the file status flags (the "flags:" line of
// /proc/PID/fdinfo/FD) of the process's TCP listener on port, and of each
// of its other sockets.
func socketFlags(t *testing.T, pid int, port string) (listener int, others []int) {
	t.Helper()
	p, _ := strconv.Atoi(port)
	tcp, err := os.ReadFile("/proc/net/tcp")
	if err != nil {
		t.Fatal(err)
	}
	listening := ""
	for _, line := range strings.Split(string(tcp), "\n") {
		f := strings.Fields(line)
		if len(f) > 9 && f[3] == "0A" && strings.HasSuffix(f[1], fmt.Sprintf(":%04X", p)) {
			listening = "socket:[" + f[9] + "]"
		}
	}
	dir := fmt.Sprintf("/proc/%d", pid)
	links, _ := filepath.Glob(filepath.Join(dir, "fd", "*"))
	found := false
	for _, link := range links {
		target, _ := os.Readlink(link)
		if !strings.HasPrefix(target, "socket:[") {
			continue
		}
		info, err := os.ReadFile(filepath.Join(dir, "fdinfo", filepath.Base(link)))
		if err != nil {
			t.Fatal(err)
		}
		flags := -1
		for _, line := range strings.Split(string(info), "\n") {
			if v, ok := strings.CutPrefix(line, "flags:"); ok {
				n, err := strconv.ParseInt(strings.TrimSpace(v), 8, 64)
				if err != nil {
					t.Fatal(err)
				}
				flags = int(n)
			}
		}
		if target == listening {
			listener, found = flags, true
		} else {
			others = append(others, flags)
		}
	}
	if !found {
		t.Fatalf("no listener on port %s among the descriptors of process %d", port, pid)
	}
	return listener, others
}
