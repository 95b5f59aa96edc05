package main

import (
	"time"

	"golang.org/x/sys/windows"
)

// cpuTime wraps getrusage(2) with RUSAGE_SELF on POSIX and GetProcessTimes
// on Windows: the CPU time this process has used, user and system.
func cpuTime() (time.Duration, error) {
	var created, exited, kernel, user windows.Filetime
	err := windows.GetProcessTimes(windows.CurrentProcess(), &created, &exited, &kernel, &user)
	if err != nil {
		return 0, err
	}
	// A FILETIME counts 100-nanosecond intervals.
	ticks := func(t windows.Filetime) int64 { return int64(t.HighDateTime)<<32 | int64(t.LowDateTime) }
	return time.Duration((ticks(kernel) + ticks(user)) * 100), nil
}
