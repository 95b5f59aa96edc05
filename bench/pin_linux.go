package main

import (
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// pinSelf puts every thread of this process on CPU 0. Threads the runtime
// starts later inherit it from the thread that starts them.
func pinSelf() error {
	var cpus unix.CPUSet
	cpus.Set(0)
	tasks, err := filepath.Glob("/proc/self/task/*")
	if err != nil {
		return err
	}
	for _, task := range tasks {
		tid, err := strconv.Atoi(filepath.Base(task))
		if err != nil {
			continue
		}
		// A thread that ended since we listed it has nothing to pin.
		if err := unix.SchedSetaffinity(tid, &cpus); err != nil && err != unix.ESRCH {
			return err
		}
	}
	return nil
}
