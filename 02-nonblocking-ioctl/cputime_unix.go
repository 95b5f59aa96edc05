//go:build unix

package main

import (
	"time"

	"golang.org/x/sys/unix"
)

// cpuTime wraps getrusage(2) with RUSAGE_SELF on POSIX and GetProcessTimes
// on Windows: the CPU time this process has used, user and system.
func cpuTime() (time.Duration, error) {
	var usage unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &usage); err != nil {
		return 0, err
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano()), nil
}
