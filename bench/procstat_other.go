//go:build !linux

package main

import (
	"errors"
	"time"
)

type usage struct {
	cpu time.Duration
	rss int64
}

// processUsage is measured on Linux only; elsewhere the report says n/a.
func processUsage(pid int) (usage, error) {
	return usage{}, errors.New("CPU and memory are measured on Linux only")
}

func ownCPU(pid int) time.Duration { return 0 }
