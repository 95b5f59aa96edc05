package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// What the server's OS threads are doing, as Linux shows it in /proc
// (proc(5)): each thread is /proc/PID/task/TID, and its file syscall names
// the call it is blocked in and that call's arguments, the first of which,
// for accept and read, is the socket's descriptor. /proc/PID/fd tells which
// socket a descriptor is, and /proc/PID/net/tcp which peer that socket has.

// threadCalls is a look at the server's threads at one moment.
type threadCalls struct {
	accepting []int       // the threads blocked in accept on the listener, sorted
	reading   map[int]int // a client's port -> the thread blocked in read on its socket
}

// The calls we look for. The lab's accept is x/sys's unix.Accept, which
// makes accept4(2); its recv is read(2). Other architectures number
// them differently or reach them through socketcall(2).
var (
	acceptCall = map[string]int{"amd64": unix.SYS_ACCEPT4, "arm64": unix.SYS_ACCEPT4}[runtime.GOARCH]
	readCall   = unix.SYS_READ
)

func skipUnlessProcShowsCalls(t *testing.T) {
	t.Helper()
	if acceptCall == 0 {
		t.Skipf("the calls of the server's threads are read from /proc for amd64 and arm64 only, not %s", runtime.GOARCH)
	}
}

// lookAtThreads reads what the threads of process pid, listening on port,
// are blocked in.
func lookAtThreads(pid, port int) (threadCalls, error) {
	listener, clients, err := serverSockets(pid, port)
	if err != nil {
		return threadCalls{}, err
	}
	calls := threadCalls{reading: map[int]int{}}
	tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/syscall", pid))
	if err != nil || len(tasks) == 0 {
		return threadCalls{}, fmt.Errorf("no thread of process %d in /proc: %v", pid, err)
	}
	for _, task := range tasks {
		tid, _ := strconv.Atoi(filepath.Base(filepath.Dir(task)))
		text, err := os.ReadFile(task) // "NR ARG1 ARG2 ...", or "running"
		if errors.Is(err, fs.ErrPermission) {
			return threadCalls{}, err // ptrace is restricted here: see kernel.yama.ptrace_scope
		}
		fields := strings.Fields(string(text))
		if err != nil || len(fields) < 2 {
			continue // the thread ended, or runs: it is blocked in nothing
		}
		call, _ := strconv.Atoi(fields[0])
		fd, _ := strconv.ParseInt(fields[1], 0, 64)
		switch {
		case call == acceptCall && int(fd) == listener:
			calls.accepting = append(calls.accepting, tid)
		case call == readCall && clients[int(fd)] != 0:
			calls.reading[clients[int(fd)]] = tid
		}
	}
	slices.Sort(calls.accepting)
	return calls, nil
}

// serverSockets returns the descriptor of the server's listening socket
// on port, and the descriptors of its clients' sockets with each client's
// port.
func serverSockets(pid, port int) (listener int, clients map[int]int, err error) {
	inodes := map[string]int{} // a socket's inode -> its descriptor
	links, _ := filepath.Glob(fmt.Sprintf("/proc/%d/fd/*", pid))
	for _, link := range links {
		target, _ := os.Readlink(link)
		if inode, ok := strings.CutPrefix(target, "socket:["); ok {
			fd, _ := strconv.Atoi(filepath.Base(link))
			inodes[strings.TrimSuffix(inode, "]")] = fd
		}
	}
	table, err := os.ReadFile(fmt.Sprintf("/proc/%d/net/tcp", pid))
	if err != nil {
		return 0, nil, err
	}
	listener, clients = -1, map[int]int{}
	for _, m := range tcpLine.FindAllStringSubmatch(string(table), -1) {
		local, peer := hexPort(m[1]), hexPort(m[2])
		fd, ours := inodes[m[4]]
		switch {
		case !ours || local != port:
		case m[3] == "0A": // TCP_LISTEN
			listener = fd
		default:
			clients[fd] = peer
		}
	}
	if listener < 0 {
		return 0, nil, fmt.Errorf("process %d has no socket listening on port %d", pid, port)
	}
	return listener, clients, nil
}

// tcpLine picks, from a line of /proc/PID/net/tcp, the local port, the
// peer's port, the state and the inode.
var tcpLine = regexp.MustCompile(`(?m)^\s*\d+: [0-9A-F]+:([0-9A-F]+) [0-9A-F]+:([0-9A-F]+) ([0-9A-F]{2}) \S+ \S+ \S+ +\d+ +\d+ (\d+)`)

func hexPort(s string) int {
	n, _ := strconv.ParseUint(s, 16, 16)
	return int(n)
}
