package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// treeRSS returns the resident memory, in KiB, of the process pid and its
// children, from /proc/PID/status (VmRSS) and /proc/PID/stat (the parent).
// Pages the processes share, such as the program's code, count once per
// process, as ps and top count them.
func treeRSS(pid int) (int, error) {
	total, err := processRSS(pid)
	if err != nil {
		return 0, err
	}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, stat := range stats {
		data, err := os.ReadFile(stat)
		if err != nil {
			continue // it exited meanwhile
		}
		// The fields after the command name, which is in parentheses and
		// may hold spaces: state, then the parent's pid.
		fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
		if len(fields) < 2 || fields[1] != strconv.Itoa(pid) {
			continue
		}
		child, _ := strconv.Atoi(filepath.Base(filepath.Dir(stat)))
		if rss, err := processRSS(child); err == nil {
			total += rss
		}
	}
	return total, nil
}

func processRSS(pid int) (int, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}
