package main

import "strings"

// The servers measured. The yardsticks come first: two written with Go's
// net package, the way Go programs usually are, and two in C, the limit of
// their model on the machine. Each chapter runs in its quietest mode, so
// that printing is not what is measured.
var allTargets = []target{
	{name: "go-net echo", args: []string{"netserver", "-proto", "echo"}, proto: echo, yardstick: true,
		note: "package net, a goroutine per connection, over epoll"},
	{name: "go-net line", args: []string{"netserver", "-proto", "line"}, proto: line, yardstick: true,
		note: "the line protocol of 02 and 03 over package net"},
	{name: "c-epoll echo", source: "echo_epoll.c", proto: echo, yardstick: true,
		note: "C, one thread, level-triggered epoll (reference/echo_epoll.c)"},
	{name: "c-uring echo", source: "echo_uring.c", libs: []string{"-luring"}, proto: echo, yardstick: true,
		note: "C, one thread, liburing, one operation in flight per connection (reference/echo_uring.c)"},
	{name: "01-blocking", chapter: "01-blocking", args: []string{"server", "-quiet"}, proto: echo, maxConns: 1,
		note: "one client: only the 1-connection shape"},
	{name: "02-nonblocking-ioctl", chapter: "02-nonblocking-ioctl", args: []string{"server", "-quiet"}, proto: line,
		note:        "-poll 100ms, the seed's Sleep(100)",
		dominatedBy: "the poll interval: a message that finds the server asleep waits up to 100 ms"},
	{name: "02-nonblocking-ioctl -poll 0", chapter: "02-nonblocking-ioctl",
		args: []string{"server", "-quiet", "-poll", "0"}, proto: line, note: "never sleeps",
		dominatedBy: "polling: every pass asks every socket, and the pass spins on a CPU the load needs"},
	{name: "03-thread-per-conn", chapter: "03-thread-per-conn",
		args:  []string{"server", "-quiet", "-max-threads", "1024"},
		proto: line, note: "-max-threads 1024, so that 500 connections fit"},
	{name: "04-process-per-conn", chapter: "04-process-per-conn", args: []string{"server", "-quiet"}, proto: echo,
		maxConns: 64, note: "-max-procs 64: the shapes within it"},
	{name: "04-process-per-conn -buffer 512", chapter: "04-process-per-conn",
		args: []string{"server", "-quiet", "-buffer", "512"}, proto: echo, shapes: []string{"50 x 16 KiB"},
		note:        "the seed's 512-byte reads, TCP_NODELAY set",
		dominatedBy: "the read size: a 16 KiB message costs 32 reads and 32 writes"},
	{name: "04-process-per-conn -nagle -buffer 512", chapter: "04-process-per-conn",
		args: []string{"server", "-quiet", "-nagle", "-buffer", "512"}, proto: echo, shapes: []string{"50 x 16 KiB"},
		note:        "the seed's way: 512-byte reads, Nagle's algorithm left on",
		dominatedBy: "Nagle's algorithm and the client's delayed ACK: the 31 writes after the first wait for an ACK"},
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

// planned tells whether target t runs under shape sh.
func planned(t target, sh plannedShape) bool {
	if t.maxConns > 0 && sh.conns > t.maxConns {
		return false
	}
	if sh.only != "" && !inList(sh.only, t.name) {
		return false
	}
	if len(t.shapes) > 0 {
		for _, s := range t.shapes {
			if s == sh.shape.String() {
				return true
			}
		}
		return false
	}
	return true
}

func inList(list, name string) bool {
	for _, item := range strings.Split(list, ",") {
		if strings.TrimSpace(item) == name {
			return true
		}
	}
	return false
}

// selectTargets returns the targets named in only (all when it is empty).
func selectTargets(only string) []target {
	if only == "" {
		return allTargets
	}
	var out []target
	for _, t := range allTargets {
		if inList(only, t.name) {
			out = append(out, t)
		}
	}
	return out
}
