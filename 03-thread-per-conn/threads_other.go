//go:build !linux && !windows

// Elsewhere (macOS, the BSDs) we do not count threads: the calls that would
// (task_threads on macOS, kvm_getprocs on the BSDs) are not in x/sys. The
// chapter says so instead of guessing.
package main

import "time"

// osThreadID wraps gettid(2) on Linux and GetCurrentThreadId on Windows:
// the id of the OS thread that runs the calling goroutine right now.
func osThreadID() (int, bool) { return 0, false }

// processThreads lists the ids of the OS threads of process pid (0: this
// one): /proc/PID/task on Linux, a CreateToolhelp32Snapshot with
// TH32CS_SNAPTHREAD on Windows. Its length is the Threads: line of
// /proc/PID/status (proc(5)).
func processThreads(pid int) ([]int, error) { return nil, errNotMeasured }

// residentKiB returns the resident memory of process pid, the VmRSS line of
// /proc/PID/status on Linux; it is not measured on other systems.
func residentKiB(pid int) (int, error) { return 0, errNotMeasured }

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
