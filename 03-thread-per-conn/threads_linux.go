//go:build linux

// How many OS threads a process has, and which thread we are on, as Linux
// tells it. threads_windows.go has the same functions over the toolhelp
// snapshot, and threads_other.go says "not measured here" everywhere else.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// osThreadID wraps gettid(2) on Linux and GetCurrentThreadId on Windows:
// the id of the OS thread that runs the calling goroutine right now.
func osThreadID() (int, bool) { return unix.Gettid(), true }

// processThreads lists the ids of the OS threads of process pid (0: this
// one): /proc/PID/task on Linux, a CreateToolhelp32Snapshot with
// TH32CS_SNAPTHREAD on Windows. Its length is the Threads: line of
// /proc/PID/status (proc(5)).
func processThreads(pid int) ([]int, error) {
	dir := "/proc/self/task"
	if pid != 0 {
		dir = fmt.Sprintf("/proc/%d/task", pid)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, e := range entries {
		if id, err := strconv.Atoi(e.Name()); err == nil {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// residentKiB returns the resident memory of process pid, the VmRSS line of
// /proc/PID/status on Linux; it is not measured on other systems.
func residentKiB(pid int) (int, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		if value, found := strings.CutPrefix(lines.Text(), "VmRSS:"); found {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(value), " kB"))
		}
	}
	return 0, fmt.Errorf("/proc/%d/status has no VmRSS line", pid)
}

// threadHandle is what joinThread waits on: a HANDLE to the thread on
// Windows; nothing elsewhere.
type threadHandle = struct{}

// openCurrentThread wraps DuplicateHandle of GetCurrentThread's pseudo
// handle on Windows: a real handle, with which another thread can wait for
// this one to end. POSIX has no handle to a thread the Go runtime made; the
// process's exit ends every thread there, so it returns nothing.
func openCurrentThread() threadHandle { return threadHandle{} }

// joinThread wraps WaitForSingleObject and CloseHandle on Windows: it waits
// at most wait for the thread to end and, once it has, closes the handle
// and returns true. Elsewhere there is nothing to wait for.
func joinThread(h threadHandle, wait time.Duration) bool { return true }
