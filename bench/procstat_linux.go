package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clockTick is the unit of the CPU times in /proc/PID/stat (sysconf
// _SC_CLK_TCK), 100 per second on Linux.
const clockTick = 10 * time.Millisecond

// usage is what a process and its children have used so far.
type usage struct {
	cpu time.Duration // user + system, children included
	rss int64         // resident memory in bytes, children included
}

// processUsage reads /proc for pid and its children: the children's CPU
// counts both while they run and, through cutime and cstime, once reaped.
func processUsage(pid int) (usage, error) {
	var u usage
	fields, err := statFields(pid)
	if err != nil {
		return u, err
	}
	u.cpu = ticks(fields, 11, 12, 13, 14) // utime stime cutime cstime
	u.rss, err = residentBytes(pid)
	if err != nil {
		return u, err
	}
	for _, child := range children(pid) {
		if f, err := statFields(child); err == nil {
			u.cpu += ticks(f, 11, 12)
		}
		if rss, err := residentBytes(child); err == nil {
			u.rss += rss
		}
	}
	return u, nil
}

// ownCPU is the CPU pid has used itself, without its children.
func ownCPU(pid int) time.Duration {
	fields, err := statFields(pid)
	if err != nil {
		return 0
	}
	return ticks(fields, 11, 12)
}

// statFields returns the fields of /proc/PID/stat after the command name,
// numbered from 0 for the state (field 3 of proc(5)).
func statFields(pid int) ([]string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, err
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return nil, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	return strings.Fields(string(b[i+1:])), nil
}

func ticks(fields []string, indexes ...int) time.Duration {
	var sum int64
	for _, i := range indexes {
		if i < len(fields) {
			n, _ := strconv.ParseInt(fields[i], 10, 64)
			sum += n
		}
	}
	return time.Duration(sum) * clockTick
}

func residentBytes(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmRSS", pid)
}

// children lists the processes whose parent is pid.
func children(pid int) []int {
	var kids []int
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, t := range tasks {
		b, _ := os.ReadFile(t)
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				kids = append(kids, n)
			}
		}
	}
	return kids
}
