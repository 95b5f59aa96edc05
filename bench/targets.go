package main

import "strings"

// The servers measured, the Go net ones first: they are the yardstick.
// Each runs in its quietest mode, so that printing is not what is measured;
// 02 and 03 have none, and print a line for every line they receive.
var allTargets = []target{
	{name: "go-net echo", args: []string{"netserver", "-proto", "echo"}, proto: echo,
		note: "package net, a goroutine per connection, over epoll"},
	{name: "go-net line", args: []string{"netserver", "-proto", "line"}, proto: line,
		note: "the line protocol of 02 and 03 over package net"},
	{name: "01-blocking", chapter: "01-blocking", args: []string{"server", "-quiet"}, proto: echo, maxConns: 1,
		note: "one client: only the 1-connection shape"},
	{name: "02-nonblocking-ioctl", chapter: "02-nonblocking-ioctl", args: []string{"server"}, proto: line,
		note: "-poll 100ms, the seed's Sleep(100)"},
	{name: "02-nonblocking-ioctl -poll 0", chapter: "02-nonblocking-ioctl", args: []string{"server", "-poll", "0"},
		proto: line, note: "never sleeps"},
	{name: "03-thread-per-conn", chapter: "03-thread-per-conn", args: []string{"server", "-max-threads", "1024"},
		proto: line, note: "-max-threads 1024, so that 500 connections fit"},
	{name: "04-process-per-conn", chapter: "04-process-per-conn", args: []string{"server", "-quiet"}, proto: echo,
		maxConns: 64, note: "-max-procs 64: the shapes within it"},
	{name: "05-overlapped-routines", chapter: "05-overlapped-routines",
		args: []string{"server", "-quiet", "-backend", "uring"}, proto: echo, note: "io_uring"},
	{name: "05-overlapped-routines poll", chapter: "05-overlapped-routines",
		args: []string{"server", "-quiet", "-backend", "poll"}, proto: echo, note: "the readiness emulation"},
}

// plannedShape is a shape and, if only is set, the targets it is for.
type plannedShape struct {
	shape
	only string
}

var fullShapes = []plannedShape{
	{shape: shape{conns: 1, size: 64, window: 1}},
	{shape: shape{conns: 50, size: 64, window: 1}},
	{shape: shape{conns: 500, size: 64, window: 1}},
	{shape: shape{conns: 50, size: 16 << 10, window: 1}},
	{shape: shape{conns: 50, size: 16 << 10, window: 8}},
	{shape: shape{conns: 10000, size: 64, window: 1}, only: "go-net echo,05-overlapped-routines"},
}

var quickShapes = []plannedShape{
	{shape: shape{conns: 1, size: 64, window: 1}},
	{shape: shape{conns: 50, size: 64, window: 1}},
}

// selectTargets returns the targets named in only (all when it is empty).
func selectTargets(only string) []target {
	if only == "" {
		return allTargets
	}
	var out []target
	for _, t := range allTargets {
		for _, name := range strings.Split(only, ",") {
			if strings.TrimSpace(name) == t.name {
				out = append(out, t)
			}
		}
	}
	return out
}
