// How many OS threads a process has, and which thread we are on, as Windows
// tells it. threads_linux.go has the same functions over /proc, and
// threads_other.go says "not measured here" everywhere else.
package main

import (
	"errors"
	"os"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// osThreadID wraps gettid(2) on Linux and GetCurrentThreadId on Windows:
// the id of the OS thread that runs the calling goroutine right now.
func osThreadID() (int, bool) { return int(windows.GetCurrentThreadId()), true }

// processThreads lists the ids of the OS threads of process pid (0: this
// one): /proc/PID/task on Linux, a CreateToolhelp32Snapshot with
// TH32CS_SNAPTHREAD on Windows. Its length is the Threads: line of
// /proc/PID/status (proc(5)).
//
// The snapshot holds the threads of every process of the system, whatever
// pid says, so we keep those whose owner is ours
// (https://learn.microsoft.com/windows/win32/toolhelp/traversing-the-thread-list).
func processThreads(pid int) ([]int, error) {
	if pid == 0 {
		pid = os.Getpid()
	}
	snapshot, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPTHREAD, 0)
	if err != nil {
		return nil, err
	}
	defer windows.CloseHandle(snapshot)
	entry := windows.ThreadEntry32{Size: uint32(unsafe.Sizeof(windows.ThreadEntry32{}))}
	var ids []int
	for err = windows.Thread32First(snapshot, &entry); err == nil; err = windows.Thread32Next(snapshot, &entry) {
		if int(entry.OwnerProcessID) == pid {
			ids = append(ids, int(entry.ThreadID))
		}
	}
	if !errors.Is(err, windows.ERROR_NO_MORE_FILES) {
		return nil, err
	}
	return ids, nil
}

// residentKiB returns the resident memory of process pid, the VmRSS line of
// /proc/PID/status on Linux; it is not measured on other systems.
func residentKiB(pid int) (int, error) { return 0, errNotMeasured }

// threadHandle is what joinThread waits on: a HANDLE to the thread on
// Windows; nothing elsewhere.
type threadHandle = windows.Handle

// openCurrentThread wraps DuplicateHandle of GetCurrentThread's pseudo
// handle on Windows: a real handle, with which another thread can wait for
// this one to end. POSIX has no handle to a thread the Go runtime made; the
// process's exit ends every thread there, so it returns nothing.
func openCurrentThread() threadHandle {
	var h windows.Handle
	err := windows.DuplicateHandle(windows.CurrentProcess(), windows.CurrentThread(),
		windows.CurrentProcess(), &h, windows.SYNCHRONIZE, false, 0)
	if err != nil {
		return 0
	}
	return h
}

// joinThread wraps WaitForSingleObject and CloseHandle on Windows: it waits
// at most wait for the thread to end and, once it has, closes the handle
// and returns true. Elsewhere there is nothing to wait for.
func joinThread(h threadHandle, wait time.Duration) bool {
	if h == 0 {
		return true
	}
	event, err := windows.WaitForSingleObject(h, uint32(wait.Milliseconds()))
	if err == nil && event != windows.WAIT_OBJECT_0 {
		return false // still running
	}
	windows.CloseHandle(h)
	return true
}
